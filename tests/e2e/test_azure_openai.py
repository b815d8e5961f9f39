"""The Azure OpenAI template end to end: apply (Modeler semantics) -> engine -> REST connector over
real TLS (connect-to) -> fake Azure OpenAI service -> outcome."""

from __future__ import annotations

import json

from click.testing import CliRunner

from generator.cli import main
from generator.runtime import BpmnError, Completed, Failed, ManualClock, run_task, run_until_done
from generator.testing.azure_openai import DOCUMENTED_ANSWER, DOCUMENTED_QUESTION
from tests.azure_example import DOCUMENTED_MESSAGES, DOCUMENTED_VALUES

from .conftest import API_KEY, AZURE_TEMPLATE, apply

SECRETS = {"AZURE_OAI_SECRET": API_KEY}
DOCUMENTED_BODY = {"messages": DOCUMENTED_MESSAGES}


def assert_documented_response(response: dict) -> None:
    assert set(response) == {"status", "headers", "body", "reason"}
    assert response["status"] == 200
    assert response["reason"] == "OK"
    assert response["headers"]["Content-Type"].startswith("application/json")
    body = response["body"]
    assert body["object"] == "chat.completion"
    assert body["model"] == "gpt-35-turbo"
    assert body["choices"][0]["message"] == {"role": "assistant", "content": DOCUMENTED_ANSWER}
    assert body["choices"][0]["finish_reason"] == "stop"
    assert set(body["choices"][0]["content_filter_results"]) == {"hate", "self_harm", "sexual", "violence"}
    assert body["prompt_filter_results"][0]["prompt_index"] == 0
    assert set(body["usage"]) == {"completion_tokens", "prompt_tokens", "total_tokens"}


def test_the_documented_example_verbatim(azure_template, fake, azure_http):
    outcome = run_task(apply(azure_template, **DOCUMENTED_VALUES), secrets=SECRETS, http=azure_http)
    assert isinstance(outcome, Completed)
    assert list(outcome.variables) == ["myOpenAIResponse"]
    assert_documented_response(outcome.variables["myOpenAIResponse"])
    received = fake.requests[-1]
    assert received.method == "POST"
    assert received.path == "/openai/deployments/mydeployment/chat/completions"
    assert received.query_string == "api-version=2024-02-01"
    assert received.headers["host"] == "myresource.openai.azure.com"
    assert received.headers["api-key"] == API_KEY
    assert received.headers["content-type"] == "application/json"
    assert received.body == json.dumps(DOCUMENTED_BODY, separators=(",", ":")).encode()
    assert DOCUMENTED_VALUES["chatCompletion_messageContent"] == DOCUMENTED_QUESTION


def test_the_documented_example_through_the_cli(fake, tmp_path):
    secrets_file = tmp_path / "secrets.env"
    secrets_file.write_text(f"AZURE_OAI_SECRET={API_KEY}\n", encoding="utf-8")
    arguments = ["run", str(AZURE_TEMPLATE), "--secrets-file", str(secrets_file),
                 "--connect-to", f"myresource.openai.azure.com:443:127.0.0.1:{fake.port}", "--ca-file", str(fake.ca_file)]
    for key, value in DOCUMENTED_VALUES.items():
        arguments += ["--set", f"{key}={value}"]
    result = CliRunner().invoke(main, arguments)
    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)
    assert list(printed) == ["myOpenAIResponse"]
    assert_documented_response(printed["myOpenAIResponse"])
    assert fake.requests[-1].json == DOCUMENTED_BODY


def test_completion(azure_template, fake, azure_http):
    task = apply(
        azure_template, **{"authentication.value": "{{secrets.AZURE_OAI_SECRET}}"}, operation="completion",
        resourceName="myresource", deploymentId="mydeployment", apiVersion="2024-02-01",
        completion_prompt="Say hello", completion_maxTokens="16", completion_temperature="0.5",
        resultExpression="={text: response.body.choices[1].text, finish: body.choices[1].finish_reason}",
    )
    outcome = run_task(task, secrets=SECRETS, http=azure_http)
    assert isinstance(outcome, Completed)
    assert set(outcome.variables) == {"text", "finish"}
    assert isinstance(outcome.variables["text"], str) and outcome.variables["text"]
    received = fake.requests[-1]
    assert received.path == "/openai/deployments/mydeployment/completions"
    assert received.json == {"prompt": "Say hello", "max_tokens": 16, "temperature": 0.5}


