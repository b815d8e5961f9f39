"""`etk import`: element templates back into definitions (explicit mode) that render to the same template."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from generator.build import apply_plan, plan_build
from generator.cli import main

from .roundtrip import dist_templates, package_templates, run

SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="18" height="18"><circle cx="9" cy="9" r="8"/></svg>'
TEMPLATE = {
    "$schema": "https://unpkg.com/@camunda/zeebe-element-templates-json-schema/resources/schema.json",
    "name": "Weather",
    "id": "com.example.Weather.v1",
    "description": "Read the weather",
    "version": 3,
    "category": {"id": "connectors", "name": "Connectors"},
    "appliesTo": ["bpmn:Task"],
    "elementType": {"value": "bpmn:ServiceTask"},
    "engines": {"camunda": "^8.6"},
    "icon": {"contents": "data:image/svg+xml;base64," + base64.b64encode(SVG).decode()},
    "groups": [{"id": "city", "label": "City", "tooltip": "Where"}, {"id": "output", "label": "Output"}],
    "deprecated": {"message": "use v2"},
    "properties": [
        {"type": "Hidden", "value": "io.camunda:http-json:1", "binding": {"type": "zeebe:taskDefinition", "property": "type"}},
        {"type": "Hidden", "value": "get", "binding": {"type": "zeebe:input", "name": "method"}},
        {"id": "city", "label": "City", "group": "city", "type": "String", "feel": "optional",
         "constraints": {"notEmpty": True}, "binding": {"type": "zeebe:input", "name": "city"}},
        {"label": "Units", "group": "city", "type": "Dropdown", "value": "metric",
         "choices": [{"name": "Metric", "value": "metric"}, {"name": "Imperial", "value": "imperial"}],
         "binding": {"type": "zeebe:input", "name": "units"}},
        {"type": "Hidden", "value": '="https://weather.example.com/" + city + "?units=" + units',
         "binding": {"type": "zeebe:input", "name": "url"}},
        {"id": "resultVariable", "label": "Result variable", "group": "output", "type": "String",
         "binding": {"type": "zeebe:taskHeader", "key": "resultVariable"}},
    ],
}


def etk(*arguments: object):
    return CliRunner().invoke(main, [str(argument) for argument in arguments])


def test_import_writes_an_explicit_definition_that_builds_back_to_the_template(tmp_path: Path) -> None:
    source = tmp_path / "weather.json"
    source.write_text(json.dumps(TEMPLATE))
    target = tmp_path / "templates" / "weather.yaml"
    result = etk("import", source, "-o", target)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"wrote {target} and weather.svg (6 properties)",
        "  renders to the same template (every key and value)",
    ]
    assert (tmp_path / "templates" / "weather.svg").read_bytes() == SVG
    data = yaml.safe_load(target.read_text())
    assert list(data) == ["id", "name", "version", "description", "icon", "category", "engines", "appliesTo",
                          "elementType", "groups", "protocol", "properties", "template", "example"]
    assert data["groups"] == {"city": {"label": "City", "tooltip": "Where"}, "output": "Output"}
    assert data["template"] == {"deprecated": {"message": "use v2"}}
    assert data["properties"] == TEMPLATE["properties"]
    assert data["example"] == {"city": "example"}
    apply_plan(plan_build(tmp_path / "templates", tmp_path / "dist", diagrams=True))
    assert json.loads((tmp_path / "dist" / "weather.json").read_text()) == TEMPLATE
    assert (tmp_path / "dist" / "examples" / "weather.bpmn").exists()


def test_what_the_definition_cannot_express_is_reported(tmp_path: Path) -> None:
    legacy = {**TEMPLATE, "properties": [
        {"type": "Hidden", "value": "io.camunda:http-json:1", "binding": {"type": "zeebe:taskDefinition:type"}},
        *TEMPLATE["properties"][1:],
    ]}
    del legacy["version"]
    source = tmp_path / "legacy.json"
    source.write_text(json.dumps([legacy]))
    result = etk("import", source, "-o", tmp_path / "templates" / "legacy.yaml")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[1:] == [
        "  changed: the template has no version: etk versions every template, so the definition has version 1 "
        "(the Modeler then records modelerTemplateVersion=\"1\")",
        "  changed: the legacy binding zeebe:taskDefinition:type became {type: zeebe:taskDefinition, property: type} "
        "(the Modeler writes the same BPMN)",
        "  renders to a template with 3 differences:",
        '    /properties/0/binding/type: "zeebe:taskDefinition:type" became "zeebe:taskDefinition"',
        '    /properties/0/binding/property: added ("type")',
        '    /version: added (1)',
    ]


def test_choosing_a_version_and_refusing_what_is_not_rest_based(tmp_path: Path) -> None:
    source = tmp_path / "versions.json"
    source.write_text(json.dumps([{**TEMPLATE, "version": 1}, {**TEMPLATE, "version": 4}, {**TEMPLATE, "version": 2}]))
    newest = etk("import", source, "-o", tmp_path / "newest.yaml")
    assert newest.exit_code == 0 and yaml.safe_load((tmp_path / "newest.yaml").read_text())["version"] == 4
    chosen = etk("import", source, "--version", "2", "-o", tmp_path / "chosen.yaml")
    assert chosen.exit_code == 0 and yaml.safe_load((tmp_path / "chosen.yaml").read_text())["version"] == 2
    missing = etk("import", source, "--version", "9", "-o", tmp_path / "none.yaml")
    assert (missing.exit_code, missing.output) == (2, f"etk: error: {source}: no template with version 9 (the file has: "
                                                      "com.example.Weather.v1 v1, com.example.Weather.v1 v4, "
                                                      "com.example.Weather.v1 v2)\n")
    other = {**TEMPLATE, "properties": [{"type": "Hidden", "value": "io.camunda:slack:1",
                                         "binding": {"type": "zeebe:taskDefinition", "property": "type"}}]}
    slack = tmp_path / "slack.json"
    slack.write_text(json.dumps(other))
    refused = etk("import", slack, "-o", tmp_path / "slack.yaml")
    assert refused.exit_code == 2
    assert refused.output == (f"etk: error: {slack}: not a REST-based template: no Hidden property sets the job type "
                              "io.camunda:http-json:1 (binding zeebe:taskDefinition, property type)\n")
    again = etk("import", tmp_path / "versions.json", "-o", tmp_path / "newest.yaml")
    assert again.exit_code == 2 and "exists; choose another -o, or pass --force" in again.output
    assert not (tmp_path / "slack.yaml").exists()


def test_explicit_mode_refuses_generated_parts_and_needs_the_job_type(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "mixed.yaml").write_text(
        "id: x.Mixed\nname: Mixed\nversion: 1\nprotocol: http-json\n"
        "fields:\n  city: {label: City}\n"
        "properties:\n  - {type: Hidden, value: get, binding: {type: 'zeebe:input', name: method}}\n"
    )
    result = etk("build", templates, "-o", tmp_path / "dist")
    assert result.exit_code == 2
    assert result.output.splitlines()[1:] == [
        f"{templates / 'mixed.yaml'}:6:3: 'fields' generates properties, but 'properties' lists them all "
        "(explicit mode): remove 'fields' or write its properties into 'properties'",
        f"{templates / 'mixed.yaml'}:8:5: protocol http-json: one property must set the job type, {{type: Hidden, "
        "value: io.camunda:http-json:1, binding: {type: zeebe:taskDefinition, property: type}}",
    ]


@pytest.mark.node
def test_dist_templates_round_trip_identically(node_tools: Path) -> None:
    trips = run(dist_templates())
    assert [(trip.source, trip.reasons) for trip in trips] == [(source, []) for source, _ in dist_templates()]


@pytest.mark.node
def test_a_representative_set_of_camunda_templates_round_trips(node_tools: Path) -> None:
    """A fast subset of `python -m tests.importer.roundtrip` (which runs all 152)."""
    def wanted(source: str, template: dict) -> bool:
        version = template.get("version")
        return ((source, version) in {("github-connector.json", 15), ("http-json-connector.json", 18),
                                      ("hugging-face-connector.json", 4), ("twilio-connector.json", 6)}
                or (source == "openai-connector.json" and version is None))

    trips = {f"{trip.source} v{trip.template.get('version', '-')}": trip
             for trip in run([(source, template) for source, template in package_templates() if wanted(source, template)])}
    assert sorted(trips) == ["github-connector.json v15", "http-json-connector.json v18", "hugging-face-connector.json v4",
                             "openai-connector.json v-", "twilio-connector.json v6"]
    # steps, presets and configurationTemplates (template:), icons, 200 properties: identical
    assert [name for name, trip in trips.items() if not trip.reasons] == [
        "http-json-connector.json v18", "hugging-face-connector.json v4"]
    # GitHub 15's commit body reads authorDate and committerDate, which no input provides (always
    # null): etk build refuses to generate that defect (etk validate's feel-unknown-variable)
    assert ['reads "authorDate", "committerDate", which no earlier input' in reason
            for reason in trips["github-connector.json v15"].reasons] == [True]
    # the legacy binding form is rewritten: other JSON, the same BPMN
    assert trips["twilio-connector.json v6"].reasons == [
        'template differs at /properties/0/binding/type: "zeebe:taskDefinition:type" became "zeebe:taskDefinition"',
        'template differs at /properties/0/binding/property: added ("type")',
    ]
    # etk versions every template: an unversioned one gets version 1, which the Modeler records
    assert trips["openai-connector.json v-"].reasons == [
        "template differs at /version: added (1)",
        "the Modeler writes other BPMN (defaults)", "the Modeler writes other BPMN (values)",
    ]
