"""The content of one connector's documentation page, gathered from the definition, the built
template, its released older versions and the example run: what the Jinja2 templates render.

Everything a user fills in is read from the template (the panel's groups, fields, conditions,
defaults); the definition adds what the template does not carry (operation requests, the
authentication types and how each is sent, the `docs:` prose).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from generator.definition import field_id
from generator.definition.model import (
    AuthType,
    Definition,
    DocsLink,
    DocsSection,
    FeelValue,
    FieldRef,
    LiteralValue,
    ObjectValue,
    Operation,
    Request,
    TemplateString,
    Value,
)
from generator.docs.example import ExampleRun
from generator.docs.panel import (
    FieldRow,
    PanelGroup,
    common_groups,
    field_row,
    is_visible,
    panel,
)
from generator.docs.versions import VersionChanges
from generator.element_template import Property, Template

OPERATION_PROPERTY = "operation"
SECRET_PLACEHOLDER = re.compile(r"\{\{\s*secrets\.([A-Za-z0-9_.-]+)\s*\}\}")
STANDARD_SECTIONS = ("overview", "prerequisites", "modeler", "authentication", "operations", "response", "example", "versions")


@dataclass(frozen=True)
class SecretUse:
    """A field whose placeholder suggests a connector secret."""

    label: str
    id: str
    secret: str
    condition: str | None


@dataclass(frozen=True)
class AuthTypeDoc:
    """One authentication type: how it is sent, what is fixed, what the user fills in."""

    type: str
    label: str
    default: bool
    fixed: tuple[tuple[str, str], ...]  # (input name, value) the template sets
    fields: tuple[FieldRow, ...]  # the visible inputs
    secrets: tuple[SecretUse, ...]

    def fixed_value(self, name: str) -> str | None:
        """The value the template fixes for input `authentication.<name>`, if it does."""
        return next((value for key, value in self.fixed if key == name), None)


@dataclass(frozen=True)
class RequestDoc:
    """What an operation sends, in the definition's words (`{field}` placeholders)."""

    method: str | None
    url: str | None
    query: tuple[str, ...]
    body_keys: tuple[str, ...]
    variants: tuple[tuple[str | None, str | None, tuple[str, ...]], ...]  # (when, url, body keys)


@dataclass(frozen=True)
class OperationDoc:
    id: str
    label: str
    default: bool
    text: str | None  # the definition's Markdown
    request: RequestDoc | None
    groups: tuple[PanelGroup, ...]  # all groups shown for this operation, in panel order
    screenshot: str | None  # site path of the panel screenshot, None: not available yet
    layout: tuple[tuple[bool, tuple[PanelGroup, ...]], ...] = ()  # runs of (shared by all operations?, groups)


@dataclass(frozen=True)
class ResponseDoc:
    """The output, error and retry properties as the template sets them."""

    result_variable: bool
    result_expression_placeholder: str | None
    error_expression: bool
    retries: str | None
    retry_backoff: str | None
    connection_timeout: str | None
    read_timeout: str | None


@dataclass(frozen=True)
class ConnectorPage:
    """Everything one page shows."""

    stem: str
    name: str
    id: str
    version: int
    summary: str | None
    description: str | None
    documentation_ref: str | None
    icon: str | None  # data URI
    icon_file: str | None  # the icon's site path (Markdown pages link it)
    engines: tuple[tuple[str, str], ...]
    applies_to: tuple[str, ...]
    element_type: str | None
    keywords: tuple[str, ...]
    job_type: str | None
    template_file: str  # e.g. azure-openai.json
    prerequisites: tuple[str, ...]
    authentication_label: str | None
    authentication: tuple[AuthTypeDoc, ...]
    secrets: tuple[SecretUse, ...]
    operations: tuple[OperationDoc, ...]
    common_groups: tuple[PanelGroup, ...]  # groups every operation shows alike (or the whole panel)
    panel_screenshot: str | None  # without operations: the site path of the panel's screenshot
    response: ResponseDoc
    example: ExampleRun | None
    versions: tuple[VersionChanges, ...]
    older_versions: tuple[int, ...]
    links: tuple[DocsLink, ...]
    sections: Mapping[str, tuple[DocsSection, ...]] = field(default_factory=dict)

    @property
    def markdown_file(self) -> str:
        return f"{self.stem}.md"

    @property
    def html_file(self) -> str:
        return f"{self.stem}.html"

    def sections_after(self, standard: str) -> tuple[DocsSection, ...]:
        return self.sections.get(standard, ())

    @property
    def common_group_ids(self) -> frozenset[str]:
        return frozenset(group.id for group in self.common_groups)


