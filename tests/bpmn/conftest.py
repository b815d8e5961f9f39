"""The real Modeler's results for every golden case, computed once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.bpmn.golden import run_modeler
from tests.bpmn.golden_cases import CASES


@pytest.fixture(scope="session")
def modeler_results(node_tools: Path) -> dict[str, dict[str, str]]:
    """`{case name: {"xml": ...} or {"error": ...}}` from `tools/modeler-apply.mjs` (one node run)."""
    return run_modeler(CASES, node_tools)
