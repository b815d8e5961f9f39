"""The Modeler's workflow around a template change: conditions to a fixed point, user input.

`apply_to_state` does what a user does in the Camunda Modeler: apply (or upgrade to) a
template, then type values into the properties panel. It reproduces the three behaviours that
run around every change in bpmn-js-element-templates: `ConditionalBehavior` (re-apply the
template until the set of active properties stops changing), the properties panel's setter
(`setPropertyValue`, with the panel's FEEL casting of typed values) and
`UpdateTemplatePropertiesOrder` (entries sorted into template order). `unlink_state` and
`remove_state` are the Modeler's "Unlink" and "Remove" template actions.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import math
import re
import uuid
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping

from generator.apply.bindings import (
    INPUT,
    MESSAGE_PROPERTY,
    MESSAGE_SUBSCRIPTION_PROPERTY,
    OUTPUT,
    PROPERTY,
    TASK_DEFINITION_TYPES,
    TASK_HEADER,
    ZEEBE_PROPERTY,
    binding_identity,
    binding_label,
    binding_type,
    check_supported,
    message_subscription,
    task_definition_attribute,
)
from generator.apply.change import TemplateChange, should_update, text
from generator.apply.conditions import active_template, condition_holds, explain_inactive, is_condition_met
from generator.apply.errors import ApplyError
from generator.apply.model import AppliedTask
from generator.apply.state import TEMPLATE_ID, ElementState, Node
from generator.apply.values import JsValue, feel_mode, js_truthy, should_cast_to_feel, to_feel_expression

Template = dict[str, Any]
Property = dict[str, Any]

_NUMBER_TEXT = re.compile(r"^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$")
_UUID_NAMESPACE = uuid.UUID("6f1c3b0e-4a8e-4e57-9d0f-2f5bb1f0e7a1")


@dataclass(frozen=True)
class Identity:
    """What makes generated values (UUIDs, message ids) deterministic for one element."""

    element_id: str = ""

    def uuid_for(self, template: Template, prop: Property) -> str:
        """A UUID fixed by template id, version, element id and binding (a new version gives a
        new one, as the Modeler regenerates Hidden generated values on upgrade)."""
        seed = f"{template.get('id')}|{template.get('version')}|{self.element_id}|{binding_identity(prop['binding'])}"
        return str(uuid.uuid5(_UUID_NAMESPACE, seed))

    def new_id(self, template: Template, prefix: str) -> str:
        """`<prefix>_` and seven base-36 characters derived from element id, template id and prefix
        (`Message_0k3x9ab`, `MessageEventDefinition_...`), like the Modeler's generated ids."""
        number = int(hashlib.sha1(f"{self.element_id}|{template.get('id')}|{prefix}".encode()).hexdigest()[:12], 16)
        digits = ""
        for _ in range(7):
            number, digit = divmod(number, 36)
            digits = "0123456789abcdefghijklmnopqrstuvwxyz"[digit] + digits
        return f"{prefix}_{digits}"


def apply_template(
    template: Template, values: Mapping[str, str] | None = None, *, element_id: str | None = None
) -> AppliedTask:
    """What the Modeler writes for a new element after applying `template` and the user entering
    `values` in the properties panel, as an `AppliedTask`.

    `values` maps a property `id` (or a binding name: input `name`, header `key`, output
    `source`, taskDefinition `property`, zeebe:property `name`, attribute `name`) to the text
    a user types: `"0.7"` in a number field, `"true"`/`"false"` for a checkbox, a dropdown's
    choice value. Raises `ApplyError` for unknown keys, values of inactive or Hidden
    properties, and values a field would not accept. `element_id` names the element (it seeds
    generated values such as UUIDs, exactly as applying to that element in a diagram does).
    """
    state = new_element_state(template)
    apply_to_state(state, template, values, identity=Identity(element_id or ""))
    return state.to_applied_task(element_id)


def new_element_state(template: Template) -> ElementState:
    """A fresh, untemplated element of the type the template is meant for."""
    element_type = (template.get("elementType") or {}).get("value") or (template.get("appliesTo") or ["bpmn:Task"])[0]
    return ElementState(element_type=element_type)


