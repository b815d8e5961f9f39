"""The Modeler's constraint checks (`validateProperty`) and value errors that name their key."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.apply import (
    ApplyError,
    Identity,
    apply_template,
    apply_to_state,
    constraint_message,
    constraint_violations,
    new_element_state,
    value_key,
)
from generator.bpmn import apply_in_diagram, parse_diagram
from tests.npm_tools import lint_diagram

TEMPLATES = Path(__file__).parent / "templates"
CONSTRAINTS = json.loads((TEMPLATES / "constraints.json").read_text())
AZURE = Path(__file__).resolve().parents[2] / "dist" / "azure-openai.json"

# Values per task: defaults only; every constraint broken; every constraint met.
CASES = {
    "Task_defaults": {},
    "Task_broken": {"host": "Bad Host", "code": "toolong", "expression": "xyz", "unlabeled": "y", "mode": "b",
                    "flag": "false"},
    "Task_feel": {"host": "good.host", "code": "ab", "expression": "=xyz", "unlabeled": "xyz", "flag": "true"},
    "Task_clean": {"host": "good.host", "code": "abcd", "expression": "abcdef", "unlabeled": "xyz", "mode": "b",
                   "onlyB": "set", "flag": "true"},
}
EXPECTED = {
    "Task_defaults": ["Host must not be empty.", "Code must be at least 3 characters.",
                      "Expression must match pattern ^abc.", "Must match pattern ^x.", "Flag must match pattern ^true$."],
    "Task_broken": ["Host must be a host name", "Code cannot exceed 5 characters.", "Expression must match pattern ^abc.",
                    "Must match pattern ^x.", "Only B must not be empty.", "Flag must match pattern ^true$."],
    "Task_feel": ["Code must be at least 3 characters."],
    "Task_clean": [],
}


def violations(template: dict, values: dict[str, str]) -> list[str]:
    state = new_element_state(template)
    apply_to_state(state, template, values, identity=Identity("Task_1"))
    return [violation.message for violation in constraint_violations(state, template)]


@pytest.mark.parametrize("case", CASES)
def test_constraint_violations_of_the_active_properties(case: str) -> None:
    assert violations(CONSTRAINTS, CASES[case]) == EXPECTED[case]


@pytest.mark.parametrize(
    ("value", "prop", "message"),
    [
        ("  ", {"label": "L", "constraints": {"notEmpty": True}}, "L must not be empty."),
        (None, {"constraints": {"notEmpty": True}}, "Must not be empty."),
        (None, {"label": "L", "constraints": {"pattern": "^undef"}}, None),  # JavaScript tests "undefined"
        (True, {"label": "L", "constraints": {"minLength": 3}}, None),  # true.length is undefined
        ("", {"label": "L", "constraints": {"minLength": 3}}, "L must be at least 3 characters."),
        ("=x", {"label": "L", "feel": "optional", "constraints": {"pattern": "^a", "minLength": 9}}, None),
        ("=x", {"label": "L", "constraints": {"pattern": "^a"}}, "L must match pattern ^a."),
        ("b", {"constraints": {"pattern": {"value": "^a", "message": "must start with a"}}}, "must start with a"),
        ("abc", {"label": "L", "constraints": {"pattern": "b"}}, None),  # RegExp.test searches
        # an empty optional field: the panel tests "undefined", the lint rule tests ""
        ("", {"label": "L", "constraints": {"pattern": r"^(\d+)?$"}}, r"L must match pattern ^(\d+)?$."),
        ("", {"label": "L", "constraints": {"pattern": r"^undefined$|(?:^\d+$)"}},
         r"L must match pattern ^undefined$|(?:^\d+$)."),
        ("", {"label": "L", "constraints": {"pattern": r"^(undefined)?$|(?:^\d+$)"}}, None),
    ],
)
def test_constraint_message_follows_validate_property(value, prop: dict, message: str | None) -> None:
    assert constraint_message(value, prop) == message


def test_violations_name_the_property_by_id_and_binding() -> None:
    state = new_element_state(CONSTRAINTS)
    apply_to_state(state, CONSTRAINTS)
    assert [violation.names for violation in constraint_violations(state, CONSTRAINTS)][:2] == [("host",), ("code",)]


@pytest.mark.node
def test_the_linter_reports_the_same_violations(node_tools: Path, tmp_path: Path) -> None:
    """One diagram with a task per case, linted by @camunda/linting's element-templates/validate rule."""
    tasks = "".join(f'<bpmn:task id="{task}"/>' for task in CASES)
    shapes = "".join(
        f'<bpmndi:BPMNShape id="{task}_di" bpmnElement="{task}"><dc:Bounds x="{100 + 150 * index}" y="80" '
        f'width="100" height="80"/></bpmndi:BPMNShape>'
        for index, task in enumerate(CASES)
    )
    diagram = parse_diagram(
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
        'xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" '
        'xmlns:modeler="http://camunda.org/schema/modeler/1.0" id="Definitions_1" '
        'targetNamespace="http://bpmn.io/schema/bpmn" '
        'modeler:executionPlatform="Camunda Cloud" modeler:executionPlatformVersion="8.8.0">'
        f'<bpmn:process id="Process_1" isExecutable="true">{tasks}</bpmn:process>'
        f'<bpmndi:BPMNDiagram id="BPMNDiagram_1"><bpmndi:BPMNPlane id="BPMNPlane_1" bpmnElement="Process_1">{shapes}'
        "</bpmndi:BPMNPlane></bpmndi:BPMNDiagram></bpmn:definitions>".encode()
    )
    for task, values in CASES.items():
        apply_in_diagram(diagram, task, CONSTRAINTS, values)
    path = tmp_path / "constraints.bpmn"
    path.write_bytes(diagram.to_bytes())
    _, reports = lint_diagram(node_tools, path, TEMPLATES / "constraints.json")
    linted: dict[str, list[str]] = {task: [] for task in CASES}
    for report in reports:
        if report["rule"] == "element-templates/validate":
            linted[report["id"]].append(report["message"])
    assert linted == EXPECTED


def test_value_errors_name_the_key_they_are_about() -> None:
    template = json.loads(AZURE.read_text())
    with pytest.raises(ApplyError) as unknown:
        apply_template(template, {"operation": "chatCompletion", "temprature": "0.7"})
    assert [(each.rule, value_key(each)) for each in unknown.value.problems] == [("unknown-property", "temprature")]
    cases = {
        "chatCompletion_temperature": ("inactive-property", {"operation": "completion", "chatCompletion_temperature": "0.7"}),
        "operation": ("value-refused", {"operation": "chat"}),  # not a choice
        "authentication.name": ("value-refused", {"authentication.name": "x"}),  # Hidden
    }
    for key, (rule, values) in cases.items():
        with pytest.raises(ApplyError) as error:
            apply_template(template, values)
        assert [(each.rule, value_key(each)) for each in error.value.problems] == [(rule, key)], str(error.value)
