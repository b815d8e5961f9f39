"""The base class of every error etk reports to a user instead of a traceback."""

from __future__ import annotations


class EtkError(Exception):
    """An error caused by user input (a file, a value, a response), printed by the CLI as is.

    The message must say where (file:line:column, JSON pointer or BPMN element id), what went
    wrong and, where it helps, what to do. It must never contain a secret value.
    """
