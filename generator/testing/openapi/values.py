"""Make a JSON value that fits an OpenAPI schema (3.0 or 3.1 dialect), deterministically from a seed.

Used by the fake service when a response has no usable example. The walk is driven by a
`random.Random`, so the same seed gives the same value; patterns are filled in by `rstr` with that
same generator. Schema `example`/`examples` values are used for leaves where the spec gives them,
so answers look like the API's own; of `oneOf`/`anyOf` alternatives the first is taken (the
API's main shape) unless asked otherwise. Depth and sizes are bounded: optional members are left out
below `MAX_DEPTH`, arrays hold at most `minItems + 2` items.
"""

from __future__ import annotations

import datetime
import math
import random
import string
import uuid
from collections.abc import Callable
from typing import Any, Protocol

from generator.openapi.schemas import MISSING, merged_all_of, schema_example, schema_type

MAX_DEPTH = 6
_FORMATS: dict[str, Callable[[random.Random], str]] = {
    "date-time": lambda rng: datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC).replace(
        day=rng.randint(1, 28), hour=rng.randint(0, 23)).isoformat().replace("+00:00", "Z"),
    "date": lambda rng: datetime.date(2024, rng.randint(1, 12), rng.randint(1, 28)).isoformat(),
    "time": lambda rng: f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:00Z",
    "email": lambda rng: f"user{rng.randint(1, 999)}@example.com",
    "uuid": lambda rng: str(uuid.UUID(int=rng.getrandbits(128), version=4)),
    "uri": lambda rng: f"https://example.com/item/{rng.randint(1, 999)}",
    "url": lambda rng: f"https://example.com/item/{rng.randint(1, 999)}",
    "hostname": lambda rng: f"host{rng.randint(1, 99)}.example.com",
    "ipv4": lambda rng: f"192.0.2.{rng.randint(1, 254)}",
    "ipv6": lambda rng: f"2001:db8::{rng.randint(1, 9999):x}",
    "byte": lambda rng: "ZXRr",
    "binary": lambda rng: "etk",
}


class Resolver(Protocol):
    def resolve(self, node: Any) -> Any: ...


