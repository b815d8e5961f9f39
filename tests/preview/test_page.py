"""`etk preview` writes one self-contained offline page (no browser needed for these tests)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest

from generator.preview import PreviewInput, render_page
from generator.preview.page import ASSET_NAMES, asset_text
from generator.validate.loading import load_template_file
from tests.etk_cli import etk
from tests.preview.conftest import REPO

AZURE = REPO / "dist" / "azure-openai.json"


def config_of(page: str) -> dict:
    match = re.search(r'<script type="application/json" id="etk-preview-config">(.*?)</script>', page, re.S)
    assert match
    return json.loads(match.group(1))


def test_the_page_is_self_contained_and_offline():
    page = render_page(PreviewInput.for_template(load_template_file(AZURE)))
    # nothing is loaded from elsewhere: no external scripts, styles, fonts or images
    markup = re.sub(r"(<script[^>]*>).*?(</script>)|(<style>).*?(</style>)", r"\1\2\3\4", page, flags=re.S)
    assert re.findall(r"<(?:script|link|img|iframe)[^>]+(?:src|href)=", markup) == []
    styles = "".join(re.findall(r"<style>(.*?)</style>", page, re.S))
    assert re.findall(r"url\((?![\"']?data:)", styles) == []
    assert "<title>Azure OpenAI Connector version 2 - etk preview</title>" in page
    assert page.count("</script>") == 2  # the config and the bundle; nothing inside them ends a script early
    config = config_of(page)
    assert [t["version"] for t in config["templates"]] == [2] and config["element"] == "Task_1"
    assert '<bpmn:task id="Task_1"' in config["diagram"]  # a plain task: the Modeler applies the template
    # bpmn-js has the bpmn.io licence (MIT plus: keep the bpmn.io watermark, which the page shows)
    assert "bpmn-js 18.31.1 (SEE LICENSE IN LICENSE)" in page and "bpmn-js-element-templates 2.37.0 (MIT)" in page


def test_every_bundled_package_has_its_licence_text():
    notices = asset_text("THIRD-PARTY-NOTICES.txt")
    headers = re.findall(r"^(\S+) (\d[^ ]*) \((.*)\)\n-{60}\n(.)", notices, re.M)
    names = {name for name, *_ in headers}
    assert {"bpmn-js", "bpmn-js-properties-panel", "bpmn-js-element-templates", "zeebe-bpmn-moddle",
            "camunda-bpmn-js-behaviors", "diagram-js", "@bpmn-io/properties-panel", "preact"} <= names
    # a package without a licence file is named with the licence its package.json declares
    assert re.findall(r"^(\S+) \S+ \((\S+)\)\n-+\n\(no licence file", notices, re.M) == [("@bpmn-io/semver-compat", "MIT")]


def test_cli_writes_the_page(tmp_path):
    target = tmp_path / "azure.html"
    result = etk("preview", str(AZURE), "-o", str(target))
    assert result.exit_code == 0, result.output
    assert result.stderr == f"etk: wrote the preview of io.etk.connectors.AzureOpenAI.v1 ({len(target.read_text()) // 1024} KiB, offline): {target}\n"


def test_cli_shows_an_element_of_a_diagram(tmp_path):
    target = tmp_path / "example.html"
    result = etk("preview", str(AZURE), "--bpmn", str(REPO / "dist" / "examples" / "azure-openai.bpmn"),
                     "--element", "Task_1", "-o", str(target))
    assert result.exit_code == 0, result.output
    config = config_of(target.read_text())
    assert config["fileName"] == "azure-openai.bpmn"
    assert 'zeebe:modelerTemplate="io.etk.connectors.AzureOpenAI.v1"' in config["diagram"]


@pytest.mark.parametrize(("args", "message"), [
    (["--bpmn", "dist/examples/azure-openai.bpmn"], "--bpmn needs --element"),
    (["--element", "Task_1"], "--element needs --bpmn"),
    (["--screenshots", "x"], "--screenshots needs --audit"),
    (["--set", "url=x"], "--set needs --audit"),
    (["--example", "templates/rest.yaml"], "--example needs --audit"),
])
def test_usage_errors(args, message, tmp_path):
    result = etk("preview", str(AZURE), *[str(REPO / a) if a.startswith("dist/") else a for a in args],
                     "-o", str(tmp_path / "p.html"))
    assert result.exit_code == 2 and message in result.output
    assert not (tmp_path / "p.html").exists()


def test_unknown_element_and_missing_template(tmp_path):
    result = etk("preview", str(AZURE), "--bpmn", str(REPO / "dist" / "examples" / "azure-openai.bpmn"),
                     "--element", "Task_9", "-o", str(tmp_path / "p.html"))
    assert result.exit_code == 2 and result.stderr.startswith("etk: error: ") and "Task_9" in result.stderr
    result = etk("preview", str(tmp_path / "missing.json"))
    assert result.exit_code == 2 and result.stderr.startswith("etk: error: ")
    assert "Traceback" not in result.output and list(tmp_path.iterdir()) == []


@pytest.mark.node
def test_the_committed_bundle_is_what_the_pinned_sources_build(node_tools, tmp_path):
    """Reproducible: a fresh build from tools/ gives the committed bytes (CI also runs --check)."""
    if shutil.which("node") is None:
        pytest.skip("node is not installed")
    result = subprocess.run(["node", str(node_tools / "build-preview-bundle.mjs"), "--check"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"generator/preview/assets is up to date ({', '.join(('modeler.js', 'modeler.css', 'THIRD-PARTY-NOTICES.txt'))})\n"
    assert set(ASSET_NAMES) == {"modeler.js", "modeler.css", "THIRD-PARTY-NOTICES.txt"}


def test_the_audit_without_chromium_says_what_to_install(tmp_path):
    result = etk("preview", str(AZURE), "--audit", "--chromium", str(tmp_path / "no-chromium"))
    assert result.exit_code == 2
    assert result.stderr == (f"etk: error: --audit: no Chromium at {tmp_path / 'no-chromium'}: install Debian's chromium "
                             "(`apt-get install chromium`) or point --chromium / $ETK_CHROMIUM at a Chromium executable\n")
