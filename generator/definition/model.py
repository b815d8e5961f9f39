"""The typed `Definition` model: what a `templates/<name>.yaml` file says, checked and resolved.

Every node carries the `Location` it was written at, so later stages (rendering, FEEL checks,
the template validator) can point back into the YAML file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, get_args

from generator.element_template import JsonScalar
from generator.problems import Location

FieldType = Literal["String", "Text", "Number", "Boolean", "Dropdown", "Hidden"]
FeelMode = Literal["optional", "required", "static"]
JsonType = Literal["string", "integer", "number", "boolean", "json"]

FIELD_TYPES: dict[str, FieldType] = {name: name for name in get_args(FieldType)}
FEEL_MODES: dict[str, FeelMode] = {name: name for name in get_args(FeelMode)}
JSON_TYPES: dict[str, JsonType] = {name: name for name in get_args(JsonType)}


@dataclass(frozen=True)
class Choice:
    """One entry of a Dropdown: the value stored and the label shown."""

    value: str
    label: str


@dataclass(frozen=True)
class Pattern:
    """A regular expression the Modeler checks a value against, with the message it shows."""

    value: str
    message: str | None


@dataclass(frozen=True)
class SimpleCondition:
    """`{property, equals | oneOf | isActive}`; `property` is a field name as written in the YAML."""

    property: str
    operator: Literal["equals", "oneOf", "isActive"]
    value: JsonScalar | list[JsonScalar]
    location: Location


@dataclass(frozen=True)
class AllMatch:
    """All of the conditions must hold."""

    conditions: tuple[SimpleCondition, ...]
    location: Location


Condition = SimpleCondition | AllMatch


@dataclass(frozen=True)
class Field:
    """A property the user fills in (or a Hidden value), shared or belonging to one operation."""

    name: str
    type: FieldType
    label: str
    location: Location
    description: str | None = None
    tooltip: str | None = None
    placeholder: str | None = None
    default: str | int | float | bool | None = None
    required: bool = False
    min_length: int | None = None
    max_length: int | None = None
    pattern: Pattern | None = None
    feel: FeelMode | None = None
    group: str | None = None
    condition: Condition | None = None
    json: JsonType = "string"
    choices: tuple[Choice, ...] = ()
    operations: tuple[str, ...] | None = None  # shared fields only: shown for these operations

    @property
    def computed(self) -> bool:
        """A Hidden field whose value is a FEEL expression evaluated from other inputs."""
        return self.type == "Hidden" and isinstance(self.default, str) and self.default.startswith("=")


# ---- values of request parts (url, query, headers, body) -------------------------------------


@dataclass(frozen=True)
class LiteralValue:
    """A JSON scalar written as is (a number, boolean, or a string without placeholders)."""

    value: str | int | float | bool
    location: Location


@dataclass(frozen=True)
class FieldRef:
    """`"{name}"`: the value of a field, converted to the field's JSON type."""

    name: str
    location: Location


@dataclass(frozen=True)
class TemplateString:
    """A string with `{field}` placeholders, joined as FEEL string concatenation."""

    parts: tuple[str | FieldRef, ...]
    location: Location


@dataclass(frozen=True)
class FeelValue:
    """`"=..."`: a FEEL expression written by the author with field names (stored without `=`)."""

    text: str
    location: Location


@dataclass(frozen=True)
class ObjectValue:
    """A JSON object; entries whose value is null are not sent."""

    entries: tuple[tuple[str, Value], ...]
    location: Location


@dataclass(frozen=True)
class ListValue:
    """A JSON array."""

    items: tuple[Value, ...]
    location: Location


@dataclass(frozen=True)
class SwitchValue:
    """`{$switch: field, $cases: {choice: value}, $default: value}`: a value chosen by a Dropdown."""

    field: str
    cases: tuple[tuple[str, Value], ...]
    default: Value | None
    location: Location


Value = LiteralValue | FieldRef | TemplateString | FeelValue | ObjectValue | ListValue | SwitchValue


