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

import functools
import json
import math
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from generator.errors import abbreviated
from generator.feel import clear_parse_cache
from generator.js_regex import compile_js
from generator.problems import Location, Problem
from generator.semver import MAX_SAFE_INTEGER, SemverError, SemverRange, Version, parse_range
from generator.validate import bpmn_types, condition_rules, feel_syntax, input_mappings, js_regex_syntax, keys, panel
from generator.validate.conditions import Clause, ConditionModel, ValueModel, binding_identity, clauses, value_model
from generator.validate.findings import finding
from generator.validate.panel import PANEL_PROPERTY_RULES, PANEL_TEMPLATE_RULES
from generator.validate.positions import join

SCHEMA_PACKAGE = "@camunda/zeebe-element-templates-json-schema"
SCHEMA_URL = f"https://unpkg.com/{SCHEMA_PACKAGE}/resources/schema.json"
SUPPORTED_SCHEMA_VERSION = (0, 46, 0)


@dataclass
class PropertyFacts:
    """What the rules read from one property object alone, with pointers relative to the property
    ("" is the property itself)."""

    prop: dict[str, Any] = field(repr=False)
    findings: list[Problem]  # of the property rules (`_PROPERTY_RULES`)
    clauses: list[Clause]  # of its condition
    choice_clauses: list[Clause]  # of its choices' conditions
    binding: tuple[Any, ...] | None  # conditions.binding_identity
    _value_model: ValueModel | None = field(default=None, repr=False)

    @classmethod
    def of(cls, prop: dict[str, Any]) -> PropertyFacts:
        return cls(prop, [each for rule in _PROPERTY_RULES for each in rule(prop)],
                   clauses(prop["condition"], "/condition") if "condition" in prop else [], _choice_clauses(prop),
                   binding_identity(prop))

    def value_model(self) -> ValueModel:
        """What conditions can find in the XML for the property (conditions.value_model), on first use."""
        if self._value_model is None:
            self._value_model = value_model(self.prop)
        return self._value_model


def _choice_clauses(prop: dict[str, Any]) -> list[Clause]:
    choices = prop.get("choices")
    if not isinstance(choices, list):
        return []
    return [clause for index, choice in enumerate(choices) if isinstance(choice, dict) and "condition" in choice
            for clause in clauses(choice["condition"], f"/choices/{index}/condition")]


# The facts of the property objects checked so far: id -> (the object, its facts). Templates share
# alike properties (one object each, see positions.read_templates; validator.py keeps this for the
# files a process reads), so each is read once; the object is kept, so its id stays its own.
CheckedProperties = dict[int, tuple[Any, PropertyFacts]]


@dataclass
class TemplateView:
    """One template with the indexes the rules share, built in one pass over its properties."""

    template: dict[str, Any]
    pointer: str
    properties: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    facts: dict[int, PropertyFacts] = field(default_factory=dict)
    positions_by_id: dict[str, list[int]] = field(default_factory=dict)
    positions_by_binding_type: dict[str, list[int]] = field(default_factory=dict)
    conditions: dict[int, list[Clause]] = field(default_factory=dict)  # clause pointers relative to the property
    _model: ConditionModel | None = None

    @classmethod
    def of(cls, template: dict[str, Any], pointer: str, checked: CheckedProperties | None = None) -> TemplateView:
        view = cls(template, pointer)
        properties = template.get("properties")
        if not isinstance(properties, list):
            return view
        known: CheckedProperties = {} if checked is None else checked
        for index, prop in enumerate(properties):
            if not isinstance(prop, dict):
                continue
            view.properties.append((index, prop))
            seen = known.get(id(prop))
            if seen is not None and seen[0] is prop:
                facts = seen[1]
            else:
                facts = PropertyFacts.of(prop)
                known[id(prop)] = (prop, facts)
            view.facts[index] = facts
            if isinstance(prop.get("id"), str):
                view.positions_by_id.setdefault(prop["id"], []).append(index)
            if facts.binding is not None:
                view.positions_by_binding_type.setdefault(facts.binding[0], []).append(index)
            if "condition" in prop:
                view.conditions[index] = facts.clauses
        return view

    def bound(self, *binding_types: str) -> list[tuple[int, dict[str, Any]]]:
        """(index, property) of the properties with a binding of one of `binding_types`, in order."""
        positions = [index for binding_type in binding_types for index in self.positions_by_binding_type.get(binding_type, ())]
        if not positions:
            return []
        properties = self.template["properties"]
        return [(index, properties[index]) for index in (sorted(positions) if len(binding_types) > 1 else positions)]

    def property_pointer(self, index: int, *tokens: str | int) -> str:
        return join(f"{self.pointer}/properties/{index}", *tokens)

    def property_id(self, index: int) -> Any:
        return self.template["properties"][index].get("id")

    @property
    def model(self) -> ConditionModel:
        """The states the template's conditions allow (built on first use)."""
        if self._model is None:
            self._model = ConditionModel(self.properties, self.conditions, self.facts, self.positions_by_id)
        return self._model


