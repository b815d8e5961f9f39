"""The engine's fast paths give exactly what the general path gives: `Variables` (variables
converted once), unrecorded warnings, the filter `[item.key = literal]`, the connector-template
idiom `context(get entries(x)[item.value != null])`, `instance of` a plain type (and `if x instance
of T then ... else x`), operators that
read a plain name themselves, loops whose body reads `partial` by index only and two-operand
`and`/`or`. Each fast path is compared with the same expression written so that the compiler
cannot take it."""

from __future__ import annotations

import json
from decimal import Decimal as D
from enum import Enum
from typing import Any

import pytest

from generator.feel import (
    FeelEvaluationError,
    FeelWarning,
    Variables,
    evaluate,
    from_python,
    to_json,
)


def outcome(text: str, variables: Any = None) -> tuple[Any, list[tuple[str, str]]]:
    warnings: list[FeelWarning] = []
    result = evaluate(text, variables, warnings=warnings)
    return to_json(result), [(warning.failure_type, warning.message) for warning in warnings]


# ---- Variables ---------------------------------------------------------------------------------

def test_variables_are_converted_once_and_read_as_they_are() -> None:
    variables = Variables.from_python({"n": 1, "xs": [1.5, None], "ctx": {"a": (1, 2)}})
    assert variables == {"n": D(1), "xs": [D("1.5"), None], "ctx": {"a": [D(1), D(2)]}}
    assert evaluate("n + xs[1] + ctx.a[2]", variables) == D("4.5")
    variables["m"] = evaluate("n * 10", variables)  # results are FEEL values: they can be added
    assert evaluate("m", variables) == D(10)
    assert variables == {"n": D(1), "xs": [D("1.5"), None], "ctx": {"a": [D(1), D(2)]}, "m": D(10)}


def test_a_str_subclass_becomes_a_plain_string() -> None:
    class Color(str, Enum):  # noqa: UP042 - the case under test is a str subclass that is no StrEnum
        RED = "red"

    assert type(Variables.from_python({"c": Color.RED})["c"]) is str
    assert evaluate('c instance of string and c + "!" = "red!"', {"c": Color.RED}) is True


def test_variables_that_cannot_be_converted_fail_with_the_variable_name() -> None:
    with pytest.raises(FeelEvaluationError) as error:
        Variables.from_python({"when": object()})
    assert error.value.failure_type == "INVALID_VARIABLE"
    assert str(error.value).startswith("variable 'when': cannot use a object as a FEEL value")


def test_unary_tests_read_variables_too() -> None:
    from generator.feel import evaluate_unary_tests

    assert evaluate_unary_tests("< limit", 5, Variables.from_python({"limit": 10})) is True


def test_a_large_variable_passed_again_unchanged_is_converted_once() -> None:
    orders = [{"id": n, "amount": n % 100 + 0.5, "open": n % 2 == 0, "tags": ["a"]} for n in range(1_000)]
    first = evaluate("orders", {"orders": orders})
    assert first == from_python(orders) and evaluate("orders", {"orders": orders}) is first
    assert evaluate("orders", {"orders": list(orders)}) is not first  # another list: converted


@pytest.mark.parametrize("change", [
    lambda data: data.append(1),
    lambda data: data.__setitem__(5, 5.0),  # an equal number of another type
    lambda data: data.__setitem__(1, True),  # an equal value of another type
    lambda data: data[7].__setitem__("n", 1.0),  # inside a context
    lambda data: data[7].update({"m": 0}),  # the same entries...
    lambda data: data.__setitem__(7, {"m": 0, "n": 1}),  # ...in another order
    lambda data: data[8].append(None),
])
def test_a_large_variable_changed_in_place_is_converted_again(change: Any) -> None:
    data: list[Any] = list(range(1_000))
    data[7], data[8] = {"n": 1, "m": 0}, []
    evaluate("data", {"data": data})
    change(data)
    assert json.dumps(to_json(evaluate("data", {"data": data}))) == json.dumps(to_json(from_python(data)))


