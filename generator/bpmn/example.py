"""Example diagrams: a small executable process around one templated element, ready to open in
the Modeler and to deploy.

The process is start event -> templated element -> end event (an event template is the start or
end itself), with complete DI, `modeler:executionPlatform="Camunda Cloud"` and the lowest Camunda
version the template's `engines.camunda` range admits. The template is applied with the same
code as `etk apply`, so the example holds exactly what the Modeler would write.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from lxml import etree

from generator import __version__
from generator.apply import ApplyError, new_element_state
from generator.bpmn.apply import apply_in_diagram
from generator.bpmn.document import Diagram
from generator.bpmn.errors import not_xml_error
from generator.bpmn.namespaces import BPMN, BPMNDI, MODELER, PREFIXES, bpmn_tag, clark
from generator.element_template import Template
from generator.files import write_bytes_atomic
from generator.semver import SemverError, Version, parse_range

DEFAULT_PLATFORM_VERSION = "8.6.0"  # when a template states no lower bound for `camunda`
TEMPLATED_ID = "Task_1"
_GAP = 52  # horizontal space between shapes, as the Modeler lays out an appended element
_CENTER_Y = 120
_EVENT_SIZE = (36, 36)
_ACTIVITY_SIZE = (100, 80)


def example_diagram(template: Template, values: Mapping[str, str] | None = None, *, applied: bool = True) -> bytes:
    """The example BPMN for `template`, with `values` typed into its properties.

    With `applied=False` the element is left as the plain element a user starts from (the first
    `appliesTo` type, e.g. a `bpmn:Task`) with no template: for a Modeler to apply it.
    """
    element_type = new_element_state(template).element_type
    local = element_type.partition(":")[2]
    if local == "StartEvent":
        chain = [(TEMPLATED_ID, element_type), ("EndEvent_1", "bpmn:EndEvent")]
    elif local == "EndEvent":
        chain = [("StartEvent_1", "bpmn:StartEvent"), (TEMPLATED_ID, element_type)]
    elif local == "BoundaryEvent" or not (local.endswith(("Task", "Event")) or local in ("Task", "CallActivity", "SubProcess")):
        raise ApplyError(
            f"template {template.get('id')!r}: etk diagram lays out tasks and start, intermediate and end "
            f"events, not {element_type}",
            rule="element-type",
        )
    else:
        chain = [("StartEvent_1", "bpmn:StartEvent"), (TEMPLATED_ID, element_type), ("EndEvent_1", "bpmn:EndEvent")]

    if not applied:
        applies_to = template.get("appliesTo") or [element_type]
        chain = [(element_id, applies_to[0] if element_id == TEMPLATED_ID else type_name) for element_id, type_name in chain]
    definitions, process, plane = _skeleton(template)
    shapes: list[tuple[str, int, int, int, int]] = []
    x = 152
    for index, (element_id, type_name) in enumerate(chain):
        node = etree.SubElement(process, bpmn_tag(type_name), id=element_id)
        if index > 0:
            etree.SubElement(node, clark("bpmn", "incoming")).text = f"Flow_{index}"
        if index < len(chain) - 1:
            etree.SubElement(node, clark("bpmn", "outgoing")).text = f"Flow_{index + 1}"
        width, height = _ACTIVITY_SIZE if not type_name.endswith("Event") else _EVENT_SIZE
        shapes.append((element_id, x, _CENTER_Y - height // 2, width, height))
        x += width + _GAP
    for index in range(1, len(chain)):
        etree.SubElement(
            process, clark("bpmn", "sequenceFlow"), id=f"Flow_{index}", sourceRef=chain[index - 1][0], targetRef=chain[index][0]
        )
    for element_id, left, top, width, height in shapes:
        shape = etree.SubElement(plane, clark("bpmndi", "BPMNShape"), id=f"{element_id}_di", bpmnElement=element_id)
        etree.SubElement(shape, clark("dc", "Bounds"), x=str(left), y=str(top), width=str(width), height=str(height))
    for index in range(1, len(shapes)):
        source, target = shapes[index - 1], shapes[index]
        edge = etree.SubElement(plane, clark("bpmndi", "BPMNEdge"), id=f"Flow_{index}_di", bpmnElement=f"Flow_{index}")
        etree.SubElement(edge, clark("di", "waypoint"), x=str(source[1] + source[3]), y=str(_CENTER_Y))
        etree.SubElement(edge, clark("di", "waypoint"), x=str(target[1]), y=str(_CENTER_Y))

    etree.indent(definitions, space="  ")
    diagram = Diagram(tree=etree.ElementTree(definitions), source=f"example for {template.get('id')}")
    if applied:
        apply_in_diagram(diagram, TEMPLATED_ID, template, values, known_templates=[template])
    return diagram.to_bytes()


def write_example_diagram(template: Template, path: Path, values: Mapping[str, str] | None = None) -> None:
    """Write `example_diagram(template, values)` to `path` atomically."""
    write_bytes_atomic(Path(path), example_diagram(template, values))


def _skeleton(template: Template) -> tuple[etree._Element, etree._Element, etree._Element]:
    nsmap = {prefix: PREFIXES[prefix] for prefix in ("bpmn", "bpmndi", "dc", "di", "zeebe", "modeler")}
    definitions = etree.Element(clark("bpmn", "definitions"), nsmap=nsmap)
    slug = re.sub(r"[^A-Za-z0-9_.-]", "_", str(template.get("id", "template")))
    definitions.set("id", f"Definitions_{slug}")
    definitions.set("targetNamespace", "http://bpmn.io/schema/bpmn")
    definitions.set("exporter", "etk")
    definitions.set("exporterVersion", __version__)
    definitions.set(f"{{{MODELER}}}executionPlatform", "Camunda Cloud")
    definitions.set(f"{{{MODELER}}}executionPlatformVersion", execution_platform_version(template))
    name = f"{template.get('name', slug)} example"
    try:
        process = etree.SubElement(definitions, f"{{{BPMN}}}process", id=f"Process_{slug}", name=name, isExecutable="true")
    except ValueError:
        raise not_xml_error("name", name) from None
    diagram = etree.SubElement(definitions, f"{{{BPMNDI}}}BPMNDiagram", id="BPMNDiagram_1")
    plane = etree.SubElement(diagram, f"{{{BPMNDI}}}BPMNPlane", id="BPMNPlane_1", bpmnElement=f"Process_{slug}")
    return definitions, process, plane


def execution_platform_version(template: Template) -> str:
    """`major.minor.0` of the lowest version `engines.camunda` admits (`^8.6` -> `8.6.0`)."""
    engines = template.get("engines")
    text = engines.get("camunda") if isinstance(engines, dict) else None
    if not isinstance(text, str) or not text.strip():
        return DEFAULT_PLATFORM_VERSION
    try:
        lowest = parse_range(text).lowest_version()
    except SemverError:
        lowest = None
    if lowest is None:
        raise ApplyError(
            f"template {template.get('id')!r}: engines.camunda {text!r} is not a semver range etk understands", rule="engines"
        )
    if lowest == Version(0, 0, 0):
        return DEFAULT_PLATFORM_VERSION
    return f"{lowest.major}.{lowest.minor}.0"
