"""The never-active rules against the real Modeler code: every property etk reports as never
active (condition-target, condition-value, condition-never-holds) is indeed never written by
bpmn-js-element-templates (tools/modeler-apply.mjs, the harness of the golden tests), whatever
the user chooses in the dropdowns its condition depends on; a control property is written."""

from __future__ import annotations

import copy
import itertools
import json
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from generator.validate import validate_template
from tests.npm_tools import modeler_apply

DIAGRAM = (Path(__file__).resolve().parents[1] / "bpmn" / "diagrams" / "task.bpmn").read_text(encoding="utf-8")
ZEEBE = "http://camunda.org/schema/zeebe/1.0"
NEVER_ACTIVE = ("condition-target", "condition-value", "condition-never-holds")
CORPUS = Path("node_modules/@camunda/connectors-element-templates/src/element-templates")
MAX_COMBINATIONS = 24

pytestmark = pytest.mark.node


def written_inputs(xml: str) -> set[str]:
    root = etree.fromstring(xml.encode(), etree.XMLParser(resolve_entities=False, no_network=True))
    return {each.get("target") for each in root.iter(f"{{{ZEEBE}}}input")}


def never_active_positions(template: dict[str, Any]) -> set[int]:
    return {int((each.location.pointer or "").split("/")[2]) for each in validate_template(template)
            if each.rule in NEVER_ACTIVE and (each.location.pointer or "").startswith("/properties/")}


def choice_steps(template: dict[str, Any], prop: dict[str, Any]) -> list[list[list[str]]]:
    """Every combination of the choices of the dropdowns the property's condition depends on
    (transitively), parents first, capped at MAX_COMBINATIONS."""
    by_id: dict[str, dict[str, Any]] = {}
    for each in template["properties"]:
        by_id.setdefault(each.get("id"), each)
    order: list[str] = []
    pending = [prop]
    while pending:
        condition = pending.pop().get("condition") or {}
        for clause in condition.get("allMatch", [condition]):
            target = by_id.get(clause.get("property"))
            if target is not None and target.get("type") == "Dropdown" and target["id"] not in order:
                order.insert(0, target["id"])
                pending.append(target)
    choices = [[choice["value"] for choice in by_id[name]["choices"]] for name in order]
    combinations = list(itertools.islice(itertools.product(*choices), MAX_COMBINATIONS))
    return [[[name, value] for name, value in zip(order, combination, strict=True)] for combination in combinations]


def cases_for(name: str, template: dict[str, Any], sets: list[list[list[str]]]) -> list[dict[str, Any]]:
    template = copy.deepcopy(template)
    template.setdefault("version", 1)
    apply = {"apply": {"id": template["id"], "version": template["version"]}}
    steps = [[apply]] + [[apply, {"set": each}] for each in sets if each]
    return [{"name": f"{name} #{index}", "diagram": DIAGRAM, "element": "Task_1", "templates": [template], "steps": case}
            for index, case in enumerate(steps)]


def text(name: str, condition: dict[str, Any]) -> dict[str, Any]:
    return {"label": name, "type": "String", "value": "x", "binding": {"type": "zeebe:input", "name": name}, "condition": condition}


def test_the_modeler_never_writes_what_etk_calls_never_active(node_tools, template):
    template["properties"] += [
        {"id": "auth", "type": "Hidden", "value": "basic", "binding": {"type": "zeebe:input", "name": "auth"}},
        text("unknownId", {"property": "nothing", "equals": "x"}),
        text("notAChoice", {"property": "mode", "equals": "c"}),
        text("contradiction", {"allMatch": [{"property": "mode", "equals": "a"}, {"property": "mode", "equals": "b"}]}),
        text("hiddenValue", {"property": "auth", "equals": "apiKey"}),
        {**text("dependsOnDead", {"property": "deadParent", "isActive": True})},
        {**text("deadParent", {"property": "mode", "equals": "zzz"}), "id": "deadParent"},
        text("control", {"property": "mode", "equals": "b"}),
    ]
    never = {template["properties"][index]["binding"]["name"] for index in never_active_positions(template)}
    assert never == {"unknownId", "notAChoice", "contradiction", "hiddenValue", "dependsOnDead", "deadParent"}
    results = modeler_apply(node_tools, cases_for("synthetic", template, [[["mode", "a"]], [["mode", "b"]]]))
    written = {name: written_inputs(result["xml"]) for name, result in results.items()}
    assert all(not inputs & never for inputs in written.values()), written
    assert [("control" in inputs) for inputs in written.values()] == [False, False, True]


def test_the_modeler_never_writes_the_never_active_properties_of_camundas_templates(node_tools):
    cases: list[dict[str, Any]] = []
    expected: dict[str, str] = {}
    for path in sorted((node_tools / CORPUS).glob("*.json")):
        for template in json.loads(path.read_text(encoding="utf-8")):
            positions = never_active_positions(template)
            targets = [prop["binding"].get("name") for prop in template["properties"] if prop["binding"]["type"] == "zeebe:input"]
            for index in sorted(positions):
                prop = template["properties"][index]
                name = prop["binding"].get("name")
                if prop["binding"]["type"] != "zeebe:input" or targets.count(name) != 1:
                    continue  # another property writes the same input: its presence proves nothing
                label = f"{path.name} v{template.get('version')} {name}"
                for case in cases_for(label, template, choice_steps(template, prop)):
                    cases.append(case)
                    expected[case["name"]] = name
    assert len({name.rsplit(" #", 1)[0] for name in expected}) >= 20
    results = modeler_apply(node_tools, cases)
    failures = {name: result.get("error", "")[:300] for name, result in results.items() if "xml" not in result}
    assert failures == {}
    written = [name for name, result in results.items() if expected[name] in written_inputs(result["xml"])]
    assert written == []
