"""etk's element-template schema: typical structural errors and their exact messages, the schema
is valid draft-07 that any engine reads the same way, and every branching keyword has a message."""

from __future__ import annotations

import json

import jsonschema
import pytest

from generator.problems import Location, Problem
from generator.validate.structure import load_schema


def schema_findings(checked) -> list[tuple[str, str, tuple[int, int]]]:
    return [(each.location.pointer, each.message, (each.location.line, each.location.column)) for each in checked.findings if each.rule == "schema"]


def test_schema_is_valid_draft_07():
    jsonschema.Draft7Validator.check_schema(load_schema())


def test_structural_errors_have_exact_messages_and_positions(check, template):
    template["version"] = "1"
    template["appliesTo"] = ["Task"]
    template["properties"] += [
        {"label": "Choose", "type": "Dropdown", "binding": {"type": "zeebe:input", "name": "x"}},
        {"label": "Header", "type": "String", "binding": {"type": "zeebe:taskHeader"}},
        {"label": "Flag", "type": "Dropdown", "feel": "optional", "choices": [], "binding": {"type": "zeebe:input", "name": "f"}},
        {"label": "Kind", "type": "Colour", "binding": {"type": "zeebe:input", "name": "k"}},
        {"label": "Retries", "type": "String", "optional": True, "binding": {"type": "zeebe:taskDefinition", "property": "retries"}},
        {"label": "Odd", "type": "String", "binding": {"type": "zeebe:inputs", "name": "o"}},
        {"label": "Cond", "type": "String", "binding": {"type": "zeebe:input", "name": "c"}, "condition": {"property": "mode"}},
    ]
    checked = check(template)
    assert schema_findings(checked) == [
        ("/version", 'version must be an integer, got "1"', checked.position_of('"version": »"1"')),
        ("/appliesTo/0", 'must be a namespaced BPMN type such as "bpmn:ServiceTask", got "Task"', checked.position_of('"Task"')),
        ("/properties/2", 'a Dropdown property needs "choices"', checked.position_of('{\n      "label": "Choose"')),
        ("/properties/3/binding", 'a zeebe:taskHeader binding needs "key"', checked.position_of('"binding": »{\n        "type": "zeebe:taskHeader"')),
        ("/properties/4/type", '"feel" is only supported by String, Text, Number and Boolean properties',
         checked.position_of('"type": »"Dropdown",\n      "feel"')),
        ("/properties/5/type", 'unknown property type "Colour"; use String, Text, Boolean, Dropdown, Hidden, Number or Configuration',
         checked.position_of('"Colour"')),
        ("/properties/6/binding/type",
         '"optional": true is only supported for zeebe:input, zeebe:output, zeebe:property and zeebe:taskHeader bindings, '
         'and needs "notEmpty": false when constraints are given', checked.position_of('"zeebe:taskDefinition"', 2)),
        ("/properties/7/binding/type",
         'unknown binding type "zeebe:inputs"; see the binding types of Camunda 8 element templates (e.g. zeebe:input, '
         "zeebe:taskHeader, zeebe:taskDefinition, property)", checked.position_of('"zeebe:inputs"')),
        ("/properties/8/condition",
         'a condition is either {"property", and one of "equals", "oneOf", "isActive", "isEmpty"} or {"allMatch": [conditions]}',
         checked.position_of('"condition": »{')),
    ]


def test_missing_required_keys_are_reported_at_the_object(check):
    checked = check({"$schema": "https://unpkg.com/@camunda/zeebe-element-templates-json-schema/resources/schema.json"})
    assert schema_findings(checked) == [
        ("", f'missing required key "{key}"', (1, 1)) for key in ("appliesTo", "id", "name", "properties")
    ]


def test_cross_field_rules_of_the_format(check, template):
    template["properties"].append({"type": "Hidden", "binding": {"type": "zeebe:userTask"}})
    template["properties"].append({"type": "String", "label": "Cond", "binding": {"type": "bpmn:Message#property", "name": "name"}})
    messages = {each.message for each in check(template).findings if each.rule == "schema"}
    assert messages == {
        'a zeebe:userTask binding needs "elementType": {"value": "bpmn:UserTask"}',
        "bpmn:Message#property bindings need an elementType that is a receive or send task, or an event with "
        '"eventDefinition": "bpmn:MessageEventDefinition"',
    }


def test_unknown_keys_are_allowed_like_the_official_schema(check, template):
    template["x-custom"] = 1
    template["properties"][1]["x-note"] = "kept"
    assert check(template).findings == []


def test_schema_errors_carry_no_position_without_text(template):
    from generator.validate import validate_template

    del template["name"]
    assert validate_template(template) == [Problem("error", "schema", 'missing required key "name"', Location(pointer=""))]


def branching_nodes_without_message(node, inherited: bool, path: str):
    """Paths of anyOf/oneOf/not/false-then nodes no `errorMessage` covers (they would produce
    engine-worded messages that print whole objects)."""
    if isinstance(node, list):
        for index, item in enumerate(node):
            yield from branching_nodes_without_message(item, inherited, f"{path}/{index}")
        return
    if not isinstance(node, dict):
        return
    covered = inherited or "errorMessage" in node
    for keyword in ("anyOf", "oneOf", "not"):
        if keyword in node and not covered and not path.endswith("/if"):
            yield f"{path}/{keyword}"
    for key, child in node.items():
        if key == "if":
            continue  # failures inside `if` are never reported
        yield from branching_nodes_without_message(child, covered, f"{path}/{key}")


def test_every_branching_keyword_has_a_message():
    uncovered = list(branching_nodes_without_message(load_schema()["definitions"], False, "#/definitions"))
    assert uncovered == []


@pytest.mark.parametrize("broken", [
    {"name": 1},
    {"properties": [{"type": "Dropdown", "binding": {"type": "zeebe:input", "name": "a"}}]},
    {"properties": [{"type": "String", "binding": {"type": "zeebe:input", "name": "a"}, "condition": {"property": "b"}}]},
    {"groups": [{"id": "g"}]},
    {"entriesVisible": {"inputs": True}},
    {"icon": {"contents": "ftp://x"}},
])
def test_python_jsonschema_agrees_with_the_compiled_validator(template, broken):
    from generator.validate.structure import check_structure

    candidate = {**template, **broken}
    root = {"$ref": "#/definitions/template", "definitions": load_schema()["definitions"]}
    python_errors = list(jsonschema.Draft7Validator(root).iter_errors(candidate))
    assert python_errors and check_structure(candidate)
    assert {tuple(error.absolute_path) for error in python_errors} <= {
        tuple(int(t) if t.isdigit() else t for t in finding.location.pointer.split("/")[1:]) for finding in check_structure(candidate)
    }


def test_python_jsonschema_accepts_the_minimal_template(template):
    root = {"$ref": "#/definitions/template", "definitions": json.loads(json.dumps(load_schema()["definitions"]))}
    assert list(jsonschema.Draft7Validator(root).iter_errors(template)) == []
