"""Applying, unlinking and removing a template on one element of a diagram, in place.

Each operation reads the element into an `ElementState`, runs the Modeler semantics from
`generator.apply` on it, and writes the result back with minimal edits.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from lxml import etree

from generator.apply import (
    ApplyError,
    ConstraintViolation,
    Identity,
    apply_to_state,
    constraint_violations,
    remove_state,
    unlink_state,
)
from generator.apply.state import TEMPLATE_ID
from generator.bpmn.document import Diagram
from generator.bpmn.element_state import read_state, write_state
from generator.bpmn.namespaces import split_clark
from generator.element_template import Template
from generator.problems import Location
from generator.task import AppliedTask

# What each `appliesTo` base type covers, by the element's BPMN tag (moddle's type hierarchy,
# for the elements templates are used on).
_ACTIVITY = ("task", "serviceTask", "userTask", "sendTask", "receiveTask", "scriptTask", "businessRuleTask",
             "manualTask", "callActivity", "subProcess", "adHocSubProcess", "transaction")
_EVENTS = ("startEvent", "endEvent", "intermediateCatchEvent", "intermediateThrowEvent", "boundaryEvent")
_COVERS = {
    "bpmn:Task": tuple(t for t in _ACTIVITY if t.endswith("Task") or t == "task"),
    "bpmn:Activity": _ACTIVITY,
    "bpmn:Event": _EVENTS,
    "bpmn:CatchEvent": ("startEvent", "intermediateCatchEvent", "boundaryEvent"),
    "bpmn:ThrowEvent": ("endEvent", "intermediateThrowEvent"),
    "bpmn:FlowNode": _ACTIVITY + _EVENTS,
}


def apply_in_diagram(
    diagram: Diagram,
    element_id: str,
    template: Template,
    values: Mapping[str, str] | None = None,
    known_templates: Iterable[Template] = (),
) -> AppliedTask:
    """Apply (or upgrade to) `template` on the element with `element_id`, then set `values`."""
    element = diagram.find_element(element_id)
    _check_applies(diagram, element, template)
    state = read_state(diagram, element)
    apply_to_state(state, template, values, known_templates=known_templates, identity=Identity(element_id))
    write_state(diagram, element, state)
    return state.to_applied_task(element_id)


def constraint_problems(diagram: Diagram, element_id: str, template: Template) -> list[ConstraintViolation]:
    """What the Modeler's properties panel marks red (and `@camunda/linting` reports) on the
    element: its active properties whose value breaks a constraint (`notEmpty`, lengths, pattern)."""
    return constraint_violations(read_state(diagram, diagram.find_element(element_id)), template)


def unlink_in_diagram(diagram: Diagram, element_id: str, template_id: str | None = None) -> AppliedTask:
    """The Modeler's "Unlink": remove the template link, keep what the template wrote."""
    element = diagram.find_element(element_id)
    state = read_state(diagram, element)
    _check_linked(diagram, element, state.get(TEMPLATE_ID), template_id)
    unlink_state(state)
    write_state(diagram, element, state)
    return state.to_applied_task(element_id)


def remove_in_diagram(
    diagram: Diagram, element_id: str, known_templates: Iterable[Template] = (), template_id: str | None = None
) -> AppliedTask:
    """The Modeler's "Remove": remove the template link and everything it binds (the linked
    version, looked up in `known_templates`, tells which attributes it binds)."""
    element = diagram.find_element(element_id)
    state = read_state(diagram, element)
    _check_linked(diagram, element, state.get(TEMPLATE_ID), template_id)
    remove_state(state, known_templates)
    write_state(diagram, element, state)
    return state.to_applied_task(element_id)


def _location(diagram: Diagram, element: etree._Element) -> Location:
    return Location(diagram.source, element.sourceline)


def _check_linked(diagram: Diagram, element: etree._Element, linked: str | None, expected: str | None) -> None:
    where = _location(diagram, element)
    if linked is None:
        raise ApplyError(f"element {element.get('id')!r} is not linked to an element template", rule="not-linked", location=where)
    if expected is not None and linked != expected:
        raise ApplyError(
            f"element {element.get('id')!r} is linked to template {linked!r}, not {expected!r}", rule="not-linked", location=where
        )


def _check_applies(diagram: Diagram, element: etree._Element, template: Template) -> None:
    """Refuse templates whose `appliesTo` does not cover the element (the Modeler would not
    offer them for it)."""
    local = split_clark(element.tag)[1]
    own_type = "bpmn:" + local[:1].upper() + local[1:]
    applies_to = template.get("appliesTo") or []
    declared = template.get("elementType")
    element_type = declared.get("value") if declared else None
    if own_type in applies_to or own_type == element_type:
        return
    if any(local in _COVERS.get(base, ()) for base in applies_to):
        return
    raise ApplyError(
        f"element {element.get('id')!r} is a {own_type}; template {template['id']!r} applies to "
        f"{', '.join(applies_to) or 'nothing'}",
        rule="element-type",
        location=_location(diagram, element),
    )
