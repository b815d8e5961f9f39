"""Property conditions: their simple clauses, and which properties they can make active together.

The Modeler decides which properties of a template are active (shown in the panel, written to
the XML) from their conditions (`bpmn-js-element-templates` 2.37, `Condition.js`):

* a clause names a property by id and finds the *first* property with that id;
* `equals` / `oneOf` compare the value that property's binding currently holds in the XML
  (`""` when nothing is written), un-cast from FEEL for cast properties (`=true` -> `true`,
  `=42` -> 42, a Number compared numerically), with `===`; an unknown id never matches;
* `isEmpty` tests that value for `undefined` / `null` / `""`; an unknown id never matches;
* `isActive` evaluates the named property's own condition (an unknown id is inactive);
* `allMatch` needs all its clauses.

After every change the Modeler re-applies conditions until the set of active properties is
stable, so what a user can ever see is a *consistent state*: every property is active exactly
when its condition holds over the values the active properties hold. `ConditionModel` searches
those states over an abstraction of the values each property can hold (a dropdown its choices
and its default, a Hidden property its value, a text field the constants conditions compare it
with, empty, or anything else). Where the Modeler's behaviour is not certain (Boolean and
Number casts of absent values, a binding two properties share, `property` bindings of BPMN
attributes), a clause counts as possibly true, so "never" is only said when it is certain.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from generator.element_template import all_match

OPERATORS = ("equals", "oneOf", "isActive", "isEmpty")
MAX_STATES = 20_000  # above this many candidate states a question is left undecided

# A value a property can hold, abstracted: ("s", text), ("b", bool), ("n", number), OTHER.
Value = tuple[Any, ...]
EMPTY: Value = ("s", "")
OTHER: Value = ("other",)  # a value no condition compares with


@dataclass(frozen=True)
class Clause:
    """One simple condition: `target` (a property id) `operator` `operand`, found at `pointer`
    (the rules give pointers relative to the property the condition is in)."""

    target: str
    operator: str
    operand: Any
    pointer: str
    key: tuple[Any, ...] | None = field(compare=False, repr=False)  # `_clause_key` of the others


def _clause_key(target: str, operator: str, operand: Any) -> tuple[Any, ...] | None:
    """What `ConditionModel.compile` makes of a clause depends on, hashable (None for an operand of
    another shape). Types are part of it: `true` and `1` are equal in Python, not to the Modeler."""
    if operand is None or type(operand) in (str, bool, int, float):
        return (target, operator, type(operand), operand)
    if type(operand) is list and all(type(each) is str for each in operand):
        return (target, operator, list, *operand)
    return None


def clauses(condition: Any, pointer: str) -> list[Clause]:
    """The simple clauses of a property's or choice's `condition` at `pointer` (malformed parts,
    which the schema reports, are skipped)."""
    if not isinstance(condition, dict):
        return []
    items = all_match(condition)
    if items is None:
        return _simple(condition, pointer)
    return [clause for index, item in enumerate(items) for clause in _simple(item, f"{pointer}/allMatch/{index}")]


def _simple(condition: Any, pointer: str) -> list[Clause]:
    if not isinstance(condition, dict) or not isinstance(condition.get("property"), str):
        return []
    for operator in OPERATORS:
        if operator in condition:
            target, operand = condition["property"], condition[operator]
            return [Clause(target, operator, operand, pointer, _clause_key(target, operator, operand))]
    return []


def compared_values(clause: Clause) -> list[tuple[str, Any]]:
    """(pointer, value) of each value an `equals`/`oneOf` clause compares with (`operands`)."""
    if clause.operator == "equals":
        return [(f"{clause.pointer}/equals", clause.operand)]
    return [(f"{clause.pointer}/oneOf/{index}", value) for index, value in enumerate(operands(clause))]


def binding_identity(prop: Mapping[str, Any]) -> tuple[Any, ...] | None:
    """What a property writes to, as the Modeler matches it: the binding type and its naming
    keys (input `name`, header `key`, task definition `property`, ...); None when malformed."""
    binding = prop.get("binding")
    if not isinstance(binding, dict) or not isinstance(binding.get("type"), str):
        return None
    return (binding["type"], *[value if value is None or type(value) is str else _hashable(value)
                               for value in map(binding.get, _NAMING_KEYS)])


_NAMING_KEYS = ("name", "source", "key", "property", "linkName", "eventType")


def _hashable(value: Any) -> Any:
    return value if value is None or isinstance(value, str) else json.dumps(value, sort_keys=True)


# ---- what a property's value can be -------------------------------------------------------------

_STRING_TYPES = ("String", "Text", "Dropdown", "Hidden")


def _js_string(value: Any) -> str:
    """`String(value)` in JavaScript for JSON scalars (what an XML attribute stores)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _js_number(value: Any) -> float:
    """`Number(value)` in JavaScript for JSON scalars (NaN when not a number)."""
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, int):
        try:
            return float(value)
        except OverflowError:  # past a double's range: JavaScript's Number gives ±Infinity
            return math.inf if value > 0 else -math.inf
    if isinstance(value, float):
        return value
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return 0.0
        try:
            return float(text)
        except ValueError:
            return math.nan
    return math.nan


