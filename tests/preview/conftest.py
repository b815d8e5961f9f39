"""Browser fixtures: Debian's Chromium driven by Playwright, or a skip with the reason (a failure
when ETK_REQUIRE_BROWSER (set by .ci/run) or CI is set: CI must not skip the browser tests)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.preview.browser import BrowserUnavailable, chromium_executable

REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "build" / "panel-screenshots"  # git-ignored


def browser_missing() -> str | None:
    try:
        chromium_executable()
        import playwright.sync_api  # noqa: F401
    except BrowserUnavailable as problem:
        return str(problem)
    except ImportError:
        return "the Python package playwright is not installed (pip install -e '.[test]')"
    return None


@pytest.fixture(scope="session")
def browser_available() -> None:
    missing = browser_missing()
    if missing is None:
        return
    if os.environ.get("ETK_REQUIRE_BROWSER") or os.environ.get("CI"):
        pytest.fail(f"ETK_REQUIRE_BROWSER or CI is set, but the browser tests cannot run: {missing}")
    pytest.skip(f"browser tests need Chromium and Playwright: {missing}")
