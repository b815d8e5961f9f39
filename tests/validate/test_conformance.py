"""Conformance with the official tools: every generated template in dist/ passes the official
validator, the official schema (Python jsonschema) and etk; etk accepts every published connector
template with zero errors; and templates the official validator rejects, etk rejects too."""

from __future__ import annotations

import copy
import hashlib
import json
import subprocess
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from generator.files import dump_json
from generator.validate import PANEL_RULE_IDS, RULES, validate_file, validate_files

REPO = Path(__file__).resolve().parents[2]
DIST_FILES = sorted((REPO / "dist").rglob("*.json"))
CONNECTORS = Path("node_modules/@camunda/connectors-element-templates/src/element-templates")
OFFICIAL_SCHEMA = Path("node_modules/@camunda/zeebe-element-templates-json-schema/resources/schema.json")


def templates_in(path: Path) -> list[dict]:
    document = json.loads(path.read_text(encoding="utf-8"))
    return document if isinstance(document, list) else [document]


def official_verdicts(tools: Path, files: list[Path]) -> list[dict]:
    """`validateZeebe` results, one per template: {file, index, valid, errors, warnings}."""
    run = subprocess.run(["node", str(tools / "validate-zeebe.mjs"), "--json", *map(str, files)],
                         capture_output=True, text=True, cwd=tools)
    assert run.returncode in (0, 1), run.stderr
    return json.loads(run.stdout)


def official_schema_validator(tools: Path) -> jsonschema.Draft7Validator:
    """The official schema for Python jsonschema, with the two documented patches: JavaScript
    named groups become Python ones, and nested `$schema` keys (which would make jsonschema
    switch validator classes for a subtree) are removed."""
    text = (tools / OFFICIAL_SCHEMA).read_text(encoding="utf-8")
    schema = json.loads(text.replace("(?<date>", "(?P<date>").replace("(?<month>", "(?P<month>"))

    def strip_nested_schema(node: Any, top: bool) -> Any:
        if isinstance(node, dict):
            return {key: strip_nested_schema(value, False) for key, value in node.items() if top or key != "$schema"}
        if isinstance(node, list):
            return [strip_nested_schema(value, False) for value in node]
        return node

    schema = strip_nested_schema(schema, True)
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator({"$ref": "#/definitions/template", "definitions": schema["definitions"]})


# dist/ -----------------------------------------------------------------------------------------

def test_dist_holds_the_generated_templates():
    if list((REPO / "templates").glob("*.yaml")):
        assert DIST_FILES, "templates/ has definitions but dist/ has no generated template: run `etk build`"


@pytest.mark.parametrize("path", DIST_FILES, ids=lambda path: str(path.relative_to(REPO)))
def test_dist_template_has_no_etk_errors(path):
    assert [str(each) for each in validate_file(path) if each.severity == "error"] == []


@pytest.mark.parametrize("path", DIST_FILES, ids=lambda path: str(path.relative_to(REPO)))
def test_dist_template_is_valid_for_the_official_validator(path, node_tools):
    verdicts = official_verdicts(node_tools, [path])
    assert verdicts and [verdict for verdict in verdicts if not verdict["valid"]] == []


@pytest.mark.parametrize("path", DIST_FILES, ids=lambda path: str(path.relative_to(REPO)))
def test_dist_template_is_valid_for_the_official_schema_in_python(path, node_tools):
    validator = official_schema_validator(node_tools)
    errors = [f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
              for template in templates_in(path) for error in validator.iter_errors(template)]
    assert errors == []


# published connector templates -----------------------------------------------------------------

# The real defects etk finds in the published templates, by rule (README, "etk validate"): each
# kind was checked by hand, and the never-active ones against the real Modeler code
# (tests/validate/test_never_active_modeler.py). The Modeler loads the templates with them, so
# they are warnings (`--select DEFECTS` shows only them); any error would be a false one.
REAL_DEFECTS = {
    "condition-value": 95,  # servicenow: conditions on Hidden values that never change; asana, hubspot: non-choices
    "feel-unknown-variable": 50,  # document inputs reading property ids instead of input targets (s3, gcs, box, ...)
    "misspelled-key": 16,  # github: "default" instead of "value"
    "duplicate-binding": 14,  # github: two url inputs under one condition; gitlab: assigneeIds twice
    "condition-target": 8,  # asana, github, google sheets: conditions on ids no property has
    "condition-never-holds": 2,  # microsoft teams: two dropdowns of one input compared with different values
}
# What else a default run shows (warnings a user can act on: fix the pattern, declare the group, ...)
# and what it only counts (info: 1,769 of them the `optional` deprecation of 8.8 templates)
OTHER_WARNINGS = {"pattern-rejects-empty": 279, "group-declared": 90, "empty-group": 49, "label-type": 31,
                  "dropdown-default": 22, "panel-html": 14, "element-template-id": 6, "unknown-key": 3}