def test_on_your_data_with_data_sources_on_a_current_api_version(azure_template, fake, azure_http):
    task = apply(
        azure_template, **{"authentication.value": "{{secrets.AZURE_OAI_SECRET}}"}, operation="completionsExtension",
        resourceName="myresource", deploymentId="mydeployment", apiVersion="2024-10-21",
        completionsExtension_messageContent="What do the docs say about retries?",
        completionsExtension_searchEndpoint="https://mysearch.search.windows.net",
        completionsExtension_indexName="docs-index",
        completionsExtension_searchKey="{{secrets.SEARCH_KEY}}",
        resultVariable="answer",
    )
    outcome = run_task(task, secrets={**SECRETS, "SEARCH_KEY": "search-key-1"}, http=azure_http)
    assert isinstance(outcome, Completed), outcome
    received = fake.requests[-1]
    assert received.path == "/openai/deployments/mydeployment/chat/completions"
    source = received.json["data_sources"][0]
    assert source["type"] == "azure_search"
    assert source["parameters"]["endpoint"] == "https://mysearch.search.windows.net"
    assert source["parameters"]["index_name"] == "docs-index"
    assert source["parameters"]["authentication"] == {"type": "api_key", "key": "search-key-1"}
    assert received.json["messages"] == [{"role": "user", "content": "What do the docs say about retries?"}]
    assert "context" in outcome.variables["answer"]["body"]["choices"][0]["message"]


def test_on_your_data_legacy_shape_on_an_old_api_version(azure_template, fake, azure_http):
    task = apply(
        azure_template, **{"authentication.value": "{{secrets.AZURE_OAI_SECRET}}"}, operation="completionsExtension",
        resourceName="myresource", deploymentId="mydeployment", apiVersion="2023-12-01-preview",
        completionsExtension_messageContent="What do the docs say?",
        completionsExtension_searchEndpoint="https://mysearch.search.windows.net",
        completionsExtension_indexName="docs-index",
        completionsExtension_searchKey="search-key-1",
        resultVariable="answer",
    )
    outcome = run_task(task, secrets=SECRETS, http=azure_http)
    assert isinstance(outcome, Completed), outcome
    received = fake.requests[-1]
    assert received.path == "/openai/deployments/mydeployment/extensions/chat/completions"
    source = received.json["dataSources"][0]
    assert source["type"] == "AzureCognitiveSearch"
    assert source["parameters"]["endpoint"] == "https://mysearch.search.windows.net"
    assert source["parameters"]["indexName"] == "docs-index"
    assert "data_sources" not in received.json


def test_entra_id_bearer_token(azure_template, fake, azure_http):
    task = apply(
        azure_template, **{"authentication.type": "bearer", "authentication.token": "{{secrets.ENTRA_TOKEN}}"},
        operation="chatCompletion", resourceName="myresource", deploymentId="mydeployment",
        chatCompletion_messageContent="Hi", resultVariable="r",
    )
    outcome = run_task(task, secrets={"ENTRA_TOKEN": "entra-token"}, http=azure_http)
    assert isinstance(outcome, Completed), outcome
    assert fake.requests[-1].headers["authorization"] == "Bearer entra-token"
    assert "api-key" not in fake.requests[-1].headers


def test_entra_id_through_oauth_client_credentials(azure_template, fake, azure_http):
    from ..runtime.loopback import LoopbackServer, Reply

    with LoopbackServer() as token_endpoint:
        token_endpoint.reply(Reply.json({"token_type": "Bearer", "expires_in": 3599, "access_token": "entra-token"}))
        task = apply(
            azure_template,
            **{
                "authentication.type": "oauth-client-credentials-flow",
                "authentication.oauthTokenEndpoint": token_endpoint.url("/tenant-id/oauth2/v2.0/token"),
                "authentication.clientId": "app-id",
                "authentication.clientSecret": "{{secrets.CLIENT_SECRET}}",
            },
            operation="chatCompletion", resourceName="myresource", deploymentId="mydeployment",
            chatCompletion_messageContent="Hi", resultVariable="r",
        )
        secrets = {"CLIENT_SECRET": "app-secret"}
        first = run_task(task, secrets=secrets, http=azure_http)
        second = run_task(task, secrets=secrets, http=azure_http)
    assert isinstance(first, Completed) and isinstance(second, Completed)
    assert len(token_endpoint.requests) == 1  # the token is cached for the second job
    assert token_endpoint.last.body == (
        b"audience&grant_type=client_credentials&scope=https%3A%2F%2Fcognitiveservices.azure.com%2F.default"
        b"&client_secret=app-secret&client_id=app-id"
    )
    assert [request.headers["authorization"] for request in fake.requests] == ["Bearer entra-token"] * 2


