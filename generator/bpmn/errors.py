"""The error the BPMN package raises for diagrams it cannot read, find or write."""

from __future__ import annotations

from generator.errors import EtkError


class BpmnError(EtkError):
    """A diagram is unsafe, malformed, not BPMN 2.0, too large, or lacks the element asked for."""


def not_xml_error(name: str, value: str) -> BpmnError:
    """The error for a value of attribute `name` that XML 1.0 cannot hold (lxml refused it)."""
    bad = next((char for char in value if not _xml_char(char)), "\0")
    return BpmnError(f"the value of {name} holds U+{ord(bad):04X}, a character XML cannot hold (a BPMN file is XML 1.0)")


def _xml_char(char: str) -> bool:
    """Whether XML 1.0 allows `char` (its `Char` production)."""
    code = ord(char)
    return code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD or 0x10000 <= code <= 0x10FFFF
