"""Structural checks: etk's JSON Schema of element templates, compiled once with jsonschema-rs.

Errors come back from the compiled validator with the instance path (what is wrong) and the
schema path (which rule). The message is the `errorMessage` of the innermost schema node on the
schema path that has one, with `${...}` placeholders filled from the template; other errors get
a message generated from the error kind ("missing required key ...", "unknown key ...").
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from typing import Any

import jsonschema_rs

from generator.jsontext import array_index
from generator.problems import Problem
from generator.resources import schema_file
from generator.validate.findings import finding
from generator.validate.positions import join

SCHEMA_FILE = schema_file("element-template.schema.json")

# How a schema path descends: keywords followed by a member name, keywords followed by an index,
# and keywords whose value is the subschema; True where the step also descends one level into
# the instance (a property value, an array item).
_NAMED_CHILDREN = {"properties": True, "patternProperties": True, "definitions": False, "dependencies": False}
_SCHEMA_CHILD = {"items": True, "additionalProperties": True, "additionalItems": True, "contains": True,
                 "propertyNames": True, "not": False, "if": False, "then": False, "else": False}
_INDEXED_CHILDREN = {"allOf", "anyOf", "oneOf"}
_MAX_VALUE_LENGTH = 60
_MISSING = object()  # a placeholder's value that is not in the template


@functools.cache
def load_schema() -> dict[str, Any]:
    """etk's element-template schema (`schemas/element-template.schema.json`)."""
    schema: dict[str, Any] = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return schema


# The schema failures of property objects already checked: id -> (the object, its failures, with
# instance paths inside it). A document's templates share alike properties (one object each, see
# positions.read_templates), so each is checked once; the object is kept, so its id stays its own.
PropertyFailures = dict[int, tuple[Any, list[tuple[list[Any], Any]]]]


@dataclass(frozen=True)
class _Validators:
    root: dict[str, Any]  # etk's schema, rooted at `#/definitions/template`
    template: jsonschema_rs.Draft7Validator  # the template without checking each property
    property: jsonschema_rs.Draft7Validator  # one property


@functools.cache
def _compiled() -> _Validators:
    # Validate one template at a time against `#/definitions/template` so errors are precise
    # (the root `oneOf` object|array would only say "matches neither"), and each property on its
    # own against `#/definitions/property`: `items` checks every property independently, and the
    # failures report the same schema paths (jsonschema-rs resolves `$ref`s).
    definitions = load_schema()["definitions"]
    template = definitions["template"]
    shallow = {**template, "properties": {**template["properties"], "properties": {"type": "array"}}}
    return _Validators(
        {"$ref": "#/definitions/template", "definitions": definitions},
        jsonschema_rs.Draft7Validator({"$ref": "#/definitions/template", "definitions": {**definitions, "template": shallow}},
                                      offline=True),
        jsonschema_rs.Draft7Validator({"$ref": "#/definitions/property", "definitions": definitions}, offline=True),
    )


def check_structure(template: dict[str, Any], pointer: str = "", checked: PropertyFailures | None = None) -> list[Problem]:
    """Schema findings (all errors) for one template; `pointer` is where the template sits.
    `checked` keeps the failures of the property objects checked so far in the document."""
    validators = _compiled()
    try:
        failures = [(list(failure.instance_path), failure) for failure in validators.template.iter_errors(template)]
        properties = template.get("properties")
        if isinstance(properties, list):
            for index, prop in enumerate(properties):
                found = _property_failures(prop, checked)
                if found:  # seldom: most properties pass
                    failures += [(["properties", index, *path], failure) for path, failure in found]
    except ValueError as problem:  # jsonschema-rs: a value nested too deeply, or not JSON data
        return [finding("schema", pointer, f"cannot check the template's structure: {problem}")]
    root = validators.root
    findings: dict[tuple[str, str], Problem] = {}
    for instance_path, failure in failures:
        message = _message(failure, instance_path, root, template)
        where = join(pointer, *instance_path)
        findings.setdefault((where, message), finding("schema", where, message))
    return list(findings.values())


def _property_failures(prop: Any, checked: PropertyFailures | None) -> list[tuple[list[Any], Any]]:
    known = checked.get(id(prop)) if checked is not None else None
    if known is not None and known[0] is prop:
        return known[1]
    failures = [(list(failure.instance_path), failure) for failure in _compiled().property.iter_errors(prop)]
    if checked is not None:
        checked[id(prop)] = (prop, failures)
    return failures


