"""Hostile input: whatever the text (or the variables), the engine returns a value or raises a
`FeelError`, never another exception, never a hang. Property-based with hypothesis: random text,
random token soup, random well-formed expressions, random nested variables, huge numbers as the
arguments of every built-in that takes one, pathological regular expressions; plus explicit
pathological inputs (`test_limits.py` pins the exact outcome of each hole found so far). An engine bug that the last-resort net turns into a FeelError
(failure type INTERNAL_ERROR, "internal parser error") fails these tests too.
"""

from __future__ import annotations

import inspect
import json
import re
import string
import types
import typing
from collections.abc import Callable
from decimal import Decimal
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.feel import (
    CONNECTOR_FUNCTIONS,
    FeelEvaluationError,
    FeelSyntaxError,
    FeelWarning,
    evaluate,
    evaluate_unary_tests,
    evaluation,
    parse,
    to_json,
)
from generator.feel.api import INTERNAL_ERROR
from generator.feel.builtins import BUILTINS, Param
from generator.feel.dates import FeelDate
from generator.feel.values import (
    DayTimeDuration,
    FeelFunction,
    FeelTime,
    Range,
    YearMonthDuration,
)

HOSTILE = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

VARIABLES = {"x": 3, "y": "text", "xs": [1, 2, 3], "ctx": {"a": {"b": [1, {"c": None}]}}, "n": None,
             "flag": True}


def value_or_feel_error(call: Callable[[], Any]) -> None:
    try:
        call()
    except FeelSyntaxError as error:
        assert not error.message.startswith("internal parser error"), error.message
        assert error.line >= 1 and error.column >= 1
    except FeelEvaluationError as error:
        assert error.failure_type != INTERNAL_ERROR, str(error)


def check_text(text: str) -> None:
    value_or_feel_error(lambda: evaluate(text, VARIABLES, functions=CONNECTOR_FUNCTIONS))
    value_or_feel_error(lambda: evaluate_unary_tests(text, 3, VARIABLES))


@HOSTILE
@given(st.text(max_size=80))
def test_random_text(text: str) -> None:
    check_text(text)


@HOSTILE
@given(st.text(alphabet=string.printable, max_size=120))
def test_random_printable_text(text: str) -> None:
    check_text(text)


TOKENS = [
    "1", "-2", "3.5", ".5", '"s"', '"a\\"b"', '"\\u00e9"', "true", "false", "null", "x", "y", "xs",
    "ctx", "item", "partial", "`a b`", "?", "@", '@"2024-01-02"', '@"PT1H"', "+", "-", "*", "/",
    "**", "=", "!=", "<", "<=", ">", ">=", "(", ")", "[", "]", "{", "}", ",", ":", ".", "..",
    "if", "then", "else", "for", "in", "return", "some", "every", "satisfies", "and", "or", "not",
    "between", "instance", "of", "function", "number", "list<number>", "count", "sum",
    "string join", "date and time", "get or else", "upper case", "substring", "a.b", "//c\n",
    "/*c*/", "\n", "#", "'", "\\", "abs(", "sort(", "append(", "now()", "1..3", "(1..", "x in (",
    "]", "[1..",
]


@HOSTILE
@given(st.lists(st.sampled_from(TOKENS), max_size=25), st.sampled_from([" ", ""]))
def test_random_token_soup(tokens: list[str], separator: str) -> None:
    check_text(separator.join(tokens))


# ---- well-formed expressions: must parse, and evaluate to a value or a FeelError -----------

NAMES = st.sampled_from(["x", "y", "xs", "ctx", "n", "flag", "missing", "item"])
ATOMS = st.one_of(
    st.integers(-10**6, 10**6).map(str),
    st.decimals(allow_nan=False, allow_infinity=False, places=3).map(lambda d: format(abs(d), "f")),
    st.text(alphabet="ab \\\"n", max_size=5).map(lambda s: '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'),
    st.sampled_from(["true", "false", "null", '@"2024-01-02"', '@"P1D"', '@"10:00:00"', "[]", "{}"]),
    NAMES,
)
BINARY = st.sampled_from(["+", "-", "*", "/", "**", "=", "!=", "<", "<=", ">", ">=", "and", "or"])
FUNCTIONS = st.sampled_from(["count", "sum", "string", "abs", "not", "is defined", "string length",
                             "upper case", "append", "reverse", "min", "max", "floor", "get or else",
                             "contains", "list contains", "flatten", "distinct values", "number"])