def apply_to_state(
    state: ElementState,
    template: Template,
    values: Mapping[str, str] | None = None,
    *,
    known_templates: Iterable[Template] = (),
    identity: Identity = Identity(),
) -> None:
    """Apply `template` to `state` like `elementTemplates.applyTemplate`, then set `values`.

    The template currently linked to the element (`zeebe:modelerTemplate` and version) is
    looked up in `known_templates` and `template`; when found, the apply is an upgrade that
    keeps values the user changed from that version's defaults. Mutates `state`.
    """
    check_supported(template)
    session = _Session(state, template, identity)
    old = linked_template(state, [template, *known_templates])
    session.change(old, template)
    if values:
        session.set_values(values)


def linked_template(state: ElementState, templates: Iterable[Template]) -> Template | None:
    """The template (by id and version) the element is linked to, if it is among `templates`."""
    template_id = state.get(TEMPLATE_ID)
    if template_id is None:
        return None
    version = state.template_version()
    return next((t for t in templates if t.get("id") == template_id and t.get("version") == version), None)


def unlink_state(state: ElementState) -> None:
    """The Modeler's "Unlink": drop the template attributes, keep everything it wrote."""
    TemplateChange(state, None, None, new_uuid=_no_uuid, new_id=_no_id).run()


def remove_state(state: ElementState, known_templates: Iterable[Template] = ()) -> None:
    """The Modeler's "Remove": drop the template attributes and everything the template binds.

    The linked template (looked up in `known_templates`) tells which element attributes it
    binds; without it only the extension elements are removed, as in the Modeler.
    """
    old = linked_template(state, known_templates)
    if old is not None:
        check_supported(old)
    TemplateChange(state, old, None, remove_properties=True, new_uuid=_no_uuid, new_id=_no_id).run()


def _no_uuid(prop: Property) -> str:
    raise AssertionError("removing a template generates no values")


def _no_id(prefix: str) -> str:
    raise AssertionError("removing a template creates no elements")


