"""Headless Chromium for the preview page: Debian's browser driven by Playwright, never a downloaded one.

`open_preview(page_html)` writes the page to a temporary file, opens it in a fresh Chromium
profile without network, waits until the Modeler has applied the template, and injects the
panel reader (`panel.js`).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
)
VIEWPORT = {"width": 1280, "height": 900}
READY_TIMEOUT_MS = 60_000


class BrowserUnavailable(RuntimeError):
    """No Chromium or no Playwright to drive it."""


def chromium_executable(explicit: Path | None = None) -> Path:
    """The Chromium to run: `explicit`, else $ETK_CHROMIUM, else Debian's /usr/bin/chromium."""
    candidate = Path(explicit or os.environ.get("ETK_CHROMIUM") or DEFAULT_CHROMIUM)
    if not candidate.is_file() and shutil.which(str(candidate)) is None:
        raise BrowserUnavailable(
            f"no Chromium at {candidate}: install Debian's chromium (`apt-get install chromium`) or point "
            "--chromium / $ETK_CHROMIUM at a Chromium executable"
        )
    return candidate


def _sync_playwright() -> Any:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise BrowserUnavailable(
            "the Python package playwright is not installed: `pip install playwright` (it drives the "
            "installed Chromium; never run `playwright install`, no browser is downloaded)"
        ) from None
    return sync_playwright


@contextmanager
def open_preview(page_html: str, *, chromium: Path | None = None) -> Iterator[Any]:
    """A Playwright page showing `page_html`, ready (template applied, panel rendered)."""
    executable = chromium_executable(chromium)
    sync_playwright = _sync_playwright()
    with tempfile.TemporaryDirectory(prefix="etk-preview-") as workdir:
        page_file = Path(workdir) / "preview.html"
        page_file.write_text(page_html, encoding="utf-8")
        with sync_playwright() as playwright:
            context = playwright.chromium.launch_persistent_context(
                str(Path(workdir) / "profile"),  # a fresh profile per run
                executable_path=str(executable),
                headless=True,
                args=list(CHROMIUM_FLAGS),
                viewport=VIEWPORT,
                accept_downloads=True,
                offline=True,
            )
            try:
                page = context.pages[0] if context.pages else context.new_page()
                problems: list[str] = []
                page.on("pageerror", lambda error: problems.append(str(error)))
                page.goto(page_file.as_uri())
                page.wait_for_selector("body[data-ready]", timeout=READY_TIMEOUT_MS)
                if page.get_attribute("body", "data-ready") != "true":
                    raise RuntimeError(f"the preview page failed to start: {'; '.join(problems) or page.inner_text('#status')}")
                page.add_script_tag(content=(resources.files("generator.preview") / "panel.js").read_text(encoding="utf-8"))
                yield page
            finally:
                context.close()
