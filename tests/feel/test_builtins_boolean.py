"""Boolean built-ins and Camunda's `assert`."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from generator.feel.builtins import boolean
from generator.feel.builtins.registry import StandaloneCallContext
from generator.feel.errors import FeelEvaluationError

CALL = StandaloneCallContext()


@pytest.mark.parametrize("value, expected", [(True, False), (False, True), (None, None), (D(2), None), ("true", None)])
def test_not(value, expected):
    assert boolean.negation(CALL, value) is expected


@pytest.mark.parametrize("value, expected", [(None, False), ([], True), (D(0), True), (False, True)])
def test_is_defined_is_a_null_check(value, expected):
    assert boolean.is_defined(CALL, value) is expected


def test_get_or_else():
    assert boolean.get_or_else(CALL, D(3), D(1)) == D(3)
    assert boolean.get_or_else(CALL, None, D(1)) == D(1)
    assert boolean.get_or_else(CALL, False, D(1)) is False


def test_assert_returns_the_value_when_the_condition_holds():
    assert boolean.assert_condition(CALL, "value", True) == "value"
    assert boolean.assert_with_cause(CALL, D(3), True, "never") == D(3)


@pytest.mark.parametrize("condition", [False, None, D(1)])
def test_assert_fails_the_evaluation(condition):
    with pytest.raises(FeelEvaluationError) as caught:
        boolean.assert_condition(CALL, D(4), condition)
    assert (caught.value.failure_type, str(caught.value)) == ("ASSERT_FAILURE", "The condition is not fulfilled")
    with pytest.raises(FeelEvaluationError, match="^x must be positive$"):
        boolean.assert_with_cause(CALL, D(4), condition, "x must be positive")


def test_assert_with_a_cause_that_is_no_string():
    with pytest.raises(FeelEvaluationError, match=r"^Illegal arguments: \[4, false, 1\]$"):
        boolean.assert_with_cause(CALL, D(4), False, D(1))
