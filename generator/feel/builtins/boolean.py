"""Boolean built-ins: `not`, `is defined`, `get or else`, and Camunda's `assert`."""

from __future__ import annotations

from typing import Any

from generator.feel.builtins.registry import Family, illegal
from generator.feel.errors import FeelEvaluationError

FUNCTIONS = Family()
function = FUNCTIONS.function

ASSERT_FAILURE = "ASSERT_FAILURE"


@function("not", "negand")
def negation(call: Any, negand: Any) -> bool | None:
    """`not(true)` = false; anything but a boolean gives null (feel-scala reports no failure)."""
    return not negand if isinstance(negand, bool) else None


@function("is defined", "value")
def is_defined(call: Any, value: Any) -> bool:
    """Since feel-scala 1.17 a missing variable is null, so this is a null check."""
    return value is not None


@function("get or else", "value", "default")
def get_or_else(call: Any, value: Any, default: Any) -> Any:
    return default if value is None else value


def _assert(value: Any, condition: Any, cause: str) -> Any:
    if condition is True:
        return value
    raise FeelEvaluationError(cause, ASSERT_FAILURE)


@function("assert", "value", "condition")
def assert_condition(call: Any, value: Any, condition: Any) -> Any:
    """The value when the condition is true; otherwise the whole evaluation fails."""
    return _assert(value, condition, "The condition is not fulfilled")


@function("assert", "value", "condition", "cause")
def assert_with_cause(call: Any, value: Any, condition: Any, cause: Any) -> Any:
    """Like `assert(value, condition)` with the failure message `cause`."""
    if condition is not True and not isinstance(cause, str):
        return _assert(value, condition, str(illegal([value, condition, cause])))
    return _assert(value, condition, cause)
