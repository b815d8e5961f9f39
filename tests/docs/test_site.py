"""`etk docs` and `etk build --docs` on a small project and on the repository: what is written,
determinism, the check, broken links, user templates, errors at the definition's lines, and the
version history from dist/versioned/."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from tests.docs.conftest import SHOP, line_of, set_definition
from tests.etk_cli import etk, snapshot

REPO = Path(__file__).resolve().parents[2]
PAGES = ["index.html", "index.md", "shop.html", "shop.md"]


def test_docs_writes_a_markdown_and_an_html_page_per_definition_and_an_index(project):
    result = etk("docs")
    assert result.exit_code == 0, result.output
    assert sorted(snapshot(project / "dist" / "docs")) == PAGES
    assert result.output.splitlines() == [f"wrote dist/docs/{name}" for name in PAGES]
    index = (project / "dist" / "docs" / "index.md").read_text(encoding="utf-8")
    assert "| [Shop Connector](shop.md) | `io.etk.test.Shop.v1` | 1 | [Read item](shop.md#read-item), [List items](shop.md#list-items) | Read and list shop items |" in index


def test_the_example_result_comes_from_the_runtime_against_the_scripted_reply(project):
    assert etk("docs").exit_code == 0
    page = (project / "dist" / "docs" / "shop.md").read_text(encoding="utf-8")
    example = page.split("## Example: List ten items", 1)[1]
    request = re.search(r"```http\n(GET .*?)\n```", example, flags=re.DOTALL).group(1)
    assert request == "GET https://shop.example.com/items?limit=10\nAuthorization: Bearer ***"
    result = json.loads(re.search(r"holds:\n\n```json\n(.*?)\n```", example, flags=re.DOTALL).group(1))
    assert result == {
        "status": 200,
        "headers": {
            "Server": "etk-reply-server", "Date": "...", "Content-Type": "application/json", "Content-Length": "142",
            "X-Request-Id": "...",
        },
        "body": {"items": [{"id": 1, "name": "Apple"}, {"id": 2, "name": "Pear"}], "requestId": "..."},
        "reason": "OK",
    }
    response = page.split("## Response handling", 1)[1].split("## Rate limits", 1)[0]
    assert '```json\n{\n  "count": 2\n}\n```' in response
    # the wrong token is refused by the server (401), which the error expression turns into a BPMN error
    assert "With **Token** = `wrong-token`, it gives:" in response
    assert '"code": "SHOP_UNAUTHORIZED",\n  "message": "Unauthorized"' in response


def test_docs_is_deterministic_and_a_rerun_changes_nothing(project):
    assert etk("docs").exit_code == 0
    first = snapshot(project / "dist" / "docs")
    again = etk("docs")
    assert again.output.splitlines()[-1] == "nothing changed"
    assert snapshot(project / "dist" / "docs") == first
    assert etk("docs", "-o", "other").exit_code == 0
    assert snapshot(project / "other") == first


def test_the_repository_docs_are_current():
    """dist/docs/ is what the definitions document (the CI check `etk build --check --docs`)."""
    result = etk("build", str(REPO / "templates"), "-o", str(REPO / "dist"), "--check", "--docs")
    assert result.exit_code == 0, result.output


def test_build_docs_writes_templates_and_pages_and_check_passes(project):
    result = etk("build", "--docs")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["wrote dist/shop.json (version 1)", *(f"wrote dist/docs/{name}" for name in PAGES)]
    check = etk("build", "--check", "--docs")
    assert check.exit_code == 0
    assert check.output == "dist is up to date (1 template, 1 documentation page)\n"


def test_check_fails_when_a_definition_changed_and_its_page_was_not_regenerated(project):
    assert etk("build", "--docs").exit_code == 0
    set_definition(project, SHOP.replace("Items of the *shop* service.", "Items of the *shop* service, documented anew."))
    before = snapshot(project / "dist")
    result = etk("build", "--check", "--docs")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "stale dist/docs/shop.html: it differs from what its definition documents: run `etk build --docs` (or `etk docs`)",
        "stale dist/docs/shop.md: it differs from what its definition documents: run `etk build --docs` (or `etk docs`)",
    ]
    assert "dist is not up to date: 2 problems" in result.stderr
    assert snapshot(project / "dist") == before
    assert etk("docs", "--check").exit_code == 1


def test_check_reports_missing_pages(project):
    assert etk("build").exit_code == 0
    result = etk("build", "--check", "--docs")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [f"missing dist/docs/{name}: run `etk build --docs` (or `etk docs`)" for name in PAGES]


def test_a_page_without_a_definition_is_refused_and_nothing_is_written(project):
    assert etk("docs").exit_code == 0
    (project / "dist" / "docs" / "gone.md").write_text("# Gone\n", encoding="utf-8")
    set_definition(project, SHOP.replace("Items of the *shop* service.", "Changed."))
    before = snapshot(project / "dist")
    result = etk("docs")
    assert result.exit_code == 2
    assert result.stderr == (
        "etk: error: nothing written: 1 problem with the docs folder\n"
        "dist/docs/gone.md is not generated from any definition: delete it if its connector or operation was removed\n"
    )
    assert snapshot(project / "dist") == before


def test_user_templates_override_the_built_in_ones(project):
    (project / "jinja").mkdir()
    (project / "jinja" / "index.md.j2").write_text(
        "# Our connectors\n\n{% for page in pages %}- [{{ page.name | md }}]({{ page.markdown_file }}#example-list-ten-items)\n{% endfor %}",
        encoding="utf-8",
    )
    result = etk("docs", "--templates", "jinja")
    assert result.exit_code == 0, result.output
    docs = project / "dist" / "docs"
    assert (docs / "index.md").read_text(encoding="utf-8") == "# Our connectors\n\n- [Shop Connector](shop.md#example-list-ten-items)\n"
    assert '<a href="shop.html#example-list-ten-items">Shop Connector</a>' in (docs / "index.html").read_text(encoding="utf-8")
    assert (docs / "shop.md").read_text(encoding="utf-8").startswith("# Shop Connector\n")  # built-in page template


def test_build_docs_takes_the_same_user_templates(project):
    (project / "jinja").mkdir()
    (project / "jinja" / "style.css").write_text("body { color: #123456; }\n", encoding="utf-8")
    (project / "jinja" / "index.md.j2").write_text(
        "# Our connectors\n\n{% for page in pages %}- [{{ page.name | md }}]({{ page.markdown_file }})\n{% endfor %}",
        encoding="utf-8",
    )
    result = etk("build", "--docs", "--no-screenshots", "--docs-templates", "jinja")
    assert result.exit_code == 0, result.output
    docs = project / "dist" / "docs"
    assert (docs / "index.md").read_text(encoding="utf-8") == "# Our connectors\n\n- [Shop Connector](shop.md)\n"
    assert "body { color: #123456; }" in (docs / "shop.html").read_text(encoding="utf-8")
    assert etk("docs", "--check", "--templates", "jinja").exit_code == 0  # the same pages as etk docs writes
    assert etk("build", "--check", "--docs", "--docs-templates", "jinja").exit_code == 0
    stale = etk("build", "--check", "--docs")  # the built-in templates would write other pages
    assert stale.exit_code == 1 and "dist/docs/index.md" in stale.output
    without_docs = etk("build", "--docs-templates", "jinja")
    assert without_docs.exit_code == 2 and "--docs-templates is for the documentation pages: add --docs" in without_docs.stderr
    missing = etk("build", "--docs", "--docs-templates", "no-such-folder")
    assert missing.exit_code == 2 and missing.stderr.startswith("etk: error: ") and "no-such-folder" in missing.stderr


def test_a_broken_link_in_the_site_fails_and_writes_nothing(project):
    (project / "jinja").mkdir()
    (project / "jinja" / "index.md.j2").write_text(
        "# Index\n\n[page](shop.md#no-such-section) [gone](missing.md) [image](images/none.png)\n", encoding="utf-8"
    )
    result = etk("docs", "--templates", "jinja")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "etk: error: the documentation has 6 broken links:",
        "index.html: link 'shop.html#no-such-section' points to a missing anchor #no-such-section of shop.html",
        "index.html: link 'missing.html' points to missing.html, which the site does not have",
        "index.html: link 'images/none.png' points to images/none.png, which the site does not have",
        "index.md: link 'shop.md#no-such-section' points to a missing anchor #no-such-section of shop.md",
        "index.md: link 'missing.md' points to missing.md, which the site does not have",
        "index.md: link 'images/none.png' points to images/none.png, which the site does not have",
    ]
    assert not (project / "dist").exists()


def test_a_template_error_names_the_template_and_line(project):
    (project / "jinja").mkdir()
    (project / "jinja" / "page.md.j2").write_text("# {{ page.name }\n", encoding="utf-8")
    result = etk("docs", "--templates", "jinja")
    assert result.exit_code == 2
    assert result.stderr.startswith("etk: error: ")
    assert "page.md.j2:1: unexpected '}'" in result.stderr
    missing = etk("docs", "--templates", "no-such-folder")
    assert missing.exit_code == 2
    assert "no-such-folder" in missing.stderr and "Traceback" not in missing.stderr


def test_a_volatile_field_that_is_not_in_the_result_is_reported_at_its_line(project):
    text = SHOP.replace("volatile: [headers.Date, headers.X-Request-Id, body.requestId]", "volatile: [headers.Date, body.requestID2]")
    set_definition(project, text)
    result = etk("docs")
    assert result.exit_code == 2
    line = line_of(text, "volatile:")
    assert f"templates/shop.yaml:{line}:" in result.stderr
    assert "docs: volatile field 'body.requestID2' is not in the response in 'items'" in result.stderr


def test_an_example_that_fails_is_reported_with_the_outcome(project):
    set_definition(project, SHOP.replace("status: 200", "status: 503"))
    result = etk("docs")
    assert result.exit_code == 2
    assert f"templates/shop.yaml:{line_of(SHOP, '      reply:')}:" in result.stderr
    assert "docs: the example did not complete against a loopback server answering with the scripted reply" in result.stderr
    assert '"outcome": "failed"' in result.stderr


def test_an_error_expression_example_that_completes_is_reported(project):
    set_definition(project, SHOP.replace("values: {authentication.token: wrong-token}", "values: {list_limit: 5}"))
    result = etk("docs")
    assert result.exit_code == 2
    assert "the error expression example completed: change the example's `values` so that the request fails" in result.stderr


def test_docs_for_an_unknown_operation_is_a_definition_error(project):
    set_definition(project, SHOP.replace("    list: Lists items.", "    lits: Lists items."))
    result = etk("docs")
    assert result.exit_code == 2
    assert f"templates/shop.yaml:{line_of(SHOP, '    list: Lists items.')}:5: docs: 'lits' is not an operation (read, list) (did you mean 'list'?)" in result.stderr


def test_a_definition_without_docs_gets_a_page_without_example(project):
    set_definition(project, SHOP.split("docs:\n", 1)[0])
    assert etk("docs").exit_code == 0
    page = (project / "dist" / "docs" / "shop.md").read_text(encoding="utf-8")
    assert "## Example" not in page and "## Fields every operation shares" in page
    assert page.startswith("# Shop Connector\n\nRead and list shop items\n")  # the description as summary


def test_the_version_history_diffs_the_properties_by_binding(project):
    assert etk("build").exit_code == 0
    version_2 = (
        SHOP.replace("version: 1", "version: 2")
        .replace("limit: {group: main, json: integer, tooltip: At most this many items}",
                 "limit: {group: main, json: integer, default: '20', tooltip: At most this many items}")
        .replace("      itemId: {label: Item ID, group: main, required: true}",
                 "      itemId: {label: Item ID, group: main, required: true}\n      fields: {label: Fields, group: main}")
        .replace("        condition: {property: limit, isActive: true}\n", "")
    )
    set_definition(project, version_2)
    result = etk("build", "--docs")
    assert result.exit_code == 0, result.output
    assert (project / "dist" / "versioned" / "shop-1.json").is_file()
    page = (project / "dist" / "docs" / "shop.md").read_text(encoding="utf-8")
    history = page.split("## Version history\n", 1)[1].split("\n## ", 1)[0]
    assert history.strip().splitlines() == [
        "### Version 2",
        "",
        "Changes from version 1:",
        "",
        "**Added:**",
        "",
        "- Fields (`input read_fields`, shown when Operation is Read item)",
        "",
        "**Changed:**",
        "",
        "- Limit (`input list_limit`, shown when Operation is List items): default set to 20",
        "- Order (`input list_order`, shown when Operation is List items): shown when Operation is List items and Limit is shown → Operation is List items",
    ]
    assert "| Version | 2 (older: 1; see [Version history](#version-history)) |" in page
    index = (project / "dist" / "docs" / "index.md").read_text(encoding="utf-8")
    assert "| 2 (older: 1; [history](shop.md#version-history)) |" in index


def test_the_html_page_is_self_contained(project):
    assert etk("docs").exit_code == 0
    html = (project / "dist" / "docs" / "shop.html").read_text(encoding="utf-8")
    assert "<style>" in html and "<link" not in html and "<script" not in html
    assert not re.search(r'(src|href)="https?://(?!shop\.example\.com/docs)', html)  # nothing loaded from elsewhere
    assert '<h2 id="example-list-ten-items">Example: List ten items</h2>' in html
    assert '<a href="index.html">All connectors</a>' in html


def test_the_repository_pages_do_not_depend_on_the_checkout_location(tmp_path):
    """Another clone produces byte-identical pages (no absolute paths, no clock)."""
    clone = tmp_path / "clone"
    shutil.copytree(REPO / "templates", clone / "templates")
    shutil.copytree(REPO / "dist", clone / "dist", ignore=shutil.ignore_patterns("*.md", "*.html"))  # keeps the screenshots
    result = etk("docs", str(clone / "templates"), "--dist", str(clone / "dist"))
    assert result.exit_code == 0, result.output
    assert snapshot(clone / "dist" / "docs") == snapshot(REPO / "dist" / "docs")


def test_mistakes_in_the_docs_section_are_reported_at_their_lines(project):
    text = (
        SHOP.replace("  prerequisites: [A shop account and its API token.]", "  prerequisite: [A shop account and its API token.]")
        .replace('url: "https://shop.example.com/docs"', "url: shop.example.com/docs")
        .replace('expression: "={count', 'expression: "{count')
        .replace("service:\n      reply:", "service:\n      replies:")
    )
    set_definition(project, text)
    result = etk("docs")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "etk: error: 5 problems in the definition",
        f"templates/shop.yaml:{line_of(text, 'prerequisite:')}:3: unknown key 'prerequisite' (did you mean 'prerequisites'?)",
        f"templates/shop.yaml:{line_of(text, 'url: shop')}:30: 'shop.example.com/docs' must be an http:// or https:// URL",
        f"templates/shop.yaml:{line_of(text, '{count')}:20: '{{count: count(response.body.items)}}' must be a FEEL expression starting with '='",
        f"templates/shop.yaml:{line_of(text, 'replies:')}:7: missing required key 'reply'",
        f"templates/shop.yaml:{line_of(text, 'replies:')}:7: unknown key 'replies' (did you mean 'reply'?)",
    ]
    set_definition(project, SHOP.replace("service:\n      reply:", "service: azure-opneai\n      reply:").split("      reply:")[0] + "    volatile: []\n")
    typo = etk("docs")
    assert "'azure-opneai' is not one of: azure-openai (did you mean 'azure-openai'?)" in typo.stderr
