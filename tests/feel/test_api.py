"""The FEEL engine's public API: parse, evaluate, unary tests, host functions, clock, warnings."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from generator.feel import (
    CONNECTOR_FUNCTIONS,
    Expression,
    FeelEvaluationError,
    FeelSyntaxError,
    FeelWarning,
    clear_parse_cache,
    evaluate,
    evaluate_unary_tests,
    parse,
    parse_unary_tests,
    to_json,
)
from generator.feel.builtins import Builtin, Param
from generator.feel.dates import FeelDate, FeelDateTime


def test_parse_returns_an_inspectable_expression() -> None:
    expression = parse('{tool: fromAi(toolCall.city, "the city")}')
    assert isinstance(expression, Expression)
    assert expression.text == '{tool: fromAi(toolCall.city, "the city")}'
    assert expression.unary_tests is False
    assert [call.name for call in expression.function_calls()] == ["fromAi"]
    assert repr(parse_unary_tests("< 3")) == "<FEEL unary tests '< 3'>"


def test_parse_cache_and_clearing() -> None:
    first = parse("a + b")
    assert parse("a + b") is first
    clear_parse_cache()
    assert parse("a + b") is not first


def test_evaluate_text_or_expression_with_leading_equals() -> None:
    assert evaluate('="Bearer " + token', {"token": "abc"}) == "Bearer abc"
    assert evaluate(parse("x * 2"), {"x": 21}) == Decimal(42)
    assert evaluate("  = 1 + 1") == Decimal(2)


def test_variables_are_converted_from_python() -> None:
    result = evaluate("[a, b, c, d]", {"a": 1, "b": 0.1, "c": (1, 2), "d": {"e": [True, None]}})
    assert result == [Decimal(1), Decimal("0.1"), [Decimal(1), Decimal(2)], {"e": [True, None]}]
    assert to_json(evaluate("{n: 10 / 4, m: 4 / 2, d: @\"2024-01-02\"}")) == {
        "n": 2.5, "m": 2, "d": "2024-01-02"}


def test_unusable_variable_is_an_evaluation_error() -> None:
    with pytest.raises(FeelEvaluationError) as error:
        evaluate("x", {"x": {1, 2}})
    assert str(error.value) == "variable 'x': cannot use a set as a FEEL value: {1, 2}"


def test_warnings_are_collected_in_order() -> None:
    warnings: list[FeelWarning] = []
    assert evaluate('missing + 1 = "a"', warnings=warnings) is False
    assert warnings == [
        FeelWarning("NO_VARIABLE_FOUND", "No variable found with name 'missing'"),
        FeelWarning("INVALID_TYPE", "Can't add '1' to 'null'"),
    ]


def test_host_functions_from_python_callables() -> None:
    def greet(name, greeting="Hello"):  # type: ignore[no-untyped-def]
        return f"{greeting}, {name}!"

    def total(*numbers):  # type: ignore[no-untyped-def]
        return sum(numbers)

    functions = {"greet": greet, "total": total}
    assert evaluate('greet("Ada")', functions=functions) == "Hello, Ada!"
    assert evaluate('greet(greeting: "Hi", name: "Bo")', functions=functions) == "Hi, Bo!"
    assert evaluate("total(1, 2, 3.5)", functions=functions) == Decimal("6.5")
    warnings: list[FeelWarning] = []
    assert evaluate('greet("a", "b", "c")', functions=functions, warnings=warnings) is None
    assert warnings == [FeelWarning("NO_FUNCTION_FOUND",
                                    "No function found with name 'greet' and 3 parameters")]


def test_a_failing_host_function_gives_null_and_a_warning() -> None:
    def broken(value):  # type: ignore[no-untyped-def]
        raise KeyError(value)

    warnings: list[FeelWarning] = []
    assert evaluate("broken(1)", functions={"broken": broken}, warnings=warnings) is None
    assert warnings == [FeelWarning("FUNCTION_INVOCATION_FAILURE",
                                    "Failed to invoke function 'broken': KeyError: Decimal('1')")]


def test_host_functions_as_builtins_and_overloads() -> None:
    one = Builtin("pick", (Param("a"),), lambda call, a: "one")
    two = Builtin("pick", (Param("a"), Param("b", optional=True)), lambda call, a, b=None: "two")
    assert evaluate("pick(1)", functions={"pick": (one, two)}) == "one"
    assert evaluate("pick(1, 2)", functions={"pick": (one, two)}) == "two"
    assert evaluate("pick(1)", functions={"pick": two}) == "two"


def test_builtins_come_before_host_functions_of_the_same_name() -> None:
    assert evaluate("count([1, 2])", functions={"count": lambda items: 99}) == Decimal(2)


def test_connector_functions() -> None:
    result = evaluate('if response.status = 429 then bpmnError("RATE", "too many") else null',
                      {"response": {"status": 429}}, functions=CONNECTOR_FUNCTIONS)
    assert to_json(result) == {"errorType": "bpmnError", "errorCode": "RATE", "errorMessage": "too many"}
    warnings: list[FeelWarning] = []
    assert evaluate('bpmnError("RATE")', warnings=warnings) is None
    assert warnings[0].failure_type == "NO_FUNCTION_FOUND"


def test_injected_clock() -> None:
    moment = dt.datetime(2024, 2, 29, 23, 30, tzinfo=dt.UTC)
    assert evaluate("now()", clock=lambda: moment) == FeelDateTime.from_python(moment)
    assert evaluate("today()", clock=lambda: moment) == FeelDate(2024, 2, 29)
    with pytest.raises(FeelEvaluationError) as error:
        evaluate("now()", clock=lambda: dt.datetime(2024, 1, 1))
    assert str(error.value) == "failed to evaluate expression 'now()': the clock must return an aware datetime"


def test_evaluate_unary_tests() -> None:
    assert evaluate_unary_tests("< limit", 5, {"limit": 10}) is True
    assert evaluate_unary_tests(parse_unary_tests('"a", "b"'), "c") is False
    warnings: list[FeelWarning] = []
    assert evaluate_unary_tests("< 10", "x", warnings=warnings) is None
    assert warnings == [FeelWarning("NOT_COMPARABLE", "Can't compare '\"x\"' with '10'")]


def test_errors_are_etk_errors() -> None:
    from generator.errors import EtkError

    with pytest.raises(EtkError):
        evaluate("1 +")
    with pytest.raises(FeelSyntaxError):
        parse_unary_tests("< ")


def test_a_syntax_error_can_be_told_without_the_expression_text() -> None:
    """For callers whose expressions may hold secrets: the position stays, quoted source goes."""
    with pytest.raises(FeelSyntaxError) as error:
        parse('"Bearer " + 5ecret9')
    assert str(error.value) == "1:14: unexpected 'ecret9': expected an operator or the end"
    assert error.value.without_source() == "1:14: unexpected '…': expected an operator or the end"
