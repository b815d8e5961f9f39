"""Range built-ins (DMN 1.3 semantics) on points and ranges, incl. open ends and failures."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from generator.feel.builtins import BUILTINS
from generator.feel.builtins.registry import StandaloneCallContext
from generator.feel.errors import SuppressedFailure
from generator.feel.temporal import parse_date, parse_duration, parse_time
from generator.feel.values import Range

CALL = StandaloneCallContext()


def r(text: str) -> Range:
    """`[1..10)` -> Range(1, 10, True, False); `<5` / `>5` -> open ranges."""
    if text[0] in "<>":
        bound = D(text[1:])
        return Range(None, bound, False, False) if text[0] == "<" else Range(bound, None, False, False)
    start, end = text[1:-1].split("..")
    return Range(D(start), D(end), text[0] == "[", text[-1] == "]")


def call(name: str, first, second):
    return BUILTINS[name][0].impl(CALL, first, second)


@pytest.mark.parametrize("name, first, second, expected", [
    ("before", D(1), D(10), True), ("before", D(10), D(1), False),
    ("before", D(1), r("[1..10]"), False), ("before", D(1), r("(1..10]"), True),
    ("before", r("[1..10]"), D(10), False), ("before", r("[1..10)"), D(10), True),
    ("before", r("[1..10]"), D(15), True), ("before", r("[1..10]"), r("[10..20]"), False),
    ("before", r("[1..10]"), r("(10..20]"), True), ("before", r("[1..10)"), r("[10..20]"), True),
    ("after", D(12), r("[1..10]"), True), ("after", r("[11..20)"), D(12), False),
    ("after", r("(11..20]"), D(11), True), ("after", r("[11..20]"), r("[1..11)"), True),
    ("after", r("[11..20]"), r("[1..11]"), False),
    ("meets", r("[1..5]"), r("[5..10]"), True), ("meets", r("[1..5)"), r("[5..10]"), False),
    ("meets", r("[1..5]"), r("[6..10]"), False),
    ("met by", r("[5..10]"), r("[1..5]"), True), ("met by", r("[5..10]"), r("[1..5)"), False),
    ("overlaps", r("[1..5]"), r("[3..8]"), True), ("overlaps", r("[3..5]"), r("[1..8]"), True),
    ("overlaps", r("[1..5]"), r("[5..8]"), True), ("overlaps", r("[1..5]"), r("(5..8]"), False),
    ("overlaps", r("[1..5]"), r("[6..8]"), False), ("overlaps", r("[5..8]"), r("[1..5]"), True),
    ("overlaps before", r("[1..5]"), r("[3..8]"), True), ("overlaps before", r("[1..5]"), r("[6..8]"), False),
    ("overlaps before", r("[1..5)"), r("(1..5]"), True), ("overlaps before", r("[1..5]"), r("[1..5]"), False),
    ("overlaps before", r("[1..5]"), r("[1..8]"), False), ("overlaps before", r("[1..8]"), r("[3..5]"), False),
    ("overlaps after", r("[3..8]"), r("[1..5]"), True), ("overlaps after", r("(1..5]"), r("[1..5)"), True),
    ("overlaps after", r("[5..8]"), r("[1..5)"), False), ("overlaps after", r("[1..5]"), r("[1..5)"), False),
    ("finishes", D(10), r("[1..10]"), True), ("finishes", D(10), r("[1..10)"), False),
    ("finishes", r("[5..10]"), r("[1..10]"), True), ("finishes", r("[5..10)"), r("[1..10)"), True),
    ("finishes", r("[5..10)"), r("[1..10]"), False), ("finishes", r("[1..10]"), r("(1..10]"), False),
    ("finished by", r("[1..10]"), D(10), True), ("finished by", r("[1..10)"), D(10), False),
    ("finished by", r("[1..10)"), r("[5..10)"), True), ("finished by", r("[1..10]"), r("(1..10]"), True),
    ("includes", r("[1..10]"), D(5), True), ("includes", r("(1..10]"), D(1), False),
    ("includes", r("[1..10)"), D(10), False), ("includes", r("[1..10]"), r("[4..6]"), True),
    ("includes", r("[1..10]"), r("[1..10]"), True), ("includes", r("(1..10)"), r("[1..5]"), False),
    ("during", D(5), r("[1..10]"), True), ("during", D(1), r("(1..10]"), False),
    ("during", r("(1..10)"), r("[1..10]"), True), ("during", r("[1..10]"), r("(1..10]"), False),
    ("starts", D(1), r("[1..10]"), True), ("starts", D(1), r("(1..10]"), False),
    ("starts", r("(1..5]"), r("(1..10]"), True), ("starts", r("(1..5]"), r("[1..10]"), False),
    ("starts", r("[1..10)"), r("[1..10]"), True), ("starts", r("[1..10]"), r("[1..10)"), False),
    ("started by", r("[1..10]"), D(1), True), ("started by", r("(1..10]"), D(2), False),
    ("started by", r("(1..10)"), r("(1..10)"), True), ("started by", r("[1..5]"), r("[1..10]"), False),
    ("coincides", D(5), D(5), True), ("coincides", D(3), D(4), False),
    ("coincides", r("[1..5]"), r("[1..5]"), True), ("coincides", r("(1..5)"), r("[1..5]"), False),
    # open ranges, and other comparable types
    ("before", D(1), r(">5"), True), ("includes", r("<5"), D(-100), True),
    ("includes", r("<5"), D(5), False), ("after", r(">5"), r("<5"), True),
    ("before", parse_time("12:00:00"), parse_time("13:00:00"), True),
    ("during", parse_date("2021-12-21"), Range(parse_date("2021-12-01"), parse_date("2021-12-24")), True),
    ("before", parse_duration("P3M"), parse_duration("P6M"), True),
])
def test_range_functions(name, first, second, expected):
    assert call(name, first, second) is expected


@pytest.mark.parametrize("first, second", [
    (True, False), ([D(1), D(2)], [D(3), D(4)]), ([D(1), D(2)], r("[1..5]")), ({}, {"x": D(1)}),
    (None, D(5)), (None, r("[1..5]")), (D(5), parse_date("2021-12-21")), ("a", "b"),
    (parse_time("10:00:00"), parse_time("10:00:00Z")),
])
def test_range_functions_on_unusable_values_fail(first, second):
    with pytest.raises(SuppressedFailure) as caught:
        call("before", first, second)
    assert caught.value.failure_type == "FUNCTION_INVOCATION_FAILURE"


@pytest.mark.parametrize("name, first, second", [
    ("meets", D(1), r("[1..5]")), ("finishes", r("[1..5]"), D(5)), ("includes", D(5), r("[1..5]")),
    ("coincides", D(1), r("[1..5]")), ("during", r("[1..5]"), D(3)),
])
def test_range_functions_reject_points_where_they_need_ranges(name, first, second):
    with pytest.raises(SuppressedFailure, match="Illegal arguments"):
        call(name, first, second)


def test_parameter_spellings_for_named_arguments():
    assert [tuple(p.name for p in o.params) for o in BUILTINS["before"]] == [
        ("point1", "point2"), ("point", "range"), ("range", "point"), ("range1", "range2")]
    assert [tuple(p.name for p in o.params) for o in BUILTINS["during"]] == [
        ("point", "range"), ("range1", "range2")]
