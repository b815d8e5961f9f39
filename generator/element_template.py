"""The element-template JSON as Python types: `Template`, `Property`, `Binding`, ...

TypedDicts of the Camunda 8 (zeebe) element-template format, as etk renders it and as `apply`,
`bpmn`, `build` and the documentation read it once a template passed a structural check (see
`generator.apply.templates`: a checked template has an `id` and `properties`, each property a
`binding` with a `type`). Every key is optional to the type checker, so a template can be built
up key by key in the order it is written; values JSON allows in
several types (a property's `value`, a condition's `equals`) keep their JSON type. The validator
(`generator.validate`) takes untrusted JSON and does not use these types: finding out whether a
document is a `Template` is its job.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Required, TypedDict

#: A JSON scalar as a property value, a condition operand or a dropdown choice holds it.
JsonScalar = str | bool | int | float | None


class Binding(TypedDict, total=False):
    """Where a property's value goes: `type` and the key its type uses (`name` for inputs,
    zeebe:property and attribute bindings, `key` for task headers, `source` for outputs,
    `property` for the task definition)."""

    type: Required[str]
    name: str
    key: str
    source: str
    property: str


class Condition(TypedDict, total=False):
    """When a property (or a dropdown choice) is active: one test on another property, or
    `allMatch` of several."""

    type: str
    property: str
    equals: JsonScalar
    oneOf: list[JsonScalar]
    isActive: bool
    isEmpty: bool
    allMatch: list[Condition]


def all_match(condition: Mapping[str, object]) -> list[Any] | None:
    """The clauses of `condition` when the Modeler reads it as `allMatch` (`if (condition.allMatch)`,
    JavaScript truthiness), else None: a null, false, 0 or "" `allMatch` leaves a simple condition.
    A truthy `allMatch` that is no list (the Modeler throws on it; etk's schema refuses it) has no
    clauses."""
    clauses = condition.get("allMatch")
    if clauses in (None, False, 0, ""):
        return None
    return clauses if isinstance(clauses, list) else []


class Choice(TypedDict, total=False):
    """One entry of a dropdown."""

    name: str
    value: str
    condition: Condition


class Pattern(TypedDict, total=False):
    """A `pattern` constraint with its message."""

    value: Required[str]
    message: str


class Constraints(TypedDict, total=False):
    """The properties panel's checks of a value."""

    notEmpty: bool
    minLength: int
    maxLength: int
    pattern: str | Pattern


class GeneratedValue(TypedDict):
    """A value the Modeler generates when it applies the template (`uuid`)."""

    type: str


class Property(TypedDict, total=False):
    """One entry of the properties panel and the binding it writes."""

    id: str
    label: str
    description: str
    tooltip: str
    placeholder: str
    group: str
    type: str
    value: JsonScalar
    optional: bool
    feel: str
    language: str
    editable: bool
    generatedValue: GeneratedValue
    choices: list[Choice]
    binding: Binding
    condition: Condition
    constraints: Constraints


class Group(TypedDict, total=False):
    """A section of the properties panel."""

    id: Required[str]
    label: str
    tooltip: str
    openByDefault: bool


class ElementType(TypedDict, total=False):
    """The BPMN type an element gets when the template is applied."""

    value: Required[str]
    eventDefinition: str


class Icon(TypedDict):
    """The icon as a data URI or URL."""

    contents: str


class Category(TypedDict):
    """Where the Modeler lists the template."""

    id: str
    name: str


class Deprecation(TypedDict, total=False):
    """Why a template is deprecated and where to read about it."""

    message: str
    documentationRef: str


# One element template (a file holds one, or an array of its versions); `$schema` is no Python
# name, so this TypedDict is spelled functionally.
Template = TypedDict(
    "Template",
    {
        "$schema": str,
        "name": str,
        "id": str,
        "description": str,
        "version": int,
        "documentationRef": str,
        "category": Category,
        "appliesTo": list[str],
        "elementType": ElementType,
        "engines": dict[str, str],
        "keywords": list[str],
        "groups": list[Group],
        "properties": list[Property],
        "icon": Icon,
        "entriesVisible": bool,
        "deprecated": bool | Deprecation,
        "metadata": dict[str, Any],
    },
    total=False,
)