INFO = {"deprecated-optional-input": 1769, "hidden-without-value": 201, "feel-value-without-equals": 51,
        "condition-order": 23, "deprecated-binding": 5}


def test_the_published_connector_templates_have_no_errors_and_the_known_real_defects(node_tools):
    files = sorted((node_tools / CONNECTORS).glob("*.json"))
    assert sum(len(templates_in(path)) for path in files) == 693  # @camunda/connectors-element-templates 1.0.29
    counts: dict[str, dict[str, int]] = {"error": {}, "warning": {}, "info": {}}
    for each in validate_files([str(path) for path in files]):
        counts[each.severity][each.rule] = counts[each.severity].get(each.rule, 0) + 1
    assert counts == {"error": {}, "warning": {**REAL_DEFECTS, **OTHER_WARNINGS}, "info": INFO}
    assert {rule for rule in RULES if RULES[rule].modeler_loads} >= set(REAL_DEFECTS)
    assert not {rule for rule in RULES if RULES[rule].modeler_loads} & set(OTHER_WARNINGS)


# Every finding on the published templates, exactly (file, line, column, severity, rule, pointer,
# message), as a digest of 2,728 lines: work on the validator's speed must not change a byte of
# them. When a rule changes on purpose, compare `etk validate --format json --severity info` on
# the folder before and after the change, then update the digest.
CONNECTOR_FINDINGS = (2728, "c09e33e9ac117943ed7a1067f87c5603ee7833c83ee45217d0e978340f598476")


def test_every_finding_on_the_published_templates_is_pinned(node_tools):
    files = sorted((node_tools / CONNECTORS).glob("*.json"))
    lines = [f"{Path(each.location.file or '').name}:{each.location.line}:{each.location.column}: {each.severity} "
             f"{each.rule} {each.location.pointer}: {each.message}" for each in validate_files([str(path) for path in files])]
    assert (len(lines), hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()) == CONNECTOR_FINDINGS


def test_the_official_validator_accepts_them_too(node_tools):
    files = sorted((node_tools / CONNECTORS).glob("*.json"))[:20]
    assert all(verdict["valid"] for verdict in official_verdicts(node_tools, files))


# agreement on broken templates -----------------------------------------------------------------

def mutate(template: dict, change) -> dict:
    broken = copy.deepcopy(template)
    change(broken)
    return broken


def add_property(prop: dict):
    return lambda template: template["properties"].append(prop)


def text(name: str, **extra) -> dict:
    return {"label": name, "type": "String", "binding": {"type": "zeebe:input", "name": name}, **extra}


