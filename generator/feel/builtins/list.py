"""List built-ins: membership, aggregates (`count`, `min`, `sum`, `mean`, `median`, `stddev`,
`mode`, ...), `all`/`any`, slicing and reshaping (`sublist`, `append`, `flatten`, `partition`,
...), set-like functions (`union`, `distinct values`, `duplicate values`), `sort` and
`string join`. Membership and duplicates use FEEL equality."""

from __future__ import annotations

import decimal
import functools
import itertools
import math
from decimal import Decimal
from typing import Any

from generator.feel import values
from generator.feel.builtins.registry import CallContext, Family, InvalidArgument
from generator.feel.errors import SuppressedFailure
from generator.feel.limits import (
    MAX_LIST_LENGTH,
    MAX_STRING_LENGTH,
    too_long,
    too_many_items,
)
from generator.feel.values import DECIMAL, FeelFunction

FUNCTIONS = Family()
function = FUNCTIONS.function


def _numbers(items: list[Any]) -> list[Decimal]:
    if not all(map(isinstance, items, itertools.repeat(Decimal))):  # checked at C speed
        wrong = next(item for item in items if not isinstance(item, Decimal))
        raise InvalidArgument(f"expected number but found '{values.describe(wrong)}'")
    return items


def _index_of(call: CallContext, items: list[Any], value: Any) -> int:
    call.spend(len(items))
    return next((i for i, item in enumerate(items) if values.equal_or_false(item, value, call)), -1)


@function("list contains", "list", "element")
def list_contains(call: Any, items: list[Any], element: Any) -> bool:
    return _index_of(call, items, element) >= 0


@function("count", "list")
def count(call: Any, items: list[Any]) -> Decimal:
    return Decimal(len(items))


def _extreme(items: list[Any], pick: Any) -> Any:
    if not items:
        return None
    kinds = {values.kind(item) for item in items}
    if len(kinds) != 1:
        raise InvalidArgument(f"{values.describe(items)} is not comparable")
    try:
        return pick(items, key=functools.cmp_to_key(values.compare))
    except SuppressedFailure:
        raise InvalidArgument(f"{values.describe(items)} is not comparable") from None


@function("min", "*list")
def minimum(call: Any, items: list[Any]) -> Any:
    """The smallest of comparable values: `min([3, 1])` or `min(3, 1)`; null for no values."""
    return _extreme(items, min)


@function("max", "*list")
def maximum(call: Any, items: list[Any]) -> Any:
    return _extreme(items, max)


def _total(numbers: list[Decimal]) -> Decimal:
    """The sum, rounded after each addition as feel-scala's `reduce(_ + _)` in DECIMAL128 (`+`
    in a local copy of the engine's context: the same operation as `DECIMAL.add`, at C speed)."""
    with decimal.localcontext(DECIMAL):
        return sum(numbers, Decimal(0))


@function("sum", "*list")
def total(call: Any, items: list[Any]) -> Decimal | None:
    return _total(_numbers(items)) if items else None


@function("product", "*list")
def product(call: Any, items: list[Any]) -> Decimal | None:
    return functools.reduce(DECIMAL.multiply, _numbers(items), Decimal(1)) if items else None


@function("mean", "*list")
def mean(call: Any, items: list[Any]) -> Decimal | None:
    return DECIMAL.divide(_total(_numbers(items)), Decimal(len(items))) if items else None


@function("median", "*list")
def median(call: Any, items: list[Any]) -> Decimal | None:
    if not items:
        return None
    ordered = sorted(_numbers(items))
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return DECIMAL.divide(DECIMAL.add(ordered[middle - 1], ordered[middle]), Decimal(2))


@function("stddev", "*list")
def stddev(call: Any, items: list[Any]) -> Decimal | None:
    """Sample standard deviation; like feel-scala, the square root is taken in doubles."""
    if not items:
        return None
    numbers = _numbers(items)
    average = DECIMAL.divide(_total(numbers), Decimal(len(numbers)))
    squares = _total([DECIMAL.power(DECIMAL.subtract(n, average), 2) for n in numbers])
    try:
        variance = DECIMAL.divide(squares, Decimal(len(numbers) - 1))
    except decimal.DecimalException:  # 0 / 0 for a single value
        raise InvalidArgument("stddev needs at least two values") from None
    return values.java_double(math.sqrt(float(variance)))


