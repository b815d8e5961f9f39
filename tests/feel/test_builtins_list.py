"""List built-ins, with feel-scala's results (FEEL equality for membership and duplicates)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from generator.feel import values
from generator.feel.builtins import list as lists
from generator.feel.builtins.registry import StandaloneCallContext
from generator.feel.errors import SuppressedFailure
from generator.feel.temporal import parse_date

CALL = StandaloneCallContext()


def numbers(*items):
    return [D(item) for item in items]


class Precedes(values.FeelFunction):
    """function(x, y) x < y, counting its invocations."""

    params = ("x", "y")

    def __init__(self, result=None):
        self.calls = 0
        self.result = result

    def invoke(self, call_context, args):
        self.calls += 1
        return self.result if self.result is not None else values.compare(*args) < 0


def test_list_contains_uses_feel_equality():
    assert lists.list_contains(CALL, numbers(1, 2, 3), D("2.0")) is True
    assert lists.list_contains(CALL, numbers(1, 2, 3), D(4)) is False
    assert lists.list_contains(CALL, [D(1), None], None) is True
    assert lists.list_contains(CALL, [True], D(1)) is False
    assert lists.list_contains(CALL, [{"a": D(1)}], {"a": D(1)}) is True


@pytest.mark.parametrize("impl, items, expected", [
    (lists.count, numbers(1, 2, 3), D(3)), (lists.minimum, numbers(3, 1, 2), D(1)),
    (lists.maximum, numbers(1, 5, 3), D(5)), (lists.total, numbers(1, 2, 3), D(6)),
    (lists.product, numbers(2, 3, 4), D(24)), (lists.mean, numbers(1, 2, 3), D(2)),
    (lists.mean, numbers(1, 2), D("1.5")), (lists.median, numbers(8, 2, 5, 3, 4), D(4)),
    (lists.median, numbers(6, 1, 2, 3), D("2.5")),
    (lists.stddev, numbers(2, 4, 7, 5), D("2.0816659994661326")),
    (lists.mode, numbers(6, 3, 9, 6, 6), numbers(6)), (lists.mode, numbers(6, 1, 9, 6, 1), numbers(1, 6)),
    (lists.mode, [], []), (lists.minimum, ["b", "a"], "a"),
    (lists.maximum, [parse_date("2020-01-01"), parse_date("2021-01-01")], parse_date("2021-01-01")),
])
def test_aggregates(impl, items, expected):
    assert impl(CALL, items) == expected


def test_single_list_argument_of_a_variadic_function_is_the_list():
    # max(1, 5, 3) arrives as [1, 5, 3]; max([1, 5, 3]) as [[1, 5, 3]]: the same
    assert lists.maximum(CALL, [numbers(1, 5, 3)]) == D(5)


@pytest.mark.parametrize("impl", [lists.minimum, lists.maximum, lists.total, lists.mean,
                                  lists.median, lists.stddev, lists.product])
def test_aggregates_of_an_empty_list_are_null(impl):
    assert impl(CALL, []) is None


@pytest.mark.parametrize("impl, items", [
    (lists.minimum, [True, False]), (lists.maximum, [D(1), "a"]), (lists.total, [D(1), "a"]),
    (lists.mean, ["a"]), (lists.stddev, [D(1)]), (lists.mode, [None]),
])
def test_aggregates_of_unusable_lists_fail(impl, items):
    with pytest.raises(SuppressedFailure) as caught:
        impl(CALL, items)
    assert caught.value.failure_type == "FUNCTION_INVOCATION_FAILURE"


@pytest.mark.parametrize("items, every, some", [
    ([], True, False), ([True, True], True, True), ([True, False], False, True),
    ([False, False], False, False), ([True, None, True], None, True),
    ([False, None, True], False, True), ([D(0)], None, None), ([None, False], False, None),
])
def test_all_and_any(items, every, some):
    assert lists.every_true(CALL, items) is every
    assert lists.some_true(CALL, items) is some


@pytest.mark.parametrize("args, expected", [
    ((numbers(1, 2, 3), D(2)), numbers(2, 3)), ((numbers(1, 2, 3), D(1), D(2)), numbers(1, 2)),
    ((numbers(1, 2, 3), D(-2)), numbers(2, 3)), ((numbers(1, 2, 3), D(2), D(5)), numbers(2, 3)),
    # positions outside the list are clamped like Scala's slice
    ((numbers(1, 2, 3), D(4)), []), ((numbers(1, 2, 3), D(-5)), numbers(1, 2, 3)),
    ((numbers(1, 2, 3), D(-5), D(3)), numbers(1)), ((numbers(1, 2, 3), D(2), D(-1)), []),
])
def test_sublist(args, expected):
    assert lists.sublist(CALL, *args) == expected


@pytest.mark.parametrize("impl, args", [
    (lists.sublist, (numbers(1, 2, 3), D(0))), (lists.sublist, (numbers(1, 2, 3), D(0), D(1))),
    (lists.insert_before, (numbers(1), D(0), D(2))), (lists.remove, (numbers(1), D(0))),
])
def test_position_zero_fails(impl, args):
    with pytest.raises(SuppressedFailure, match="must be a non-zero number"):
        impl(CALL, *args)


def test_building_lists():
    assert lists.append(CALL, numbers(1, 2), numbers(3)) == numbers(1, 2, 3)
    assert lists.append(CALL, [], [[D(1)]]) == [[D(1)]]
    assert lists.concatenate(CALL, [numbers(1), numbers(2), numbers(3)]) == numbers(1, 2, 3)
    assert lists.concatenate(CALL, [numbers(1), D(2)]) == numbers(1, 2)
    assert lists.insert_before(CALL, numbers(1, 3), D(2), D(2)) == numbers(1, 2, 3)
    assert lists.insert_before(CALL, numbers(1, 3), D(-1), D(2)) == numbers(1, 2, 3)
    assert lists.remove(CALL, numbers(1, 1, 3), D(2)) == numbers(1, 3)
    assert lists.remove(CALL, numbers(1, 2, 3), D(-1)) == numbers(1, 2)
    assert lists.remove(CALL, numbers(1, 2, 3), D(5)) == numbers(1, 2, 3)
    assert lists.insert_before(CALL, numbers(1, 2), D(5), D(3)) == numbers(1, 2, 3)
    assert lists.reverse(CALL, numbers(1, 2, 3)) == numbers(3, 2, 1)
    assert lists.index_of(CALL, numbers(1, 2, 3, 2), D(2)) == numbers(2, 4)
    assert lists.index_of(CALL, numbers(1, 2), D(5)) == []
    assert lists.flatten(CALL, [[D(1)], [D(2), [D(3), [D(4)]]], D(5)]) == numbers(1, 2, 3, 4, 5)
    assert lists.is_empty(CALL, []) is True and lists.is_empty(CALL, [None]) is False
    assert lists.partition(CALL, numbers(1, 2, 3, 4, 5), D(2)) == [numbers(1, 2), numbers(3, 4), numbers(5)]
    assert lists.partition(CALL, [], D(2)) == []
    with pytest.raises(SuppressedFailure, match="partition size must be positive"):
        lists.partition(CALL, numbers(1), D(0))


def test_set_like_functions():
    assert lists.union(CALL, [numbers(1, 2), numbers(2, 3), numbers(4)]) == numbers(1, 2, 3, 4)
    assert lists.union(CALL, [[D(1), None], [D(2), None]]) == [D(1), None, D(2)]
    assert lists.union(CALL, [[[D(1)], [D(2)]], [[D(3)], [D(2)]]]) == [[D(1)], [D(2)], [D(3)]]
    assert lists.distinct_values(CALL, numbers(1, 2, 3, 2, 1)) == numbers(1, 2, 3)
    assert lists.distinct_values(CALL, [{"a": D(1)}, {}, {}]) == [{"a": D(1)}, {}]
    assert lists.distinct_values(CALL, [D(1), D("1.0"), "1"]) == [D(1), "1"]
    assert lists.duplicate_values(CALL, numbers(1, 2, 3, 2, 1)) == numbers(1, 2)
    assert lists.duplicate_values(CALL, [D(1), None, D(2), None, D(2)]) == [None, D(2)]
    assert lists.duplicate_values(CALL, [[D(1), D(2)], [D(4)], [D(1), D(2)]]) == [[D(1), D(2)]]


def test_sort_with_a_feel_function():
    precedes = Precedes()
    assert lists.sort(CALL, numbers(3, 1, 2), precedes) == numbers(1, 2, 3)
    assert precedes.calls > 0
    assert lists.sort(CALL, [], precedes) == []


def test_sort_failures():
    class OneParameter(Precedes):
        params = ("x",)

    with pytest.raises(SuppressedFailure, match="expect boolean function with 2 arguments, but found '1'"):
        lists.sort(CALL, numbers(2, 1), OneParameter())
    with pytest.raises(SuppressedFailure, match="expected boolean but found '1'"):
        lists.sort(CALL, numbers(2, 1), Precedes(result=D(1)))
    with pytest.raises(SuppressedFailure, match="Illegal arguments"):
        lists.sort(CALL, numbers(2, 1), "not a function")


@pytest.mark.parametrize("args, expected", [
    (([],), ""), (([], "X"), ""), ((["a"], "X"), "a"), ((["foo", "bar", "baz"], "::"), "foo::bar::baz"),
    ((["a", None, "b"], "-"), "a-b"), ((["a", "b"],), "ab"), ((["a", "b"], None), "ab"),
])
def test_string_join(args, expected):
    assert lists.string_join(CALL, *args) == expected


def test_string_join_with_prefix_and_suffix():
    assert lists.string_join_wrapped(CALL, ["foo", "bar"], "::", "hello-", "-goodbye") == "hello-foo::bar-goodbye"
    assert lists.string_join_wrapped(CALL, ["a", "b", "c"], ", ", "[", "]") == "[a, b, c]"
    assert lists.string_join_wrapped(CALL, ["a", "b"], None, "[", "]") == "[ab]"
    assert lists.string_join_wrapped(CALL, ["a", "b"], "-", None, None) == "a-b"
    with pytest.raises(SuppressedFailure, match="prefix and suffix must both be strings or both be null"):
        lists.string_join_wrapped(CALL, ["a", "b"], "-", "<", None)
    with pytest.raises(SuppressedFailure, match="expected a list of strings"):
        lists.string_join(CALL, ["a", D(1)], "-")
