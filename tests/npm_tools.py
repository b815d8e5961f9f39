"""Run the pinned npm tools (`tools/*.mjs`) from tests: @camunda/linting on a diagram, and the real
Modeler applying templates (tests get the tools folder from the `node_tools` fixture)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any


def lint_diagram(node_tools: Path, diagram: Path, *templates: Path) -> tuple[int, list[dict[str, Any]]]:
    """`tools/lint-diagram.mjs` on `diagram` with `templates` known: its exit code (1 when an
    error is reported) and its reports (`{id, message, category, rule}`)."""
    completed = subprocess.run(
        ["node", str(node_tools / "lint-diagram.mjs"), str(diagram), *map(str, templates)],
        capture_output=True, timeout=120, check=False,
    )
    assert completed.returncode in (0, 1), completed.stderr.decode()
    return completed.returncode, json.loads(completed.stdout)


def modeler_apply(node_tools: Path, cases: list[dict[str, Any]]) -> dict[str, dict[str, str]]:
    """`tools/modeler-apply.mjs` on `cases` (`{name, diagram, element, templates, steps}`) in one
    node process: `{case name: {"xml": ...} or {"error": ...}}`."""
    completed = subprocess.run(
        ["node", str(node_tools / "modeler-apply.mjs")],
        input=json.dumps({"cases": cases}).encode(),
        capture_output=True,
        timeout=300,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"modeler-apply.mjs failed: {completed.stderr.decode()[-3000:]}")
    return json.loads(completed.stdout)
