"""Mutating a JSON-like document at a position: the fuzz tests' way to put a hostile value
anywhere in a valid template or definition, or under a key the format knows where it is absent."""

from __future__ import annotations

import copy
from typing import Any

Path = tuple[Any, ...]


def positions(value: Any, prefix: Path = ()) -> list[Path]:
    """Every position in `value` (the root, `()`, included), in document order."""
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found += positions(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += positions(item, (*prefix, index))
    return found


def mappings(value: Any) -> list[Path]:
    """The positions in `value` that hold a mapping (where a member can be added)."""
    return [path for path in positions(value) if isinstance(_at(value, path), dict)]


def schema_keys(schema: Any) -> list[str]:
    """Every member name a JSON Schema describes (the keys of each of its `properties`), sorted."""
    found: set[str] = set()
    for path in positions(schema):
        if path and path[-1] == "properties" and isinstance(_at(schema, path), dict):
            found.update(_at(schema, path))
    return sorted(found)


def replaced(document: Any, path: Path, new: Any) -> Any:
    """A copy of `document` with the value at `path` replaced by `new` (added, when `path` names a
    member a mapping does not have)."""
    if not path:
        return new
    result, parent = _copy_to_parent(document, path)
    parent[path[-1]] = new
    return result


def removed(document: Any, path: Path) -> Any:
    """A copy of `document` without the member or item at `path` (the root cannot go)."""
    if not path:
        return document
    result, parent = _copy_to_parent(document, path)
    del parent[path[-1]]
    return result


def _copy_to_parent(document: Any, path: Path) -> tuple[Any, Any]:
    """A deep copy of `document`, and the container in it that holds the value at `path`."""
    result = copy.deepcopy(document)
    return result, _at(result, path[:-1])


def _at(document: Any, path: Path) -> Any:
    for step in path:
        document = document[step]
    return document