class _Session:
    """One element in the Modeler with one template: template changes and user edits."""

    def __init__(self, state: ElementState, template: Template, identity: Identity) -> None:
        self.state = state
        self.template = template
        self.identity = identity

    def _run_change(self, old: Template | None, new_filtered: Template) -> None:
        TemplateChange(
            self.state,
            old,
            new_filtered,
            new_uuid=lambda prop: self.identity.uuid_for(self.template, prop),
            new_id=lambda prefix: self.identity.new_id(self.template, prefix),
        ).run()

    def change(self, old: Template | None, template: Template) -> None:
        """`propertiesPanel.zeebe.changeTemplate` with `ConditionalBehavior` around it."""
        applied = active_template(self.state, template)
        self._run_change(old, applied)
        self._settle(applied)

    def _settle(self, previous: Template) -> None:
        """Re-apply the template while the active bindings keep changing (the fixed point)."""
        for _ in range(len(self.template["properties"]) + 2):
            current = active_template(self.state, self.template)
            if not _bindings_differ(current, previous):
                self._sort_entries()
                return
            self._run_change(previous, current)
            previous = current
        raise ApplyError(
            f"template {self.template.get('id')!r}: its conditions never settle "
            "(properties keep switching each other on and off)"
        )

    # user values ---------------------------------------------------------------------

    def set_values(self, values: Mapping[str, str]) -> None:
        """Set `values` one by one, each once its property is active (panel order: template order)."""
        properties = self.template["properties"]
        self._check_keys(values)
        pending = dict(values)
        assigned: dict[str, Property] = {}
        while pending:
            progressed = False
            for key in sorted(pending, key=lambda k: self._position(k)):
                prop = self._resolve_active(key)
                if prop is None:
                    continue
                self._set_value(prop, pending.pop(key))
                assigned[key] = prop
                progressed = True
            if not progressed:
                key = next(iter(sorted(pending, key=lambda k: self._position(k))))
                raise self._inactive_error(key)
        for key, prop in assigned.items():
            if not is_condition_met(self.state, properties, prop):
                raise ApplyError(
                    f"property {_name(prop)!r} is not active: {explain_inactive(self.state, properties, prop)} "
                    f"(the value given for {key!r} was dropped by another value)"
                )

    def _candidates(self, key: str) -> list[Property]:
        properties = self.template["properties"]
        by_id = [p for p in properties if p.get("id") == key]
        return by_id or [p for p in properties if binding_label(p["binding"]) == key]

    def _position(self, key: str) -> int:
        candidates = self._candidates(key)
        return self.template["properties"].index(candidates[0]) if candidates else -1

    def _check_keys(self, values: Mapping[str, str]) -> None:
        for key in values:
            if self._candidates(key):
                continue
            names = sorted(
                {p["id"] for p in self.template["properties"] if p.get("id")}
                | {binding_label(p["binding"]) for p in self.template["properties"] if p.get("type") != "Hidden"}
            )
            # close spellings, and per-operation variants such as `chatCompletion_<key>`
            suffixed = [n for n in names if n.lower().endswith("_" + key.lower())]
            close = list(dict.fromkeys(suffixed + difflib.get_close_matches(key, names, n=3, cutoff=0.6)))[:4]
            hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else f" (known: {', '.join(names[:20])}{', ...' if len(names) > 20 else ''})"
            raise ApplyError(
                f"unknown property {key!r} for template {self.template.get('id')!r}: "
                f"no property has this id or binding name{hint}"
            )
        seen: dict[int, str] = {}
        for key in values:
            for prop in self._candidates(key):
                if len(self._candidates(key)) == 1 and id(prop) in seen:
                    raise ApplyError(f"property {_name(prop)!r} is given twice: as {seen[id(prop)]!r} and as {key!r}")
                seen[id(prop)] = key

    def _resolve_active(self, key: str) -> Property | None:
        properties = self.template["properties"]
        active = [p for p in self._candidates(key) if is_condition_met(self.state, properties, p)]
        if not active:
            return None
        if len({binding_identity(p["binding"]) for p in active}) > 1:
            ids = ", ".join(repr(_name(p)) for p in active)
            raise ApplyError(f"{key!r} names several active properties ({ids}); use the property id instead")
        return active[0]

    def _inactive_error(self, key: str) -> ApplyError:
        properties = self.template["properties"]
        prop = self._candidates(key)[0]
        return ApplyError(f"property {_name(prop)!r} is not active: {explain_inactive(self.state, properties, prop)}")

    def _set_value(self, prop: Property, typed: str) -> None:
        """The properties panel's setter, then `ConditionalBehavior` and the order behaviour."""
        before = active_template(self.state, self.template)
        value = panel_value(prop, typed, self.state, self.template["properties"])
        write_value(self.state, prop, value, lambda: self.identity.new_id(self.template, "Message"))
        self._sort_entries()
        self._settle(before)

    # UpdateTemplatePropertiesOrder -----------------------------------------------------------

    def _sort_entries(self) -> None:
        active = active_template(self.state, self.template)["properties"]

        def index(kind: str, attribute: str, binding_key: str) -> Callable[[Node], int]:
            def find(node: Node) -> int:
                return next(
                    (
                        i
                        for i, p in enumerate(active)
                        if binding_type(p) == kind and p["binding"].get(binding_key) == node.get(attribute)
                    ),
                    -1,
                )

            return find

        io_mapping = self.state.extension("zeebe:ioMapping")
        if io_mapping is not None:
            _sort_children(io_mapping, "zeebe:input", index(INPUT, "target", "name"))
            _sort_children(io_mapping, "zeebe:output", index(OUTPUT, "source", "source"))
        headers = self.state.extension("zeebe:taskHeaders")
        if headers is not None:
            _sort_children(headers, "zeebe:header", index(TASK_HEADER, "key", "key"))
        properties = self.state.extension("zeebe:properties")
        if properties is not None:
            _sort_children(properties, "zeebe:property", index(ZEEBE_PROPERTY, "name", "name"))


def _sort_children(node: Node, tag: str, key: Callable[[Node], int]) -> None:
    """Stable-sort the `tag` children by `key`, leaving other children where they are."""
    slots = [i for i, child in enumerate(node.children) if child.tag == tag]
    ordered = sorted((node.children[i] for i in slots), key=key)
    for slot, child in zip(slots, ordered):
        node.children[slot] = child


def _bindings_differ(current: Template, previous: Template) -> bool:
    """ConditionalBehavior's `hasDifferentPropertyBindings(current, previous)`: a previously
    active property (binding and condition) is gone, or one with a new binding appeared."""
    current_keys = {(binding_identity(p["binding"]), _canonical(p.get("condition"))) for p in current["properties"]}
    previous_keys = {(binding_identity(p["binding"]), _canonical(p.get("condition"))) for p in previous["properties"]}
    if previous_keys - current_keys:
        return True
    previous_bindings = {binding for binding, _ in previous_keys}
    return any(binding not in previous_bindings for binding, _ in current_keys - previous_keys)


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


def _name(prop: Property) -> str:
    return prop.get("id") or binding_label(prop["binding"])


