"""FEEL evaluation semantics (feel-scala's): exact values, exact warnings, limits."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from generator.feel import (
    FeelEvaluationError,
    FeelWarning,
    evaluate,
    evaluate_unary_tests,
    values,
)
from generator.feel.dates import FeelDate
from generator.feel.limits import (
    MAX_CALL_DEPTH,
    MAX_LIST_LENGTH,
    MAX_STEPS,
    MAX_STRING_LENGTH,
)

D = Decimal


def run(text: str, **variables: Any) -> tuple[Any, list[str]]:
    """(value, warning types) of an evaluation."""
    warnings: list[FeelWarning] = []
    return evaluate(text, variables, warnings=warnings), [w.failure_type for w in warnings]


def value(text: str, **variables: Any) -> Any:
    return evaluate(text, variables)


def same(actual: Any, expected: Any) -> bool:
    """Equal and of the same type, recursively (Decimal 1 is not True)."""
    if type(actual) is not type(expected):
        return False
    if isinstance(expected, list):
        return len(actual) == len(expected) and all(map(same, actual, expected))
    if isinstance(expected, dict):
        return list(actual) == list(expected) and all(same(actual[k], expected[k]) for k in expected)
    return actual == expected


@pytest.mark.parametrize("text, expected", [
    ("1 + 2 * 3", D(7)), ("10 / 4", D("2.5")), ("1 / 3", D("0.3333333333333333333333333333333333")),
    ("0.1 + 0.2 = 0.3", True), ("2 ** 10", D(1024)), ("2 ** -1", D("0.5")), ("-(3)", D(-3)),
    ("7 - 10", D(-3)), ("1.10 * 2", D("2.20")), ('"a" + "b"', "ab"),
    ("99999999999999999999999999999999999 + 1", D("1.000000000000000000000000000000000E+35")),
])
def test_arithmetic(text: str, expected: Any) -> None:
    assert same(value(text), expected)


@pytest.mark.parametrize("text, warning", [
    ("null + 1", "Can't add '1' to 'null'"),
    ('"a" + 1', "Can't add '1' to '\"a\"'"),
    ("1 / 0", "Can't divide '1' by '0'"),
    ("true * 2", "Can't multiply 'true' by '2'"),
    ('-"a"', "Expected number but found '\"a\"'"),
])
def test_arithmetic_type_errors_give_null_and_a_warning(text: str, warning: str) -> None:
    warnings: list[FeelWarning] = []
    assert evaluate(text, warnings=warnings) is None
    assert warnings == [FeelWarning("INVALID_TYPE", warning)]


@pytest.mark.parametrize("text, expected", [
    ("1 = 1.0", True), ("null = null", True), ("1 = null", False), ("x = null", True),
    ('"a" < "b"', True), ("[1, 2] = [1, 2]", True), ("{a: 1} = {a: 1}", True),
    ("{a: 1} != {a: 2}", True), ("1 < null", None), ('1 = "a"', None), ("1 != \"a\"", None),
    ("3 between 1 and 3", True), ("0 between 1 and 3", False), ('"b" between "a" and "c"', True),
    ("x between 1 and 2", None), ("5 between null and 3", False),
])
def test_comparisons(text: str, expected: Any) -> None:
    assert value(text) is expected


def test_not_comparable_warning() -> None:
    warnings: list[FeelWarning] = []
    assert evaluate('1 < "a"', warnings=warnings) is None
    assert warnings == [FeelWarning("NOT_COMPARABLE", "Can't compare '1' with '\"a\"'")]


@pytest.mark.parametrize("a", [True, False, None])
@pytest.mark.parametrize("b", [True, False, None])
def test_three_valued_logic(a: Any, b: Any) -> None:
    expected_and = False if False in (a, b) else (None if None in (a, b) else True)
    expected_or = True if True in (a, b) else (None if None in (a, b) else False)
    assert value("a and b", a=a, b=b) is expected_and
    assert value("a or b", a=a, b=b) is expected_or


def test_logic_with_non_booleans() -> None:
    assert run("true and 2") == (None, ["INVALID_TYPE"])
    assert value("false and 2") is False
    assert value("2 or true") is True
    assert value("false or 2") is None
    assert value("true and false or true and true") is True


def test_if_takes_the_else_branch_for_non_booleans() -> None:
    assert run("if null then 1 else 2") == (D(2), ["INVALID_TYPE"])
    assert run('if "yes" then 1 else 2') == (D(2), ["INVALID_TYPE"])
    assert value("if x > 5 then \"big\" else \"small\"", x=7) == "big"


def test_missing_variables_and_paths() -> None:
    warnings: list[FeelWarning] = []
    assert evaluate("a.b.c", warnings=warnings) is None
    assert warnings == [FeelWarning("NO_VARIABLE_FOUND", "No variable found with name 'a'")]
    warnings.clear()
    assert evaluate("{x: 1}.y", warnings=warnings) is None
    assert warnings == [FeelWarning("NO_CONTEXT_ENTRY_FOUND",
                                    "No context entry found with key 'y'. Available keys: 'x'")]
    assert run("a.b", a=None) == (None, ["NO_CONTEXT_ENTRY_FOUND"])
    assert same(value("[{a: 1}, {b: 2}].a"), [D(1), None])
    assert value('date("2024-03-01").year') == D(2024)
    assert run("(1).year")[0] is None


def test_path_on_a_response() -> None:
    response = {"status": 200, "body": {"choices": [{"message": {"content": "hi"}}]},
                "headers": {"content-type": "application/json"}}
    assert value("response.body.choices[1].message.content", response=response) == "hi"
    assert value("response.headers.`content-type`", response=response) == "application/json"
    assert value("response.body.choices.message.content", response=response) == ["hi"]


@pytest.mark.parametrize("text, expected", [
    ("[1, 2, 3][1]", D(1)), ("[1, 2, 3][-1]", D(3)), ("[1, 2, 3][4]", None), ("[1, 2, 3][0]", None),
    ("[1, 2, 3][-4]", None), ("[1, 2, 3][i]", D(2)), ("[1, 2, 3, 4][item > 2]", [D(3), D(4)]),
    ("[1, 2, 3][item > 5]", []), ("[{a: 1}, {a: 2}][a > 1]", [{"a": D(2)}]),
    ("[{a: 1}, {a: 2}][item.a > 1]", [{"a": D(2)}]),
    ("[{item: 1}, {item: 2}][item >= 2]", [{"item": D(2)}]),
    ("[1, null, 3][item = null]", [None]), ("[][item > 1]", []),
    ("[{x: 1, y: 2}, {x: 3}][y > 1]", [{"x": D(1), "y": D(2)}]),
    ("[1, 2, 3, 4][even(item)]", [D(2), D(4)]), ("[[1], [2]][1][1]", D(1)),
    ("[1, 2, 3][i > 0]", [D(1), D(2), D(3)]),
])
def test_filters(text: str, expected: Any) -> None:
    assert same(value(text, i=2), expected)


def test_filter_on_a_non_list_is_null() -> None:
    assert run("x[1]", x=5) == (None, ["INVALID_TYPE"])
    assert run("x[item > 1]") == (None, ["NO_VARIABLE_FOUND", "INVALID_TYPE"])


@pytest.mark.parametrize("text, expected", [
    ("for x in [1, 2, 3] return x * 2", [D(2), D(4), D(6)]),
    ("for i in 1..3 return i", [D(1), D(2), D(3)]),
    ("for i in 3..1 return i", [D(3), D(2), D(1)]),
    ("for i in 2..2 return i", [D(2)]),
    ("for x in [1, 2], y in [10, 20] return x + y", [D(11), D(21), D(12), D(22)]),
    ("for i in 1..5 return if i <= 2 then 1 else partial[-1] + partial[-2]",
     [D(1), D(1), D(2), D(3), D(5)]),
    ("for i in 1..3 return partial", [[], [[]], [[], [[]]]]),
    ("for i in 1..3 return count(partial) + i", [D(1), D(3), D(5)]),
    ("for x in [] return x", []),
    ("some x in [1, 2, 3] satisfies x > 2", True), ("some x in [] satisfies x > 2", False),
    ("every x in [1, 2, 3] satisfies x > 0", True), ("every x in [] satisfies false", True),
    ("some x in [1, null] satisfies x > 1", None), ("every x in [2, null] satisfies x > 1", None),
    ("every x in [0, null] satisfies x > 1", False),
    ("some x in [1, 2], y in [2, 3] satisfies x > y", False),
    ("every x in 1..3 satisfies x < 4", True),
])
def test_iteration(text: str, expected: Any) -> None:
    assert same(value(text), expected)


@pytest.mark.parametrize("text, expected", [
    # each function keeps the scope of the iteration (or item) it was made in, though loops and
    # filters reuse one scope for all iterations while nothing keeps it
    ("for f in (for i in 1..3 return function() i) return f()", [D(1), D(2), D(3)]),
    ("for f in (for x in [1, 2], y in [10, 20] return function() x + y) return f()",
     [D(11), D(21), D(12), D(22)]),
    ("for f in (for i in 1..3 return function() count(partial) + i) return f()",
     [D(1), D(3), D(5)]),
    ("for c in (for i in 1..2 return {n: i, f: function() n}) return c.f()", [D(1), D(2)]),
    ("[{a: 1}, {a: 2}, {a: 3}][(function() a)() >= 2].a", [D(2), D(3)]),
    ("[1, 2, 3][{f: function(x) x + item}.f(1) > 2]", [D(2), D(3)]),
])
def test_functions_keep_the_scope_of_their_iteration(text: str, expected: Any) -> None:
    assert same(value(text), expected)


def test_iteration_over_a_non_list_is_null() -> None:
    assert run("for x in 5 return x") == (None, ["INVALID_TYPE"])
    assert run("some x in null satisfies true") == (None, ["INVALID_TYPE"])
    assert run('for i in 1.."3" return i') == (None, ["INVALID_TYPE"])


def test_contexts() -> None:
    assert same(value("{a: 1, b: a + 1, c: {d: b * 2}}"),
                {"a": D(1), "b": D(2), "c": {"d": D(4)}})
    assert same(value("{a: 1, b: a + 1}", a=10), {"a": D(1), "b": D(2)})
    assert same(value("{a: x}", x=3), {"a": D(3)})
    assert same(value('{"Content-Type": "json", Authorization: "Bearer " + t}', t="x"),
                {"Content-Type": "json", "Authorization": "Bearer x"})


def test_functions_closures_and_recursion() -> None:
    assert value("{f: function(x) x * 2, r: f(3)}.r") == D(6)
    assert value("{f: function(a, b) a - b, r: f(b: 1, a: 5)}.r") == D(4)
    assert value("{f: function(a, b) b, r: f(a: 1)}.r") is None
    assert value("{make: function(n) function(x) x + n, add2: make(2), r: add2(3)}.r") == D(5)
    assert value("{fac: function(n) if n <= 1 then 1 else n * fac(n - 1), r: fac(10)}.r") == D(3628800)
    assert value("{g: {h: function(x) x + 1}, r: g.h(1)}.r") == D(2)
    assert same(value("sort([3, 1, 2], function(x, y) x > y)"), [D(3), D(2), D(1)])
    assert value("(function(a) a + 1) instance of function") is True


def test_function_not_found() -> None:
    warnings: list[FeelWarning] = []
    assert evaluate("f(1)", warnings=warnings) is None
    assert warnings == [FeelWarning("NO_FUNCTION_FOUND", "No function found with name 'f' and 1 parameters")]
    assert run("{f: function(a) a, r: f(1, 2)}.r") == (None, ["NO_FUNCTION_FOUND"])
    assert run("string length(1, 2)") == (None, ["NO_FUNCTION_FOUND"])
    assert run("{f: function(a) a, r: f(b: 1)}.r") == (None, ["NO_FUNCTION_FOUND"])
    assert run("x.f(1)", x=3) == (None, ["INVALID_TYPE"])


def test_builtins_positional_named_and_variadic() -> None:
    assert value('substring(string: "foobar", start position: 3)') == "obar"
    assert value("max(1, 5, 3)") == D(5)
    assert value("max([1, 5, 3])") == D(5)
    assert value('string join(["a", "b"], ", ")') == "a, b"
    assert value("get or else(null, 1)") == D(1)
    assert run("upper case(5)") == (None, ["FUNCTION_INVOCATION_FAILURE"])


@pytest.mark.parametrize("text, expected", [
    ("5 in [1..10]", True), ("5 in (1..5)", False), ("5 in ]1..5]", True), ("5 in [1..5[", False),
    ('"b" in ["a", "b"]', True), ("3 in [1, 2]", False), ("5 in (< 3, >= 5)", True),
    ("x in (2, 4, 6)", True), ("5 in > 3", True), ("5 in ? < 10", True), ("null in < 2", None),
    ("[1, 2] in [[1, 2]]", True), ('5 in "a"', None), ("@\"2024-01-02\" in [@\"2024-01-01\"..@\"2024-12-31\"]", True),
])
def test_in(text: str, expected: Any) -> None:
    assert value(text, x=4) is expected


@pytest.mark.parametrize("text, expected", [
    ("5 instance of number", True), ('"a" instance of string', True), ("null instance of Any", False),
    ("1 instance of Any", True), ('@"2024-01-01" instance of date', True),
    ('@"2024-01-01T10:00:00" instance of date and time', True), ('@"PT1H" instance of days and time duration', True),
    ("[1, 2] instance of list<number>", True), ('[1, "a"] instance of list<number>', False),
    ("{a: 1} instance of context<a: number>", True), ("{b: 1} instance of context<a: number>", False),
    ("(function(a) a) instance of function<Any> -> Any", True),
    ("(function(a, b) a) instance of function<Any> -> Any", False),
    ("1 instance of list<number>", False), ("[1] instance of list", True), ("1 instance of unknown", False),
])
def test_instance_of(text: str, expected: bool) -> None:
    assert value(text) is expected


def test_temporal_literals_and_arithmetic() -> None:
    assert value('@"2024-01-02"') == FeelDate(2024, 1, 2)
    assert value('@"2024-13-45"') is None
    assert values.to_string(value('date("2024-03-01") - @"2024-02-01"')) == "P29D"
    assert value('@"2024-01-31" + @"P1M"') == FeelDate(2024, 2, 29)


def test_ranges_as_arguments() -> None:
    assert value("before(1, [2..10])") is True
    assert value("includes([1..10], 5)") is True
    assert run('before(1, [2.."a"])') == (None, ["INVALID_TYPE", "FUNCTION_INVOCATION_FAILURE"])


# ---- unary tests ------------------------------------------------------------------------------

@pytest.mark.parametrize("tests, input_value, expected", [
    ("< 10", 5, True), ("< 10", 15, False), ("< 10", None, None), ("[1..10]", 10, True),
    ("(1..10)", 10, False), ('"a", "b"', "b", True), ('"a", "b"', "c", False), ("-", "anything", True),
    ("not(1, 2)", 3, True), ("not(1, 2)", 2, False), ("not(< 3)", None, None), ("? > x", 5, True),
    ("x", 3, True), ("[1, 2]", [1, 2], True), ("[1, 2]", 2, True), ("null", None, True),
    ("true", True, True), ("true", False, False), ("every i in ? satisfies i > 0", [1, 2], True),
    ('starts with(?, "f")', "foo", True), ("abs(?) < 3", -2, True), ('@"2024-08-19"', 5, None),
    ("not_existing", None, True), ("x + 1", 4, True), ("even(4)", 3, True),
])
def test_unary_tests(tests: str, input_value: Any, expected: Any) -> None:
    assert evaluate_unary_tests(tests, input_value, {"x": 3}) is expected


def test_question_mark_outside_unary_tests_fails() -> None:
    with pytest.raises(FeelEvaluationError) as error:
        evaluate("? < 10")
    assert str(error.value) == ("failed to evaluate expression '? < 10': No input value available. "
                                "'?' can only be used inside an unary-test expression.")
    assert error.value.failure_type == "FATAL"


def test_assert_fails_the_evaluation() -> None:
    assert value("assert(x, x > 0)", x=4) == D(4)
    with pytest.raises(FeelEvaluationError) as error:
        evaluate("assert(x, x > 5)", {"x": 4})
    assert str(error.value) == ("failed to evaluate expression 'assert(x, x > 5)': "
                                "The condition is not fulfilled")
    assert error.value.failure_type == "ASSERT_FAILURE"


# ---- limits -----------------------------------------------------------------------------------

def _limit_error(text: str) -> str:
    with pytest.raises(FeelEvaluationError) as error:
        evaluate(text)
    assert error.value.failure_type == "LIMIT_EXCEEDED"
    prefix = f"failed to evaluate expression '{text}': "
    assert str(error.value).startswith(prefix)
    return str(error.value)[len(prefix):]


def test_huge_ranges_fail_at_once() -> None:
    assert _limit_error("for i in 1..1000000000 return i") == (
        f"the range 1..1000000000 has more than the {MAX_LIST_LENGTH} items one evaluation may iterate")
    assert _limit_error("for x in 1..2000, y in 1..2000 return 1") == (
        f"the iteration has more than {MAX_LIST_LENGTH} combinations")


def test_unbounded_recursion_fails() -> None:
    assert _limit_error("{f: function(n) f(n + 1), r: f(1)}") == (
        f"functions call each other more than {MAX_CALL_DEPTH} levels deep (unbounded recursion?)")
    assert _limit_error("{fib: function(n) if n < 2 then n else fib(n - 1) + fib(n - 2), r: fib(40)}") == (
        f"the evaluation needs more than {MAX_STEPS} steps (loop iterations, function calls and items "
        "visited); is a loop or recursion unbounded?")


def test_string_doubling_fails() -> None:
    assert _limit_error('{f: function(s, n) if n = 0 then s else f(s + s, n - 1), r: f("ab", 40)}') == (
        f"a string would be longer than {MAX_STRING_LENGTH} characters")


def test_deeply_nested_values_fail_cleanly() -> None:
    deep: list = []
    for _ in range(10_000):
        deep = [deep]
    with pytest.raises(FeelEvaluationError) as error:
        evaluate("x", {"x": deep})
    assert str(error.value) == "variable 'x': the value is nested too deeply"


def test_huge_numbers_stay_fast() -> None:
    assert value("[1, 2, 3][10 ** 999999999]") is None
    assert value("for x in 10 ** 999999999 .. 10 ** 999999999 return 1") == [D(1)]
