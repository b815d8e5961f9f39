"""FEEL errors (which stop an evaluation) and warnings (suppressed failures that yield null)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.errors import EtkError
from generator.problems import Location, Problem


class FeelError(EtkError):
    """Base of every error the FEEL engine raises to its caller."""


_QUOTED = re.compile(r"'([^']*)'")


class FeelSyntaxError(FeelError):
    """The text is not a FEEL expression; `line` and `column` (1-based) point at the problem."""

    def __init__(self, message: str, line: int, column: int, text: str = "") -> None:
        self.message = message
        self.line = line
        self.column = column
        self.text = text
        super().__init__(f"{line}:{column}: {message}")

    def without_source(self) -> str:
        """The error as `line:column: message` with every quoted piece of the expression's text
        written `'…'`, for callers that must not echo the text (it may hold a secret)."""
        def masked(match: re.Match[str]) -> str:
            return "'…'" if match.group(1) and match.group(1) in self.text else match.group()

        return f"{self.line}:{self.column}: " + _QUOTED.sub(masked, self.message)

    @property
    def problem(self) -> Problem:
        """This error as a `Problem` of rule `feel-syntax`, located at line and column in the expression."""
        return Problem("error", "feel-syntax", self.message, Location(line=self.line, column=self.column))


class FeelEvaluationError(FeelError):
    """An evaluation that fails instead of returning null: `assert` failures, `?` outside unary
    tests, resource limits (recursion, iteration, string size)."""

    def __init__(self, message: str, failure_type: str = "FATAL") -> None:
        self.failure_type = failure_type
        super().__init__(message)


@dataclass(frozen=True)
class FeelWarning:
    """A suppressed failure, as feel-scala reports it: the evaluation went on with null.

    `failure_type` is one of feel-scala's `EvaluationFailureType` names: NO_VARIABLE_FOUND,
    NO_CONTEXT_ENTRY_FOUND, NO_PROPERTY_FOUND, NOT_COMPARABLE, INVALID_TYPE, NO_FUNCTION_FOUND,
    FUNCTION_INVOCATION_FAILURE.
    """

    failure_type: str
    message: str


class SuppressedFailure(Exception):
    """Raised inside the engine (value operations, built-ins) for a failure that FEEL turns into
    null plus a warning; the evaluator catches it, records a `FeelWarning`, and yields null.
    Never escapes the engine."""

    def __init__(self, failure_type: str, message: str) -> None:
        self.failure_type = failure_type
        self.message = message
        super().__init__(message)
