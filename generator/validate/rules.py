"""Semantic rules of element templates that JSON Schema cannot express, and deprecation warnings.

Every rule has an id and one severity, listed in `RULES`. Errors are what the Modeler rejects
(`$schema`, id+version, elementType, engines) or what makes a template ambiguous or broken
whatever the user does (duplicate ids, self-referencing conditions, a version header that lies,
FEEL that does not parse). Warnings are mistakes the Modeler tolerates and that published
templates contain (e.g. `@camunda/connectors-element-templates` has conditions on ids no
property has, conditions on later properties, undeclared and empty groups, dropdown defaults
that are not a choice) plus the deprecations the official validator warns about.

The rules read templates defensively: a part with the wrong shape is skipped here, because the
schema check already reports it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from generator.problems import Problem
from generator.semver import SemverError, Version, parse_range
from generator.validate import bpmn_types, feel_syntax
from generator.validate.conditions import Clause, clauses, compared_values, mutually_exclusive
from generator.validate.findings import finding
from generator.validate.panel import PANEL_RULES
from generator.validate.positions import join

SCHEMA_PACKAGE = "@camunda/zeebe-element-templates-json-schema"
SCHEMA_URL = f"https://unpkg.com/{SCHEMA_PACKAGE}/resources/schema.json"
SUPPORTED_SCHEMA_VERSION = (0, 46, 0)


@dataclass
class TemplateView:
    """One template with the indexes the rules share, built in one pass over its properties."""

    template: dict[str, Any]
    pointer: str
    properties: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    positions_by_id: dict[str, list[int]] = field(default_factory=dict)
    conditions: dict[int, list[Clause]] = field(default_factory=dict)
    _choices: dict[str, list[str] | None] = field(default_factory=dict)

    @classmethod
    def of(cls, template: dict[str, Any], pointer: str) -> TemplateView:
        view = cls(template, pointer)
        properties = template.get("properties")
        if not isinstance(properties, list):
            return view
        for index, prop in enumerate(properties):
            if not isinstance(prop, dict):
                continue
            view.properties.append((index, prop))
            if isinstance(prop.get("id"), str):
                view.positions_by_id.setdefault(prop["id"], []).append(index)
            if "condition" in prop:
                view.conditions[index] = clauses(prop["condition"], f"{pointer}/properties/{index}/condition")
        return view

    def property_pointer(self, index: int, *tokens: str | int) -> str:
        return join(f"{self.pointer}/properties/{index}", *tokens)

    def dropdown_choices(self, property_id: str) -> list[str] | None:
        """The choice values of the dropdown(s) with `property_id`, or None when a property
        with that id is not a dropdown (conditions on it compare free values)."""
        if property_id not in self._choices:
            targets = [self.template["properties"][position] for position in self.positions_by_id[property_id]]
            if all(target.get("type") == "Dropdown" and isinstance(target.get("choices"), list) for target in targets):
                self._choices[property_id] = list(dict.fromkeys(
                    choice["value"] for target in targets for choice in target["choices"]
                    if isinstance(choice, dict) and isinstance(choice.get("value"), str)))
            else:
                self._choices[property_id] = None
        return self._choices[property_id]


def check_template(template: dict[str, Any], pointer: str) -> list[Problem]:
    """All semantic findings of one template (at `pointer` in its file)."""
    view = TemplateView.of(template, pointer)
    findings: list[Problem] = []
    for rule in _TEMPLATE_RULES:
        findings.extend(rule(view))
    return findings


def check_file_templates(templates: list[tuple[str, dict[str, Any]]]) -> list[Problem]:
    """Rules across the templates of one file: (id, version) must be unique."""
    seen: dict[tuple[Any, Any], str] = {}
    findings = []
    for pointer, template in templates:
        template_id, version = template.get("id"), template.get("version")
        if not isinstance(template_id, str) or isinstance(version, (dict, list)):
            continue
        key = (template_id, version)
        if key in seen:
            described = f'version {version}' if version is not None else "no version"
            where = join(pointer, "version") if version is not None else join(pointer, "id")
            findings.append(finding(
                "unique-id-version", where,
                f'template id "{template_id}" with {described} is already used by the template at {seen[key] or "/"}; '
                "the Modeler rejects the second one: give each template version its own number",
            ))
        else:
            seen[key] = pointer
    return findings


def _schema_reference(view: TemplateView) -> Iterator[Problem]:
    schema = view.template.get("$schema")
    if not isinstance(schema, str) or not schema:
        yield finding("schema-reference", view.pointer,
                      f'missing "$schema": the Modeler rejects templates without it; add "$schema": "{SCHEMA_URL}"')
        return
    where = join(view.pointer, "$schema")
    if SCHEMA_PACKAGE not in schema:
        yield finding("schema-reference", where,
                      f'"$schema" {_json(schema)} does not name {SCHEMA_PACKAGE}, so the Modeler rejects the template; use "{SCHEMA_URL}"')
        return
    pinned = re.search(r"\d+\.\d+\.\d+", schema)
    if pinned and tuple(map(int, pinned.group().split("."))) > SUPPORTED_SCHEMA_VERSION:
        known = ".".join(map(str, SUPPORTED_SCHEMA_VERSION))
        yield finding("schema-version", where,
                      f"$schema pins version {pinned.group()}, newer than {known} which etk knows; Modelers bundling an "
                      f"older schema reject the template (an unversioned URL avoids that)")


def _element_type(view: TemplateView) -> Iterator[Problem]:
    element_type, applies_to = view.template.get("elementType"), view.template.get("appliesTo")
    if not isinstance(element_type, dict) or not isinstance(element_type.get("value"), str) or not isinstance(applies_to, list):
        return
    target = element_type["value"]
    sources = [(index, source) for index, source in enumerate(applies_to) if isinstance(source, str)]
    if not any(bpmn_types.is_type(target, source) for _, source in sources):
        listed = ", ".join(source for _, source in sources)
        yield finding("element-type", join(view.pointer, "elementType", "value"),
                      f"elementType {target} is not {'' if bpmn_types.ancestors(target) else 'a known BPMN type, nor '}"
                      f"one of appliesTo ({listed}) or a subtype of one; the Modeler rejects the template")
        return
    for index, source in sources:
        if not bpmn_types.can_morph(source, target):
            yield finding("element-type", join(view.pointer, "appliesTo", index),
                          f"an element of appliesTo type {source} cannot be turned into elementType {target}: "
                          "both must be activities, events or gateways; the Modeler rejects the template")


def _engines(view: TemplateView) -> Iterator[Problem]:
    engines = view.template.get("engines")
    if not isinstance(engines, dict):
        return
    for engine, text in engines.items():
        if not isinstance(text, str):
            continue
        try:
            parse_range(text)
        except SemverError as problem:
            yield finding("engines", join(view.pointer, "engines", engine),
                          f"engines.{engine} is not a valid semver range: {problem}")


def _property_ids(view: TemplateView) -> Iterator[Problem]:
    for property_id, positions in view.positions_by_id.items():
        for later_rank, later in enumerate(positions[1:], start=1):
            later_clauses = view.conditions.get(later, [])
            for earlier in positions[:later_rank]:
                if not mutually_exclusive(view.conditions.get(earlier, []), later_clauses):
                    yield finding("unique-property-id", view.property_pointer(later, "id"),
                                  f'property id "{property_id}" is already used by {view.property_pointer(earlier)}; '
                                  "ids must be unique unless the properties' conditions exclude each other")
                    break


def _conditions(view: TemplateView) -> Iterator[Problem]:
    for index, prop in view.properties:
        own_id = prop.get("id")
        yield from _check_clauses(view, index, own_id, view.conditions.get(index, []), "this property is never active")
        choices = prop.get("choices")
        if isinstance(choices, list):
            for choice_index, choice in enumerate(choices):
                if isinstance(choice, dict) and "condition" in choice:
                    choice_clauses = clauses(choice["condition"], view.property_pointer(index, "choices", choice_index, "condition"))
                    yield from _check_clauses(view, index, own_id, choice_clauses, "this choice is never offered")


def _check_clauses(view: TemplateView, index: int, own_id: Any, condition_clauses: list[Clause], consequence: str) -> Iterator[Problem]:
    for clause in condition_clauses:
        positions = view.positions_by_id.get(clause.target)
        if clause.target == own_id:
            yield finding("condition-self", clause.pointer + "/property",
                          f'condition refers to the property\'s own id "{own_id}"; a property cannot depend on itself')
        elif not positions:
            yield finding("condition-target", clause.pointer + "/property",
                          f'condition refers to property id "{clause.target}", which no property has, so {consequence}')
        else:
            if positions[0] > index:
                yield finding("condition-order", clause.pointer + "/property",
                              f'condition refers to property "{clause.target}", which is defined later '
                              f"({view.property_pointer(positions[0])}); define it before the properties that depend on it")
            if clause.operator in ("equals", "oneOf"):
                yield from _condition_values(view, clause, consequence)


def _condition_values(view: TemplateView, clause: Clause, consequence: str) -> Iterator[Problem]:
    allowed = view.dropdown_choices(clause.target)
    if allowed is None:
        return
    operands = [clause.operand] if clause.operator == "equals" else clause.operand if isinstance(clause.operand, list) else []
    if all(isinstance(value, str) and value in allowed for value in operands):
        return
    listed = ", ".join(_json(choice) for choice in allowed)
    for pointer, value in compared_values(clause):
        if not isinstance(value, str) or value not in allowed:
            yield finding("condition-value", pointer,
                          f'{_json(value)} is not a choice of dropdown "{clause.target}" ({listed}), so {consequence}')


def _dropdown_defaults(view: TemplateView) -> Iterator[Problem]:
    for index, prop in view.properties:
        choices = prop.get("choices")
        if prop.get("type") != "Dropdown" or "value" not in prop or not isinstance(choices, list):
            continue
        values = [choice.get("value") for choice in choices if isinstance(choice, dict)]
        if prop["value"] not in values or not isinstance(prop["value"], str):
            listed = ", ".join(_json(value) for value in values)
            yield finding("dropdown-default", view.property_pointer(index, "value"),
                          f"the default value {_json(prop['value'])} is not one of the dropdown's choices ({listed}); "
                          "the Modeler shows an empty selection")


def _groups(view: TemplateView) -> Iterator[Problem]:
    groups = view.template.get("groups")
    declared: dict[str, int] = {}
    if isinstance(groups, list):
        for index, group in enumerate(groups):
            if not isinstance(group, dict) or not isinstance(group.get("id"), str):
                continue
            if group["id"] in declared:
                yield finding("unique-group-id", join(view.pointer, "groups", index, "id"),
                              f'group id "{group["id"]}" is already declared at {join(view.pointer, "groups", declared[group["id"]])}')
            else:
                declared[group["id"]] = index
    used: set[str] = set()
    for index, prop in view.properties:
        group = prop.get("group")
        if not isinstance(group, str):
            continue
        used.add(group)
        if group not in declared:
            yield finding("group-declared", view.property_pointer(index, "group"),
                          f'group "{group}" is not declared in "groups", so the Modeler shows this property outside any group; '
                          "declare the group or remove \"group\"")
    for group_id, index in declared.items():
        if group_id not in used:
            yield finding("empty-group", join(view.pointer, "groups", index),
                          f'group "{group_id}" has no properties; remove it or put properties in it')


def _version_header(view: TemplateView) -> Iterator[Problem]:
    for index, prop in view.properties:
        binding = prop.get("binding")
        if not isinstance(binding, dict) or binding.get("type") != "zeebe:taskHeader" or binding.get("key") != "elementTemplateVersion":
            continue
        if "version" not in view.template:
            yield finding("element-template-version", view.property_pointer(index),
                          'the template has an elementTemplateVersion header but no "version"; add "version"')
        elif str(prop.get("value")) != str(view.template["version"]):
            yield finding("element-template-version", view.property_pointer(index, "value"),
                          f"the elementTemplateVersion header is {_json(prop.get('value'))} but the template's version is "
                          f"{_json(view.template['version'])}; they must be equal")


_EMPTY_INPUT_MAPS_NULL = Version(8, 8, 0)  # from this Camunda version an input without source maps null


def _supports_camunda_before(template: dict[str, Any], version: Version) -> bool:
    """True when the template's `engines.camunda` range admits a Camunda version below `version`."""
    engines = template.get("engines")
    text = engines.get("camunda") if isinstance(engines, dict) else None
    if not isinstance(text, str):
        return False
    try:
        lowest = parse_range(text).lowest_version()
    except SemverError:
        return False  # reported by the engines rule
    return lowest is not None and lowest.sort_key() < version.sort_key()