BROKEN = {
    "version-string": lambda t: t.update(version="1"),
    "applies-to-pattern": lambda t: t.update(appliesTo=["Task"]),
    "missing-name": lambda t: t.pop("name"),
    "missing-properties": lambda t: t.pop("properties"),
    "icon-not-url": lambda t: t.update(icon={"contents": "ftp://icon.svg"}),
    "documentation-not-http": lambda t: t.update(documentationRef="docs.example.com"),
    "group-without-label": lambda t: t["groups"].append({"id": "g2"}),
    "element-type-without-value": lambda t: t.update(elementType={}),
    "category-without-name": lambda t: t.update(category={"id": "c"}),
    "entries-visible-unknown-key": lambda t: t.update(entriesVisible={"inputs": True}),
    "step-with-steps-and-preset": lambda t: t.update(steps=[{"name": "s", "presetId": "p", "steps": []}]),
    "dropdown-without-choices": add_property({"label": "d", "type": "Dropdown", "binding": {"type": "zeebe:input", "name": "d"}}),
    "choice-without-value": add_property({"label": "d", "type": "Dropdown", "choices": [{"name": "x"}],
                                          "binding": {"type": "zeebe:input", "name": "d"}}),
    "header-without-key": add_property({"label": "h", "type": "String", "binding": {"type": "zeebe:taskHeader"}}),
    "output-without-source": add_property({"label": "o", "type": "String", "binding": {"type": "zeebe:output"}}),
    "property-without-binding": add_property({"label": "p", "type": "String"}),
    "unknown-binding-type": add_property({"label": "p", "type": "String", "binding": {"type": "zeebe:inputs", "name": "p"}}),
    "task-definition-property": add_property({"type": "Hidden", "value": "1", "binding": {"type": "zeebe:taskDefinition", "property": "timeout"}}),
    "feel-on-dropdown": add_property({"label": "d", "type": "Dropdown", "feel": "optional", "choices": [],
                                      "binding": {"type": "zeebe:input", "name": "d"}}),
    "feel-unknown-mode": add_property(text("f", feel="sometimes")),
    "feel-static-on-string": add_property(text("f", feel="static")),
    "feel-required-number-value": add_property({"label": "n", "type": "Number", "feel": "required", "value": 5,
                                                "binding": {"type": "zeebe:input", "name": "n"}}),
    "optional-on-task-definition": add_property({"label": "r", "type": "String", "optional": True,
                                                 "binding": {"type": "zeebe:taskDefinition", "property": "retries"}}),
    "optional-with-not-empty": add_property(text("o", optional=True, constraints={"notEmpty": True})),
    "generated-value-and-value": add_property(text("g", value="x", generatedValue={"type": "uuid"})),
    "placeholder-on-boolean": add_property({"label": "b", "type": "Boolean", "placeholder": "p",
                                            "binding": {"type": "zeebe:input", "name": "b"}}),
    "language-on-string": add_property(text("l", language="json")),
    "condition-without-operator": add_property(text("c", condition={"property": "mode"})),
    "condition-with-two-operators": add_property(text("c", condition={"property": "mode", "equals": "a", "isEmpty": True})),
    "condition-empty-all-match": add_property(text("c", condition={"allMatch": []})),
    "unknown-property-type": add_property({"label": "k", "type": "Colour", "binding": {"type": "zeebe:input", "name": "k"}}),
    "user-task-on-service-task": add_property({"type": "Hidden", "binding": {"type": "zeebe:userTask"}}),
    "called-element-without-process-id": lambda t: (
        t.update(appliesTo=["bpmn:CallActivity"], elementType={"value": "bpmn:CallActivity"}),
        t["properties"].__setitem__(0, {"type": "Hidden", "value": "v1", "binding": {"type": "zeebe:calledElement", "property": "versionTag"}}),
    ),
    "message-binding-on-service-task": add_property({"label": "m", "type": "String", "binding": {"type": "bpmn:Message#property", "name": "name"}}),
    "timer-on-end-event": lambda t: t.update(appliesTo=["bpmn:EndEvent"], elementType={"value": "bpmn:EndEvent", "eventDefinition": "bpmn:TimerEventDefinition"}),
    "listener-without-entries-visible": add_property({"type": "Hidden", "value": "job", "binding": {"type": "zeebe:executionListener", "eventType": "start"}}),
    "priority-out-of-range": lambda t: (
        t.update(appliesTo=["bpmn:UserTask"], elementType={"value": "bpmn:UserTask"}),
        t["properties"].__setitem__(0, {"type": "Hidden", "binding": {"type": "zeebe:userTask"}}),
        t["properties"].append({"label": "p", "type": "Number", "value": 101, "binding": {"type": "zeebe:priorityDefinition", "property": "priority"}}),
    ),
}


def test_templates_the_official_validator_rejects_etk_rejects_too(node_tools, template, tmp_path):
    files = []
    for name, change in BROKEN.items():
        path = tmp_path / f"{name}.json"
        path.write_text(dump_json(mutate(template, change)), encoding="utf-8")
        files.append(path)
    verdicts = {Path(verdict["file"]).stem: verdict for verdict in official_verdicts(node_tools, files)}
    assert [name for name in BROKEN if verdicts[name]["valid"]] == [], "fixtures the official validator accepts"
    disagreements = {}
    for path in files:
        etk_errors = [each.location.pointer for each in validate_file(path) if each.severity == "error"]
        official = [error["instancePath"] for error in verdicts[path.stem]["errors"]]
        # Same verdict, and at least one error about the same value or one containing it.
        if not any(mine.startswith(theirs) or theirs.startswith(mine) for mine in etk_errors for theirs in official):
            disagreements[path.stem] = {"etk": etk_errors, "official": official}
    assert disagreements == {}


def test_the_base_of_the_broken_fixtures_is_valid_for_both(node_tools, template, tmp_path):
    path = tmp_path / "base.json"
    path.write_text(dump_json(template), encoding="utf-8")
    assert official_verdicts(node_tools, [path])[0]["valid"]
    assert validate_file(path) == []


def test_panel_rules_on_the_published_connector_templates(node_tools):
    """The README's figures: Camunda's own templates trip three panel rules (as warnings), none as errors."""
    files = sorted((node_tools / CONNECTORS).glob("*.json"))
    counts: dict[str, int] = {}
    for path in files:
        for each in validate_file(path):
            if each.rule in PANEL_RULE_IDS:
                assert each.severity == "warning"
                counts[each.rule] = counts.get(each.rule, 0) + 1
    assert counts == {"pattern-rejects-empty": 279, "panel-html": 14, "label-type": 31}
