"""The generated Azure OpenAI page covers every fact of Camunda 8.6's Azure OpenAI Connector page
(facts/azure-openai-connector.md) and what etk's template adds, checked on the Markdown that
`etk docs` writes (freshly generated here; test_site checks that dist/docs/ is the same)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from generator.testing.azure_openai import DOCUMENTED_ANSWER
from tests.azure_example import DOCUMENTED_MESSAGES, DOCUMENTED_URL
from tests.docs.conftest import copy_docs
from tests.etk_cli import etk

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> str:
    out = copy_docs(tmp_path_factory.mktemp("docs"))
    result = etk("docs", str(REPO / "templates"), "-o", str(out), "--dist", str(REPO / "dist"))
    assert result.exit_code == 0, result.output
    return (out / "azure-openai.md").read_text(encoding="utf-8")


def section(page: str, title: str, level: int = 2) -> str:
    """The text of the section whose heading starts with `title`, up to the next heading of its level or above."""
    marker = "#" * level + " "
    match = re.search(rf"^{re.escape(marker + title)}.*$", page, flags=re.MULTILINE)
    assert match is not None, f"no section {marker}{title}"
    rest = page[match.end():]
    end = re.search(rf"^#{{1,{level}}} ", rest, flags=re.MULTILINE)
    return rest[: end.start()] if end else rest


def table_rows(text: str) -> list[list[str]]:
    """The cells of every Markdown table row in `text` (header and separator rows included)."""
    return [[cell.strip() for cell in line.strip().strip("|").split(" | ")] for line in text.splitlines() if line.startswith("|")]


def row_for(text: str, label: str) -> list[str]:
    rows = [row for row in table_rows(text) if row[0] == label or row[0].startswith(f"{label} (`")]
    assert len(rows) == 1, f"expected one row for {label!r}, got {rows}"
    return rows[0]


def field_cells(text: str, label: str) -> dict[str, str]:
    """The cells of the field table row for `label`, by column (a table leaves out columns that
    say nothing for any of its fields)."""
    found = []
    header: list[str] = []
    for line in text.splitlines():
        if not line.startswith("|"):
            header = []
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split(" | ")]
        if not header:
            header = cells
        elif cells[0] == label or cells[0].startswith(f"{label} (`"):
            found.append(dict(zip(header, cells, strict=True)))
    assert len(found) == 1, f"expected one row for {label!r}, got {found}"
    return found[0]


def code_blocks(text: str, language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)\n```$", text, flags=re.MULTILINE | re.DOTALL)


def test_title_summary_and_template(page):
    assert page.startswith("# Azure OpenAI Connector\n")
    assert "completions, chat completions, and chat completions grounded on your own data" in page.split("\n## ")[0]
    assert "| Template id | `io.etk.connectors.AzureOpenAI.v1` |" in page
    assert "| Job type | `io.camunda:http-json:1` |" in page


def test_the_three_operations(page):
    overview = section(page, "Overview")
    assert "[Completion](#completion): The completions API" in overview
    assert "[Chat completion](#chat-completion) (default): The chat completions API" in overview
    assert "[Completions extension (on your data)](#completions-extension-on-your-data): Chat completions on your own data" in overview
    operations = section(page, "Operations")
    assert re.findall(r"^### (.+)$", operations, flags=re.MULTILINE) == [
        "Completion", "Chat completion", "Completions extension (on your data)",
    ]


def test_it_is_a_protocol_connector_on_the_rest_connector(page):
    overview = section(page, "Overview")
    assert "is a **protocol connector**: a template for Camunda's REST connector" in overview
    assert "so the REST connector's response handling applies: the result is\n`{status, headers, body}`" in overview


def test_prerequisites_resource_deployment_and_key(page):
    prerequisites = section(page, "Prerequisites")
    assert "- An Azure OpenAI resource." in prerequisites
    assert "- A model deployment in that resource whose model supports the operation" in prerequisites
    assert "- An Azure OpenAI API key of the resource" in prerequisites


def test_the_api_key_secret(page):
    authentication = section(page, "Authentication")
    api_key = section(authentication, "API key", level=3)
    assert "The key is sent as the HTTP header `api-key`." in api_key
    assert (
        "create a connector secret, e.g. named `AZURE_OAI_SECRET`,\nholding it, and enter "
        "`{{secrets.AZURE_OAI_SECRET}}` in **API key**." in api_key
    )
    secrets = section(authentication, "Connector secrets", level=3)
    assert row_for(secrets, "`AZURE_OAI_SECRET`") == ["`AZURE_OAI_SECRET`", "API key", "Authentication type is API key"]


def test_the_operation_dropdown_with_resource_deployment_and_api_version(page):
    shared = section(page, "Fields every operation shares")
    operation = field_cells(shared, "Operation")
    assert (operation["Type"], operation["Default"]) == ("dropdown", "Chat completion")
    assert operation["Allowed values"] == (
        "Completion (completion); Chat completion (chatCompletion); Completions extension (on your data) (completionsExtension)"
    )
    assert field_cells(shared, "Resource name")["Type"] == "text, **required**, FEEL optional"
    assert field_cells(shared, "Deployment ID")["Type"] == "text, **required**, FEEL optional"
    api_version = field_cells(shared, "API version")
    assert (api_version["Type"], api_version["Default"]) == ("text, **required**, FEEL optional", "`2024-10-21`")
    # the panel's order: the operation group comes first, then authentication, then the endpoint
    assert [line for line in shared.splitlines() if line.startswith("**")][:3] == [
        "**Operation**", "**Authentication**", "**Endpoint**",
    ]


def test_chat_completion_fields_in_the_panels_order(page):
    chat = section(section(page, "Operations"), "Chat completion", level=3)
    message = chat.split("**Message**", 1)[1].split("**Model parameters**", 1)[0]
    assert [row[0] for row in table_rows(message)[2:]] == [
        "Message role (`chatCompletion_messageRole`)",
        "Message content (`chatCompletion_messageContent`)",
        "Message context (`chatCompletion_messageContext`)",
    ]
    role = field_cells(message, "Message role")
    assert (role["Type"], role["Default"]) == ("dropdown", "User")
    assert role["Allowed values"] == "User (user); System (system); Assistant (assistant)"
    assert field_cells(message, "Message context")["Type"] == "text, FEEL required"
    # columns that say nothing for any field of a table are left out
    assert table_rows(message)[0] == ["Field", "Type", "Default", "Allowed values", "Tooltip"]


def test_response_handling(page):
    response = section(page, "Response handling")
    for phrase in ("**Result variable**", "**Result expression**", "**Error expression**", "**Retries**",
                   "`{status, headers, body}`", "bpmnError(code, message)", "retried `3` times", "waiting `PT30S`",
                   "20 s to connect and 180 s to read"):
        assert phrase in response, phrase
    examples = section(response, "Result expression examples", level=3)
    assert "={answer: response.body.choices[1].message.content}" in examples
    assert json.loads(code_blocks(examples, "json")[0]) == {"answer": DOCUMENTED_ANSWER}
    errors = section(response, "Error expression examples", level=3)
    outcomes = [json.loads(block) for block in code_blocks(errors, "json")]
    assert outcomes[0]["outcome"] == "bpmnError" and outcomes[0]["code"] == "AZURE_OPENAI_NOT_FOUND"
    assert outcomes[0]["variables"]["azureError"]["code"] == "DeploymentNotFound"
    assert outcomes[1]["outcome"] == "failed" and outcomes[1]["retries"] == 0 and outcomes[1]["incident"] is True


def test_the_documented_chat_example_inputs(page):
    example = section(page, "Example")
    assert "A `gpt-35-turbo` model deployed as `mydeployment` on the resource `myresource`" in example
    assert table_rows(example)[2:] == [
        ["Operation", "Chat completion"],
        ["API key", "`{{secrets.AZURE_OAI_SECRET}}`"],
        ["Resource name", "`myresource`"],
        ["Deployment ID", "`mydeployment`"],
        ["API version", "`2024-02-01`"],
        ["Message role", "User"],
        ["Message content", "`What is the age of the Universe?`"],
        ["Message context", '`=[{"role": "system", "content": "You are helpful assistant."}]`'],
        ["Result variable", "`myOpenAIResponse`"],
        ["Every other field", "blank or its default"],
    ]


def test_the_documented_chat_example_request(page):
    request = code_blocks(section(page, "Example"), "http")[0]
    head, body = request.split("\n\n", 1)
    assert head.splitlines() == [f"POST {DOCUMENTED_URL}", "Content-Type: application/json", "api-key: ***"]
    assert json.loads(body) == {"messages": DOCUMENTED_MESSAGES}


def test_the_documented_chat_example_result(page):
    example = section(page, "Example")
    assert "The process variable `myOpenAIResponse` then holds:" in example
    result = json.loads(code_blocks(example, "json")[0])
    assert result["status"] == 200
    assert result["headers"]["Content-Type"] == "application/json"
    assert result["headers"]["Date"] == "..."
    body = result["body"]
    assert (body["id"], body["created"], body["model"], body["object"]) == ("...", "...", "gpt-35-turbo", "chat.completion")
    choice = body["choices"][0]
    assert choice["message"] == {"content": DOCUMENTED_ANSWER, "role": "assistant"}
    assert choice["finish_reason"] == "stop"
    assert set(choice["content_filter_results"]) == {"hate", "self_harm", "sexual", "violence"}
    assert choice["content_filter_results"]["hate"] == {"filtered": False, "severity": "safe"}
    assert body["prompt_filter_results"][0]["prompt_index"] == 0
    assert set(body["prompt_filter_results"][0]["content_filter_results"]) == {"hate", "self_harm", "sexual", "violence"}
    assert body["usage"] == {"completion_tokens": 43, "prompt_tokens": 24, "total_tokens": 67}
    assert "etk's runtime ran the example against\netk's fake Azure OpenAI service on loopback." in example


def test_what_etk_adds_over_the_official_template(page):
    adds = section(page, "What this template adds to Camunda's Azure OpenAI Connector")
    for phrase in ("**Microsoft Entra ID authentication**", "**A custom endpoint**", "**Timeouts**",
                   "**The api-version rule for the completions extension**"):
        assert phrase in adds, phrase
    rule = section(page, "The completions extension and the api-version")
    assert '`substring(apiVersion, 1, 10) < "2024-02-01"`' in rule
    assert "/extensions/chat/completions` with\n  `dataSources`" in rule
    # the Entra ID types are documented with their secrets
    authentication = section(page, "Authentication")
    assert "### Microsoft Entra ID access token" in authentication
    assert "### Microsoft Entra ID client credentials" in authentication
    assert "scope `https://cognitiveservices.azure.com/.default`" in authentication


def test_screenshots_are_a_marked_placeholder_until_the_preview_tooling_provides_them(page):
    operations = section(page, "Operations")
    if "![The properties panel with" in operations:
        assert operations.count("![The properties panel with") == 3
    else:
        assert operations.count("> **Screenshot placeholder.**") == 3
        assert "This is not a picture of the panel." in operations


def test_the_version_history_shows_what_version_2_changed(page):
    assert re.search(r"^\| Version \| \d+ \(older: (\d+, )*1; see \[Version history\]\(#version-history\)\) \|$", page, flags=re.MULTILINE)
    version_2 = section(section(page, "Version history"), "Version 2", level=3)
    assert version_2.startswith("\n\nChanges from version 1:\n")
    changes = {line.split("`", 2)[1]: line for line in version_2.splitlines() if line.startswith("- ")}  # by binding
    # the panel fixes of version 2: optional dropdowns lost their empty "not set" choice ...
    assert changes["input completion_echo"] == (
        "- Echo the prompt (`input completion_echo`, shown when Operation is Completion): "
        'default "" removed; choice Not set (API default) ("") removed'
    )
    # ... the completions' log probabilities got the label of what they are
    assert "label Log probabilities → Top log probabilities" in changes["input completion_logprobs"]
