"""Writing back: only what the template touches changes; the rest of the file stays as it was."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.apply import ApplyError
from generator.bpmn import apply_in_diagram, parse_diagram, remove_in_diagram, unlink_in_diagram

HERE = Path(__file__).parent
TEMPLATES = HERE.parent / "apply" / "templates"
BASIC = json.loads((TEMPLATES / "basic.json").read_text())
CONDITIONS = json.loads((TEMPLATES / "conditions.json").read_text())
SMALL = b"""<?xml version="1.0" encoding="UTF-8"?>
<!-- kept -->
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:x="urn:x" id="D" targetNamespace="urn:t">
  <bpmn:process id="P" isExecutable="true">
    <bpmn:task id="Task_1" x:custom="1" name="Mine">
      <!-- inside the task -->
      <bpmn:incoming>F1</bpmn:incoming>
    </bpmn:task>
  </bpmn:process>
</bpmn:definitions>
"""
SMALL_TEMPLATE = {
    "id": "t.small",
    "version": 2,
    "appliesTo": ["bpmn:Task"],
    "elementType": {"value": "bpmn:ServiceTask"},
    "properties": [
        {"type": "Hidden", "value": "w", "binding": {"type": "zeebe:taskDefinition", "property": "type"}},
        {"id": "a", "type": "String", "value": "1", "binding": {"type": "zeebe:input", "name": "a"}},
    ],
}


def test_exact_output_for_a_small_diagram() -> None:
    diagram = parse_diagram(SMALL, "small.bpmn")
    apply_in_diagram(diagram, "Task_1", SMALL_TEMPLATE)
    assert diagram.to_bytes().decode() == """<?xml version="1.0" encoding="UTF-8"?>
<!-- kept -->
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:x="urn:x" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="D" targetNamespace="urn:t">
  <bpmn:process id="P" isExecutable="true">
    <bpmn:serviceTask id="Task_1" x:custom="1" name="Mine" zeebe:modelerTemplate="t.small" zeebe:modelerTemplateVersion="2">
      <bpmn:extensionElements>
        <zeebe:taskDefinition type="w"/>
        <zeebe:ioMapping>
          <zeebe:input source="1" target="a"/>
        </zeebe:ioMapping>
      </bpmn:extensionElements>
      <!-- inside the task -->
      <bpmn:incoming>F1</bpmn:incoming>
    </bpmn:serviceTask>
  </bpmn:process>
</bpmn:definitions>
"""


def test_the_files_prefixes_and_unknown_extensions_are_kept() -> None:
    source = (HERE / "diagrams" / "existing-values.bpmn").read_bytes()
    diagram = parse_diagram(source, "existing-values.bpmn")
    apply_in_diagram(diagram, "Task_1", CONDITIONS)
    text = diagram.to_bytes().decode()
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<!-- a task that already carries zeebe')
    assert 'xmlns:zeebe' not in text  # the file's own prefix `z` is used
    assert '<z:taskDefinition type="conditions-worker" retries="9"/>' in text
    assert '<foo:custom keep="yes"/>' in text
    assert "<documentation>Hand-written documentation</documentation>\n      <extensionElements>" in text
    # the DI is untouched apart from lxml writing empty elements as <x/>
    original_di = source.decode().split("<bpmndi:BPMNDiagram")[1].replace(" />", "/>")
    assert text.split("<bpmndi:BPMNDiagram")[1] == original_di


def test_applying_twice_changes_nothing() -> None:
    diagram = parse_diagram((HERE / "diagrams" / "task.bpmn").read_bytes())
    apply_in_diagram(diagram, "Task_1", BASIC, {"mode": "b"})
    once = diagram.to_bytes()
    apply_in_diagram(diagram, "Task_1", BASIC)
    assert diagram.to_bytes() == once


def test_type_change_keeps_id_name_flows_and_di() -> None:
    diagram = parse_diagram((HERE / "diagrams" / "task.bpmn").read_bytes())
    apply_in_diagram(diagram, "Task_1", BASIC)
    text = diagram.to_bytes().decode()
    assert '<bpmn:serviceTask id="Task_1" name="My task"' in text
    assert "<bpmn:incoming>Flow_1</bpmn:incoming>\n      <bpmn:outgoing>Flow_2</bpmn:outgoing>\n    </bpmn:serviceTask>" in text
    assert '<bpmndi:BPMNShape id="Task_1_di" bpmnElement="Task_1">' in text
    assert text.count("xmlns:zeebe=") == 1


def test_a_taken_zeebe_prefix_gets_a_number() -> None:
    source = SMALL.replace(b'xmlns:x="urn:x"', b'xmlns:x="urn:x" xmlns:zeebe="urn:not-zeebe"')
    diagram = parse_diagram(source)
    apply_in_diagram(diagram, "Task_1", SMALL_TEMPLATE)
    text = diagram.to_bytes().decode()
    assert 'xmlns:zeebe="urn:not-zeebe" xmlns:zeebe2="http://camunda.org/schema/zeebe/1.0"' in text
    assert '<zeebe2:input source="1" target="a"/>' in text


def test_unindented_files_stay_unindented() -> None:
    source = b'<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"><bpmn:process id="P"><bpmn:task id="Task_1"/></bpmn:process></bpmn:definitions>'
    diagram = parse_diagram(source)
    apply_in_diagram(diagram, "Task_1", SMALL_TEMPLATE)
    assert b"\n" not in diagram.to_bytes().rstrip(b"\n")


def test_unlink_and_remove_in_place() -> None:
    diagram = parse_diagram(SMALL)
    apply_in_diagram(diagram, "Task_1", SMALL_TEMPLATE)
    unlink_in_diagram(diagram, "Task_1")
    unlinked = diagram.to_bytes().decode()
    assert "modelerTemplate" not in unlinked and '<zeebe:input source="1" target="a"/>' in unlinked
    with pytest.raises(ApplyError, match="is not linked to an element template"):
        remove_in_diagram(diagram, "Task_1", [SMALL_TEMPLATE])

    diagram = parse_diagram(SMALL)
    apply_in_diagram(diagram, "Task_1", SMALL_TEMPLATE)
    remove_in_diagram(diagram, "Task_1", [SMALL_TEMPLATE])
    removed = diagram.to_bytes().decode()
    assert "<bpmn:extensionElements/>" in removed and "zeebe:input" not in removed and "modelerTemplate" not in removed


def test_a_template_for_another_element_type_is_refused() -> None:
    diagram = parse_diagram((HERE / "diagrams" / "task.bpmn").read_bytes(), "task.bpmn")
    with pytest.raises(ApplyError) as error:
        apply_in_diagram(diagram, "StartEvent_1", BASIC)
    assert str(error.value) == "task.bpmn:4: element 'StartEvent_1' is a bpmn:StartEvent; template 'com.example.demo' applies to bpmn:Task"
