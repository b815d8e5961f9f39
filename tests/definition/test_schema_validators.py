"""The compiled schema check (jsonschema-rs) never passes a definition that jsonschema refuses.

`check_schema` asks jsonschema-rs first and builds messages from jsonschema's errors only when it
refuses; a definition that jsonschema-rs accepted but jsonschema would refuse would lose its
problems. Every value of the shipped definitions is replaced by values of each wrong kind, and
both validators must agree.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.definition.schema import _fast_validator, _validator
from generator.definition.source import load_yaml

REPO = Path(__file__).resolve().parents[2]
REPLACEMENTS: list[Any] = [None, True, 0, -1, 2.5, "", "x", "x\n", "=a", [], ["x"], [None], {}, {"a": None}]


def _paths(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        yield from _paths(item, (*path, key))


def _mutations(name: str, step: int) -> Iterator[Any]:
    located, _ = load_yaml((REPO / "templates" / f"{name}.yaml").read_text(encoding="utf-8"), name)
    assert located is not None
    data = located.data
    yield data
    for path in list(_paths(data))[1::step]:
        for replacement in REPLACEMENTS:
            mutated = copy.deepcopy(data)
            parent = mutated
            for key in path[:-1]:
                parent = parent[key]
            parent[path[-1]] = replacement
            yield mutated
        # and an unknown key beside the value
        mutated = copy.deepcopy(data)
        parent = mutated
        for key in path[:-1]:
            parent = parent[key]
        if isinstance(parent, dict):
            parent["unknownKey"] = 1
            yield mutated


@pytest.mark.parametrize(("name", "step"), [("rest", 1), ("azure-openai", 25)])
def test_both_validators_agree_on_every_mutation(name: str, step: int):
    disagreements = []
    for data in _mutations(name, step):
        fast = _fast_validator().is_valid(data)
        slow = not any(True for _ in _validator().iter_errors(data))
        if fast != slow:
            disagreements.append((fast, slow, data))
    # the one tolerated direction: Python's `$` also matches before a final newline, so jsonschema
    # accepts "x\n" where a pattern ends in `$`; jsonschema-rs refuses, jsonschema then finds no
    # problem, and the definition passes as it did before
    assert [entry for entry in disagreements if entry[0]] == []
