"""The shipped Azure OpenAI Connector against the issue, the Azure API and the fake service.

Every field the documentation names exists; every model parameter of the 2024-10-21 spec is sent
with its JSON type and only when filled; the Modeler flags out-of-range values before they reach
Azure; and requests built from the panel values (Modeler semantics, engine, REST connector) are
accepted or rejected by the fake service exactly as Azure would answer them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.apply import Identity, apply_template, apply_to_state, constraint_violations, new_element_state
from generator.apply.conditions import active_template
from generator.bpmn import apply_in_diagram, parse_diagram
from generator.runtime import BpmnError, Completed, HttpClient, run_task
from generator.testing.azure_openai import FakeAzureOpenAI
from tests.npm_tools import lint_diagram

REPO = Path(__file__).resolve().parents[2]
TEMPLATE = json.loads((REPO / "dist" / "azure-openai.json").read_text(encoding="utf-8"))
KEY = "azure-key-4d2a"
SECRETS = {"AZURE_OAI_SECRET": KEY, "SEARCH_KEY": "search-key-9"}
OPERATIONS = ("completion", "chatCompletion", "completionsExtension")


def panel_state(values: dict[str, str]):
    state = new_element_state(TEMPLATE)
    apply_to_state(state, TEMPLATE, values, identity=Identity("Task_1"))
    return state


def active_labels(values: dict[str, str]) -> list[str]:
    return [prop["label"] for prop in active_template(panel_state(values), TEMPLATE)["properties"] if "label" in prop]


def modeler_problems(values: dict[str, str]) -> list[str]:
    return [violation.message for violation in constraint_violations(panel_state(values), TEMPLATE)]


# ---- the template itself ----------------------------------------------------------------------------


def test_identity_is_our_own_and_runs_on_the_stock_rest_connector():
    assert (TEMPLATE["id"], TEMPLATE["name"], TEMPLATE["engines"]) == (
        "io.etk.connectors.AzureOpenAI.v1", "Azure OpenAI Connector", {"camunda": "^8.6"})
    assert not TEMPLATE["id"].startswith("io.camunda")
    job_type = next(prop for prop in TEMPLATE["properties"] if prop["binding"].get("property") == "type")
    assert job_type["value"] == "io.camunda:http-json:1"


def test_the_operation_dropdown_offers_the_three_documented_operations():
    operation = next(prop for prop in TEMPLATE["properties"] if prop["id"] == "operation")
    assert [(choice["name"], choice["value"]) for choice in operation["choices"]] == [
        ("Completion", "completion"),
        ("Chat completion", "chatCompletion"),
        ("Completions extension (on your data)", "completionsExtension"),
    ]


COMMON_FIELDS = ["Authentication type", "API key", "Operation", "Endpoint type", "Resource name", "Deployment ID",
                 "API version", "Connection timeout in seconds", "Read timeout in seconds", "Result variable",
                 "Result expression", "Error expression", "Retries", "Retry backoff"]
SAMPLING = ["Temperature", "Top P", "Max tokens", "Stop", "Presence penalty", "Frequency penalty", "Logit bias", "User"]
FIELDS = {
    "completion": ["Prompt", *SAMPLING, "Number of completions", "Seed", "Top log probabilities", "Suffix",
                   "Echo the prompt", "Best of"],
    "chatCompletion": ["Message role", "Message content", "Message context", *SAMPLING, "Max completion tokens",
                       "Number of choices", "Seed", "Log probabilities", "Top log probabilities", "Response format",
                       "Tools", "Tool choice", "Parallel tool calls"],
    "completionsExtension": ["Message role", "Message content", "Message context", "Data source", "Search endpoint",
                             "Index name", "Search authentication", "Search API key", "Query type", "Filter",
                             "Top N documents", "Strictness", "Limit answers to your data", "Role information",
                             *SAMPLING],
}


@pytest.mark.parametrize("operation", OPERATIONS)
def test_every_documented_field_is_in_the_panel(operation):
    """Facts, "Fields": API key, Operation, Resource name, Deployment ID, API version, the message
    fields, the model parameters, result variable/expression, error expression, retries, backoff."""
    labels = active_labels({"operation": operation})
    assert [label for label in COMMON_FIELDS + FIELDS[operation] if label not in labels] == []
    assert sorted(labels) == sorted(COMMON_FIELDS + FIELDS[operation])  # nothing else is shown


def test_conditions_show_only_what_the_choices_need():
    extension = {"operation": "completionsExtension"}
    labels = active_labels({**extension, "completionsExtension_queryType": "vector_semantic_hybrid"})
    assert "Semantic configuration" in labels and "Embedding deployment name" in labels
    assert "Semantic configuration" not in active_labels({**extension, "completionsExtension_queryType": "vector"})
    cosmos = active_labels({**extension, "completionsExtension_dataSourceType": "azureCosmosDb"})
    assert [label for label in cosmos if label in ("Search endpoint", "Query type", "Connection string",
                                                   "Embedding deployment name")] == [
        "Connection string", "Embedding deployment name"]
    custom = active_labels({**extension, "completionsExtension_dataSourceType": "custom"})
    assert "Data sources" in custom and "Index name" not in custom
    chat = {"operation": "chatCompletion"}
    assert "JSON schema" not in active_labels({**chat, "chatCompletion_responseFormat": "json_object"})
    assert "JSON schema" in active_labels({**chat, "chatCompletion_responseFormat": "json_schema"})
    assert active_labels({"endpointType": "custom"}).count("Endpoint URL") == 1
    assert "Resource name" not in active_labels({"endpointType": "custom"})
    oauth = active_labels({"authentication.type": "oauth-client-credentials-flow"})
    assert [label for label in oauth if label in ("API key", "Token endpoint", "Client ID (application ID)",
                                                  "Client secret")] == [
        "Token endpoint", "Client ID (application ID)", "Client secret"]


def test_defaults_suit_llm_calls():
    defaults = {prop["id"]: prop.get("value") for prop in TEMPLATE["properties"]}
    assert defaults["operation"] == "chatCompletion"
    assert defaults["apiVersion"] == "2024-10-21"
    assert defaults["readTimeoutInSeconds"] == 180  # answers of large models take minutes, not 20 s
    assert (defaults["retryCount"], defaults["retryBackoff"]) == ("3", "PT30S")
    assert defaults["authentication.scopes"] == "https://cognitiveservices.azure.com/.default"
    result = next(prop for prop in TEMPLATE["properties"] if prop["id"] == "resultExpression")
    assert result["placeholder"] == "{answer: response.body.choices[1].message.content}"
    assert "response.body.choices[1].text" in result["tooltip"]


def test_no_body_can_ask_for_streaming():
    bodies = [prop["value"] for prop in TEMPLATE["properties"] if prop["binding"].get("name") == "body"]
    assert len(bodies) == 3
    assert [body for body in bodies if "stream" in body] == []


# ---- Modeler-side hints: what the panel marks red before a request is sent ---------------------------

CHAT = {"operation": "chatCompletion", "resourceName": "myresource", "deploymentId": "gpt4o",
        "authentication.value": "{{secrets.AZURE_OAI_SECRET}}", "chatCompletion_messageContent": "Hi"}
COMPLETION = {**{k: v for k, v in CHAT.items() if k != "chatCompletion_messageContent"},
              "operation": "completion", "completion_prompt": "Say hi"}
EXTENSION_BASE = {**{k: v for k, v in CHAT.items() if k != "chatCompletion_messageContent"},
                  "operation": "completionsExtension", "completionsExtension_messageContent": "Hi"}
EXTENSION = {**EXTENSION_BASE, "completionsExtension_searchEndpoint": "https://s.search.windows.net",
             "completionsExtension_indexName": "docs", "completionsExtension_searchKey": "{{secrets.SEARCH_KEY}}"}

HINTS = [
    # (base values, field, accepted values, refused value, the Modeler's message)
    (CHAT, "chatCompletion_temperature", ["0", "0.7", "1", "2", "2.0", ".5"], "3",
     "Temperature must be a number from 0 to 2"),
    (CHAT, "chatCompletion_temperature", [], "-0.1", "Temperature must be a number from 0 to 2"),
    (CHAT, "chatCompletion_temperature", [], "warm", "Temperature must be a number from 0 to 2"),
    (CHAT, "chatCompletion_topP", ["0", "0.95", "1"], "1.5", "Top P must be a number from 0 to 1"),
    (CHAT, "chatCompletion_presencePenalty", ["-2", "-0.5", "2"], "2.5",
     "Presence penalty must be a number from -2 to 2"),
    (CHAT, "chatCompletion_frequencyPenalty", ["1.2"], "-3", "Frequency penalty must be a number from -2 to 2"),
    (CHAT, "chatCompletion_n", ["1", "9", "64", "119", "128"], "0", "Number of choices must be a whole number from 1 to 128"),
    (CHAT, "chatCompletion_n", [], "129", "Number of choices must be a whole number from 1 to 128"),
    (CHAT, "chatCompletion_maxTokens", ["1", "4096"], "0", "Max tokens must be a whole number of at least 1"),
    (CHAT, "chatCompletion_maxCompletionTokens", ["16"], "-1",
     "Max completion tokens must be a whole number of at least 1"),
    (CHAT, "chatCompletion_topLogprobs", ["0", "5", "20"], "21",
     "Top log probabilities must be a whole number from 0 to 20"),
    (CHAT, "chatCompletion_seed", ["42", "-7"], "4.2", "Seed must be a whole number"),
    (CHAT, "chatCompletion_toolChoice", ["none", "auto", "required", '={type: "function", function: {name: "f"}}'],
     "always", "Tool choice must be none, auto or required, or a FEEL context naming one function"),
    (COMPLETION, "completion_maxTokens", ["0", "16"], "-1", "Max tokens must be a whole number (0 or more)"),
    (COMPLETION, "completion_logprobs", ["0", "5"], "6", "Top log probabilities must be a whole number from 0 to 5"),
    (COMPLETION, "completion_bestOf", ["0", "1", "19", "20"], "21", "Best of must be a whole number from 0 to 20"),
    (COMPLETION, "completion_n", ["2"], "1000", "Number of completions must be a whole number from 1 to 128"),
    (EXTENSION, "completionsExtension_strictness", ["1", "5"], "6", "Strictness must be a whole number from 1 to 5"),
    (EXTENSION, "completionsExtension_topNDocuments", ["5", "20"], "0",
     "Top N documents must be a whole number of at least 1"),
    (EXTENSION, "completionsExtension_searchEndpoint", ["https://s.search.windows.net", "{{secrets.SEARCH_URL}}"],
     "s.search.windows.net", "Search endpoint must be a http(s) URL"),
    (CHAT, "apiVersion", ["2024-10-21", "2024-02-15-preview", "=version"], "2024-10",
     "API version must be an api-version such as 2024-10-21 or 2024-02-15-preview"),
    (CHAT, "resourceName", ["myresource", "my-resource-01", "{{secrets.AZURE_RESOURCE}}"],
     "https://myresource.openai.azure.com",
     "Resource name must be the resource name only (letters, digits and inner hyphens), not a URL"),
    (CHAT, "deploymentId", ["gpt-4o", "gpt4o.2024_08"], "gpt 4o", "Deployment ID must be a deployment name (no spaces, /, ? or #)"),
]


@pytest.mark.parametrize(("base", "field", "accepted", "refused", "message"), HINTS,
                         ids=[f"{case[1]}={case[3]}" for case in HINTS])
def test_the_modeler_flags_values_azure_would_refuse(base, field, accepted, refused, message):
    assert modeler_problems(base) == []
    for value in [*accepted, "=anything"]:  # FEEL is checked at run time, not by the panel
        assert modeler_problems({**base, field: value}) == [], value
    assert modeler_problems({**base, field: refused}) == [message]


@pytest.mark.node
def test_the_real_modeler_linter_gives_the_same_hints(node_tools, tmp_path):
    """@camunda/linting (JavaScript regular expressions) flags exactly the values etk flags above."""
    cases: dict[str, tuple[dict[str, str], list[str]]] = {}
    for number, (base, field, accepted, refused, message) in enumerate(HINTS):
        cases[f"Refused_{number}"] = ({**base, field: refused}, [message])
        for index, value in enumerate(accepted):
            cases[f"Accepted_{number}_{index}"] = ({**base, field: value}, [])
    tasks = "".join(f'<bpmn:task id="{task}"/>' for task in cases)
    shapes = "".join(f'<bpmndi:BPMNShape id="{task}_di" bpmnElement="{task}"><dc:Bounds x="{100 + 150 * index}" '
                     f'y="80" width="100" height="80"/></bpmndi:BPMNShape>' for index, task in enumerate(cases))
    diagram = parse_diagram((
        '<?xml version="1.0" encoding="UTF-8"?><bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
        'xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" '
        'xmlns:modeler="http://camunda.org/schema/modeler/1.0" id="Definitions_1" '
        'targetNamespace="http://bpmn.io/schema/bpmn" modeler:executionPlatform="Camunda Cloud" '
        f'modeler:executionPlatformVersion="8.6.0"><bpmn:process id="Process_1" isExecutable="true">{tasks}'
        '</bpmn:process><bpmndi:BPMNDiagram id="BPMNDiagram_1"><bpmndi:BPMNPlane id="BPMNPlane_1" '
        f'bpmnElement="Process_1">{shapes}</bpmndi:BPMNPlane></bpmndi:BPMNDiagram></bpmn:definitions>').encode())
    for task, (values, _) in cases.items():
        apply_in_diagram(diagram, task, TEMPLATE, values)
    path = tmp_path / "hints.bpmn"
    path.write_bytes(diagram.to_bytes())
    _, reports = lint_diagram(node_tools, path, REPO / "dist" / "azure-openai.json")
    linted: dict[str, list[str]] = {task: [] for task in cases}
    for report in reports:
        if report["rule"] == "element-templates/validate":
            linted[report["id"]].append(report["message"])
    assert linted == {task: expected for task, (_, expected) in cases.items()}


def test_required_fields_follow_the_choices_that_need_them():
    assert modeler_problems({**EXTENSION, "completionsExtension_queryType": "vector_semantic_hybrid"}) == [
        "Semantic configuration must not be empty.", "Embedding deployment name must not be empty."]
    assert modeler_problems({**EXTENSION_BASE, "completionsExtension_dataSourceType": "azureCosmosDb"}) == [
        "Connection string must not be empty.", "Database name must not be empty.", "Container name must not be empty.", "Index name must not be empty.",
        "Content fields must not be empty.", "Vector fields must not be empty.",
        "Embedding deployment name must not be empty."]
    assert modeler_problems({**CHAT, "chatCompletion_responseFormat": "json_schema"}) == [
        "JSON schema must not be empty."]


# ---- requests against the fake service -------------------------------------------------------------


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeAzureOpenAI]:
    with FakeAzureOpenAI(api_keys=[KEY], deployments={"gpt4o": "gpt-4o", "instruct": "gpt-35-turbo-instruct"},
                         clock=lambda: 1_700_000_000) as running:
        yield running


@pytest.fixture(scope="module")
def http() -> Iterator[HttpClient]:
    with HttpClient() as client:
        yield client


# Every failure becomes a BPMN error carrying Azure's status and body, as a user would map it.
ERROR_EXPRESSION = "=if error = null then null else bpmnError(error.code, error.message, {body: error.variables.response.body})"


def send(fake: FakeAzureOpenAI, http: HttpClient, values: dict[str, str]):
    """Apply panel `values` (valid for the Modeler) with a custom endpoint pointing at the fake and run
    the task once: the outcome, and what the fake received (path, query, JSON body)."""
    panel = {**{key: value for key, value in values.items() if key != "resourceName"},
             "endpointType": "custom", "endpoint": fake.url}
    assert modeler_problems(panel) == []
    task = apply_template(TEMPLATE, {**panel, "resultVariable": "r", "errorExpression": ERROR_EXPRESSION})
    outcome = run_task(task, secrets=SECRETS, http=http)
    received = fake.last_request
    return outcome, (received.path, received.query_string, received.json)


def azure_error(outcome, status: str) -> dict:
    """The body Azure answered with `status`, as the error expression passed it on."""
    assert isinstance(outcome, BpmnError), outcome
    assert outcome.code == status
    return outcome.variables["body"]


EVERY_COMPLETION_PARAMETER = {
    **COMPLETION, "deploymentId": "instruct", "completion_maxTokens": "20", "completion_temperature": "0.7",
    "completion_topP": "0.9", "completion_n": "2", "completion_stop": '=["\\n", "END"]',
    "completion_presencePenalty": "0.5", "completion_frequencyPenalty": "-0.5",
    "completion_logitBias": '={"50256": -100}', "completion_user": "user-1234", "completion_seed": "42",
    "completion_logprobs": "2", "completion_suffix": "Thanks.", "completion_echo": "true", "completion_bestOf": "3",
}
EVERY_CHAT_PARAMETER = {
    **CHAT, "chatCompletion_messageContent": "List three colours as JSON.",
    "chatCompletion_messageContext": '=[{"role": "system", "content": "Answer in JSON."}]',
    "chatCompletion_temperature": "0.2", "chatCompletion_topP": "1", "chatCompletion_maxTokens": "100",
    "chatCompletion_maxCompletionTokens": "200", "chatCompletion_n": "2", "chatCompletion_stop": "END",
    "chatCompletion_presencePenalty": "0", "chatCompletion_frequencyPenalty": "0.1",
    "chatCompletion_logitBias": '={"1734": 5}', "chatCompletion_user": "user-1234", "chatCompletion_seed": "7",
    "chatCompletion_logprobs": "true", "chatCompletion_topLogprobs": "3", "chatCompletion_responseFormat": "json_schema",
    "chatCompletion_jsonSchema": '={name: "colours", strict: true, schema: {type: "object", properties: {colours: '
                                 '{type: "array", items: {type: "string"}}}, required: ["colours"], '
                                 'additionalProperties: false}}',
    "chatCompletion_tools": '=[{type: "function", function: {name: "get_weather", description: "Weather of a city", '
                            'parameters: {type: "object", properties: {city: {type: "string"}}}}}]',
    "chatCompletion_toolChoice": "auto", "chatCompletion_parallelToolCalls": "false",
}
EVERY_SEARCH_PARAMETER = {
    **EXTENSION, "completionsExtension_messageContext": '=[{"role": "system", "content": "Be brief."}]',
    "completionsExtension_searchAuthentication": "userAssignedManagedIdentity",
    "completionsExtension_managedIdentityResourceId": "/subscriptions/s1/resourceGroups/g/providers/"
                                                      "Microsoft.ManagedIdentity/userAssignedIdentities/oai",
    "completionsExtension_queryType": "vector_semantic_hybrid", "completionsExtension_semanticConfiguration": "default",
    "completionsExtension_embeddingDeploymentName": "ada", "completionsExtension_filter": "lang eq 'en'",
    "completionsExtension_topNDocuments": "5", "completionsExtension_strictness": "3",
    "completionsExtension_inScope": "true", "completionsExtension_roleInformation": "You answer from the handbook.",
    "completionsExtension_temperature": "0.3", "completionsExtension_topP": "0.9",
    "completionsExtension_maxTokens": "300", "completionsExtension_stop": '=["END"]',
    "completionsExtension_presencePenalty": "0.1", "completionsExtension_frequencyPenalty": "0.1",
    "completionsExtension_logitBias": '={"1734": 1}', "completionsExtension_user": "user-1234",
}
del EVERY_SEARCH_PARAMETER["completionsExtension_searchKey"]
EVERY_COSMOS_PARAMETER = {
    **EXTENSION_BASE, "completionsExtension_dataSourceType": "azureCosmosDb", "completionsExtension_indexName": "docs",
    "completionsExtension_cosmosConnectionString": "mongodb+srv://user@cluster.mongocluster.cosmos.azure.com/",
    "completionsExtension_cosmosDatabaseName": "vectordb", "completionsExtension_cosmosContainerName": "docs",
    "completionsExtension_contentFields": '=["content"]', "completionsExtension_vectorFields": '=["contentvector"]',
    "completionsExtension_cosmosEmbeddingDeploymentName": "ada", "completionsExtension_topNDocuments": "3",
    "completionsExtension_strictness": "2", "completionsExtension_inScope": "false",
    "completionsExtension_roleInformation": "Be precise.",
}


def test_every_completion_parameter_reaches_azure_with_its_json_type(fake, http):
    outcome, received = send(fake, http, {**EVERY_COMPLETION_PARAMETER, "apiVersion": "2024-10-21"})
    assert isinstance(outcome, Completed), outcome
    assert received == ("/openai/deployments/instruct/completions", "api-version=2024-10-21", {
        "prompt": "Say hi", "max_tokens": 20, "temperature": 0.7, "top_p": 0.9, "n": 2, "stop": ["\n", "END"],
        "presence_penalty": 0.5, "frequency_penalty": -0.5, "logit_bias": {"50256": -100}, "user": "user-1234",
        "seed": 42, "logprobs": 2, "suffix": "Thanks.", "echo": True, "best_of": 3,
    })
    choices = outcome.variables["r"]["body"]["choices"]
    assert [choice["text"].startswith("Say hi") for choice in choices] == [True, True]  # echoed
    assert choices[0]["logprobs"]["tokens"][0] == "This"


def test_every_chat_parameter_reaches_azure_with_its_json_type(fake, http):
    outcome, received = send(fake, http, EVERY_CHAT_PARAMETER)
    assert isinstance(outcome, Completed), outcome
    assert received == ("/openai/deployments/gpt4o/chat/completions", "api-version=2024-10-21", {
        "messages": [{"role": "system", "content": "Answer in JSON."},
                     {"role": "user", "content": "List three colours as JSON."}],
        "temperature": 0.2, "top_p": 1, "max_tokens": 100, "max_completion_tokens": 200, "n": 2, "stop": "END",
        "presence_penalty": 0, "frequency_penalty": 0.1, "logit_bias": {"1734": 5}, "user": "user-1234", "seed": 7,
        "logprobs": True, "top_logprobs": 3,
        "response_format": {"type": "json_schema", "json_schema": {
            "name": "colours", "strict": True, "schema": {
                "type": "object", "properties": {"colours": {"type": "array", "items": {"type": "string"}}},
                "required": ["colours"], "additionalProperties": False}}},
        "tools": [{"type": "function", "function": {
            "name": "get_weather", "description": "Weather of a city",
            "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}}],
        "tool_choice": "auto", "parallel_tool_calls": False,
    })
    assert len(outcome.variables["r"]["body"]["choices"][0]["logprobs"]["content"][0]["top_logprobs"]) == 3


def test_several_prompts_as_a_feel_list(fake, http):
    outcome, received = send(fake, http, {**COMPLETION, "completion_prompt": '=["Say hi", "Say bye"]'})
    assert isinstance(outcome, Completed), outcome
    assert received[2] == {"prompt": ["Say hi", "Say bye"]}
    assert [entry["prompt_index"] for entry in outcome.variables["r"]["body"]["prompt_filter_results"]] == [0, 1]


@pytest.mark.parametrize(("choice", "sent"), [("text", {"type": "text"}), ("json_object", {"type": "json_object"})])
def test_response_format_choices(fake, http, choice, sent):
    outcome, received = send(fake, http, {**CHAT, "chatCompletion_responseFormat": choice})
    assert isinstance(outcome, Completed), outcome
    assert received[2] == {"messages": [{"role": "user", "content": "Hi"}], "response_format": sent}


def test_empty_fields_are_not_sent(fake, http):
    """Only the required message reaches Azure: no nulls, no empty strings, no defaults of our own."""
    for values, body in [
        (CHAT, {"messages": [{"role": "user", "content": "Hi"}]}),
        (COMPLETION, {"prompt": "Say hi"}),
        ({**EXTENSION, "completionsExtension_searchKey": "{{secrets.SEARCH_KEY}}"}, {
            "messages": [{"role": "user", "content": "Hi"}],
            "data_sources": [{"type": "azure_search", "parameters": {
                "endpoint": "https://s.search.windows.net", "index_name": "docs",
                "authentication": {"type": "api_key", "key": "search-key-9"}}}]}),
    ]:
        outcome, received = send(fake, http, values)
        assert isinstance(outcome, Completed), outcome
        assert received[2] == body


SEARCH_2024 = {"type": "azure_search", "parameters": {
    "endpoint": "https://s.search.windows.net", "index_name": "docs",
    "authentication": {"type": "user_assigned_managed_identity", "managed_identity_resource_id":
                       "/subscriptions/s1/resourceGroups/g/providers/Microsoft.ManagedIdentity/"
                       "userAssignedIdentities/oai"},
    "query_type": "vector_semantic_hybrid", "semantic_configuration": "default", "filter": "lang eq 'en'",
    "embedding_dependency": {"type": "deployment_name", "deployment_name": "ada"}, "top_n_documents": 5,
    "strictness": 3, "in_scope": True, "role_information": "You answer from the handbook."}}
SAMPLING_SENT = {"temperature": 0.3, "top_p": 0.9, "max_tokens": 300, "stop": ["END"], "presence_penalty": 0.1,
                 "frequency_penalty": 0.1, "logit_bias": {"1734": 1}, "user": "user-1234"}
MESSAGES_SENT = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}]


@pytest.mark.parametrize("api_version", ["2024-02-01", "2024-02-15-preview", "2024-06-01", "2024-10-21"])
def test_every_search_parameter_as_data_sources_from_2024_02_01(fake, http, api_version):
    outcome, received = send(fake, http, {**EVERY_SEARCH_PARAMETER, "apiVersion": api_version})
    assert isinstance(outcome, Completed), outcome
    assert received == ("/openai/deployments/gpt4o/chat/completions", f"api-version={api_version}",
                        {"messages": MESSAGES_SENT, "data_sources": [SEARCH_2024], **SAMPLING_SENT})
    message = outcome.variables["r"]["body"]["choices"][0]["message"]
    assert message["context"]["citations"][0]["title"] == "Document 1"
    assert message["context"]["intent"] == '["Hi"]'


@pytest.mark.parametrize("api_version", ["2023-06-01-preview", "2023-08-01-preview", "2023-12-01-preview"])
def test_every_search_parameter_in_the_legacy_shape_before_2024_02_01(fake, http, api_version):
    outcome, received = send(fake, http, {**EVERY_SEARCH_PARAMETER, "apiVersion": api_version})
    assert isinstance(outcome, Completed), outcome
    assert received == ("/openai/deployments/gpt4o/extensions/chat/completions", f"api-version={api_version}", {
        "messages": MESSAGES_SENT,
        "dataSources": [{"type": "AzureCognitiveSearch", "parameters": {
            "endpoint": "https://s.search.windows.net", "indexName": "docs",
            "authentication": {"type": "UserAssignedManagedIdentity", "managedIdentityResourceId":
                               "/subscriptions/s1/resourceGroups/g/providers/Microsoft.ManagedIdentity/"
                               "userAssignedIdentities/oai"},
            "queryType": "vectorSemanticHybrid", "semanticConfiguration": "default", "filter": "lang eq 'en'",
            "embeddingDependency": {"type": "DeploymentName", "deploymentName": "ada"}, "topNDocuments": 5,
            "strictness": 3, "inScope": True, "roleInformation": "You answer from the handbook."}}],
        **SAMPLING_SENT,
    })
    tool = outcome.variables["r"]["body"]["choices"][0]["message"]["context"]["messages"][0]
    assert tool["role"] == "tool" and json.loads(tool["content"])["citations"][0]["title"] == "Document 1"


@pytest.mark.parametrize(("api_version", "path", "body"), [
    ("2024-10-21", "/openai/deployments/gpt4o/chat/completions", {"data_sources": [{"type": "azure_cosmos_db", "parameters": {
        "authentication": {"type": "connection_string",
                           "connection_string": "mongodb+srv://user@cluster.mongocluster.cosmos.azure.com/"},
        "database_name": "vectordb", "container_name": "docs", "index_name": "docs",
        "fields_mapping": {"content_fields": ["content"], "vector_fields": ["contentvector"]},
        "embedding_dependency": {"type": "deployment_name", "deployment_name": "ada"},
        "top_n_documents": 3, "strictness": 2, "in_scope": False, "role_information": "Be precise."}}]}),
    ("2023-12-01-preview", "/openai/deployments/gpt4o/extensions/chat/completions", {"dataSources": [{
        "type": "AzureCosmosDB", "parameters": {
            "authentication": {"type": "ConnectionString",
                               "connectionString": "mongodb+srv://user@cluster.mongocluster.cosmos.azure.com/"},
            "databaseName": "vectordb", "containerName": "docs", "indexName": "docs",
            "fieldsMapping": {"contentFields": ["content"], "vectorFields": ["contentvector"]},
            "embeddingDependency": {"type": "DeploymentName", "deploymentName": "ada"},
            "topNDocuments": 3, "strictness": 2, "inScope": False, "roleInformation": "Be precise."}}]}),
])
def test_every_cosmos_db_parameter(fake, http, api_version, path, body):
    outcome, received = send(fake, http, {**EVERY_COSMOS_PARAMETER, "apiVersion": api_version})
    assert isinstance(outcome, Completed), outcome
    assert received == (path, f"api-version={api_version}", {"messages": [{"role": "user", "content": "Hi"}], **body})


def backend_400(message: str) -> dict:
    return {"error": {"message": message, "type": "invalid_request_error", "param": None, "code": None}}


# Values that get past the panel only as FEEL (checked at run time), and what Azure answers.
REFUSED = [
    pytest.param({**CHAT, "chatCompletion_temperature": "=3"},
                 backend_400("3 is greater than the maximum of 2 - 'temperature'"), id="temperature"),
    pytest.param({**CHAT, "chatCompletion_n": "=0"}, backend_400("0 is less than the minimum of 1 - 'n'"), id="n"),
    pytest.param({**CHAT, "chatCompletion_maxTokens": "=0"},
                 backend_400("0 is less than the minimum of 1 - 'max_tokens'"), id="chat-max-tokens"),
    pytest.param({**COMPLETION, "completion_maxTokens": "=-1"},
                 backend_400("-1 is less than the minimum of 0 - 'max_tokens'"), id="completion-max-tokens"),
    pytest.param({**CHAT, "chatCompletion_stop": '=["a", "b", "c", "d", "e"]'},
                 backend_400("['a', 'b', 'c', 'd', 'e'] is too long - 'stop'"), id="five-stop-sequences"),
    pytest.param({**CHAT, "chatCompletion_logitBias": '={"50256": "strong"}'},
                 backend_400("'strong' is not of type 'integer' - 'logit_bias.50256'"), id="logit-bias-text"),
    pytest.param({**CHAT, "chatCompletion_logitBias": '={"50256": 0.5}'},
                 backend_400("0.5 is not of type 'integer' - 'logit_bias.50256'"), id="logit-bias-fraction"),
    pytest.param({**CHAT, "chatCompletion_topLogprobs": "=25"},
                 backend_400("25 is greater than the maximum of 20 - 'top_logprobs'"), id="top-logprobs"),
    pytest.param({**CHAT, "chatCompletion_toolChoice": '="always"'},
                 backend_400("'always' is not valid under any of the given schemas - 'tool_choice'"), id="tool-choice"),
    pytest.param({**CHAT, "apiVersion": "2024-02-01", "chatCompletion_maxCompletionTokens": "100"},
                 backend_400("Unrecognized request argument supplied: max_completion_tokens"),
                 id="max-completion-tokens-on-2024-02-01"),
    pytest.param({**COMPLETION, "apiVersion": "2024-02-01", "completion_seed": "1"},
                 backend_400("Unrecognized request argument supplied: seed"), id="completion-seed-on-2024-02-01"),
]


@pytest.mark.parametrize(("values", "answer"), REFUSED)
def test_azure_refuses_what_the_panel_cannot_check(fake, http, values, answer):
    outcome, _ = send(fake, http, values)
    assert azure_error(outcome, "400") == answer


def test_a_temperature_given_as_text_is_still_sent_as_a_number(fake, http):
    outcome, received = send(fake, http, {**CHAT, "chatCompletion_temperature": '="0.7"'})
    assert isinstance(outcome, Completed), outcome
    assert received[2]["temperature"] == 0.7


def on_your_data_400(outcome) -> list[str]:
    body = azure_error(outcome, "400")
    assert list(body["error"]) == ["requestid", "code", "message"]
    return body["error"]["message"].split("\n")


def test_a_custom_data_source_without_index_name_is_refused(fake, http):
    custom = {**EXTENSION_BASE, "completionsExtension_dataSourceType": "custom", "completionsExtension_dataSources":
              '=[{"type": "azure_search", "parameters": {"endpoint": "https://s.search.windows.net", '
              '"authentication": {"type": "system_assigned_managed_identity"}}}]'}
    outcome, received = send(fake, http, custom)
    assert received[0] == "/openai/deployments/gpt4o/chat/completions"
    assert on_your_data_400(outcome) == [
        "Validation error at #/data_sources/0/azure_search/parameters/index_name: Field required"]


def test_a_new_style_data_source_on_an_old_api_version_is_refused(fake, http):
    custom = {**EXTENSION_BASE, "apiVersion": "2023-12-01-preview", "completionsExtension_dataSourceType": "custom",
              "completionsExtension_dataSources": '=[{"type": "azure_search", "parameters": {}}]'}
    outcome, received = send(fake, http, custom)
    assert received[0] == "/openai/deployments/gpt4o/extensions/chat/completions"
    assert on_your_data_400(outcome) == [
        "Validation error at #/dataSources/0: Input tag 'azure_search' found using 'type' does not match any of the "
        "expected tags: 'AzureCognitiveSearch', 'AzureCosmosDB', 'AzureMLIndex', 'Elasticsearch', 'Pinecone'"]


def test_on_your_data_on_a_version_without_it_is_not_found(fake, http):
    """2023-05-15 is dated before 2024-02-01, so the old route is used, which only the 2023 previews had."""
    outcome, received = send(fake, http, {**EXTENSION, "apiVersion": "2023-05-15"})
    assert received[0] == "/openai/deployments/gpt4o/extensions/chat/completions"
    assert azure_error(outcome, "404") == {"error": {"code": "404", "message": "Resource not found"}}