def _from_feel(operand: str) -> str:
    """`fromFeelExpression` of the text part: one leading `=` removed."""
    return operand[1:] if operand.startswith("=") else operand


@dataclass(frozen=True)
class ValueModel:
    """What one property's value can be, and how a clause's operand compares with it.

    `kind` is "enum" (a fixed set: dropdowns, Hidden values), "text" (anything typed: the
    constants compared with plus empty and other), "bool", "number" or "unknown" (no claim).
    """

    kind: str
    values: frozenset[Value] = frozenset()
    cast: bool = False  # bool/number: the Modeler reads it through its FEEL cast

    def key(self, operand: Any) -> Value | None:
        """The value an `equals` operand matches, or None when it cannot be said."""
        if self.kind in ("enum", "text"):
            if isinstance(operand, str):
                if operand.lstrip().startswith("=") and not operand.startswith("="):
                    return None  # " =x": FEEL to the Modeler's test, not to its cast
                if _from_feel(operand) == "":
                    return None  # "" matches an absent value, not one written empty (undefined)
                return ("s", _from_feel(operand))
            return ("never",)  # the stored value is text: `===` with a non-string never holds
        if self.kind == "bool":
            if isinstance(operand, bool):
                return ("b", operand)
            if isinstance(operand, str) and operand.startswith("="):
                return ("b", _from_feel(operand) != "false")
            return ("never",)
        if self.kind == "number":
            number = _js_number(_from_feel(operand) if isinstance(operand, str) else operand)
            return ("never",) if math.isnan(number) else ("n", number)
        return None

    def candidates(self, compared: Iterable[Any]) -> list[Value]:
        """The values to try for this property, given the operands conditions compare it with."""
        if self.kind == "enum":
            return sorted(self.values, key=repr)
        if self.kind == "unknown":
            return [OTHER]
        found: set[Value] = {OTHER}
        if self.kind == "text":
            found.add(EMPTY)
        if self.kind == "bool":
            found = {("b", True), ("b", False)}
        for operand in compared:
            key = self.key(operand)
            if key is not None and key != ("never",):
                found.add(key)
        return sorted(found, key=repr)

    def inactive_values(self, compared: Iterable[Any]) -> list[Value]:
        """What the value reads as while the property is inactive (nothing written by it)."""
        if self.kind in ("enum", "text"):
            return [EMPTY]
        if self.kind == "number":
            return [("n", 0.0)]  # Number("") is 0
        if self.kind == "bool":
            # the cast reads "" as true (it is not "false"); uncast, "" equals no boolean
            return [("b", True)] if self.cast else [("never",)]
        return [OTHER]


def value_model(prop: Mapping[str, Any]) -> ValueModel:
    """What the Modeler can find in the XML for `prop` alone (see the module docstring)."""
    binding = prop.get("binding")
    binding_type = binding.get("type") if isinstance(binding, dict) else None
    kind = prop.get("type", "String")
    if binding_type == "property" or not isinstance(kind, str):
        return ValueModel("unknown")
    feel = prop.get("feel") or ("static" if binding_type in ("zeebe:input", "zeebe:output") else None)
    if kind in ("Boolean", "Number"):
        return ValueModel("bool" if kind == "Boolean" else "number", cast=feel in ("optional", "static", "required"))
    if kind not in _STRING_TYPES:
        return ValueModel("unknown")
    if prop.get("feel") is not None and kind in ("Dropdown", "Hidden"):
        return ValueModel("unknown")
    if kind == "Hidden":
        if "generatedValue" in prop:
            return ValueModel("enum", frozenset({OTHER}))
        value = prop.get("value")
        return ValueModel("enum", frozenset({EMPTY if value is None else ("s", _js_string(value))}))
    if kind == "Dropdown":
        choices = prop.get("choices")
        if not isinstance(choices, list):
            return ValueModel("unknown")
        values = {("s", choice["value"]) for choice in choices
                  if isinstance(choice, dict) and isinstance(choice.get("value"), str)}
        default = prop.get("value")
        if default is None or prop.get("optional") is True:
            values.add(EMPTY)
        if default is not None:
            values.add(("s", _js_string(default)))
        return ValueModel("enum", frozenset(values))
    return ValueModel("text")


