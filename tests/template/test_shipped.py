"""The shipped definitions and dist/: current, every FEEL value parses, and the requests they produce.

Requests are computed the way Camunda would build them: the template is applied with the
Modeler's semantics (`generator.apply`), the input mappings are evaluated in order by the engine
step and the REST connector binds the result (`generator.runtime.dry_run`, nothing is sent).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from lxml import etree

from generator import feel
from generator.apply import apply_template
from generator.build import plan_build
from generator.runtime.runner import dry_run
from tests.azure_example import DOCUMENTED_MESSAGES, DOCUMENTED_URL, DOCUMENTED_VALUES
from tests.npm_tools import modeler_apply

REPO = Path(__file__).resolve().parents[2]
DIST_FILES = sorted((REPO / "dist").glob("*.json"))
SECRETS = {"AZURE_OAI_SECRET": "azure-key-123456", "TOKEN": "entra-token-123456", "SEARCH": "search-key-123456"}


def template(name: str) -> dict:
    return json.loads((REPO / "dist" / f"{name}.json").read_text(encoding="utf-8"))


def feel_values(path: Path) -> list[tuple[str, str]]:
    values = []
    for index, prop in enumerate(json.loads(path.read_text(encoding="utf-8"))["properties"]):
        value = prop.get("value")
        if isinstance(value, str) and value.startswith("="):
            values.append((f"{path.name}/properties/{index} ({prop['id']})", value[1:]))
    return values


def request(name: str, values: dict[str, str], variables: dict | None = None) -> dict:
    described = dry_run(apply_template(template(name), values), variables or {}, secrets=SECRETS)
    headers = {
        key: value for key, value in described["headers"].items() if key not in ("User-Agent", "Accept-Encoding")
    }
    return {**described, "headers": headers}


def test_dist_is_what_the_definitions_render():
    plan = plan_build(REPO / "templates", REPO / "dist")
    assert plan.refusals == []
    assert [action.describe_stale() for action in plan.pending] == []
    assert (
        {action.path.name for action in plan.actions if not action.example}
        == {path.name for path in DIST_FILES}
        == {"azure-openai.json", "rest.json"}
    )


@pytest.mark.parametrize("path", DIST_FILES, ids=lambda path: path.name)
def test_every_feel_value_in_dist_parses_with_etks_engine(path):
    failures = []
    for where, expression in feel_values(path):
        try:
            feel.parse(expression)
        except feel.FeelSyntaxError as error:
            failures.append(f"{where}: {error}")
    assert failures == []


@pytest.mark.node
def test_every_feel_value_in_dist_parses_with_feelin(node_tools):
    expressions = [expression for path in DIST_FILES for _, expression in feel_values(path)]
    assert len(expressions) == 10  # baseUrl, and url, query and body of each of the 3 operations
    script = (
        "import { evaluate } from '@bpmn-io/feelin';\n"
        "const failures = [];\n"
        "for (const text of JSON.parse(process.argv[1])) {\n"
        "  try { evaluate(text, {}, 'camunda'); } catch (error) { failures.push(text + ' -> ' + error.message); }\n"
        "}\n"
        "console.log(JSON.stringify(failures));\n"
    )
    result = subprocess.run(
        ["node", "--input-type=module", "-e", script, json.dumps(expressions)],
        cwd=node_tools,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert json.loads(result.stdout) == []


# ---- Azure OpenAI ---------------------------------------------------------------------------------

def test_azure_documented_chat_example():
    assert request("azure-openai", DOCUMENTED_VALUES) == {
        "method": "POST",
        "url": DOCUMENTED_URL,
        "headers": {"Content-Type": "application/json", "api-key": "***"},
        "body": {"messages": DOCUMENTED_MESSAGES},
        "timeouts": {"connectionTimeoutInSeconds": 20, "readTimeoutInSeconds": 180},
    }


def test_azure_chat_parameters_are_sent_with_json_types():
    values = {
        **DOCUMENTED_VALUES,
        "chatCompletion_messageContext": "",
        "chatCompletion_temperature": "0.7",
        "chatCompletion_topP": "=0.9",  # FEEL already gives a number
        "chatCompletion_maxTokens": "100",
        "chatCompletion_n": "2",
        "chatCompletion_stop": '=["END"]',
        "chatCompletion_presencePenalty": "-0.5",
        "chatCompletion_seed": "42",
        "chatCompletion_logprobs": "true",
        "chatCompletion_topLogprobs": "3",
        "chatCompletion_user": "=12",  # a number where text is expected
        "chatCompletion_responseFormat": "json_object",
        "chatCompletion_parallelToolCalls": "false",
    }
    assert request("azure-openai", values)["body"] == {
        "messages": DOCUMENTED_MESSAGES[-1:],  # no context: the user's message alone
        "temperature": 0.7,
        "top_p": 0.9,
        "max_tokens": 100,
        "n": 2,
        "stop": ["END"],
        "presence_penalty": -0.5,
        "user": "12",
        "seed": 42,
        "logprobs": True,
        "top_logprobs": 3,
        "response_format": {"type": "json_object"},
        "parallel_tool_calls": False,
    }


def test_azure_completion_never_asks_for_streaming():
    values = {
        "authentication.value": "{{secrets.AZURE_OAI_SECRET}}",
        "operation": "completion",
        "resourceName": "myresource",
        "deploymentId": "davinci",
        "completion_prompt": "Say hi",
        "completion_maxTokens": "16",
        "completion_echo": "true",
        "completion_bestOf": "2",
        "completion_logitBias": '={"50256": -100}',
    }
    described = request("azure-openai", values)
    assert (
        described["url"]
        == "https://myresource.openai.azure.com/openai/deployments/davinci/completions?api-version=2024-10-21"
    )
    assert described["body"] == {
        "prompt": "Say hi",
        "max_tokens": 16,
        "logit_bias": {"50256": -100},
        "echo": True,
        "best_of": 2,
    }


EXTENSION = {
    "authentication.value": "{{secrets.AZURE_OAI_SECRET}}",
    "operation": "completionsExtension",
    "endpointType": "custom",
    "endpoint": "https://gateway.example.com/azure/",
    "deploymentId": "gpt4",
    "completionsExtension_messageContent": "What do my documents say?",
    "completionsExtension_searchEndpoint": "https://docs.search.windows.net",
    "completionsExtension_indexName": "documents",
    "completionsExtension_searchKey": "{{secrets.SEARCH}}",
    "completionsExtension_queryType": "vector_semantic_hybrid",
    "completionsExtension_semanticConfiguration": "default",
    "completionsExtension_embeddingDeploymentName": "ada",
    "completionsExtension_topNDocuments": "5",
    "completionsExtension_inScope": "true",
    "completionsExtension_temperature": "0",
}


def test_azure_extension_uses_data_sources_from_2024_02_01():
    for api_version in ("2024-02-01", "2024-02-15-preview", "2024-10-21"):
        described = request("azure-openai", {**EXTENSION, "apiVersion": api_version})
        assert (
            described["url"]
            == f"https://gateway.example.com/azure/openai/deployments/gpt4/chat/completions?api-version={api_version}"
        )
        assert described["body"] == {
            "messages": [{"role": "user", "content": "What do my documents say?"}],
            "data_sources": [
                {
                    "type": "azure_search",
                    "parameters": {
                        "endpoint": "https://docs.search.windows.net",
                        "index_name": "documents",
                        "authentication": {"type": "api_key", "key": "***"},
                        "query_type": "vector_semantic_hybrid",
                        "semantic_configuration": "default",
                        "embedding_dependency": {"type": "deployment_name", "deployment_name": "ada"},
                        "top_n_documents": 5,
                        "in_scope": True,
                    },
                }
            ],
            "temperature": 0,
        }


def test_azure_extension_uses_the_legacy_api_before_2024_02_01():
    described = request("azure-openai", {**EXTENSION, "apiVersion": "2023-12-01-preview"})
    assert described["url"] == (
        "https://gateway.example.com/azure/openai/deployments/gpt4/extensions/chat/completions?api-version=2023-12-01-preview"
    )
    assert described["body"] == {
        "messages": [{"role": "user", "content": "What do my documents say?"}],
        "dataSources": [
            {
                "type": "AzureCognitiveSearch",
                "parameters": {
                    "endpoint": "https://docs.search.windows.net",
                    "indexName": "documents",
                    "authentication": {"type": "APIKey", "key": "***"},
                    "queryType": "vectorSemanticHybrid",
                    "semanticConfiguration": "default",
                    "embeddingDependency": {"type": "DeploymentName", "deploymentName": "ada"},
                    "topNDocuments": 5,
                    "inScope": True,
                },
            }
        ],
        "temperature": 0,
    }


def test_azure_extension_with_cosmos_db_and_managed_identity_search():
    cosmos = {
        **EXTENSION,
        "completionsExtension_dataSourceType": "azureCosmosDb",
        "completionsExtension_cosmosConnectionString": "mongodb+srv://cluster",
        "completionsExtension_cosmosDatabaseName": "db",
        "completionsExtension_cosmosContainerName": "docs",
        "completionsExtension_contentFields": '=["content"]',
        "completionsExtension_vectorFields": '=["vector"]',
        "completionsExtension_cosmosEmbeddingDeploymentName": "ada",
    }
    for key in ("searchEndpoint", "searchKey", "queryType", "semanticConfiguration", "embeddingDeploymentName"):
        del cosmos[f"completionsExtension_{key}"]
    assert request("azure-openai", cosmos)["body"]["data_sources"] == [
        {
            "type": "azure_cosmos_db",
            "parameters": {
                "authentication": {"type": "connection_string", "connection_string": "mongodb+srv://cluster"},
                "database_name": "db",
                "container_name": "docs",
                "index_name": "documents",
                "fields_mapping": {"content_fields": ["content"], "vector_fields": ["vector"]},
                "embedding_dependency": {"type": "deployment_name", "deployment_name": "ada"},
                "top_n_documents": 5,
                "in_scope": True,
            },
        }
    ]
    identity = {
        **EXTENSION,
        "completionsExtension_searchAuthentication": "userAssignedManagedIdentity",
        "completionsExtension_managedIdentityResourceId": "/subscriptions/s/identity",
    }
    del identity["completionsExtension_searchKey"]
    source = request("azure-openai", {**identity, "apiVersion": "2023-12-01-preview"})["body"]["dataSources"][0]
    assert source["parameters"]["authentication"] == {
        "type": "UserAssignedManagedIdentity",
        "managedIdentityResourceId": "/subscriptions/s/identity",
    }


def test_azure_entra_id_authentication():
    bearer = {**DOCUMENTED_VALUES, "authentication.type": "bearer", "authentication.token": "{{secrets.TOKEN}}"}
    del bearer["authentication.value"]
    assert request("azure-openai", bearer)["headers"] == {
        "Content-Type": "application/json",
        "Authorization": "Bearer ***",
    }
    oauth = {
        **DOCUMENTED_VALUES,
        "authentication.type": "oauth-client-credentials-flow",
        "authentication.oauthTokenEndpoint": "https://login.microsoftonline.com/tenant-1/oauth2/v2.0/token",
        "authentication.clientId": "app-1",
        "authentication.clientSecret": "{{secrets.TOKEN}}",
    }
    del oauth["authentication.value"]
    token_request = request("azure-openai", oauth)["oauthTokenRequest"]
    assert token_request["url"] == "https://login.microsoftonline.com/tenant-1/oauth2/v2.0/token"
    assert "scope=https%3A%2F%2Fcognitiveservices.azure.com%2F.default" in token_request["body"]
    assert "client_id=app-1" in token_request["body"] and "grant_type=client_credentials" in token_request["body"]


# ---- REST ---------------------------------------------------------------------------------------


def test_rest_request_passes_the_users_inputs_to_the_connector():
    values = {
        "method": "POST",
        "url": "https://api.example.com/items",
        "headers": '={"X-Trace": "abc"}',
        "queryParameters": "={limit: 10}",
        "body": '{"name": "pen", "tags": null}',
        "ignoreNullValues": "true",
        "authentication.type": "basic",
        "authentication.username": "ada",
        "authentication.password": "{{secrets.TOKEN}}",
        "readTimeoutInSeconds": "5",
    }
    described = request("rest", values)
    assert described["method"] == "POST"
    assert described["url"] == "https://api.example.com/items?limit=10"
    assert described["headers"]["X-Trace"] == "abc"
    assert described["headers"]["Authorization"].startswith("Basic ")
    assert described["body"] == {"name": "pen"}
    assert described["timeouts"] == {"connectionTimeoutInSeconds": 20, "readTimeoutInSeconds": 5}


def test_rest_api_key_in_query():
    values = {
        "url": "https://api.example.com/items",
        "authentication.type": "apiKey",
        "authentication.apiKeyLocation": "query",
        "authentication.name": "key",
        "authentication.value": "k-1",
    }
    assert request("rest", values)["url"] == "https://api.example.com/items?key=k-1"


DIAGRAM = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" id="Definitions_1" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="Process_1" isExecutable="true"><bpmn:task id="Task_1" /></bpmn:process>
  <bpmndi:BPMNDiagram id="Diagram_1"><bpmndi:BPMNPlane id="Plane_1" bpmnElement="Process_1">
    <bpmndi:BPMNShape id="Task_1_di" bpmnElement="Task_1"><dc:Bounds x="100" y="100" width="100" height="80" /></bpmndi:BPMNShape>
  </bpmndi:BPMNPlane></bpmndi:BPMNDiagram>
</bpmn:definitions>
"""


