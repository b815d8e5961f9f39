"""The properties panel: what it stores when a user types into a templated property's field.

`panel_value` turns typed text into the value the field hands over (a number field parses, a
checkbox gives a boolean, FEEL-cast fields get `=`), `write_value` stores it the way the panel's
`setPropertyValue` does (a replaced entry moves to the end until the order behaviour sorts it).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable

from generator.apply.bindings import (
    INPUT,
    MESSAGE_PROPERTY,
    MESSAGE_SUBSCRIPTION_PROPERTY,
    OUTPUT,
    PROPERTY,
    TASK_DEFINITION_TYPES,
    TASK_HEADER,
    ZEEBE_PROPERTY,
    attach_message,
    message_subscription,
    property_name,
    task_definition_attribute,
)
from generator.apply.change import should_update, text
from generator.apply.conditions import condition_holds
from generator.apply.errors import ApplyError
from generator.apply.state import TEMPLATE_ID, ElementState, Node
from generator.apply.values import JsValue, feel_mode, js_truthy, should_cast_to_feel, to_feel_expression
from generator.element_template import Property

_NUMBER_TEXT = re.compile(r"^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$")



def panel_value(
    prop: Property,
    typed: str,
    state: ElementState | None = None,
    properties: list[Property] | None = None,
) -> JsValue:
    """The value the properties panel stores when a user enters `typed` into `prop`'s field.

    Number fields hand over the parsed number, checkboxes a boolean, FEEL-cast fields are
    stored as `=...`; a dropdown accepts the values of its choices whose conditions hold on
    `state` (conditions reference `properties`). Raises `ApplyError` for input the field does
    not accept.
    """
    name = property_name(prop)
    kind = prop.get("type", "String")
    if kind == "Hidden":
        raise ApplyError(f"property {name!r} is Hidden: its value is fixed by the template and cannot be set", rule="value-refused")
    if prop.get("editable") is False:
        raise ApplyError(f"property {name!r} is not editable in the Modeler (editable: false)", rule="value-refused")
    feel_toggle = feel_mode(prop) in ("optional", "required") and kind in ("Boolean", "Number")
    value: JsValue
    if feel_toggle and typed.startswith("="):
        value = typed
    elif kind == "Boolean":
        if typed not in ("true", "false"):
            raise ApplyError(f"property {name!r} is a checkbox: expected true or false, got {typed!r}", rule="value-refused")
        value = typed == "true"
    elif kind == "Number":
        if typed.strip() == "":
            value = None
        elif not _NUMBER_TEXT.match(typed):
            raise ApplyError(f"property {name!r} is a number field: {typed!r} is not a number", rule="value-refused")
        else:
            number = float(typed)
            if math.isinf(number):
                raise ApplyError(f"property {name!r} is a number field: {typed!r} is out of range", rule="value-refused")
            value = int(number) if number.is_integer() and abs(number) < 2**53 else number
    elif kind == "Dropdown":
        choices = [
            c for c in prop.get("choices") or []
            if state is None or condition_holds(state, properties or [], c.get("condition"))
        ]
        if typed not in [c.get("value") for c in choices]:
            listed = ", ".join(f"{c.get('value')} ({c.get('name')})" for c in choices)
            raise ApplyError(f"property {name!r} is a dropdown: {typed!r} is not one of its choices: {listed}", rule="value-refused")
        value = typed
    else:
        value = typed
        if should_cast_to_feel(prop) and typed == "":
            value = None
    if should_cast_to_feel(prop):
        value = to_feel_expression(value, kind)
    if isinstance(value, str) and value.startswith("="):
        # the typed text when the panel only added `=` (positions then count in what was typed)
        _check_feel(name, typed if value in (typed, "=" + typed) else value)
    return value


def _check_feel(name: str, expression: str) -> None:
    """Refuse a FEEL value that does not parse: Zeebe would refuse the diagram at deployment (or
    the connector fail the job), so nothing is written."""
    from generator.feel import FeelSyntaxError, parse

    try:
        parse(expression)
    except FeelSyntaxError as error:
        raise ApplyError(f"property {name!r}: invalid FEEL at {error.line}:{error.column} of the value {expression!r}: "
                         f"{error.message}", rule="feel-syntax") from None


def write_value(state: ElementState, prop: Property, value: JsValue, new_message_id: Callable[[], str]) -> None:
    """Store a panel value like `setPropertyValue`: replaced entries move to the end (the order
    behaviour sorts them back), empty optional entries and empty headers are removed."""
    binding = prop["binding"]
    kind = binding["type"]
    attribute_text = text(value if js_truthy(value) else "")  # what an attribute binding stores
    if kind == PROPERTY:
        state.set(binding["name"], attribute_text)
        return
    if kind == MESSAGE_PROPERTY:
        _ensure_panel_message(state, new_message_id).set(binding["name"], attribute_text)
        return
    if kind == MESSAGE_SUBSCRIPTION_PROPERTY:
        message = _ensure_panel_message(state, new_message_id)
        subscription = message_subscription(state)
        if subscription is None:
            subscription = Node("zeebe:subscription")
            message.ensure("bpmn:extensionElements").children.append(subscription)
        subscription.set(binding["name"], attribute_text)
        return
    extension_elements = state.ensure_extension_elements()
    if kind in TASK_DEFINITION_TYPES:
        extension_elements.ensure("zeebe:taskDefinition").set(task_definition_attribute(binding), attribute_text)
        return
    container_tag, entry_tag, key_attribute, key, value_attribute = {
        INPUT: ("zeebe:ioMapping", "zeebe:input", "target", binding.get("name", ""), "source"),
        OUTPUT: ("zeebe:ioMapping", "zeebe:output", "source", binding.get("source", ""), "target"),
        TASK_HEADER: ("zeebe:taskHeaders", "zeebe:header", "key", binding.get("key", ""), "value"),
        ZEEBE_PROPERTY: ("zeebe:properties", "zeebe:property", "name", binding.get("name", ""), "value"),
    }[kind]
    container = extension_elements.ensure(container_tag)
    old = next((n for n in container.all(entry_tag) if n.get(key_attribute) == key), None)
    if old is not None:
        container.children.remove(old)
    keep = js_truthy(value) if kind == TASK_HEADER else should_update(value, prop)
    if not keep:
        return
    if kind == ZEEBE_PROPERTY and value is None:
        value = ""
    entry = Node(entry_tag, {key_attribute: key})
    entry.set(value_attribute, text(value))
    if entry_tag == "zeebe:input":
        outputs = [i for i, n in enumerate(container.children) if n.tag == "zeebe:output"]
        container.children.insert(outputs[0] if outputs else len(container.children), entry)
    else:
        container.children.append(entry)


def _ensure_panel_message(state: ElementState, new_message_id: Callable[[], str]) -> Node:
    if state.message is None:
        attach_message(state, Node("bpmn:message", {"id": new_message_id(), TEMPLATE_ID: state.get(TEMPLATE_ID) or ""}))
    assert state.message is not None  # attached above
    return state.message
