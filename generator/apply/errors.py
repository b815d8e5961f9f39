"""The error `apply` raises for values or templates the Modeler semantics cannot apply."""

from __future__ import annotations

from generator.problems import Location, Problem, ProblemsError


class ApplyError(ProblemsError):
    """A template cannot be applied with the given values (unknown or inactive properties, values
    the properties panel would not accept, a binding etk does not support).

    `problems` holds every problem found: all problems of a value set at once (see `of`), or the
    one problem with the template or the element. A value's problem is located at
    `value_pointer(key)`, the key of the `values` mapping, so callers that know where each value
    came from (a definition's `example`) can point there.
    """

    def __init__(
        self, message: str, *, rule: str = "apply", key: str | None = None, location: Location | None = None
    ) -> None:
        if location is None:
            location = Location() if key is None else Location(pointer=value_pointer(key))
        problem = Problem("error", rule, message, location)
        super().__init__([problem], str(problem))

    @classmethod
    def of(cls, problems: list[Problem]) -> ApplyError:
        """One error for all `problems` of a value set; its message lists them under a count."""
        if len(problems) == 1:
            error = cls(problems[0].message, rule=problems[0].rule, location=problems[0].location)
        else:
            error = cls("\n".join([f"{len(problems)} problems with the values", *(str(each) for each in problems)]))
            error.problems = problems
        return error


def value_pointer(key: str) -> str:
    """The JSON pointer of `key` in a `values` mapping (RFC 6901: `~` and `/` escaped)."""
    return "/" + key.replace("~", "~0").replace("/", "~1")


def value_key(problem: Problem) -> str | None:
    """The `values` key a problem is about, or None when it is about no single value."""
    pointer = problem.location.pointer
    if not pointer:
        return None
    return pointer[1:].replace("~1", "/").replace("~0", "~")
