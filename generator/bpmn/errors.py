"""The error the BPMN package raises for diagrams it cannot read, find or write."""

from __future__ import annotations

from generator.errors import EtkError


class BpmnError(EtkError):
    """A diagram is unsafe, malformed, not BPMN 2.0, too large, or lacks the element asked for."""
