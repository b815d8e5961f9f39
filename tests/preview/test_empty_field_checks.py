"""How the Modeler checks a pattern on an empty optional field, read from the real code, and etk's one
rule for it.

The properties panel (headless Chromium, the real panel) tests the value `undefined`; the
element-templates lint rule (`tools/lint-diagram.mjs`, the Problems panel) tests the stored `""`.
`etk apply` flags what either flags, and the renderer's pattern for an optional field passes both.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.apply import apply_to_state, constraint_violations, new_element_state
from generator.bpmn import apply_in_diagram, parse_diagram
from generator.preview import PreviewInput
from generator.preview.audit import PanelSession
from generator.preview.browser import open_preview
from generator.preview.page import render_page
from generator.template.render import accepting_empty_field
from generator.validate.loading import load_template_file
from tests.npm_tools import lint_diagram

CLOUD_DIAGRAM = (  # the linter runs Camunda 8 rules on a diagram that says it is for Camunda 8
    '<?xml version="1.0" encoding="UTF-8"?><bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
    'xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" '
    'xmlns:modeler="http://camunda.org/schema/modeler/1.0" id="Definitions_1" targetNamespace="http://bpmn.io/schema/bpmn" '
    'modeler:executionPlatform="Camunda Cloud" modeler:executionPlatformVersion="8.8.0">'
    '<bpmn:process id="Process_1" isExecutable="true"><bpmn:task id="Task_1"/></bpmn:process>'
    '<bpmndi:BPMNDiagram id="BPMNDiagram_1"><bpmndi:BPMNPlane id="BPMNPlane_1" bpmnElement="Process_1">'
    '<bpmndi:BPMNShape id="Task_1_di" bpmnElement="Task_1"><dc:Bounds x="100" y="80" width="100" height="80"/>'
    "</bpmndi:BPMNShape></bpmndi:BPMNPlane></bpmndi:BPMNDiagram></bpmn:definitions>"
)
PATTERNS = {
    "panelRed": r"^(\d+)?$",  # accepts "", not "undefined"
    "problemsRed": r"^undefined$|(?:^\d+$)",  # accepts "undefined", not ""
    "rendered": accepting_empty_field(r"^\d+$"),  # what etk renders for an optional `^\d+$`
}


def template() -> dict:
    fields = [{"id": name, "label": name, "type": "String", "optional": True,
               "binding": {"type": "zeebe:input", "name": name},
               "constraints": {"notEmpty": False, "pattern": pattern}} for name, pattern in PATTERNS.items()]
    return {"$schema": "https://unpkg.com/@camunda/zeebe-element-templates-json-schema/resources/schema.json",
            "name": "Empty fields", "id": "io.etk.test.EmptyFields", "version": 1, "appliesTo": ["bpmn:Task"],
            "elementType": {"value": "bpmn:ServiceTask"},
            "properties": [{"type": "Hidden", "value": "worker", "binding": {"type": "zeebe:taskDefinition", "property": "type"}},
                           *fields]}


def test_the_rendered_pattern_accepts_the_empty_field_both_ways() -> None:
    assert PATTERNS["rendered"] == r"^(undefined)?$|(?:^\d+$)"
    assert accepting_empty_field(r"^(\d+)?$") == r"^undefined$|(?:^(\d+)?$)"
    assert accepting_empty_field(r"^undefined$|(?:^\d+$)") == r"^$|(?:^undefined$|(?:^\d+$))"
    assert accepting_empty_field(r"^(\w*)$") == r"^(\w*)$"  # \w* matches both already


def test_etk_flags_what_the_panel_or_the_problems_panel_flags() -> None:
    state = new_element_state(template())
    apply_to_state(state, template())
    assert [violation.prop["id"] for violation in constraint_violations(state, template())] == ["panelRed", "problemsRed"]


@pytest.mark.node
def test_the_problems_panel_tests_the_empty_text(node_tools: Path, tmp_path: Path) -> None:
    diagram = parse_diagram(CLOUD_DIAGRAM.encode())
    apply_in_diagram(diagram, "Task_1", template(), {})
    (tmp_path / "d.bpmn").write_bytes(diagram.to_bytes())
    (tmp_path / "t.json").write_text(json.dumps(template()))
    _, reports = lint_diagram(node_tools, tmp_path / "d.bpmn", tmp_path / "t.json")
    assert [report["message"] for report in reports if report["rule"] == "element-templates/validate"] == [
        r"problemsRed must match pattern ^undefined$|(?:^\d+$)."]


def test_the_properties_panel_tests_undefined(browser_available: None, tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    path.write_text(json.dumps(template()))
    templates = load_template_file(path)
    with open_preview(render_page(PreviewInput.for_template(templates))) as page:
        fields = PanelSession(page, templates[0]).read()
    assert {each.label: each.errors for each in fields if each.label in PATTERNS} == {
        "panelRed": [r"panelRed must match pattern ^(\d+)?$."], "problemsRed": [], "rendered": []}
