"""Rendering rules, checked on a small definition: the exact properties, their order, ids and FEEL."""

from __future__ import annotations

import json

import pytest

from generator import feel
from generator.apply import apply_template
from generator.definition import load_definition
from generator.files import dump_json
from generator.runtime.engine import evaluate_inputs
from generator.template import TEMPLATE_SCHEMA_URL, render, render_template

DEFINITION = """\
id: io.etk.test.Render.v1
name: Render
version: 2
protocol:
  type: http-json
  fields:
    readTimeoutInSeconds: {default: 60}
    resultExpression: {placeholder: "={id: response.body.id}"}
groups:
  main: Main
authentication:
  apiKey: {apiKeyLocation: headers, name: x-api-key, value: {placeholder: "{{secrets.KEY}}"}}
fields:
  host: {group: main, required: true}
  mode: {type: Dropdown, group: main, choices: {fast: Fast, slow: Slow}, operations: [create]}
operations:
  create:
    label: Create item
    method: POST
    url: "https://{host}/items"
    headers: {X-Mode: "{mode}"}
    fields:
      name: {group: main, required: true}
      count: {group: main, json: integer, condition: {property: mode, equals: fast}}
      draft: {type: Dropdown, group: main, choices: {"": Not set, "true": "Yes", "false": "No"}, json: boolean}
    body:
      name: "{name}"
      count: "{count}"
      draft: "{draft}"
      speed: {$switch: mode, $cases: {fast: 10}, $default: 1}
  get:
    label: Get item
    method: GET
    fields:
      id: {group: main, required: true}
      version: {group: main}
    variants:
      - when: "=version != null"
        url: "https://{host}/items/{id}/versions/{version}"
      - url: "https://{host}/items/{id}"
"""

