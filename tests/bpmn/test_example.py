"""Example diagrams: structure, DI, execution platform, and @camunda/linting on them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lxml import etree

from generator.apply import ApplyError
from generator.bpmn import example_diagram, execution_platform_version, parse_diagram, write_example_diagram
from generator.bpmn.namespaces import BPMN, BPMNDI, DC, DI, MODELER
from tests.azure_example import DOCUMENTED_VALUES
from tests.bpmn.golden import REPO
from tests.npm_tools import lint_diagram

BASIC = json.loads((REPO / "tests" / "apply" / "templates" / "basic.json").read_text())
AZURE = REPO / "dist" / "azure-openai.json"


@pytest.mark.parametrize(
    ("engines", "version"),
    [
        (None, "8.6.0"), ({"camunda": "^8.6"}, "8.6.0"), ({"camunda": ">=8.7.2"}, "8.7.0"), ({"camunda": "~8.8.1"}, "8.8.0"),
        ({"camunda": "8.5.x"}, "8.5.0"), ({"camunda": ">8.6"}, "8.7.0"), ({"camunda": ">8.6.1"}, "8.6.0"),
        ({"camunda": "^8.8 || ^8.6"}, "8.6.0"), ({"camunda": "8.6 - 8.9"}, "8.6.0"), ({"camunda": ">=8.6 <9"}, "8.6.0"),
        ({"camunda": "<9"}, "8.6.0"), ({"camunda": "^8.9.0-alpha1"}, "8.9.0"), ({"camundaWebModeler": "^8.7"}, "8.6.0"),
    ],
)
def test_execution_platform_version_is_the_lowest_admitted(engines: dict | None, version: str) -> None:
    template = dict(BASIC, **({"engines": engines} if engines else {}))
    assert execution_platform_version(template) == version


def test_an_unreadable_engines_range_is_an_error() -> None:
    with pytest.raises(ApplyError, match=r"engines.camunda 'soon' is not a semver range etk understands"):
        execution_platform_version(dict(BASIC, engines={"camunda": "soon"}))


def test_the_example_is_a_complete_executable_process() -> None:
    diagram = parse_diagram(example_diagram(dict(BASIC, engines={"camunda": "^8.7"})))
    root = diagram.definitions
    assert root.get(f"{{{MODELER}}}executionPlatform") == "Camunda Cloud"
    assert root.get(f"{{{MODELER}}}executionPlatformVersion") == "8.7.0"
    process = root.find(f"{{{BPMN}}}process")
    assert process.get("isExecutable") == "true"
    nodes = [(etree.QName(e).localname, e.get("id")) for e in process if etree.QName(e).localname != "sequenceFlow"]
    assert nodes == [("startEvent", "StartEvent_1"), ("serviceTask", "Task_1"), ("endEvent", "EndEvent_1")]
    flows = [(f.get("sourceRef"), f.get("targetRef")) for f in process.iter(f"{{{BPMN}}}sequenceFlow")]
    assert flows == [("StartEvent_1", "Task_1"), ("Task_1", "EndEvent_1")]
    plane = root.find(f"{{{BPMNDI}}}BPMNDiagram/{{{BPMNDI}}}BPMNPlane")
    assert plane.get("bpmnElement") == process.get("id")
    shapes = {s.get("bpmnElement"): s.find(f"{{{DC}}}Bounds").attrib for s in plane.iter(f"{{{BPMNDI}}}BPMNShape")}
    assert shapes == {
        "StartEvent_1": {"x": "152", "y": "102", "width": "36", "height": "36"},
        "Task_1": {"x": "240", "y": "80", "width": "100", "height": "80"},
        "EndEvent_1": {"x": "392", "y": "102", "width": "36", "height": "36"},
    }
    edges = {e.get("bpmnElement"): [(w.get("x"), w.get("y")) for w in e.iter(f"{{{DI}}}waypoint")] for e in plane.iter(f"{{{BPMNDI}}}BPMNEdge")}
    assert edges == {"Flow_1": [("188", "120"), ("240", "120")], "Flow_2": [("340", "120"), ("392", "120")]}


def test_examples_are_deterministic(tmp_path: Path) -> None:
    write_example_diagram(BASIC, tmp_path / "a.bpmn", {"mode": "b"})
    write_example_diagram(BASIC, tmp_path / "b.bpmn", {"mode": "b"})
    assert (tmp_path / "a.bpmn").read_bytes() == (tmp_path / "b.bpmn").read_bytes()


def test_event_templates_are_the_start_or_end_of_the_example() -> None:
    start_template = {"id": "t.start", "version": 1, "appliesTo": ["bpmn:StartEvent"], "properties": [
        {"type": "Hidden", "value": "v", "binding": {"type": "zeebe:property", "name": "p"}}]}
    process = parse_diagram(example_diagram(start_template)).definitions.find(f"{{{BPMN}}}process")
    assert [etree.QName(e).localname for e in process] == ["startEvent", "endEvent", "sequenceFlow"]


@pytest.mark.node
def test_linting_reports_no_errors_on_the_azure_example(node_tools: Path, tmp_path: Path) -> None:
    path = tmp_path / "azure-openai.bpmn"
    write_example_diagram(json.loads(AZURE.read_text()), path, DOCUMENTED_VALUES)
    code, reports = lint_diagram(node_tools, path, AZURE)
    assert (code, [r for r in reports if r["category"] == "error"]) == (0, [])


@pytest.mark.node
def test_linting_reports_real_problems(node_tools: Path, tmp_path: Path) -> None:
    path = tmp_path / "broken.bpmn"
    write_example_diagram(json.loads(AZURE.read_text()), path, DOCUMENTED_VALUES)
    text = path.read_text()
    text = text.replace('<zeebe:taskDefinition type="io.camunda:http-json:1" retries="3"/>', "")
    text = text.replace('<zeebe:input source="mydeployment" target="deploymentId"/>', '<zeebe:input target="deploymentId"/>')
    text = text.replace('zeebe:modelerTemplateVersion="2"', 'zeebe:modelerTemplateVersion="99"')
    path.write_text(text)
    code, reports = lint_diagram(node_tools, path, AZURE)
    assert code == 1
    found = {(r["rule"], r["message"]) for r in reports}
    assert ("camunda-compat/implementation", "A <Service Task> must have a <Task definition type>") in found
    assert ("element-templates/validate", "Linked element template 'io.etk.connectors.AzureOpenAI.v1' (version: 99) not found") in found
    assert any(rule == "camunda-compat/io-mapping" for rule, _ in found)
