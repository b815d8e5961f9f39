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
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from generator.apply.bindings import (
    INPUT,
    OUTPUT,
    TASK_HEADER,
    ZEEBE_PROPERTY,
    binding_identity,
    binding_label,
    binding_type,
    check_supported,
    property_name,
)
from generator.apply.change import TemplateChange
from generator.apply.conditions import ActiveTemplates, explain_inactive
from generator.apply.errors import ApplyError, value_pointer
from generator.apply.panel import panel_value, write_value
from generator.apply.state import TEMPLATE_ID, ElementState, Node
from generator.element_template import Property, Template
from generator.problems import Location, Problem
from generator.task import AppliedTask

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
    declared = template.get("elementType")
    element_type = declared.get("value") if declared else None
    return ElementState(element_type=element_type or (template.get("appliesTo") or ["bpmn:Task"])[0])


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
    session.change(old)
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
        self._keys: dict[int, tuple[Any, str]] = {}  # binding and condition of each property, by id()
        self._active_templates = ActiveTemplates(template)
        self._active: Template | None = None  # the active template of the state as it is now
        self._active_ids: set[int] = set()  # id() of its properties

    def active(self) -> Template:
        """The template's properties active on the element now, looked up once per change of the
        element (sorting entries is not a change: conditions never depend on entry order, since
        entries bound alike sort alike and keep their relative order)."""
        if self._active is None:
            self._active = self._active_templates.on(self.state)
            self._active_ids = {id(prop) for prop in self._active["properties"]}
        return self._active

    def is_active(self, prop: Property) -> bool:
        """Whether `prop`'s conditions hold on the element now."""
        self.active()
        return id(prop) in self._active_ids

    def _run_change(self, old: Template | None, new_filtered: Template) -> None:
        self._active = None
        TemplateChange(
            self.state,
            old,
            new_filtered,
            new_uuid=lambda prop: self.identity.uuid_for(self.template, prop),
            new_id=lambda prefix: self.identity.new_id(self.template, prefix),
        ).run()

    def change(self, old: Template | None) -> None:
        """`propertiesPanel.zeebe.changeTemplate` with `ConditionalBehavior` around it."""
        applied = self.active()
        self._run_change(old, applied)
        self._settle(applied)

    def _settle(self, previous: Template) -> None:
        """Re-apply the template while the active bindings keep changing (the fixed point)."""
        for _ in range(len(self.template["properties"]) + 2):
            current = self.active()
            if not self._bindings_differ(current, previous):
                self._sort_entries()
                return
            self._run_change(previous, current)
            previous = current
        raise ApplyError(
            f"template {self.template.get('id')!r}: its conditions never settle "
            "(properties keep switching each other on and off)",
            rule="conditions-unsettled",
        )

    # user values ---------------------------------------------------------------------

    def set_values(self, values: Mapping[str, str]) -> None:
        """Set `values` one by one, each once its property is active (panel order: template order).

        A value that cannot be set is left out and the others are still set, so one `ApplyError`
        reports every problem of the value set (unknown, doubled, inactive or refused values).
        """
        properties = self.template["properties"]
        problems = self._key_problems(values)
        pending = {key: value for key, value in values.items() if self._candidates(key)}
        assigned: dict[str, Property] = {}
        while pending:
            progressed = False
            for key in sorted(pending, key=lambda k: self._position(k)):
                try:
                    prop = self._resolve_active(key)
                    if prop is None:
                        continue
                    self._set_value(prop, pending.pop(key))
                except ApplyError as error:  # refused by the panel; leave the value out, go on
                    pending.pop(key, None)
                    problems += [_value_problem(each.rule, key, each.message) for each in error.problems]
                    progressed = True
                    continue
                assigned[key] = prop
                progressed = True
            if not progressed:
                problems += [self._inactive_problem(key) for key in sorted(pending, key=lambda k: self._position(k))]
                break
        for key, prop in assigned.items():
            if not self.is_active(prop):
                problems.append(_value_problem(
                    "inactive-property", key,
                    f"property {property_name(prop)!r} is not active: {explain_inactive(self.state, properties, prop)} "
                    f"(the value given for {key!r} was dropped by another value)",
                ))
        if problems:
            raise ApplyError.of(problems)

    def _candidates(self, key: str) -> list[Property]:
        properties = self.template["properties"]
        by_id = [p for p in properties if p.get("id") == key]
        return by_id or [p for p in properties if binding_label(p["binding"]) == key]

    def _position(self, key: str) -> int:
        candidates = self._candidates(key)
        return self.template["properties"].index(candidates[0]) if candidates else -1

    def _key_problems(self, values: Mapping[str, str]) -> list[Problem]:
        """A problem for every key that names no property, and for every property named twice."""
        problems = []
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
            known = f" (known: {', '.join(names[:20])}{', ...' if len(names) > 20 else ''})"
            hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else known
            problems.append(_value_problem(
                "unknown-property", key,
                f"unknown property {key!r} for template {self.template.get('id')!r}: "
                f"no property has this id or binding name{hint}",
            ))
        seen: dict[int, str] = {}
        for key in values:
            for prop in self._candidates(key):
                if len(self._candidates(key)) == 1 and id(prop) in seen:
                    problems.append(_value_problem(
                        "value-given-twice", key,
                        f"property {property_name(prop)!r} is given twice: as {seen[id(prop)]!r} and as {key!r}",
                    ))
                seen[id(prop)] = key
        return problems

    def _resolve_active(self, key: str) -> Property | None:
        active = [p for p in self._candidates(key) if self.is_active(p)]
        if not active:
            return None
        if len({binding_identity(p["binding"]) for p in active}) > 1:
            ids = ", ".join(repr(property_name(p)) for p in active)
            raise ApplyError(f"{key!r} names several active properties ({ids}); use the property id instead", rule="ambiguous-name")
        return active[0]

    def _inactive_problem(self, key: str) -> Problem:
        properties = self.template["properties"]
        prop = self._candidates(key)[0]
        return _value_problem(
            "inactive-property", key,
            f"property {property_name(prop)!r} is not active: {explain_inactive(self.state, properties, prop)}",
        )

    def _set_value(self, prop: Property, typed: str) -> None:
        """The properties panel's setter, then `ConditionalBehavior` and the order behaviour."""
        before = self.active()
        value = panel_value(prop, typed, self.state, self.template["properties"])
        self._active = None
        write_value(self.state, prop, value, lambda: self.identity.new_id(self.template, "Message"))
        self._sort_entries()
        self._settle(before)

    def _bindings_differ(self, current: Template, previous: Template) -> bool:
        """ConditionalBehavior's `hasDifferentPropertyBindings(current, previous)`: a previously
        active property (binding and condition) is gone, or one with a new binding appeared."""
        current_keys = {self._key(p) for p in current["properties"]}
        previous_keys = {self._key(p) for p in previous["properties"]}
        if previous_keys - current_keys:
            return True
        previous_bindings = {binding for binding, _ in previous_keys}
        return any(binding not in previous_bindings for binding, _ in current_keys - previous_keys)

    def _key(self, prop: Property) -> tuple[Any, str]:
        """A property's binding and its condition as canonical JSON, worked out once per property."""
        key = self._keys.get(id(prop))
        if key is None:
            key = self._keys[id(prop)] = (
                binding_identity(prop["binding"]),
                json.dumps(prop.get("condition"), sort_keys=True),
            )
        return key

    # UpdateTemplatePropertiesOrder -----------------------------------------------------------

    def _sort_entries(self) -> None:
        active = self.active()["properties"]

        def index(kind: str, attribute: str, binding_key: str) -> Callable[[Node], int]:
            """An entry's position: the first active property of `kind` bound to its `attribute`."""
            positions: dict[Any, int] = {}
            for i, p in enumerate(active):
                bound = p["binding"].get(binding_key)
                if binding_type(p) == kind and isinstance(bound, (str, type(None))):
                    positions.setdefault(bound, i)
            return lambda node: positions.get(node.get(attribute), -1)

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


def _value_problem(rule: str, key: str, message: str) -> Problem:
    """A problem with the value given for `key`."""
    return Problem("error", rule, message, Location(pointer=value_pointer(key)))


def _sort_children(node: Node, tag: str, key: Callable[[Node], int]) -> None:
    """Stable-sort the `tag` children by `key`, leaving other children where they are."""
    slots = [i for i, child in enumerate(node.children) if child.tag == tag]
    ordered = sorted((node.children[i] for i in slots), key=key)
    for slot, child in zip(slots, ordered, strict=False):
        node.children[slot] = child
