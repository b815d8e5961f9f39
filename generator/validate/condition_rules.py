"""Rules about which properties can be active: conditions that never hold, ids and bindings two
active properties share, and the task definition type a job worker needs.

They ask `ConditionModel` (generator/validate/conditions.py), which searches the states the
Modeler can reach, so "never" and "at the same time" follow the Modeler's own evaluation of
conditions, including dropdown choices, defaults and Hidden values.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from generator.problems import Problem
from generator.validate import bpmn_types
from generator.validate.conditions import Clause, Test, compared_values, describe_value, operands
from generator.validate.findings import finding
from generator.validate.positions import join

if TYPE_CHECKING:
    from generator.validate.rules import TemplateView


def conditions(view: TemplateView) -> list[Problem]:
    """condition-self, condition-target, condition-order, condition-value, condition-dead-value,
    condition-never-holds and condition-cycle."""
    model = view.model
    found: list[Problem] = []
    cyclic: set[int] = set()
    for cycle in model.active_cycles():
        cyclic.update(cycle)
        if len(cycle) > 1:
            names = " -> ".join(json.dumps(view.property_id(index)) for index in [*cycle, cycle[0]])
            found.append(finding("condition-cycle", view.property_pointer(cycle[0], "condition"),
                                 f"the conditions refer to each other through isActive ({names}): the Modeler evaluates them "
                                 "by endless recursion and fails; break the cycle"))
    for index, prop in view.properties:
        own_id = prop.get("id")
        property_clauses = view.conditions.get(index, [])
        explained = False
        for rank, clause in enumerate(property_clauses):
            explained = _clause_findings(view, index, own_id, clause, model.test(index, rank), "this property is never active",
                                         found) or explained
        if property_clauses and not explained and index not in cyclic and model.can_be({index: True}) is False:
            found.append(finding("condition-never-holds", view.property_pointer(index, "condition"),
                                 _never_message(view, property_clauses)))
        for clause in view.facts[index].choice_clauses:
            _clause_findings(view, index, own_id, clause, model.compile(clause), "this choice is never offered", found)
    return found


def _clause_findings(view: TemplateView, index: int, own_id: Any, clause: Clause, test: Test,
                     consequence: str, found: list[Problem]) -> bool:
    """Adds to `found` the findings of one clause of the property at `index` (`test` is the
    clause compiled by the model; the clause's pointer is relative to the property); returns
    whether one of them already says the clause never holds."""
    model = view.model
    position = model.first_by_id.get(clause.target)
    if clause.target == own_id or position is None or position > index:  # (most clauses skip this)
        at = view.property_pointer(index) + clause.pointer + "/property"
        if clause.target == own_id and clause.operator != "isActive":
            found.append(finding("condition-self", at,
                          f'condition refers to the property\'s own id "{own_id}"; a property cannot depend on itself'))
            return True
        if clause.target == own_id:
            found.append(finding("condition-self", at,
                          f'condition refers to the property\'s own id "{own_id}": the Modeler evaluates "isActive" of '
                          "itself by endless recursion and fails; a property cannot depend on itself"))
            return True
        if position is None:
            if test.constant:
                found.append(finding("condition-target", at,
                              f'condition refers to property id "{clause.target}", which no property has, so the clause '
                              '"isActive": false always holds; use an existing id or remove the clause'))
                return False
            found.append(finding("condition-target", at,
                          f'condition refers to property id "{clause.target}", which no property has, so {consequence}; '
                          "use the id of an existing property"))
            return True
        found.append(finding("condition-order", at,
                      f'condition refers to property "{clause.target}", which is defined later '
                      f"({view.property_pointer(position)}); define it before the properties that depend on it"))
    if clause.operator not in ("equals", "oneOf") or test.allowed is None:
        return False
    if test.allowed and len(operands(clause)) == 1:
        return False
    holder = view.property_pointer(index)
    impossible = [(holder + pointer, value) for pointer, value in compared_values(clause)
                  if not model.operand_possible(clause.target, value)]
    if not impossible:
        return False
    possible = ", ".join(describe_value(value) for value in model.possible_values(position))
    what = _holder(view, position)
    if not test.allowed:
        for pointer, value in impossible:
            found.append(finding("condition-value", pointer,
                          f"{json.dumps(value, ensure_ascii=False)} is never the value of {what} ({possible}), so "
                          f"{consequence}; compare with one of those values"))
        return True
    for pointer, value in impossible:
        found.append(finding("condition-dead-value", pointer,
                      f"{json.dumps(value, ensure_ascii=False)} is never the value of {what} ({possible}); "
                      "the other values keep the condition useful: remove this one"))
    return False


def _holder(view: TemplateView, position: int) -> str:
    prop = dict(view.properties)[position]
    kind = "dropdown" if prop.get("type") == "Dropdown" else "Hidden property" if prop.get("type") == "Hidden" else "property"
    return f'{kind} "{prop.get("id")}"'


def _never_message(view: TemplateView, property_clauses: list[Clause]) -> str:
    model = view.model
    for clause in property_clauses:
        position = model.first_by_id.get(clause.target)
        if position is not None and model.can_be({position: True}) is False:
            return (f'this property is never active: its condition needs property "{clause.target}", which is itself never '
                    "active; fix that property's condition first")
    targets = ", ".join(dict.fromkeys(json.dumps(clause.target) for clause in property_clauses))
    return (f"this property is never active: no values the properties {targets} can hold together satisfy every clause "
            "of its condition (the Modeler never shows or writes it); make the clauses compatible")


def property_ids(view: TemplateView) -> Iterator[Problem]:
    """unique-property-id: properties sharing an id must never be active together."""
    for property_id, positions in view.positions_by_id.items():
        if len(positions) == 1:
            continue
        for earlier, later in view.model.first_active_together(positions):
            yield finding("unique-property-id", view.property_pointer(later, "id"),
                          f'property id "{property_id}" is already used by {view.property_pointer(earlier)}, and both '
                          "can be active at the same time; ids must be unique unless the properties' conditions "
                          "exclude each other")


# What two active properties must not both write (the Modeler keeps one of them, silently).
_EXCLUSIVE_BINDINGS = {
    "zeebe:taskDefinition": ("property", "the task definition's {}"),
    "zeebe:taskDefinition:type": (None, "the task definition type"),
    "zeebe:input": ("name", 'the input mapping target "{}"'),
    "zeebe:taskHeader": ("key", 'the task header "{}"'),
}


def duplicate_bindings(view: TemplateView) -> Iterator[Problem]:
    """duplicate-binding: two properties that can be active together write the same task
    definition field, input target or task header."""
    by_identity: dict[tuple[Any, ...], list[int]] = {}
    for index, prop in view.bound(*_EXCLUSIVE_BINDINGS):
        identity = _write_target(prop["binding"])
        if identity is not None:
            by_identity.setdefault(identity, []).append(index)
    for identity, positions in by_identity.items():
        if len(positions) == 1:
            continue
        what = _EXCLUSIVE_BINDINGS[identity[0]][1].format(identity[1])
        for earlier, later in view.model.first_active_together(positions):
            yield finding("duplicate-binding", view.property_pointer(later, "binding"),
                          f"this property and {view.property_pointer(earlier)} can be active at the same time and "
                          f"both write {what}: the Modeler keeps only one value, silently; give them conditions "
                          "that exclude each other, or remove one")


def _write_target(binding: dict[str, Any]) -> tuple[str, Any] | None:
    binding_type = binding["type"]
    if binding_type in ("zeebe:taskDefinition", "zeebe:taskDefinition:type"):
        field = "type" if binding_type == "zeebe:taskDefinition:type" else binding.get("property")
        return ("zeebe:taskDefinition", field) if isinstance(field, str) else None
    key = binding.get(_EXCLUSIVE_BINDINGS[binding_type][0] or "")
    return (binding_type, key) if isinstance(key, str) else None


# Element types the engine runs as jobs: without a task definition type they do not deploy.
_JOB_WORKER_TYPES = ("bpmn:ServiceTask", "bpmn:SendTask", "bpmn:ScriptTask", "bpmn:BusinessRuleTask")
_ALTERNATIVE_IMPLEMENTATION = {"bpmn:ScriptTask": "zeebe:script", "bpmn:BusinessRuleTask": "zeebe:calledDecision"}
_MESSAGE_THROW_EVENTS = ("bpmn:IntermediateThrowEvent", "bpmn:EndEvent")


def task_definition_type(view: TemplateView) -> Iterator[Problem]:
    """task-definition-type: a template that makes a service task (or another job-worker
    element) must always set the task definition type."""
    element_type = view.template.get("elementType")
    applies_to = view.template.get("appliesTo")
    if isinstance(element_type, dict) and isinstance(element_type.get("value"), str):
        targets = [element_type["value"]]
        if element_type["value"] in _MESSAGE_THROW_EVENTS and element_type.get("eventDefinition") == "bpmn:MessageEventDefinition":
            targets = ["bpmn:ServiceTask"]  # a message throw event is implemented by a job worker
        where = join(view.pointer, "elementType", "value")
    elif isinstance(applies_to, list):
        targets = [each for each in applies_to if isinstance(each, str)]
        where = join(view.pointer, "appliesTo")
    else:
        return
    binding_types = view.positions_by_binding_type.keys()
    needing = [each for each in targets
               if any(bpmn_types.is_type(each, worker) for worker in _JOB_WORKER_TYPES)
               and _ALTERNATIVE_IMPLEMENTATION.get(each) not in binding_types]
    if not needing:
        return
    type_properties = [index for index, prop in view.bound("zeebe:taskDefinition", "zeebe:taskDefinition:type") if _sets_job_type(prop)]
    element = needing[0]
    if not type_properties:
        yield finding("task-definition-type", where,
                      f"the template makes a {element} but no property sets its task definition type, so the engine has no "
                      'job type and the process does not deploy; add a Hidden property with binding {"type": '
                      '"zeebe:taskDefinition", "property": "type"} and the job type as its value')
        return
    if view.model.can_be(dict.fromkeys(type_properties, False)) is not False:
        pointer = view.property_pointer(type_properties[0], "condition")
        yield finding("task-definition-type", pointer,
                      f"the task definition type of this {element} is set only under a condition, and some values of the "
                      "properties it depends on leave it unset (the process does not deploy then); set it unconditionally")


def _sets_job_type(prop: dict[str, Any]) -> bool:
    binding = prop.get("binding")
    if not isinstance(binding, dict):
        return False
    if binding.get("type") == "zeebe:taskDefinition:type":
        pass
    elif binding.get("type") != "zeebe:taskDefinition" or binding.get("property") != "type":
        return False
    if prop.get("type") == "Hidden":
        value = prop.get("value")
        return (isinstance(value, str) and value.strip() != "") or "generatedValue" in prop
    return True