@pytest.mark.node
def test_the_real_modeler_writes_the_request_inputs_after_the_fields_they_read(node_tools):
    azure = template("azure-openai")
    case = {
        "name": "documented",
        "diagram": DIAGRAM,
        "element": "Task_1",
        "templates": [azure],
        "steps": [{"apply": {"id": azure["id"], "version": azure["version"]}}, {"set": list(DOCUMENTED_VALUES.items())}],
    }
    xml = modeler_apply(node_tools, [case])["documented"]["xml"]
    task = etree.fromstring(xml.encode()).find(".//{http://www.omg.org/spec/BPMN/20100524/MODEL}serviceTask")
    targets = [element.get("target") for element in task.iter("{http://camunda.org/schema/zeebe/1.0}input")]
    assert targets == [
        "operation",
        "authentication.type",
        "authentication.apiKeyLocation",
        "authentication.name",
        "authentication.value",
        "endpointType",
        "resourceName",
        "deploymentId",
        "apiVersion",
        "chatCompletion_messageRole",
        "chatCompletion_messageContent",
        "chatCompletion_messageContext",
        "baseUrl",
        "method",
        "url",
        "queryParameters",
        "body",
        "connectionTimeoutInSeconds",
        "readTimeoutInSeconds",
    ]
    assert task.find(".//{http://camunda.org/schema/zeebe/1.0}taskDefinition").attrib == {
        "type": "io.camunda:http-json:1",
        "retries": "3",
    }
