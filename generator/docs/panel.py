"""What the properties panel shows for a template, read from the template JSON: its groups in
order, and per group the visible properties in order, with what a user needs to know about each
(label, kind, required, default, FEEL, allowed values, tooltip, and when it is shown, in words).

The panel lists groups in the template's `groups` order and, inside a group, properties in
`properties` order; Hidden properties never appear. For a template with an operation dropdown,
`panel(template, operation=...)` keeps the properties whose condition on the dropdown holds for
that operation and describes their other conditions in words.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from generator.element_template import Condition, Constraints, Property, Template, all_match

KIND_WORDS = {
    "String": "text",
    "Text": "multi-line text",
    "Number": "number",
    "Boolean": "checkbox",
    "Dropdown": "dropdown",
}
FEEL_WORDS = {"optional": "optional", "required": "required"}


@dataclass(frozen=True)
class FieldRow:
    """One field of the panel, described for a reader."""

    id: str
    label: str
    kind: str  # KIND_WORDS
    required: bool
    default: str | None  # as the panel shows it (a choice's name for a dropdown)
    feel: str | None  # FEEL_WORDS, None when the field takes no FEEL
    allowed: tuple[str, ...]  # Markdown-free phrases: choices, pattern message, lengths
    tooltip: str | None
    placeholder: str | None
    condition: str | None  # when it is shown, in words; None: always
    choices: tuple[tuple[str, str], ...] = ()  # (name, value) of a dropdown


@dataclass(frozen=True)
class PanelGroup:
    """A group of the panel with the fields it shows."""

    id: str
    label: str
    rows: tuple[FieldRow, ...]


def is_visible(prop: Property) -> bool:
    """Whether the panel shows the property at all (Hidden ones never)."""
    return prop.get("type") != "Hidden"


def _clauses(condition: Condition | None) -> list[Condition]:
    if not condition:
        return []
    clauses = all_match(condition)
    return [condition] if clauses is None else list(clauses)


def _clause_holds(clause: Condition, value: str) -> bool:
    if "equals" in clause:
        return bool(clause["equals"] == value)
    if "oneOf" in clause:
        return value in clause["oneOf"]
    return True  # isActive / isEmpty on the dropdown itself: it is always shown


def shown_for(prop: Property, switch: str | None, value: str | None) -> bool:
    """Whether `prop` can be shown while dropdown `switch` holds `value` (other clauses aside)."""
    if switch is None:
        return True
    return all(_clause_holds(clause, str(value)) for clause in _clauses(prop.get("condition")) if clause.get("property") == switch)


def panel(template: Template, *, switch: str | None = None, value: str | None = None) -> list[PanelGroup]:
    """The panel's groups and fields while dropdown `switch` (e.g. `operation`) holds `value`;
    without `switch`, every visible property. Empty groups are left out."""
    properties = list(template.get("properties", ()))
    by_id = {prop["id"]: prop for prop in properties if "id" in prop}
    rows: dict[str, list[FieldRow]] = {}
    for prop in properties:
        if is_visible(prop) and shown_for(prop, switch, value):
            rows.setdefault(str(prop.get("group", "")), []).append(field_row(prop, by_id, skip=switch))
    groups = [(str(group["id"]), str(group.get("label", group["id"]))) for group in template.get("groups", ())]
    declared = {group_id for group_id, _ in groups}
    groups += [(group_id, group_id or "Properties") for group_id in rows if group_id not in declared]
    return [PanelGroup(group_id, label, tuple(rows[group_id])) for group_id, label in groups if rows.get(group_id)]


def field_row(prop: Property, by_id: Mapping[str, Property], *, skip: str | None = None) -> FieldRow:
    """The reader's view of one property; conditions on `skip` (the section's dropdown) are implied."""
    kind = str(prop.get("type", "String"))
    constraints = prop.get("constraints") or {}
    choices = tuple((str(choice.get("name", "")), str(choice.get("value", ""))) for choice in prop.get("choices", ()))
    return FieldRow(
        id=str(prop.get("id", "")),
        label=str(prop.get("label") or prop.get("id", "")),
        kind=KIND_WORDS.get(kind, kind.lower()),
        required=bool(constraints.get("notEmpty")),
        default=_default(prop, choices),
        feel=FEEL_WORDS.get(str(prop.get("feel"))) if kind in ("String", "Text") else None,
        allowed=_allowed(kind, constraints, choices),
        tooltip=_text(prop.get("tooltip")) or _text(prop.get("description")),
        placeholder=_text(prop.get("placeholder")),
        condition=condition_words(prop.get("condition"), by_id, skip=skip),
        choices=choices,
    )


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _default(prop: Property, choices: tuple[tuple[str, str], ...]) -> str | None:
    if "value" not in prop:
        return None
    value = prop["value"]
    if choices:
        name = next((name for name, choice in choices if choice == value), None)
        return name if name is not None else str(value)
    if isinstance(value, bool):
        return "checked" if value else "unchecked"
    return str(value)


def _allowed(kind: str, constraints: Constraints, choices: tuple[tuple[str, str], ...]) -> tuple[str, ...]:
    if kind == "Dropdown":
        return tuple(f"{name} ({value})" if value not in ("", name) else name for name, value in choices)
    allowed = []
    pattern = constraints.get("pattern")
    if isinstance(pattern, Mapping):
        allowed.append(str(pattern.get("message") or f"matches {pattern.get('value')}"))
    elif isinstance(pattern, str):
        allowed.append(f"matches {pattern}")
    minimum, maximum = constraints.get("minLength"), constraints.get("maxLength")
    if minimum is not None and maximum is not None:
        allowed.append(f"{minimum} to {maximum} characters")
    elif minimum is not None:
        allowed.append(f"at least {minimum} characters")
    elif maximum is not None:
        allowed.append(f"at most {maximum} characters")
    return tuple(allowed)


def condition_words(condition: Condition | None, by_id: Mapping[str, Property], *, skip: str | None = None) -> str | None:
    """A property's condition as a reader says it, e.g. `Endpoint type is Custom endpoint URL`."""
    phrases = [_clause_words(clause, by_id) for clause in _clauses(condition) if clause.get("property") != skip]
    return " and ".join(phrases) if phrases else None


