"""Fixtures shared by every test suite: where the repository, `../shared`, the npm tools and the
browser are."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
TOOLS = REPO / "tools"


@pytest.fixture(scope="session")
def repo_dir() -> Path:
    """The repository root."""
    return REPO


# CI sets this (`.ci/run`): there a missing ../shared is an error, not a skipped group.
REQUIRE_SHARED = "ETK_REQUIRE_SHARED"
# ... and this: there a browser test that cannot run (or is skipped for any reason) fails the run.
REQUIRE_BROWSER = "ETK_REQUIRE_BROWSER"
BROWSER_MARKER = "browser"
SHARED_MISSING = f"conformance data ../shared is not beside the checkout ({SHARED}): not run"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", f"{BROWSER_MARKER}: drives headless Chromium (every test using the "
                                       "browser_available fixture is marked so)")
    if not SHARED.is_dir() and os.environ.get(REQUIRE_SHARED) == "1":
        raise pytest.UsageError(f"{REQUIRE_SHARED}=1 but ../shared is not beside the checkout ({SHARED}): "
                                "the conformance tests would be skipped")


def browser_required() -> bool:
    """The one rule of every browser test: it may skip (no Chromium or Playwright here) unless
    ETK_REQUIRE_BROWSER (set by .ci/run) or CI is set to a true value."""
    return any(os.environ.get(name, "").strip().lower() not in ("", "0", "false", "no")
               for name in (REQUIRE_BROWSER, "CI"))


@pytest.fixture(scope="session")
def browser_available() -> None:
    """Headless Chromium can be started (`generator.preview.browser`); else the test skips with
    the reason, or fails when `browser_required()`. Every browser test asks for this fixture,
    which marks it `browser` (`pytest -m browser` selects them)."""
    from generator.preview.browser import browser_missing

    missing = browser_missing()
    if missing is None:
        return
    if browser_required():
        pytest.fail(f"{REQUIRE_BROWSER} or CI is set, but the browser tests cannot run: {missing}")
    pytest.skip(f"browser tests need Chromium and Playwright: {missing}")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "browser_available" in getattr(item, "fixturenames", ()):
            item.add_marker(BROWSER_MARKER)


_skipped_browser_tests: list[str] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.skipped and BROWSER_MARKER in report.keywords:
        _skipped_browser_tests.append(report.nodeid)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Where browser tests are required, a skipped one fails the run (whatever skipped it)."""
    if _skipped_browser_tests and browser_required() and exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_report_header(config: pytest.Config) -> str:
    if SHARED.is_dir():
        return f"conformance data: {SHARED}"
    return f"conformance data: ../shared is MISSING ({SHARED}); every test that needs it is skipped as one group"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Tests skipped for want of ../shared are reported as one group with their number, instead
    of one short-summary line per test function and a count lost among the other skips."""
    skipped = terminalreporter.stats.get("skipped", [])
    if _skipped_browser_tests and browser_required():
        terminalreporter.write_sep("=", f"{len(_skipped_browser_tests)} browser tests skipped although {REQUIRE_BROWSER} "
                                        "or CI is set: the run fails", red=True, bold=True)
        for nodeid in _skipped_browser_tests:
            terminalreporter.write_line(f"  {nodeid}")
    not_run = [report for report in skipped if SHARED_MISSING in str(getattr(report, "longrepr", ""))]
    if not not_run:
        return
    terminalreporter.stats["skipped"] = [report for report in skipped if all(report is not other for other in not_run)]
    terminalreporter.stats["conformance cases not run (no ../shared)"] = not_run
    terminalreporter.write_sep("=", f"{len(not_run)} conformance cases not run: {SHARED_MISSING}", yellow=True, bold=True)


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """`../shared` beside the checkout (facts, FEEL cases, upstream files). When it is absent every
    test using it skips with the same reason, so pytest's summary shows them as one group with
    their number (`SKIPPED [1023] ...`)."""
    if not SHARED.is_dir():
        pytest.skip(SHARED_MISSING)
    return SHARED


@pytest.fixture(scope="session")
def node_tools() -> Path:
    """The pinned npm tools folder (`tools/`), installed by `npm ci --prefix tools`; skips when absent."""
    if shutil.which("node") is None:
        pytest.skip("node is not installed")
    if not (TOOLS / "node_modules").is_dir():
        pytest.skip("npm tools are not installed: run `npm ci --prefix tools`")
    return TOOLS
