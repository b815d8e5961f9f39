"""Mutating a JSON-like document at a position: the fuzz tests' way to put a hostile value
anywhere in a valid template or definition."""

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


def replaced(document: Any, path: Path, new: Any) -> Any:
    """A copy of `document` with the value at `path` replaced by `new`."""
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
    parent = result
    for step in path[:-1]:
        parent = parent[step]
    return result, parent