def check_template(template: dict[str, Any], pointer: str, checked: CheckedProperties | None = None) -> list[Problem]:
    """All semantic findings of one template (at `pointer` in its file). `checked` keeps the facts
    of the property objects read so far in the document."""
    view = TemplateView.of(template, pointer, checked)
    findings: list[Problem] = []
    for index, facts in view.facts.items():
        if facts.findings:
            prefix = f"{pointer}/properties/{index}"
            findings += [Problem(each.severity, each.rule, each.message, Location(pointer=prefix + (each.location.pointer or "")))
                         for each in facts.findings]
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
    pinned = re.search(r"([0-9]+)\.([0-9]+)\.([0-9]+)", schema)
    # a part longer than 18 digits is newer than any real version (and too long for int())
    if pinned and tuple(int(part) if len(part) <= 18 else math.inf for part in pinned.groups()) > SUPPORTED_SCHEMA_VERSION:
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
        parsed = _semver_range(text)
        if isinstance(parsed, SemverError):
            yield finding("engines", join(view.pointer, "engines", engine),
                          f"engines.{engine} is not a valid semver range: {parsed}")


@functools.lru_cache(maxsize=1024)
def _semver_range(text: str) -> SemverRange | SemverError:
    """`parse_range(text)`, or the error it raises, cached per text: the templates of a file
    repeat their engines ranges."""
    try:
        return parse_range(text)
    except SemverError as problem:
        return problem


def _dropdown_default(prop: dict[str, Any]) -> Iterator[Problem]:
    choices = prop.get("choices")
    if prop.get("type") != "Dropdown" or "value" not in prop or not isinstance(choices, list):
        return
    values = [choice.get("value") for choice in choices if isinstance(choice, dict)]
    if prop["value"] not in values or not isinstance(prop["value"], str):
        listed = ", ".join(_json(value) for value in values)
        yield finding("dropdown-default", "/value",
                      f"the default value {_json(prop['value'])} is not one of the dropdown's choices ({listed}); "
                      "the Modeler shows an empty selection")


def _duplicate_choices(prop: dict[str, Any]) -> Iterator[Problem]:
    choices = prop.get("choices")
    if prop.get("type") != "Dropdown" or not isinstance(choices, list):
        return
    first: dict[str, int] = {}
    for choice_index, choice in enumerate(choices):
        if not isinstance(choice, dict) or not isinstance(choice.get("value"), str):
            continue
        value = choice["value"]
        if value in first:
            yield finding("duplicate-choice", f"/choices/{choice_index}/value",
                          f"the value {_json(value)} is already the value of choice {first[value]} "
                          f"({_json(choices[first[value]].get('name'))}): the panel shows that name for both, so this "
                          "choice can never appear selected; give each choice its own value or remove one")
        else:
            first[value] = choice_index


