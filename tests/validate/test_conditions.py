"""The condition model: which properties can be active, alone and together."""

from __future__ import annotations

from typing import Any

import pytest

from generator.validate.conditions import ConditionModel, clauses


def model(*properties: dict[str, Any]) -> ConditionModel:
    indexed = list(enumerate(properties))
    return ConditionModel(indexed, {index: clauses(prop["condition"], f"/properties/{index}/condition")
                                    for index, prop in indexed if "condition" in prop})


def dropdown(property_id: str, *values: str, **extra: Any) -> dict[str, Any]:
    return {"id": property_id, "type": "Dropdown", "choices": [{"name": v, "value": v} for v in values],
            "binding": {"type": "zeebe:input", "name": property_id}, **extra}


def text(name: str, **extra: Any) -> dict[str, Any]:
    return {"id": name, "type": "String", "binding": {"type": "zeebe:input", "name": name}, **extra}


MODE = dropdown("mode", "a", "b", value="a")


@pytest.mark.parametrize("first, second, together", [
    ({"property": "mode", "equals": "a"}, {"property": "mode", "equals": "b"}, False),
    ({"property": "mode", "equals": "a"}, {"property": "mode", "oneOf": ["b", "a"]}, True),
    ({"property": "mode", "equals": "a"}, {"property": "free", "equals": "z"}, True),
    ({"property": "free", "isEmpty": True}, {"property": "free", "equals": "x"}, False),
    ({"property": "free", "isEmpty": True}, {"property": "free", "isEmpty": False}, False),
    ({"property": "free", "equals": "x"}, {"property": "free", "equals": "y"}, False),
    ({"property": "free", "isActive": False}, {"property": "free", "isActive": True}, False),
    ({"allMatch": [{"property": "free", "equals": "z"}, {"property": "mode", "equals": "a"}]},
     {"allMatch": [{"property": "mode", "oneOf": ["b"]}]}, False),
])
def test_two_properties_active_together(first, second, together):
    checked = model(MODE, text("free"), text("one", condition=first), text("two", condition=second))
    assert checked.can_be({2: True, 3: True}, certainly=True) is together
    assert checked.can_be({3: True, 2: True}, certainly=True) is together


@pytest.mark.parametrize("condition, possible", [
    ({"property": "mode", "equals": "b"}, True),
    ({"property": "mode", "equals": "c"}, False),  # not a choice, not the default
    ({"property": "nothing", "equals": "x"}, False),  # unknown id
    ({"property": "nothing", "isEmpty": True}, False),  # unknown id: even isEmpty is false
    ({"property": "nothing", "isActive": False}, True),  # unknown id is inactive
    ({"property": "fixed", "equals": "basic"}, True),
    ({"property": "fixed", "equals": "apiKey"}, False),  # a Hidden value never changes
    ({"allMatch": [{"property": "mode", "equals": "a"}, {"property": "mode", "equals": "b"}]}, False),
    ({"property": "onlyForB", "isActive": True}, True),
    ({"allMatch": [{"property": "onlyForB", "isActive": True}, {"property": "mode", "equals": "a"}]}, False),
    ({"property": "same", "equals": "b"}, True),  # "same" writes mode's input too: it reads what mode wrote
    ({"allMatch": [{"property": "mode", "equals": "a"}, {"property": "same", "equals": "b"}]}, False),  # one value
])
def test_a_property_can_be_active(condition, possible):
    checked = model(
        MODE,
        {"id": "fixed", "type": "Hidden", "value": "basic", "binding": {"type": "zeebe:input", "name": "auth"}},
        text("onlyForB", condition={"property": "mode", "equals": "b"}),
        dropdown("same", "a", value="a", binding={"type": "zeebe:input", "name": "mode"},
                 condition={"property": "mode", "equals": "a"}),
        text("probe", condition=condition),
    )
    assert checked.can_be({4: True}) is possible


def test_a_dropdown_default_outside_its_choices_is_a_value_it_holds():
    checked = model(dropdown("auth", "basic", "token", value="none"), text("probe", condition={"property": "auth", "equals": "none"}))
    assert checked.can_be({1: True}) is True


def test_boolean_toggles_exclude_each_other():
    toggle = {"id": "flag", "type": "Boolean", "value": False, "binding": {"type": "zeebe:input", "name": "flag"}}
    checked = model(toggle, text("on", condition={"property": "flag", "equals": True}),
                    text("off", condition={"property": "flag", "equals": False}))
    assert checked.can_be({1: True, 2: True}, certainly=True) is False
    assert checked.can_be({1: True}) is True and checked.can_be({2: True}) is True


def test_isactive_cycles_are_found():
    checked = model(text("a", condition={"property": "b", "isActive": True}), text("b", condition={"property": "a", "isActive": True}))
    assert checked.active_cycles() == [[0, 1]]
    assert checked.can_be({0: True}) is None


def test_clauses_carry_their_pointer_and_skip_malformed_parts():
    found = clauses({"allMatch": [{"property": "p", "equals": "a"}, "junk", {"property": 3, "equals": 1}]}, "/c")
    assert [(each.target, each.operator, each.operand, each.pointer) for each in found] == [("p", "equals", "a", "/c/allMatch/0")]
