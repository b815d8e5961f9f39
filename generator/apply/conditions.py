"""Property conditions (`equals`, `oneOf`, `isActive`, `isEmpty`, `allMatch`) on an element.

A property is active when it has no condition or its condition holds for the values currently
written on the element, compared after undoing the FEEL cast (`=42` -> 42, `=true` -> true),
exactly as bpmn-js-element-templates' `Condition.js` does.
"""

from __future__ import annotations

import json
from collections.abc import Hashable
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
from generator.element_template import Condition, Property, Template, all_match


def active_template(state: ElementState, template: Template) -> Template:
    """`template` with only the properties whose conditions hold on `state` (`applyConditions`)."""
    properties = template["properties"]
    conditions = _Conditions(state, properties)
    return {**template, "properties": [p for p in properties if conditions.is_met(p)]}


class ActiveTemplates:
    """`active_template` of one template on an element that keeps changing, worked out once per
    distinct set of values its conditions read: the element's type and the values of the
    properties the conditions name (most edits change no such value)."""

    def __init__(self, template: Template) -> None:
        self.template = template
        by_id = _first_by_id(template["properties"])
        # the property each referenced id finds (None when no property has the id)
        self._read = [by_id.get(prop_id) for prop_id in dict.fromkeys(_referenced_ids(template["properties"]))]
        self._known: dict[tuple[Any, ...], Template] = {}

    def on(self, state: ElementState) -> Template:
        """The template with only the properties active on `state` (do not modify it)."""
        key = (state.element_type, state.in_event_subprocess,
               *(None if prop is None else property_value(state, prop) for prop in self._read))
        active = self._known.get(key)
        if active is None:
            active = self._known[key] = active_template(state, self.template)
        return active


def _referenced_ids(properties: list[Property]) -> list[Any]:
    """The `property` of every condition of `properties` (hashable ones; others find nothing)."""
    ids = []
    for prop in properties:
        condition = prop.get("condition")
        if not isinstance(condition, dict):
            continue
        for simple in condition.get("allMatch") or [condition]:
            if isinstance(simple, dict) and isinstance(simple.get("property"), Hashable):
                ids.append(simple.get("property"))
    return ids


def _first_by_id(properties: list[Property]) -> dict[Any, Property]:
    """The first property with each (hashable) id, as `_find` finds it."""
    by_id: dict[Any, Property] = {}
    for prop in properties:
        if isinstance(prop.get("id"), Hashable):
            by_id.setdefault(prop.get("id"), prop)
    return by_id


def is_condition_met(state: ElementState, properties: list[Property], prop: Property) -> bool:
    """Whether `prop` is active on `state`; `properties` are all the template's properties."""
    return _Conditions(state, properties).is_met(prop)


def condition_holds(state: ElementState, properties: list[Property], condition: Condition | None) -> bool:
    """Whether a property's (or a dropdown choice's) `condition` holds; no condition holds."""
    return _Conditions(state, properties).holds(condition)


def explain_inactive(state: ElementState, properties: list[Property], prop: Property) -> str:
    """Why `prop` is not active, e.g. `it requires operation = chatCompletion (current: completion)`."""
    if not _is_property_allowed(state, prop):
        return "the Modeler does not write a correlation key on a message start event outside an event subprocess"
    conditions = _Conditions(state, properties)
    condition = prop.get("condition") or {}
    simple = condition.get("allMatch", [condition])
    failing = [c for c in simple if not conditions.simple_holds(c)]
    return "it requires " + " and ".join(_describe(state, properties, c) for c in failing)


def _is_property_allowed(state: ElementState, prop: Property) -> bool:
    binding = prop["binding"]
    return not (
        binding["type"] == MESSAGE_SUBSCRIPTION_PROPERTY
        and binding.get("name") == "correlationKey"
        and state.element_type == "bpmn:StartEvent"
        and not state.in_event_subprocess
    )


def _find(properties: list[Property], prop_id: Any) -> Property | None:
    return next((p for p in properties if p.get("id") == prop_id), None)


class _Conditions:
    """Conditions evaluated on one unchanging state: each property a condition refers to is
    looked up and read once, however many conditions compare it (a template's conditions mostly
    test the same few properties, such as `operation` or `authentication.type`)."""

    def __init__(self, state: ElementState, properties: list[Property]) -> None:
        self.state = state
        self.properties = properties
        self.by_id: dict[Any, Property] | None = None
        self.active: dict[int, bool] = {}
        self.comparisons: dict[tuple[int, type, Any], bool] = {}

    def find(self, prop_id: Any) -> Property | None:
        if self.by_id is None:
            self.by_id = _first_by_id(self.properties)
        try:
            return self.by_id.get(prop_id)
        except TypeError:  # an unhashable id in a hand-written condition matches no property
            return None

    def is_met(self, prop: Property) -> bool:
        key = id(prop)
        if key not in self.active:
            self.active[key] = _is_property_allowed(self.state, prop) and self.holds(prop.get("condition"))
        return self.active[key]

    def holds(self, condition: Condition | None) -> bool:
        if not condition:
            return True
        clauses = all_match(condition)
        return self.simple_holds(condition) if clauses is None else all(self.simple_holds(c) for c in clauses)

    def simple_holds(self, condition: Condition) -> bool:
        target = self.find(condition.get("property"))
        if "isActive" in condition:
            if target is None:
                return not condition["isActive"]
            active = self.is_met(target)
            return active if condition["isActive"] else not active
        if target is None:
            return False
        if "isEmpty" in condition:
            value = property_value(self.state, target)
            empty = value is None or value == ""
            return empty if condition["isEmpty"] else not empty
        if "equals" in condition:
            return self.compare(target, condition["equals"])
        if condition.get("oneOf"):
            return any(self.compare(target, expected) for expected in condition["oneOf"])
        return False

    def compare(self, prop: Property, expected: JsValue) -> bool:
        try:
            return self.comparisons[id(prop), type(expected), expected]
        except KeyError:
            result = self.comparisons[id(prop), type(expected), expected] = self._compare(prop, expected)
            return result
        except TypeError:  # an unhashable expected value (a list in a hand-written template)
            return self._compare(prop, expected)

    def _compare(self, prop: Property, expected: JsValue) -> bool:
        value = compared_value(self.state, prop)
        if value is None:
            return False
        if isinstance(expected, str) and expected.strip().startswith("="):
            expected = from_feel_expression(expected, prop.get("type"))
        if prop.get("type") == "Number":
            return js_number(value) == js_number(expected)
        return js_strict_equals(value, expected)


def compared_value(state: ElementState, prop: Property) -> JsValue:
    """The value conditions compare for `prop`: the written value with the FEEL cast undone."""
    value = property_value(state, prop)
    if should_cast_to_feel(prop):
        return from_feel_expression(value, prop.get("type"))
    return value


def _describe(state: ElementState, properties: list[Property], condition: Condition) -> str:
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