def _pattern(prop: dict[str, Any]) -> Iterator[Problem]:
    constraints = prop.get("constraints")
    pattern = constraints.get("pattern") if isinstance(constraints, dict) else None
    if pattern is None:
        return
    if isinstance(pattern, dict):
        if "value" not in pattern:
            yield finding("pattern-syntax", "/constraints/pattern",
                          'the pattern object has no "value": the panel builds new RegExp(undefined), which accepts '
                          f'everything, so {_json(pattern.get("message", "its message"))} is never shown; add "value"')
            return
        source, where = pattern["value"], "/constraints/pattern/value"
    else:
        source, where = pattern, "/constraints/pattern"
    if not isinstance(source, str):
        return
    error = js_regex_syntax.syntax_error(source)
    if error is not None:
        yield finding("pattern-syntax", where,
                      f"not a JavaScript regular expression ({error.message} at character {error.offset + 1}): the "
                      "panel's new RegExp(pattern) throws, so the field cannot be validated; fix the pattern")


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


HYBRID_SUFFIX = "-hybrid"


def _version_header(view: TemplateView) -> Iterator[Problem]:
    for index, prop in view.bound("zeebe:taskHeader"):
        binding = prop["binding"]
        if binding.get("key") == "elementTemplateId":
            template_id = view.template.get("id")
            if not isinstance(template_id, str):
                continue
            value = prop.get("value")
            if isinstance(value, (dict, list)):
                continue  # not a header value: the schema check reports it
            if value not in {template_id, template_id.removesuffix(HYBRID_SUFFIX)}:
                yield finding("element-template-id", view.property_pointer(index, "value"),
                              f"the elementTemplateId header is {_json(value)} but the template's id is "
                              f"{_json(template_id)}; the connector runtime reports the wrong template: make them equal")
            continue
        if binding.get("key") != "elementTemplateVersion":
            continue
        if "version" not in view.template:
            yield finding("element-template-version", view.property_pointer(index),
                          'the template has an elementTemplateVersion header but no "version"; add "version"')
        elif str(prop.get("value")) != str(view.template["version"]):
            yield finding("element-template-version", view.property_pointer(index, "value"),
                          f"the elementTemplateVersion header is {_json(prop.get('value'))} but the template's version is "
                          f"{_json(view.template['version'])}; they must be equal")


def _version(view: TemplateView) -> Iterator[Problem]:
    version = view.template.get("version")
    if type(version) is int and abs(version) > MAX_SAFE_INTEGER:  # a float or bool is the schema's to report
        try:
            read_as = f"{float(version):.0f}"
        except OverflowError:
            read_as = "Infinity" if version > 0 else "-Infinity"
        yield finding("version-safe-integer", join(view.pointer, "version"),
                      f"version {abbreviated(str(version), 'digits')} is past JavaScript's largest safe integer "
                      f"({MAX_SAFE_INTEGER}): the Modeler reads it as {abbreviated(read_as, 'digits')}; use a smaller version")


_EMPTY_INPUT_MAPS_NULL = Version(8, 8, 0)  # from this Camunda version an input without source maps null


def _needs_camunda_from(template: dict[str, Any], version: Version) -> bool:
    """True when the template's `engines.camunda` range admits only Camunda `version` and later
    (False without a range: the template says nothing about where it runs)."""
    engines = template.get("engines")
    text = engines.get("camunda") if isinstance(engines, dict) else None
    if not isinstance(text, str):
        return False
    lowest = _lowest_version(text)
    return lowest is not None and lowest.sort_key() >= version.sort_key()


@functools.lru_cache(maxsize=1024)
def _lowest_version(text: str) -> Version | None:
    """The lowest release the range `text` admits (None when none, or when it is no range: the
    engines rule reports that), cached per text."""
    parsed = _semver_range(text)
    return None if isinstance(parsed, SemverError) else parsed.lowest_version()


