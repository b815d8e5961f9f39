"""Cross-reference checks of a read definition: names, ids, groups, conditions and request values.

Each check appends `Problem`s; nothing stops at the first one. The order rules mirror how the
renderer lays properties out: the operation dropdown, authentication, shared fields (definition
order), operation fields (operation order), then computed Hidden fields and the request inputs.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from generator.definition import model
from generator.definition.protocol import (
    AUTHENTICATION_GROUP,
    AUTHENTICATION_TYPE_ID,
    DIRECT_INPUTS,
    FALLBACK_GROUP,
    HTTP_JSON_JOB_TYPE,
    OPERATION_GROUP,
    OPERATION_ID,
    REQUEST_PARTS,
    STANDARD_BY_ID,
    STANDARD_GROUPS,
    STANDARD_PROPERTIES,
    TASK_DEFINITION_TYPE_ID,
)
from generator.definition.schema import did_you_mean
from generator.element_template import JsonScalar
from generator.problems import Location, Problem

FEEL_RESERVED = (
    "if",
    "then",
    "else",
    "for",
    "in",
    "return",
    "some",
    "every",
    "satisfies",
    "and",
    "or",
    "between",
    "instance",
    "of",
    "function",
    "null",
    "true",
    "false",
    "not",
    "item",
    "string",
    "number",
    "boolean",
    "date",
    "time",
    "list",
    "context",
    "range",
    "duration",
    "Any",
)
RESERVED_FIELD_NAMES = (OPERATION_ID, "authentication", TASK_DEFINITION_TYPE_ID, *STANDARD_BY_ID, *FEEL_RESERVED)
#: operation fields may not take these names: `<op>_<name>` would be the id of a request input
RESERVED_OPERATION_FIELD_NAMES = ("query", *(binding for _, binding in REQUEST_PARTS))


@dataclass(frozen=True)
class Target:
    """What a condition or a `{field}` can point at."""

    id: str
    kind: str  # "field", "operation", "authentication"
    field: model.Field | None = None
    choices: tuple[str, ...] | None = None
    boolean: bool = False


def check_definition(definition: model.Definition) -> list[Problem]:
    """Every cross-reference problem of `definition`."""
    checker = _Checker(definition)
    checker.run()
    return checker.problems


def field_id(operation: model.Operation | None, field: model.Field) -> str:
    """The property id (and input binding) of a field: `<operation>_<name>` or the shared name."""
    return f"{operation.id}_{field.name}" if operation is not None else field.name


class _Checker:
    def __init__(self, definition: model.Definition) -> None:
        self.definition = definition
        self.problems: list[Problem] = []
        self._reachable: dict[int, dict[str, Target]] = {}  # targets(operation) by id(operation)

    def problem(self, location: Location, message: str) -> None:
        self.problems.append(Problem("error", "definition", message, location))

    def run(self) -> None:
        if self.definition.explicit:
            self.check_explicit()
            return
        self.check_structure()
        self.check_names()
        self.check_ids()
        self.check_groups()
        self.check_conditions()
        self.check_requests()

    # ---- explicit mode ------------------------------------------------------------------------

    def check_explicit(self) -> None:
        """`properties:` is the whole template: what would add properties beside it is refused, and
        the REST connector must run it (the validator checks the properties themselves)."""
        definition = self.definition
        generating = [
            ("fields", definition.fields[0].location if definition.fields else None),
            ("operations", definition.operations[0].location if definition.operations else None),
            ("request", definition.request.location if definition.request else None),
            ("authentication", definition.authentication.location if definition.authentication else None),
            ("protocol.fields", definition.standard_overrides[0].location if definition.standard_overrides else None),
        ]
        for key, location in generating:
            if location is not None:
                self.problem(
                    location,
                    f"'{key}' generates properties, but 'properties' lists them all (explicit mode): "
                    f"remove '{key}' or write its properties into 'properties'",
                )
        job_type = any(
            item.data.get("value") == HTTP_JSON_JOB_TYPE
            and isinstance(item.data.get("binding"), dict)
            and item.data["binding"].get("type") == "zeebe:taskDefinition"
            and item.data["binding"].get("property") == "type"
            for item in definition.properties
        )
        if not job_type:
            self.problem(
                definition.properties[0].location,
                f"protocol http-json: one property must set the job type, "
                f"{{type: Hidden, value: {HTTP_JSON_JOB_TYPE}, binding: {{type: zeebe:taskDefinition, property: type}}}}",
            )

    # ---- structure ----------------------------------------------------------------------------

    def check_structure(self) -> None:
        definition = self.definition
        operation_ids = [operation.id for operation in definition.operations]
        if definition.operations and definition.request is not None:
            self.problem(
                definition.request.location, "a definition has either 'request' (one request) or 'operations', not both"
            )
        for shared in definition.fields:
            for operation_id in shared.operations or ():
                if operation_id not in operation_ids:
                    self.problem(
                        shared.location,
                        f"field '{shared.name}' lists operation '{operation_id}', which does not exist"
                        f"{did_you_mean(operation_id, operation_ids)}",
                    )

    def check_names(self) -> None:
        shared_names = {item.name: item for item in self.definition.fields}
        for item in self.definition.fields:
            if item.name in RESERVED_FIELD_NAMES:
                self.problem(
                    item.location, f"'{item.name}' is a reserved name (the generator or FEEL uses it): rename the field"
                )
        for operation in self.definition.operations:
            for item in operation.fields:
                if item.name in RESERVED_FIELD_NAMES or item.name in RESERVED_OPERATION_FIELD_NAMES:
                    self.problem(
                        item.location, f"'{item.name}' is a reserved name for an operation field: rename the field"
                    )
                elif item.name in shared_names:
                    self.problem(
                        item.location,
                        f"operation '{operation.id}' declares field '{item.name}', which is also a shared field "
                        f"(line {shared_names[item.name].location.line}): rename one of them",
                    )

    def all_ids(self) -> Iterator[tuple[str, Location, str]]:
        """Every property id the template will have, with where it comes from."""
        definition = self.definition
        if definition.operations:
            yield OPERATION_ID, definition.location, "the operation dropdown"
        if definition.authentication is not None:
            yield AUTHENTICATION_TYPE_ID, definition.authentication.location, "the authentication type"
        for item in definition.fields:
            yield item.name, item.location, f"field '{item.name}'"
        for operation in definition.operations:
            for item in operation.fields:
                yield field_id(operation, item), item.location, f"field '{item.name}' of operation '{operation.id}'"
        for prop in STANDARD_PROPERTIES:
            yield prop.id, definition.location, f"the standard property {prop.id}"

    def check_ids(self) -> None:
        seen: dict[str, str] = {}
        for prop_id, location, what in self.all_ids():
            if prop_id in seen:
                self.problem(
                    location, f"property id '{prop_id}' of {what} is already used by {seen[prop_id]}: rename it"
                )
            else:
                seen[prop_id] = what

    # ---- groups -------------------------------------------------------------------------------

    def group_ids(self) -> list[str]:
        ids = [group.id for group in self.definition.groups]
        automatic = [
            OPERATION_GROUP[0],
            AUTHENTICATION_GROUP[0],
            FALLBACK_GROUP[0],
            *(group for group, _ in STANDARD_GROUPS),
        ]
        return ids + [group for group in automatic if group not in ids]

    def check_groups(self) -> None:
        definition = self.definition
        known = self.group_ids()
        used: set[str] = {STANDARD_BY_ID[prop.id].group for prop in STANDARD_PROPERTIES}
        if definition.operations:
            used.add(OPERATION_GROUP[0])

        unknown: list[str] = []

        def check(group: str | None, location: Location, what: str) -> None:
            if group is None:
                return
            used.add(group)
            if group not in known:
                unknown.append(group)
                self.problem(
                    location,
                    f"{what} is in group '{group}', which is not declared in 'groups'{did_you_mean(group, known)}",
                )

        if definition.authentication is not None:
            check(definition.authentication.group, definition.authentication.location, "authentication")
        for override in definition.standard_overrides:
            check(override.group, override.location, override.id)
        for operation in (None, *definition.operations):
            for item in definition.fields if operation is None else operation.fields:
                check(item.group, item.location, f"field '{item.name}'")
                if item.group is None and item.type != "Hidden":
                    used.add(FALLBACK_GROUP[0])
        if unknown:
            return  # a misspelt group name usually explains an "empty" group: report it alone
        for group in definition.groups:
            if group.id not in used:
                self.problem(group.location, f"group '{group.id}' has no properties: remove it or put fields in it")

    # ---- name resolution ----------------------------------------------------------------------

    def targets(self, operation: model.Operation | None) -> dict[str, Target]:
        """What a request value of `operation` (None: the definition's request) may refer to, by
        YAML name (worked out once per operation)."""
        if id(operation) not in self._reachable:
            result = self._preceding(operation)
            for item in self.definition.fields if operation is None else operation.fields:
                result[item.name] = self.field_target(operation, item)
            self._reachable[id(operation)] = result
        return self._reachable[id(operation)]

    def _preceding(self, operation: model.Operation | None) -> dict[str, Target]:
        """The targets that come before the first field of `operation` (None: of the shared
        fields): the operation and authentication dropdowns, and for an operation every shared field."""
        definition = self.definition
        result: dict[str, Target] = {}
        if definition.operations:
            result[OPERATION_ID] = Target(
                OPERATION_ID, "operation", choices=tuple(item.id for item in definition.operations)
            )
        if definition.authentication is not None and definition.authentication.is_choice:
            result[AUTHENTICATION_TYPE_ID] = Target(
                AUTHENTICATION_TYPE_ID,
                "authentication",
                choices=tuple(item.type for item in definition.authentication.types),
            )
        if operation is not None:
            for shared in definition.fields:
                result[shared.name] = self.field_target(None, shared)
        return result

    @staticmethod
    def field_target(operation: model.Operation | None, item: model.Field) -> Target:
        return Target(
            field_id(operation, item),
            "field",
            field=item,
            # a Dropdown without choices is reported where it is declared; references to it are not
            choices=tuple(choice.value for choice in item.choices)
            if item.type == "Dropdown" and item.choices
            else None,
            boolean=item.type == "Boolean",
        )

    def all_names(self, operation: model.Operation | None) -> list[str]:
        names = [item.name for item in self.definition.fields]
        if operation is not None:
            names += [item.name for item in operation.fields]
        return names + [OPERATION_ID, AUTHENTICATION_TYPE_ID]

    # ---- conditions ---------------------------------------------------------------------------

    def check_conditions(self) -> None:
        for operation in (None, *self.definition.operations):
            fields = self.definition.fields if operation is None else operation.fields
            available = self._preceding(operation)  # a condition may refer to what comes before its field
            for item in fields:
                if item.condition is not None:
                    simple = item.condition.conditions if isinstance(item.condition, model.AllMatch) else (item.condition,)
                    for condition in simple:
                        self.check_condition(operation, item, condition, available)
                available[item.name] = self.field_target(operation, item)

    def check_condition(
        self,
        operation: model.Operation | None,
        item: model.Field,
        condition: model.SimpleCondition,
        available: dict[str, Target],
    ) -> None:
        name = condition.property
        target = available.get(name)
        if target is None:
            if name == item.name:
                self.problem(condition.location, f"the condition of field '{name}' refers to the field itself")
                return
            later = self.targets(operation).get(name)
            if later is not None:
                self.problem(
                    condition.location,
                    f"the condition of field '{item.name}' refers to '{name}', which comes after it: "
                    f"move '{name}' before '{item.name}'",
                )
                return
            self.problem(
                condition.location,
                f"the condition of field '{item.name}' refers to '{name}', which is not a field"
                f"{did_you_mean(name, self.all_names(operation))}",
            )
            return
        if target.field is not None and target.field.computed:
            self.problem(
                condition.location,
                f"the condition of field '{item.name}' refers to '{name}', a computed Hidden field: conditions need a field the user sets",
            )
            return
        values: list[JsonScalar] = []
        if condition.operator == "oneOf" and isinstance(condition.value, list):
            values = condition.value
        elif condition.operator == "equals" and not isinstance(condition.value, list):
            values = [condition.value]
        for value in values:
            if target.choices is not None and str(value) not in target.choices:
                self.problem(
                    condition.location,
                    f"the condition of field '{item.name}' compares '{name}' with '{value}', which is not one of its "
                    f"choices: {', '.join(target.choices)}{did_you_mean(str(value), target.choices)}",
                )
            elif target.boolean and not isinstance(value, bool):
                self.problem(
                    condition.location,
                    f"the condition of field '{item.name}' compares Boolean '{name}' with '{value}': use true or false",
                )

    # ---- requests -----------------------------------------------------------------------------

    def check_requests(self) -> None:
        definition = self.definition
        bindings = {binding: part for part, binding in REQUEST_PARTS}
        direct = {item.name: item for item in definition.fields if item.name in bindings}
        for binding, item in direct.items():
            # a shared field named like a request input sets it directly, unless a request does
            setters = (
                ["'request'"] if definition.request and _defines(definition.request, bindings[binding]) else []
            ) + [
                f"operation '{operation.id}'"
                for operation in definition.operations
                if _defines(operation.request, bindings[binding])
            ]
            if setters:
                self.problem(
                    item.location,
                    f"field '{item.name}' would set the REST connector input '{binding}', which "
                    f"{', '.join(setters)} already set(s): rename the field",
                )
        for item in definition.fields:
            if item.name in DIRECT_INPUTS and item.operations is not None:
                self.problem(
                    item.location,
                    f"field '{item.name}' sets the REST connector input '{item.name}' directly: it cannot be limited to some operations",
                )
        if definition.operations:
            for operation in definition.operations:
                self.check_request(operation, operation.request, require={"method", "url"})
        elif definition.request is not None:
            self.check_request(None, definition.request, require={"method", "url"} - set(direct))
        else:
            missing = [binding for binding in ("method", "url") if binding not in direct]
            if missing:
                self.problem(
                    definition.location,
                    "the definition sends no request: add 'request' (method, url, ...), 'operations', "
                    f"or fields named {' and '.join(missing)}",
                )

    def check_request(self, operation: model.Operation | None, request: model.Request, require: set[str]) -> None:
        where = f"operation '{operation.id}'" if operation else "the request"
        for part, _ in REQUEST_PARTS:
            for when, value in request.part_alternatives(part):
                if value is None:
                    if part in require and not request.is_invalid(part):
                        variant = " in a variant" if when is not None or len(request.variants) > 1 else ""
                        self.problem(request.location, f"{where} has no {part}{variant}: add '{part}'")
                    continue
                self.check_value(operation, value, part)

    def check_value(self, operation: model.Operation | None, value: model.Value, part: str) -> None:
        if isinstance(value, model.FieldRef):
            self.resolve(operation, value.name, value.location, part)
        elif isinstance(value, model.TemplateString):
            for piece in value.parts:
                if isinstance(piece, model.FieldRef):
                    self.resolve(operation, piece.name, piece.location, part)
        elif isinstance(value, model.ObjectValue):
            for _, item in value.entries:
                self.check_value(operation, item, part)
        elif isinstance(value, model.ListValue):
            for item in value.items:
                self.check_value(operation, item, part)
        elif isinstance(value, model.SwitchValue):
            target = self.resolve(operation, value.field, value.location, part)
            if target is not None and not (
                target.field and target.field.type == "Dropdown" and not target.field.choices
            ):
                if target.choices is None:
                    self.problem(
                        value.location,
                        f"$switch needs a Dropdown field; '{value.field}' is a {target.field.type if target.field else target.kind}",
                    )
                else:
                    for choice, _ in value.cases:
                        if choice not in target.choices:
                            self.problem(
                                value.location,
                                f"$cases lists '{choice}', which is not a choice of '{value.field}': "
                                f"{', '.join(target.choices)}{did_you_mean(choice, target.choices)}",
                            )
            for _, item in value.cases:
                self.check_value(operation, item, part)
            if value.default is not None:
                self.check_value(operation, value.default, part)

    def resolve(self, operation: model.Operation | None, name: str, location: Location, part: str) -> Target | None:
        target = self.targets(operation).get(name)
        if target is None or target.kind != "field":
            self.problem(
                location,
                f"{part} refers to {{{name}}}, which is not a field"
                f"{' of operation ' + repr(operation.id) + ' or a shared field' if operation else ''}"
                f"{did_you_mean(name, self.all_names(operation)[:-2])}",
            )
            return None
        shared = target.field
        if (
            operation is not None
            and shared is not None
            and shared.operations is not None
            and operation.id not in shared.operations
        ):
            self.problem(
                location,
                f"{part} of operation '{operation.id}' uses field '{name}', which is only shown for {', '.join(shared.operations)}",
            )
        return target


def _defines(request: model.Request, part: str) -> bool:
    """Whether `request` (or one of its variants) sets `part`."""
    return any(value is not None for _, value in request.part_alternatives(part))
