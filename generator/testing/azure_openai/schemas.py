"""JSON Schemas (draft 7) of the request bodies the fake accepts, per operation and api-version.

Written from the Azure OpenAI inference specs (types, ranges, required keys, enums); the fake's own
additions over the specs are deliberate and listed here:
- nested objects the spec leaves open (messages, content parts, On-Your-Data parameters) reject
  unknown keys, as the live service does;
- `stop` is "a string, or 1-4 strings" written as one schema so errors read like Azure's;
- `endpoint` fields are not checked as URLs.
Top-level unknown keys are not part of the schemas: `validation` reports them the way Azure does.

Two custom keywords steer error formatting and are ignored by jsonschema itself:
`x-discriminator` marks a tagged union (On-Your-Data data sources, authentication, vectorization),
`x-tag` marks the branch chosen by the tag, which On-Your-Data error paths name.
"""

from __future__ import annotations

from typing import Any

from generator.testing.azure_openai.versions import CHAT, COMPLETIONS, EXTENSIONS, ApiVersion

Schema = dict[str, Any]

STRING: Schema = {"type": "string"}
BOOLEAN: Schema = {"type": "boolean"}
INTEGER: Schema = {"type": "integer"}
STRINGS: Schema = {"type": "array", "items": STRING}
INT64 = (-(2**63), 2**63 - 1)


def _nullable(schema: Schema) -> Schema:
    types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
    return {**schema, "type": [*types, "null"]}


def _number(minimum: float, maximum: float) -> Schema:
    return {"type": ["number", "null"], "minimum": minimum, "maximum": maximum}


def _integer(minimum: int | None = None, maximum: int | None = None, nullable: bool = True) -> Schema:
    schema: Schema = {"type": ["integer", "null"] if nullable else "integer"}
    if minimum is not None:
        schema["minimum"] = minimum
    if maximum is not None:
        schema["maximum"] = maximum
    return schema


def closed_object(properties: dict[str, Schema], required: tuple[str, ...] = ()) -> Schema:
    """An object with exactly these properties (unknown keys are errors)."""
    schema: Schema = {"type": "object", "properties": properties, "additionalProperties": False}
    if required:
        schema["required"] = list(required)
    return schema


def tagged_union(variants: dict[str, Schema], tag: str = "type") -> Schema:
    """An object whose `tag` value picks one of `variants` (each a closed object without the tag)."""
    branches = []
    for value, variant in variants.items():
        branch = {**variant, "properties": {tag: {"const": value}, **variant.get("properties", {})}, "x-tag": value}
        branches.append({"if": {"properties": {tag: {"const": value}}, "required": [tag]}, "then": branch})
    return {
        "type": "object",
        "required": [tag],
        "properties": {tag: {"enum": list(variants)}},
        "allOf": branches,
        "x-discriminator": tag,
    }


# --- sampling parameters shared by every operation -----------------------------------------------


def _sampling_properties(operation: str) -> dict[str, Schema]:
    properties: dict[str, Schema] = {
        "temperature": _number(0, 2),
        "top_p": _number(0, 1),
        "stream": _nullable(BOOLEAN),
        "stop": {"type": ["string", "array", "null"], "items": STRING, "minItems": 1, "maxItems": 4},
        "max_tokens": _integer(minimum=0) if operation == COMPLETIONS else _integer(),
        "presence_penalty": _number(-2, 2),
        "frequency_penalty": _number(-2, 2),
        "logit_bias": {
            "type": ["object", "null"],
            "propertyNames": {"pattern": "^[0-9]+$"},
            "additionalProperties": {"type": "integer", "minimum": -100, "maximum": 100},
        },
        "user": STRING,
        "model": STRING,
    }
    return properties


# --- completions -------------------------------------------------------------------------------------


def _completion_properties() -> dict[str, Schema]:
    return {
        "prompt": {"type": ["string", "array", "null"], "items": STRING},
        "n": _integer(1, 128),
        "logprobs": _integer(0, 5),
        "suffix": _nullable(STRING),
        "echo": _nullable(BOOLEAN),
        "completion_config": _nullable(STRING),
        "best_of": _integer(0, 20),
        "seed": _integer(*INT64),
    }


