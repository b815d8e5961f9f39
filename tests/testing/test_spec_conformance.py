"""The fake against the copied 2024-10-21 spec: same request keys, bounds and enums; the spec's examples run."""

from __future__ import annotations

import json

import pytest

from generator.testing.azure_openai.schemas import request_schema
from generator.testing.azure_openai.versions import CHAT, COMPLETIONS, lookup_version

from .conftest import call
from .spec import load_spec, response_validator, schema_errors

VERSION = lookup_version("2024-10-21")


@pytest.fixture(scope="module")
def spec(shared_dir):
    return load_spec(shared_dir)


def spec_properties(spec: dict, name: str) -> dict:
    """A request schema's properties, following `allOf` and `$ref` the way the spec composes them."""
    schema = spec["components"]["schemas"][name]
    properties = dict(schema.get("properties", {}))
    for part in schema.get("allOf", []):
        if "$ref" in part:
            properties.update(spec_properties(spec, part["$ref"].rsplit("/", 1)[1]))
        properties.update(part.get("properties", {}))
    return properties


@pytest.mark.parametrize(("operation", "schema_name"), [
    (CHAT, "createChatCompletionRequest"),
    (COMPLETIONS, "createCompletionRequest"),
])
def test_accepted_keys_are_the_specs_plus_model(spec, operation, schema_name):
    assert set(VERSION.request_keys(operation)) == set(spec_properties(spec, schema_name)) | {"model"}


@pytest.mark.parametrize(("operation", "schema_name"), [
    (CHAT, "createChatCompletionRequest"),
    (COMPLETIONS, "createCompletionRequest"),
])
def test_bounds_and_types_are_the_specs(spec, operation, schema_name):
    ours = request_schema(operation, VERSION, closed=True)["properties"]
    for name, theirs in spec_properties(spec, schema_name).items():
        for bound in ("minimum", "maximum"):
            assert ours[name].get(bound) == theirs.get(bound), f"{name}.{bound}"
        if theirs.get("type") in ("number", "integer", "boolean", "string", "array"):
            our_types = ours[name]["type"] if isinstance(ours[name]["type"], list) else [ours[name]["type"]]
            assert theirs["type"] in our_types, name


def test_message_roles_are_the_specs(spec):
    roles = []
    for reference in spec["components"]["schemas"]["chatCompletionRequestMessage"]["oneOf"]:
        message = spec["components"]["schemas"][reference["$ref"].rsplit("/", 1)[1]]
        roles.extend(message["properties"]["role"]["enum"])
    assert sorted(roles) == sorted(VERSION.message_roles)


def test_data_source_enums_are_the_specs(spec):
    schemas = spec["components"]["schemas"]
    ours = request_schema(CHAT, VERSION, closed=True)["properties"]["data_sources"]["items"]
    assert ours["properties"]["type"]["enum"] == schemas["azureChatExtensionType"]["enum"]
    search = ours["allOf"][0]["then"]["properties"]["parameters"]
    assert sorted(search["required"]) == sorted(schemas["azureSearchChatExtensionParameters"]["required"])
    assert set(search["properties"]) == set(schemas["azureSearchChatExtensionParameters"]["properties"])
    assert search["properties"]["query_type"]["enum"] == schemas["azureSearchQueryType"]["enum"]
    cosmos = ours["allOf"][1]["then"]["properties"]["parameters"]
    assert sorted(cosmos["required"]) == sorted(schemas["azureCosmosDBChatExtensionParameters"]["required"])
    assert set(cosmos["properties"]) == set(schemas["azureCosmosDBChatExtensionParameters"]["properties"])


@pytest.mark.parametrize(("example", "operation", "schema_name"), [
    ("chat_completions.json", CHAT, "createChatCompletionResponse"),
    ("chat_completions_azure_search_minimum.json", CHAT, "createChatCompletionResponse"),
    ("completions.json", COMPLETIONS, "createCompletionResponse"),
])
def test_the_specs_example_requests_succeed_with_spec_conformant_answers(client, spec, shared_dir, example,
                                                                         operation, schema_name):
    examples = shared_dir / "upstream/azure-openai/2024-10-21/examples"
    parameters = json.loads((examples / example).read_text())["parameters"]
    response = call(client, operation, parameters["body"], api_version=parameters["api-version"])
    assert response.status_code == 200
    assert schema_errors(response_validator(spec, schema_name), response.json()) == []
