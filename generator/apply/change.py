"""One template change on an element: apply, upgrade, unlink or remove (the Modeler's handler).

This is bpmn-js-element-templates' `ChangeElementTemplateHandler` for the bindings etk
supports, on an `ElementState`: given the (condition-filtered) old and new template, it sets the
template attributes, changes the element type, and creates, updates or removes every bound
attribute and extension element, keeping values the user changed (`should_keep_value`).
"""

from __future__ import annotations

from collections.abc import Callable

from generator.apply.bindings import (
    INPUT,
    MESSAGE_BINDING_TYPES,
    MESSAGE_PROPERTY,
    MESSAGE_SUBSCRIPTION_PROPERTY,
    OUTPUT,
    PROPERTY,
    TASK_DEFINITION_TYPES,
    TASK_HEADER,
    ZEEBE_PROPERTY,
    attach_message,
    binding_type,
    find_old_property,
    message_subscription,
    task_definition_attribute,
)
from generator.apply.state import TEMPLATE_ICON, TEMPLATE_ID, TEMPLATE_VERSION, AttributeHolder, ElementState, Node
from generator.apply.values import JsValue, default_fixed_value, default_value, js_strict_equals, js_string, js_truthy
from generator.element_template import Property, Template


def text(value: JsValue) -> str | None:
    """How moddle writes a value into an attribute (None: attribute absent)."""
    return None if value is None else js_string(value)


def should_update(value: JsValue, prop: Property) -> bool:
    """Whether an entry is written for `value`: when truthy or when the property is not optional."""
    return js_truthy(value) or not prop.get("optional", False)


def has_explicit_value(holder: AttributeHolder | None, name: str) -> bool:
    """Whether the attribute is written (as opposed to absent)."""
    return holder is not None and holder.get(name) is not None


def should_keep_value(holder: AttributeHolder | None, name: str, old_prop: Property | None, new_prop: Property) -> bool:
    """Whether the value in `holder.name` survives the change (`shouldKeepValue`).

    Hidden values are constants; a Dropdown keeps a value that is still a choice; otherwise a
    value is kept when the user changed it from the old template's default or, without an old
    template, when the element already had one.
    """
    if new_prop.get("type") == "Hidden":
        return False
    if new_prop.get("type") == "Dropdown":
        current = holder.get(name) if holder is not None else None
        choices = new_prop.get("choices") or []
        return has_explicit_value(holder, name) and any(c.get("value") == current for c in choices)
    if old_prop is not None:
        if not has_explicit_value(holder, name):
            return False
        assert holder is not None  # it has an explicit value
        return not js_strict_equals(holder.get(name), default_fixed_value(old_prop))
    return has_explicit_value(holder, name)