def _message(failure: Any, instance_path: list[Any], root: dict[str, Any], template: Any) -> str:
    custom, levels_below = _error_message(root, list(failure.schema_path))
    if custom is not None:
        return _fill(custom, template, instance_path[: len(instance_path) - levels_below])
    return _generic_message(failure, instance_path)


def _error_message(root: dict[str, Any], schema_path: list[Any]) -> tuple[str | None, int]:
    """The innermost `errorMessage` on `schema_path`, and how many instance levels the failing
    value lies below the value that message's node checks.

    The schema path is where the failing keyword sits in the schema document (jsonschema-rs
    reports it after resolving `$ref`s), so instance levels are counted from the message's
    node down to the keyword, never from the root.
    """
    node: Any = root
    depth = 0
    found: tuple[str | None, int] = (None, 0)
    index = 0
    last = len(schema_path) - 1  # the final token is the failing keyword itself
    while index < last and isinstance(node, dict):
        token = schema_path[index]
        if token in _NAMED_CHILDREN:
            node = node[token][schema_path[index + 1]]
            depth += _NAMED_CHILDREN[token]
            index += 2
        elif token in _INDEXED_CHILDREN:
            node = node[token][schema_path[index + 1]]
            index += 2
        elif token in _SCHEMA_CHILD:
            node = node[token]
            depth += _SCHEMA_CHILD[token]
            index += 1
        else:
            break
        if isinstance(node, dict) and "errorMessage" in node:
            found = (node["errorMessage"], depth)
    if schema_path and _SCHEMA_CHILD.get(schema_path[-1]):
        depth += 1  # a `false` subschema (e.g. additionalProperties) fails at the child value
    message, node_depth = found
    return message, depth - node_depth


def _fill(message: str, template: Any, base: list[Any]) -> str:
    """Replace `${N/a/b}` in `message` with the value N levels above `base` (the instance path
    of the value the message's node checks), then down `a/b`."""
    if "${" not in message:
        return message
    parts = message.split("${")
    filled = [parts[0]]
    for part in parts[1:]:
        reference, _, rest = part.partition("}")
        up, _, down = reference.partition("/")
        path = base[: len(base) - int(up)] + (down.split("/") if down else [])
        filled.append(_show(_resolve(template, path)) + rest)
    return "".join(filled)


def _resolve(value: Any, path: list[Any]) -> Any:
    for token in path:
        if isinstance(value, dict):
            value = value.get(str(token), _MISSING)
        elif isinstance(value, list) and (index := array_index(str(token), len(value))) is not None:
            value = value[index]
        else:
            return _MISSING
    return value


def _show(value: Any) -> str:
    """A short JSON rendering of a value for a message."""
    if value is _MISSING:
        return "(none)"
    text = json.dumps(value, ensure_ascii=False)
    if len(text) > _MAX_VALUE_LENGTH:
        text = text[: _MAX_VALUE_LENGTH - 3] + "..."
    return text


def _subject(instance_path: list[Any]) -> str:
    if not instance_path:
        return "the template"
    if isinstance(instance_path[-1], int):
        parent = f' of "{instance_path[-2]}"' if len(instance_path) > 1 else ""
        return f"item {instance_path[-1]}{parent}"
    return f'"{instance_path[-1]}"'


def _generic_message(failure: Any, instance_path: list[Any]) -> str:
    kind = failure.kind
    details = kind.as_dict()
    subject = _subject(instance_path)
    value = _show(failure.instance)
    match kind.name:
        case "required":
            return f'missing required key "{details["property"]}"'
        case "type":
            return f"{subject} must be of type {' or '.join(details['types'])}, got {value}"
        case "enum":
            options = ", ".join(_show(option) for option in details["options"])
            return f"{subject} must be one of {options}; got {value}"
        case "const":
            return f"{subject} must be {_show(details['expected_value'])}; got {value}"
        case "pattern":
            return f"{subject} {value} does not match the pattern {details['pattern']}"
        case "minItems":
            return f"{subject} needs at least {details['limit']} item(s)"
        case "minLength":
            return f"{subject} must not be shorter than {details['limit']} character(s)"
        case "maxLength":
            return f"{subject} must not be longer than {details['limit']} characters"
        case "minimum" | "maximum":
            bound = "at least" if kind.name == "minimum" else "at most"
            return f"{subject} must be {bound} {details['limit']}; got {value}"
        case "falseSchema" if list(failure.schema_path)[-1:] == ["additionalProperties"]:
            return f"unknown key {subject}"
        case "anyOf" | "oneOf":
            return f"{subject} matches none of the allowed forms"
        case _:
            return f"{subject} is not allowed here"
