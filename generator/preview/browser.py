"""Headless Chromium for etk: Debian's browser driven by Playwright, never a downloaded one.

The one launcher for everything that opens a page in a browser (the panel audit, the docs
screenshots, the browser tests):

* `chromium_context()` starts Chromium with etk's flags (`CHROMIUM_FLAGS`) and a fresh profile
  in a temporary folder, offline unless asked otherwise, and yields a Playwright context;
* `open_preview(page_html)` opens an `etk preview` page in it, waits until the Modeler has
  applied the template, and injects the panel reader (`panel.js`);
* `browser_missing()` says why Chromium cannot be started here (None when it can).

The executable is `--chromium PATH`, else `$ETK_CHROMIUM`, else `/usr/bin/chromium`.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Page, ViewportSize

DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ENV = "ETK_CHROMIUM"
CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
)
VIEWPORT: ViewportSize = {"width": 1280, "height": 900}
READY_TIMEOUT_MS = 60_000


class BrowserUnavailable(RuntimeError):
    """No Chromium or no Playwright to drive it."""


def chromium_executable(explicit: Path | None = None) -> Path:
    """The Chromium to run: `explicit`, else $ETK_CHROMIUM, else Debian's /usr/bin/chromium."""
    candidate = Path(explicit or os.environ.get(CHROMIUM_ENV) or DEFAULT_CHROMIUM)
    if not candidate.is_file() and shutil.which(str(candidate)) is None:
        raise BrowserUnavailable(
            f"no Chromium at {candidate}: install Debian's chromium (`apt-get install chromium`) or point "
            f"--chromium / ${CHROMIUM_ENV} at a Chromium executable"
        )
    return candidate


def _sync_playwright() -> Any:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise BrowserUnavailable(
            "the Python package playwright is not installed: `pip install 'element-template-kit[audit]'` "
            "(it drives the installed Chromium; never run `playwright install`, no browser is downloaded)"
        ) from None
    return sync_playwright


def browser_missing(chromium: Path | None = None) -> str | None:
    """Why no headless Chromium can be started here (no executable, no Playwright); None when it can."""
    try:
        chromium_executable(chromium)
        _sync_playwright()
    except BrowserUnavailable as problem:
        return str(problem)
    return None


@contextmanager
def chromium_context(
    *, chromium: Path | None = None, offline: bool = True, viewport: ViewportSize = VIEWPORT
) -> Iterator[BrowserContext]:
    """A Playwright context of headless Chromium with etk's flags and a fresh profile (removed
    afterwards); `offline`: no network at all (file: and data: URLs still load). Raises
    `BrowserUnavailable` without Chromium or Playwright."""
    executable = chromium_executable(chromium)
    sync_playwright = _sync_playwright()
    with tempfile.TemporaryDirectory(prefix="etk-chromium-") as profile, sync_playwright() as playwright:
        context: BrowserContext = playwright.chromium.launch_persistent_context(
            profile,
            executable_path=str(executable),
            headless=True,
            args=list(CHROMIUM_FLAGS),
            viewport=viewport,
            accept_downloads=True,
            offline=offline,
        )
        try:
            yield context
        finally:
            context.close()


@contextmanager
def open_preview(page_html: str, *, chromium: Path | None = None) -> Iterator[Page]:
    """A Playwright page showing `page_html`, ready (template applied, panel rendered)."""
    with tempfile.TemporaryDirectory(prefix="etk-preview-") as workdir, chromium_context(chromium=chromium) as context:
        page_file = Path(workdir) / "preview.html"
        page_file.write_text(page_html, encoding="utf-8")
        page = context.pages[0] if context.pages else context.new_page()
        problems: list[str] = []
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.goto(page_file.as_uri())
        page.wait_for_selector("body[data-ready]", timeout=READY_TIMEOUT_MS)
        if page.get_attribute("body", "data-ready") != "true":
            raise RuntimeError(f"the preview page failed to start: {'; '.join(problems) or page.inner_text('#status')}")
        page.add_script_tag(content=(resources.files("generator.preview") / "panel.js").read_text(encoding="utf-8"))
        yield page