class ValueGenerator:
    """Values for the schemas of one document (`resolver` follows `$ref`s), drawn from `rng`."""

    def __init__(self, resolver: Resolver, rng: random.Random, *, for_response: bool = True,
                 first_choice: bool = True) -> None:
        self.resolver = resolver
        self.rng = rng
        self.for_response = for_response  # leave out writeOnly members (readOnly when False)
        self.first_choice = first_choice  # oneOf/anyOf: the first alternative (the API's main shape), else any

    def value(self, schema: Any, depth: int = 0) -> Any:
        schema = self.resolver.resolve(schema)
        if not isinstance(schema, dict) or depth > MAX_DEPTH + 4:
            return None
        if "const" in schema:
            return schema["const"]
        if isinstance(schema.get("enum"), list) and schema["enum"]:
            choices = [item for item in schema["enum"] if item is not None] or schema["enum"]
            return self.rng.choice(choices)
        example = schema_example(schema)
        if example is not MISSING and not isinstance(example, (dict, list)):
            return example
        if isinstance(schema.get("allOf"), list):
            return self.value(merged_all_of(schema, self.resolver.resolve), depth)
        for key in ("oneOf", "anyOf"):
            options = schema.get(key)
            if isinstance(options, list) and options:
                rest = {name: item for name, item in schema.items() if name != key}
                option = self.resolver.resolve(options[0 if self.first_choice else self.rng.randrange(len(options))])
                if rest.get("properties") or rest.get("required"):
                    return self.value({"allOf": [rest, option]}, depth)
                return self.value(option, depth)
        kind = schema_type(schema)
        if kind == "json":
            kind = next(item for item in schema["type"] if item != "null")
        if kind == "null":
            return None
        if kind == "object":
            return self.object(schema, depth)
        if kind == "array":
            return self.array(schema, depth)
        if kind == "integer":
            return self.integer(schema)
        if kind == "number":
            return self.number(schema)
        if kind == "boolean":
            return self.rng.random() < 0.5
        if kind == "string":
            return self.string(schema)
        return self.object(schema, depth) if "properties" in schema else "etk"

    def object(self, schema: dict[str, Any], depth: int) -> dict[str, Any]:
        properties: dict[str, Any] = schema["properties"] if isinstance(schema.get("properties"), dict) else {}
        required = set(schema.get("required") or [])
        result: dict[str, Any] = {}
        for name, member in properties.items():
            resolved = self.resolver.resolve(member)
            hidden = isinstance(resolved, dict) and resolved.get("writeOnly" if self.for_response else "readOnly")
            if hidden and name not in required:
                continue
            if name in required or (depth < MAX_DEPTH and self.rng.random() < 0.7):
                result[name] = self.value(member, depth + 1)
        for name in required - set(result):
            result[name] = "etk"  # required but not described: any value will do
        minimum = _count(schema, "minProperties", 0)
        extra = schema.get("additionalProperties")
        while len(result) < minimum:
            result[f"key{len(result)}"] = self.value(extra, depth + 1) if isinstance(extra, dict) else "etk"
        return result

    def array(self, schema: dict[str, Any], depth: int) -> list[Any]:
        low = _count(schema, "minItems", 0)
        high = _count(schema, "maxItems", low + 2)
        count = low if depth >= MAX_DEPTH else self.rng.randint(low, max(low, min(high, low + 2)))
        count = max(count, min(1, high)) if depth < MAX_DEPTH else count
        items = [self.value(schema.get("items"), depth + 1) for _ in range(count)]
        if schema.get("uniqueItems"):
            unique: list[Any] = []
            for item in items:
                if item not in unique:
                    unique.append(item)
            items = unique if len(unique) >= low else items
        return items

    def integer(self, schema: dict[str, Any]) -> int:
        low, high = _bounds(schema, integer=True)
        step = max(_count(schema, "multipleOf", 1), 1)
        value = self.rng.randint(int(low), int(high))
        if step > 1:
            value = (value // step) * step
            if value < low:
                value += step
        return value

    def number(self, schema: dict[str, Any]) -> float | int:
        low, high = _bounds(schema, integer=False)
        value = round(self.rng.uniform(low, high), 2)
        if value < low or value > high:
            value = low
        step = schema.get("multipleOf")
        if isinstance(step, (int, float)) and not isinstance(step, bool) and step > 0:
            return math.ceil(low / step) * step
        return value

    def string(self, schema: dict[str, Any]) -> str:
        low = _count(schema, "minLength", 0)
        high = _count(schema, "maxLength", max(low, 12))
        if isinstance(schema.get("pattern"), str):
            import rstr  # a small dependency of the `openapi` extra

            try:
                text = rstr.Rstr(self.rng).xeger(schema["pattern"])
                if low <= len(text) <= high:
                    return text
            except Exception:  # a pattern rstr cannot expand: fall back to plain text
                pass
        format_name = schema.get("format")
        if isinstance(format_name, str) and format_name in _FORMATS:
            return _FORMATS[format_name](self.rng)
        length = self.rng.randint(low, max(low, min(high, low + 10))) if high >= low else low
        length = max(length, min(3, high))
        return "".join(self.rng.choice(string.ascii_lowercase) for _ in range(length))


def _count(schema: dict[str, Any], key: str, default: int) -> int:
    """A whole-number keyword (`minItems`, `maxLength`, ...), `default` when absent or not a number."""
    value = schema.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def _bounds(schema: dict[str, Any], *, integer: bool) -> tuple[float, float]:
    low = schema.get("minimum")
    high = schema.get("maximum")
    low = float(low) if isinstance(low, (int, float)) and not isinstance(low, bool) else None
    high = float(high) if isinstance(high, (int, float)) and not isinstance(high, bool) else None
    exclusive_low, exclusive_high = schema.get("exclusiveMinimum"), schema.get("exclusiveMaximum")
    epsilon = 1 if integer else 0.01
    if isinstance(exclusive_low, (int, float)) and not isinstance(exclusive_low, bool):
        low = float(exclusive_low) + epsilon  # 3.1: the bound itself
    elif exclusive_low is True and low is not None:
        low += epsilon
    if isinstance(exclusive_high, (int, float)) and not isinstance(exclusive_high, bool):
        high = float(exclusive_high) - epsilon
    elif exclusive_high is True and high is not None:
        high -= epsilon
    if low is None:
        low = 0.0 if high is None or high >= 0 else high - 100
    if high is None:
        high = low + 100
    if integer:
        low, high = float(int(-(-low // 1))), float(int(high // 1))
    return low, max(low, high)
