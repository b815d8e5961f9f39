"""Range built-ins (DMN 1.3 §10.3.4.9): `before`, `after`, `meets`, `met by`, `overlaps`,
`overlaps before/after`, `finishes`, `finished by`, `includes`, `during`, `starts`,
`started by`, `coincides` on points and ranges. Each function is one impl registered under
every DMN parameter spelling (point1/point2, point/range, range/point, range1/range2)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from generator.feel import values
from generator.feel.builtins.registry import Family, InvalidArgument, illegal
from generator.feel.errors import SuppressedFailure
from generator.feel.values import Range

FUNCTIONS = Family()

_LOW, _HIGH = object(), object()  # the open ends of `< x` / `> x` ranges
# feel-scala's point values: comparable, but not strings
_POINT_KINDS = values.COMPARABLE_KINDS - {"string"}


def _cmp(x: Any, y: Any) -> int:
    if x is y and x in (_LOW, _HIGH):
        return 0
    if x is _LOW or y is _HIGH:
        return -1
    if x is _HIGH or y is _LOW:
        return 1
    try:
        return values.compare(x, y)
    except SuppressedFailure as failure:
        raise InvalidArgument(failure.message) from None


class _Bounds:
    """A point or a range as start/end with inclusion flags (a point is `[p..p]`)."""

    def __init__(self, value: Any) -> None:
        if isinstance(value, Range):
            self.start = _LOW if value.start is None else value.start
            self.end = _HIGH if value.end is None else value.end
            self.start_in, self.end_in = value.start_included, value.end_included
        else:
            if values.kind(value) not in _POINT_KINDS:
                raise InvalidArgument(f"'{values.describe(value)}' is no point or range")
            self.start = self.end = value
            self.start_in = self.end_in = True


# which arguments are ranges for each parameter spelling
_SHAPES = {("point1", "point2"): (False, False), ("point", "range"): (False, True),
           ("range", "point"): (True, False), ("range1", "range2"): (True, True)}


def _range_function(name: str, spellings: tuple[tuple[str, str], ...],
                    rule: Callable[[_Bounds, _Bounds], bool]) -> None:
    shapes = {_SHAPES[params] for params in spellings}

    def impl(call: Any, first: Any, second: Any) -> bool:
        if (isinstance(first, Range), isinstance(second, Range)) not in shapes:
            raise illegal([first, second])
        return rule(_Bounds(first), _Bounds(second))

    impl.__name__ = name.replace(" ", "_")
    for params in spellings:
        FUNCTIONS.function(name, *params)(impl)


_POINTS_AND_RANGES = (("point1", "point2"), ("point", "range"), ("range", "point"),
                      ("range1", "range2"))
_RANGES = (("range1", "range2"),)
_RANGE_FIRST = (("range", "point"), ("range1", "range2"))
_RANGE_SECOND = (("point", "range"), ("range1", "range2"))


def _before(a: _Bounds, b: _Bounds) -> bool:
    order = _cmp(a.end, b.start)
    return order < 0 or (order == 0 and not (a.end_in and b.start_in))


def _meets(a: _Bounds, b: _Bounds) -> bool:
    return a.end_in and b.start_in and _cmp(a.end, b.start) == 0


def _overlaps(a: _Bounds, b: _Bounds) -> bool:
    return not _before(a, b) and not _before(b, a)


def _starts_no_earlier(a: _Bounds, b: _Bounds) -> bool:
    """a's start is at or after b's start (b covers a at the start)."""
    order = _cmp(a.start, b.start)
    return order > 0 or (order == 0 and (b.start_in or not a.start_in))


def _ends_no_later(a: _Bounds, b: _Bounds) -> bool:
    order = _cmp(a.end, b.end)
    return order < 0 or (order == 0 and (b.end_in or not a.end_in))


def _includes(a: _Bounds, b: _Bounds) -> bool:
    return _starts_no_earlier(b, a) and _ends_no_later(b, a)


def _same_start(a: _Bounds, b: _Bounds) -> bool:
    return a.start_in == b.start_in and _cmp(a.start, b.start) == 0


def _same_end(a: _Bounds, b: _Bounds) -> bool:
    return a.end_in == b.end_in and _cmp(a.end, b.end) == 0


def _overlaps_before(a: _Bounds, b: _Bounds) -> bool:
    starts_before = _cmp(a.start, b.start) < 0 or (
        _cmp(a.start, b.start) == 0 and a.start_in and not b.start_in)
    return starts_before and _overlaps(a, b) and _ends_no_later(a, b)


_range_function("before", _POINTS_AND_RANGES, _before)
_range_function("after", _POINTS_AND_RANGES, lambda a, b: _before(b, a))
_range_function("meets", _RANGES, _meets)
_range_function("met by", _RANGES, lambda a, b: _meets(b, a))
_range_function("overlaps", _RANGES, _overlaps)
_range_function("overlaps before", _RANGES, _overlaps_before)
_range_function("overlaps after", _RANGES, lambda a, b: _overlaps_before(b, a))
_range_function("finishes", _RANGE_SECOND,
                lambda a, b: _same_end(a, b) and _starts_no_earlier(a, b))
_range_function("finished by", _RANGE_FIRST,
                lambda a, b: _same_end(a, b) and _starts_no_earlier(b, a))
_range_function("includes", _RANGE_FIRST, _includes)
_range_function("during", _RANGE_SECOND, lambda a, b: _includes(b, a))
_range_function("starts", _RANGE_SECOND,
                lambda a, b: _same_start(a, b) and _ends_no_later(a, b))
_range_function("started by", _RANGE_FIRST,
                lambda a, b: _same_start(a, b) and _ends_no_later(b, a))
_range_function("coincides", (("point1", "point2"), ("range1", "range2")),
                lambda a, b: _same_start(a, b) and _same_end(a, b))