class TemplateChange:
    """Applies `new_template` over `old_template` to `state` (both already condition-filtered)."""

    def __init__(
        self,
        state: ElementState,
        old_template: Template | None,
        new_template: Template | None,
        *,
        remove_properties: bool = False,
        new_uuid: Callable[[Property], str],
        new_id: Callable[[str], str],
    ) -> None:
        self.state = state
        self.old = old_template
        self.new = new_template
        self.remove_properties = remove_properties
        self._new_uuid = new_uuid
        self._new_id = new_id

    def run(self) -> None:
        """Perform the change in the handler's order (it decides where new XML goes)."""
        self._update_template_attributes()
        self._update_element_type()
        if self.new is None and not self.remove_properties:
            return
        self._update_property_bindings()
        self._update_task_definition()
        self._update_io_mapping()
        self._update_task_headers()
        self._update_zeebe_properties()
        self._update_message()

    # helpers ---------------------------------------------------------------------------

    def _new_properties(self, *kinds: str) -> list[Property]:
        return [p for p in self.new["properties"] if binding_type(p) in kinds] if self.new else []

    def _old_properties(self, *kinds: str) -> list[Property]:
        return [p for p in self.old["properties"] if binding_type(p) in kinds] if self.old else []

    def _dropped_names(self, kind: str) -> list[str]:
        """Binding names of `kind` the old template bound and the new one does not."""
        new_names = {p["binding"]["name"] for p in self._new_properties(kind)}
        return [p["binding"]["name"] for p in self._old_properties(kind) if p["binding"]["name"] not in new_names]

    def _default(self, prop: Property) -> JsValue:
        return default_value(prop, lambda: self._new_uuid(prop))

    def _container(self, tag: str, needed: bool) -> Node | None:
        """The extension element `tag` that holds bound entries (`zeebe:ioMapping`, ...): created
        when `needed` and missing, removed (None) when not `needed`."""
        extension_elements = self.state.ensure_extension_elements()
        if needed:
            return extension_elements.ensure(tag)
        container = extension_elements.find(tag)
        if container is not None:
            extension_elements.children.remove(container)
        return None

    def _keeps(self, holder: AttributeHolder | None, name: str, new_prop: Property) -> bool:
        """Whether `holder.name` keeps its value when `new_prop` replaces its old template's property."""
        return should_keep_value(holder, name, find_old_property(self.old, new_prop), new_prop)

    def _write_attributes(self, holder: AttributeHolder, new_properties: list[Property]) -> None:
        """Set each property's attribute (binding name) on `holder` to its default, unless kept."""
        for new_prop in new_properties:
            name = new_prop["binding"]["name"]
            if not self._keeps(holder, name, new_prop):
                holder.set(name, text(self._default(new_prop)))

    def _update_entry(self, entry: Node, attribute: str, value: JsValue, new_prop: Property, stale: dict[Node, None]) -> None:
        """Update an existing input, output or zeebe:property: it stays (leaves `stale`) when it
        gets a value or keeps the user's; its value is replaced unless the user's is kept."""
        keep = self._keeps(entry, attribute, new_prop)
        if should_update(value, new_prop) or keep:
            _discard(stale, entry)
        if not keep:
            entry.set(attribute, text(value))

    # template attributes and element type ------------------------------------------------

    def _update_template_attributes(self) -> None:
        state = self.state
        if self.new is None:
            state.set(TEMPLATE_ID, None)
            state.set(TEMPLATE_VERSION, None)
            state.set(TEMPLATE_ICON, None)
            if state.message is not None:  # ReferencedElementBehavior unlinks the message too
                state.message.set(TEMPLATE_ID, None)
            return
        version = self.new.get("version")
        if state.get(TEMPLATE_ID) != self.new["id"] or state.template_version() != version:
            state.set(TEMPLATE_ID, self.new["id"])
            state.set(TEMPLATE_VERSION, text(version))
        icon = self.new.get("icon")
        state.set(TEMPLATE_ICON, icon.get("contents") if isinstance(icon, dict) else None)

    def _update_element_type(self) -> None:
        if self.new is None or not self.new.get("elementType"):
            return
        new_type = self.new["elementType"]
        # a first apply never reuses an existing event definition
        if self.old is not None or not new_type.get("eventDefinition"):
            old_type = (self.old.get("elementType") if self.old is not None else None) or {
                "value": self.state.element_type,
                "eventDefinition": _event_definition_type(self.state),
            }
            if old_type.get("value") == new_type["value"] and old_type.get("eventDefinition") == new_type.get("eventDefinition"):
                return
        # like bpmnReplace: the element gets the new type and a fresh event definition
        self.state.element_type = new_type["value"]
        definition = new_type.get("eventDefinition")
        if definition:
            local = definition.partition(":")[2]
            self.state.event_definition = Node("bpmn:" + local[:1].lower() + local[1:], {"id": self._new_id(local)})
            # ReferencedElementBehavior moves a templated message to the new element; an
            # untemplated one stays behind unreferenced
            if self.state.message is not None and self.state.message.get(TEMPLATE_ID):
                self.state.event_definition.set("messageRef", self.state.message.get("id"))
            else:
                self.state.message = None

    # `property` bindings: attributes of the element ----------------------------------------

    def _update_property_bindings(self) -> None:
        for name in self._dropped_names(PROPERTY):
            self.state.set(name, None)
        self._write_attributes(self.state, self._new_properties(PROPERTY))

    # zeebe:taskDefinition -----------------------------------------------------------------

    def _update_task_definition(self) -> None:
        new_properties = self._new_properties(*TASK_DEFINITION_TYPES)
        extension_elements = self.state.ensure_extension_elements()
        task_definition = extension_elements.find("zeebe:taskDefinition")
        if not new_properties:
            if task_definition is not None:
                extension_elements.children.remove(task_definition)
            return
        for new_prop in new_properties:
            name = task_definition_attribute(new_prop["binding"])
            value = self._default(new_prop)
            if task_definition is not None:
                if not self._keeps(task_definition, name, new_prop):
                    task_definition.set(name, text(value))
            else:
                task_definition = Node("zeebe:taskDefinition")
                task_definition.set(name, text(value))
                extension_elements.children.append(task_definition)
        new_names = {task_definition_attribute(p["binding"]) for p in new_properties}
        for old_prop in self._old_properties(*TASK_DEFINITION_TYPES):
            name = task_definition_attribute(old_prop["binding"])
            if name not in new_names and task_definition is not None:
                task_definition.set(name, None)

    # zeebe:ioMapping ----------------------------------------------------------------------

    def _update_io_mapping(self) -> None:
        new_properties = self._new_properties(INPUT, OUTPUT)
        outputs_visible = _outputs_visible(self.new)
        # with outputs shown in the panel, the user's own outputs keep the mapping alive
        current = self.state.extension("zeebe:ioMapping")
        keeps_user_outputs = outputs_visible and current is not None and bool(current.all("zeebe:output"))
        io_mapping = self._container("zeebe:ioMapping", bool(new_properties) or keeps_user_outputs)
        if io_mapping is None:
            return
        stale_inputs = dict.fromkeys(io_mapping.all("zeebe:input"))
        stale_outputs = {} if outputs_visible else dict.fromkeys(io_mapping.all("zeebe:output"))

        for new_prop in new_properties:
            is_input = binding_type(new_prop) == INPUT
            binding = new_prop["binding"]
            value = self._default(new_prop)
            if is_input:
                existing = io_mapping.keyed("zeebe:input", binding.get("name", ""))
                value_attribute = "source"
            else:
                existing = io_mapping.keyed("zeebe:output", binding.get("source", ""))
                value_attribute = "target"
            if existing is not None:
                self._update_entry(existing, value_attribute, value, new_prop, stale_inputs if is_input else stale_outputs)
            elif should_update(value, new_prop):
                if is_input:
                    attributes = {"source": text(value), "target": binding.get("name", "")}
                else:
                    attributes = {"source": binding.get("source", ""), "target": text(value)}
                node = Node("zeebe:input" if is_input else "zeebe:output", {k: v for k, v in attributes.items() if v is not None})
                _append_mapping(io_mapping, node)

        _remove_children(io_mapping, {**stale_inputs, **stale_outputs})

    # zeebe:taskHeaders --------------------------------------------------------------------

    def _update_task_headers(self) -> None:
        new_properties = self._new_properties(TASK_HEADER)
        headers = self._container("zeebe:taskHeaders", bool(new_properties))
        if headers is None:
            return
        stale = dict.fromkeys(headers.all("zeebe:header"))
        for new_prop in new_properties:
            key = new_prop["binding"].get("key", "")
            value = self._default(new_prop)
            existing = headers.keyed("zeebe:header", key)
            if existing is not None:
                if not self._keeps(existing, "value", new_prop):
                    existing.set("value", text(value))
                _discard(stale, existing)
            elif js_truthy(value):
                headers.children.append(Node("zeebe:header", {"key": key, "value": js_string(value)}))
        _remove_children(headers, stale)

    # zeebe:properties ---------------------------------------------------------------------

    def _update_zeebe_properties(self) -> None:
        new_properties = self._new_properties(ZEEBE_PROPERTY)
        container = self._container("zeebe:properties", bool(new_properties))
        if container is None:
            return
        stale = dict.fromkeys(container.all("zeebe:property"))
        for new_prop in new_properties:
            name = new_prop["binding"].get("name", "")
            value = self._default(new_prop)
            existing = container.keyed("zeebe:property", name)
            if existing is not None:
                self._update_entry(existing, "value", value, new_prop, stale)
            elif should_update(value, new_prop):
                container.children.append(Node("zeebe:property", {"name": name, "value": text(value) or ""}))
        _remove_children(container, stale)

    # bpmn:Message (inbound connectors) -------------------------------------------------------

    def _update_message(self) -> None:
        self._update_message_properties()
        self._update_message_subscription()
        if self.new is None or not self._new_properties(*MESSAGE_BINDING_TYPES):
            holder = self.state.message_holder()
            if holder is not None:
                holder.set("messageRef", None)
            if self.state.message is not None:
                self.state.removed_messages.append(self.state.message)
            self.state.message = None
        elif self.state.message is not None and self.state.message.get(TEMPLATE_ID) != self.new["id"]:
            self.state.message.set(TEMPLATE_ID, self.new["id"])

    def _ensure_message(self) -> Node:
        message = self.state.message
        if message is not None and (self.new is None or message.get(TEMPLATE_ID)):
            return message
        assert self.new is not None  # a template with message bindings creates it
        created = Node("bpmn:message", {"id": self._new_id("Message"), TEMPLATE_ID: self.new["id"]})
        if message is not None:
            # the Modeler copies the name and extension elements of an untemplated message
            if message.get("name") is not None:
                created.set("name", message.get("name"))
            extension_elements = message.find("bpmn:extensionElements")
            if extension_elements is not None:
                created.children.append(_copy(extension_elements))
        attach_message(self.state, created)
        return created

    def _update_message_properties(self) -> None:
        new_properties = self._new_properties(MESSAGE_PROPERTY)
        if self.state.message is not None:
            for name in self._dropped_names(MESSAGE_PROPERTY):
                self.state.message.set(name, None)
        if not new_properties:
            return
        self._write_attributes(self._ensure_message(), new_properties)

    def _update_message_subscription(self) -> None:
        new_properties = self._new_properties(MESSAGE_SUBSCRIPTION_PROPERTY)
        removed = self._dropped_names(MESSAGE_SUBSCRIPTION_PROPERTY)
        if not new_properties and not removed:
            return
        if not new_properties and self.state.message is None:
            return
        message = self._ensure_message()
        extension_elements = message.ensure("bpmn:extensionElements")
        subscription = message_subscription(self.state)
        updates: dict[str, str | None] = {}
        for new_prop in new_properties:
            name = new_prop["binding"]["name"]
            if self._keeps(subscription, name, new_prop):
                continue
            updates[name] = text(self._default(new_prop))
        if subscription is not None:
            for name, value in updates.items():
                subscription.set(name, value)
        else:
            subscription = Node("zeebe:subscription", {k: v for k, v in updates.items() if v is not None})
            extension_elements.children.append(subscription)
        if self.old is None:
            return
        for name in removed:
            subscription.set(name, None)