@function("mode", "*list")
def mode(call: Any, items: list[Any]) -> list[Any]:
    """The most frequent numbers, ascending."""
    numbers = _numbers(items)
    counts: dict[Decimal, int] = {}
    for number in numbers:
        counts[number] = counts.get(number, 0) + 1
    top = max(counts.values(), default=0)
    return sorted(number for number, seen in counts.items() if seen == top)


def _all(items: list[Any]) -> bool | None:
    return _three_valued(items, absorbing=False)


def _any(items: list[Any]) -> bool | None:
    return _three_valued(items, absorbing=True)


def _three_valued(items: list[Any], absorbing: bool) -> bool | None:
    """`all` (absorbing False) or `any` (absorbing True): the absorbing value wins, anything that is
    not a boolean makes the result null unless the absorbing value comes."""
    result: bool | None = not absorbing
    for item in items:
        if result is absorbing:
            return absorbing
        if item is absorbing:
            result = absorbing
        elif item is not (not absorbing):
            result = None
    return result


def _every_true(call: Any, items: list[Any]) -> bool | None:
    """`all([true, true])` / `and(...)`: false if any item is false, null if any is not boolean."""
    return _all(items)


def _some_true(call: Any, items: list[Any]) -> bool | None:
    """`any([false, true])` / `or(...)`: true if any item is true, null if any is not boolean."""
    return _any(items)


every_true = function("all", "*list")(_every_true)
function("and", "*list")(_every_true)
some_true = function("any", "*list")(_some_true)
function("or", "*list")(_some_true)


def _list_position(items: list[Any], position: Decimal, name: str = "position") -> int:
    """A FEEL list position (1-based, negative from the end, never 0) as a 0-based index that
    may lie outside the list (slicing clamps it, like Scala's take/drop/slice)."""
    index = values.int_value(position)
    if position == 0:
        raise InvalidArgument(f"{name} must be a non-zero number")
    return index - 1 if index > 0 else len(items) + index


def _slice(items: list[Any], start: int, end: int) -> list[Any]:
    return items[max(0, start):max(0, end)]


def _sublist(call: Any, items: list[Any], start: Decimal, length: Decimal | None = None) -> list[Any]:
    """`sublist([1, 2, 3], 2)` = [2, 3]; `sublist([1, 2, 3], 1, 2)` = [1, 2]."""
    begin = _list_position(items, start, "start position")
    end = len(items) if length is None else begin + values.int_value(length)
    return _slice(items, begin, end)


# DMN names the parameter "start position", feel-scala "start": both work with named arguments
sublist = function("sublist", "list", "start position", "length?")(_sublist)
function("sublist", "list", "start", "length?")(_sublist)


def _check_length(length: int) -> None:
    """Fail before building a list longer than the limit (not after, which could take minutes
    and all the memory: `concatenate(xs, xs, xs, ...)` of long lists)."""
    if length > MAX_LIST_LENGTH:
        raise too_many_items()


@function("append", "list", "*items")
def append(call: Any, items: list[Any], additions: list[Any]) -> list[Any]:
    _check_length(len(items) + len(additions))
    return items + additions


def _concatenated(lists: list[Any]) -> list[Any]:
    _check_length(sum(len(part) if isinstance(part, list) else 1 for part in lists))
    return [item for part in lists for item in (part if isinstance(part, list) else [part])]


@function("concatenate", "*lists")
def concatenate(call: Any, lists: list[Any]) -> list[Any]:
    """Join lists (a non-list argument counts as one item)."""
    return _concatenated(lists)


@function("insert before", "list", "position", "newItem")
def insert_before(call: Any, items: list[Any], position: Decimal, new_item: Any) -> list[Any]:
    index = _list_position(items, position)
    return _slice(items, 0, index) + [new_item] + _slice(items, index, len(items))


@function("remove", "list", "position")
def remove(call: Any, items: list[Any], position: Decimal) -> list[Any]:
    index = _list_position(items, position)
    return _slice(items, 0, index) + _slice(items, index + 1, len(items))


@function("reverse", "list")
def reverse(call: Any, items: list[Any]) -> list[Any]:
    return items[::-1]


@function("index of", "list", "match")
def index_of(call: Any, items: list[Any], match: Any) -> list[Decimal]:
    call.spend(len(items))
    return [Decimal(i + 1) for i, item in enumerate(items) if values.equal_or_false(item, match, call)]


