"""Regression tests for the holes hostile input used to find: each expression here once hung the
process or grew without bound (int() of huge numbers, catastrophic regular expressions, lists
that share items, messages quoting huge values, duration arithmetic beyond java.time). Each now
gives a value, a value with a warning, or a LIMIT_EXCEEDED `FeelEvaluationError`."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
from decimal import Decimal as D
from pathlib import Path
from typing import Any

import pytest

from generator.feel import (
    CONNECTOR_FUNCTIONS,
    FeelEvaluationError,
    FeelWarning,
    evaluate,
    evaluation,
    to_json,
)
from generator.feel.builtins import regex, string
from generator.feel.builtins.registry import StandaloneCallContext
from generator.feel.limits import (
    MAX_DESCRIBED_LENGTH,
    MAX_JSON_SIZE,
    MAX_LIST_LENGTH,
    MAX_PATTERN_LENGTH,
    MAX_STEPS,
    MAX_STRING_LENGTH,
    MAX_WARNINGS,
)
from generator.feel.values import int_value

HUGE = "10**999999999"  # 1E+999999999: int() of it would build a billion-digit integer
STEPS_EXCEEDED = (f"the evaluation needs more than {MAX_STEPS} steps (loop iterations, function "
                  "calls and items visited); is a loop or recursion unbounded?")
TOO_LONG = f"a string would be longer than {MAX_STRING_LENGTH} characters"
TOO_MANY_ITEMS = f"a list would have more than {MAX_LIST_LENGTH} items"
JSON_TOO_LARGE = (f"the value is too large for JSON: more than {MAX_JSON_SIZE // 1_000_000} MB "
                  "(list items and context entries count 16 bytes, strings their length, "
                  "shared parts each time)")
# a thousand lists of a thousand lists of a thousand numbers: 3,000 loop steps build it, but
# walking it visits a billion items
SHARED = "{a: for i in 1..1000 return 1, b: for i in 1..1000 return a, c: for i in 1..1000 return b"


def outcome(text: str, variables: dict[str, Any] | None = None) -> tuple[Any, list[tuple[str, str]]]:
    warnings: list[FeelWarning] = []
    result = to_json(evaluate(text, variables or {}, functions=CONNECTOR_FUNCTIONS, warnings=warnings))
    return result, [(warning.failure_type, warning.message) for warning in warnings]


def limit_error(text: str, variables: dict[str, Any] | None = None) -> str:
    with pytest.raises(FeelEvaluationError) as error:
        evaluate(text, variables or {})
    assert error.value.failure_type == "LIMIT_EXCEEDED", str(error.value)
    prefix = f"failed to evaluate expression '{text}': "
    assert str(error.value).startswith(prefix)
    return str(error.value)[len(prefix):]


# ---- huge numbers as positions, lengths, scales and counts ----------------------------------

@pytest.mark.parametrize("number, expected", [
    ("1E+999999999", 0), ("-1E+999999999", 0), ("1E+31", -2147483648), ("4294967297", 1),
    ("-2147483649", 2147483647), ("123456789012345678901234567890.999", 1312754386),
    ("-98765432109876543210.5", 450461974), ("1E-999999999", 0), ("-1.9", -1),
])
def test_int_value_is_javas_int_value_for_any_magnitude(number: str, expected: int) -> None:
    assert int_value(D(number)) == expected


def test_int_value_of_a_hundred_thousand_digits() -> None:
    low = 0
    for _ in range(100_000):  # the low 32 bits of 777...7, digit by digit
        low = (low * 10 + 7) % 2**32
    assert int_value(D("7" * 100_000)) == (low - 2**32 if low >= 2**31 else low)


@pytest.mark.parametrize("text, expected", [
    (f'substring("abc", {HUGE})', ""),  # intValue() is 0, as in Java
    (f'substring("abc", 1, {HUGE})', ""),
    (f"sublist([1, 2, 3], {HUGE})", []),
    (f"sublist([1, 2, 3], 1, {HUGE})", []),
    (f"insert before([1, 2], {HUGE}, 3)", [1, 2, 3]),
    (f"remove([1, 2], {HUGE})", [1, 2]),
    (f"decimal(1.5, {HUGE})", 2),
    (f"time(1, 1, {HUGE})", "01:01:00"),
    (f"time({HUGE}, 1, 1)", "00:01:01"),
    (f'duration("P1D") * {HUGE}', "PT0S"),
    (f"date({HUGE}, 1, 1)", "0000-01-01"),  # as LocalDate.of(year.intValue, ...): the year 0
    (f"string({HUGE})", "1.000000000000000000000000000000000E+999999999"),
    (f'substring("abcdef", {"1" + "0" * 5000 + "1"})', "abcdef"),  # 5,002 digits: intValue 1
    (f'substring("abcdef", {"3" + "0" * 5000})', ""),  # 5,001 digits: intValue 0
])
def test_huge_numbers_as_integer_arguments(text: str, expected: Any) -> None:
    assert outcome(text) == (expected, [])


@pytest.mark.parametrize("text, message", [
    ("date(2147483648, 1, 1)", ("Failed to invoke function 'date': Failed to parse date from: "
                                "year=2147483648, month=1, day=1")),  # intValue -2^31: no year
    (f"floor({HUGE})", "Failed to invoke function 'floor': the result would have more than 12288 digits"),
    (f"decimal({HUGE}, 2)",
     "Failed to invoke function 'decimal': the result would have more than 12288 digits"),
    (f"round half up(1.5, {HUGE})", None),
    (f"partition([1, 2], {HUGE})", ("Failed to invoke function 'partition': partition size must be "
                                   "positive, but was 1.000000000000000000000000000000000E+999999999")),
    (f"backoff({HUGE})", "Failed to invoke function 'backoff': backoff(): 'attempt' must be >= 1, but was 0"),
])
def test_huge_numbers_that_fail_the_invocation(text: str, message: str | None) -> None:
    result, warnings = outcome(text)
    if message is None:  # round half up(1.5, 0) is simply 2
        assert (result, warnings) == (2, [])
    else:
        assert (result, warnings) == (None, [("FUNCTION_INVOCATION_FAILURE", message)])


def test_numbers_beyond_a_double_are_written_as_jackson_writes_them() -> None:
    assert outcome(HUGE) == ("Infinity", [])
    assert outcome(f"-{HUGE}") == ("-Infinity", [])
    assert outcome(f"[{HUGE}, 1.5, 2]") == (["Infinity", 1.5, 2], [])
    assert json.dumps(to_json(evaluate(f"{{a: {HUGE}}}")), allow_nan=False) == '{"a": "Infinity"}'
    assert outcome(f"to json({HUGE})") == ("1.000000000000000000000000000000000E+999999999", [])


# ---- durations stay within java.time's ranges ------------------------------------------------

def test_durations_beyond_java_time_fail_like_java() -> None:
    assert outcome('duration("P999999999999999999999999999D")') == (None, [(
        "FUNCTION_INVOCATION_FAILURE", ("Failed to invoke function 'duration': Failed to parse duration "
        "from 'P999999999999999999999999999D'"))])
    assert outcome('@"P' + "9" * 5000 + 'D"') == (None, [])  # an invalid temporal literal is null
    assert outcome('duration("PT1S") * 2147483647 * 2147483647') == ("PT1281023892814561H16M49S", [])
    assert outcome('duration("PT1S") * 2147483647 * 2147483647 * 2147483647') == (None, [(
        "INVALID_TYPE", "The result of 'P53375995533940DT1H16M49S' * '2147483647' is out of range")])
    assert outcome('duration("P1Y") * 2147483647') == ("P2147483647Y", [])
    assert outcome('duration("P2Y") * 2147483647') == (None, [(
        "INVALID_TYPE", "The result of 'P2Y' * '2147483647' is out of range")])


def test_last_day_of_the_last_supported_month() -> None:
    assert outcome("last day of month(date(9999, 12, 1))") == ("9999-12-31", [])


# ---- regular expressions ---------------------------------------------------------------------

REGEX_TIMED_OUT = ("regular expressions took more than 1 s in this evaluation (a pattern that "
                   "backtracks catastrophically, such as '(a|aa)+$'?)")


@pytest.mark.parametrize("call", [
    'matches("{a}!", "(a|aa)+$")', 'replace("{a}!", "(a|a)+$", "x")', 'split("{a}!", "(a|aa)+$")',
    'extract("{a}!", "(a|aa)+$")', 'matches("{a}!", "(a|aa)+$", "i")',
])
def test_catastrophic_backtracking_fails_the_evaluation(call: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(evaluation, "REGEX_SECONDS", 0.05)  # the budget; the message names the default
    assert limit_error(call.replace("{a}", "a" * 60)) == REGEX_TIMED_OUT


def exact_regex_clock(monkeypatch: pytest.MonkeyPatch, budget: float, calls: int) -> None:
    """A budget of `budget` seconds, and a clock on which every regex call takes exactly
    `budget / calls` of it (two readings per call: powers of two keep the sums exact). The
    budget is large, so the real timeout each call hands to `regex` never runs out."""
    monkeypatch.setattr(evaluation, "REGEX_SECONDS", budget)
    readings = itertools.count()
    monkeypatch.setattr(regex, "budget_clock", lambda: next(readings) * budget / calls)


def test_the_regex_budget_is_shared_by_all_calls_of_an_evaluation(monkeypatch: pytest.MonkeyPatch) -> None:
    exact_regex_clock(monkeypatch, budget=2.0**20, calls=256)
    cheap = 'for i in 1..{n} return matches("ab", "^a")'
    assert outcome(cheap.format(n=256)) == ([True] * 256, [])
    assert limit_error(cheap.format(n=257)) == REGEX_TIMED_OUT  # the 257th call finds it spent
    assert outcome(cheap.format(n=256)) == ([True] * 256, [])  # the next evaluation: a new budget


def test_a_call_context_keeps_what_is_left_of_its_regex_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    exact_regex_clock(monkeypatch, budget=2.0**20, calls=4)
    call = StandaloneCallContext()
    call.regex_seconds = 2.0**20
    assert string.matches(call, "abc", "b") is True
    assert call.regex_seconds == 2.0**20 * 3 / 4
    call.regex_seconds = 0
    with pytest.raises(FeelEvaluationError, match="regular expressions took more than 1 s"):
        string.matches(call, "abc", "b")


def test_the_old_exponential_example_is_linear_for_the_regex_module() -> None:
    assert outcome('matches("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!", "(a+)+$")') == (False, [])


def test_patterns_that_would_expand_beyond_the_limit_fail() -> None:
    expanded = (f"a regular expression would expand to more than {MAX_PATTERN_LENGTH} characters "
                "(its repetition counts multiply)")
    assert limit_error('matches("a", "a{2147483647}")') == expanded
    assert limit_error('matches("a", "(?:[ab]{1000}){1000}")') == expanded
    assert outcome('matches("a", "a{0,2147483647}")') == (True, [])  # only minimum counts expand
    assert outcome('matches("aaa", "^(?:a{10}){10}$")') == (False, [])


def test_patterns_longer_than_the_limit_fail(monkeypatch: pytest.MonkeyPatch) -> None:
    pattern = "a" * (MAX_PATTERN_LENGTH + 1)
    assert limit_error("matches(x, p)", {"x": "a", "p": pattern}) == (
        f"a regular expression is longer than {MAX_PATTERN_LENGTH} characters")


def test_replacement_output_is_checked_while_it_grows() -> None:
    assert limit_error('replace(x, "", y)', {"x": "a" * 10_000, "y": "b" * 10_000}) == TOO_LONG


def test_split_and_extract_stop_at_the_list_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(evaluation, "REGEX_SECONDS", 600.0)  # a million matches take about 1 s
    assert limit_error('split(x, "")', {"x": "a" * (MAX_LIST_LENGTH + 5)}) == TOO_MANY_ITEMS
    assert limit_error('extract(x, "")', {"x": "a" * (MAX_LIST_LENGTH + 5)}) == TOO_MANY_ITEMS


# ---- sizes checked before building -----------------------------------------------------------

@pytest.mark.parametrize("text, variables, message", [
    ("string join(for i in 1..1000 return x)", {"x": "y" * 20_000}, TOO_LONG),
    ('string join(xs, x)', {"xs": ["a"] * 1000, "x": "y" * 20_000}, TOO_LONG),
    ("concatenate(xs, xs)", {"xs": [0] * (MAX_LIST_LENGTH // 2 + 1)}, TOO_MANY_ITEMS),
    ("append(xs, 1, 2)", {"xs": [0] * MAX_LIST_LENGTH}, TOO_MANY_ITEMS),
    ("union(xs, xs)", {"xs": [0] * (MAX_LIST_LENGTH // 2 + 1)}, TOO_MANY_ITEMS),
    ("for i in 1..1000 return x + x", {"x": "y" * 100_000}, STEPS_EXCEEDED),
])
def test_oversized_results_fail_before_they_are_built(text: str, variables: dict, message: str) -> None:
    assert limit_error(text, variables) == message


# ---- lists that share their items ------------------------------------------------------------

@pytest.mark.parametrize("expression, message", [
    ("flatten(c)", TOO_MANY_ITEMS),
    ("string(c)", STEPS_EXCEEDED),
    ("to json(c)", STEPS_EXCEEDED),
    ("c = c", STEPS_EXCEEDED),
    ("count(c.x)", STEPS_EXCEEDED),
    ("c instance of list<list<list<number>>>", STEPS_EXCEEDED),
    ("distinct values(c)", STEPS_EXCEEDED),
    ("index of(c, c[1])", STEPS_EXCEEDED),
    ("c[item = b]", STEPS_EXCEEDED),
    ("string join(for x in c return string(x))", STEPS_EXCEEDED),
])
def test_walking_a_billion_shared_items_fails(expression: str, message: str) -> None:
    text = f"{SHARED}, d: {expression}}}.d"
    assert limit_error(text) == message


def test_to_json_of_a_value_with_too_many_shared_items_fails() -> None:
    shared = evaluate(f"{SHARED}}}.c")  # three thousand lists, a billion items when expanded
    with pytest.raises(FeelEvaluationError) as error:
        to_json(shared)
    assert (error.value.failure_type, str(error.value)) == ("LIMIT_EXCEEDED", JSON_TOO_LARGE)


def test_distinct_and_duplicate_values_keep_feel_equality_and_order() -> None:
    items = ('[1, 1.0, "1", true, [1], [1], {a: 1}, {a: 1}, date("2020-01-01"), '
             'date and time("2020-01-01T00:00:00"), null, null, @"P1D", @"PT24H", true, "1"]')
    assert outcome(f"distinct values({items})") == (
        [1, "1", True, [1], {"a": 1}, "2020-01-01", "2020-01-01T00:00:00", None, "PT24H"], [])
    assert outcome(f"duplicate values({items})") == ([1, "1", True, [1], {"a": 1}, None, "PT24H"], [])
    assert outcome("union([1, 2], [2.0, 3], [[1], [1]])") == ([1, 2, 3, [1]], [])
    # numbers, strings and temporal values are found by hashing: linear in the list
    assert outcome("count(distinct values(for i in 1..200000 return i))") == (200_000, [])


# ---- warnings and messages stay small ----------------------------------------------------------

def test_at_most_max_warnings_are_kept() -> None:
    result, warnings = outcome("for i in 1..5000 return missing")
    assert result == [None] * 5000
    assert len(warnings) == MAX_WARNINGS + 1
    assert warnings[0] == ("NO_VARIABLE_FOUND", "No variable found with name 'missing'")
    assert warnings[-1] == ("LIMIT_EXCEEDED", (f"{5000 - MAX_WARNINGS} more warnings were not recorded "
                                              f"(at most {MAX_WARNINGS} are kept)"))


@pytest.mark.parametrize("text", [
    "substring(x, 99999999)", 'x + 1', "date(x)", "number(x)", "from json(x)", "upper case(xs)",
    'matches("a", p)', "decimal(1, 1, x)", "ctx.missing",
])
def test_messages_quote_at_most_a_thousand_characters_of_a_value(text: str) -> None:
    variables = {"x": "x" * 1_000_000, "xs": ["x" * 1000] * 1000, "p": "x" * 50_000 + "(",
                 "ctx": {f"key{i}": i for i in range(100_000)}}
    warnings: list[FeelWarning] = []
    evaluate(text, variables, warnings=warnings)
    assert len(warnings) == 1
    assert len(warnings[0].message) < MAX_DESCRIBED_LENGTH + 200


# ---- results that share their parts ----------------------------------------------------------

# a 100,000-character string doubled 15 times by sharing: 65,535 lists, 3.3 GB as JSON text
DOUBLED = ("{s: string join(for i in 1..1000 return \"" + "x" * 100 + "\"), "
           + ", ".join(f"a{i}: [{'s' if i == 1 else f'a{i - 1}'}, {'s' if i == 1 else f'a{i - 1}'}]"
                       for i in range(1, 16)) + "}.a15")


def test_a_result_that_doubles_a_shared_value_fails_before_it_is_serialised() -> None:
    shared = evaluate(DOUBLED)  # cheap: every level holds the level below twice
    with pytest.raises(FeelEvaluationError) as error:
        to_json(shared)
    assert (error.value.failure_type, str(error.value)) == ("LIMIT_EXCEEDED", JSON_TOO_LARGE)


_PEAK_RSS = """
import json, resource, subprocess, sys
run = subprocess.run([sys.executable, "-m", "generator", "feel", "--", sys.argv[1]],
                     capture_output=True, text=True)
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB, of the one child
print(json.dumps({"code": run.returncode, "stderr": run.stderr, "peak_mb": peak // 1024}))
"""


def test_etk_feel_fails_cleanly_in_bounded_memory_on_the_doubling_expression() -> None:
    """`etk feel` evaluates and serialises like result expressions in `etk run` do: the doubled
    value must fail with the limit's message, exit 2, and stay far below 300 MB (peak RSS of
    the process, measured by its parent)."""
    measured = subprocess.run([sys.executable, "-c", _PEAK_RSS, DOUBLED], capture_output=True,
                              text=True, check=True, cwd=Path(__file__).resolve().parents[2])
    result = json.loads(measured.stdout)
    assert result["code"] == 2, result
    assert JSON_TOO_LARGE in result["stderr"]
    assert "Traceback" not in result["stderr"]
    assert result["peak_mb"] < 300, result


def test_a_value_nested_deeper_than_python_recurses_fails_in_to_json() -> None:
    deep = evaluate("(for i in 1..1500 return [if i = 1 then 0 else partial[-1]])[-1]")
    with pytest.raises(FeelEvaluationError, match="the value is nested too deeply for JSON"):
        to_json(deep)


@pytest.mark.parametrize("text", ["[][0.5]", "[][-0.5]", "[1, 2][0.5]", "[1, 2][0]", "[1][10 ** 40]"])
def test_fractional_and_huge_indexes_are_null_not_internal_errors(text: str) -> None:
    """feel-scala's `filterList` cuts the index to an int (`index.toInt`): `[][0.5]` looks at
    position 0 and is null (it raised an internal IndexError)."""
    assert outcome(text) == (None, [])


def test_fractional_indexes_are_cut_toward_zero() -> None:
    assert outcome("[1, 2, 3][2.9]") == (2, [])
    assert outcome("[1, 2, 3][-1.5]") == (3, [])