def _event_definition_type(state: ElementState) -> str | None:
    """The moddle type of the element's event definition (`bpmn:MessageEventDefinition`)."""
    if state.event_definition is None:
        return None
    local = state.event_definition.tag.partition(":")[2]
    return "bpmn:" + local[:1].upper() + local[1:]


def _outputs_visible(template: Template | None) -> bool:
    entries = template.get("entriesVisible") if template is not None else None
    return isinstance(entries, dict) and entries.get("outputs") is True


def _discard(stale: dict[Node, None], node: Node) -> None:
    stale.pop(node, None)


def _remove_children(parent: Node, stale: dict[Node, None]) -> None:
    """Remove the entries no new property claimed (one pass over the children)."""
    if stale:
        parent.children[:] = [child for child in parent.children if child not in stale]


def _append_mapping(io_mapping: Node, node: Node) -> None:
    """Append an input after the last input (moddle keeps inputs before outputs)."""
    children = io_mapping.children
    if node.tag == "zeebe:input":
        # from the end: only the outputs after the last input are passed (usually none)
        last_input = next((i for i in range(len(children) - 1, -1, -1) if children[i].tag == "zeebe:input"), None)
        if last_input == len(children) - 1:
            children.append(node)
            return
        if last_input is not None:
            children.insert(last_input + 1, node)
            return
        first_output = next((i for i, n in enumerate(io_mapping.children) if n.tag == "zeebe:output"), None)
        if first_output is not None:
            io_mapping.children.insert(first_output, node)
            return
    io_mapping.children.append(node)


def _copy(node: Node) -> Node:
    return Node(node.tag, dict(node.attributes), [_copy(child) for child in node.children], None)