# One JSON line per property, in template order (reviewed by hand; see the module docstring of
# generator.template.render for the layout rules they follow).
EXPECTED_PROPERTIES = [
    '{"id": "taskDefinitionType", "type": "Hidden", "value": "io.camunda:http-json:1", "binding": {"type": "zeebe:taskDefinition", "property": "type"}}',
    '{"id": "operation", "label": "Operation", "group": "operation", "type": "Dropdown", "value": "create", "choices": [{"name": "Create item", "value": "create"}, {"name": "Get item", "value": "get"}], "binding": {"type": "zeebe:input", "name": "operation"}}',
    '{"id": "authentication.type", "type": "Hidden", "value": "apiKey", "binding": {"type": "zeebe:input", "name": "authentication.type"}}',
    '{"id": "authentication.apiKeyLocation", "type": "Hidden", "value": "headers", "binding": {"type": "zeebe:input", "name": "authentication.apiKeyLocation"}}',
    '{"id": "authentication.name", "type": "Hidden", "value": "x-api-key", "binding": {"type": "zeebe:input", "name": "authentication.name"}}',
    '{"id": "authentication.value", "label": "API key value", "placeholder": "{{secrets.KEY}}", "group": "authentication", "type": "String", "feel": "optional", "constraints": {"notEmpty": true}, "binding": {"type": "zeebe:input", "name": "authentication.value"}}',
    '{"id": "host", "label": "Host", "group": "main", "type": "String", "feel": "optional", "constraints": {"notEmpty": true}, "binding": {"type": "zeebe:input", "name": "host"}}',
    '{"id": "mode", "label": "Mode", "group": "main", "type": "Dropdown", "value": "fast", "choices": [{"name": "Fast", "value": "fast"}, {"name": "Slow", "value": "slow"}], "binding": {"type": "zeebe:input", "name": "mode"}, "condition": {"property": "operation", "equals": "create"}}',
    '{"id": "create_name", "label": "Name", "group": "main", "type": "String", "feel": "optional", "constraints": {"notEmpty": true}, "binding": {"type": "zeebe:input", "name": "create_name"}, "condition": {"property": "operation", "equals": "create"}}',
    '{"id": "create_count", "label": "Count", "group": "main", "type": "String", "optional": true, "feel": "optional", "constraints": {"notEmpty": false, "pattern": {"value": "^undefined$|(?:^(-?\\\\d+)?$)", "message": "must be a whole number"}}, "binding": {"type": "zeebe:input", "name": "create_count"}, "condition": {"allMatch": [{"property": "operation", "equals": "create"}, {"property": "mode", "equals": "fast"}]}}',
    '{"id": "create_draft", "label": "Draft", "group": "main", "type": "Dropdown", "choices": [{"name": "Yes", "value": "true"}, {"name": "No", "value": "false"}], "optional": true, "binding": {"type": "zeebe:input", "name": "create_draft"}, "condition": {"property": "operation", "equals": "create"}}',
    '{"id": "get_id", "label": "Id", "group": "main", "type": "String", "feel": "optional", "constraints": {"notEmpty": true}, "binding": {"type": "zeebe:input", "name": "get_id"}, "condition": {"property": "operation", "equals": "get"}}',
    '{"id": "get_version", "label": "Version", "group": "main", "type": "String", "optional": true, "feel": "optional", "binding": {"type": "zeebe:input", "name": "get_version"}, "condition": {"property": "operation", "equals": "get"}}',
    '{"id": "create_method", "type": "Hidden", "value": "POST", "binding": {"type": "zeebe:input", "name": "method"}, "condition": {"property": "operation", "equals": "create"}}',
    '{"id": "create_url", "type": "Hidden", "value": "=\\"https://\\" + string(host) + \\"/items\\"", "binding": {"type": "zeebe:input", "name": "url"}, "condition": {"property": "operation", "equals": "create"}}',
    '{"id": "create_headers", "type": "Hidden", "value": "=context(get entries({\\"X-Mode\\": mode})[item.value != null])", "binding": {"type": "zeebe:input", "name": "headers"}, "condition": {"property": "operation", "equals": "create"}}',
    '{"id": "create_body", "type": "Hidden", "value": "=context(get entries({name: string(create_name), count: (if create_count instance of string then number(create_count) else create_count), draft: (if create_draft instance of string then (if lower case(create_draft) = \\"true\\" then true else if lower case(create_draft) = \\"false\\" then false else null) else create_draft), speed: (if mode = \\"fast\\" then 10 else 1)})[item.value != null])", "binding": {"type": "zeebe:input", "name": "body"}, "condition": {"property": "operation", "equals": "create"}}',
    '{"id": "get_method", "type": "Hidden", "value": "GET", "binding": {"type": "zeebe:input", "name": "method"}, "condition": {"property": "operation", "equals": "get"}}',
    '{"id": "get_url", "type": "Hidden", "value": "=if (get_version != null) then (\\"https://\\" + string(host) + \\"/items/\\" + string(get_id) + \\"/versions/\\" + string(get_version)) else (\\"https://\\" + string(host) + \\"/items/\\" + string(get_id))", "binding": {"type": "zeebe:input", "name": "url"}, "condition": {"property": "operation", "equals": "get"}}',
    '{"id": "connectionTimeoutInSeconds", "label": "Connection timeout in seconds", "group": "timeout", "type": "Number", "value": 20, "feel": "static", "constraints": {"notEmpty": true}, "binding": {"type": "zeebe:input", "name": "connectionTimeoutInSeconds"}}',
    '{"id": "readTimeoutInSeconds", "label": "Read timeout in seconds", "group": "timeout", "type": "Number", "value": 60, "feel": "static", "constraints": {"notEmpty": true}, "binding": {"type": "zeebe:input", "name": "readTimeoutInSeconds"}}',
    '{"id": "elementTemplateVersion", "group": "connector", "type": "Hidden", "value": "2", "binding": {"type": "zeebe:taskHeader", "key": "elementTemplateVersion"}}',
    '{"id": "elementTemplateId", "group": "connector", "type": "Hidden", "value": "io.etk.test.Render.v1", "binding": {"type": "zeebe:taskHeader", "key": "elementTemplateId"}}',
    '{"id": "resultVariable", "label": "Result variable", "group": "output", "type": "String", "binding": {"type": "zeebe:taskHeader", "key": "resultVariable"}}',
    '{"id": "resultExpression", "label": "Result expression", "placeholder": "={id: response.body.id}", "group": "output", "type": "Text", "feel": "required", "binding": {"type": "zeebe:taskHeader", "key": "resultExpression"}}',
    '{"id": "errorExpression", "label": "Error expression", "group": "error", "type": "Text", "feel": "required", "binding": {"type": "zeebe:taskHeader", "key": "errorExpression"}}',
    '{"id": "retryCount", "label": "Retries", "group": "retries", "type": "String", "value": "3", "feel": "optional", "binding": {"type": "zeebe:taskDefinition", "property": "retries"}}',
    '{"id": "retryBackoff", "label": "Retry backoff", "group": "retries", "type": "String", "value": "PT30S", "binding": {"type": "zeebe:taskHeader", "key": "retryBackoff"}}',
]