# ---- the search ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Test:
    """A clause compiled against the model: the variable it reads (("a", position) for a
    property's activity, ("v", binding) for a binding's value) and the values of it that make
    the clause hold; `allowed` None when that cannot be said. A clause on an unknown id reads
    nothing and has the fixed outcome `constant`."""

    var: Any
    allowed: frozenset[Any] | None
    constant: bool | None = None


Check = Callable[[Mapping[Any, Any]], "bool | None"]


class KnownProperty(Protocol):
    """What `ConditionModel` reads from one property alone, when its caller has it already."""

    @property
    def binding(self) -> tuple[Any, ...] | None:
        """`binding_identity` of the property."""

    def value_model(self) -> ValueModel:
        """`value_model` of the property."""


class ConditionModel:
    """The properties of one template and the states their conditions allow.

    Positions are indexes into the template's `properties`; a clause resolves to the first
    property with its id, as the Modeler's `properties.find` does. A state gives every property
    involved an activity and every binding involved a value: properties that write the same
    binding (an input target, a header key, ...) read the same value, written by whichever of
    them is active.
    """

    def __init__(self, properties: Sequence[tuple[int, Mapping[str, Any]]], conditions: Mapping[int, list[Clause]],
                 known: Mapping[int, KnownProperty] | None = None, positions_by_id: Mapping[str, list[int]] | None = None) -> None:
        """`known` gives what the caller already knows of each property alone, `positions_by_id`
        the positions of the properties with each id, when the caller has them."""
        self.first_by_id: dict[str, int] = {}
        if positions_by_id is not None:
            self.first_by_id = {property_id: positions[0] for property_id, positions in positions_by_id.items()}
        else:
            for index, prop in properties:
                if isinstance(prop.get("id"), str):
                    self.first_by_id.setdefault(prop["id"], index)
        self._group_of: dict[int, Any] = {}
        self._writers: dict[Any, list[int]] = {}
        for index, prop in properties:
            group = (known[index].binding if known is not None else binding_identity(prop)) or ("own", index)
            self._group_of[index] = group
            self._writers.setdefault(group, []).append(index)
        self._properties = dict(properties)
        self._compared: dict[Any, list[Any]] = {}
        self._reading_activity: set[int] = set()  # positions of properties whose condition reads an activity
        for index, found in conditions.items():
            for clause in found:
                target = self.first_by_id.get(clause.target)
                if target is None:
                    continue
                if clause.operator in ("equals", "oneOf"):
                    self._compared.setdefault(self._group_of[target], []).extend(operands(clause))
                elif clause.operator == "isActive":
                    self._reading_activity.add(index)
        self._known = known
        self._own_models: dict[int, ValueModel] = {}
        self._group_models: dict[Any, ValueModel] = {}
        self._group_values: dict[Any, tuple[Value, ...]] = {}
        self._compiled: dict[tuple[Any, ...], Test] = {}
        self._tests: dict[int, tuple[Test, ...]] = {
            index: tuple([self.compile(clause) for clause in found]) for index, found in conditions.items() if found
        }
        self._cache: dict[tuple[Any, ...], bool | None] = {}
        self._cycle_list: list[list[int]] | None = None
        self._demands: dict[int, dict[Any, frozenset[Any]]] = {}
        self._writable: dict[int, frozenset[Value]] = {}

    def _own_model(self, index: int) -> ValueModel:
        if index not in self._own_models:
            self._own_models[index] = self._known[index].value_model() if self._known is not None else value_model(self._properties[index])
        return self._own_models[index]

    def _model(self, group: Any) -> ValueModel:
        if group not in self._group_models:
            self._group_models[group] = _union([self._own_model(index) for index in self._writers[group]])
        return self._group_models[group]

    def _values(self, group: Any) -> tuple[Value, ...]:
        """Every value the binding can read as, written or not."""
        if group not in self._group_values:
            model = self._model(group)
            compared = self._compared.get(group, ())
            self._group_values[group] = tuple(sorted({*model.candidates(compared), *model.inactive_values(compared)}, key=repr))
        return self._group_values[group]

    def compile(self, clause: Clause) -> Test:
        """`clause` as a test on one variable (see `Test`); clauses alike (the same property id,
        operator and operand, as many properties of a template have) share one test."""
        key = clause.key
        if key is None:
            return self._compile(clause)
        test = self._compiled.get(key)
        if test is None:
            test = self._compiled[key] = self._compile(clause)
        return test

    def _compile(self, clause: Clause) -> Test:
        operator, operand = clause.operator, clause.operand
        target = self.first_by_id.get(clause.target)
        if target is None:
            return Test(None, None, constant=(not operand) if operator == "isActive" and isinstance(operand, bool) else False)
        if operator == "isActive":
            return Test(("a", target), frozenset({operand}) if isinstance(operand, bool) else None)
        group = self._group_of[target]
        model = self._model(group)
        values = self._values(group)
        if operator == "isEmpty":
            if model.kind not in ("enum", "text") or not isinstance(operand, bool):
                return Test(("v", group), None)
            return Test(("v", group), frozenset(value for value in values if (value == EMPTY) is operand))
        operands = [operand] if operator == "equals" else operand if isinstance(operand, list) else None
        if operands is None:
            return Test(("v", group), None)
        keys = [model.key(each) for each in operands]
        if any(key is None for key in keys):
            return Test(("v", group), None)
        return Test(("v", group), frozenset(value for value in values if value in keys))

    # -- questions --------------------------------------------------------------------------------

    def test(self, index: int, rank: int) -> Test:
        """The compiled `rank`-th clause of the condition of the property at `index`."""
        return self._tests[index][rank]

    def possible_values(self, index: int) -> list[Value]:
        """The values the binding of the property at `index` can hold while written (for messages)."""
        group = self._group_of[index]
        return self._model(group).candidates(self._compared.get(group, ()))

    def clause_can_hold(self, clause: Clause) -> bool:
        """Whether `clause` holds for some value its property's binding can hold and some
        activity of the property, ignoring every other condition: False for an unknown id
        (except `isActive: false`) or values the binding never holds."""
        test = self.compile(clause)
        if test.var is None:
            return bool(test.constant)
        return test.allowed is None or bool(test.allowed)

    def operand_possible(self, target_id: str, operand: Any) -> bool:
        """Whether the binding of the property with id `target_id` can ever hold a value equal
        to `operand`."""
        target = self.first_by_id.get(target_id)
        if target is None:
            return False
        group = self._group_of[target]
        key = self._model(group).key(operand)
        return key is None or key in self._values(group)

    def can_be(self, required: Mapping[int, bool], *, certainly: bool = False) -> bool | None:
        """Whether some consistent state has each property at `required`'s positions active
        (True) or inactive (False); None when the question is too large or involves a cycle
        of `isActive` references.

        A clause whose outcome cannot be said counts as possibly true, so False means "never"
        for certain; with `certainly`, only states where every outcome is known count, and
        bindings hold only what an active property writes, so True means "possible" for
        certain.
        """
        if certainly and len(required) == 2 and all(required.values()) and self._exclusive(*required):
            return False
        if not certainly and len(required) == 1 and all(required.values()):
            index = next(iter(required))
            if index not in self._reading_activity:
                # only values: possible unless one clause never holds or two demand different values
                return (all(test.var is not None or test.constant for test in self._tests.get(index, ()))
                        and all(self._demands_of(index).values()))
        key = (certainly, *sorted(required.items()))
        if key not in self._cache:
            self._cache[key] = self._search(required, certainly)
        return self._cache[key]

    def first_active_together(self, positions: Sequence[int]) -> Iterator[tuple[int, int]]:
        """(earlier, later) for each property `later` of `positions` that can certainly be
        active at the same time as an earlier one of them, `earlier` the first such one.

        Only pairs whose clauses do not demand disjoint values of one variable (`_exclusive`)
        are searched: an index of the earlier properties by the values they demand finds them
        without comparing every pair.
        """
        seen: list[int] = []
        seen_set: set[int] = set()
        demanding: dict[Any, set[int]] = {}  # variable -> earlier properties that demand values of it
        allowing: dict[Any, dict[Any, set[int]]] = {}  # variable -> value -> those that allow it
        for later in positions:
            candidates: set[int] | None = None  # None: every earlier one
            for var, allowed in self._demands_of(later).items():
                if var in demanding:
                    compatible = seen_set.difference(demanding[var])
                    compatible.update(*(allowing.get(var, {}).get(value, ()) for value in allowed))
                    candidates = compatible if candidates is None else candidates & compatible
            earlier = next((each for each in seen if (candidates is None or each in candidates)
                            and self.can_be({each: True, later: True}, certainly=True)), None)
            if earlier is not None:
                yield earlier, later
            seen.append(later)
            seen_set.add(later)
            for var, allowed in self._demands_of(later).items():
                demanding.setdefault(var, set()).add(later)
                for value in allowed:
                    allowing.setdefault(var, {}).setdefault(value, set()).add(later)

    def active_cycles(self) -> list[list[int]]:
        """Cycles of `isActive` references (the Modeler evaluates them by endless recursion),
        each as the positions on it, starting at its lowest position."""
        if self._cycle_list is None:
            edges = {index: {test.var[1] for test in self._tests[index] if test.var is not None and test.var[0] == "a"}
                     for index in self._reading_activity}
            cycles: list[list[int]] = []
            for start in sorted(edges):
                stack: list[list[int]] = [[start]]
                while stack:
                    path = stack.pop()
                    for following in sorted(edges.get(path[-1], ())):
                        if following == start:
                            cycles.append(path)
                        elif following > start and following not in path:
                            stack.append([*path, following])
            self._cycle_list = cycles
        return self._cycle_list

    # -- quick answers ----------------------------------------------------------------------------

    def _exclusive(self, first: int, second: int) -> bool:
        """A quick proof that two properties are never active together: their clauses demand
        different values of one binding, or opposite activity of one property."""
        first_demands, second_demands = self._demands_of(first), self._demands_of(second)
        return any(var in second_demands and not allowed & second_demands[var] for var, allowed in first_demands.items())

    def _demands_of(self, index: int) -> dict[Any, frozenset[Any]]:
        """The values each variable must have for the property's condition to hold (as far as
        its clauses say)."""
        if index not in self._demands:
            demands: dict[Any, frozenset[Any]] = {}
            for test in self._tests.get(index, ()):
                if test.var is not None and test.allowed is not None:
                    demands[test.var] = test.allowed if test.var not in demands else demands[test.var] & test.allowed
            self._demands[index] = demands
        return self._demands[index]

    # -- the search -------------------------------------------------------------------------------

    def _writes(self, writer: int) -> frozenset[Value]:
        """The values property `writer` can write to its binding."""
        if writer not in self._writable:
            self._writable[writer] = frozenset(self._own_model(writer).candidates(self._compared.get(self._group_of[writer], ())))
        return self._writable[writer]

    def _closure(self, positions: Iterable[int], precise: bool) -> tuple[list[int], list[Any]] | None:
        """The properties whose activity and the bindings whose value the conditions of
        `positions` depend on (transitively); None when an `isActive` cycle is among them.

        `precise` adds the properties that write those bindings: a binding then holds only
        what an active writer writes. Without them it may hold any value one of its writers
        can write, active or not (more states than the Modeler reaches, far fewer to search).
        """
        properties: set[int] = set()
        groups: set[Any] = set()
        pending = list(positions)
        while pending:
            index = pending.pop()
            if index in properties:
                continue
            properties.add(index)
            for test in self._tests.get(index, ()):
                if test.var is None:
                    continue
                if test.var[0] == "a":
                    pending.append(test.var[1])
                else:
                    groups.add(test.var[1])
                    if precise:
                        pending.extend(self._writers[test.var[1]])
        if any(properties.intersection(cycle) for cycle in self.active_cycles()):
            return None
        return sorted(properties), sorted(groups, key=repr)

    def _search(self, required: Mapping[int, bool], certainly: bool) -> bool | None:
        closure = self._closure(required, precise=certainly)
        if closure is None:
            return None
        properties, groups = closure
        variables: list[tuple[Any, list[Any]]] = []
        for index in properties:
            if index in required:
                options = [required[index]]
            else:
                options = [True, False] if index in self._tests else [True]
            variables.append((("a", index), options))
        for group in groups:
            variables.append((("v", group), list(self._values(group))))
        checks: list[tuple[frozenset[Any], Check]] = []
        for index in properties:
            needed = {("a", index)} | {test.var for test in self._tests.get(index, ()) if test.var is not None}
            checks.append((frozenset(needed), functools.partial(self._activity_check, index)))
        if certainly:
            for group in groups:
                needed = {("v", group)} | {("a", writer) for writer in self._writers[group]}
                checks.append((frozenset(needed), functools.partial(self._value_check, group)))
        return _backtrack(variables, checks, certainly)

    def _activity_check(self, index: int, state: Mapping[Any, Any]) -> bool | None:
        holds = self._holds(index, state)
        return None if holds is None else holds == state[("a", index)]

    def _value_check(self, group: Any, state: Mapping[Any, Any]) -> bool:
        value = state[("v", group)]
        active = [writer for writer in self._writers[group] if state[("a", writer)]]
        if not active:
            return value in self._model(group).inactive_values(self._compared.get(group, ()))
        return any(value in self._writes(writer) for writer in active)

    def _holds(self, index: int, state: Mapping[Any, Any]) -> bool | None:
        """Kleene AND of the property's clauses in `state` (True: no condition)."""
        result: bool | None = True
        for test in self._tests.get(index, ()):
            if test.var is None:
                if not test.constant:
                    return False
            elif test.allowed is None:
                result = None
            elif state[test.var] not in test.allowed:
                return False
        return result