def _optional_inputs(view: TemplateView) -> Iterator[Problem]:
    # `optional` is the only way to leave an input unwritten before Camunda 8.8 (an input without
    # a source does not deploy there), so it is deprecated only for templates that declare 8.8+.
    if not _needs_camunda_from(view.template, _EMPTY_INPUT_MAPS_NULL):
        return
    for index, prop in view.bound("zeebe:input"):
        if prop.get("optional") is True:
            yield finding("deprecated-optional-input", view.property_pointer(index, "optional"),
                          '"optional" on a zeebe:input binding is deprecated: from Camunda 8.8, which this template '
                          "requires (engines.camunda), an empty input mapping resolves to null; remove \"optional\"")


def _deprecations(prop: dict[str, Any]) -> Iterator[Problem]:
    binding = prop.get("binding")
    binding_type = binding.get("type") if isinstance(binding, dict) else None
    if binding_type == "zeebe:taskDefinition:type":
        yield finding("deprecated-binding", "/binding/type",
                      'binding type "zeebe:taskDefinition:type" is deprecated; '
                      'use {"type": "zeebe:taskDefinition", "property": "type"}')
    if (prop.get("type") == "Hidden" and binding_type not in (None, "zeebe:userTask")
            and "value" not in prop and "generatedValue" not in prop):
        yield finding("hidden-without-value", "", 'a Hidden property should have a "value" or a "generatedValue"')
    if prop.get("editable") is False and prop.get("feel") == "optional":
        yield finding("readonly-feel-optional", "/feel",
                      '"feel": "optional" on a property with "editable": false is invalid: the user cannot toggle it')
    value = prop.get("value")
    if prop.get("feel") == "required" and isinstance(value, str) and value and not value.startswith("="):
        yield finding("feel-value-without-equals", "/value",
                      'a "feel": "required" value should start with "=" (the Modeler prepends it when applying)')


def _feel(prop: dict[str, Any]) -> Iterator[Problem]:
    value = feel_syntax.feel_value(prop)
    if value is not None:
        yield from _feel_value(value, "/value")
    choices = prop.get("choices")
    if isinstance(choices, list):
        for choice_index, choice in enumerate(choices):
            if isinstance(choice, dict) and isinstance(choice.get("value"), str) and choice["value"].startswith("="):
                yield from _feel_value(choice["value"], f"/choices/{choice_index}/value")


def _feel_value(expression: str, pointer: str) -> Iterable[Problem]:
    problem = feel_syntax.syntax_problem(expression)
    if problem is None:
        return ()
    return (finding("feel-syntax", pointer, f"invalid FEEL (at {problem.location} of the value): {problem.message}"),)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def clear_caches() -> None:
    """Forget what the rules cache per text (FEEL expressions, regular expressions, engines
    ranges, markup in tooltips): benchmarks clear it before each timed round."""
    clear_parse_cache()
    feel_syntax.syntax_problem.cache_clear()
    input_mappings.names_read.cache_clear()
    js_regex_syntax.syntax_error.cache_clear()
    compile_js.cache_clear()
    _semver_range.cache_clear()
    _lowest_version.cache_clear()
    panel.swallowed_markup.cache_clear()


# Rules that read one property alone: their findings point inside the property ("" is the property).
_PROPERTY_RULES: tuple[Callable[[dict[str, Any]], Iterable[Problem]], ...] = (
    _dropdown_default, _duplicate_choices, _pattern, keys.property_keys, _deprecations, _feel, *PANEL_PROPERTY_RULES,
)

_TEMPLATE_RULES = (
    _schema_reference, _element_type, _engines, condition_rules.property_ids, condition_rules.conditions,
    condition_rules.duplicate_bindings, condition_rules.task_definition_type, keys.unknown_keys,
    input_mappings.input_mapping_reads, _groups, _version, _version_header, _optional_inputs, *PANEL_TEMPLATE_RULES,
)
