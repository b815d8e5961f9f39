"""The FEEL engine's evaluation entry points: evaluate and evaluate unary tests (parsing is in
`generator.feel.parsing`)."""

from __future__ import annotations

import datetime as dt
import marshal
from collections.abc import Callable, Mapping
from typing import Any

from generator.feel.errors import (
    FeelError,
    FeelEvaluationError,
    FeelWarning,
)
from generator.feel.evaluation import (
    INPUT,
    NO_FUNCTIONS,
    Evaluation,
    Scope,
    host_functions,
)
from generator.feel.limits import LIMIT_EXCEEDED
from generator.feel.parsing import Expression, parse_for
from generator.feel.values import from_python

# The failure type of an evaluation that failed on a bug in the engine (never on user input).
INTERNAL_ERROR = "INTERNAL_ERROR"

Clock = Callable[[], dt.datetime]


class Variables(dict[str, Any]):
    """Variables whose values are FEEL values already: `evaluate` reads them as they are, where it
    converts the values of any other mapping on every call. Build one with
    `Variables.from_python(...)` and reuse it for several evaluations over the same data (a job's
    input mappings); values added later must be FEEL values too (results of `evaluate`, or
    `from_python(...)`). An evaluation never changes the variables it reads."""

    __slots__ = ()

    @classmethod
    def from_python(cls, variables: Mapping[str, Any] | None) -> Variables:
        """Convert JSON-like Python values once (see `from_python`)."""
        return cls({str(name): _converted(f"variable '{name}'", value)
                    for name, value in (variables or {}).items()})


# Lists and contexts of at least this many items that a caller passes again and again (`sum(xs)`
# over the same 10,000 numbers, a filter over the same 1,000 orders) are converted once: see
# `_reused_conversion`.
_REUSED_LENGTH = 1_000
_REUSED_KEPT = 8
_reused: dict[int, tuple[Any, bytes, Any]] = {}


def _reused_conversion(value: list[Any] | dict[Any, Any]) -> Any:
    """The FEEL form of a large list or context of JSON-like data, converted once and reused for
    as long as the caller passes the same object with the same content: its `marshal` bytes,
    written at C speed on every call, must be identical (the same items, types, keys and order,
    at any depth). None when `marshal` cannot write the value (types JSON has not, subclasses)."""
    try:
        fingerprint = marshal.dumps(value)
    except ValueError:
        return None
    known = _reused.get(id(value))
    if known is not None and known[0] is value and known[1] == fingerprint:
        return known[2]
    converted = from_python(value)
    if len(_reused) >= _REUSED_KEPT:
        _reused.clear()
    _reused[id(value)] = (value, fingerprint, converted)
    return converted


def _converted(name: str, value: Any) -> Any:
    try:
        if type(value) in (list, dict) and len(value) >= _REUSED_LENGTH:
            converted = _reused_conversion(value)
            if converted is not None:
                return converted
        return from_python(value)
    except TypeError as error:
        raise FeelEvaluationError(f"{name}: {error}", "INVALID_VARIABLE") from None
    except RecursionError:
        raise FeelEvaluationError(f"{name}: the value is nested too deeply", LIMIT_EXCEEDED) from None


def _root_scope(variables: Mapping[str, Any] | None, evaluation: Evaluation,
                extra: dict[Any, Any] | None = None) -> Scope:
    if type(variables) is not Variables:
        variables = {str(name): _converted(f"variable '{name}'", value)
                     for name, value in (variables or {}).items()}
    root = Scope(variables, None, evaluation)
    return Scope(extra, root, evaluation) if extra else root


def _run(expression: Expression, scope: Scope) -> Any:
    try:
        return expression.program(scope)
    except FeelEvaluationError as error:
        raise FeelEvaluationError(f"failed to evaluate expression '{expression.text}': {error}",
                                  error.failure_type) from None
    except RecursionError:
        raise FeelEvaluationError(f"failed to evaluate expression '{expression.text}': it is "
                                  "nested too deeply (values or recursion)", LIMIT_EXCEEDED) from None
    except FeelError:
        raise
    except Exception as error:  # a bug in the engine: still a FeelError for the caller
        raise FeelEvaluationError(
            f"failed to evaluate expression '{expression.text}': internal error "
            f"{type(error).__name__}: {error}", INTERNAL_ERROR) from error


def evaluate(text_or_expression: str | Expression, variables: Mapping[str, Any] | None = None, *,
             functions: Mapping[str, Any] | None = None,
             warnings: list[FeelWarning] | None = None, clock: Clock | None = None) -> Any:
    """Evaluate a FEEL expression with `variables` (JSON-like Python values or FEEL values, or a
    `Variables` of FEEL values that is used without converting them again).

    Returns a FEEL value (`None`, bool, str, `Decimal`, list, dict, date/time values...; use
    `to_json` for JSON). Failures FEEL suppresses give null and append a `FeelWarning` to
    `warnings`. Raises `FeelSyntaxError` for invalid text and `FeelEvaluationError` for failed
    `assert`s, `?` outside unary tests and exceeded resource limits. `functions` adds host
    functions (`Builtin`s or plain callables); `clock` (returning an aware datetime) drives
    `now()` and `today()`.
    """
    expression = text_or_expression if isinstance(text_or_expression, Expression) else parse_for(
        text_or_expression, False, variables)
    evaluation = Evaluation(warnings, host_functions(functions) if functions else NO_FUNCTIONS, clock)
    return _run(expression, _root_scope(variables, evaluation))


def evaluate_unary_tests(text: str | Expression, input_value: Any,
                         variables: Mapping[str, Any] | None = None, *,
                         functions: Mapping[str, Any] | None = None,
                         warnings: list[FeelWarning] | None = None,
                         clock: Clock | None = None) -> bool | None:
    """Evaluate unary tests (a DMN input entry such as `< 10`, `"a", "b"`, `[1..5]`, `? > x`)
    against `input_value`: true, false, or null when the input cannot be compared."""
    expression = text if isinstance(text, Expression) else parse_for(text, True, variables)
    evaluation = Evaluation(warnings, host_functions(functions), clock)
    input_feel = _converted("the input value", input_value)
    passed: bool | None = _run(expression, _root_scope(variables, evaluation, {INPUT: input_feel}))
    return passed