@pytest.fixture
def definition(write_definition):
    return load_definition(write_definition(DEFINITION))


def test_the_exact_properties(definition):
    template = render_template(definition)
    assert [json.dumps(prop, ensure_ascii=False) for prop in template["properties"]] == EXPECTED_PROPERTIES


def test_the_template_header_and_groups(definition):
    template = render_template(definition)
    assert list(template)[:8] == ["$schema", "name", "id", "version", "category", "appliesTo", "elementType", "groups"]
    assert template["$schema"] == TEMPLATE_SCHEMA_URL
    assert template["elementType"] == {"value": "bpmn:ServiceTask"}
    assert [group["id"] for group in template["groups"]] == [
        "operation",
        "authentication",
        "main",
        "timeout",
        "connector",
        "output",
        "error",
        "retries",
    ]


def test_every_property_has_an_id_and_ids_repeat_only_for_exclusive_request_inputs(definition):
    properties = render_template(definition)["properties"]
    assert all("id" in prop for prop in properties)
    ids = [prop["id"] for prop in properties]
    assert len(ids) == len(set(ids))
    bindings = [prop["binding"].get("name") for prop in properties if prop["binding"]["type"] == "zeebe:input"]
    assert bindings.count("url") == 2 and bindings.count("method") == 2  # one per operation, gated by it


def test_request_inputs_come_after_the_fields_they_read(definition):
    properties = render_template(definition)["properties"]
    position = {prop["id"]: index for index, prop in enumerate(properties)}
    for request_input in ("create_url", "create_headers", "create_body", "get_url"):
        for field_id in ("host", "mode", "create_name", "create_count", "create_draft", "get_id", "get_version"):
            assert position[field_id] < position[request_input]


def test_rendering_is_deterministic(definition, write_definition):
    again = load_definition(write_definition(DEFINITION, name="def"))
    assert dump_json(render_template(definition)) == dump_json(render_template(again))


def test_sources_point_back_into_the_definition(definition):
    rendered = render(definition)
    assert str(rendered.source_of("/properties/9/condition/allMatch/1")) == "def.yaml:24:7"  # create_count
    assert str(rendered.source_of("/properties/16/value")) == "def.yaml:27:7"  # create_body


def request_inputs(template, values):
    """The task's local variables after its input mappings, as Zeebe would evaluate them."""
    return evaluate_inputs(apply_template(template, values), {})


def test_the_body_carries_json_types_and_leaves_out_empty_fields(definition):
    template = render_template(definition)
    local = request_inputs(template, {"host": "api.test", "create_name": "pen", "create_count": "3"})
    assert local["body"] == {"name": "pen", "count": 3, "speed": 10}
    assert local["headers"] == {"X-Mode": "fast"}
    assert local["url"] == "https://api.test/items"
    local = request_inputs(
        template, {"host": "api.test", "create_name": "=42", "mode": "slow", "create_draft": "false"}
    )
    assert local["body"] == {"name": "42", "draft": False, "speed": 1}


def test_variants_choose_the_url(definition):
    template = render_template(definition)
    base = {"operation": "get", "host": "api.test", "get_id": "7"}
    assert request_inputs(template, base)["url"] == "https://api.test/items/7"
    assert request_inputs(template, {**base, "get_version": "3"})["url"] == "https://api.test/items/7/versions/3"


def test_every_generated_feel_value_parses(definition):
    for _, expression in render(definition).feel_values():
        feel.parse(expression)