def _clause_words(clause: Condition, by_id: Mapping[str, Property]) -> str:
    target = by_id.get(str(clause.get("property")), {})
    name = str(target.get("label") or clause.get("property"))
    names = {str(choice.get("value")): str(choice.get("name")) for choice in target.get("choices", ())}

    def shown(value: Any) -> str:
        if isinstance(value, str) and value in names:
            return names[value] or "not set"
        return json.dumps(value, ensure_ascii=False)

    if "equals" in clause:
        return f"{name} is {shown(clause['equals'])}"
    if "oneOf" in clause:
        values = [shown(value) for value in clause["oneOf"]]
        listed = values[0] if len(values) == 1 else ", ".join(values[:-1]) + f" or {values[-1]}"
        return f"{name} is {listed}"
    if "isActive" in clause:
        return f"{name} is {'shown' if clause['isActive'] else 'hidden'}"
    if "isEmpty" in clause:
        return f"{name} is {'empty' if clause['isEmpty'] else 'filled in'}"
    return f"{name} meets {json.dumps(dict(clause), ensure_ascii=False)}"


def common_groups(panels: Iterable[list[PanelGroup]]) -> set[str]:
    """Groups that look the same in every one of `panels` (e.g. authentication, output, retries)."""
    listed = [{group.id: group for group in groups} for groups in panels]
    if not listed:
        return set()
    first, rest = listed[0], listed[1:]
    return {group_id for group_id, group in first.items() if all(other.get(group_id) == group for other in rest)}
