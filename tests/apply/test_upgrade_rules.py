"""`should_keep_value`: which existing values survive a template change (exact rules)."""

from __future__ import annotations

import pytest

from generator.apply import apply_template
from generator.apply.change import should_keep_value
from generator.apply.state import Node


def prop(kind: str = "String", value: object = "default", **fields: object) -> dict:
    return {"type": kind, "value": value, "binding": {"type": "zeebe:input", "name": "x"}, **fields}


def holder(source: str | None) -> Node:
    return Node("zeebe:input", {"target": "x", **({"source": source} if source is not None else {})})


@pytest.mark.parametrize(
    ("current", "old", "new", "kept"),
    [
        ("typed", None, prop(), True),  # first apply: an existing value is kept
        (None, None, prop(), False),  # first apply: nothing there, default written
        ("typed", None, prop("Hidden"), False),  # Hidden: always the template's
        ("typed", prop(), prop("Hidden"), False),
        ("b", None, prop("Dropdown", choices=[{"name": "B", "value": "b"}]), True),  # still a choice
        ("c", None, prop("Dropdown", choices=[{"name": "B", "value": "b"}]), False),  # no longer a choice
        ("default", prop(value="default"), prop(value="new"), False),  # untouched old default: moves on
        ("typed", prop(value="default"), prop(value="new"), True),  # changed by the user: kept
        (None, prop(value="default"), prop(value="new"), False),
        ("=5", prop("Number", value=5), prop("Number", value=6), False),  # "=5" is v1's cast default
        ("=7", prop("Number", value=5), prop("Number", value=6), True),
    ],
)
def test_should_keep_value(current: str | None, old: dict | None, new: dict, kept: bool) -> None:
    assert should_keep_value(holder(current), "source", old, new) is kept


def test_non_cast_defaults_compare_strictly_like_the_reloaded_modeler() -> None:
    # a zeebe:property Number default 7 is written "7"; once read back from XML the string
    # "7" is not === 7, so the Modeler treats it as changed and keeps it on upgrade
    old = {"type": "Number", "value": 7, "binding": {"type": "zeebe:property", "name": "p"}}
    new = dict(old, value=8)
    assert should_keep_value(Node("zeebe:property", {"name": "p", "value": "7"}), "value", old, new) is True


def test_the_deprecated_task_definition_type_binding() -> None:
    template = {"id": "t", "appliesTo": ["bpmn:ServiceTask"], "properties": [
        {"type": "Hidden", "value": "legacy-worker", "binding": {"type": "zeebe:taskDefinition:type"}}]}
    assert apply_template(template).job_type == "legacy-worker"
