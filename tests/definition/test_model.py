"""What a valid definition becomes: the typed model with defaults filled in and values parsed."""

from __future__ import annotations

import json

from generator.definition import load_definition, model
from generator.definition.protocol import AUTH_TYPES, OVERRIDABLE_STANDARD_IDS
from generator.definition.schema import definition_schema
from generator.problems import Location

DEFINITION = """\
id: io.etk.test.Model.v1
name: Model
version: 3
protocol:
  type: http-json
  fields:
    readTimeoutInSeconds: {default: 90, tooltip: Slow API}
icon: icon.svg
groups:
  main: Main
  extra: {label: Extra, tooltip: More, openByDefault: false}
authentication:
  default: bearer
  apiKey: {apiKeyLocation: query, name: key, value: {placeholder: "{{secrets.KEY}}"}}
  oauth-client-credentials-flow: {audience: false, scopes: read}
  bearer:
fields:
  apiVersion: {group: main, default: 2024-10-21}
  messageRole: {type: Dropdown, group: main, choices: {user: User, system: System}}
  limit: {type: Number, group: extra}
  strict: {type: Boolean, group: extra}
  history: {group: extra, feel: required}
  base: {type: Hidden, default: "=apiVersion + \\"/x\\""}
operations:
  chat:
    label: Chat
    method: post
    url: "https://example.com/{apiVersion}/chat"
    query: {api-version: "{apiVersion}", fixed: 1}
    fields:
      temperature: {group: main, json: number}
    body:
      role: "{messageRole}"
      greeting: "Hello {messageRole}!"
      secret: "{{secrets.TOKEN}}"
      n: 2
      messages: "=[{role: messageRole}]"
      mode: {$switch: messageRole, $cases: {user: u}, $default: s}
      nested: [{a: "{limit}"}]
"""


def load(write_definition):
    return load_definition(
        write_definition(DEFINITION, files={"icon.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>"})
    )


def test_metadata_and_defaults(write_definition):
    definition = load(write_definition)
    assert (definition.stem, definition.id, definition.name, definition.version) == (
        "def",
        "io.etk.test.Model.v1",
        "Model",
        3,
    )
    assert definition.category == ("connectors", "Connectors")
    assert definition.applies_to == ("bpmn:Task",)
    assert definition.element_type == "bpmn:ServiceTask"
    assert (
        definition.icon.data_uri == "data:image/svg+xml;base64,PHN2ZyB4bWxucz0naHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmcnLz4="
    )
    assert [(group.id, group.label, group.tooltip, group.open_by_default) for group in definition.groups] == [
        ("main", "Main", None, None),
        ("extra", "Extra", "More", False),
    ]
    override = definition.override("readTimeoutInSeconds")
    assert (override.default, override.tooltip) == (90, "Slow API")


def test_fields_get_labels_types_and_json_types(write_definition):
    definition = load(write_definition)
    fields = {item.name: item for item in definition.fields}
    assert fields["apiVersion"].label == "Api version"
    assert fields["apiVersion"].default == "2024-10-21"  # not a date
    assert (fields["apiVersion"].feel, fields["apiVersion"].json) == ("optional", "string")
    assert fields["messageRole"].default == "user"  # the first choice
    assert fields["messageRole"].choices == (model.Choice("user", "User"), model.Choice("system", "System"))
    assert (fields["limit"].feel, fields["limit"].json) == ("static", "number")
    assert (fields["strict"].feel, fields["strict"].json) == ("static", "boolean")
    assert fields["history"].json == "json"
    assert fields["base"].computed and fields["base"].json == "json"
    assert fields["apiVersion"].location == Location("def.yaml", 18, 3)


def test_authentication_types_and_inputs(write_definition):
    authentication = load(write_definition).authentication
    assert authentication.is_choice and authentication.default == "bearer"
    assert [item.type for item in authentication.types] == ["apiKey", "oauth-client-credentials-flow", "bearer"]
    api_key, oauth, bearer = authentication.types
    assert [(item.name, item.mode, item.value) for item in api_key.fields] == [
        ("apiKeyLocation", "fixed", "query"),
        ("name", "fixed", "key"),
        ("value", "visible", None),
    ]
    assert api_key.fields[2].placeholder == "{{secrets.KEY}}"
    assert {item.name: item.mode for item in oauth.fields}["audience"] == "omitted"
    assert {item.name: item.value for item in oauth.fields}["scopes"] == "read"
    assert {item.name: item.value for item in oauth.fields}["clientAuthentication"] == "credentialsBody"
    assert [(item.name, item.mode, item.label) for item in bearer.fields] == [("token", "visible", "Bearer token")]


def test_request_values_are_parsed(write_definition):
    operation = load(write_definition).operations[0]
    parts = operation.request.parts
    assert parts.method.value == "POST"
    assert [piece if isinstance(piece, str) else piece.name for piece in parts.url.parts] == [
        "https://example.com/",
        "apiVersion",
        "/chat",
    ]
    query = dict(parts.query.entries)
    assert query["api-version"].name == "apiVersion" and query["fixed"].value == 1
    body = dict(parts.body.entries)
    assert isinstance(body["role"], model.FieldRef)
    assert isinstance(body["greeting"], model.TemplateString)
    assert body["secret"].value == "{{secrets.TOKEN}}"  # double braces stay literal
    assert body["n"].value == 2
    assert body["messages"].text == "[{role: messageRole}]"
    assert (
        body["mode"].field == "messageRole" and body["mode"].cases[0][0] == "user" and body["mode"].default.value == "s"
    )
    assert isinstance(body["nested"].items[0], model.ObjectValue)


def test_the_schema_file_is_valid_draft_07_and_matches_the_catalogue():
    import jsonschema

    schema = definition_schema()
    jsonschema.Draft7Validator.check_schema(schema)
    authentication = schema["properties"]["authentication"]["properties"]
    for auth_type, spec in AUTH_TYPES.items():
        inputs = set(authentication[auth_type]["properties"]) - {"label"}
        assert inputs == {item.name for item in spec.fields}, auth_type
    assert schema["properties"]["protocol"]["else"]["properties"]["fields"]["propertyNames"]["enum"] == list(
        OVERRIDABLE_STANDARD_IDS
    )


def test_the_shipped_definitions_declare_the_schema_for_editors(repo_dir):
    for path in sorted((repo_dir / "templates").glob("*.yaml")):
        first_line = path.read_text(encoding="utf-8").splitlines()[0]
        assert first_line == "# yaml-language-server: $schema=../schemas/connector-definition.schema.json", path
    json.loads((repo_dir / "schemas" / "connector-definition.schema.json").read_text(encoding="utf-8"))
