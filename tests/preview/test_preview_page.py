"""The `etk preview` page in headless Chromium, used as a user would: switch operations, type the
documentation's example into the panel, read the XML pane, download the diagram and run it."""

from __future__ import annotations

import json
import os

import pytest
from lxml import etree

from generator.bpmn import TEMPLATED_ID, apply_in_diagram, example_diagram, parse_diagram
from generator.preview import PreviewInput, render_page
from generator.preview.audit import PanelSession, type_values
from generator.preview.browser import open_preview
from generator.testing.azure_openai import DOCUMENTED_ANSWER, FakeAzureOpenAI
from generator.validate.loading import load_template_file
from tests.azure_example import DOCUMENTED_MESSAGES, DOCUMENTED_VALUES
from tests.bpmn.golden import canonical
from tests.etk_cli import etk
from tests.preview.conftest import REPO, SCREENSHOTS

AZURE = REPO / "dist" / "azure-openai.json"
README_SCREENSHOT = REPO / "tests" / "preview" / "azure-openai-preview.png"  # shown in README.md
API_KEY = "azure-key-7f3c9e1d"


@pytest.fixture(scope="module")
def azure() -> dict:
    return load_template_file(AZURE)[0]


@pytest.fixture
def session(browser_available, azure):
    with open_preview(render_page(PreviewInput.for_template([azure], "azure-openai.bpmn"))) as page:
        yield PanelSession(page, azure)


def labels(session: PanelSession, group: str) -> list[str]:
    return [each.label for each in session.read() if each.group == group]


def test_switching_the_operation_changes_the_fields(session):
    assert labels(session, "Message") == ["Message role", "Message content", "Message context"]
    session.select(session.entry_of("operation", session.read()).entry_id, "completion")
    assert labels(session, "Message") == ["Prompt"]
    assert "Echo the prompt" in labels(session, "Model parameters")
    assert 'target="completion_url"' not in session.page.inner_text("#task-xml")  # ids are not input names
    assert 'source="completion" target="operation"' in session.page.inner_text("#task-xml")


def typed_task_xml(session: PanelSession, values: dict[str, str]) -> str:
    state = type_values(session, values)
    assert state.red_messages() == []
    session.page.evaluate("() => window.etkPreview.settled()")
    return session.page.inner_text("#task-xml")


def full_task_xml(session: PanelSession) -> str:
    """The task's XML as the pane has it (and Copy XML copies it): the template icon whole."""
    xml: str = session.page.evaluate("() => window.etkPreview.taskXml()")
    return xml


def test_typed_values_show_in_the_xml_pane_exactly_as_etk_apply_writes_them(session, azure):
    pane = typed_task_xml(session, DOCUMENTED_VALUES)
    full = full_task_xml(session)
    # the pane shortens the template icon's data URI (a kilobyte of base64) and says how much it left out
    icon = azure["icon"]["contents"]
    head = len("data:image/svg+xml;base64,") + 24
    shown = f"{icon[:head]}… [{len(icon) - head} more characters, copied in full]"
    assert icon not in pane and f'zeebe:modelerTemplateIcon="{shown}"' in pane
    assert pane.strip() == full.replace(icon, shown).strip() and f'zeebe:modelerTemplateIcon="{icon}"' in full
    assert '<zeebe:input source="myresource" target="resourceName" />' in pane
    assert '<zeebe:input source="What is the age of the Universe?" target="chatCompletion_messageContent" />' in pane
    assert '<zeebe:input source="=[{&#34;role&#34;: &#34;system&#34;, &#34;content&#34;: &#34;You are helpful assistant.&#34;}]" target="chatCompletion_messageContext" />' in pane
    assert '<zeebe:output source="=response" target="myOpenAIResponse" />' not in pane  # a result variable is a header
    diagram = parse_diagram(example_diagram(azure, applied=False), "preview")
    apply_in_diagram(diagram, TEMPLATED_ID, azure, DOCUMENTED_VALUES, known_templates=[azure])
    written = etree.tostring(diagram.find_element(TEMPLATED_ID))
    assert canonical(full) == canonical(written)


def test_the_copy_button_copies_the_whole_xml(session, azure):
    session.page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    session.page.click("#copy-xml")
    session.page.wait_for_function("() => document.getElementById('status').textContent !== ''")
    copied = session.page.evaluate("() => navigator.clipboard.readText()")
    assert copied == full_task_xml(session) and azure["icon"]["contents"] in copied
    assert session.page.inner_text("#status") == "Copied."


def test_the_documented_example_from_the_panel_to_the_http_request(session, tmp_path):
    """One chain: typed into the real panel, saved from the page, run by etk against the fake Azure."""
    typed_task_xml(session, DOCUMENTED_VALUES)
    with session.page.expect_download() as download:
        session.page.click("#download-diagram")
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name == "azure-openai.bpmn"
    # the README's picture: ETK_UPDATE_README_SCREENSHOT=1 writes it into the repository
    session.page.evaluate("() => [...document.querySelectorAll('.bio-properties-panel-group-header-title')]"
                          ".find(title => title.textContent === 'Operation').scrollIntoView()")
    target = README_SCREENSHOT if os.environ.get("ETK_UPDATE_README_SCREENSHOT") else SCREENSHOTS / README_SCREENSHOT.name
    target.parent.mkdir(parents=True, exist_ok=True)
    session.page.screenshot(path=str(target))

    secrets = tmp_path / "secrets.env"
    secrets.write_text(f"AZURE_OAI_SECRET={API_KEY}\n", encoding="utf-8")
    with FakeAzureOpenAI(api_keys=[API_KEY], tls=True) as fake:
        result = etk("run", str(saved), "--element", TEMPLATED_ID, "--secrets-file", str(secrets),
                     "--connect-to", f"myresource.openai.azure.com:443:127.0.0.1:{fake.port}", "--ca-file", str(fake.ca_file))
        assert result.exit_code == 0, result.output
        request = fake.requests[-1]
    assert request.method == "POST"
    assert (request.path, request.query) == ("/openai/deployments/mydeployment/chat/completions", {"api-version": "2024-02-01"})
    assert request.json == {"messages": DOCUMENTED_MESSAGES}
    assert request.headers["api-key"] == API_KEY
    variables = json.loads(result.stdout)
    assert list(variables) == ["myOpenAIResponse"]
    response = variables["myOpenAIResponse"]
    assert response["status"] == 200 and set(response) >= {"status", "headers", "body"}
    assert response["body"]["object"] == "chat.completion"
    assert response["body"]["choices"][0]["message"] == {"role": "assistant", "content": DOCUMENTED_ANSWER}
    assert set(response["body"]["usage"]) == {"completion_tokens", "prompt_tokens", "total_tokens"}


def test_panel_screenshots_for_documentation_pages(browser_available, azure):
    """The callable the docs pages use: one PNG per operation, each after typing its values."""
    from generator.preview.audit import panel_screenshots

    values = {"chatCompletion": DOCUMENTED_VALUES, "completion": {"completion_prompt": "Say this is a test"}}
    shots = panel_screenshots(azure, values)
    assert [shot.operation for shot in shots] == ["completion", "chatCompletion", "completionsExtension"]
    assert all(shot.png[:8] == b"\x89PNG\r\n\x1a\n" for shot in shots)
    by_operation = {shot.operation: shot.red_messages for shot in shots}
    assert by_operation["chatCompletion"] == [] and by_operation["completion"] == [
        "API key: API key must not be empty.", "Resource name: Resource name must not be empty.",
        "Deployment ID: Deployment ID must not be empty."]
    assert "Message content: Message content must not be empty." in by_operation["completionsExtension"]
