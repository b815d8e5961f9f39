"""The Azure OpenAI template through a diagram: `etk diagram` -> `etk apply` with the documented
example values -> `read_applied_task` equals `apply_template`, and running the diagram's task
against the loopback fake Azure service gives the same outcome as running the template."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from generator.apply import apply_template
from generator.bpmn import read_applied_task
from generator.runtime import Completed, ConnectTo, HttpClient, run_task
from generator.testing.azure_openai import FakeAzureOpenAI
from tests.azure_example import DOCUMENTED_VALUES
from tests.bpmn.golden import REPO
from tests.etk_cli import etk

AZURE = REPO / "dist" / "azure-openai.json"
API_KEY = "azure-key-round-trip"
HOST = "myresource.openai.azure.com"


@pytest.fixture
def fake() -> Any:
    with FakeAzureOpenAI(api_keys=[API_KEY], tls=True, clock=lambda: 1_700_000_000.0) as running:
        yield running


@pytest.fixture
def documented_diagram(tmp_path: Path) -> Path:
    path = tmp_path / "azure-openai.bpmn"
    assert etk("diagram", str(AZURE), "-o", str(path)).exit_code == 0
    arguments = ["apply", str(AZURE), str(path), "--element", "Task_1", "--in-place"]
    for key, value in DOCUMENTED_VALUES.items():
        arguments += ["--set", f"{key}={value}"]
    result = etk(*arguments)
    assert result.exit_code == 0, result.output
    return path


def test_the_diagram_carries_what_apply_template_computes(documented_diagram: Path) -> None:
    template = json.loads(AZURE.read_text())
    from_diagram = read_applied_task(documented_diagram, "Task_1")
    assert from_diagram == apply_template(template, DOCUMENTED_VALUES, element_id="Task_1")
    sources = {i.target: i.source for i in from_diagram.inputs}
    assert sources["deploymentId"] == DOCUMENTED_VALUES["deploymentId"]
    assert sources["chatCompletion_messageContext"] == DOCUMENTED_VALUES["chatCompletion_messageContext"]
    assert from_diagram.header("resultVariable") == DOCUMENTED_VALUES["resultVariable"]


def comparable(outcome_variables: dict[str, Any]) -> dict[str, Any]:
    """The outcome without what differs per request (response id, date headers)."""
    response = dict(outcome_variables["myOpenAIResponse"])
    response["body"] = {k: v for k, v in response["body"].items() if k != "id"}
    response["headers"] = sorted(k for k in response["headers"] if k.lower() not in ("date", "apim-request-id", "x-request-id"))
    return response


def received(fake: FakeAzureOpenAI) -> tuple[Any, ...]:
    request = fake.requests[-1]
    return request.method, request.path, request.query_string, request.headers["api-key"], request.body


def test_running_the_diagram_task_equals_running_the_template(documented_diagram: Path, fake: FakeAzureOpenAI) -> None:
    template = json.loads(AZURE.read_text())
    route = ConnectTo(HOST, 443, "127.0.0.1", fake.port)
    with HttpClient(connect_to=[route], ca_file=fake.ca_file) as http:
        from_template = run_task(apply_template(template, DOCUMENTED_VALUES), secrets={"AZURE_OAI_SECRET": API_KEY}, http=http)
        template_request = received(fake)
        from_diagram = run_task(read_applied_task(documented_diagram, "Task_1"), secrets={"AZURE_OAI_SECRET": API_KEY}, http=http)
        diagram_request = received(fake)
    assert isinstance(from_template, Completed) and isinstance(from_diagram, Completed)
    assert diagram_request == template_request
    assert diagram_request[1] == "/openai/deployments/mydeployment/chat/completions"
    assert comparable(from_diagram.variables) == comparable(from_template.variables)


def test_etk_run_on_the_diagram_equals_etk_run_on_the_template(documented_diagram: Path, fake: FakeAzureOpenAI, tmp_path: Path) -> None:
    common = ["--secret", f"AZURE_OAI_SECRET={API_KEY}", "--connect-to", f"{HOST}:443:127.0.0.1:{fake.port}", "--ca-file", str(fake.ca_file)]
    template_arguments = ["run", str(AZURE), *common]
    for key, value in DOCUMENTED_VALUES.items():
        template_arguments += ["--set", f"{key}={value}"]
    by_template = etk(*template_arguments)
    template_request = received(fake)
    by_diagram = etk("run", str(documented_diagram), "--element", "Task_1", *common)
    assert (by_template.exit_code, by_diagram.exit_code) == (0, 0), by_template.output + by_diagram.output
    assert received(fake) == template_request
    assert comparable(json.loads(by_diagram.stdout)) == comparable(json.loads(by_template.stdout))