def _occurrences(call: CallContext, items: list[Any]) -> list[list[Any]]:
    """[first occurrence, count] per distinct value (FEEL equality), in order of first
    occurrence. Values with an equality key are found by hashing, so this stays linear for
    numbers, strings and temporal values; lists and contexts are compared one by one."""
    groups: list[list[Any]] = []
    by_key: dict[Any, list[Any]] = {}
    unhashable: list[Any] = []  # the first occurrences of values without a key ...
    unhashable_groups: list[list[Any]] = []  # ... and their groups
    for item in items:
        key = values.equality_key(item)
        if key is not None:
            group = by_key.get(key)
            if group is None:
                group = by_key[key] = [item, 0]
                groups.append(group)
        else:
            found = _index_of(call, unhashable, item)
            if found < 0:
                group = [item, 0]
                unhashable.append(item)
                unhashable_groups.append(group)
                groups.append(group)
            else:
                group = unhashable_groups[found]
        group[1] += 1
    return groups


@function("union", "*lists")
def union(call: Any, lists: list[Any]) -> list[Any]:
    return [first for first, _ in _occurrences(call, _concatenated(lists))]


@function("distinct values", "list")
def distinct_values(call: Any, items: list[Any]) -> list[Any]:
    return [first for first, _ in _occurrences(call, items)]


@function("duplicate values", "list")
def duplicate_values(call: Any, items: list[Any]) -> list[Any]:
    """Each value that occurs more than once, in order of first occurrence."""
    return [first for first, seen in _occurrences(call, items) if seen > 1]


@function("flatten", "list")
def flatten(call: Any, items: list[Any]) -> list[Any]:
    """All non-list items of nested lists, in order. Every nested list visited is a step and the
    result is checked while it grows: nested lists can share items, so a short expression can
    describe more leaves than fit in memory."""
    flat: list[Any] = []

    def collect(nested: list[Any]) -> None:
        call.spend(1)
        for item in nested:
            if type(item) is list:
                collect(item)
            else:
                flat.append(item)
        if len(flat) > MAX_LIST_LENGTH:
            raise too_many_items()

    collect(items)
    return flat


@function("sort", "list", "precedes")
def sort(call: Any, items: list[Any], precedes: FeelFunction) -> list[Any]:
    """Sort with a FEEL function `function(x, y) x < y` that says whether x comes first."""
    if len(precedes.params) != 2:
        raise InvalidArgument(
            f"expect boolean function with 2 arguments, but found '{len(precedes.params)}'")

    def before(x: Any, y: Any) -> bool:
        result = call.call(precedes, [x, y])
        if not isinstance(result, bool):
            raise InvalidArgument("fail to sort list by given precedes function: expected "
                                  f"boolean but found '{values.describe(result)}'")
        return result

    return sorted(items, key=functools.cmp_to_key(
        lambda x, y: -1 if before(x, y) else (1 if before(y, x) else 0)))


@function("is empty", "list")
def is_empty(call: Any, items: list[Any]) -> bool:
    return not items


@function("partition", "list", "size")
def partition(call: Any, items: list[Any], size: Decimal) -> list[Any]:
    """Consecutive sublists of `size` items (the last may be shorter)."""
    step = values.int_value(size)
    if step <= 0:
        raise InvalidArgument(f"partition size must be positive, but was {size}")
    return [items[i:i + step] for i in range(0, len(items), step)]


def _join(items: list[Any], delimiter: str | None, prefix: str = "", suffix: str = "") -> str:
    if not all(item is None or isinstance(item, str) for item in items):
        raise InvalidArgument(f"expected a list of strings but found '{values.describe(items)}'")
    texts = [item for item in items if item is not None]
    separator = delimiter or ""
    length = sum(map(len, texts)) + len(separator) * max(len(texts) - 1, 0) + len(prefix) + len(suffix)
    if length > MAX_STRING_LENGTH:  # checked before joining: the text could need gigabytes
        raise too_long()
    return prefix + separator.join(texts) + suffix


@function("string join", "list", "delimiter?")
def string_join(call: Any, items: list[Any], delimiter: str | None = None) -> str:
    """Join strings (nulls are skipped)."""
    return _join(items, delimiter)


@function("string join", "list", "delimiter", "prefix", "suffix")
def string_join_wrapped(call: Any, items: list[Any], delimiter: str | None, prefix: str | None,
                        suffix: str | None) -> str:
    """`string join(["a", "b"], ", ", "[", "]")` = "[a, b]"; prefix and suffix go together
    (both strings or both null), as in feel-scala."""
    if (prefix is None) != (suffix is None):
        raise InvalidArgument("prefix and suffix must both be strings or both be null")
    return _join(items, delimiter, prefix or "", suffix or "")