def test_large_variables_of_other_types_are_converted_every_time() -> None:
    class Name(str):
        pass

    names = [Name("x")] * 1_000
    assert evaluate("names[1] + names[2]", {"names": names}) == "xx"
    with pytest.raises(FeelEvaluationError, match="variable 's': cannot use a set"):
        evaluate("s", {"s": [{1, 2}] * 1_000})


def test_without_a_warnings_list_nothing_is_recorded_and_the_result_is_the_same() -> None:
    text = "{a: missing, b: 1 + \"x\", c: upper case(null)}"
    assert evaluate(text) == evaluate(text, warnings=[]) == {"a": None, "b": None, "c": None}


# ---- filters and the connector-template idiom ---------------------------------------------------

ITEMS = ('[{a: 1}, {a: 1.0}, {a: "1"}, {a: true}, {a: null}, {b: 1}, {item: {a: 1}}, {item: 2}, 5, '
         'null, [1], {a: [1]}, {a: @"P1D"}, {a: "x"}]')


@pytest.mark.parametrize("comparison", [
    "item.a = 1", "item.a != 1", "1 = item.a", "item.a = null", "item.a != null", "null != item.a",
    'item.a = "1"', 'item.a != "x"', "item.a = true", "item.a != false",
])
def test_item_entry_filters_match_the_general_filter(comparison: str) -> None:
    general = f"{ITEMS}[({comparison}) = true]"  # a condition the fast path does not recognise
    assert outcome(f"{ITEMS}[{comparison}]") == outcome(general)


@pytest.mark.parametrize("source", [
    '{a: 1, b: null, c: "x", d: [null], e: {f: null}}', "{}", "{item: null, value: 1, key: 2}",
    "null", "5", '"text"', '[{key: "a", value: 1}]', "{a: missing}", "ctx", "nothing",
])
def test_the_context_idiom_matches_the_three_built_ins(source: str) -> None:
    variables = {"ctx": {"x": None, "y": 2, "z": {"w": None}}}
    fast = f"context(get entries({source})[item.value != null])"
    general = f"context(get entries({source})[(item.value != null) = true])"
    assert outcome(fast, variables) == outcome(general, variables)


def test_the_context_idiom_keeps_order_and_drops_only_nulls() -> None:
    assert outcome('context(get entries({z: 1, a: null, m: false, b: ""})[item.value != null])') == (
        {"z": 1, "m": False, "b": ""}, [])


TYPE_OF = {'"a"': "string", "1": "number", "true": "boolean", "[1]": "list", "{}": "context",
           "null": None, '@"P1D"': "days and time duration", 'date("2024-01-01")': "date"}


@pytest.mark.parametrize("value", list(TYPE_OF))
@pytest.mark.parametrize("type_name", ["string", "number", "boolean", "list", "context"])
def test_instance_of_a_plain_type_is_a_type_check(value: str, type_name: str) -> None:
    assert outcome(f"{value} instance of {type_name}") == (TYPE_OF[value] == type_name, [])
    assert outcome(f"x instance of {type_name}", {"x": evaluate(value)}) == (TYPE_OF[value] == type_name, [])


@pytest.mark.parametrize("value", [*TYPE_OF, "missing"])
@pytest.mark.parametrize("type_name", ["string", "number", "list"])
def test_if_instance_of_else_the_same_name_reads_it_as_the_text_does(value: str, type_name: str) -> None:
    variables = {} if value == "missing" else {"x": evaluate(value)}
    fast = f"if x instance of {type_name} then [x, x] else x"  # a template's number field: `... then number(x) else x`
    general = f"if (x instance of {type_name}) = true then [x, x] else x"
    assert outcome(fast, variables) == outcome(general, variables)
    assert evaluate(fast, variables) == evaluate(general, variables)


# ---- plain names read in place, `partial` by index ------------------------------------------------

