"""Property conditions: their simple clauses, and whether two conditions can never hold together.

Two properties may share an id when at most one of them can be active at a time, which is how
templates offer "the same" field per operation. The Modeler evaluates a condition against the
current value of the referenced property: `equals`/`oneOf` need one of the listed values,
`isEmpty` an empty (or non-empty) value, `isActive` the referenced property (in)active; an
`allMatch` needs all its clauses. Two conditions exclude each other when, for some referenced
property, the constraints they put on it cannot both be met.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

OPERATORS = ("equals", "oneOf", "isActive", "isEmpty")


@dataclass(frozen=True)
class Clause:
    """One simple condition: `target` (a property id) `operator` `operand`, found at `pointer`."""

    target: str
    operator: str
    operand: Any
    pointer: str


def clauses(condition: Any, pointer: str) -> list[Clause]:
    """The simple clauses of a property's or choice's `condition` at `pointer` (malformed parts,
    which the schema reports, are skipped)."""
    if not isinstance(condition, dict):
        return []
    if "allMatch" in condition:
        items = condition["allMatch"]
        if not isinstance(items, list):
            return []
        return [clause for index, item in enumerate(items) for clause in _simple(item, f"{pointer}/allMatch/{index}")]
    return _simple(condition, pointer)


def _simple(condition: Any, pointer: str) -> list[Clause]:
    if not isinstance(condition, dict) or not isinstance(condition.get("property"), str):
        return []
    for operator in OPERATORS:
        if operator in condition:
            return [Clause(condition["property"], operator, condition[operator], pointer)]
    return []


def compared_values(clause: Clause) -> list[tuple[str, Any]]:
    """(pointer, value) of each value an `equals`/`oneOf` clause compares with."""
    if clause.operator == "equals":
        return [(f"{clause.pointer}/equals", clause.operand)]
    if clause.operator == "oneOf" and isinstance(clause.operand, list):
        return [(f"{clause.pointer}/oneOf/{index}", value) for index, value in enumerate(clause.operand)]
    return []


def _key(value: Any) -> tuple[str, Any]:
    # Keep True apart from 1 and "true": the Modeler compares them as different values. Lists
    # and objects (which the schema rejects) still need a hashable stand-in.
    if isinstance(value, (list, dict)):
        return (type(value).__name__, json.dumps(value, sort_keys=True))
    return (type(value).__name__, value)


@dataclass
class _Constraint:
    """What one condition demands of one referenced property."""

    values: set[Any] | None = None  # allowed values (None: any)
    empty: bool | None = None  # must be empty / must not be empty
    active: bool | None = None  # must be active / inactive

    def add(self, clause: Clause) -> None:
        if clause.operator in ("equals", "oneOf"):
            allowed = {_key(value) for _, value in compared_values(clause)}
            self.values = allowed if self.values is None else self.values & allowed
            self._require_non_empty_values()
        elif clause.operator == "isEmpty" and isinstance(clause.operand, bool):
            self.empty = clause.operand
            self._require_non_empty_values()
        elif clause.operator == "isActive" and isinstance(clause.operand, bool):
            self.active = clause.operand

    def _require_non_empty_values(self) -> None:
        if self.empty and self.values is not None:
            self.values = {value for value in self.values if value[1] in (None, "")}

    def conflicts_with(self, other: _Constraint) -> bool:
        if self.active is not None and other.active is not None and self.active != other.active:
            return True
        # An inactive property has no value, so it can equal nothing.
        for inactive, valued in ((self, other), (other, self)):
            if inactive.active is False and valued.values is not None:
                return True
        if self.values is not None and other.values is not None and not (self.values & other.values):
            return True
        for emptiness, valued in ((self, other), (other, self)):
            if emptiness.empty is True and valued.empty is False:
                return True
            if emptiness.empty is True and valued.values is not None and all(v[1] not in (None, "") for v in valued.values):
                return True
        return False


def _constraints(condition_clauses: list[Clause]) -> dict[str, _Constraint]:
    result: dict[str, _Constraint] = {}
    for clause in condition_clauses:
        result.setdefault(clause.target, _Constraint()).add(clause)
    return result


def mutually_exclusive(first: list[Clause], second: list[Clause]) -> bool:
    """True when the conditions made of `first` and of `second` can never hold at the same time."""
    first_constraints = _constraints(first)
    second_constraints = _constraints(second)
    return any(
        target in second_constraints and constraint.conflicts_with(second_constraints[target])
        for target, constraint in first_constraints.items()
    )