@dataclass(frozen=True)
class RequestParts:
    """The parts of an HTTP request a definition may set; None where it says nothing."""

    method: Value | None = None
    url: Value | None = None
    query: Value | None = None
    headers: Value | None = None
    body: Value | None = None
    invalid: tuple[str, ...] = ()  # parts that were written but could not be read (already reported)

    def get(self, part: str) -> Value | None:
        value: Value | None = getattr(self, part)
        return value


@dataclass(frozen=True)
class Variant:
    """Request parts used when the FEEL condition `when` holds (the last variant has no `when`)."""

    when: FeelValue | None
    parts: RequestParts
    location: Location


@dataclass(frozen=True)
class Request:
    """What one operation sends: common parts plus optional variants that override them."""

    parts: RequestParts
    variants: tuple[Variant, ...]
    location: Location

    def is_invalid(self, part: str) -> bool:
        """Whether `part` was written somewhere but could not be read (so it is not missing)."""
        return part in self.parts.invalid or any(part in variant.parts.invalid for variant in self.variants)

    def part_alternatives(self, part: str) -> list[tuple[FeelValue | None, Value | None]]:
        """`[(when, value), ...]` for one part; a single `(None, value)` when no variant changes it."""
        common = self.parts.get(part)
        if not self.variants:
            return [(None, common)]
        alternatives = [(variant.when, variant.parts.get(part) or common) for variant in self.variants]
        if all(value == alternatives[0][1] for _, value in alternatives):
            return [(None, alternatives[0][1])]
        return alternatives


@dataclass(frozen=True)
class Operation:
    """An entry of the operation dropdown, with its own fields and request."""

    id: str
    label: str
    fields: tuple[Field, ...]
    request: Request
    location: Location


@dataclass(frozen=True)
class AuthField:
    """One `authentication.<name>` input: shown to the user, fixed (Hidden) or left out."""

    name: str
    mode: Literal["visible", "fixed", "omitted"]
    label: str
    location: Location
    value: str | None = None  # the fixed value, or the default of a visible field
    placeholder: str | None = None
    tooltip: str | None = None
    description: str | None = None


@dataclass(frozen=True)
class AuthType:
    """One authentication type offered by the template."""

    type: str
    label: str
    fields: tuple[AuthField, ...]
    location: Location


@dataclass(frozen=True)
class Authentication:
    """A single fixed type, or a dropdown (`authentication.type`) of several."""

    types: tuple[AuthType, ...]
    default: str
    label: str
    group: str
    location: Location
    tooltip: str | None = None  # of the dropdown
    description: str | None = None  # of the dropdown

    @property
    def is_choice(self) -> bool:
        return len(self.types) > 1


@dataclass(frozen=True)
class Group:
    """A section of the properties panel."""

    id: str
    label: str
    location: Location
    tooltip: str | None = None
    open_by_default: bool | None = None


@dataclass(frozen=True)
class StandardOverride:
    """A definition's change to a standard property (e.g. the read timeout's default)."""

    id: str
    location: Location
    label: str | None = None
    description: str | None = None
    tooltip: str | None = None
    placeholder: str | None = None
    default: str | int | None = None
    group: str | None = None


@dataclass(frozen=True)
class Icon:
    """The icon: a file next to the definition embedded as a data URI, or `contents` given as is (file None)."""

    file: str | None
    data_uri: str
    location: Location


@dataclass(frozen=True)
class ExplicitProperty:
    """One entry of `properties:` (explicit mode): an element-template property, rendered as written."""

    data: dict[str, Any]
    location: Location


@dataclass(frozen=True)
class ExampleValue:
    """One entry of `example`: a property (id or binding name) and the text a user types for it."""

    property: str
    value: str
    location: Location  # of the value
    key_location: Location


@dataclass(frozen=True)
class Example:
    """The values typed into the properties panel for the example diagram (`etk build --diagrams`)."""

    values: tuple[ExampleValue, ...]
    location: Location  # of the `example` key

    def as_mapping(self) -> dict[str, str]:
        """`{property: value}` in the order written, as `generator.apply` takes values."""
        return {item.property: item.value for item in self.values}

    def value_for(self, key: str) -> ExampleValue | None:
        """The entry written for `key`, None when the example does not name it."""
        return next((item for item in self.values if item.property == key), None)


