"""Render a `Definition` into a Camunda 8 (zeebe) element template: a pure function of the model.

Layout of `properties` (Zeebe evaluates input mappings in this order, and a condition's target
must come before it):
  1. the job type (Hidden, `zeebe:taskDefinition type`),
  2. the operation dropdown, 3. authentication, 4. shared fields, 5. operation fields,
  6. computed Hidden fields, then per operation its Hidden `method`, `url`, `queryParameters`,
     `headers`, `body` inputs (after the visible fields they read),
  7. the REST connector's standard properties (timeouts, version headers, output, error, retries).
Every property gets an `id`; ids are unique except for request inputs of different operations,
which share a binding name and are told apart by the operation condition.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import cast

from generator.definition import model
from generator.definition.checks import field_id
from generator.definition.protocol import (
    AUTH_TYPES,
    AUTHENTICATION_GROUP,
    AUTHENTICATION_TYPE_ID,
    FALLBACK_GROUP,
    HTTP_JSON_JOB_TYPE,
    OPERATION_GROUP,
    OPERATION_ID,
    REQUEST_PARTS,
    STANDARD_GROUPS,
    STANDARD_PROPERTIES,
    TASK_DEFINITION_TYPE_ID,
)
from generator.element_template import Binding, Condition, Constraints, Group, JsonScalar, Property, Template
from generator.js_regex import UNDEFINED_TEXT, JsRegexError, js_test
from generator.problems import Location
from generator.template import feel_text as feel

TEMPLATE_SCHEMA_URL = "https://unpkg.com/@camunda/zeebe-element-templates-json-schema/resources/schema.json"

#: Patterns added to String/Text fields whose value must become a number (FEEL values skip them).
_NUMBER_PATTERNS = {
    "number": (r"^(-?\d+(\.\d+)?)?$", "must be a number"),
    "integer": (r"^(-?\d+)?$", "must be a whole number"),
}


def accepting_empty_field(pattern: str) -> str:
    """`pattern` for an optional field, as the Modeler must see it: accepting the field left empty.

    The Modeler tests an empty field twice, with JavaScript's `RegExp.test`: the properties panel
    with the value `undefined` (the text "undefined"), the element-templates lint rule (Problems
    panel) with the stored value `""` (`generator.apply.constraints`). A pattern that rejects
    either text gets an alternative accepting exactly the empty field; one that accepts both stays.
    """
    try:
        rejected = [text for text in (UNDEFINED_TEXT, "") if not js_test(pattern, text)]
    except JsRegexError:
        return pattern  # the validator reports a pattern JavaScript cannot compile
    if not rejected:
        return pattern
    empty = f"^({UNDEFINED_TEXT})?$" if len(rejected) == 2 else f"^{rejected[0]}$"
    return f"{empty}|(?:{pattern})"


@dataclass
class RenderedTemplate:
    """The template plus, per JSON pointer of each property, where in the definition it comes from."""

    definition: model.Definition
    template: Template
    sources: dict[str, Location] = field(default_factory=dict)

    def source_of(self, pointer: str) -> Location | None:
        """The definition location of the property that contains JSON pointer `pointer`."""
        parts = pointer.split("/")
        while parts:
            location = self.sources.get("/".join(parts))
            if location is not None:
                return location
            parts.pop()
        return None

    def feel_values(self) -> list[tuple[str, str]]:
        """`(pointer, expression)` for every FEEL value the template carries (without the `=`)."""
        values = []
        for index, prop in enumerate(self.template["properties"]):
            value = prop.get("value")
            if isinstance(value, str) and value.startswith("="):
                values.append((f"/properties/{index}/value", value[1:]))
        return values


def render_template(definition: model.Definition) -> Template:
    """The element template for `definition` (a dict ready for `generator.files.dump_json`)."""
    return render(definition).template


def render(definition: model.Definition) -> RenderedTemplate:
    """Render `definition`, keeping track of where each property comes from."""
    return _Renderer(definition).render()


class _Renderer:
    def __init__(self, definition: model.Definition) -> None:
        self.definition = definition
        self.properties: list[Property] = []
        self.sources: dict[str, Location] = {}

    def add(self, prop: Property, location: Location) -> None:
        self.sources[f"/properties/{len(self.properties)}"] = location
        self.properties.append(prop)

    # ---- the whole template --------------------------------------------------------------------

    def render(self) -> RenderedTemplate:
        definition = self.definition
        if definition.explicit:
            return self.render_explicit()
        self.add(
            {
                "id": TASK_DEFINITION_TYPE_ID,
                "type": "Hidden",
                "value": HTTP_JSON_JOB_TYPE,
                "binding": {"type": "zeebe:taskDefinition", "property": "type"},
            },
            definition.location,
        )
        self.add_operation_dropdown()
        self.add_authentication()
        for item in definition.fields:
            if not item.computed:
                self.add_field(None, item)
        for operation in definition.operations:
            for item in operation.fields:
                if not item.computed:
                    self.add_field(operation, item)
        for item in definition.fields:
            if item.computed:
                self.add_field(None, item)
        for operation in definition.operations:
            for item in operation.fields:
                if item.computed:
                    self.add_field(operation, item)
            self.add_request(operation, operation.request)
        if definition.request is not None:
            self.add_request(None, definition.request)
        self.add_standard_properties()
        template = self.root()
        template["groups"] = self.groups()
        template["properties"] = self.properties
        template.update(copy.deepcopy(dict(definition.template_keys)))  # type: ignore[typeddict-item]
        return RenderedTemplate(definition, template, self.sources)

    def render_explicit(self) -> RenderedTemplate:
        """Explicit mode: the properties as written, the declared groups only, the `template:` keys last."""
        definition = self.definition
        for item in definition.properties:
            self.add(cast(Property, copy.deepcopy(item.data)), item.location)  # as written: the validator checks it
        template = self.root()
        if definition.groups:
            template["groups"] = [self.group_entry(group.id, group) for group in definition.groups]
        template["properties"] = self.properties
        template.update(copy.deepcopy(dict(definition.template_keys)))  # type: ignore[typeddict-item]
        return RenderedTemplate(definition, template, self.sources)

    def root(self) -> Template:
        """The template's root keys before `groups` and `properties`."""
        definition = self.definition
        template: Template = {"$schema": TEMPLATE_SCHEMA_URL, "name": definition.name, "id": definition.id}
        if definition.description:
            template["description"] = definition.description
        if definition.documentation_ref:
            template["documentationRef"] = definition.documentation_ref
        template["version"] = definition.version
        template["category"] = {"id": definition.category[0], "name": definition.category[1]}
        template["appliesTo"] = list(definition.applies_to)
        if definition.element_type:
            template["elementType"] = {"value": definition.element_type}
        if definition.engines:
            template["engines"] = dict(definition.engines)
        if definition.keywords:
            template["keywords"] = list(definition.keywords)
        if definition.icon is not None:
            template["icon"] = {"contents": definition.icon.data_uri}
        return template

    def groups(self) -> list[Group]:
        """Declared groups in their order; automatic groups the properties use but the definition
        does not declare go first (operation, authentication) or last (fallback, standard groups)."""
        used = {prop["group"] for prop in self.properties if "group" in prop}
        declared = {group.id: group for group in self.definition.groups}
        labels = dict((OPERATION_GROUP, AUTHENTICATION_GROUP, FALLBACK_GROUP, *STANDARD_GROUPS))

        def automatic(candidates: tuple[tuple[str, str], ...]) -> list[str]:
            return [group_id for group_id, _ in candidates if group_id in used and group_id not in declared]

        order = [
            *automatic((OPERATION_GROUP, AUTHENTICATION_GROUP)),
            *declared,
            *automatic((FALLBACK_GROUP, *STANDARD_GROUPS)),
        ]
        return [self.group_entry(group_id, declared.get(group_id), labels.get(group_id)) for group_id in order]

    @staticmethod
    def group_entry(group_id: str, group: model.Group | None, label: str | None = None) -> Group:
        entry: Group = {"id": group_id}
        resolved = group.label if group else label
        if resolved is not None:
            entry["label"] = resolved
        if group is not None and group.tooltip:
            entry["tooltip"] = group.tooltip
        if group is not None and group.open_by_default is not None:
            entry["openByDefault"] = group.open_by_default
        return entry

    # ---- operation dropdown and authentication -------------------------------------------------

    def add_operation_dropdown(self) -> None:
        definition = self.definition
        if not definition.operations:
            return
        self.add(
            {
                "id": OPERATION_ID,
                "label": "Operation",
                "group": OPERATION_GROUP[0],
                "type": "Dropdown",
                "value": definition.default_operation or definition.operations[0].id,
                "choices": [{"name": operation.label, "value": operation.id} for operation in definition.operations],
                "binding": {"type": "zeebe:input", "name": OPERATION_ID},
            },
            definition.location,
        )

    def add_authentication(self) -> None:
        authentication = self.definition.authentication
        if authentication is None:
            return
        type_binding: Binding = {"type": "zeebe:input", "name": AUTHENTICATION_TYPE_ID}
        if authentication.is_choice:
            dropdown: Property = {"id": AUTHENTICATION_TYPE_ID, "label": authentication.label}
            _hints(dropdown, authentication.description, authentication.tooltip, None)
            dropdown["group"] = authentication.group
            dropdown["type"] = "Dropdown"
            dropdown["value"] = authentication.default
            dropdown["choices"] = [{"name": item.label, "value": item.type} for item in authentication.types]
            dropdown["binding"] = type_binding
            self.add(dropdown, authentication.location)
        else:
            self.add(
                {
                    "id": AUTHENTICATION_TYPE_ID,
                    "type": "Hidden",
                    "value": authentication.types[0].type,
                    "binding": type_binding,
                },
                authentication.location,
            )
        for auth_type in authentication.types:
            condition: Condition | None = (
                {"property": AUTHENTICATION_TYPE_ID, "equals": auth_type.type} if authentication.is_choice else None
            )
            specs = {spec.name: spec for spec in AUTH_TYPES[auth_type.type].fields}
            for auth_field in auth_type.fields:
                if auth_field.mode == "omitted":
                    continue
                spec = specs[auth_field.name]
                prop_id = f"authentication.{auth_field.name}"
                prop: Property = {"id": prop_id}
                if auth_field.mode == "fixed":
                    prop["type"] = "Hidden"
                    prop["value"] = auth_field.value
                else:
                    prop["label"] = auth_field.label
                    _hints(
                        prop,
                        auth_field.description,
                        auth_field.tooltip,
                        auth_field.placeholder if not spec.choices else None,
                    )
                    prop["group"] = authentication.group
                    if spec.choices:
                        prop["type"] = "Dropdown"
                        prop["value"] = auth_field.value or spec.choices[0][0]
                        prop["choices"] = [{"name": label, "value": value} for value, label in spec.choices]
                    else:
                        prop["type"] = "String"
                        if auth_field.value is not None:
                            prop["value"] = auth_field.value
                        if not spec.required:
                            prop["optional"] = True
                        prop["feel"] = "optional"
                        constraints: Constraints = {"notEmpty": spec.required}
                        if spec.pattern:
                            value = spec.pattern[0] if spec.required else accepting_empty_field(spec.pattern[0])
                            constraints["pattern"] = {"value": value, "message": spec.pattern[1]}
                        if spec.required or spec.pattern:
                            prop["constraints"] = constraints
                prop["binding"] = {"type": "zeebe:input", "name": prop_id}
                if condition:
                    prop["condition"] = condition
                self.add(prop, auth_field.location)

    # ---- fields --------------------------------------------------------------------------------

    def names(self, operation: model.Operation | None) -> dict[str, str]:
        """Field name -> input name, as author FEEL in this scope sees them."""
        names = {item.name: item.name for item in self.definition.fields}
        if operation is not None:
            names.update({item.name: field_id(operation, item) for item in operation.fields})
        return names

    def field_by_name(self, operation: model.Operation | None, name: str) -> tuple[str, model.Field]:
        if operation is not None:
            for item in operation.fields:
                if item.name == name:
                    return field_id(operation, item), item
        shared = self.definition.shared_field(name)
        assert shared is not None, f"unchecked reference to {name}"  # checks.py reports these first
        return shared.name, shared

    def scope_condition(self, operation: model.Operation | None, item: model.Field | None) -> Condition | None:
        if operation is not None:
            return {"property": OPERATION_ID, "equals": operation.id}
        if item is not None and item.operations is not None:
            if len(item.operations) == 1:
                return {"property": OPERATION_ID, "equals": item.operations[0]}
            return {"property": OPERATION_ID, "oneOf": list(item.operations)}
        return None

    def condition(self, operation: model.Operation | None, item: model.Field) -> Condition | None:
        scope = self.scope_condition(operation, item)
        own: list[Condition] = []
        if item.condition is not None:
            simple = item.condition.conditions if isinstance(item.condition, model.AllMatch) else (item.condition,)
            for condition in simple:
                target = condition.property
                if target not in (OPERATION_ID, AUTHENTICATION_TYPE_ID) and not target.startswith("authentication."):
                    target = self.field_by_name(operation, target)[0]
                own.append(_simple_condition(target, condition.operator, condition.value))
        conditions = ([scope] if scope else []) + own
        if not conditions:
            return None
        if len(conditions) == 1:
            return conditions[0]
        return {"allMatch": conditions}

    def add_field(self, operation: model.Operation | None, item: model.Field) -> None:
        prop_id = field_id(operation, item)
        prop: Property = {"id": prop_id}
        hidden = item.type == "Hidden"
        if not hidden:
            prop["label"] = item.label
            _hints(prop, item.description, item.tooltip, item.placeholder)
            prop["group"] = item.group or FALLBACK_GROUP[0]
        elif item.group:
            prop["group"] = item.group
        prop["type"] = item.type
        # A Dropdown with an empty choice can be left unset: it becomes optional, and the panel's
        # own empty entry of an optional dropdown is that choice (listing it too would show two).
        unset_choice = item.type == "Dropdown" and any(choice.value == "" for choice in item.choices)
        if item.default is not None and not (unset_choice and item.default == ""):
            value = item.default
            if item.computed:
                value = "=" + feel.rename(str(value)[1:], self.names(operation))
            prop["value"] = value
        if item.choices:
            prop["choices"] = [{"name": choice.label, "value": choice.value} for choice in item.choices if choice.value != ""]
        optional = not item.required and (item.type not in ("Hidden", "Dropdown") or unset_choice)
        if optional:
            prop["optional"] = True
        if item.feel:
            prop["feel"] = item.feel
        constraints = self.constraints(item, optional)
        if constraints:
            prop["constraints"] = constraints
        prop["binding"] = {"type": "zeebe:input", "name": prop_id}
        condition = self.condition(operation, item)
        if condition:
            prop["condition"] = condition
        self.add(prop, item.location)

    @staticmethod
    def constraints(item: model.Field, optional: bool) -> Constraints:
        constraints: Constraints = {}
        if item.min_length is not None:
            constraints["minLength"] = item.min_length
        if item.max_length is not None:
            constraints["maxLength"] = item.max_length
        pattern = item.pattern
        if pattern is None and item.type in ("String", "Text") and item.json in _NUMBER_PATTERNS:
            pattern = model.Pattern(*_NUMBER_PATTERNS[item.json])
        if pattern is not None:
            value = pattern.value if item.required else accepting_empty_field(pattern.value)
            constraints["pattern"] = {"value": value, "message": pattern.message} if pattern.message else value
        if item.required:
            return {"notEmpty": True, **constraints}
        if constraints and optional:
            return {"notEmpty": False, **constraints}
        return constraints

    # ---- requests ------------------------------------------------------------------------------

    def add_request(self, operation: model.Operation | None, request: model.Request) -> None:
        condition = self.scope_condition(operation, None)
        for part, binding in REQUEST_PARTS:
            alternatives = request.part_alternatives(part)
            if all(value is None for _, value in alternatives):
                continue
            value = self.request_value(operation, part, alternatives)
            prop: Property = {
                "id": f"{operation.id}_{binding}" if operation else binding,
                "type": "Hidden",
                "value": value,
                "binding": {"type": "zeebe:input", "name": binding},
            }
            if condition:
                prop["condition"] = condition
            location = next((item.location for _, item in alternatives if item is not None), request.location)
            self.add(prop, location)

    def request_value(
        self,
        operation: model.Operation | None,
        part: str,
        alternatives: list[tuple[model.FeelValue | None, model.Value | None]],
    ) -> str:
        """The Hidden value of one request input: a literal, or `=` FEEL choosing among variants."""
        if len(alternatives) == 1:
            ((_, only),) = alternatives
            assert only is not None  # a part without any value has no input
            if isinstance(only, model.LiteralValue) and isinstance(only.value, str):
                return only.value
            return "=" + self.expression(operation, only, part, top=True)
        choices = []
        for when, value in alternatives:
            expression = "null" if value is None else self.expression(operation, value, part, top=True)
            condition = feel.rename(when.text, self.names(operation)).strip() if when is not None else None
            choices.append((feel.grouped(condition) if condition else None, expression))
        return "=" + feel.choose(choices)

    def expression(self, operation: model.Operation | None, value: model.Value, part: str, *, top: bool = False) -> str:
        """FEEL for a request value; query and header values are always strings."""
        as_text = part == "url" or (part in ("query", "headers") and not top)
        if isinstance(value, model.LiteralValue):
            if as_text and not isinstance(value.value, str):
                return feel.string_literal(
                    str(value.value).lower() if isinstance(value.value, bool) else str(value.value)
                )
            return feel.literal(value.value)
        if isinstance(value, model.FieldRef):
            name, item = self.field_by_name(operation, value.name)
            return feel.as_json_type(name, item, "string" if as_text else None)
        if isinstance(value, model.TemplateString):
            pieces = []
            for piece in value.parts:
                if isinstance(piece, str):
                    pieces.append(feel.string_literal(piece))
                else:
                    name, item = self.field_by_name(operation, piece.name)
                    pieces.append(feel.grouped(feel.as_json_type(name, item, "string")))
            return feel.concatenation(pieces)
        if isinstance(value, model.FeelValue):
            return feel.rename(value.text, self.names(operation)).strip()
        if isinstance(value, model.ListValue):
            return "[" + ", ".join(self.expression(operation, item, part) for item in value.items) + "]"
        if isinstance(value, model.SwitchValue):
            name, _ = self.field_by_name(operation, value.field)
            choices = [
                (f"{name} = {feel.string_literal(choice)}", self.expression(operation, item, part))
                for choice, item in value.cases
            ]
            fallback = self.expression(operation, value.default, part) if value.default is not None else "null"
            return feel.choose([*choices, (None, fallback)])
        entries = [(key, feel.grouped(self.expression(operation, item, part))) for key, item in value.entries]
        context = feel.context(entries)
        if all(isinstance(item, model.LiteralValue) for _, item in value.entries):
            return context
        return feel.without_nulls(context)

    # ---- standard properties -------------------------------------------------------------------

    def add_standard_properties(self) -> None:
        definition = self.definition
        for standard in STANDARD_PROPERTIES:
            override = definition.override(standard.id)
            prop: Property = {"id": standard.id}
            if standard.type != "Hidden":
                prop["label"] = override.label if override and override.label else standard.label
                if override:
                    _hints(prop, override.description, override.tooltip, override.placeholder)
            prop["group"] = override.group if override and override.group else standard.group
            prop["type"] = standard.type
            if standard.id == "elementTemplateVersion":
                prop["value"] = str(definition.version)
            elif standard.id == "elementTemplateId":
                prop["value"] = definition.id
            else:
                default = override.default if override and override.default is not None else standard.default
                if default is not None:
                    prop["value"] = default
            if standard.feel:
                prop["feel"] = standard.feel
            if standard.required:
                prop["constraints"] = {"notEmpty": True}
            prop["binding"] = standard.binding
            self.add(prop, override.location if override else definition.location)


def _simple_condition(target: str, operator: str, value: JsonScalar | list[JsonScalar]) -> Condition:
    """`{property: target, <operator>: value}` (the definition's operator is the template's key)."""
    condition: Condition = {"property": target}
    # the definition schema admits a list for oneOf, a boolean for isActive, a scalar for equals
    if operator == "oneOf":
        assert isinstance(value, list)
        condition["oneOf"] = value
    elif operator == "isActive":
        assert isinstance(value, bool)
        condition["isActive"] = value
    else:
        assert not isinstance(value, list)
        condition["equals"] = value
    return condition


def _hints(prop: Property, description: str | None, tooltip: str | None, placeholder: str | None) -> None:
    if description:
        prop["description"] = description
    if tooltip:
        prop["tooltip"] = tooltip
    if placeholder:
        prop["placeholder"] = placeholder
