"""Fixtures for the validator tests: a minimal valid template, validating it as file text, and
finding where a piece of text is (to check findings' line:column independently)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from generator.files import dump_json
from generator.problems import Problem
from generator.validate import validate_text

SCHEMA_URL = "https://unpkg.com/@camunda/zeebe-element-templates-json-schema/resources/schema.json"

MINIMAL = {
    "$schema": SCHEMA_URL,
    "name": "Demo",
    "id": "io.etk.Demo",
    "version": 1,
    "appliesTo": ["bpmn:Task"],
    "elementType": {"value": "bpmn:ServiceTask"},
    "groups": [{"id": "main", "label": "Main"}],
    "properties": [
        {"type": "Hidden", "value": "demo-worker", "binding": {"type": "zeebe:taskDefinition", "property": "type"}},
        {"id": "mode", "label": "Mode", "group": "main", "type": "Dropdown", "value": "a",
         "choices": [{"name": "A", "value": "a"}, {"name": "B", "value": "b"}],
         "binding": {"type": "zeebe:input", "name": "mode"}},
    ],
}


@pytest.fixture
def template() -> dict[str, Any]:
    """A fresh copy of a minimal template that passes every rule."""
    return copy.deepcopy(MINIMAL)


class Checked:
    """A template validated as the text of a file named `t.json`."""

    def __init__(self, document: Any) -> None:
        self.text = dump_json(document)
        self.findings = validate_text(self.text, file="t.json")

    def errors(self) -> list[Problem]:
        return [each for each in self.findings if each.severity == "error"]

    def of_rule(self, rule: str) -> list[Problem]:
        return [each for each in self.findings if each.rule == rule]

    def position_of(self, needle: str, occurrence: int = 1) -> tuple[int, int]:
        """1-based line and column where the `occurrence`-th `needle` starts in the text; with a
        `»` in `needle`, where the text after the `»` starts (e.g. `'"id": »"x"'`)."""
        before, _, after = needle.rpartition("»")
        index = -1
        for _ in range(occurrence):
            index = self.text.index(before + after, index + 1)
        index += len(before)
        line = self.text.count("\n", 0, index) + 1
        return line, index - self.text.rfind("\n", 0, index)


@pytest.fixture
def check() -> Callable[[Any], Checked]:
    """Validate a template (or any JSON document) dumped the way etk writes files."""
    return Checked
