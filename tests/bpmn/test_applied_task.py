"""One semantics: `apply_template` equals what `read_applied_task` reads from the XML etk writes,
and `read_applied_task` reads files the Modeler saved (other prefixes, default namespace)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from generator.apply import apply_template
from generator.bpmn import read_applied_task, write_example_diagram
from tests.bpmn.golden import REPO, run_etk
from tests.bpmn.golden_cases import case_named

TEMPLATES = REPO / "tests" / "apply" / "templates"


def load(name: str) -> dict:
    return json.loads((TEMPLATES / name).read_text())


@pytest.mark.parametrize(
    ("template_file", "values"),
    [
        ("basic.json", {}),
        ("basic.json", {"mode": "b", "numberInput": "0.70", "h1": "", "zpBool": "true", "name": "Renamed", "emptyOptional": "x"}),
        ("conditions.json", {}),
        ("conditions.json", {"auth": "basic", "username": "ada", "password": "pw", "flag": "true"}),
        ("upgrade-v2.json", {"level": "high", "count": "-1.5e3"}),
    ],
)
def test_apply_template_equals_the_diagram_read_back(tmp_path: Path, template_file: str, values: dict[str, str]) -> None:
    template = load(template_file)
    path = tmp_path / "example.bpmn"
    write_example_diagram(template, path, values)
    assert read_applied_task(path, "Task_1") == apply_template(template, values, element_id="Task_1")


def test_dist_templates_round_trip(tmp_path: Path) -> None:
    for template_path in sorted((REPO / "dist").glob("*.json")):
        template = json.loads(template_path.read_text())
        path = tmp_path / f"{template_path.stem}.bpmn"
        write_example_diagram(template, path)
        assert read_applied_task(path, "Task_1") == apply_template(template, element_id="Task_1"), template_path.name


@pytest.mark.node
def test_reading_a_file_the_modeler_saved(tmp_path: Path, modeler_results: dict[str, dict[str, str]]) -> None:
    case = case_named("existing values on first apply")  # default namespace and a `z:` zeebe prefix
    saved = tmp_path / "modeler.bpmn"
    saved.write_text(modeler_results[case.name]["xml"], encoding="utf-8")
    ours = tmp_path / "etk.bpmn"
    ours.write_bytes(run_etk(case))
    task = read_applied_task(saved, "Task_1")
    assert task == read_applied_task(ours, "Task_1")
    assert (task.job_type, task.retries, task.template_id, task.template_version) == (
        "conditions-worker", "9", "com.example.conditions", 1
    )
    assert task.element_type == "bpmn:ServiceTask" and task.attributes == {"name": "Existing"}
    assert [(i.target, i.source) for i in task.inputs][:3] == [
        ("authentication.type", "bearer"), ("authentication.token", "my-token"), ("stage1", "go")
    ]
    assert task.headers_dict() == {"stage3": "reached"}


@pytest.mark.node
def test_generated_uuids_are_the_only_difference_from_the_modeler(tmp_path: Path, modeler_results: dict[str, dict[str, str]]) -> None:
    case = case_named("basic defaults keep the existing name")
    saved = tmp_path / "modeler.bpmn"
    saved.write_text(modeler_results[case.name]["xml"], encoding="utf-8")
    ours = tmp_path / "etk.bpmn"
    ours.write_bytes(run_etk(case))
    modeler_task, etk_task = read_applied_task(saved, "Task_1"), read_applied_task(ours, "Task_1")
    assert modeler_task.properties[-1].name == "gen" and modeler_task.properties[-1].value != etk_task.properties[-1].value
    assert dataclasses.replace(modeler_task, properties=modeler_task.properties[:-1]) == dataclasses.replace(
        etk_task, properties=etk_task.properties[:-1]
    )