def _union(models: list[ValueModel]) -> ValueModel:
    """The model of a binding several properties write."""
    if len(models) == 1:
        return models[0]
    kinds = {model.kind for model in models}
    if kinds <= {"enum", "text"}:
        kind = "text" if "text" in kinds else "enum"
        return ValueModel(kind, frozenset().union(*(model.values for model in models)))
    if len(kinds) == 1 and len({model.cast for model in models}) == 1 and kinds < {"bool", "number"}:
        return models[0]
    return ValueModel("unknown")


def _backtrack(variables: list[tuple[Any, list[Any]]], checks: list[tuple[frozenset[Any], Check]], certainly: bool) -> bool | None:
    """Whether the variables can be given values from their options so that no check fails
    (with `certainly`, none is undecided either); None past `MAX_STATES` tries."""
    variables = _connected_first(variables, [needed for needed, _ in checks])
    order = [name for name, _ in variables]
    position = {name: rank for rank, name in enumerate(order)}
    due: list[list[Check]] = [[] for _ in order]  # checks whose last variable is at this rank
    for needed, check in checks:
        due[max(position[name] for name in needed)].append(check)
    options = [values for _, values in variables]
    state: dict[Any, Any] = {}
    tries = 0

    def assign(rank: int) -> bool:
        nonlocal tries
        if rank == len(order):
            return True
        for value in options[rank]:
            tries += 1
            if tries > MAX_STATES:
                raise _TooLarge
            state[order[rank]] = value
            if all(_passes(check(state), certainly) for check in due[rank]) and assign(rank + 1):
                return True
        del state[order[rank]]
        return False

    try:
        return assign(0)
    except _TooLarge:
        return None


