"""Property conditions (`equals`, `oneOf`, `isActive`, `isEmpty`, `allMatch`) on an element.

A property is active when it has no condition or its condition holds for the values currently
written on the element, compared after undoing the FEEL cast (`=42` -> 42, `=true` -> true),
exactly as bpmn-js-element-templates' `Condition.js` does.
"""

from __future__ import annotations

import json
from typing import Any

from generator.apply.bindings import MESSAGE_SUBSCRIPTION_PROPERTY, property_value
from generator.apply.state import ElementState
from generator.apply.values import (
    JsValue,
    from_feel_expression,
    js_number,
    js_strict_equals,
    should_cast_to_feel,
)


def active_template(state: ElementState, template: dict[str, Any]) -> dict[str, Any]:
    """`template` with only the properties whose conditions hold on `state` (`applyConditions`)."""
    properties = template["properties"]
    return {**template, "properties": [p for p in properties if is_condition_met(state, properties, p)]}


def is_condition_met(state: ElementState, properties: list[dict[str, Any]], prop: dict[str, Any]) -> bool:
    """Whether `prop` is active on `state`; `properties` are all the template's properties."""
    if not _is_property_allowed(state, prop):
        return False
    return condition_holds(state, properties, prop.get("condition"))


def condition_holds(state: ElementState, properties: list[dict[str, Any]], condition: dict[str, Any] | None) -> bool:
    """Whether a property's (or a dropdown choice's) `condition` holds; no condition holds."""
    if not condition:
        return True
    if "allMatch" in condition:
        return all(_is_simple_condition_met(state, properties, c) for c in condition["allMatch"])
    return _is_simple_condition_met(state, properties, condition)


def explain_inactive(state: ElementState, properties: list[dict[str, Any]], prop: dict[str, Any]) -> str:
    """Why `prop` is not active, e.g. `it requires operation = chatCompletion (current: completion)`."""
    if not _is_property_allowed(state, prop):
        return "the Modeler does not write a correlation key on a message start event outside an event subprocess"
    condition = prop.get("condition") or {}
    simple = condition.get("allMatch", [condition])
    failing = [c for c in simple if not _is_simple_condition_met(state, properties, c)]
    return "it requires " + " and ".join(_describe(state, properties, c) for c in failing)


def _is_property_allowed(state: ElementState, prop: dict[str, Any]) -> bool:
    binding = prop["binding"]
    return not (
        binding["type"] == MESSAGE_SUBSCRIPTION_PROPERTY
        and binding.get("name") == "correlationKey"
        and state.element_type == "bpmn:StartEvent"
        and not state.in_event_subprocess
    )


def _find(properties: list[dict[str, Any]], prop_id: Any) -> dict[str, Any] | None:
    return next((p for p in properties if p.get("id") == prop_id), None)


def _is_simple_condition_met(state: ElementState, properties: list[dict[str, Any]], condition: dict[str, Any]) -> bool:
    target = _find(properties, condition.get("property"))
    if "isActive" in condition:
        if target is None:
            return not condition["isActive"]
        active = is_condition_met(state, properties, target)
        return active if condition["isActive"] else not active
    if target is None:
        return False
    if "isEmpty" in condition:
        value = property_value(state, target)
        empty = value is None or value == ""
        return empty if condition["isEmpty"] else not empty
    if "equals" in condition:
        return _compare(state, target, condition["equals"])
    if condition.get("oneOf"):
        return any(_compare(state, target, expected) for expected in condition["oneOf"])
    return False


def compared_value(state: ElementState, prop: dict[str, Any]) -> JsValue:
    """The value conditions compare for `prop`: the written value with the FEEL cast undone."""
    value = property_value(state, prop)
    if should_cast_to_feel(prop):
        return from_feel_expression(value, prop.get("type"))
    return value


def _compare(state: ElementState, prop: dict[str, Any], expected: JsValue) -> bool:
    value = compared_value(state, prop)
    if value is None:
        return False
    if isinstance(expected, str) and expected.strip().startswith("="):
        expected = from_feel_expression(expected, prop.get("type"))
    if prop.get("type") == "Number":
        return js_number(value) == js_number(expected)
    return js_strict_equals(value, expected)


def _describe(state: ElementState, properties: list[dict[str, Any]], condition: dict[str, Any]) -> str:
    prop_id = condition.get("property")
    if "isActive" in condition:
        return f"{prop_id} to be {'active' if condition['isActive'] else 'inactive'}"
    target = _find(properties, prop_id)
    if target is None:
        return f"{prop_id} (no property has this id, so the condition never holds)"
    current = compared_value(state, target)
    shown = "unset" if current is None or current == "" else _show(current)
    if "isEmpty" in condition:
        return f"{prop_id} to be {'empty' if condition['isEmpty'] else 'set'} (current: {shown})"
    if "equals" in condition:
        return f"{prop_id} = {_show(condition['equals'])} (current: {shown})"
    choices = ", ".join(_show(v) for v in condition.get("oneOf", []))
    return f"{prop_id} one of {choices} (current: {shown})"


def _show(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return json.dumps(value)
