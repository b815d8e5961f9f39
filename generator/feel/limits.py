"""Resource limits of FEEL evaluation and the step meter that enforces them, so that no text or
value, however hostile, can hang the process or exhaust its memory.

One evaluation may spend `MAX_STEPS` steps. A step is a unit of work of about a microsecond: a
loop iteration or filtered item, an item visited by a deep comparison, a type test, a flatten or
a property lookup over a list, 8 list items or 64 characters a built-in allocates; a function
call costs `CALL_STEPS`. Regular expressions cannot be metered in steps (their matching runs in
C), so they get a time budget instead: `REGEX_SECONDS` per evaluation, compiling included. Value
operations that run outside an evaluation (host code calling `values.equal` or `to_json`) get a
`StandaloneMeter` of their own. Exceeding any limit fails the evaluation with a
`FeelEvaluationError` of failure type `LIMIT_EXCEEDED`.
"""

from __future__ import annotations

from typing import Protocol

from generator.feel.errors import FeelEvaluationError

LIMIT_EXCEEDED = "LIMIT_EXCEEDED"

MAX_STEPS = 3_000_000  # steps per evaluation (see the module docstring)
CALL_STEPS = 4  # a call costs about four loop iterations
MAX_CALL_DEPTH = 100  # nested invocations of FEEL functions
MAX_STRING_LENGTH = 10_000_000  # characters in one string value
MAX_LIST_LENGTH = 2_000_000  # items in one list value (and numbers in one `for` range)
CHARACTERS_PER_STEP = 64  # characters a built-in or `+` allocates per step
ITEMS_PER_STEP = 8  # list items or context entries a built-in allocates per step
MAX_WARNINGS = 1_000  # warnings one evaluation records; later ones are counted in one last warning
MAX_DESCRIBED_LENGTH = 1_000  # characters of a value quoted in a warning or error message
REGEX_SECONDS = 1.0  # time regular expressions may take per evaluation, compiling included
MAX_PATTERN_LENGTH = 100_000  # characters of one regular expression
# The size of what one `to_json` converts: a list item or context entry counts `JSON_ITEM_SIZE`
# (its share of work and text), strings and keys their characters, every time a shared list or
# context is reached again. It bounds the JSON text of a result (64 MB) and the time to convert
# it, however the value shares its parts.
MAX_JSON_SIZE = 64_000_000
JSON_ITEM_SIZE = 16


class Meter(Protocol):
    """What accounts for work: an evaluation, a built-in's call context, a `StandaloneMeter`."""

    def spend(self, steps: int) -> None: ...


def too_many_steps(limit: int = MAX_STEPS) -> FeelEvaluationError:
    return FeelEvaluationError(
        f"the evaluation needs more than {limit} steps (loop iterations, function calls and "
        "items visited); is a loop or recursion unbounded?", LIMIT_EXCEEDED)


def too_long() -> FeelEvaluationError:
    return FeelEvaluationError(f"a string would be longer than {MAX_STRING_LENGTH} characters",
                               LIMIT_EXCEEDED)


def too_many_items() -> FeelEvaluationError:
    return FeelEvaluationError(f"a list would have more than {MAX_LIST_LENGTH} items", LIMIT_EXCEEDED)


class StandaloneMeter:
    """A step meter for work outside an evaluation (one per top-level operation)."""

    __slots__ = ("failure", "limit", "steps")

    def __init__(self, limit: int = MAX_STEPS, failure: str | None = None) -> None:
        self.steps = 0
        self.limit = limit
        self.failure = failure  # the message when the limit is exceeded (default: steps)

    def spend(self, steps: int) -> None:
        self.steps += steps
        if self.steps > self.limit:
            if self.failure is None:
                raise too_many_steps(self.limit)
            raise FeelEvaluationError(self.failure, LIMIT_EXCEEDED)


def abbreviated(text: str) -> str:
    """`text` for a message: cut with `...` after `MAX_DESCRIBED_LENGTH` characters, so that a
    failure on a long input (which may repeat in a loop) stays cheap."""
    return text if len(text) <= MAX_DESCRIBED_LENGTH else text[:MAX_DESCRIBED_LENGTH] + "..."
