"""Panel screenshots on the documentation pages: taken in headless Chromium by etk's panel
preview tooling, kept in the docs folder together with a record of the template they show, and
reused while that template is unchanged.

Chromium's pixels are not part of the deterministic build: a screenshot is taken only when the
docs folder holds none for the current template (its record names the template's SHA-256), so a
rerun or `--check` never needs a browser and never sees different bytes. The record,
`images/<name>/panel.txt`, is a generated file like the pages; when the template changes and no
browser can retake them, the old screenshots leave with it and the pages show placeholders.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.files import dump_json

IMAGES = "images"
RECORD = "panel.txt"  # not JSON: every *.json below dist/ is an element template


@dataclass(frozen=True)
class Screenshot:
    """A PNG of the properties panel for one operation (`""`: a template without operations)."""

    stem: str
    operation: str
    png: bytes

    @property
    def file_name(self) -> str:
        return f"{self.operation or 'panel'}.png"


# (stem, template) -> a screenshot per operation; raises `EtkError` when it cannot
TakeScreenshots = Callable[[str, Mapping[str, Any]], list[Screenshot]]


def fingerprint(template: Mapping[str, Any]) -> str:
    """The SHA-256 of the template as `etk build` writes it."""
    return hashlib.sha256(dump_json(template).encode("utf-8")).hexdigest()


def images_folder(stem: str) -> str:
    """The site path of a template's images, e.g. `images/azure-openai`."""
    return f"{IMAGES}/{stem}"


def record(template: Mapping[str, Any], shots: Sequence[Screenshot]) -> bytes:
    """The record stored beside the screenshots of `template`: a comment naming the template,
    its SHA-256, then one line per screenshot (`<operation or -> <file>`)."""
    lines = [
        f"# panel screenshots of {template.get('id')} version {template.get('version')}, taken by etk docs",
        f"sha256 {fingerprint(template)}",
        *(f"{shot.operation or '-'} {shot.file_name}" for shot in shots),
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _read_record(folder: Path) -> tuple[str | None, list[tuple[str, str]]]:
    """`(sha256, [(operation, file name)])` of the record in `folder`; `(None, [])` without one."""
    try:
        lines = (folder / RECORD).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None, []
    sha256: str | None = None
    entries = []
    for line in lines:
        key, _, value = line.partition(" ")
        if key.startswith("#") or not value:
            continue
        if key == "sha256":
            sha256 = value
        else:
            entries.append(("" if key == "-" else key, Path(value).name))
    return sha256, entries


def stored_screenshots(docs_dir: Path, stem: str, template: Mapping[str, Any]) -> list[Screenshot] | None:
    """The screenshots in `docs_dir` whose record says they show `template`, else None."""
    folder = Path(docs_dir) / images_folder(stem)
    sha256, entries = _read_record(folder)
    if sha256 != fingerprint(template):
        return None
    try:
        return [Screenshot(stem, operation, (folder / name).read_bytes()) for operation, name in entries]
    except OSError:
        return None


def recorded_files(docs_dir: Path, stem: str) -> list[str]:
    """Site paths of the screenshots and record a (possibly outdated) record in `docs_dir` lists:
    generated files that a new build replaces or removes."""
    sha256, entries = _read_record(Path(docs_dir) / images_folder(stem))
    if sha256 is None:
        return []
    return [f"{images_folder(stem)}/{name}" for name in [*(name for _, name in entries), RECORD]]


def gather_screenshots(
    built: Sequence[tuple[str, Mapping[str, Any]]], docs_dir: Path, take: TakeScreenshots | None
) -> list[Screenshot]:
    """Per template (`(stem, template)`), the stored screenshots when they show it, else new ones
    from `take` (None: none can be taken, e.g. `--check` or no browser)."""
    shots: list[Screenshot] = []
    for stem, template in built:
        found = stored_screenshots(docs_dir, stem, template)
        if found is None and take is not None:
            found = take(stem, template)
        shots += found or []
    return shots


def take_with_preview(stem: str, template: Mapping[str, Any]) -> list[Screenshot]:
    """A screenshot per operation from etk's panel preview tooling (`generator.preview`: the
    Modeler's own properties panel in headless Chromium). Raises its `BrowserUnavailable` when
    Chromium or Playwright is missing."""
    from generator.preview.audit import panel_screenshots

    with tempfile.TemporaryDirectory(prefix="etk-docs-panel-") as work:
        template_file = Path(work) / f"{stem}.json"
        template_file.write_text(dump_json(template), encoding="utf-8")
        written = panel_screenshots(template_file, Path(work) / "screenshots")
        # the tooling names a screenshot after the operation's value, `default.png` without operations
        return [Screenshot(stem, "" if path.stem == "default" else path.stem, path.read_bytes()) for path in written]
