"""The FEEL engine's entry points: parse (cached per text), evaluate, evaluate unary tests."""

from __future__ import annotations

import datetime as dt
import marshal
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

from generator.feel import ast
from generator.feel.compiler import compile_tree
from generator.feel.errors import (
    FeelError,
    FeelEvaluationError,
    FeelSyntaxError,
    FeelWarning,
)
from generator.feel.evaluation import (
    INPUT,
    NO_FUNCTIONS,
    Evaluation,
    Scope,
    host_functions,
)
from generator.feel.lexer import escape_names
from generator.feel.limits import LIMIT_EXCEEDED
from generator.feel.parser import parse_expression_tree, parse_unary_tests_tree
from generator.feel.values import from_python

PARSE_CACHE_SIZE = 4096
# The failure type of an evaluation that failed on a bug in the engine (never on user input).
INTERNAL_ERROR = "INTERNAL_ERROR"

Clock = Callable[[], dt.datetime]


class Expression:
    """A parsed FEEL expression (or unary tests): its text and syntax tree. The tree is
    compiled to closures on first evaluation and kept, so evaluating it again is cheap."""

    __slots__ = ("_program", "text", "tree", "unary_tests")

    def __init__(self, text: str, tree: ast.Node, unary_tests: bool = False) -> None:
        self.text = text
        self.tree = tree
        self.unary_tests = unary_tests
        self._program: Callable[[Scope], Any] | None = None

    @property
    def program(self) -> Callable[[Scope], Any]:
        if self._program is None:
            self._program = compile_tree(self.tree)
        return self._program

    def function_calls(self) -> list[ast.FunctionCall]:
        """Every function call in the expression, in source order (e.g. to find `fromAi`)."""
        return [node for node in ast.walk(self.tree) if isinstance(node, ast.FunctionCall)]

    def __repr__(self) -> str:
        kind = "unary tests" if self.unary_tests else "expression"
        return f"<FEEL {kind} {self.text!r}>"


def _without_equals(text: str) -> str:
    """Camunda strips one leading `=` (the FEEL marker of element templates). It becomes a space
    so that line and column numbers still point into the original text."""
    stripped = text.lstrip()
    if stripped.startswith("="):
        cut = len(text) - len(stripped)
        return text[:cut] + " " + stripped[1:]
    return text


@lru_cache(maxsize=PARSE_CACHE_SIZE)
def _parse(text: str, unary_tests: bool) -> Expression:
    source = _without_equals(text)
    try:
        tree = parse_unary_tests_tree(source) if unary_tests else parse_expression_tree(source)
    except FeelSyntaxError:
        raise
    except RecursionError:
        raise FeelSyntaxError("the expression is nested too deeply", 1, 1, text) from None
    except Exception as error:  # a bug in the parser: still a FeelError for the caller
        raise FeelSyntaxError(f"internal parser error {type(error).__name__}: {error}", 1, 1,
                              text) from error
    return Expression(text, tree, unary_tests)


def parse(text: str) -> Expression:
    """Parse a FEEL expression (one leading `=` is ignored); raises `FeelSyntaxError` with the
    line and column of the problem. Results are cached per text."""
    return _parse(text, False)


def parse_unary_tests(text: str) -> Expression:
    """Parse FEEL unary tests such as `< 3`, `[1..5], 7`, `not("a")`, `-` (cached per text)."""
    return _parse(text, True)


def _parse_for(text: str, unary_tests: bool, variables: Mapping[str, Any] | None) -> Expression:
    """Parse `text` for an evaluation over `variables`: variable names with spaces or dashes that
    occur in the text are read as names, as Camunda's DMN engine escapes them (`Date of Birth`,
    `Loan-Amount`); without such names this is `parse`."""
    if variables:
        names = [name for name in variables
                 if type(name) is str and (" " in name or "-" in name) and name in text]
        if names:
            escaped = escape_names(text, names)
            if escaped != text:
                try:
                    return _parse(escaped, unary_tests)
                except FeelSyntaxError:
                    pass  # report the error in the text as written
    return _parse(text, unary_tests)


def clear_parse_cache() -> None:
    """Forget all parsed expressions (benchmarks measure parsing with an empty cache)."""
    _parse.cache_clear()


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
    expression = text_or_expression if isinstance(text_or_expression, Expression) else _parse_for(
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
    expression = text if isinstance(text, Expression) else _parse_for(text, True, variables)
    evaluation = Evaluation(warnings, host_functions(functions), clock)
    input_feel = _converted("the input value", input_value)
    passed: bool | None = _run(expression, _root_scope(variables, evaluation, {INPUT: input_feel}))
    return passed
