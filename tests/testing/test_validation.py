"""Request validation: every rule answers the exact 400 body the responsible Azure component sends."""

from __future__ import annotations

import json

import pytest

from generator.testing.azure_openai.answers import UNPARSABLE_JSON

from .conftest import USER_HI, call


def backend_error(message: str, param: str | None = None, code: str | None = None) -> dict:
    return {"error": {"message": message, "type": "invalid_request_error", "param": param, "code": code}}


def user(content: object = "Hi", **extra: object) -> dict:
    return {"messages": [{"role": "user", "content": content, **extra}]}


CHAT = "chat/completions"
COMPLETIONS = "completions"

MODEL_BACKEND_CASES = [
    # (operation, api-version, body, message)
    (CHAT, "2024-10-21", {}, "'messages' is a required property"),
    (CHAT, "2024-10-21", {"messages": []}, "[] is too short - 'messages'"),
    (CHAT, "2024-10-21", {"messages": "Hi"}, "'Hi' is not of type 'array' - 'messages'"),
    (CHAT, "2024-10-21", {"messages": [{"role": "robot", "content": "Hi"}]},
     "'robot' is not one of ['system', 'assistant', 'user', 'function', 'tool'] - 'messages.0.role'"),
    (CHAT, "2023-05-15", {"messages": [{"role": "tool", "content": "Hi"}]},
     "'tool' is not one of ['system', 'assistant', 'user'] - 'messages.0.role'"),
    (CHAT, "2024-10-21", {"messages": [{"content": "Hi"}]}, "'role' is a required property - 'messages.0'"),
    (CHAT, "2024-10-21", {"messages": [{"role": "user"}]}, "'content' is a required property - 'messages.0'"),
    (CHAT, "2024-10-21", user(None), "None is not of type 'string', 'array' - 'messages.0.content'"),
    (CHAT, "2023-05-15", user([{"type": "text", "text": "Hi"}]),
     "[{'type': 'text', 'text': 'Hi'}] is not of type 'string' - 'messages.0.content'"),
    (CHAT, "2024-10-21", user([]), "[] is too short - 'messages.0.content'"),
    (CHAT, "2024-10-21", user([{"type": "video", "url": "x"}]),
     "'video' is not one of ['text', 'image_url'] - 'messages.0.content.0.type'"),
    (CHAT, "2024-10-21", user("Hi", contentPart="x"),
     "Additional properties are not allowed ('contentPart' was unexpected) - 'messages.0'"),
    (CHAT, "2024-10-21", {"messages": [{"role": "tool", "content": "42"}]},
     "'tool_call_id' is a required property - 'messages.0'"),
    (CHAT, "2024-10-21", {**USER_HI, "temperature": "0.7"}, "'0.7' is not of type 'number' - 'temperature'"),
    (CHAT, "2024-10-21", {**USER_HI, "temperature": 2.5}, "2.5 is greater than the maximum of 2 - 'temperature'"),
    (CHAT, "2024-10-21", {**USER_HI, "temperature": -0.1}, "-0.1 is less than the minimum of 0 - 'temperature'"),
    (CHAT, "2024-10-21", {**USER_HI, "top_p": 1.5}, "1.5 is greater than the maximum of 1 - 'top_p'"),
    (CHAT, "2024-10-21", {**USER_HI, "n": 0}, "0 is less than the minimum of 1 - 'n'"),
    (CHAT, "2024-10-21", {**USER_HI, "n": True}, "True is not of type 'integer' - 'n'"),
    (CHAT, "2024-10-21", {**USER_HI, "max_tokens": 10.5}, "10.5 is not of type 'integer' - 'max_tokens'"),
    (CHAT, "2024-10-21", {**USER_HI, "max_tokens": "100"}, "'100' is not of type 'integer' - 'max_tokens'"),
    # beyond the spec (no minimum there): the backend wants at least one token for a chat answer
    (CHAT, "2024-10-21", {**USER_HI, "max_tokens": 0}, "0 is less than the minimum of 1 - 'max_tokens'"),
    (CHAT, "2024-02-01", {**USER_HI, "max_tokens": -1}, "-1 is less than the minimum of 1 - 'max_tokens'"),
    (CHAT, "2024-10-21", {**USER_HI, "stop": ["a", "b", "c", "d", "e"]},
     "['a', 'b', 'c', 'd', 'e'] is too long - 'stop'"),
    (CHAT, "2024-10-21", {**USER_HI, "stop": []}, "[] is too short - 'stop'"),
    (CHAT, "2024-10-21", {**USER_HI, "stop": 5}, "5 is not of type 'string', 'array' - 'stop'"),
    (CHAT, "2024-10-21", {**USER_HI, "stop": ["a", 1]}, "1 is not of type 'string' - 'stop.1'"),
    (CHAT, "2024-10-21", {**USER_HI, "presence_penalty": 3}, "3 is greater than the maximum of 2 - 'presence_penalty'"),
    (CHAT, "2024-10-21", {**USER_HI, "frequency_penalty": -2.5},
     "-2.5 is less than the minimum of -2 - 'frequency_penalty'"),
    (CHAT, "2024-10-21", {**USER_HI, "logit_bias": [1]}, "[1] is not of type 'object' - 'logit_bias'"),
    (CHAT, "2024-10-21", {**USER_HI, "logit_bias": {"50256": "-100"}},
     "'-100' is not of type 'integer' - 'logit_bias.50256'"),
    (CHAT, "2024-10-21", {**USER_HI, "logit_bias": {"hello": 1}}, "'hello' does not match '^[0-9]+$' - 'logit_bias'"),
    (CHAT, "2024-10-21", {**USER_HI, "stream": "false"}, "'false' is not of type 'boolean' - 'stream'"),
    (CHAT, "2024-10-21", {**USER_HI, "user": 7}, "7 is not of type 'string' - 'user'"),
    (CHAT, "2024-10-21", {**USER_HI, "top_logprobs": 21}, "21 is greater than the maximum of 20 - 'top_logprobs'"),
    (CHAT, "2024-06-01", {**USER_HI, "top_logprobs": 6}, "6 is greater than the maximum of 5 - 'top_logprobs'"),
    (CHAT, "2024-10-21", {**USER_HI, "response_format": "json_object"},
     "'json_object' is not of type 'object' - 'response_format'"),
    (CHAT, "2024-10-21", {**USER_HI, "tools": [{"type": "function", "function": {}}]},
     "'name' is a required property - 'tools.0.function'"),
    (CHAT, "2024-10-21", [1], "[1] is not of type 'object'"),
    (CHAT, "2024-10-21", {**USER_HI, "dataSources": []}, "Unrecognized request argument supplied: dataSources"),
    (CHAT, "2024-10-21", {**USER_HI, "dataSources": [], "contentPart": "x", "enhancements": {}},
     "Unrecognized request arguments supplied: contentPart, dataSources, enhancements"),
    (CHAT, "2023-05-15", {**USER_HI, "functions": [{"name": "f"}], "function_call": "auto"},
     "Unrecognized request arguments supplied: function_call, functions"),
    (CHAT, "2024-02-01", {**USER_HI, "logprobs": True}, "Unrecognized request argument supplied: logprobs"),
    (CHAT, "2024-06-01", {**USER_HI, "max_completion_tokens": 5},
     "Unrecognized request argument supplied: max_completion_tokens"),
    (CHAT, "2023-12-01-preview", {**USER_HI, "data_sources": []},
     "Unrecognized request argument supplied: data_sources"),
    (COMPLETIONS, "2024-10-21", {}, "'prompt' is a required property"),
    (COMPLETIONS, "2024-10-21", {"prompt": 42}, "42 is not of type 'string', 'array' - 'prompt'"),
    (COMPLETIONS, "2024-10-21", {"prompt": "x", "logprobs": 6}, "6 is greater than the maximum of 5 - 'logprobs'"),
    (COMPLETIONS, "2024-10-21", {"prompt": "x", "best_of": 21}, "21 is greater than the maximum of 20 - 'best_of'"),
    (COMPLETIONS, "2024-10-21", {"prompt": "x", "max_tokens": -1}, "-1 is less than the minimum of 0 - 'max_tokens'"),
    (COMPLETIONS, "2024-10-21", {"prompt": "x", "n": 0}, "0 is less than the minimum of 1 - 'n'"),
    (COMPLETIONS, "2024-10-21", {"prompt": "x", "temperature": "0.7"}, "'0.7' is not of type 'number' - 'temperature'"),
    (COMPLETIONS, "2024-10-21", {"prompt": "x", "logit_bias": {"50256": 1.5}},
     "1.5 is not of type 'integer' - 'logit_bias.50256'"),
    (COMPLETIONS, "2024-10-21", {"prompt": "x", "logit_bias": {"50256": -101}},
     "-101 is less than the minimum of -100 - 'logit_bias.50256'"),
    (COMPLETIONS, "2024-10-21", {"prompt": "x", "echo": "False"}, "'False' is not of type 'boolean' - 'echo'"),
    (COMPLETIONS, "2024-10-21", {"prompt": "x", "messages": []}, "Unrecognized request argument supplied: messages"),
    (COMPLETIONS, "2024-10-21", {"prompt": "x", "completion_config": "c"},
     "Unrecognized request argument supplied: completion_config"),
    (COMPLETIONS, "2024-02-01", {"prompt": "x", "seed": 1}, "Unrecognized request argument supplied: seed"),
]


