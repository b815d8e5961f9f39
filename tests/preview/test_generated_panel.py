"""Templates etk writes for a user, in the real properties panel (headless Chromium): definitions from
`etk from-openapi` (Azure OpenAI's own description, the README's worked example, a streaming chat API)
and a Camunda template through `etk import` (test input from the npm package, never committed).

Each is built, then audited as `etk preview --audit` does: no red message on a state the user has not
typed into, none after typing the definition's example values, every tooltip rendered in full, no
placeholder that stores `==`; and what a user would notice: one empty entry per dropdown at most,
required fields before optional ones in each group, labels with the usual capitals, no field that
asks for a streamed answer, an authentication the user can fill in as the default.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.definition import load_definition
from generator.preview.audit import PanelState, TemplateAudit
from tests.preview.conftest import REPO, SCREENSHOTS
from tests.preview.test_panel_audit import audit_file, figures

SPECS = REPO / "tests" / "openapi" / "specs"
CONNECTORS = REPO / "tools" / "node_modules" / "@camunda" / "connectors-element-templates" / "src" / "element-templates"
AZURE_SPEC = Path("upstream/azure-openai/2024-10-21/inference.json")
GENERATED = ("azure-openai-generated", "todo", "chat")
IMPORTED = ("asana-connector",)  # two dropdowns (operation group, operation) switching 8 states


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, shared_dir: Path) -> Path:
    """tmp/templates (generated and imported definitions) built into tmp/dist."""
    folder = tmp_path_factory.mktemp("panel")
    templates = folder / "templates"
    commands = [
        ["from-openapi", str(shared_dir / AZURE_SPEC), "--operations", "ChatCompletions_Create,Completions_Create",
         "-o", str(templates / "azure-openai-generated.yaml")],
        ["from-openapi", str(SPECS / "todo.yaml"), "-o", str(templates / "todo.yaml")],
        ["from-openapi", str(SPECS / "chat.yaml"), "-o", str(templates / "chat.yaml")],
    ]
    if CONNECTORS.is_dir():
        commands += [["import", str(CONNECTORS / f"{name}.json"), "-o", str(templates / f"{name}.yaml")] for name in IMPORTED]
    for command in [*commands, ["build", str(templates), "-o", str(folder / "dist")]]:
        result = CliRunner().invoke(main, command)
        assert result.exit_code == 0, result.output
    return folder


def audit(built: Path, name: str) -> TemplateAudit:
    example = load_definition(built / "templates" / f"{name}.yaml").example
    result = audit_file(built / "dist" / f"{name}.json", example.as_mapping() if example else None, screenshots=SCREENSHOTS)
    print(figures(result))
    assert result.errors == []
    assert result.typed is not None and result.typed.red_messages() == []
    for state in result.states:
        for field in state.fields:
            empty = [choice for choice in field.choices or () if not choice["value"] or "not set" in choice["label"].lower()]
            assert len(empty) <= 1, f"{field.label} offers 'not set' twice in [{state.name}]: {field.choices}"
    return result


def required_first(state: PanelState, group: str) -> list[bool]:
    """Per field of `group` whether it is required: a required field never follows an optional one."""
    flags = [field.required for field in state.fields if field.group == group]
    assert flags == sorted(flags, reverse=True), f"[{state.name}] {group}: an optional field before a required one"
    return flags


@pytest.mark.parametrize("name", GENERATED)
def test_generated_definitions_in_the_panel(built: Path, name: str, browser_available: None) -> None:
    result = audit(built, name)
    labels = {field.label for state in result.states for field in state.fields}
    assert not {label for label in labels if label and label.lower() in ("stream", "streaming")}
    assert not [label for label in labels if label and (label.endswith(" id") or " id " in label)]
    for state in result.states:
        required_first(state, "Request body")
        required_first(state, "Parameters")
    if name == "azure-openai-generated":
        chat = next(state for state in result.states if "chat message" in state.name)
        assert [field.label for field in chat.fields if field.group == "Parameters"] == ["Deployment ID", "API version"]
        assert required_first(chat, "Request body")[:2] == [True, False]  # Messages first
        authentication = next(field for field in chat.fields if field.label == "Authentication")
        assert [choice["label"] for choice in authentication.choices or ()] == ["API key (api-key header)", "Bearer token"]
        prompt = result.tooltips["Request body / Prompt"]
        assert prompt.endswith("Text, or with FEEL (fx) a list.") and "â€" not in json.dumps(result.tooltips)


@pytest.mark.skipif(not CONNECTORS.is_dir(), reason="the npm tools are not installed (npm ci --prefix tools)")
@pytest.mark.parametrize("name", IMPORTED)
def test_imported_templates_in_the_panel(built: Path, name: str, browser_available: None) -> None:
    """An imported template shows in the panel as the original does; its `example:` fills it without red."""
    original = json.loads((CONNECTORS / f"{name}.json").read_text())
    newest = max(original if isinstance(original, list) else [original], key=lambda template: template.get("version", 0))
    rebuilt = json.loads((built / "dist" / f"{name}.json").read_text())
    assert rebuilt["properties"] == newest["properties"]
    result = audit(built, name)
    assert len(result.states) >= 8