def test_a_wrong_key_becomes_a_bpmn_error_through_the_error_expression(azure_template, fake, azure_http):
    task = apply(
        azure_template, **DOCUMENTED_VALUES,
        errorExpression='=if error.code = "401" then bpmnError("AZURE_AUTH", error.message, {azure: error.variables.response.body.error}) else null',
    )
    outcome = run_task(task, secrets={"AZURE_OAI_SECRET": "wrong-key"}, http=azure_http)
    assert isinstance(outcome, BpmnError)
    assert outcome.code == "AZURE_AUTH"
    assert outcome.message == "Unauthorized"
    assert outcome.variables["azure"]["code"] == "401"
    assert "wrong-key" not in json.dumps(outcome.variables)


def test_rate_limiting_is_retried_with_backoff_then_completes(azure_template, fake, azure_http):
    fake.fail_next(429, count=2, retry_after=1)
    clock = ManualClock()
    task = apply(azure_template, **DOCUMENTED_VALUES, retryBackoff="PT10S")
    attempts = run_until_done(task, secrets=SECRETS, http=azure_http, clock=clock)
    assert [type(outcome) for outcome in attempts.outcomes] == [Failed, Failed, Completed]
    assert [outcome.retries for outcome in attempts.outcomes[:2]] == [2, 1]
    assert attempts.outcomes[0].variables["error"]["code"] == "429"
    assert clock.sleeps == [10.0, 10.0]
    assert_documented_response(attempts.outcome.variables["myOpenAIResponse"])
    assert len(fake.requests) == 3


def test_a_content_filter_hit_becomes_a_bpmn_error_with_the_filter_details(azure_template, fake, azure_http):
    fake.block_words("universe", category="violence", severity="medium")
    expression = (
        '=if error.code = "400" and error.variables.response.body.error.code = "content_filter" '
        'then bpmnError("CONTENT_FILTERED", error.variables.response.body.error.message, '
        '{filter: error.variables.response.body.error.innererror.content_filter_result}) else null'
    )
    outcome = run_task(apply(azure_template, **DOCUMENTED_VALUES, errorExpression=expression), secrets=SECRETS, http=azure_http)
    assert isinstance(outcome, BpmnError)
    assert outcome.code == "CONTENT_FILTERED"
    assert "content management policy" in outcome.message
    assert outcome.variables["filter"]["violence"] == {"filtered": True, "severity": "medium"}


def test_a_missing_secret_is_an_input_error_without_retries(azure_template, fake, azure_http):
    attempts = run_until_done(apply(azure_template, **DOCUMENTED_VALUES), secrets={}, http=azure_http, clock=ManualClock())
    assert len(attempts.outcomes) == 1
    outcome = attempts.outcome
    assert isinstance(outcome, Failed) and outcome.incident
    assert outcome.variables["error"]["message"] == "Secret with name 'AZURE_OAI_SECRET' is not available"
    assert fake.requests == []


def test_a_task_read_from_a_diagram_runs_exactly_like_the_template(azure_template, fake, azure_http, tmp_path):
    from generator.bpmn import read_applied_task, write_example_diagram

    diagram = tmp_path / "documented.bpmn"
    write_example_diagram(azure_template, diagram, DOCUMENTED_VALUES)
    from_diagram = read_applied_task(diagram, "Task_1")
    from_template = apply(azure_template, **DOCUMENTED_VALUES)
    assert from_diagram.inputs == from_template.inputs
    assert from_diagram.headers_dict() == from_template.headers_dict()

    outcome = run_task(from_diagram, secrets=SECRETS, http=azure_http)
    assert isinstance(outcome, Completed)
    assert_documented_response(outcome.variables["myOpenAIResponse"])

    result = CliRunner().invoke(main, [
        "run", str(diagram), "--element", "Task_1", "--secret", f"AZURE_OAI_SECRET={API_KEY}",
        "--connect-to", f"myresource.openai.azure.com:443:127.0.0.1:{fake.port}", "--ca-file", str(fake.ca_file),
    ])
    assert result.exit_code == 0, result.output
    assert_documented_response(json.loads(result.stdout)["myOpenAIResponse"])
    assert [request.body for request in fake.requests] == [json.dumps(DOCUMENTED_BODY, separators=(",", ":")).encode()] * 2