@pytest.mark.parametrize(("operation", "api_version", "body", "message"), MODEL_BACKEND_CASES)
def test_model_backend_rules(client, operation, api_version, body, message):
    response = call(client, operation, body, api_version=api_version)
    assert response.status_code == 400
    assert response.json() == backend_error(message)


def test_backend_errors_are_indented_like_azure(client):
    response = call(client, CHAT, {})
    assert response.text == json.dumps(backend_error("'messages' is a required property"), indent=2)


@pytest.mark.parametrize("body", [b"not json", b"", b'{"messages": [', b"\xff\xfe"])
def test_a_body_that_is_not_json_answers_400(client, body):
    response = call(client, CHAT, body)
    assert response.status_code == 400
    assert response.json() == backend_error(UNPARSABLE_JSON)


@pytest.mark.parametrize(("operation", "body"), [
    (CHAT, {**USER_HI, "stream": True}),
    (COMPLETIONS, {"prompt": "Hi", "stream": True}),
])
def test_stream_true_is_refused_naming_stream(client, operation, body):
    response = call(client, operation, body)
    assert response.status_code == 400
    assert response.json()["error"]["param"] == "stream"
    assert response.json()["error"]["code"] == "unsupported_value"
    assert "'stream' must be false or absent" in response.json()["error"]["message"]


