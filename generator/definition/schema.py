"""Check definition data against `schemas/connector-definition.schema.json`, with readable messages.

jsonschema yields every error with the path of the offending value; this module turns each one
into a `Problem` at that value's (or key's) line and column, phrased for a YAML author, with a
did-you-mean where a close name exists. Most definitions are valid, so jsonschema-rs (compiled,
~20x faster) decides first; the pure-Python `jsonschema` and its error objects, which the messages
are built from, are imported and run only for a definition that fails.
"""

from __future__ import annotations

import difflib
import functools
import json
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import jsonschema_rs

from generator.definition.source import LocatedData
from generator.errors import EtkError, abbreviated
from generator.problems import Problem
from generator.resources import schema_file

if TYPE_CHECKING:
    import jsonschema
    from jsonschema.exceptions import ValidationError

SCHEMA_FILE = schema_file("connector-definition.schema.json")

_PATTERN_MESSAGES = {
    "^[A-Za-z][A-Za-z0-9_]*$": "is not a valid name: use letters, digits and '_', starting with a letter",
    "^[A-Za-z][A-Za-z0-9]*$": "is not a valid operation id: use letters and digits, starting with a letter",
    "^[A-Za-z][A-Za-z0-9_-]*$": "is not a valid group id: use letters, digits, '_' and '-', starting with a letter",
    "^[A-Za-z0-9_.:-]+$": "is not a valid template id: use letters, digits and '.', '_', ':', '-'",
    "^https?://": "must be an http:// or https:// URL",
    "\\.(svg|png)$": "must name an .svg or .png file next to the definition",
    "^[\\w\\d]+:[\\w\\d]+$": "must be a BPMN type such as bpmn:Task",
    "^=": "must be a FEEL expression starting with '='",
}


@functools.lru_cache(maxsize=1)
def definition_schema() -> dict[str, Any]:
    """The definition JSON Schema (draft-07), read once."""
    try:
        schema: dict[str, Any] = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
        return schema
    except OSError as error:
        raise EtkError(f"{SCHEMA_FILE}: cannot read the definition schema: {error.strerror}") from None


@functools.lru_cache(maxsize=1)
def _fast_validator() -> jsonschema_rs.Draft7Validator:
    return jsonschema_rs.Draft7Validator(definition_schema(), offline=True)


@functools.lru_cache(maxsize=1)
def _validator() -> jsonschema.Draft7Validator:
    import jsonschema

    return jsonschema.Draft7Validator(definition_schema())


def did_you_mean(name: str, candidates: Iterable[str]) -> str:
    """` (did you mean 'x'?)` when a candidate is close to `name`, else an empty string."""
    matches = difflib.get_close_matches(str(name), [str(item) for item in candidates], n=1, cutoff=0.6)
    return f" (did you mean '{matches[0]}'?)" if matches else ""


def describe(value: Any) -> str:
    """How a YAML author would call the kind of `value`."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, int):
        return f"an integer ({value})"
    if isinstance(value, float):
        return f"a number ({value})"
    if isinstance(value, str):
        return f"text ('{value}')" if len(value) <= 40 else "text"
    if isinstance(value, list):
        return "a list"
    return "a mapping"


_TYPE_NAMES = {
    "string": "text",
    "integer": "an integer",
    "number": "a number",
    "boolean": "a boolean (true or false)",
    "object": "a mapping",
    "array": "a list",
    "null": "nothing",
}


def _expected(types: str | list[str]) -> str:
    names = [_TYPE_NAMES.get(item, item) for item in ([types] if isinstance(types, str) else types)]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def check_schema(located: LocatedData) -> list[Problem]:
    """Every schema violation of the data, as problems pointing at the YAML (none for a value the
    loader already reported as unreadable)."""
    problems: list[Problem] = []
    if _fast_validator().is_valid(located.data):
        return problems
    for error in _validator().iter_errors(located.data):
        if tuple(error.absolute_path) not in located.unreadable:
            problems.extend(_problems(error, located))
    return problems


def _problems(error: ValidationError, located: LocatedData) -> list[Problem]:
    path = tuple(error.absolute_path)
    instance = error.instance
    kind = error.validator
    # jsonschema sets both on every error it yields (its stubs also allow "unset")
    expected: Any = error.validator_value
    schema: Mapping[str, Any] = error.schema if isinstance(error.schema, Mapping) else {}
    if kind in ("oneOf", "anyOf") and error.context:
        from jsonschema.exceptions import best_match

        return _problems(best_match(error.context), located)
    if kind == "additionalProperties" and isinstance(instance, dict):
        allowed = list(schema.get("properties", {}))
        problems = []
        for key in instance:
            if key in allowed:
                continue
            hint = did_you_mean(key, allowed) or (f"; allowed here: {', '.join(allowed)}" if allowed else "")
            problems.append(Problem("error", "definition-schema", f"unknown key '{key}'{hint}", located.where((*path, key), key=True)))
        return problems
    if kind == "required" and isinstance(instance, dict):
        return [
            Problem("error", "definition-schema", f"missing required key '{key}'", located.where(path))
            for key in expected
            if key not in instance
        ]
    if "propertyNames" in error.absolute_schema_path:
        # jsonschema checks a mapping's keys as instances at the mapping's own path
        key = str(instance)
        if kind == "enum":
            allowed = [str(item) for item in expected]
            message = f"unknown key '{key}'{did_you_mean(key, allowed)}; allowed here: {', '.join(allowed)}"
        else:
            message = f"'{key}' {_PATTERN_MESSAGES.get(expected, 'is not a valid key')}"
        return [Problem("error", "definition-schema", message, located.where((*path, key), key=True))]
    where = located.where(path)
    if kind == "type":
        return [Problem("error", "definition-schema", f"expected {_expected(expected)}, got {describe(instance)}", where)]
    if kind == "enum":
        allowed = [str(item) for item in expected]
        return [
            Problem(
                "error",
                "definition-schema",
                f"'{instance}' is not one of: {', '.join(allowed)}{did_you_mean(str(instance), allowed)}",
                where,
            )
        ]
    if kind == "pattern":
        return [Problem("error", "definition-schema", f"'{instance}' {_PATTERN_MESSAGES.get(expected, 'has an invalid form')}", where)]
    if kind in ("minItems", "minProperties"):
        return [Problem("error", "definition-schema", "must not be empty" if expected == 1 else error.message, where)]
    if kind in ("minimum", "maximum"):
        bound = "at least" if kind == "minimum" else "at most"
        return [Problem("error", "definition-schema", f"must be {bound} {expected}, got {abbreviated(str(instance), 'digits')}", where)]
    if kind == "minLength":
        return [Problem("error", "definition-schema", "must not be empty", where)]
    return [Problem("error", "definition-schema", error.message, where)]
