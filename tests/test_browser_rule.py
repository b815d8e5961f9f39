"""The one rule of the browser tests (tests/conftest.py): they skip with the reason where no
Chromium can run, but where ETK_REQUIRE_BROWSER (.ci/run) or CI is set, a browser test that
cannot run fails, and one skipped for any other reason fails the run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, browser_required

BROWSER_TESTS = '''
import pytest

def test_needs_the_browser(browser_available):
    pass

def test_skipped_for_another_reason(browser_available):
    pytest.skip("the upstream template is not installed")

def test_without_a_browser():
    pass
'''


def run_pytest(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "test_sample.py").write_text(BROWSER_TESTS, encoding="utf-8")
    clean = {name: value for name, value in os.environ.items() if name not in ("CI", "ETK_REQUIRE_BROWSER", "ETK_CHROMIUM")}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "tests.conftest", "-p", "no:cacheprovider", "-q", "-rs", "test_sample.py"],
        cwd=tmp_path, env={**clean, "PYTHONPATH": str(REPO), **env}, capture_output=True, text=True, timeout=120,
    )


@pytest.mark.parametrize(("env", "required"), [
    ({}, False), ({"CI": "true"}, True), ({"CI": "false"}, False), ({"CI": "0"}, False),
    ({"ETK_REQUIRE_BROWSER": "1"}, True), ({"ETK_REQUIRE_BROWSER": ""}, False),
])
def test_when_browser_tests_are_required(env, required, monkeypatch):
    for name in ("CI", "ETK_REQUIRE_BROWSER"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert browser_required() is required


def test_without_chromium_browser_tests_skip_with_the_reason(tmp_path):
    result = run_pytest(tmp_path, ETK_CHROMIUM=str(tmp_path / "no-chromium"))
    assert result.returncode == 0, result.stdout
    assert (f"SKIPPED [1] test_sample.py:4: browser tests need Chromium and Playwright: no Chromium at "
            f"{tmp_path / 'no-chromium'}") in result.stdout
    assert "1 passed, 2 skipped" in result.stdout


def test_where_required_a_missing_chromium_fails(tmp_path):
    result = run_pytest(tmp_path, ETK_CHROMIUM=str(tmp_path / "no-chromium"), ETK_REQUIRE_BROWSER="1")
    assert result.returncode == 1
    assert "ETK_REQUIRE_BROWSER or CI is set, but the browser tests cannot run: no Chromium at" in result.stdout
    assert "1 passed, 2 errors" in result.stdout


def test_where_required_a_browser_test_skipped_for_another_reason_fails_the_run(tmp_path, browser_available):
    result = run_pytest(tmp_path, CI="true")
    assert result.returncode == 1, result.stdout
    assert "1 browser tests skipped although ETK_REQUIRE_BROWSER or CI is set: the run fails" in result.stdout
    assert "test_sample.py::test_skipped_for_another_reason" in result.stdout
    assert "2 passed, 1 skipped" in result.stdout
    assert run_pytest(tmp_path).returncode == 0  # locally the same skip is only reported