@pytest.mark.parametrize(("operation", "body"), [
    (CHAT, {**USER_HI, "stream": False, "temperature": None, "stop": None, "model": "ignored", "n": 2,
            "max_tokens": 50.0, "logit_bias": {"50256": -100}, "user": "u", "seed": 1, "logprobs": False,
            "top_logprobs": None, "parallel_tool_calls": True, "max_completion_tokens": 100,
            "response_format": {"type": "json_schema", "json_schema": {"name": "x", "schema": {}}},
            "tools": [{"type": "function", "function": {"name": "f", "parameters": {"type": "object"}}}],
            "tool_choice": {"type": "function", "function": {"name": "f"}}}),
    (CHAT, {"messages": [
        {"role": "system", "content": [{"type": "text", "text": "Be brief."}], "name": "rules"},
        {"role": "user", "content": [{"type": "text", "text": "Hi"},
                                     {"type": "image_url", "image_url": {"url": "https://x/y.png", "detail": "low"}}]},
        {"role": "assistant", "content": None, "tool_calls": [
            {"id": "call_1", "type": "function", "function": {"name": "f", "arguments": "{}"}}]},
        {"role": "tool", "content": "42", "tool_call_id": "call_1"},
        {"role": "function", "content": None, "name": "f"},
    ]}),
    (COMPLETIONS, {"prompt": ["a", "b"], "max_tokens": 5, "temperature": 1, "top_p": 1, "n": 1, "logprobs": None,
                   "suffix": None, "echo": False, "stop": "\n", "presence_penalty": 0, "frequency_penalty": 0,
                   "best_of": 1, "seed": 3, "user": "u"}),
])
def test_valid_requests_pass(client, operation, body):
    assert call(client, operation, body).status_code == 200


