"""The Azure OpenAI 2024-10-21 description -> `etk from-openapi` -> a template that builds, validates and
runs its chat completion against `etk serve openapi` on the same description and against the fake
Azure OpenAI service; and how it differs from the hand-written templates/azure-openai.yaml."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from generator.apply import apply_template
from generator.cli import main
from generator.runtime import Completed, ConnectTo, HttpClient, run_task
from generator.testing.azure_openai import DOCUMENTED_ANSWER, FakeAzureOpenAI
from generator.testing.openapi import FakeOpenAPIService
from generator.validate import validate_template

REPO = Path(__file__).resolve().parents[2]
SPEC = Path("upstream/azure-openai/2024-10-21/inference.json")
KEY = "azure-key-5d1e"
QUESTION = [{"role": "system", "content": "You are a helpful assistant."},
            {"role": "user", "content": "What is the age of the Universe?"}]
CHAT_VALUES = {
    "operation": "chatCompletionsCreate",
    "authentication.type": "apiKey",
    "authentication.value": "{{secrets.AZURE_OAI_SECRET}}",
    "endpoint": "myresource.openai.azure.com",
    "chatCompletionsCreate_deploymentId": "mydeployment",
    "chatCompletionsCreate_messages": "=" + json.dumps(QUESTION),
    "chatCompletionsCreate_temperature": "0.7",
    "chatCompletionsCreate_maxTokens": "100",
    "resultExpression": "={answer: response.body.choices[1].message.content, model: response.body.model}",
}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory, shared_dir: Path) -> tuple[Path, dict]:
    """The definition and built template for chat completions and completions."""
    folder = tmp_path_factory.mktemp("azure")
    target = folder / "templates" / "azure-openai-generated.yaml"
    result = CliRunner().invoke(main, ["from-openapi", str(shared_dir / SPEC), "-o", str(target),
                                       "--operations", "ChatCompletions_Create,Completions_Create"])
    assert result.exit_code == 0, result.output
    built = CliRunner().invoke(main, ["build", str(folder / "templates"), "-o", str(folder / "dist"), "--diagrams"])
    assert built.exit_code == 0, built.output
    return target, json.loads((folder / "dist" / "azure-openai-generated.json").read_text())


def test_the_generated_template_builds_and_etk_validate_finds_nothing(generated: tuple[Path, dict]) -> None:
    _, template = generated
    # label-type (one label on fields of two types) is advice: the spec names chat's boolean
    # `logprobs` and the completion's integer `logprobs` alike, and the generator keeps its names
    assert [str(finding) for finding in validate_template(template) if finding.rule != "label-type"] == []
    operation = next(prop for prop in template["properties"] if prop["id"] == "operation")
    assert operation["choices"] == [
        {"name": "Creates a completion for the provided prompt, parameters and chosen model", "value": "completionsCreate"},
        {"name": "Creates a completion for the chat message", "value": "chatCompletionsCreate"},
    ]


@pytest.mark.node
def test_the_generated_template_passes_the_official_validator(generated: tuple[Path, dict], node_tools: Path,
                                                              tmp_path: Path) -> None:
    from tests.validate.test_conformance import official_verdicts

    file = tmp_path / "azure-openai-generated.json"
    file.write_text(json.dumps(generated[1]))
    assert [(item["valid"], item["errors"]) for item in official_verdicts(node_tools, [file])] == [(True, [])]


def run_chat(template: dict, port: int, ca_file: Path) -> Completed:
    task = apply_template(template, CHAT_VALUES)
    route = ConnectTo("myresource.openai.azure.com", 443, "127.0.0.1", port)
    with HttpClient(connect_to=[route], ca_file=ca_file) as http:
        outcome = run_task(task, secrets={"AZURE_OAI_SECRET": KEY}, http=http)
    assert isinstance(outcome, Completed), outcome
    return outcome


def assert_sent_the_chat(request) -> None:  # type: ignore[no-untyped-def]
    assert request.method == "POST"
    assert request.path == "/openai/deployments/mydeployment/chat/completions"
    assert request.query_string == "api-version=2024-10-21"
    assert request.headers["host"] == "myresource.openai.azure.com"
    assert request.headers["api-key"] == KEY
    assert request.json == {"temperature": 0.7, "max_tokens": 100, "messages": QUESTION}


def test_chat_runs_against_etk_serve_openapi_on_the_same_description(generated: tuple[Path, dict],
                                                                     shared_dir: Path) -> None:
    with FakeOpenAPIService(shared_dir / SPEC, api_keys=[KEY], tls=True, seed=7) as fake:
        outcome = run_chat(generated[1], fake.port, fake.ca_file)
        assert_sent_the_chat(fake.last_request)
    assert set(outcome.variables) == {"answer", "model"}
    assert isinstance(outcome.variables["answer"], str) and isinstance(outcome.variables["model"], str)


def test_chat_runs_against_the_fake_azure_openai_service(generated: tuple[Path, dict]) -> None:
    with FakeAzureOpenAI(api_keys=[KEY], tls=True) as fake:
        outcome = run_chat(generated[1], fake.port, fake.ca_file)
        assert_sent_the_chat(fake.last_request)
    assert outcome.variables == {"answer": DOCUMENTED_ANSWER, "model": "gpt-35-turbo"}


def body_keys(operation: dict) -> set[str]:
    keys = set((operation.get("body") or {}).keys()) if isinstance(operation.get("body"), dict) else set()
    for variant in operation.get("variants") or []:
        if isinstance(variant.get("body"), dict):
            keys |= set(variant["body"])
    return keys


def test_differences_from_the_hand_written_definition(generated: tuple[Path, dict]) -> None:
    """Prints what the generated definition has that templates/azure-openai.yaml lacks, and the reverse."""
    generated_data = yaml.safe_load(generated[0].read_text())
    hand = yaml.safe_load((REPO / "templates" / "azure-openai.yaml").read_text())
    pairs = {"completion": "completionsCreate", "chatCompletion": "chatCompletionsCreate"}
    lines = []
    for hand_id, generated_id in pairs.items():
        mine, theirs = hand["operations"][hand_id], generated_data["operations"][generated_id]
        sent_by_hand, sent_generated = body_keys(mine), body_keys(theirs)
        lines.append(f"{hand_id} <-> {generated_id}:")
        lines.append(f"  body keys only generated: {sorted(sent_generated - sent_by_hand)}")
        lines.append(f"  body keys only hand-written: {sorted(sent_by_hand - sent_generated)}")
        lines.append(f"  fields only generated: {sorted(set(theirs.get('fields', {})) - set(mine.get('fields', {})))}")
        lines.append(f"  fields only hand-written: {sorted(set(mine.get('fields', {})) - set(theirs.get('fields', {})))}")
        # every key the hand-written template sends is one the description defines
        assert sent_by_hand <= sent_generated, sent_by_hand - sent_generated
    lines.append(f"shared fields only generated: {sorted(set(generated_data['fields']) - set(hand['fields']))}")
    lines.append(f"shared fields only hand-written: {sorted(set(hand['fields']) - set(generated_data['fields']))}")
    auth_keys = {"label", "default", "group"}
    lines.append(f"authentication: generated {sorted(set(generated_data['authentication']) - auth_keys)}, "
                 f"hand-written {sorted(set(hand['authentication']) - auth_keys)}")
    print("\n".join(["differences from templates/azure-openai.yaml:", *lines]))
    assert "chatCompletion <-> chatCompletionsCreate:" in lines
