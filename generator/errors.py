"""The base class of every error etk reports to a user instead of a traceback."""

from __future__ import annotations


def abbreviated(text: str, unit: str = "characters") -> str:
    """`text` as a message quotes a value a user gave: whole when short, else its first characters
    and its length in `unit` (a 5,000-digit number is not worth 5,000 digits of message)."""
    return text if len(text) <= 20 else f"{text[:8]}... ({len(text):,} {unit})"


class EtkError(Exception):
    """An error caused by user input (a file, a value, a response), printed by the CLI as is.

    The message must say where (file:line:column, JSON pointer or BPMN element id), what went
    wrong and, where it helps, what to do. It must never contain a secret value.
    """
