"""BPMN diagrams with lxml: safe reading, applying templates in place, example diagrams, and
reading back what an element carries for the engine.

Public API: `read_applied_task(path, element_id)`, `write_example_diagram(template, path,
values)` / `example_diagram(template, values)`, `load_diagram` / `parse_diagram` (a `Diagram`),
`apply_in_diagram`, `constraint_problems`, `unlink_in_diagram`, `remove_in_diagram`; errors are `BpmnError` (diagram
problems) and `generator.apply.ApplyError` (template and value problems).
"""

from generator.bpmn.applied import read_applied_task
from generator.bpmn.apply import apply_in_diagram, constraint_problems, remove_in_diagram, unlink_in_diagram
from generator.bpmn.document import MAX_DIAGRAM_BYTES, Diagram, load_diagram, parse_diagram
from generator.bpmn.errors import BpmnError
from generator.bpmn.example import TEMPLATED_ID, example_diagram, execution_platform_version, write_example_diagram

__all__ = [
    "MAX_DIAGRAM_BYTES",
    "TEMPLATED_ID",
    "BpmnError",
    "Diagram",
    "apply_in_diagram",
    "constraint_problems",
    "example_diagram",
    "execution_platform_version",
    "load_diagram",
    "parse_diagram",
    "read_applied_task",
    "remove_in_diagram",
    "unlink_in_diagram",
    "write_example_diagram",
]