# ---- documentation (`docs:`): prose for `etk docs`, never rendered into the template ------------


@dataclass(frozen=True)
class DocsSection:
    """An extra section of the documentation page, placed after a standard one."""

    title: str
    body: str  # Markdown
    after: str
    location: Location


@dataclass(frozen=True)
class DocsLink:
    title: str
    url: str
    location: Location


@dataclass(frozen=True)
class DocsExpression:
    """A result or error expression the page shows together with what it gives on the example."""

    expression: str  # as typed, starting with `=`
    description: str | None
    values: tuple[ExampleValue, ...]  # changes to the example's values for this run
    location: Location


@dataclass(frozen=True)
class ScriptedReply:
    """What a loopback server answers to every request (a docs example's `service: {reply: ...}`)."""

    status: int = 200
    headers: tuple[tuple[str, str], ...] = ()
    body: object = None  # JSON data; a string is sent as text


@dataclass(frozen=True)
class DocsExample:
    """How the page's usage example runs: against which loopback service, and what to blank out."""

    service: str | ScriptedReply  # the name of a fake etk ships, or a scripted reply
    location: Location  # of `service`
    title: str | None = None
    description: str | None = None
    volatile: tuple[tuple[str, Location], ...] = ()  # result paths shown as "..."


@dataclass(frozen=True)
class DocsScreenshot:
    """Values typed for the panel screenshot of one operation, on top of the example's values
    that operation shows (so its required fields are filled too)."""

    operation: str
    values: tuple[ExampleValue, ...]
    location: Location  # of the operation key


@dataclass(frozen=True)
class Docs:
    """The `docs:` section: what the documentation page needs that the template cannot say."""

    location: Location
    summary: str | None = None
    prerequisites: tuple[str, ...] = ()
    operations: tuple[tuple[str, str, Location], ...] = ()  # (operation id, Markdown, where)
    sections: tuple[DocsSection, ...] = ()
    links: tuple[DocsLink, ...] = ()
    result_expressions: tuple[DocsExpression, ...] = ()
    error_expressions: tuple[DocsExpression, ...] = ()
    example: DocsExample | None = None
    screenshots: tuple[DocsScreenshot, ...] = ()

    def operation_text(self, operation_id: str) -> str | None:
        return next((text for key, text, _ in self.operations if key == operation_id), None)


@dataclass(frozen=True)
class Definition:
    """A connector definition, loaded and checked; `stem` names the output file (`dist/<stem>.json`)."""

    stem: str
    source: str
    location: Location
    id: str
    name: str
    version: int
    protocol: str
    description: str | None = None
    documentation_ref: str | None = None
    icon: Icon | None = None
    category: tuple[str, str] = ("connectors", "Connectors")
    keywords: tuple[str, ...] = ()
    engines: tuple[tuple[str, str], ...] = ()
    applies_to: tuple[str, ...] = ("bpmn:Task",)
    element_type: str | None = "bpmn:ServiceTask"
    groups: tuple[Group, ...] = ()
    standard_overrides: tuple[StandardOverride, ...] = ()
    authentication: Authentication | None = None
    fields: tuple[Field, ...] = ()
    request: Request | None = None
    operations: tuple[Operation, ...] = ()
    default_operation: str | None = None
    example: Example | None = None  # never rendered into the template
    docs: Docs | None = None  # never rendered into the template
    properties: tuple[ExplicitProperty, ...] = ()  # explicit mode: the template's properties as written
    template_keys: tuple[tuple[str, Any], ...] = ()  # `template:` root keys written as they are

    @property
    def explicit(self) -> bool:
        """Whether the definition writes its properties out itself (`properties:`, e.g. from `etk import`)."""
        return bool(self.properties)

    def shared_field(self, name: str) -> Field | None:
        return next((item for item in self.fields if item.name == name), None)

    def override(self, standard_id: str) -> StandardOverride | None:
        return next((item for item in self.standard_overrides if item.id == standard_id), None)
