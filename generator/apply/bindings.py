"""Where each template binding stores its value on an element, and how to read it back.

One place that knows, per binding type, which node and attribute hold a property's value
(bpmn-js-element-templates `getPropertyHolder` / `getRawPropertyValue`), and which properties
of an older template version correspond to a new one (`findOldProperty`).
"""

from __future__ import annotations

import json

from generator.apply.errors import ApplyError
from generator.apply.state import AttributeHolder, ElementState, Node
from generator.apply.values import JsValue
from generator.element_template import Binding, Property, Template

PROPERTY = "property"
TASK_DEFINITION = "zeebe:taskDefinition"
TASK_DEFINITION_TYPE = "zeebe:taskDefinition:type"  # deprecated alias of taskDefinition `type`
INPUT = "zeebe:input"
OUTPUT = "zeebe:output"
TASK_HEADER = "zeebe:taskHeader"
ZEEBE_PROPERTY = "zeebe:property"
MESSAGE_PROPERTY = "bpmn:Message#property"
MESSAGE_SUBSCRIPTION_PROPERTY = "bpmn:Message#zeebe:subscription#property"

TASK_DEFINITION_TYPES = (TASK_DEFINITION_TYPE, TASK_DEFINITION)
MESSAGE_BINDING_TYPES = (MESSAGE_PROPERTY, MESSAGE_SUBSCRIPTION_PROPERTY)
SUPPORTED_BINDING_TYPES = (
    PROPERTY,
    *TASK_DEFINITION_TYPES,
    INPUT,
    OUTPUT,
    TASK_HEADER,
    ZEEBE_PROPERTY,
    *MESSAGE_BINDING_TYPES,
)

# `property` bindings whose BPMN attribute is an expression element, not an attribute.
EXPRESSION_ATTRIBUTES = ("conditionExpression", "completionCondition", "activationCondition")


def binding_type(prop: Property) -> str:
    """The property's binding type."""
    return prop["binding"]["type"]


def task_definition_attribute(binding: Binding) -> str:
    """The `zeebe:taskDefinition` attribute a binding sets (`type` or `retries`)."""
    return "type" if binding["type"] == TASK_DEFINITION_TYPE else binding.get("property", "")


def normalized_binding(binding: Binding) -> Binding:
    """The binding with the deprecated `zeebe:taskDefinition:type` spelled as its successor."""
    if binding["type"] == TASK_DEFINITION_TYPE:
        return {**binding, "type": TASK_DEFINITION, "property": "type"}
    return binding


def binding_identity(binding: Binding) -> str:
    """A canonical text of the binding, equal for equal bindings (ConditionalBehavior's test)."""
    return json.dumps(normalized_binding(binding), sort_keys=True)


def binding_label(binding: Binding) -> str:
    """How a user names the bound thing: input `name`, header `key`, output `source`, ..."""
    kind = binding["type"]
    if kind in TASK_DEFINITION_TYPES:
        return task_definition_attribute(binding)
    if kind == TASK_HEADER:
        return str(binding.get("key", ""))
    if kind == OUTPUT:
        return str(binding.get("source", ""))
    return str(binding.get("name", ""))


def property_name(prop: Property) -> str:
    """How messages name a property: its `id`, else its binding name."""
    return prop.get("id") or binding_label(prop["binding"])


def check_supported(template: Template) -> None:
    """Reject templates with bindings etk cannot apply, naming the first such property."""
    for index, prop in enumerate(template.get("properties", [])):
        kind = binding_type(prop)
        where = f"/properties/{index}" + (f" ({prop['id']!r})" if prop.get("id") else "")
        if kind not in SUPPORTED_BINDING_TYPES:
            supported = ", ".join(SUPPORTED_BINDING_TYPES)
            raise ApplyError(
                f"{where}: binding type {kind!r} is not supported by etk apply (supported: {supported})",
                rule="unsupported-binding",
            )
        if kind == PROPERTY and prop["binding"].get("name") in EXPRESSION_ATTRIBUTES:
            raise ApplyError(
                f"{where}: the `property` binding {prop['binding']['name']!r} is a BPMN expression; "
                "etk apply supports attribute bindings only",
                rule="unsupported-binding",
            )