def _connected_first(variables: list[tuple[Any, list[Any]]], needs: list[frozenset[Any]]) -> list[tuple[Any, list[Any]]]:
    """`variables` in the order the search tries them: each next one is the one in the most checks
    (`needs`: the variables of each) that already involve a variable before it, ties broken by
    fewer options, then by the given order. A check runs once its last variable has a value, so
    this order cuts a failing combination before the variables it does not involve are tried."""
    checks_of: dict[Any, list[int]] = {name: [] for name, _ in variables}
    for number, needed in enumerate(needs):
        for name in needed:
            checks_of[name].append(number)
    started = [False] * len(needs)  # the check involves a variable already ordered
    rest = list(variables)
    ordered = []
    while rest:
        chosen = min(range(len(rest)), key=lambda at: (-sum(started[number] for number in checks_of[rest[at][0]]),
                                                       len(rest[at][1]), at))
        name, options = rest.pop(chosen)
        ordered.append((name, options))
        for number in checks_of[name]:
            started[number] = True
    return ordered


def _passes(outcome: bool | None, certainly: bool) -> bool:
    return outcome is True or (outcome is None and not certainly)


class _TooLarge(Exception):
    """The search needs more than `MAX_STATES` tries."""


def describe_value(value: Value) -> str:
    """A value of `ValueModel` as a message shows it."""
    if value == OTHER:
        return "another value"
    if value[0] == "n" and float(value[1]).is_integer():
        return json.dumps(int(value[1]))
    return json.dumps(value[1], ensure_ascii=False)


def operands(clause: Clause) -> list[Any]:
    """The operands an `equals`/`oneOf` clause compares with."""
    if clause.operator == "equals":
        return [clause.operand]
    if clause.operator == "oneOf" and isinstance(clause.operand, list):
        return clause.operand
    return []