# --- On Your Data: the OYD service validates whole requests that carry data sources ----------------

SEARCH = {"type": "azure_search", "parameters": {"endpoint": "https://search.example", "index_name": "docs",
                                                  "authentication": {"type": "api_key", "key": "k"}}}


def oyd_lines(response) -> list[str]:
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/json; charset=UTF-8"
    error = response.json()["error"]
    assert list(error) == ["requestid", "code", "message"]
    assert error["requestid"] == response.headers["apim-request-id"]
    assert error["code"] == 400
    return error["message"].split("\n")


@pytest.mark.parametrize(("data_sources", "extra", "lines"), [
    ([{"type": "azure_search", "parameters": {"indexName": "docs", "authentication": {"type": "api_key"}}}], {}, [
        "Validation error at #/data_sources/0/azure_search/parameters/authentication/api_key/key: Field required",
        "Validation error at #/data_sources/0/azure_search/parameters/endpoint: Field required",
        "Validation error at #/data_sources/0/azure_search/parameters/indexName: Extra inputs are not permitted",
        "Validation error at #/data_sources/0/azure_search/parameters/index_name: Field required",
    ]),
    ([SEARCH], {"max_completion_tokens": 5, "contentPart": "x"}, [
        "Validation error at #/contentPart: Extra inputs are not permitted",
    ]),
    ([{"type": "AzureCognitiveSearch", "parameters": {}}], {}, [
        "Validation error at #/data_sources/0: Input tag 'AzureCognitiveSearch' found using 'type' does not match "
        "any of the expected tags: 'azure_search', 'azure_cosmos_db'",
    ]),
    ([{"parameters": {}}], {},
     ["Validation error at #/data_sources/0: Unable to extract tag using discriminator 'type'"]),
    ([{"type": "azure_search"}], {}, ["Validation error at #/data_sources/0/azure_search/parameters: Field required"]),
    ([{"type": "azure_search", "parameters": {**SEARCH["parameters"], "strictness": 6, "top_n_documents": "5",
                                              "in_scope": "yes", "query_type": "fuzzy"}}], {}, [
        "Validation error at #/data_sources/0/azure_search/parameters/in_scope: Input should be a valid boolean",
        "Validation error at #/data_sources/0/azure_search/parameters/query_type: Input should be 'simple', "
        "'semantic', 'vector', 'vector_simple_hybrid' or 'vector_semantic_hybrid'",
        "Validation error at #/data_sources/0/azure_search/parameters/strictness: Input should be less than or "
        "equal to 5",
        "Validation error at #/data_sources/0/azure_search/parameters/top_n_documents: Input should be a valid integer",
    ]),
    ([{"type": "azure_cosmos_db", "parameters": {"authentication": {"type": "api_key", "key": "k"},
                                                 "database_name": "db", "container_name": "c", "index_name": "i",
                                                 "fields_mapping": {"content_fields": ["c"]},
                                                 "embedding_dependency": {"type": "deployment_name"}}}], {}, [
        "Validation error at #/data_sources/0/azure_cosmos_db/parameters/authentication: Input tag 'api_key' found "
        "using 'type' does not match any of the expected tags: 'connection_string'",
        "Validation error at #/data_sources/0/azure_cosmos_db/parameters/embedding_dependency/deployment_name/"
        "deployment_name: Field required",
        "Validation error at #/data_sources/0/azure_cosmos_db/parameters/fields_mapping/vector_fields: Field required",
    ]),
    ([SEARCH], {"temperature": "0.7", "messages": []}, [
        "Validation error at #/messages: List should have at least 1 item after validation, not 0",
        "Validation error at #/temperature: Input should be a valid number",
    ]),
])
def test_on_your_data_rules(client, data_sources, extra, lines):
    response = call(client, CHAT, {**USER_HI, "data_sources": data_sources, **extra})
    assert oyd_lines(response) == lines


