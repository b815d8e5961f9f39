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
from tests.etk_cli import etk
from tests.preview.conftest import REPO, SCREENSHOTS

DIST = sorted((REPO / "dist").glob("*.json"))
UPSTREAM_AZURE = (REPO / "tools" / "node_modules" / "@camunda" / "connectors-element-templates" / "src"
                  / "element-templates" / "azure-open-ai-connector.json")


def audit_file(path: Path, values: dict[str, str] | None = None, screenshots: Path | None = SCREENSHOTS) -> TemplateAudit:
    preview = PreviewInput.for_template(load_template_file(path))
    return audit_templates(preview, screenshots=screenshots, stem=path.stem, values=values).audits[0]


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
    assert audit.typed is not None and audit.typed.red_messages() == []
    # every tooltip of every field the walk showed was read, in full
    tooltipped = {(each.group, each.label) for state in audit.states for each in state.fields if each.has_tooltip}
    assert len(audit.tooltips) == len(tooltipped) and all(audit.tooltips.values())
    assert audit.cut_tooltips == [] and audit.cut_descriptions == [] and audit.double_equals == []
    for screenshot in audit.screenshots:
        assert Path(screenshot).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    if path.stem == "azure-openai":
        check_azure_walk(audit)
    else:
        assert [Path(each).name for each in audit.screenshots] == ["default.png", "typed.png"]


def check_azure_walk(audit: TemplateAudit) -> None:
    names = [state.name for state in audit.states]
    assert names[0] == "as applied"
    for needed in ("Operation = Completion", "Operation = Completions extension (on your data)",
                   "Authentication type = Microsoft Entra ID client credentials", "Endpoint type = Custom endpoint URL",
                   "Response format = JSON schema (structured output)",
                   "Operation = Completions extension (on your data), Data source = Azure Cosmos DB for MongoDB vCore"):
        assert needed in names
    assert [Path(path).name for path in audit.screenshots] == [
        "completion.png", "chatCompletion.png", "completionsExtension.png", "typed.png"]
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


TINY = {
    "$schema": "https://unpkg.com/@camunda/zeebe-element-templates-json-schema/resources/schema.json",
    "name": "Tiny", "id": "io.etk.test.Tiny", "version": 1,
    "appliesTo": ["bpmn:Task"], "elementType": {"value": "bpmn:ServiceTask"},
    "groups": [{"id": "main", "label": "Main"}],
    "properties": [
        {"type": "Hidden", "value": "io.camunda:http-json:1", "binding": {"type": "zeebe:taskDefinition", "property": "type"}},
        {"id": "url", "label": "URL", "group": "main", "type": "String", "feel": "optional",
         "binding": {"type": "zeebe:input", "name": "url"},
         "constraints": {"notEmpty": True, "pattern": {"value": "^(=|https?://).*", "message": "must be a http(s) URL"}},
         "description": "The address, e.g. https://<host>/items", "tooltip": "Where the <strong>request</strong> goes."},
        {"id": "depth", "label": "Depth", "group": "main", "type": "String", "binding": {"type": "zeebe:input", "name": "depth"},
         "constraints": {"notEmpty": True}, "condition": {"property": "mode", "equals": "deep"},
         "description": "How deep to <em>look</em>."},
        {"id": "mode", "label": "Mode", "group": "main", "type": "Dropdown", "value": "flat",
         "choices": [{"name": "Flat", "value": "flat"}, {"name": "Deep", "value": "deep"}],
         "binding": {"type": "zeebe:input", "name": "mode"}},
    ],
}


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.json"
    path.write_text(json.dumps(TINY), encoding="utf-8")
    return path


def test_descriptions_are_checked_like_tooltips(browser_available, tiny):
    audit = audit_file(tiny, screenshots=None)
    # the panel drops markup it does not know with the text it encloses (unclosed: everything after it)
    assert audit.descriptions == {"Main / URL": "The address, e.g. https://", "Main / Depth": "How deep to look."}
    assert audit.cut_descriptions == [
        "description of 'URL' is rendered as 'The address, e.g. https://', not in full: 'The address, e.g. https://<host>/items'"]
    assert audit.tooltips == {"Main / URL": "Where the request goes."} and audit.cut_tooltips == []
    assert audit.errors == audit.cut_descriptions


def test_the_cli_types_set_values_and_counts_every_red_message_after(browser_available, tiny, tmp_path):
    # Depth comes before Mode in the template and shows only once Mode is Deep: typed after it
    result = etk("preview", str(tiny), "--audit", "--set", "depth=", "--set", "mode=deep", "--set", "url=ftp://example.com",
                 "--screenshots", str(tmp_path / "shots"))
    assert result.exit_code == 1, result.output
    assert "\n  after typing 3 values: 2 red\n    depth = \n    mode = deep\n    url = ftp://example.com\n" \
           "      RED: URL: URL must be a http(s) URL\n      RED: Depth: Depth must not be empty.\n" in result.stdout
    assert result.stdout.endswith(
        "3 problem(s):\n"
        "  io.etk.test.Tiny v1: red message after typing the values: URL: URL must be a http(s) URL\n"
        "  io.etk.test.Tiny v1: red message after typing the values: Depth: Depth must not be empty.\n"
        "  io.etk.test.Tiny v1: description of 'URL' is rendered as 'The address, e.g. https://', not in full: "
        "'The address, e.g. https://<host>/items'\n")
    assert sorted(path.name for path in (tmp_path / "shots" / "tiny").iterdir()) == ["default.png", "typed.png"]
    fixed = etk("preview", str(tiny), "--audit", "--format", "json", "--set", "mode=deep", "--set", "depth=3",
                "--set", "url=https://example.com")
    report = json.loads(fixed.stdout)
    typed = report["templates"][0]["typed"]
    assert [(each["label"], each["errors"]) for each in typed["fields"] if each["group"] == "Main"] == [
        ("URL", []), ("Depth", []), ("Mode", [])]
    assert fixed.exit_code == 1 and len(report["errors"]) == 1  # the description is still cut


def test_the_cli_types_a_definitions_example(browser_available):
    result = etk("preview", str(REPO / "dist" / "rest.json"), "--audit", "--example", str(REPO / "templates" / "rest.yaml"))
    assert result.exit_code == 0, result.output
    assert "\n  after typing 7 values: 0 red\n    authentication.type = bearer\n" in result.stdout
    assert result.stdout.endswith("\n0 problem(s)\n")


@pytest.mark.parametrize(("args", "message"), [
    (["--set", "nosuch=1"], "etk: error: unknown property 'nosuch' for template 'io.etk.connectors.Rest.v1': "
                            "no property has this id or binding name"),
    (["--set", "body={}"], "etk: error: property 'body' is not active: it requires method one of POST, PUT, PATCH (current: GET)"),
    (["--set", "novalue"], "etk: error: --set 'novalue': expected NAME=VALUE"),
    (["--example", "templates/azure-openai.yaml"], "etk: error: --example templates/azure-openai.yaml: the definition "
                                                   "builds io.etk.connectors.AzureOpenAI.v1, not io.etk.connectors.Rest.v1"),
])
def test_values_are_checked_before_any_browser_starts(args, message, monkeypatch):
    monkeypatch.chdir(REPO)
    monkeypatch.setenv("ETK_CHROMIUM", "/no/chromium")  # it would fail with another message
    result = etk("preview", "dist/rest.json", "--audit", *args)
    assert result.exit_code == 2 and result.stderr.startswith(message), result.stderr
