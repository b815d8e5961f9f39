"""The committed example diagrams (dist/examples/*.bpmn): current, lint clean, applied as the
Modeler would, and runnable: the Azure one sends the documentation's request."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.apply import apply_template
from generator.bpmn import TEMPLATED_ID, read_applied_task
from generator.build import plan_build
from generator.definition import load_definition
from generator.testing.azure_openai import DOCUMENTED_ANSWER, FakeAzureOpenAI
from tests.azure_example import DOCUMENTED_MESSAGES, DOCUMENTED_URL, DOCUMENTED_VALUES
from tests.etk_cli import etk
from tests.npm_tools import lint_diagram

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((REPO / "dist" / "examples").glob("*.bpmn"))
NAMES = [path.stem for path in EXAMPLES]
API_KEY = "azure-key-3b8e5f0a"



def test_every_definition_has_a_committed_example():
    assert sorted(path.stem for path in (REPO / "templates").glob("*.yaml")) == NAMES


def test_the_committed_examples_are_what_the_definitions_build(monkeypatch):
    monkeypatch.chdir(REPO)
    plan = plan_build(Path("templates"), Path("dist"), diagrams=True)
    assert [action.describe_stale() for action in plan.pending] + plan.refusals == []
    assert plan.count(example=True) == len(EXAMPLES)


def test_the_azure_example_is_the_documented_one():
    definition = load_definition(REPO / "templates" / "azure-openai.yaml")
    assert definition.example.as_mapping() == DOCUMENTED_VALUES


@pytest.mark.parametrize("name", NAMES)
def test_the_example_holds_what_applying_its_values_gives(name):
    template = json.loads((REPO / "dist" / f"{name}.json").read_text(encoding="utf-8"))
    values = load_definition(REPO / "templates" / f"{name}.yaml").example.as_mapping()
    applied = read_applied_task(REPO / "dist" / "examples" / f"{name}.bpmn", TEMPLATED_ID)
    assert applied == apply_template(template, values, element_id=TEMPLATED_ID)
    assert (applied.template_id, applied.template_version) == (template["id"], template["version"])


@pytest.mark.node
@pytest.mark.parametrize("name", NAMES)
def test_the_example_is_lint_clean(node_tools, name):
    code, reports = lint_diagram(node_tools, REPO / "dist" / "examples" / f"{name}.bpmn", REPO / "dist" / f"{name}.json")
    # errors fail the criterion; warnings (e.g. a template incompatible with the platform
    # version) would mean the example is not what a user should copy either
    assert [report for report in reports if report["category"] in ("error", "warn")] == []
    assert code == 0


def test_the_azure_example_dry_run_is_the_documented_request():
    result = etk("run", str(REPO / "dist" / "examples" / "azure-openai.bpmn"), "--element", TEMPLATED_ID,
                     "--dry-run", "--secret", f"AZURE_OAI_SECRET={API_KEY}")
    assert result.exit_code == 0, result.output
    request = json.loads(result.stdout)
    assert request["method"] == "POST"
    assert request["url"] == DOCUMENTED_URL
    assert request["headers"]["api-key"] == "***"
    assert request["headers"]["Content-Type"] == "application/json"
    assert request["body"] == {"messages": DOCUMENTED_MESSAGES}
    assert API_KEY not in result.output


def test_the_azure_example_runs_against_the_service(tmp_path):
    """The diagram's task, end to end over TLS to the fake Azure OpenAI service on loopback."""
    with FakeAzureOpenAI(api_keys=[API_KEY], tls=True) as fake:
        result = etk(
            "run", str(REPO / "dist" / "examples" / "azure-openai.bpmn"), "--element", TEMPLATED_ID,
            "--secret", f"AZURE_OAI_SECRET={API_KEY}",
            "--connect-to", f"myresource.openai.azure.com:443:127.0.0.1:{fake.port}", "--ca-file", str(fake.ca_file),
        )
        assert result.exit_code == 0, result.output
        received = fake.requests
    assert len(received) == 1
    assert (received[0].method, received[0].path, received[0].query_string) == (
        "POST", "/openai/deployments/mydeployment/chat/completions", "api-version=2024-02-01",
    )
    assert received[0].headers["api-key"] == API_KEY
    assert received[0].body == json.dumps({"messages": DOCUMENTED_MESSAGES}, separators=(",", ":")).encode()
    variables = json.loads(result.stdout)
    assert list(variables) == ["myOpenAIResponse"]
    answer = variables["myOpenAIResponse"]
    assert answer["status"] == 200
    assert answer["body"]["choices"][0]["message"] == {"role": "assistant", "content": DOCUMENTED_ANSWER}


def test_the_rest_example_dry_run_is_a_github_request_with_a_masked_token():
    result = etk("run", str(REPO / "dist" / "examples" / "rest.bpmn"), "--element", TEMPLATED_ID,
                     "--dry-run", "--secret", "GITHUB_TOKEN=ghp_0123456789abcdef")
    assert result.exit_code == 0, result.output
    request = json.loads(result.stdout)
    assert (request["method"], request["url"], request["body"]) == (
        "GET", "https://api.github.com/user/repos?sort=updated&per_page=10", None,
    )
    assert request["headers"]["Authorization"] == "Bearer ***"
    assert request["headers"]["Accept"] == "application/vnd.github+json"
    assert request["headers"]["X-GitHub-Api-Version"] == "2022-11-28"
    assert "ghp_0123456789abcdef" not in result.output
