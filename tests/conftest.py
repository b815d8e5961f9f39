"""Fixtures shared by every test suite: where the repository, `../shared` and the npm tools are."""

from __future__ import annotations

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


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """`../shared` beside the checkout (facts, FEEL cases, upstream files); skips when absent."""
    if not SHARED.is_dir():
        pytest.skip(f"../shared is not beside the checkout ({SHARED}); conformance data unavailable")
    return SHARED


@pytest.fixture(scope="session")
def node_tools() -> Path:
    """The pinned npm tools folder (`tools/`), installed by `npm ci --prefix tools`; skips when absent."""
    if shutil.which("node") is None:
        pytest.skip("node is not installed")
    if not (TOOLS / "node_modules").is_dir():
        pytest.skip("npm tools are not installed: run `npm ci --prefix tools`")
    return TOOLS
