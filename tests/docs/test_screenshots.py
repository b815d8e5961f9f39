"""Panel screenshots on the pages: taken once per template (here by a stand-in for the Chromium
tooling that draws a real PNG), stored with a record of the template they show, reused by reruns
and `--check` without a browser, and removed with placeholders in their place when the template
changes and no new ones can be taken."""

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
    assert sorted(path.name for path in images.iterdir()) == ["list.png", "panel.json", "read.png"]
    template = json.loads((project / "dist" / "shop.json").read_text(encoding="utf-8"))
    assert json.loads((images / "panel.json").read_text(encoding="utf-8")) == {
        "template": "io.etk.test.Shop.v1",
        "version": 1,
        "sha256": fingerprint(template),
        "screenshots": [{"operation": "read", "file": "read.png"}, {"operation": "list", "file": "list.png"}],
    }
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
    assert "removed dist/docs/images/shop/panel.json" in result.output.splitlines()
    assert sorted(snapshot(project / "dist" / "docs")) == ["index.html", "index.md", "shop.html", "shop.md"]
    page = (project / "dist" / "docs" / "shop.md").read_text(encoding="utf-8")
    assert page.count("> **Screenshot placeholder.**") == 2
    build_with_screenshots()  # with the tooling, the new version gets its own
    assert taken == ["shop v1", "shop v2"]
    assert "![The properties panel with Read item](images/shop/read.png)" in (project / "dist" / "docs" / "shop.md").read_text(encoding="utf-8")


def test_a_damaged_record_means_no_stored_screenshots(project):
    taken.clear()
    build_with_screenshots()
    record = project / "dist" / "docs" / "images" / "shop" / "panel.json"
    record.write_text("{not json", encoding="utf-8")
    build_with_screenshots()
    assert taken == ["shop v1", "shop v1"]
    assert json.loads(record.read_text(encoding="utf-8"))["version"] == 1
