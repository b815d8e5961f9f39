"""How the Java connector runtime turns values into text, where that text reaches the outside.

Three places show Java's own formatting: `String.valueOf` of form-field values, `Map.toString`
in a failed job's message (`... | Error variables: {error={type=..., message=...}}`), and the
iteration order of a `java.util.HashMap` (request headers, the OAuth token form), which decides
the order in which those go on the wire.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any


def java_string(value: Any) -> str:
    """`String.valueOf(value)` for a JSON-like value: `null`, `true`, `1`, `1.5`, `{a=1, b=[x, y]}`."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, float):
        return _java_double(value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{java_string(k)}={java_string(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(java_string(item) for item in value) + "]"
    return str(value)


def _java_double(value: float) -> str:
    """`Double.toString`: `1.5`, `100.0`, `1.0E-5`, `1.23456789E7` (shortest round-trip digits)."""
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0 or 1e-3 <= abs(value) < 1e7:
        text = repr(value)
        return text if "." in text else text + ".0"
    sign, digits, exponent = Decimal(repr(value)).as_tuple()
    text = "".join(map(str, digits)).rstrip("0") or "0"
    scientific_exponent = len(digits) + int(exponent) - 1
    return f"{'-' if sign else ''}{text[0]}.{text[1:] or '0'}E{scientific_exponent}"


def java_string_hash(text: str) -> int:
    """`String.hashCode()` as an unsigned 32-bit value (over UTF-16 code units)."""
    result = 0
    for unit in text.encode("utf-16-be").hex(" ", 2).split():
        result = (31 * result + int(unit, 16)) & 0xFFFFFFFF
    return result


def java_hashmap_order(keys: Iterable[str], *, copied: bool = True, copied_entries: int | None = None) -> list[str]:
    """The iteration order of a `java.util.HashMap` holding `keys` (inserted in this order).

    `copied=True` is `new HashMap<>(otherMap)`, whose table is sized for the entry count of
    `otherMap` (`copied_entries`, default: all `keys`; any further key was `put` afterwards);
    `copied=False` is `new HashMap<>()` filled by `put`. A table that was not presized starts at 16
    buckets, and every table doubles past 75% load. Each key sits in bucket
    `(h ^ (h >>> 16)) & (capacity - 1)`; buckets are iterated by index, keys of one bucket in
    insertion order (a resize keeps that order).
    """
    keys = list(dict.fromkeys(keys))
    presized = (len(keys) if copied_entries is None else copied_entries) if copied else 0
    capacity = 1 if presized else 16
    wanted = int(presized / 0.75 + 1.0) if presized else 0
    while capacity < wanted or len(keys) > capacity * 0.75:
        capacity *= 2

    def bucket(key: str) -> int:
        h = java_string_hash(key)
        return (h ^ (h >> 16)) & (capacity - 1)

    return sorted(keys, key=bucket)  # sorted() is stable: insertion order within a bucket
