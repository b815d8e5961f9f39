"""When two conditions exclude each other (so two properties may share an id)."""

from __future__ import annotations

import pytest

from generator.validate.conditions import clauses, mutually_exclusive


def of(condition: dict) -> list:
    return clauses(condition, "/c")


@pytest.mark.parametrize("first, second, exclusive", [
    ({"property": "p", "equals": "a"}, {"property": "p", "equals": "b"}, True),
    ({"property": "p", "equals": "a"}, {"property": "p", "oneOf": ["b", "a"]}, False),
    ({"property": "p", "equals": True}, {"property": "p", "equals": 1}, True),
    ({"property": "p", "equals": "a"}, {"property": "q", "equals": "b"}, False),
    ({"property": "p", "isEmpty": True}, {"property": "p", "equals": "x"}, True),
    ({"property": "p", "isEmpty": True}, {"property": "p", "equals": ""}, False),
    ({"property": "p", "isEmpty": True}, {"property": "p", "isEmpty": False}, True),
    ({"property": "p", "isActive": False}, {"property": "p", "equals": "x"}, True),
    ({"property": "p", "isActive": False}, {"property": "p", "isEmpty": True}, False),
    ({"allMatch": [{"property": "q", "equals": "z"}, {"property": "p", "equals": "a"}]},
     {"allMatch": [{"property": "p", "oneOf": ["b", "c"]}]}, True),
    ({"property": "p", "equals": "a"}, {}, False),
])
def test_mutually_exclusive(first, second, exclusive):
    assert mutually_exclusive(of(first), of(second)) is exclusive
    assert mutually_exclusive(of(second), of(first)) is exclusive


def test_clauses_carry_their_pointer_and_skip_malformed_parts():
    found = of({"allMatch": [{"property": "p", "equals": "a"}, "junk", {"property": 3, "equals": 1}]})
    assert [(each.target, each.operator, each.operand, each.pointer) for each in found] == [("p", "equals", "a", "/c/allMatch/0")]
