"""The error that reports every problem of one or several definitions at once."""

from __future__ import annotations

from generator.problems import Problem, ProblemsError


class DefinitionError(ProblemsError):
    """A definition (or several) cannot be built; carries every problem found, sorted by position,
    each printed as `file:line:column: message`."""

    def __init__(self, problems: list[Problem]) -> None:
        unique = sorted(set(problems), key=Problem.sort_key)
        count = len(unique)
        files = len({problem.location.file for problem in unique})
        summary = f"{count} problem{'s' if count != 1 else ''} in the definition{'s' if files > 1 else ''}"
        super().__init__(unique, "\n".join([summary, *(str(problem) for problem in unique)]))