NAMED_OPERATIONS = ["x = 1", "x != 1", 'x = "a"', "x < 2", "x >= 2", "x + 1", "x * 2", "x / 0",
                    "x + y", "y - x", "x * y", "xs[1]", "xs[-1]", "x + xs[1]"]
# where the names are found: the root scope, a loop's own, an outer scope seen from a loop, a
# context literal's earlier entries, nowhere
NAME_SCOPES = ["{op}", "for x in [3, \"a\", null, [1]] return {op}", "for z in 1..2 return {op}",
               '{{x: 2, y: "b", xs: [7], r: {op}}}.r', "{{nothing: {op}}}.nothing"]


@pytest.mark.parametrize("operation", NAMED_OPERATIONS)
@pytest.mark.parametrize("scope", NAME_SCOPES)
def test_operators_read_a_plain_name_as_a_variable_does(operation: str, scope: str) -> None:
    general = operation.replace("xs", "[xs][1]").replace("x ", "[x][1] ").replace("y", "[y][1]")
    assert general != operation
    for variables in ({"x": 1, "y": 5, "xs": [1, 2, 3]}, {}):
        assert outcome(scope.format(op=operation), variables) == outcome(
            scope.format(op=general), variables)


@pytest.mark.parametrize("read", ["partial[-1]", "partial[1]", "partial[-2]", "partial[5]"])
def test_partial_read_by_index_matches_partial_read_otherwise(read: str) -> None:
    """`partial[n]` alone cannot hand the results list out, so such a loop skips the checks that
    keep a list handed out unchanged; `[partial][1][n]` hands it out (to the list literal)."""
    body = "if i = 1 then 0 else {read} + i"
    fast = f"for i in 1..6 return {body.format(read=read)}"
    general = f"for i in 1..6 return {body.format(read=read.replace('partial', '[partial][1]'))}"
    assert outcome(fast) == outcome(general)
    if read == "partial[-1]":
        assert outcome(fast) == ([0, 2, 5, 9, 14, 20], [])


def test_partial_indexed_and_handed_out_in_one_body_keeps_what_was_handed_out() -> None:
    assert evaluate("for i in 1..3 return [partial[-1], partial]") == [
        [None, []], [[None, []], [[None, []]]],
        [[[None, []], [[None, []]]], [[None, []], [[None, []], [[None, []]]]]]]
    assert evaluate("for i in 1..4 return if i = 1 then 0 else count(partial) + partial[-1]") == [
        D(0), D(1), D(3), D(6)]


# ---- `a and b`, `a or b` ---------------------------------------------------------------------------

OPERANDS = ["true", "false", "null", "1", '"x"', "missing"]


@pytest.mark.parametrize("left", OPERANDS)
@pytest.mark.parametrize("right", OPERANDS)
def test_two_operand_and_or_match_the_general_fold(left: str, right: str) -> None:
    """`a and b` and `a or b` have their own closure; with a neutral third operand the general
    three-valued fold runs, which must give the same value and the same warnings."""
    assert outcome(f"{left} and {right}") == outcome(f"{left} and {right} and true")
    assert outcome(f"{left} or {right}") == outcome(f"{left} or {right} or false")


def test_filter_conditions_see_each_items_entries_then_item_then_outer_names() -> None:
    items = '[{a: 1, b: 2}, {a: 5}, 3, null, {item: 7, a: 9}, [1], {b: 1}]'
    assert to_json(evaluate(f"{items}[a > 2 and b = null]")) == [{"a": 5}, {"item": 7, "a": 9}]
    assert to_json(evaluate(f"{items}[a > 2 and b = null]", {"b": 0})) == []  # the outer b
    assert to_json(evaluate(f"{items}[a > 2 or item = 3]")) == [{"a": 5}, 3, {"item": 7, "a": 9}]
    assert to_json(evaluate("[1, 2, 3, 4][item > limit and item != 4]", {"limit": 1})) == [2, 3]