_SHAPES = [
    "({0} {op} {1})", "[{0}, {1}]", "{{a: {0}, `c d`: {1}}}", '{{"e-f": {0}}}',
    "(if {0} then {1} else {2})", "(for v in {0} return {1})", "(for i in 1..3, j in {0} return {1})",
    "(some v in {0} satisfies {1})", "(every v in {0} satisfies {1})", "({0})[{1}]", "({0}).a",
    "({0}).year", "({0}).`c d`", "({0}).time offset", "{fn}()", "{fn}({0})", "{fn}({0}, {1})",
    "({0} between {1} and {2})", "({0} in ({1}, {2}))", "({0} in [{1}..{2}])", "({0} in < {1})",
    "({0} instance of list<number>)", "({0} instance of Any)", "{{f: function(v) {0}, r: f({1})}}.r",
    "(-{0})", "not({0})",
]


@st.composite
def _compound(draw: st.DrawFn, children: st.SearchStrategy[str]) -> str:
    shape = draw(st.sampled_from(_SHAPES))
    slots = sum(1 for _, field, _, _ in string.Formatter().parse(shape) if field and field.isdigit())
    parts = [draw(children) for _ in range(slots)]
    return shape.format(*parts, op=draw(BINARY), fn=draw(FUNCTIONS))


EXPRESSIONS = st.recursive(ATOMS, _compound, max_leaves=25)


@HOSTILE
@given(EXPRESSIONS)
def test_well_formed_expressions_parse_and_evaluate(text: str) -> None:
    parse(text)  # must not raise: the generator only writes valid FEEL
    value_or_feel_error(lambda: evaluate(text, VARIABLES))


JSON_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True),
              st.text(max_size=10)),
    lambda children: st.one_of(st.lists(children, max_size=4),
                               st.dictionaries(st.text(max_size=5), children, max_size=4)),
    max_leaves=30,
)
PROBES = ["x", "x.a", "x.a.b", "x[1]", "x[-1]", "x[item > 1]", "x[a = 1]", "count(x)", "x = x",
          "string(x)", "for i in x return i", "some i in x satisfies i", "x + x", "x < x",
          "sum(x)", "x instance of list<Any>", "get value(x, \"a\")", "to json(x)", "is defined(x.a)",
          "sort(x, function(a, b) a < b)", "distinct values(x)", "flatten(x)", "x in x", "{a: x}.a"]


@HOSTILE
@given(JSON_VALUES, st.sampled_from(PROBES))
def test_random_variables(variable: Any, text: str) -> None:
    value_or_feel_error(lambda: evaluate(text, {"x": variable}))
    value_or_feel_error(lambda: evaluate_unary_tests("< 3, x, [1..x]", variable, {"x": variable}))


# ---- explicit pathological input ----------------------------------------------------------

@pytest.mark.parametrize("text", [
    "(" * 10_000, ")" * 10_000, "[" * 10_000 + "]" * 10_000, "{a:" * 5_000, "-" * 100_000 + "1",
    "not(" * 10_000, "if true then " * 5_000 + "1 else 2", "x." * 50_000 + "y",
    "1" + "+1" * 100_000, '"' + "a" * 1_000_000 + '"', "`" * 10_001, "/*" * 10_000,
    "for i in 1..1000000000 return i", "every i in 1..1000000000 satisfies true",
    "{f: function(n) f(n), r: f(1)}", "{f: function() f() + f(), r: f()}",
    '{f: function(s) f(s + s), r: f("ab")}', "10 ** 999999999 ** 999999999",
    "for a in 1..1000, b in 1..1000, c in 1..1000 return 1", "[1..999999999999]",
    "date and time(" * 2_000, "\x00\x01\x02", "\ud800", "?" * 1000, "@" * 1000,
    # nested alternatives the parser backtracks over (exponential without memoization)
    "x in (1..(" * 30, "(x in " * 40 + "(1..", "x in ((" * 40 + "1..2", "not(x in (" * 40,
    "f(a: (" * 40 + "1..2", "[1..[" * 40 + "1",
])
def test_pathological_input(text: str) -> None:
    check_text(text)


# ---- every built-in with numeric parameters, fed huge and odd numbers ----------------------