# --- chat messages -------------------------------------------------------------------------------------


def _content(version: ApiVersion, part_types: tuple[str, ...], nullable: bool) -> Schema:
    if not version.content_parts:
        return {"type": ["string", "null"] if nullable else "string"}
    parts: dict[str, Schema] = {
        "text": closed_object({"text": STRING}, ("text",)),
        "image_url": closed_object(
            {"image_url": closed_object({"url": STRING, "detail": {"enum": ["auto", "low", "high"]}}, ("url",))},
            ("image_url",),
        ),
        "refusal": closed_object({"refusal": STRING}, ("refusal",)),
    }
    part_union = tagged_union({name: parts[name] for name in part_types})
    return {
        "type": ["string", "array", "null"] if nullable else ["string", "array"],
        "items": part_union,
        "minItems": 1,
    }


def _tool_call() -> Schema:
    return closed_object(
        {
            "id": STRING,
            "type": {"enum": ["function"]},
            "function": closed_object({"name": STRING, "arguments": STRING}, ("name", "arguments")),
        },
        ("id", "type", "function"),
    )


def _message(version: ApiVersion) -> Schema:
    """A chat message: `role` picks the message type, as the service's enum error shows."""
    by_role: dict[str, Schema] = {
        "system": closed_object({"content": _content(version, ("text",), False), "name": STRING}, ("content",)),
        "user": closed_object(
            {"content": _content(version, ("text", "image_url"), False), "name": STRING}, ("content",)
        ),
        "assistant": closed_object(
            {
                "content": _content(version, ("text", "refusal"), True),
                "refusal": _nullable(STRING),
                "name": STRING,
                "tool_calls": {"type": "array", "items": _tool_call()},
                "function_call": _nullable(closed_object({"name": STRING, "arguments": STRING}, ("name", "arguments"))),
                "context": {"type": "object"},
            },
        ),
        "tool": closed_object({"content": _content(version, ("text",), False), "tool_call_id": STRING},
                              ("content", "tool_call_id")),
        "function": closed_object({"content": _nullable(STRING), "name": STRING}, ("content", "name")),
    }
    branches = [
        {
            "if": {"properties": {"role": {"const": role}}, "required": ["role"]},
            "then": {**by_role[role], "properties": {"role": {"const": role}, **by_role[role]["properties"]}},
        }
        for role in version.message_roles
    ]
    return {
        "type": "object",
        "required": ["role"],
        "properties": {"role": {"enum": list(version.message_roles)}},
        "allOf": branches,
    }


def _function() -> Schema:
    return closed_object({"name": STRING, "description": STRING, "parameters": {"type": "object"},
                          "strict": _nullable(BOOLEAN)}, ("name",))


def _response_format(version: ApiVersion) -> Schema:
    variants: dict[str, Schema] = {"text": closed_object({}), "json_object": closed_object({})}
    if version.json_schema_response_format:
        variants["json_schema"] = closed_object(
            {"json_schema": closed_object({"name": STRING, "description": STRING, "schema": {"type": "object"},
                                           "strict": _nullable(BOOLEAN)}, ("name",))},
            ("json_schema",),
        )
    return tagged_union(variants)


def _chat_properties(version: ApiVersion) -> dict[str, Schema]:
    return {
        "messages": {"type": "array", "minItems": 1, "items": _message(version)},
        "n": _integer(1, 128),
        "seed": _integer(*INT64),
        "logprobs": _nullable(BOOLEAN),
        "top_logprobs": _integer(0, version.top_logprobs_maximum),
        "max_completion_tokens": _integer(),
        "parallel_tool_calls": _nullable(BOOLEAN),
        "response_format": _response_format(version),
        "tools": {"type": "array", "minItems": 1,
                  "items": closed_object({"type": {"enum": ["function"]}, "function": _function()},
                                         ("type", "function"))},
        "tool_choice": {
            "anyOf": [
                {"enum": ["none", "auto", "required"]},
                closed_object({"type": {"enum": ["function"]}, "function": closed_object({"name": STRING}, ("name",))},
                              ("type", "function")),
            ]
        },
        "functions": {"type": "array", "minItems": 1, "maxItems": 128, "items": _function()},
        "function_call": {"anyOf": [{"enum": ["none", "auto"]}, closed_object({"name": STRING}, ("name",))]},
        "data_sources": {"type": "array", "items": _data_source()},
    }


