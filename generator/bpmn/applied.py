"""Reading back what a diagram's element carries for the engine, for the runtime."""

from __future__ import annotations

from pathlib import Path

from generator.bpmn.document import load_diagram
from generator.bpmn.element_state import read_state
from generator.task import AppliedTask


def read_applied_task(path: Path, element_id: str) -> AppliedTask:
    """Job type, retries, inputs, outputs, headers, zeebe properties and template link of the
    element `element_id` in the BPMN file at `path` (any file, including ones the Modeler saved:
    namespaces are matched by URI, not prefix). Raises `BpmnError` for unreadable files and
    unknown ids."""
    diagram = load_diagram(Path(path))
    element = diagram.find_element(element_id)
    return read_state(diagram, element).to_applied_task(element_id)
