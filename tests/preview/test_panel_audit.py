"""The panel audit in headless Chromium: every template in dist/ shows what a user should see;
version 1 of the Azure template shows the problems issue 8 reported (so the audit is real); and
Camunda's own Azure OpenAI template (npm package, test input only) as a comparison."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.definition import load_definition
from generator.preview import PreviewInput
from generator.preview.audit import TemplateAudit, audit_templates
from generator.validate.loading import load_template_file
from tests.preview.conftest import REPO, SCREENSHOTS

DIST = sorted((REPO / "dist").glob("*.json"))
UPSTREAM_AZURE = (REPO / "tools" / "node_modules" / "@camunda" / "connectors-element-templates" / "src"
                  / "element-templates" / "azure-open-ai-connector.json")


def audit_file(path: Path, example: dict[str, str] | None = None, screenshots: Path | None = SCREENSHOTS) -> TemplateAudit:
    preview = PreviewInput.for_template(load_template_file(path))
    return audit_templates(preview, screenshots=screenshots, stem=path.stem, example=example).audits[0]


def figures(audit: TemplateAudit) -> str:
    """Per state: red messages (wrong ones) and required fields still empty; printed for the report."""
    lines = [f"{audit.template_id} v{audit.version}: {len(audit.states)} states, {len(audit.tooltips)} tooltips"]
    for state in audit.states:
        wrong = len(state.unexpected_red_messages())
        lines.append(f"  [{state.name}] {len(state.fields)} fields, red {wrong}, required-empty {len(state.red_messages()) - wrong}")
    return "\n".join(lines)


@pytest.mark.parametrize("path", DIST, ids=lambda path: path.stem)
def test_every_dist_template_shows_no_red_no_cut_tooltip_and_no_double_equals(path, browser_available):
    example = load_definition(REPO / "templates" / f"{path.stem}.yaml").example
    audit = audit_file(path, example.as_mapping() if example else None)
    print(figures(audit))
    assert audit.errors == []
    assert audit.example is not None and audit.example.red_messages() == []
    # every tooltip of every field the walk showed was read, in full
    tooltipped = {(each.group, each.label) for state in audit.states for each in state.fields if each.has_tooltip}
    assert len(audit.tooltips) == len(tooltipped) and all(audit.tooltips.values())
    assert audit.cut_tooltips == [] and audit.double_equals == []
    for screenshot in audit.screenshots:
        assert Path(screenshot).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    if path.stem == "azure-openai":
        check_azure_walk(audit)
    else:
        assert [Path(each).name for each in audit.screenshots] == ["default.png"]


def check_azure_walk(audit: TemplateAudit) -> None:
    names = [state.name for state in audit.states]
    assert names[0] == "as applied"
    for needed in ("Operation = Completion", "Operation = Completions extension (on your data)",
                   "Authentication type = Microsoft Entra ID client credentials", "Endpoint type = Custom endpoint URL",
                   "Response format = JSON schema (structured output)",
                   "Operation = Completions extension (on your data), Data source = Azure Cosmos DB for MongoDB vCore"):
        assert needed in names
    assert [Path(path).name for path in audit.screenshots] == ["completion.png", "chatCompletion.png", "completionsExtension.png"]
    chat = audit.states[0]
    assert [each.label for each in chat.fields if each.group == "Endpoint"] == ["Endpoint type", "Resource name", "Deployment ID", "API version"]
    cosmos = next(state for state in audit.states if "Cosmos DB" in state.name)
    assert [each.label for each in cosmos.fields if each.group == "Data source"][:5] == [
        "Data source", "Connection string", "Database name", "Container name", "Index name"]
    log_probabilities = next(each for each in chat.fields if each.label == "Log probabilities")
    assert log_probabilities.kind == "Dropdown" and [c["label"] for c in log_probabilities.choices] == ["", "Yes", "No"]
    assert audit.tooltips["Endpoint / Resource name"] == (
        "The name of your Azure OpenAI resource, e.g. myresource for https://myresource.openai.azure.com.")


def test_version_1_shows_the_problems_the_audit_exists_for(browser_available):
    audit = audit_file(REPO / "dist" / "versioned" / "azure-openai-1.json", screenshots=None)
    print(figures(audit))
    red = {state.name: len(state.unexpected_red_messages()) for state in audit.states}
    assert red["as applied"] == 10  # chat completion: the ten pattern messages
    assert red["Operation = Completion"] == 9
    assert red["Operation = Completions extension (on your data)"] == 7
    assert any("Resource name" in cut and "'Your Azure OpenAI resource, the'" in cut for cut in audit.cut_tooltips)
    doubled = sorted(entry.split("'")[1] for entry in audit.double_equals)
    assert doubled == ["Content fields", "JSON schema", "Message context", "Message context", "Result expression", "Vector fields"]
    chat = audit.states[0]
    log_probabilities = next(each for each in chat.fields if each.label == "Log probabilities")
    assert [c["label"] for c in log_probabilities.choices] == ["", "Not set (API default)", "Yes", "No"]


@pytest.mark.skipif(not UPSTREAM_AZURE.is_file(), reason="the npm tools are not installed (npm ci --prefix tools)")
def test_camundas_azure_openai_template_for_comparison(browser_available, tmp_path):
    """Camunda's own template (test input, never committed): its newest version through the same audit."""
    newest = max(json.loads(UPSTREAM_AZURE.read_text()), key=lambda template: template["version"])
    path = tmp_path / "upstream-azure-openai.json"
    path.write_text(json.dumps(newest), encoding="utf-8")
    audit = audit_file(path, screenshots=None)
    print(figures(audit))
    print(f"upstream: {len(audit.errors)} problem(s): " + "; ".join(audit.errors))
    assert len(audit.states) >= 3
    assert sum(len(state.unexpected_red_messages()) for state in audit.states) == 0
