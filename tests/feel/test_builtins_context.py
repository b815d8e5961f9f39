"""Context built-ins: entries, values by key or path, put (nested), merge, context()."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from generator.feel.builtins import BUILTINS, context
from generator.feel.builtins.registry import StandaloneCallContext
from generator.feel.errors import SuppressedFailure

CALL = StandaloneCallContext()


def test_get_entries_and_context_are_inverse():
    entries = context.get_entries(CALL, {"c": D(1), "a": D(2)})
    assert entries == [{"key": "c", "value": D(1)}, {"key": "a", "value": D(2)}]
    assert context.context(CALL, entries) == {"c": D(1), "a": D(2)}
    assert [o.params[0].name for o in BUILTINS["get entries"]] == ["context", "m"]
    assert [tuple(p.name for p in o.params) for o in BUILTINS["get value"]] == [
        ("m", "key"), ("context", "key"), ("context", "keys")]


@pytest.mark.parametrize("entries", [
    [{"key": "a", "value": D(1)}, "x"], [{"key": "a", "value": D(1)}, {"value": D(2)}],
    [{"key": D(1), "value": D(2)}], [{"key": "a"}],
])
def test_context_of_malformed_entries_is_null(entries):
    assert context.context(CALL, entries) is None


def test_context_with_a_repeated_key_keeps_the_last_value():
    assert context.context(CALL, [{"key": "a", "value": D(1)}, {"key": "a", "value": D(2)}]) == {"a": D(2)}


@pytest.mark.parametrize("key, expected", [
    ("foo", D(123)), ("bar", None), (["x", "y", "z"], D(1)), (["x", "z"], None), (["x", D(1)], None), (["x"], {"y": {"z": D(1)}}),
    ([], None), (["foo", "deeper"], None),
])
def test_get_value(key, expected):
    assert context.get_value(CALL, {"foo": D(123), "x": {"y": {"z": D(1)}}}, key) == expected


@pytest.mark.parametrize("original, key, expected", [
    ({}, "x", {"x": D(2)}), ({"c": D(1), "b": D(2)}, "d", {"c": D(1), "b": D(2), "d": D(2)}),
    ({"c": D(1), "b": D(2), "a": D(3)}, "b", {"c": D(1), "b": D(2), "a": D(3)}),
    ({"x": D(1)}, ["y", "z"], {"x": D(1), "y": {"z": D(2)}}),
    ({"x": D(1), "a": {"b": {"c": D(1)}}}, ["a", "b", "c"], {"x": D(1), "a": {"b": {"c": D(2)}}}),
    ({"x": D(1), "a": {"b": {"c": {"d": D(1)}}}}, ["a", "b", "c", "e"],
     {"x": D(1), "a": {"b": {"c": {"d": D(1), "e": D(2)}}}}),
    ({"a": D(5)}, ["a", "b"], {"a": {"b": D(2)}}),
])
def test_context_put(original, key, expected):
    result = context.context_put(CALL, original, key, D(2))
    assert result == expected
    assert list(result) == list(expected)  # order: existing keys stay where they were


def test_context_put_with_no_keys_is_null_and_never_changes_its_argument():
    original = {"x": D(1)}
    assert context.context_put(CALL, original, [], D(2)) is None
    context.context_put(CALL, original, "y", D(2))
    assert original == {"x": D(1)}
    with pytest.raises(SuppressedFailure):
        context.context_put(CALL, original, [D(1)], D(2))


def test_context_merge():
    merged = context.context_merge(CALL, [{"c": D(1), "b": D(2), "a": D(3)}, {"b": D(20), "d": D(4)}])
    assert merged == {"c": D(1), "b": D(20), "a": D(3), "d": D(4)}
    assert list(merged) == ["c", "b", "a", "d"]
    assert context.context_merge(CALL, [[{"x": D(1)}, {"x": D(2)}]]) == {"x": D(2)}
    assert context.context_merge(CALL, [{"x": D(1)}, D(1)]) is None  # feel-scala: no failure


def test_deprecated_spellings_share_the_impls():
    assert {o.params[1].name for o in BUILTINS["put"]} == {"key", "keys"}
    assert BUILTINS["put all"][0].impl(CALL, [{"a": D(1)}, {"b": D(2)}]) == {"a": D(1), "b": D(2)}
