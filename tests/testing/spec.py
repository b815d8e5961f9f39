"""Validators for response bodies built from the copied Azure OpenAI 2024-10-21 spec (`../shared/upstream`).

The spec is OpenAPI 3.0: `nullable: true` becomes a `null` type here, and `#/components/...`
references resolve inside the spec document. Known spec defects (shared/upstream/azure-openai/NOTE.md)
are handled where they matter for responses: with `relax_refusal`, `message.refusal` is not
required, because api-versions before 2024-08-01-preview have no such field (their own specs, e.g.
2024-02-01, do not define it); the content-filter error's wire shape differs from the spec and is
asserted as wire shape by the tests instead of being validated against the spec.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from jsonschema import Draft7Validator

SPEC = Path("upstream/azure-openai/2024-10-21/inference.json")


def load_spec(shared_dir: Path) -> dict[str, Any]:
    return json.loads((shared_dir / SPEC).read_text(encoding="utf-8"))


def _json_schema(node: Any) -> Any:
    if isinstance(node, list):
        return [_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: _json_schema(value) for key, value in node.items() if key != "nullable"}
    if node.get("nullable") is True:
        if "type" in converted:
            converted["type"] = [converted["type"], "null"]
        else:
            converted = {"anyOf": [converted, {"type": "null"}]}
    return converted


def response_validator(spec: dict[str, Any], schema_name: str, relax_refusal: bool = False) -> Draft7Validator:
    components = _json_schema(copy.deepcopy(spec["components"]))
    if relax_refusal:
        message = components["schemas"]["chatCompletionResponseMessage"]
        message["required"] = [name for name in message["required"] if name != "refusal"]
    return Draft7Validator({"$ref": f"#/components/schemas/{schema_name}", "components": components})


def schema_errors(validator: Draft7Validator, body: Any) -> list[str]:
    return [f"{'/'.join(map(str, error.absolute_path))}: {error.message}" for error in validator.iter_errors(body)]
