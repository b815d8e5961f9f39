"""Golden cases: the same steps run by the real Modeler (node harness) and by etk, compared on
BPMN semantics.

A case is a diagram, the templates the Modeler knows, and user steps (apply a template version,
type values, save and reopen, unlink, remove). `run_modeler` sends every case to
`tools/modeler-apply.mjs` in one node process; `run_etk` performs the same steps with
`generator.bpmn`; `canonical` turns either XML into comparable lines (namespace prefixes,
attribute order, whitespace, DI ids, generated message ids and UUIDs do not matter; element
types, attributes, extension elements and their order do).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

from generator.bpmn.apply import apply_in_diagram, remove_in_diagram, unlink_in_diagram
from generator.bpmn.document import parse_diagram
from generator.bpmn.namespaces import BPMN, BPMNDI, DC, DI, URIS, split_clark
from generator.validate.loading import load_template_file
from tests.npm_tools import modeler_apply

HERE = Path(__file__).parent
REPO = HERE.parent.parent
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


@dataclass(frozen=True)
class GoldenCase:
    """One scenario a user goes through in the Modeler."""

    name: str
    templates: tuple[Path, ...]
    steps: tuple[dict[str, Any], ...]
    diagram: str = "task.bpmn"
    element: str = "Task_1"

    def load_templates(self) -> list[dict[str, Any]]:
        return [t for path in self.templates for t in load_template_file(path)]

    def diagram_bytes(self) -> bytes:
        return (HERE / "diagrams" / self.diagram).read_bytes()


def run_modeler(cases: list[GoldenCase], tools: Path) -> dict[str, dict[str, str]]:
    """Run every case through the real Modeler code in one node process."""
    return modeler_apply(tools, [
        {
            "name": case.name,
            "diagram": case.diagram_bytes().decode("utf-8"),
            "element": case.element,
            "templates": case.load_templates(),
            "steps": list(case.steps),
        }
        for case in cases
    ])


def run_etk(case: GoldenCase) -> bytes:
    """The same steps with etk; `apply` followed by `set` is one apply with values."""
    diagram = parse_diagram(case.diagram_bytes(), case.diagram)
    templates = case.load_templates()
    steps = list(case.steps)
    index = 0
    while index < len(steps):
        step = steps[index]
        if "apply" in step:
            template = next(
                t for t in templates if t["id"] == step["apply"]["id"] and t.get("version") == step["apply"]["version"]
            )
            values = None
            if index + 1 < len(steps) and "set" in steps[index + 1]:
                values = dict(steps[index + 1]["set"])
                index += 1
            apply_in_diagram(diagram, case.element, template, values, known_templates=templates)
        elif "reimport" in step:
            diagram = parse_diagram(diagram.to_bytes(), case.diagram)
        elif "unlink" in step:
            unlink_in_diagram(diagram, case.element)
        elif "remove" in step:
            remove_in_diagram(diagram, case.element, templates)
        else:
            raise AssertionError(f"{case.name}: step {step} has no etk equivalent")
        index += 1
    return diagram.to_bytes()


def canonical(xml: bytes | str) -> list[str]:
    """One line per element: qualified tag and sorted attributes, indented by depth."""
    data = xml.encode() if isinstance(xml, str) else xml
    root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False))
    message_ids = {
        m.get("id"): f"<message {i}>" for i, m in enumerate(root.iterchildren(f"{{{BPMN}}}message"), start=1)
    }
    lines: list[str] = []

    def name(tag: str) -> str:
        uri, local = split_clark(tag)
        prefix = URIS.get(uri) if uri else None
        return f"{prefix}:{local}" if prefix else (f"{{{uri}}}{local}" if uri else local)

    def value(text: str) -> str:
        if UUID.match(text):
            return "<uuid>"
        return message_ids.get(text, text)

    def walk(element: etree._Element, depth: int) -> None:
        uri = split_clark(element.tag)[0]
        attributes = {
            name(key): value(text)
            for key, text in element.attrib.items()
            # DI ids and event definition ids are generated (random in the Modeler)
            if not (key == "id" and (uri in (BPMNDI, DC, DI) or element.tag.endswith("EventDefinition")))
        }
        # the Modeler adds label bounds to a shape whose name changes: layout, not semantics
        children = [c for c in element if isinstance(c.tag, str) and c.tag != f"{{{BPMNDI}}}BPMNLabel"]
        if element.tag == f"{{{BPMN}}}process":
            children.sort(key=lambda c: (c.get("id") or "", c.tag))
        if element.tag == f"{{{BPMNDI}}}BPMNPlane":
            children.sort(key=lambda c: c.get("bpmnElement") or "")
        shown = " ".join(f"{k}={v!r}" for k, v in sorted(attributes.items()))
        text = (element.text or "").strip()
        lines.append("  " * depth + name(element.tag) + (" " + shown if shown else "") + (f" text={text!r}" if text else ""))
        for child in children:
            walk(child, depth + 1)

    walk(root, 0)
    return lines


def assert_same_bpmn(actual: bytes | str, expected: bytes | str) -> None:
    """Compare canonical forms, failing with a unified diff (etk vs Modeler)."""
    left, right = canonical(actual), canonical(expected)
    if left != right:
        diff = "\n".join(difflib.unified_diff(right, left, "modeler", "etk", lineterm="", n=2))
        raise AssertionError("etk differs from the Modeler:\n" + diff)
