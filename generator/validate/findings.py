"""`Finding`: one problem the validator reports (where, what, which rule), and the catalogue of rules."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import Any, Literal

Severity = Literal["error", "warning"]

SEVERITY_ORDER = {"error": 0, "warning": 1}


@dataclass(frozen=True)
class Finding:
    """A rule violation in an element template.

    `pointer` is the RFC 6901 JSON pointer of the offending value inside the file ("" is the
    whole document; in a file holding an array of templates it starts with the template index).
    `line` and `column` (1-based) locate that value in the file's text; they are None when the
    validator was given no text (a dict validated in memory) or the file could not be parsed.
    `rule` is a short stable id such as `unique-property-id` or `schema`.
    """

    severity: Severity
    message: str
    pointer: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    rule: str = "schema"

    def __str__(self) -> str:
        location = self.file or "<template>"
        if self.line is not None:
            location += f":{self.line}:{self.column}"
        # The root pointer is "" in RFC 6901; print it as "/" like the official validator does.
        return f"{location}: {self.severity}: {self.message} ({self.pointer or '/'})"

    def to_dict(self) -> dict[str, Any]:
        """The finding as a JSON-ready object (`etk validate --format json`)."""
        return asdict(self)

    def located(self, file: str | None, line: int | None, column: int | None) -> Finding:
        """A copy with the given file and position."""
        return replace(self, file=file, line=line, column=column)

    def sort_key(self) -> tuple:
        """Document order: by position (unknown positions last), then pointer, severity, message."""
        return (
            self.file or "",
            self.line if self.line is not None else float("inf"),
            self.column or 0,
            tuple((0, int(token), "") if token.isdigit() else (1, 0, token) for token in self.pointer.split("/")),
            SEVERITY_ORDER[self.severity],
            self.message,
        )


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
        Rule("deprecated-optional-input", "warning", "no optional on zeebe:input bindings in templates for Camunda 8.8+ only (8.8 maps empty inputs to null); templates that support 8.6/8.7 need it"),
        Rule("hidden-without-value", "warning", "a Hidden property has a value or generatedValue"),
        Rule("readonly-feel-optional", "warning", "no feel: optional on a property with editable: false"),
        Rule("feel-value-without-equals", "warning", "a feel: required value starts with ="),
        Rule("pattern-rejects-empty", "warning", "a pattern on a field that is not notEmpty accepts the text \"undefined\" (what the panel tests on an empty field; JavaScript regex semantics)"),
        Rule("panel-html", "warning", "tooltips and descriptions have no <...> the panel's HTML sanitizer swallows (only its allowed tags, e.g. <a href>)"),
        Rule("feel-placeholder", "warning", "a feel: required field's placeholder does not start with = (the panel shows a fixed =)"),
        Rule("dropdown-empty-choice", "warning", "an optional dropdown has no empty-valued choice (the panel adds its own empty entry)"),
        Rule("dropdown-empty-value", "warning", "a dropdown that is not optional has no empty-valued choice (it writes an empty value, not \"not set\")"),
        Rule("label-type", "warning", "one label is not used for fields of different types"),
    )
}


def finding(rule: str, pointer: str, message: str) -> Finding:
    """A finding of `rule`, with the rule's severity."""
    return Finding(RULES[rule].severity, message, pointer, rule=rule)