# --- On Your Data (2024-02-01 and later): `data_sources` ---------------------------------------------

_API_KEY = closed_object({"key": STRING}, ("key",))
_SEARCH_AUTHENTICATION = tagged_union({
    "api_key": _API_KEY,
    "system_assigned_managed_identity": closed_object({}),
    "user_assigned_managed_identity": closed_object({"managed_identity_resource_id": STRING},
                                                    ("managed_identity_resource_id",)),
})
_VECTORIZATION = tagged_union({
    "endpoint": closed_object({"endpoint": STRING, "authentication": tagged_union({"api_key": _API_KEY})},
                              ("endpoint", "authentication")),
    "deployment_name": closed_object({"deployment_name": STRING}, ("deployment_name",)),
})
_COMMON_RETRIEVAL = {
    "top_n_documents": _integer(nullable=False),
    "in_scope": BOOLEAN,
    "strictness": _integer(1, 5, nullable=False),
    "role_information": STRING,
}


def _fields_mapping(required: tuple[str, ...]) -> Schema:
    return closed_object({
        "title_field": STRING, "url_field": STRING, "filepath_field": STRING,
        "content_fields": STRINGS, "content_fields_separator": STRING, "vector_fields": STRINGS,
    }, required)


def _data_source() -> Schema:
    azure_search = closed_object({
        "authentication": _SEARCH_AUTHENTICATION,
        **_COMMON_RETRIEVAL,
        "endpoint": STRING,
        "index_name": STRING,
        "fields_mapping": _fields_mapping(()),
        "query_type": {"enum": ["simple", "semantic", "vector", "vector_simple_hybrid", "vector_semantic_hybrid"]},
        "semantic_configuration": STRING,
        "filter": STRING,
        "embedding_dependency": _VECTORIZATION,
    }, ("authentication", "endpoint", "index_name"))
    azure_cosmos_db = closed_object({
        "authentication": tagged_union({"connection_string": closed_object({"connection_string": STRING},
                                                                           ("connection_string",))}),
        **_COMMON_RETRIEVAL,
        "database_name": STRING,
        "container_name": STRING,
        "index_name": STRING,
        "fields_mapping": _fields_mapping(("content_fields", "vector_fields")),
        "embedding_dependency": _VECTORIZATION,
    }, ("authentication", "container_name", "database_name", "embedding_dependency", "fields_mapping", "index_name"))
    return tagged_union({
        "azure_search": closed_object({"parameters": azure_search}, ("parameters",)),
        "azure_cosmos_db": closed_object({"parameters": azure_cosmos_db}, ("parameters",)),
    })


# --- the old On-Your-Data route (2023-06-01-preview … 2023-12-01-preview): `dataSources` -------------

LEGACY_DATA_SOURCE_TYPES = ("AzureCognitiveSearch", "AzureCosmosDB", "AzureMLIndex", "Elasticsearch", "Pinecone")


def _open_object(properties: dict[str, Schema], required: tuple[str, ...] = ()) -> Schema:
    """An object with these typed properties; other keys pass (the old API's parameters are open)."""
    schema: Schema = {"type": "object", "properties": properties}
    if required:
        schema["required"] = list(required)
    return schema


# The 2023 previews' option types, named as the 2023-12-01-preview TypeSpec names them on the wire
# (Azure/azure-rest-api-specs, `generated.json` of that version): `authentication` from
# 2023-08-01-preview, `embeddingDependency` from 2023-12-01-preview.
_LEGACY_AUTHENTICATION = tagged_union({
    "APIKey": _open_object({"key": STRING}, ("key",)),
    "ConnectionString": _open_object({"connectionString": STRING}, ("connectionString",)),
    "KeyAndKeyId": _open_object({"key": STRING, "keyId": STRING}, ("key", "keyId")),
    "SystemAssignedManagedIdentity": _open_object({}),
    "UserAssignedManagedIdentity": _open_object({"managedIdentityResourceId": STRING}, ("managedIdentityResourceId",)),
})
_LEGACY_EMBEDDING_DEPENDENCY = tagged_union({
    "Endpoint": _open_object({"endpoint": STRING, "authentication": _LEGACY_AUTHENTICATION},
                             ("endpoint", "authentication")),
    "DeploymentName": _open_object({"deploymentName": STRING}, ("deploymentName",)),
    "ModelId": _open_object({"modelId": STRING}, ("modelId",)),
})
_LEGACY_COMMON = {
    "authentication": _LEGACY_AUTHENTICATION,
    "topNDocuments": INTEGER,
    "inScope": BOOLEAN,
    "strictness": _integer(1, 5, nullable=False),
    "roleInformation": _nullable(STRING),
    "embeddingDependency": _LEGACY_EMBEDDING_DEPENDENCY,
}


