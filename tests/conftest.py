"""Fixtures shared by every test suite: where the repository, `../shared` and the npm tools are."""

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
SHARED_MISSING = f"conformance data ../shared is not beside the checkout ({SHARED}): not run"


def pytest_configure(config: pytest.Config) -> None:
    if not SHARED.is_dir() and os.environ.get(REQUIRE_SHARED) == "1":
        raise pytest.UsageError(f"{REQUIRE_SHARED}=1 but ../shared is not beside the checkout ({SHARED}): "
                                "the conformance tests would be skipped")


def pytest_report_header(config: pytest.Config) -> str:
    if SHARED.is_dir():
        return f"conformance data: {SHARED}"
    return f"conformance data: ../shared is MISSING ({SHARED}); every test that needs it is skipped as one group"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Tests skipped for want of ../shared are reported as one group with their number, instead
    of one short-summary line per test function and a count lost among the other skips."""
    skipped = terminalreporter.stats.get("skipped", [])
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