def build_page(
    definition: Definition,
    template: Template,
    *,
    example: ExampleRun | None,
    versions: list[VersionChanges],
    older_versions: list[int],
    screenshots: Mapping[str, str],
    icon_file: str | None = None,
) -> ConnectorPage:
    """The page of `definition` (whose built template is `template`); `screenshots` maps an
    operation id (`""` without operations) to the site path of its panel screenshot."""
    docs = definition.docs
    properties = list(template.get("properties", ()))
    by_id = {prop["id"]: prop for prop in properties if "id" in prop}
    panels = {
        operation.id: panel(template, switch=OPERATION_PROPERTY, value=operation.id) for operation in definition.operations
    }
    common = common_groups(panels.values()) if panels else set()
    operations = tuple(
        OperationDoc(
            id=operation.id,
            label=operation.label,
            default=operation.id == _default_operation(definition),
            text=docs.operation_text(operation.id) if docs else None,
            request=_request_doc(operation, definition),
            groups=tuple(panels[operation.id]),
            screenshot=screenshots.get(operation.id),
            layout=_layout(panels[operation.id], common),
        )
        for operation in definition.operations
    )
    first_panel = next(iter(panels.values()), None)
    common_panel = (
        tuple(group for group in first_panel if group.id in common) if first_panel is not None else tuple(panel(template))
    )
    sections: dict[str, tuple[DocsSection, ...]] = {}
    for section in docs.sections if docs else ():
        sections[section.after] = (*sections.get(section.after, ()), section)
    engines = template.get("engines") or {}
    icon = template.get("icon")
    element_type = template.get("elementType")
    return ConnectorPage(
        stem=definition.stem,
        name=str(template.get("name", definition.name)),
        id=str(template.get("id", definition.id)),
        version=int(template.get("version", definition.version)),
        summary=(docs.summary if docs else None) or definition.description,
        description=definition.description,
        documentation_ref=definition.documentation_ref,
        icon=icon.get("contents") if icon else None,
        icon_file=icon_file,
        engines=tuple((str(key), str(value)) for key, value in engines.items()),
        applies_to=tuple(template.get("appliesTo", ())),
        element_type=element_type.get("value") if element_type else None,
        keywords=tuple(template.get("keywords", ())),
        job_type=_task_definition_type(properties),
        template_file=f"{definition.stem}.json",
        prerequisites=docs.prerequisites if docs else (),
        authentication_label=definition.authentication.label if definition.authentication else None,
        authentication=tuple(_auth_doc(item, definition, by_id) for item in definition.authentication.types)
        if definition.authentication
        else (),
        secrets=tuple(_secret_uses(properties, by_id)),
        operations=operations,
        common_groups=common_panel,
        panel_screenshot=screenshots.get(""),
        response=_response_doc(by_id),
        example=example,
        versions=tuple(versions),
        older_versions=tuple(older_versions),
        links=docs.links if docs else (),
        sections=sections,
    )


def _layout(groups: list[PanelGroup], common: set[str]) -> tuple[tuple[bool, tuple[PanelGroup, ...]], ...]:
    """The panel's groups in order, cut into runs of groups every operation shares and its own."""
    runs: list[tuple[bool, list[PanelGroup]]] = []
    for group in groups:
        shared = group.id in common
        if runs and runs[-1][0] == shared:
            runs[-1][1].append(group)
        else:
            runs.append((shared, [group]))
    return tuple((shared, tuple(items)) for shared, items in runs)


def _default_operation(definition: Definition) -> str | None:
    if definition.default_operation:
        return definition.default_operation
    return definition.operations[0].id if definition.operations else None