def message_subscription(state: ElementState) -> Node | None:
    """The `zeebe:subscription` inside the element's message, if any."""
    if state.message is None:
        return None
    extension_elements = state.message.find("bpmn:extensionElements")
    return extension_elements.find("zeebe:subscription") if extension_elements else None


def attach_message(state: ElementState, message: Node) -> None:
    """Make `message` the element's message: a task refers to it through its own `messageRef`, an
    event through its event definition's (raises `ApplyError` when the event has none)."""
    state.message = message
    holder = state.message_holder()
    if holder is None:
        raise ApplyError(f"{state.element_type} has no event definition to refer to a message", rule="element-type")
    holder.set("messageRef", message.get("id"))


def value_location(state: ElementState, prop: Property) -> tuple[AttributeHolder, str] | None:
    """The holder and attribute storing `prop`'s value, or None when the holder does not exist.

    A `zeebe:input`'s value is the `source` of the input whose `target` is the binding name,
    an output's is the `target` of the output with the binding's `source`, and so on.
    """
    binding = prop["binding"]
    kind = binding["type"]
    name = binding.get("name", "")
    if kind == PROPERTY:
        return state, name
    if kind in TASK_DEFINITION_TYPES:
        node = state.extension("zeebe:taskDefinition")
        return (node, task_definition_attribute(binding)) if node else None
    if kind in (INPUT, OUTPUT):
        io_mapping = state.extension("zeebe:ioMapping")
        if io_mapping is None:
            return None
        if kind == INPUT:
            node = io_mapping.keyed("zeebe:input", name)
            return (node, "source") if node else None
        node = io_mapping.keyed("zeebe:output", binding.get("source"))
        return (node, "target") if node else None
    if kind == TASK_HEADER:
        headers = state.extension("zeebe:taskHeaders")
        node = headers.keyed("zeebe:header", binding.get("key")) if headers else None
        return (node, "value") if node else None
    if kind == ZEEBE_PROPERTY:
        properties = state.extension("zeebe:properties")
        node = properties.keyed("zeebe:property", name) if properties else None
        return (node, "value") if node else None
    if kind == MESSAGE_PROPERTY:
        return (state.message, name) if state.message is not None else None
    if kind == MESSAGE_SUBSCRIPTION_PROPERTY:
        subscription = message_subscription(state)
        return (subscription, name) if subscription else None
    raise ApplyError(f"binding type {kind!r} is not supported by etk apply", rule="unsupported-binding")


def raw_value(state: ElementState, prop: Property) -> JsValue:
    """The value the properties panel shows (`getRawPropertyValue`): `""` when nothing is
    written, None (undefined) when the holder exists without the attribute."""
    location = value_location(state, prop)
    if location is None:
        return ""
    holder, name = location
    value = holder.get(name)
    if value is None and binding_type(prop) in (PROPERTY, *MESSAGE_BINDING_TYPES):
        return ""
    return value


def property_value(state: ElementState, prop: Property) -> JsValue:
    """`raw_value`, with `"true"`/`"false"` read as booleans for Boolean properties."""
    value = raw_value(state, prop)
    if prop.get("type") == "Boolean" and value in ("true", "false"):
        return value == "true"
    return value


def find_old_property(old_template: Template | None, new_prop: Property) -> Property | None:
    """The property of `old_template` bound to the same thing as `new_prop` (`findOldProperty`)."""
    if old_template is None:
        return None
    new_binding = new_prop["binding"]
    kind = new_binding["type"]
    for old_prop in old_template["properties"]:
        old_binding = old_prop["binding"]
        if kind in TASK_DEFINITION_TYPES:
            if task_definition_attribute(old_binding) == task_definition_attribute(new_binding):
                return old_prop
            continue
        if old_binding["type"] != kind:
            continue
        if kind == OUTPUT:
            if old_binding.get("source") == new_binding.get("source"):
                return old_prop
        elif kind == TASK_HEADER:
            if old_binding.get("key") == new_binding.get("key"):
                return old_prop
        elif old_binding.get("name") == new_binding.get("name"):
            return old_prop
    return None
