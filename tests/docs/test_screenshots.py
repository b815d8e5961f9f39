"""Panel screenshots on the pages: taken once per template (by a stand-in for the Chromium
tooling that draws a real PNG, and by the real tooling in the last test), stored with a record of
the template they show, reused by reruns and `--check` without a browser, and removed with
placeholders in their place when the template changes and no new ones can be taken."""

from __future__ import annotations

import json
import struct
import zlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from generator.build import apply_plan, plan_build
from generator.cli.docs import start_example_service
from generator.docs import Screenshot
from generator.docs.screenshots import fingerprint
from generator.docs.screenshots import take_with_preview as TAKE_WITH_PREVIEW
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


def take(stem: str, template: Mapping[str, Any]) -> list[Screenshot]:
    taken.append(f"{stem} v{template['version']}")
    return [Screenshot(stem, "read", png(40, 30, 200)), Screenshot(stem, "list", png(40, 30, 100))]


def build_with_screenshots() -> None:
    apply_plan(plan_build(Path("templates"), Path("dist"), docs=start_example_service, take_screenshots=take))


def test_screenshots_are_taken_once_stored_with_a_record_and_shown(project):
    taken.clear()
    build_with_screenshots()
    images = project / "dist" / "docs" / "images" / "shop"
    assert sorted(path.name for path in images.iterdir()) == ["list.png", "panel.txt", "read.png"]
    template = json.loads((project / "dist" / "shop.json").read_text(encoding="utf-8"))
    assert (images / "panel.txt").read_text(encoding="utf-8") == (
        "# panel screenshots of io.etk.test.Shop.v1 version 1, taken by etk docs\n"
        f"sha256 {fingerprint(template)}\n"
        "read read.png\n"
        "list list.png\n"
    )
    page = (project / "dist" / "docs" / "shop.md").read_text(encoding="utf-8")
    assert "![The properties panel with Read item](images/shop/read.png)" in page
    assert "![The properties panel with List items](images/shop/list.png)" in page
    assert "Screenshot placeholder" not in page
    html = (project / "dist" / "docs" / "shop.html").read_text(encoding="utf-8")
    assert 'alt="The properties panel with Read item"' in html and 'src="data:image/png;base64,' in html
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
    assert "stale dist/docs/images/shop/read.png: a panel screenshot of another version of the template: run `etk build --docs` (or `etk docs`; with Chromium it takes new ones)" in check.stdout
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

    def unavailable(stem: str, template: Mapping[str, Any]) -> list[Screenshot]:
        calls.append(stem)
        raise BrowserUnavailable("no Chromium at /usr/bin/chromium: install Debian's chromium")

    monkeypatch.setattr("generator.docs.screenshots.take_with_preview", unavailable)
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
    def forbidden(stem: str, template: Mapping[str, Any]) -> list[Screenshot]:
        raise AssertionError("no screenshots were asked for")

    monkeypatch.setattr("generator.docs.screenshots.take_with_preview", forbidden)
    assert etk("docs", "--no-screenshots").exit_code == 0
    assert etk("build", "--docs", "--no-screenshots").exit_code == 0
    assert etk("build", "--check", "--docs").exit_code == 0


def test_real_panel_screenshots_from_the_preview_tooling(project, monkeypatch, browser_available):
    """`etk docs` takes a screenshot per operation in headless Chromium (etk's preview tooling,
    the real one here) and the pages show them."""
    monkeypatch.setattr("generator.docs.screenshots.take_with_preview", TAKE_WITH_PREVIEW)
    result = etk("docs")
    assert result.exit_code == 0, result.output
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
    again = etk("docs")  # stored for this template: not taken again, nothing changes
    assert again.output.splitlines()[-1] == "nothing changed"