# the properties panel ---------------------------------------------------------------------


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
    name = _name(prop)
    kind = prop.get("type", "String")
    if kind == "Hidden":
        raise ApplyError(f"property {name!r} is Hidden: its value is fixed by the template and cannot be set")
    if prop.get("editable") is False:
        raise ApplyError(f"property {name!r} is not editable in the Modeler (editable: false)")
    feel_toggle = feel_mode(prop) in ("optional", "required") and kind in ("Boolean", "Number")
    value: JsValue
    if feel_toggle and typed.startswith("="):
        value = typed
    elif kind == "Boolean":
        if typed not in ("true", "false"):
            raise ApplyError(f"property {name!r} is a checkbox: expected true or false, got {typed!r}")
        value = typed == "true"
    elif kind == "Number":
        if typed.strip() == "":
            value = None
        elif not _NUMBER_TEXT.match(typed):
            raise ApplyError(f"property {name!r} is a number field: {typed!r} is not a number")
        else:
            number = float(typed)
            if math.isinf(number):
                raise ApplyError(f"property {name!r} is a number field: {typed!r} is out of range")
            value = int(number) if number.is_integer() and abs(number) < 2**53 else number
    elif kind == "Dropdown":
        choices = [
            c for c in prop.get("choices") or []
            if state is None or condition_holds(state, properties or [], c.get("condition"))
        ]
        if typed not in [c.get("value") for c in choices]:
            listed = ", ".join(f"{c.get('value')} ({c.get('name')})" for c in choices)
            raise ApplyError(f"property {name!r} is a dropdown: {typed!r} is not one of its choices: {listed}")
        value = typed
    else:
        value = typed
        if should_cast_to_feel(prop) and typed == "":
            value = None
    if should_cast_to_feel(prop):
        value = to_feel_expression(value, kind)
    return value


def write_value(state: ElementState, prop: Property, value: JsValue, new_message_id: Callable[[], str]) -> None:
    """Store a panel value like `setPropertyValue`: replaced entries move to the end (the order
    behaviour sorts them back), empty optional entries and empty headers are removed."""
    binding = prop["binding"]
    kind = binding["type"]
    if kind == PROPERTY:
        state.set(binding["name"], text(value if js_truthy(value) else ""))
        return
    if kind == MESSAGE_PROPERTY:
        _ensure_panel_message(state, new_message_id).set(binding["name"], text(value if js_truthy(value) else ""))
        return
    if kind == MESSAGE_SUBSCRIPTION_PROPERTY:
        message = _ensure_panel_message(state, new_message_id)
        subscription = message_subscription(state)
        if subscription is None:
            extension_elements = message.find("bpmn:extensionElements")
            if extension_elements is None:
                extension_elements = Node("bpmn:extensionElements")
                message.children.append(extension_elements)
            subscription = Node("zeebe:subscription")
            extension_elements.children.append(subscription)
        subscription.set(binding["name"], text(value if js_truthy(value) else ""))
        return
    extension_elements = state.ensure_extension_elements()
    if kind in TASK_DEFINITION_TYPES:
        task_definition = extension_elements.find("zeebe:taskDefinition")
        if task_definition is None:
            task_definition = Node("zeebe:taskDefinition")
            extension_elements.children.append(task_definition)
        task_definition.set(task_definition_attribute(binding), text(value if js_truthy(value) else ""))
        return
    container_tag, entry_tag, key_attribute, key, value_attribute = {
        INPUT: ("zeebe:ioMapping", "zeebe:input", "target", binding.get("name"), "source"),
        OUTPUT: ("zeebe:ioMapping", "zeebe:output", "source", binding.get("source"), "target"),
        TASK_HEADER: ("zeebe:taskHeaders", "zeebe:header", "key", binding.get("key"), "value"),
        ZEEBE_PROPERTY: ("zeebe:properties", "zeebe:property", "name", binding.get("name"), "value"),
    }[kind]
    container = extension_elements.find(container_tag)
    if container is None:
        container = Node(container_tag)
        extension_elements.children.append(container)
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
        state.message = Node("bpmn:message", {"id": new_message_id(), TEMPLATE_ID: state.get(TEMPLATE_ID) or ""})
        holder = state.message_holder()
        if holder is None:
            raise ApplyError(f"{state.element_type} has no event definition to refer to a message")
        holder.set("messageRef", state.message.get("id"))
    return state.message
