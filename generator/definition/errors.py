"""Where a problem in a definition is (file:line:column) and the error that reports them all at once."""

from __future__ import annotations

from dataclasses import dataclass

from generator.errors import EtkError


@dataclass(frozen=True, order=True)
class Location:
    """A position in a definition file; `line` and `column` count from 1."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a definition, printed as `file:line:column: message`."""

    location: Location
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


class DefinitionError(EtkError):
    """A definition (or several) cannot be built; carries every problem found, sorted by position."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(set(problems), key=lambda problem: (problem.location, problem.message))
        count = len(self.problems)
        summary = f"{count} problem{'s' if count != 1 else ''} in the definition{'s' if self._files() > 1 else ''}"
        super().__init__("\n".join([summary, *(str(problem) for problem in self.problems)]))

    def _files(self) -> int:
        return len({problem.location.file for problem in self.problems})
