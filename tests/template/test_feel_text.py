"""FEEL snippets the renderer builds, checked as text and by evaluating them with etk's FEEL engine."""

from __future__ import annotations

import pytest

from generator import feel
from generator.definition.model import Choice, Field
from generator.problems import Location
from generator.template import feel_text

HERE = Location("t.yaml", 1, 1)


def field(field_type: str = "String", json: str = "string", **kwargs) -> Field:
    return Field(name="x", type=field_type, label="X", location=HERE, json=json, **kwargs)


def evaluate(expression: str, **variables):
    return feel.to_json(feel.evaluate(expression, variables))


@pytest.mark.parametrize(
    "text, expected",
    [
        ("plain", '"plain"'),
        ('say "hi"\\now', r'"say \"hi\"\\now"'),
        ("line\nbreak\ttab", r'"line\nbreak\ttab"'),
        ("{{secrets.KEY}}", '"{{secrets.KEY}}"'),
    ],
)
def test_string_literals_round_trip(text, expected):
    assert feel_text.string_literal(text) == expected
    assert evaluate(expected) == text


def test_literals_and_context_keys():
    assert [feel_text.literal(value) for value in (True, False, 2, 0.5, 1e-05, None)] == [
        "true",
        "false",
        "2",
        "0.5",
        "0.00001",
        "null",
    ]
    assert feel_text.context([("max_tokens", "1"), ("api-version", "2"), ("then", "3")]) == (
        '{max_tokens: 1, "api-version": 2, "then": 3}'
    )


def test_without_nulls_drops_only_null_entries():
    expression = feel_text.without_nulls('{a: 1, b: null, c: false, d: "", e: []}')
    assert expression == 'context(get entries({a: 1, b: null, c: false, d: "", e: []})[item.value != null])'
    assert evaluate(expression) == {"a": 1, "c": False, "d": "", "e": []}


@pytest.mark.parametrize(
    "json_type, value, expected",
    [
        ("number", "0.7", 0.7),
        ("number", 0.7, 0.7),  # a FEEL-mode field may already hold a number
        ("integer", "16", 16),
        ("number", None, None),
        ("string", 42, "42"),
        ("string", None, None),
        ("boolean", "true", True),
        ("boolean", "False", False),
        ("boolean", "maybe", None),
        ("boolean", True, True),
        ("json", [1, "a"], [1, "a"]),
    ],
)
def test_conversions_to_json_types(json_type, value, expected):
    expression = feel_text.as_json_type("x", field(json=json_type))
    assert evaluate(expression, x=value) == expected


def test_conversions_are_skipped_where_the_type_is_known():
    assert feel_text.as_json_type("x", field("Number", "number", feel="static")) == "x"
    assert feel_text.as_json_type("x", field("Boolean", "boolean", feel="static")) == "x"
    assert feel_text.as_json_type("x", field("Dropdown", choices=(Choice("a", "A"),))) == "x"
    assert feel_text.as_json_type("x", field("Hidden", default="fixed")) == "x"
    assert feel_text.as_json_type("x", field()) == "string(x)"


def test_choose_builds_an_if_chain():
    expression = feel_text.choose([("v = 1", '"one"'), ("v = 2", '"two"'), (None, '"many"')])
    assert expression == 'if v = 1 then "one" else if v = 2 then "two" else "many"'
    assert [evaluate(expression, v=v) for v in (1, 2, 3)] == ["one", "two", "many"]


NAMES = {"role": "op_role", "content": "op_content", "max": "op_max", "lower": "op_lower", "items": "op_items"}


@pytest.mark.parametrize(
    "text, expected",
    [
        ("{role: role, content: content}", "{role: op_role, content: op_content}"),
        ('"role" + role', '"role" + op_role'),  # strings stay
        ("message.role = role", "message.role = op_role"),  # paths stay
        ("max(1, max)", "max(1, op_max)"),  # function names stay
        ('lower case(role) = "x" and lower', 'lower case(op_role) = "x" and op_lower'),  # multi-word built-ins stay
        ("`role` + role // role\n", "`role` + op_role // role\n"),  # backticks and comments stay
        ("for i in items return i.content", "for i in op_items return i.content"),
        ("[1..max]", "[1..op_max]"),  # a range is not a path
        ("if role = null then [] else items", "if op_role = null then [] else op_items"),
    ],
)
def test_rename_touches_only_free_names(text, expected):
    assert feel_text.rename(text, NAMES) == expected
