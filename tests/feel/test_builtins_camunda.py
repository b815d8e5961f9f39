"""Camunda's JSON conversion built-ins: `from json` and `to json`."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from generator.feel import values
from generator.feel.builtins import camunda
from generator.feel.builtins.registry import StandaloneCallContext
from generator.feel.errors import SuppressedFailure
from generator.feel.temporal import parse_literal

CALL = StandaloneCallContext()


class Adder(values.FeelFunction):
    params = ("a", "b")

    def invoke(self, call_context, args):
        return values.add(*args)


@pytest.mark.parametrize("text, expected", [
    ("null", None), ('"a"', "a"), ('"2023-06-14"', "2023-06-14"), ("false", False), ("42", D(42)),
    ("1.50", D("1.50")), ('{"a": [1, {"b": null}], "c": "x"}', {"a": [D(1), {"b": None}], "c": "x"}),
    ("[]", []), ('"\\u00e4"', "ä"),
])
def test_from_json(text, expected):
    result = camunda.from_json(CALL, text)
    assert result == expected and type(result) is type(expected)


@pytest.mark.parametrize("text", ["invalid", "NaN", "{'a': 1}", "[1,", ""])
def test_from_json_rejects_invalid_text(text):
    with pytest.raises(SuppressedFailure, match="^Failed to invoke function 'from json': failed to parse JSON"):
        camunda.from_json(CALL, text)


@pytest.mark.parametrize("value, expected", [
    (D(42), "42"), (D("1.50"), "1.50"), (True, "true"), (None, "null"), ("a\"b\n", '"a\\"b\\n"'),
    (["a", "b", "c"], '["a","b","c"]'), ([[D(1), D(2)], D(3)], "[[1,2],3]"),
    ({"a": D(1), "ä": [None, "ü"]}, '{"a":1,"ä":[null,"ü"]}'),
    (parse_literal("2023-06-14"), '"2023-06-14"'), (parse_literal("14:55:00"), '"14:55:00"'),
    (parse_literal("14:55:00+02:00"), '"14:55:00+02:00"'), (parse_literal("PT2H30M"), '"PT2H30M"'),
    (parse_literal("P1D"), '"PT24H"'), (parse_literal("P1Y2M"), '"P1Y2M"'),
    (parse_literal("2023-06-14T14:55:00"), '"2023-06-14T14:55:00"'),
    (parse_literal("2023-06-14T14:55:00@Europe/Berlin"), '"2023-06-14T14:55:00+02:00[Europe/Berlin]"'),
    (values.Range(D(1), D(10), False, True), '"(1..10]"'), (Adder(), '"function(a, b)"'),
])
def test_to_json(value, expected):
    assert camunda.to_json(CALL, value) == expected
