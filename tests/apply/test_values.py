"""FEEL casting and JavaScript value rules the Modeler applies to template values."""

from __future__ import annotations

import math

import pytest

from generator.apply.values import (
    default_fixed_value,
    default_value,
    from_feel_expression,
    js_number,
    js_strict_equals,
    js_string,
    js_truthy,
    should_cast_to_feel,
    to_feel_expression,
)


def prop(binding: str, **fields: object) -> dict:
    return {"binding": {"type": binding, "name": "x"}, **fields}


@pytest.mark.parametrize(
    ("property_", "expected"),
    [
        (prop("zeebe:input", type="String", value="hello"), "hello"),
        (prop("zeebe:input", type="String", feel="required", value="a + b"), "=a + b"),
        (prop("zeebe:input", type="String", feel="required", value="=a"), "=a"),
        (prop("zeebe:input", type="String", feel="optional", value="x"), "x"),
        (prop("zeebe:input", type="Boolean", value=True), "=true"),
        (prop("zeebe:input", type="Boolean", value=False), "=false"),
        (prop("zeebe:input", type="Boolean", value="false"), "=false"),
        (prop("zeebe:input", type="Number", value=42), "=42"),
        (prop("zeebe:input", type="Number", value=0.7), "=0.7"),
        (prop("zeebe:output", type="Boolean", feel="optional", value=True), "=true"),
        (prop("zeebe:property", type="Boolean", value=False), False),
        (prop("zeebe:property", type="Number", value=7), 7),
        (prop("zeebe:taskHeader", type="Number", feel="static", value=7), "=7"),
        (prop("zeebe:taskHeader", type="Boolean", value=True), True),
        (prop("zeebe:input", type="Number"), None),
        (prop("zeebe:input", type="Boolean"), "=false"),
    ],
)
def test_default_values_follow_the_modeler_cast(property_: dict, expected: object) -> None:
    assert default_fixed_value(property_) == expected
    assert type(default_fixed_value(property_)) is type(expected)


def test_cast_rules() -> None:
    assert should_cast_to_feel(prop("zeebe:input", type="Number"))  # static by default
    assert not should_cast_to_feel(prop("zeebe:input", type="String"))
    assert not should_cast_to_feel(prop("zeebe:property", type="Number"))
    assert should_cast_to_feel(prop("zeebe:property", type="Number", feel="static"))
    assert should_cast_to_feel(prop("zeebe:property", type="String", feel="required"))


def test_feel_round_trip() -> None:
    assert to_feel_expression(None, "Number") is None
    assert to_feel_expression(None, "Boolean") == "=false"
    assert from_feel_expression("=42", "Number") == 42
    assert from_feel_expression("=true", "Boolean") is True
    assert from_feel_expression("=false", "Boolean") is False
    assert from_feel_expression("=abc", "String") == "abc"
    assert math.isnan(from_feel_expression("=x", "Number"))


def test_generated_uuid_only_without_value() -> None:
    generated = {"binding": {"type": "zeebe:property", "name": "g"}, "type": "Hidden", "generatedValue": {"type": "uuid"}}
    assert default_value(generated, lambda: "fixed-uuid") == "fixed-uuid"
    assert default_value({**generated, "value": "v"}, lambda: "fixed-uuid") == "v"


@pytest.mark.parametrize(
    ("value", "text"),
    [(True, "true"), (False, "false"), (42, "42"), (0.7, "0.7"), (1.0, "1"), (1e21, "1e+21"), (1e-7, "1e-7"),
     (0.000001, "0.000001"), (123456789012345680000.0, "123456789012345680000"), (-2.5, "-2.5"), ("s", "s")],
)
def test_js_string(value: object, text: str) -> None:
    assert js_string(value) == text


def test_js_truthiness_and_equality() -> None:
    assert [js_truthy(v) for v in ("", "0", 0, 0.0, False, None, "false", 1)] == [False, True, False, False, False, False, True, True]
    assert not js_strict_equals("7", 7)
    assert js_strict_equals(7, 7.0)
    assert not js_strict_equals(True, 1)
    assert js_number(" 42 ") == 42 and js_number("") == 0 and math.isnan(js_number("4x"))