def _task_definition_type(properties: list[Property]) -> str | None:
    for prop in properties:
        binding = prop.get("binding", {})
        if binding.get("type") == "zeebe:taskDefinition" and binding.get("property") == "type":
            return str(prop.get("value"))
    return None


def _auth_doc(item: AuthType, definition: Definition, by_id: Mapping[str, Property]) -> AuthTypeDoc:
    assert definition.authentication is not None
    rows = []
    for auth_field in item.fields:
        prop = by_id.get(f"authentication.{auth_field.name}")
        if auth_field.mode == "visible" and prop is not None and is_visible(prop):
            rows.append(field_row(prop, by_id, skip="authentication.type"))
    return AuthTypeDoc(
        type=item.type,
        label=item.label,
        default=item.type == definition.authentication.default,
        fixed=tuple((auth_field.name, auth_field.value or "") for auth_field in item.fields if auth_field.mode == "fixed"),
        fields=tuple(rows),
        secrets=tuple(
            SecretUse(row.label, row.id, match.group(1), row.condition)
            for row in rows
            if row.placeholder and (match := SECRET_PLACEHOLDER.search(row.placeholder))
        ),
    )


def _secret_uses(properties: list[Property], by_id: Mapping[str, Property]) -> list[SecretUse]:
    uses = []
    for prop in properties:
        placeholder = prop.get("placeholder")
        if is_visible(prop) and isinstance(placeholder, str):
            for name in SECRET_PLACEHOLDER.findall(placeholder):
                row = field_row(prop, by_id)
                uses.append(SecretUse(row.label, row.id, name, row.condition))
    return uses


def _response_doc(by_id: Mapping[str, Property]) -> ResponseDoc:
    def value(prop_id: str) -> str | None:
        prop = by_id.get(prop_id)
        return None if prop is None or "value" not in prop else str(prop["value"])

    expression = by_id.get("resultExpression", {})
    return ResponseDoc(
        result_variable="resultVariable" in by_id,
        result_expression_placeholder=expression.get("placeholder"),
        error_expression="errorExpression" in by_id,
        retries=value("retryCount"),
        retry_backoff=value("retryBackoff"),
        connection_timeout=value("connectionTimeoutInSeconds"),
        read_timeout=value("readTimeoutInSeconds"),
    )


# ---- requests in the definition's words --------------------------------------------------------


def _request_doc(operation: Operation, definition: Definition) -> RequestDoc | None:
    request: Request = operation.request
    names = _placeholder_names(operation, definition)
    parts = request.parts
    variants = tuple(
        (
            f"={variant.when.text}" if variant.when is not None else None,
            _text(variant.parts.url or parts.url, names),
            _keys(variant.parts.body or parts.body),
        )
        for variant in request.variants
    )
    query = parts.query
    return RequestDoc(
        method=_text(parts.method, names),
        url=_text(parts.url, names),
        query=tuple(f"{key}={_text(value, names)}" for key, value in query.entries) if isinstance(query, ObjectValue) else (),
        body_keys=_keys(parts.body),
        variants=variants,
    )


def _placeholder_names(operation: Operation, definition: Definition) -> dict[str, str]:
    """`{field}` -> the property id the template binds it to (what a reader finds in the tables)."""
    names = {item.name: item.name for item in definition.fields}
    names.update({item.name: field_id(operation, item) for item in operation.fields})
    return names


def _text(value: Value | None, names: Mapping[str, str]) -> str | None:
    if value is None:
        return None
    if isinstance(value, LiteralValue):
        return str(value.value)
    if isinstance(value, FieldRef):
        return "{" + names.get(value.name, value.name) + "}"
    if isinstance(value, TemplateString):
        return "".join(part if isinstance(part, str) else "{" + names.get(part.name, part.name) + "}" for part in value.parts)
    if isinstance(value, FeelValue):
        return f"={value.text}"
    return None


def _keys(value: Value | None) -> tuple[str, ...]:
    return tuple(key for key, _ in value.entries) if isinstance(value, ObjectValue) else ()
