"""Context built-ins: `get entries`, `get value` (a key or a path of keys), `context put`
(a key or a path of keys), `context merge`, `context`, and the deprecated `put` / `put all`."""

from __future__ import annotations

from typing import Any

from generator.feel.builtins.registry import Family, InvalidArgument

FUNCTIONS = Family()
function = FUNCTIONS.function


def _get_entries(call: Any, context: dict[str, Any]) -> list[dict[str, Any]]:
    """`get entries({a: 1})` = [{key: "a", value: 1}]."""
    return [{"key": key, "value": value} for key, value in context.items()]


get_entries = function("get entries", "context")(_get_entries)
function("get entries", "m")(_get_entries)


def _get_value(call: Any, context: dict[str, Any], key: str | list[Any]) -> Any:
    """The entry's value, or null; a list of keys walks into nested contexts."""
    path = [key] if isinstance(key, str) else key
    value: Any = context
    for step in path:
        if not isinstance(value, dict) or not isinstance(step, str) or step not in value:
            return None
        value = value[step]
    return value if path else None


get_value = function("get value", "m", "key")(_get_value)
function("get value", "context", "key")(_get_value)
function("get value", "context", "keys")(_get_value)


def _put(context: dict[str, Any], path: list[Any], value: Any) -> dict[str, Any]:
    key, rest = path[0], path[1:]
    if not isinstance(key, str):
        raise InvalidArgument(f"a context key must be a string, not {key!r}")
    if rest:
        inner = context.get(key)
        value = _put(inner if isinstance(inner, dict) else {}, rest, value)
    return {**context, key: value}


def _context_put(call: Any, context: dict[str, Any], key: str | list[Any], value: Any) -> dict[str, Any] | None:
    """A copy of the context with the entry added or replaced (an existing key keeps its
    position); a list of keys puts into nested contexts, creating them."""
    path = [key] if isinstance(key, str) else key
    return _put(context, path, value) if path else None


context_put = function("context put", "context", "key", "value")(_context_put)
function("context put", "context", "keys", "value")(_context_put)
function("put", "context", "key", "value")(_context_put)  # deprecated spelling
function("put", "context", "keys", "value")(_context_put)


def _context_merge(call: Any, contexts: list[Any]) -> dict[str, Any] | None:
    """One context with the entries of all; later contexts override earlier entries. Null when
    an item is no context (feel-scala reports no failure)."""
    if not all(isinstance(context, dict) for context in contexts):
        return None
    merged: dict[str, Any] = {}
    for context in contexts:
        merged.update(context)
    return merged


context_merge = function("context merge", "*contexts")(_context_merge)
function("put all", "*contexts")(_context_merge)  # deprecated spelling


def _is_entry(item: Any) -> bool:
    return isinstance(item, dict) and isinstance(item.get("key"), str) and "value" in item


@function("context", "entries")
def context(call: Any, entries: list[Any]) -> dict[str, Any] | None:
    """The reverse of `get entries`: a list of {key, value} contexts -> one context; null when an
    item is no such entry (feel-scala reports no failure)."""
    result = {}
    for item in entries:
        if not _is_entry(item):
            return None
        result[item["key"]] = item["value"]
    return result
