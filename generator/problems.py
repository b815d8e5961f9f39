"""`Problem` and `Location`: one thing wrong with an input, and where it is.

Every package reports what is wrong with what a user gave it in this one shape: definition
loading (YAML, schema, cross-references), template validation, `etk build`'s refusals, the
values given to `etk apply`, FEEL syntax errors. Checks collect every problem they find
(jsonschema's `iter_errors` style) instead of raising at the first; an error that carries
problems to the user is a `ProblemsError`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from generator.errors import EtkError
from generator.jsontext import array_index

Severity = Literal["error", "warning", "info"]

SEVERITY_ORDER: dict[str, int] = {"error": 0, "warning": 1, "info": 2}


@dataclass(frozen=True)
class Location:
    """Where a problem is; any part may be unknown (None).

    `file` names the file as messages show it; `line` and `column` count from 1; `pointer` is
    the RFC 6901 JSON pointer of the offending value inside the document ("" is the whole
    document): in an element template, or in the set of values given to `etk apply`.
    """

    file: str | None = None
    line: int | None = None
    column: int | None = None
    pointer: str | None = None

    def __str__(self) -> str:
        """`file:line:column`, with the parts that are known (the pointer is not part of it)."""
        position = "" if self.line is None else f"{self.line}" if self.column is None else f"{self.line}:{self.column}"
        return ":".join(part for part in (self.file or "", position) if part)

    def __lt__(self, other: Location) -> bool:
        return self.sort_key() < other.sort_key()

    def sort_key(self) -> tuple[Any, ...]:
        """Document order: by file, line and column (unknown positions last), then pointer."""
        pointer = self.pointer or ""
        return (
            self.file or "",
            self.line if self.line is not None else float("inf"),
            self.column or 0,
            tuple((1, 0, token) if (index := array_index(token)) is None else (0, index, "") for token in pointer.split("/")),
        )


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: how bad, which rule (a short stable id such as
    `unique-property-id`), what, and where."""

    severity: Severity
    rule: str
    message: str
    location: Location = Location()

    def __str__(self) -> str:
        """`file:line:column: message` (the message alone when the position is unknown)."""
        where = str(self.location)
        return f"{where}: {self.message}" if where else self.message

    def describe(self) -> str:
        """`file:line:column: severity: message (pointer)`, leaving out what is unknown: the
        line `etk validate` prints."""
        where = str(self.location)
        text = f"{where}: {self.severity}: {self.message}" if where else f"{self.severity}: {self.message}"
        pointer = self.location.pointer
        # The root pointer is "" in RFC 6901; print it as "/" like the official validator does.
        return text if pointer is None else f"{text} ({pointer or '/'})"

    def located(self, file: str | None, line: int | None, column: int | None) -> Problem:
        """A copy in `file` at `line`:`column`, keeping the pointer."""
        # built directly: dataclasses.replace costs several times more, once for every finding
        return Problem(self.severity, self.rule, self.message, Location(file, line, column, self.location.pointer))

    def to_dict(self) -> dict[str, Any]:
        """The problem as a JSON-ready object (`etk validate --format json`)."""
        location = self.location
        return {
            "severity": self.severity,
            "message": self.message,
            "pointer": location.pointer,
            "file": location.file,
            "line": location.line,
            "column": location.column,
            "rule": self.rule,
        }

    def sort_key(self) -> tuple[Any, ...]:
        """Document order (see `Location.sort_key`), then severity and message."""
        return (*self.location.sort_key(), SEVERITY_ORDER[self.severity], self.message)


class ProblemsError(EtkError):
    """An error that carries every problem found to the user; `message` (what the CLI prints)
    lists them."""

    def __init__(self, problems: list[Problem], message: str) -> None:
        super().__init__(message)
        self.problems = problems
