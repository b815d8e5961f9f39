"""Reading OpenAPI schemas (3.0 and 3.1 dialects) the same way in the generator and the fake service.

`merged_all_of` folds `allOf` parts into one schema (properties and required lists united);
`schema_type` reads `type` whether it is a name, a 3.1 list with `"null"`, or implied by other
keys; `schema_example` finds the value a schema gives as its example.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

MISSING = object()


def merged_all_of(schema: dict[str, Any], resolve: Callable[[Any], Any], depth: int = 0) -> dict[str, Any]:
    """`schema` with its `allOf` parts merged in (`resolve` follows `$ref`s); other keys: the first wins."""
    result = {key: value for key, value in schema.items() if key != "allOf"}
    properties = dict(result.get("properties") or {})
    required = list(result.get("required") or [])
    for part in schema.get("allOf") or []:
        part = resolve(part)
        if not isinstance(part, dict):
            continue
        if isinstance(part.get("allOf"), list) and depth < 20:
            part = merged_all_of(part, resolve, depth + 1)
        for key, value in part.items():
            if key == "properties" and isinstance(value, dict):
                properties.update(value)
            elif key == "required" and isinstance(value, list):
                required += [name for name in value if name not in required]
            else:
                result.setdefault(key, value)
    if properties:
        result["properties"] = properties
        result.setdefault("type", "object")
    if required:
        result["required"] = required
    return result


def schema_type(schema: dict[str, Any]) -> str | None:
    """The JSON type a schema describes (`"json"` for a 3.1 list of several types, None when open)."""
    kind = schema.get("type")
    if isinstance(kind, list):
        kinds = [item for item in kind if item != "null"]
        kind = kinds[0] if len(kinds) == 1 else ("json" if kinds else "null")
    if isinstance(kind, str):
        return kind
    if "properties" in schema or "additionalProperties" in schema:
        return "object"
    if "items" in schema:
        return "array"
    if "const" in schema:
        return {str: "string", bool: "boolean", int: "integer", float: "number"}.get(type(schema["const"]))
    return None


def schema_example(schema: dict[str, Any]) -> Any:
    """`example` (3.0) or the first of `examples` (3.1); `MISSING` when the schema gives none."""
    if "example" in schema:
        return schema["example"]
    examples = schema.get("examples")
    if isinstance(examples, list) and examples:
        return examples[0]
    return MISSING