@pytest.mark.parametrize(("body", "lines"), [
    ({**USER_HI, "dataSources": [{"type": "AzureCognitiveSearch", "parameters": {"endpoint": "https://s"}}],
      "n": 1, "contentPart": "x"}, [
        "Validation error at #/contentPart: Extra inputs are not permitted",
        "Validation error at #/dataSources/0/AzureCognitiveSearch/parameters/indexName: Field required",
        "Validation error at #/n: Extra inputs are not permitted",
    ]),
    ({**USER_HI, "dataSources": [{"type": "azure_search", "parameters": {}}]}, [
        "Validation error at #/dataSources/0: Input tag 'azure_search' found using 'type' does not match any of the "
        "expected tags: 'AzureCognitiveSearch', 'AzureCosmosDB', 'AzureMLIndex', 'Elasticsearch', 'Pinecone'",
    ]),
    ({"messages": [{"role": "user"}], "dataSources": [{"type": "AzureCognitiveSearch", "parameters": {
        "endpoint": "https://s", "indexName": "i", "topNDocuments": "5"}}]}, [
        "Validation error at #/dataSources/0/AzureCognitiveSearch/parameters/topNDocuments: Input should be a valid "
        "integer",
        "Validation error at #/messages/0/content: Field required",
    ]),
    # the 2023-12-01-preview option types, in their camelCase wire names
    ({**USER_HI, "dataSources": [{"type": "AzureCognitiveSearch", "parameters": {
        "endpoint": "https://s", "indexName": "i", "authentication": {"type": "APIKey", "apiKey": "k"},
        "embeddingDependency": {"type": "deployment_name", "deployment_name": "ada"}}}]}, [
        "Validation error at #/dataSources/0/AzureCognitiveSearch/parameters/authentication/APIKey/key: Field required",
        "Validation error at #/dataSources/0/AzureCognitiveSearch/parameters/embeddingDependency: Input tag "
        "'deployment_name' found using 'type' does not match any of the expected tags: 'Endpoint', 'DeploymentName', "
        "'ModelId'",
    ]),
    ({**USER_HI, "dataSources": [{"type": "AzureCosmosDB", "parameters": {
        "authentication": {"type": "ConnectionString", "connection_string": "x"}, "containerName": "c",
        "indexName": "i", "fieldsMapping": {"contentFields": ["content"]},
        "embeddingDependency": {"type": "DeploymentName", "deploymentName": "ada"}}}]}, [
        "Validation error at #/dataSources/0/AzureCosmosDB/parameters/authentication/ConnectionString/"
        "connectionString: Field required",
        "Validation error at #/dataSources/0/AzureCosmosDB/parameters/databaseName: Field required",
        "Validation error at #/dataSources/0/AzureCosmosDB/parameters/fieldsMapping/vectorFields: Field required",
    ]),
])
def test_legacy_extension_rules(client, body, lines):
    response = call(client, "extensions/chat/completions", body, api_version="2023-08-01-preview")
    assert oyd_lines(response) == lines


def test_stream_true_is_refused_on_the_on_your_data_routes_too(client):
    response = call(client, CHAT, {**USER_HI, "data_sources": [SEARCH], "stream": True})
    assert response.json()["error"]["param"] == "stream"
