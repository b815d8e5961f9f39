"""Every FEEL expression in Camunda's published connector templates parses.

The templates come from the npm package `@camunda/connectors-element-templates` (pinned in
tools/package.json, used as test input only): every string value starting with `=` is FEEL.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from generator.feel import FeelError, parse


def _feel_values(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for item in value.values():
            yield from _feel_values(item)
    elif isinstance(value, list):
        for item in value:
            yield from _feel_values(item)
    elif isinstance(value, str) and value.lstrip().startswith("="):
        yield value


def test_every_template_expression_parses(node_tools: Path) -> None:
    package = node_tools / "node_modules" / "@camunda" / "connectors-element-templates"
    expressions: dict[str, str] = {}
    for path in sorted(package.rglob("*.json")):
        if path.name != "package.json":
            for text in _feel_values(json.loads(path.read_text(encoding="utf-8"))):
                expressions.setdefault(text, path.name)
    assert len(expressions) > 250  # the package ships ~130 templates with ~300 distinct expressions
    failures = []
    for text, file_name in expressions.items():
        try:
            parse(text)
        except FeelError as error:
            failures.append(f"{file_name}: {text!r}: {error}")
    assert not failures, "\n".join(failures)
