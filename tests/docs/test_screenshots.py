"""Panel screenshots on the pages: planned per operation with the example's values typed in,
taken once per plan (by a stand-in for the Chromium tooling that draws a real PNG, and by the real
tooling in the last tests), stored with a record of the template and values they show, reused by
reruns and `--check` without a browser, and removed with placeholders in their place when the
template or the values change and no new ones can be taken."""

from __future__ import annotations

import json
import struct
import zlib
from pathlib import Path

from generator.build import apply_plan, plan_build
from generator.cli.docs import start_example_service
from generator.cli.docs import take_with_preview as TAKE_WITH_PREVIEW
from generator.definition import load_definition
from generator.docs import ScreenshotPlan
from generator.docs.screenshots import screenshot_plan
from tests.docs.conftest import SHOP, set_definition
from tests.etk_cli import etk, snapshot


def png(width: int, height: int, shade: int) -> bytes:
    """A real grey PNG image."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\x00" + bytes([shade]) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


taken: list[str] = []


def take(plan: ScreenshotPlan) -> dict[str, bytes]:
    taken.append(f"{plan.stem} v{plan.template['version']}")
    return {"read": png(40, 30, 200), "list": png(40, 30, 100)}


def build_with_screenshots() -> None:
    apply_plan(plan_build(Path("templates"), Path("dist"), docs=start_example_service, take_screenshots=take))


def test_screenshots_are_taken_once_stored_with_a_record_and_shown(project):
    taken.clear()
    build_with_screenshots()
    images = project / "dist" / "docs" / "images" / "shop"
    assert sorted(path.name for path in images.iterdir()) == ["list.png", "panel.txt", "read.png"]
    template = json.loads((project / "dist" / "shop.json").read_text(encoding="utf-8"))
    plan, problems = screenshot_plan(load_definition(project / "templates" / "shop.yaml"), template)
    assert problems == []
    assert (images / "panel.txt").read_text(encoding="utf-8") == (
        "# panel screenshots of io.etk.test.Shop.v1 version 1, taken by etk docs\n"
        f"sha256 {plan.fingerprint}\n"
        "read read.png\n"
        "list list.png\n"
    )
    page = (project / "dist" / "docs" / "shop.md").read_text(encoding="utf-8")
    # folded on GitHub: a panel screenshot is thousands of pixels high; the reader opens it
    assert ("### Read item\n\n<details><summary>Screenshot: the properties panel with Read item, the example's values "
            "typed in</summary>\n\n![The properties panel with Read item](images/shop/read.png)\n\n</details>\n\n") in page
    assert "![The properties panel with List items](images/shop/list.png)" in page
    assert "Screenshot placeholder" not in page
    html = (project / "dist" / "docs" / "shop.html").read_text(encoding="utf-8")
    assert 'alt="The properties panel with Read item"' in html and 'src="data:image/png;base64,' in html
    assert "details" not in html and "summary" not in html  # the HTML page shows it open in its own box
    before = snapshot(project / "dist")
    build_with_screenshots()  # the stored ones show this template: nothing is taken again
    assert taken == ["shop v1"]
    assert snapshot(project / "dist") == before
    check = etk("build", "--check", "--docs")  # no browser needed to check
    assert check.exit_code == 0, check.output


def test_a_changed_template_outdates_its_screenshots(project):
    taken.clear()
    build_with_screenshots()
    set_definition(project, SHOP.replace("version: 1", "version: 2").replace("label: Item ID", "label: Item number"))
    check = etk("build", "--check", "--docs")
    assert check.exit_code == 1
    assert "stale dist/docs/images/shop/read.png: a panel screenshot of another template or other example values: run `etk build --docs` (or `etk docs`; with Chromium it takes new ones)" in check.stdout
    assert "stale dist/docs/shop.md: it differs from what its definition documents: run `etk build --docs` (or `etk docs`)" in check.stdout
    result = etk("build", "--docs")  # the command line has no screenshot tooling here: placeholders
    assert result.exit_code == 0, result.output
    assert "removed dist/docs/images/shop/list.png" in result.output.splitlines()
    assert "removed dist/docs/images/shop/panel.txt" in result.output.splitlines()
    assert sorted(snapshot(project / "dist" / "docs")) == ["index.html", "index.md", "shop.html", "shop.md"]
    page = (project / "dist" / "docs" / "shop.md").read_text(encoding="utf-8")
    assert page.count("> **Screenshot placeholder.**") == 2
    build_with_screenshots()  # with the tooling, the new version gets its own
    assert taken == ["shop v1", "shop v2"]
    assert "![The properties panel with Read item](images/shop/read.png)" in (project / "dist" / "docs" / "shop.md").read_text(encoding="utf-8")


def test_a_damaged_record_means_no_stored_screenshots(project):
    taken.clear()
    build_with_screenshots()
    record = project / "dist" / "docs" / "images" / "shop" / "panel.txt"
    record.write_bytes(b"\xff not a record")
    build_with_screenshots()
    assert taken == ["shop v1", "shop v1"]
    assert record.read_text(encoding="utf-8").startswith("# panel screenshots of io.etk.test.Shop.v1 version 1")


def test_without_chromium_a_note_says_why_and_the_pages_show_placeholders(project, monkeypatch):
    from generator.preview.browser import BrowserUnavailable

    calls: list[str] = []

    def unavailable(plan: ScreenshotPlan) -> dict[str, bytes]:
        calls.append(plan.stem)
        raise BrowserUnavailable("no Chromium at /usr/bin/chromium: install Debian's chromium")

    monkeypatch.setattr("generator.cli.docs.take_with_preview", unavailable)
    set_definition(project, SHOP, name="other")
    result = etk("docs")
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        "etk: note: no panel screenshots (no Chromium at /usr/bin/chromium: install Debian's chromium); "
        "the pages show placeholders\n"
    )
    assert calls == ["other"]  # asked once: the second template does not try again
    assert "> **Screenshot placeholder.**" in (project / "dist" / "docs" / "shop.md").read_text(encoding="utf-8")


def test_no_screenshots_never_starts_the_tooling(project, monkeypatch):
    def forbidden(plan: ScreenshotPlan) -> dict[str, bytes]:
        raise AssertionError("no screenshots were asked for")

    monkeypatch.setattr("generator.cli.docs.take_with_preview", forbidden)
    assert etk("docs", "--no-screenshots").exit_code == 0
    assert etk("build", "--docs", "--no-screenshots").exit_code == 0
    assert etk("build", "--check", "--docs").exit_code == 0


def plan_of(project, text: str = SHOP) -> ScreenshotPlan:
    set_definition(project, text)
    definition = load_definition(project / "templates" / "shop.yaml")
    from generator.template import render

    plan, problems = screenshot_plan(definition, render(definition).template)
    assert problems == []
    return plan


def test_the_plan_types_the_example_values_each_operation_shows(project):
    plan = plan_of(project)
    assert plan.values == {
        "read": {"operation": "read", "authentication.token": "{{secrets.SHOP_TOKEN}}", "host": "shop.example.com",
                 "resultVariable": "items"},
        "list": {"operation": "list", "authentication.token": "{{secrets.SHOP_TOKEN}}", "host": "shop.example.com",
                 "list_limit": "10", "resultVariable": "items"},
    }
    # docs.screenshots fills what the example leaves empty for an operation (and may replace values)
    added = plan_of(project, SHOP.replace("docs:\n", "docs:\n  screenshots:\n    read: {read_itemId: '42', host: api.shop.example.com}\n"))
    assert added.values["read"] == {"operation": "read", "authentication.token": "{{secrets.SHOP_TOKEN}}",
                                    "resultVariable": "items", "read_itemId": "42", "host": "api.shop.example.com"}
    assert added.values["list"] == plan.values["list"] and added.fingerprint != plan.fingerprint


def test_screenshot_values_are_checked_at_their_lines(project):
    set_definition(project, SHOP.replace("docs:\n", "docs:\n  screenshots:\n    read: {list_limit: '5'}\n    write: {x: '1'}\n"))
    result = etk("docs")
    assert result.exit_code == 2
    assert result.stderr == "etk: error: 1 problem in the definition\ntemplates/shop.yaml:41:5: docs: 'write' is not an operation (read, list)\n"
    set_definition(project, SHOP.replace("docs:\n", "docs:\n  screenshots:\n    read: {list_limit: '5'}\n"))
    result = etk("docs")
    assert result.exit_code == 2
    assert result.stderr == ("etk: error: 1 problem in the definition\ntemplates/shop.yaml:40:24: docs: the screenshot of read: "
                             "property 'list_limit' is not active: it requires operation = list (current: read)\n")


def test_other_example_values_outdate_the_screenshots(project):
    taken.clear()
    build_with_screenshots()
    set_definition(project, SHOP.replace("list_limit: 10", "list_limit: 20"))
    check = etk("build", "--check", "--docs")
    assert check.exit_code == 1
    assert ("stale dist/docs/images/shop/panel.txt: it differs from what its definition documents: run `etk build --docs` "
            "(or `etk docs`)") not in check.stdout
    assert "stale dist/docs/images/shop/read.png: a panel screenshot of another template or other example values" in check.stdout
    build_with_screenshots()
    assert taken == ["shop v1", "shop v1"]


def test_real_panel_screenshots_from_the_preview_tooling(project, monkeypatch, browser_available):
    """`etk docs` takes a screenshot per operation in headless Chromium (etk's preview tooling,
    the real one here), each with the example's values typed in, and the pages show them."""
    monkeypatch.setattr("generator.cli.docs.take_with_preview", TAKE_WITH_PREVIEW)
    set_definition(project, SHOP.replace("docs:\n", "docs:\n  screenshots:\n    read: {read_itemId: '42'}\n"))
    result = etk("docs")
    assert result.exit_code == 0, result.output
    assert "etk: warning" not in result.stderr  # no screenshot shows a red message
    images = project / "dist" / "docs" / "images" / "shop"
    assert sorted(path.name for path in images.iterdir()) == ["list.png", "panel.txt", "read.png"]
    for name in ("read.png", "list.png"):
        data = (images / name).read_bytes()
        assert data.startswith(b"\x89PNG\r\n\x1a\n")
        width, height = struct.unpack(">II", data[16:24])  # the IHDR chunk
        assert width > 300 and height > 600, (name, width, height)
    page = (project / "dist" / "docs" / "shop.md").read_text(encoding="utf-8")
    assert "![The properties panel with Read item](images/shop/read.png)" in page
    html = (project / "dist" / "docs" / "shop.html").read_text(encoding="utf-8")
    assert html.count('src="data:image/png;base64,') == 2
    again = etk("docs")  # stored for this template and these values: not taken again, nothing changes
    assert again.output.splitlines()[-1] == "nothing changed"


def test_a_screenshot_with_red_messages_is_reported(project, monkeypatch, browser_available):
    """Without values for Item ID (required), Read item's screenshot would show it red: a warning
    names it and says where to type a value."""
    monkeypatch.setattr("generator.cli.docs.take_with_preview", TAKE_WITH_PREVIEW)
    result = etk("docs")
    assert result.exit_code == 0, result.output
    assert result.stderr == ("etk: warning: the panel screenshot of shop (read) shows red messages: "
                             "Item ID: Item ID must not be empty.; type values for them in `docs.screenshots`\n")