def _deprecations(view: TemplateView) -> Iterator[Problem]:
    # `optional` is the only way to leave an input unwritten before Camunda 8.8 (an input without
    # a source does not deploy there), so it is deprecated only for templates that need 8.8+.
    optional_inputs_needed = _supports_camunda_before(view.template, _EMPTY_INPUT_MAPS_NULL)
    for index, prop in view.properties:
        binding = prop.get("binding")
        binding_type = binding.get("type") if isinstance(binding, dict) else None
        if binding_type == "zeebe:taskDefinition:type":
            yield finding("deprecated-binding", view.property_pointer(index, "binding", "type"),
                          'binding type "zeebe:taskDefinition:type" is deprecated; '
                          'use {"type": "zeebe:taskDefinition", "property": "type"}')
        if prop.get("optional") is True and binding_type == "zeebe:input" and not optional_inputs_needed:
            yield finding("deprecated-optional-input", view.property_pointer(index, "optional"),
                          '"optional" on a zeebe:input binding is deprecated: from Camunda 8.8 an empty input mapping '
                          "resolves to null")
        if (prop.get("type") == "Hidden" and binding_type not in (None, "zeebe:userTask")
                and "value" not in prop and "generatedValue" not in prop):
            yield finding("hidden-without-value", view.property_pointer(index),
                          'a Hidden property should have a "value" or a "generatedValue"')
        if prop.get("editable") is False and prop.get("feel") == "optional":
            yield finding("readonly-feel-optional", view.property_pointer(index, "feel"),
                          '"feel": "optional" on a property with "editable": false is invalid: the user cannot toggle it')
        value = prop.get("value")
        if prop.get("feel") == "required" and isinstance(value, str) and value and not value.startswith("="):
            yield finding("feel-value-without-equals", view.property_pointer(index, "value"),
                          'a "feel": "required" value should start with "=" (the Modeler prepends it when applying)')


def _feel(view: TemplateView) -> Iterator[Problem]:
    for index, prop in view.properties:
        value = prop.get("value")
        # The Modeler writes a feel "required" value as FEEL even without its leading "=".
        if isinstance(value, str) and (value.startswith("=") or (prop.get("feel") == "required" and value)):
            yield from _feel_value(value, view.property_pointer(index, "value"))
        choices = prop.get("choices")
        if isinstance(choices, list):
            for choice_index, choice in enumerate(choices):
                if isinstance(choice, dict) and isinstance(choice.get("value"), str) and choice["value"].startswith("="):
                    yield from _feel_value(choice["value"], view.property_pointer(index, "choices", choice_index, "value"))


def _feel_value(expression: str, pointer: str) -> Iterable[Problem]:
    problem = feel_syntax.syntax_problem(expression)
    if problem is None:
        return ()
    return (finding("feel-syntax", pointer, f"invalid FEEL (at {problem.location} of the value): {problem.message}"),)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


_TEMPLATE_RULES = (
    _schema_reference, _element_type, _engines, _property_ids, _conditions, _dropdown_defaults,
    _groups, _version_header, _deprecations, _feel, *PANEL_RULES,
)
