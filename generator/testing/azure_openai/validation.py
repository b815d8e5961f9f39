"""Request-body checks of the fake, reported in the words of the Azure component that checks them live.

Two components validate requests at Azure, and their answers differ:
- the model backend (completions, chat without data sources) reports the first problem as
  `"<jsonschema message> - '<dotted.path>'"` with `type: invalid_request_error`, and unknown top-level
  keys as `Unrecognized request argument supplied: <key>`;
- the On-Your-Data service (chat with `data_sources`, and the old `extensions` route) reports every
  problem, one line each, as `Validation error at #/<path>: <pydantic message>`, naming the chosen
  data-source type in the path (`#/data_sources/0/azure_search/parameters/endpoint: Field required`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from jsonschema import Draft7Validator
from jsonschema.exceptions import ValidationError, best_match

from generator.jsontext import JsonReadError, parse_json
from generator.testing.azure_openai import answers
from generator.testing.azure_openai.schemas import Schema, request_schema
from generator.testing.azure_openai.versions import CHAT, EXTENSIONS, ApiVersion
from generator.testing.loopback import Answer


@dataclass(frozen=True)
class CheckedRequest:
    """A request body that passed every check, with the parsed JSON."""

    body: dict[str, Any]
    on_your_data: bool


def check_request(operation: str, version: ApiVersion, raw: bytes, request_id: str) -> CheckedRequest | Answer:
    """Parse and validate `raw` for `operation` under `version`: the parsed body, or the 400 to send."""
    try:  # as Azure reads it: NaN and Infinity are no JSON
        body = parse_json(raw.decode("utf-8"), as_jackson=True)
    except (UnicodeDecodeError, JsonReadError):
        return answers.unparsable_json()
    accepted = version.request_keys(operation)
    on_your_data = operation == EXTENSIONS or (
        operation == CHAT and isinstance(body, dict) and "data_sources" in body and "data_sources" in accepted
    )
    if on_your_data:
        validator = _validator(operation, version, closed=True)
        assert isinstance(validator.schema, dict)  # built from the request schema
        lines = on_your_data_lines(validator.schema, validator.iter_errors(body))
        if lines:
            return answers.on_your_data_validation(request_id, lines)
    else:
        if isinstance(body, dict):
            unknown = [key for key in body if key not in accepted]
            if unknown:
                return answers.unrecognized_arguments(unknown)
        error = best_match(_validator(operation, version, closed=False).iter_errors(body))
        if error is not None:
            return answers.invalid_request(model_backend_message(error))
        below = _below_backend_minimum(operation, body)
        if below is not None:
            return answers.invalid_request(below)
    if body.get("stream") is True:
        return answers.stream_not_supported()
    return CheckedRequest(body=body, on_your_data=on_your_data)


def _below_backend_minimum(operation: str, body: Any) -> str | None:
    """The model backend's own minimum beyond the spec: a chat answer needs at least one token.

    The spec gives chat `max_tokens` no minimum (completions have its minimum 0), but the backend answers
    "0 is less than the minimum of 1 - 'max_tokens'" (henrycunh/golem#44, reworkd/AgentGPT#878).
    """
    value = body.get("max_tokens") if operation == CHAT and isinstance(body, dict) else None
    if isinstance(value, int | float) and not isinstance(value, bool) and value < 1:
        return f"{value!r} is less than the minimum of 1 - 'max_tokens'"
    return None


@cache
def _validator(operation: str, version: ApiVersion, closed: bool) -> Draft7Validator:
    return Draft7Validator(request_schema(operation, version, closed))


def model_backend_message(error: ValidationError) -> str:
    """`'0.7' is not of type 'number' - 'temperature'`; top-level problems carry no path suffix.

    The wording is jsonschema's as the live service prints it: its specs mark nullable fields with
    OpenAPI's `nullable` rather than a `null` type, so `null` is never named among the expected
    types, and array lengths read "is too short" / "is too long" (chatboxai/chatbox#943).
    """
    message = error.message
    if error.validator == "type":
        expected = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        message = f"{error.instance!r} is not of type {', '.join(repr(name) for name in expected if name != 'null')}"
    elif error.validator in ("minItems", "maxItems"):
        message = f"{error.instance!r} is too {'short' if error.validator == 'minItems' else 'long'}"
    path = ".".join(str(part) for part in error.absolute_path)
    return f"{message} - '{path}'" if path else message


# --- On-Your-Data (pydantic-style) messages --------------------------------------------------------

_TYPE_WORDS = {
    "string": "a valid string",
    "integer": "a valid integer",
    "number": "a valid number",
    "boolean": "a valid boolean",
    "array": "a valid list",
    "object": "a valid dictionary",
}


def on_your_data_lines(schema: Schema, errors: Iterable[ValidationError]) -> list[str]:
    """Every problem as `Validation error at #/<path>: <message>`, in a stable order, without repeats."""
    problems = [problem for error in errors for problem in _pydantic_problems(schema, error)]
    lines: list[str] = []
    for path, message in sorted(problems, key=lambda problem: [str(part) for part in problem[0]]):
        line = f"Validation error at #{''.join('/' + str(part) for part in path)}: {message}"
        if line not in lines:
            lines.append(line)
    return lines


def _pydantic_problems(schema: Schema, error: ValidationError) -> list[tuple[list[Any], str]]:
    nodes, tags = _walk(schema, error)
    path = _tagged(list(error.absolute_path), tags)
    union = nodes[-3] if len(nodes) >= 3 else {}
    # jsonschema sets these on every error it yields (its stubs also allow "unset")
    instance: Any = error.instance
    bound: Any = error.validator_value
    failed_schema: Mapping[str, Any] = error.schema if isinstance(error.schema, Mapping) else {}
    if error.validator == "required":
        discriminator = failed_schema.get("x-discriminator")
        missing = [name for name in bound if name not in instance]
        if discriminator in missing:
            return [(path, f"Unable to extract tag using discriminator '{discriminator}'")]
        return [([*path, name], "Field required") for name in missing]
    if error.validator == "additionalProperties":
        known = failed_schema.get("properties", {})
        return [([*path, key], "Extra inputs are not permitted") for key in instance if key not in known]
    if error.validator == "enum":
        discriminator = union.get("x-discriminator") if isinstance(union, dict) else None
        if discriminator is not None and error.absolute_path and error.absolute_path[-1] == discriminator:
            expected_tags = ", ".join(repr(value) for value in bound)
            return [(path[:-1], f"Input tag {instance!r} found using {discriminator!r} does not match any of "
                                f"the expected tags: {expected_tags}")]
        return [(path, f"Input should be {_alternatives(bound)}")]
    if error.validator == "type":
        expected = bound if isinstance(bound, list) else [bound]
        wanted = next(name for name in expected if name != "null")
        return [(path, f"Input should be {_TYPE_WORDS[wanted]}")]
    if error.validator == "minimum":
        return [(path, f"Input should be greater than or equal to {bound}")]
    if error.validator == "maximum":
        return [(path, f"Input should be less than or equal to {bound}")]
    if error.validator in ("minItems", "maxItems"):
        count = bound
        bound_words = "at least" if error.validator == "minItems" else "at most"
        return [(path, f"List should have {bound_words} {count} item{'' if count == 1 else 's'} after validation, "
                       f"not {len(instance)}")]
    return [(path, error.message)]


def _alternatives(values: list[Any]) -> str:
    quoted = [repr(value) for value in values]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} or {quoted[-1]}"


def _walk(schema: Schema, error: ValidationError) -> tuple[list[Any], dict[int, str]]:
    """Follow the error's schema path from the root: the schema nodes passed, and the union tag chosen at
    each instance depth (read from `x-tag` on the branch taken)."""
    node: Any = schema
    nodes: list[Any] = [node]
    tags: dict[int, str] = {}
    depth = 0
    parts = list(error.absolute_schema_path)
    index = 0
    while index < len(parts):
        if isinstance(node, dict) and "x-tag" in node:
            tags[depth] = node["x-tag"]
        part = parts[index]
        if part in ("properties", "patternProperties") and index + 1 < len(parts):
            node = node[part][parts[index + 1]]
            index += 2
            depth += 1
        else:
            node = node[part]
            index += 1
            if part in ("items", "additionalProperties"):
                depth += 1
        nodes.append(node)
    return nodes, tags


def _tagged(path: list[Any], tags: dict[int, str]) -> list[Any]:
    """Insert each union tag after the path segment that reaches the tagged object."""
    result: list[Any] = []
    for depth, part in enumerate(path, start=1):
        result.append(part)
        if depth in tags:
            result.append(tags[depth])
    return result