def _legacy_data_source() -> Schema:
    """`{type, parameters}`; the spec leaves parameters open, so the documented parameters of Azure
    Cognitive Search and Azure Cosmos DB are checked (camelCase, as the old API spelt them) and
    unknown ones are let through."""
    cognitive_search = _open_object({
        **_LEGACY_COMMON,
        "endpoint": STRING, "key": STRING, "indexName": STRING,
        "fieldsMapping": {"type": ["object", "null"]},
        "queryType": {"enum": ["simple", "semantic", "vector", "vectorSimpleHybrid", "vectorSemanticHybrid"]},
        "semanticConfiguration": _nullable(STRING),
        "filter": _nullable(STRING), "embeddingEndpoint": _nullable(STRING), "embeddingKey": _nullable(STRING),
        "embeddingDeploymentName": _nullable(STRING),
    }, ("endpoint", "indexName"))
    cosmos_db = _open_object({
        **_LEGACY_COMMON,
        "databaseName": STRING, "containerName": STRING, "indexName": STRING,
        "fieldsMapping": _open_object({"contentFields": STRINGS, "vectorFields": STRINGS}, ("vectorFields",)),
    }, ("databaseName", "containerName", "indexName", "fieldsMapping"))
    variants: dict[str, Schema] = {
        name: {"type": "object", "required": ["parameters"], "properties": {"parameters": {"type": "object"}}}
        for name in LEGACY_DATA_SOURCE_TYPES
    }
    variants["AzureCognitiveSearch"]["properties"]["parameters"] = cognitive_search
    variants["AzureCosmosDB"]["properties"]["parameters"] = cosmos_db
    return tagged_union(variants)


def _legacy_message() -> Schema:
    return {
        "type": "object",
        "required": ["role", "content"],
        "properties": {
            "index": INTEGER,
            "role": {"enum": ["system", "user", "assistant", "tool"]},
            "recipient": STRING,
            "content": STRING,
            "end_turn": BOOLEAN,
            "context": {"type": ["object", "null"]},
        },
    }


def _legacy_extension_properties() -> dict[str, Schema]:
    return {
        "messages": {"type": "array", "items": _legacy_message()},
        "dataSources": {"type": "array", "items": _legacy_data_source()},
        "enhancements": closed_object({"grounding": closed_object({"enabled": BOOLEAN}),
                                       "ocr": closed_object({"enabled": BOOLEAN})}),
    }


# --- assembling one request schema --------------------------------------------------------------------

_REQUIRED = {COMPLETIONS: ("prompt",), CHAT: ("messages",), EXTENSIONS: ("messages",)}


def request_schema(operation: str, version: ApiVersion, closed: bool) -> Schema:
    """The request body schema of `operation` under `version`.

    Only the keys `version` accepts are described; with `closed`, any other top-level key is an
    error of the schema itself (the On-Your-Data service reports them so), otherwise it is left to
    the caller.
    """
    everything = _sampling_properties(operation)
    if operation == COMPLETIONS:
        everything.update(_completion_properties())
    elif operation == CHAT:
        everything.update(_chat_properties(version))
    else:
        everything.update(_legacy_extension_properties())
    accepted = version.request_keys(operation)
    properties = {key: everything[key] for key in accepted}
    schema: Schema = {"type": "object", "required": list(_REQUIRED[operation]), "properties": properties}
    if closed:
        schema["additionalProperties"] = False
    return schema
