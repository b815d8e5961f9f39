"""The catalogue of validation rules (id, severity, summary) and `finding`, the `Problem` of one rule."""

from __future__ import annotations

from dataclasses import dataclass

from generator.problems import Location, Problem, Severity


@dataclass(frozen=True)
class Rule:
    """A rule's id, severity and one-line summary (the README's rule table)."""

    id: str
    severity: Severity
    summary: str


RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in (
        Rule("json-syntax", "error", "the file is valid JSON"),
        Rule("read-error", "error", "the file can be read as UTF-8 text"),
        Rule("duplicate-key", "error", "no object repeats a key"),
        Rule("not-a-template", "error", "the file holds a template object or an array of them"),
        Rule("empty-file", "warning", "an array file holds at least one template"),
        Rule("schema", "error", "etk's JSON Schema of the element-template format (schemas/element-template.schema.json)"),
        Rule("schema-reference", "error", "$schema is present and names @camunda/zeebe-element-templates-json-schema"),
        Rule("schema-version", "warning", "a version pinned in $schema is not newer than the schema etk knows (0.46.0)"),
        Rule("unique-id-version", "error", "(id, version) is unique within one file"),
        Rule("element-type", "error", "elementType is (a subtype of) an appliesTo type, and every appliesTo type can morph into it"),
        Rule("engines", "error", "every engines value is a valid npm semver range"),
        Rule("unique-property-id", "error", "property ids are unique, unless the properties' conditions exclude each other"),
        Rule("condition-self", "error", "no condition refers to its own property"),
        Rule("condition-target", "warning", "a condition refers to an existing property id"),
        Rule("condition-order", "warning", "a condition refers to a property defined earlier"),
        Rule("condition-value", "warning", "equals/oneOf values are among the referenced dropdown's choices"),
        Rule("dropdown-default", "warning", "a dropdown's value is one of its choices"),
        Rule("unique-group-id", "error", "group ids are unique"),
        Rule("group-declared", "warning", "a property's group is declared in groups"),
        Rule("empty-group", "warning", "every declared group has properties"),
        Rule("element-template-version", "error", "an elementTemplateVersion task header equals the template's version"),
        Rule("feel-syntax", "error", "FEEL values parse (feel: required values, and values starting with =)"),
        Rule("deprecated-binding", "warning", "no zeebe:taskDefinition:type binding (use zeebe:taskDefinition + property type)"),
        Rule("deprecated-optional-input", "warning", "no optional on zeebe:input bindings in templates for Camunda 8.8+ only (8.8 maps "
                                                     "empty inputs to null); templates that support 8.6/8.7 need it"),
        Rule("hidden-without-value", "warning", "a Hidden property has a value or generatedValue"),
        Rule("readonly-feel-optional", "warning", "no feel: optional on a property with editable: false"),
        Rule("feel-value-without-equals", "warning", "a feel: required value starts with ="),
        Rule("pattern-rejects-empty", "warning", "a pattern on a field that is not notEmpty accepts the text \"undefined\" (what the panel "
                                                 "tests on an empty field; JavaScript regex semantics)"),
        Rule("panel-html", "warning", "tooltips and descriptions have no <...> the panel's HTML sanitizer swallows (only its allowed tags, "
                                      "e.g. <a href>)"),
        Rule("feel-placeholder", "warning", "a feel: required field's placeholder does not start with = (the panel shows a fixed =)"),
        Rule("dropdown-empty-choice", "warning", "an optional dropdown has no empty-valued choice (the panel adds its own empty entry)"),
        Rule("dropdown-empty-value", "warning", "a dropdown that is not optional has no empty-valued choice (it writes an empty value, not "
                                                "\"not set\")"),
        Rule("label-type", "warning", "one label is not used for fields of different types"),
    )
}


def finding(rule: str, pointer: str, message: str) -> Problem:
    """A problem of `rule` at JSON pointer `pointer` (not yet placed in a file), with the rule's severity."""
    return Problem(RULES[rule].severity, rule, message, Location(pointer=pointer))