HOSTILE_NUMBERS = [
    "10**999999999", "-(10**999999999)", "10**-999999999", "2147483648", "4294967297",
    "-2147483649", "0", "-1", "0.5", "2", "1" + "0" * 5000 + "1", "9" * 40,
]
SAMPLE_ARGUMENTS = {
    str: '"abc"', list: "[1, 2, 3]", dict: "{a: 1}", bool: "true", FeelDate: 'date("2024-01-02")',
    DayTimeDuration: 'duration("P1D")', YearMonthDuration: 'duration("P1Y")',
    FeelTime: 'time("10:00:00")', FeelFunction: "function(a, b) a < b", Range: "[1..3]",
}


def _accepted(hint: Any) -> tuple[Any, ...]:
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        return tuple(member for arg in typing.get_args(hint) for member in _accepted(arg))
    return (typing.get_origin(hint) or hint,)


def _numeric_overloads() -> list[tuple[str, tuple[Param, ...], list[tuple[Any, ...]]]]:
    """(name, params, accepted types per param) of every overload taking a number."""
    found = []
    for name, overloads in {**BUILTINS, **CONNECTOR_FUNCTIONS}.items():
        for builtin in overloads:
            function = builtin.impl.__wrapped__
            hints = typing.get_type_hints(function)
            names = list(inspect.signature(function).parameters)[1:]
            accepted = [_accepted(hints.get(param, Any)) for param in names]
            if any(Decimal in types_ or Any in types_ for types_ in accepted):
                found.append((name, builtin.params, accepted))
    return found


NUMERIC_OVERLOADS = _numeric_overloads()


@st.composite
def _numeric_call(draw: st.DrawFn) -> str:
    name, params, accepted = draw(st.sampled_from(NUMERIC_OVERLOADS))
    args = []
    for param, types_ in zip(params, accepted, strict=False):
        if param.variadic:
            args.extend(draw(st.lists(st.sampled_from(HOSTILE_NUMBERS), max_size=3)))
        elif param.optional and draw(st.booleans()):
            break
        elif Decimal in types_ or Any in types_:
            args.append(draw(st.sampled_from(HOSTILE_NUMBERS)))
        else:
            args.append(next(SAMPLE_ARGUMENTS[kind] for kind in types_ if kind in SAMPLE_ARGUMENTS))
    return f"{name}({', '.join(args)})"


def test_every_numeric_builtin_is_covered() -> None:
    names = {name for name, _, _ in NUMERIC_OVERLOADS}
    assert {"substring", "sublist", "decimal", "date", "time", "floor", "round half up", "partition",
            "insert before", "remove", "modulo", "backoff", "jobError", "string", "to json"} <= names


# a warning naming a Python exception class means an impl failed on something it did not check
_LEAKED_EXCEPTION = re.compile(r"Failed to invoke function '[^']+': [A-Z]\w*(Error|Exception)\b")


@HOSTILE
@given(_numeric_call())
def test_huge_numbers_as_arguments_of_every_numeric_builtin(text: str) -> None:
    warnings: list[FeelWarning] = []
    try:
        result = evaluate(text, functions=CONNECTOR_FUNCTIONS, warnings=warnings)
        json.dumps(to_json(result), allow_nan=False)
    except FeelEvaluationError as error:
        assert error.failure_type != INTERNAL_ERROR, str(error)
    for warning in warnings:
        assert not _LEAKED_EXCEPTION.match(warning.message), warning.message


# ---- pathological regular expressions ------------------------------------------------------

REGEX_PIECES = [
    "a", "a+", "a*", "a?", "(a|aa)", "(a|a)", "(a+)+", "(a*)*", "(.*)*", "(\\w+\\s?)*", "[a-z]{1,30}",
    "a{1000}", "(?:a{100}){50}", "(?>a+)", "a++", "\\p{L}+", "[\\p{L}\\d]", "\\1", "(", ")", "[", "]",
    "\\Q(\\E", "$", "^", "|", "{2}", "(?<n>a)\\k<n>", "\\x{61}", "\\z", "(?i)", ".",
]


@HOSTILE
@given(st.lists(st.sampled_from(REGEX_PIECES), min_size=1, max_size=8),
       st.integers(0, 60), st.sampled_from(["", "!", "b", " a"]),
       st.sampled_from(['matches(t, p)', 'replace(t, p, "$0x")', 'split(t, p)', 'extract(t, p)',
                        'matches(t, p, "i")']))
def test_pathological_regular_expressions(pieces: list[str], length: int, suffix: str, call: str) -> None:
    with mock.patch.object(evaluation, "REGEX_SECONDS", 0.02):  # a small budget keeps this fast
        value_or_feel_error(lambda: evaluate(call, {"t": "a" * length + suffix, "p": "".join(pieces)}))
