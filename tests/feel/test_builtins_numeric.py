"""Numeric built-ins: exact rounding (Java's setScale), modulo's sign rule, double-based
functions and `abs` of durations."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from generator.feel.builtins import BUILTINS, numeric
from generator.feel.builtins.registry import StandaloneCallContext
from generator.feel.errors import SuppressedFailure
from generator.feel.temporal import parse_duration

CALL = StandaloneCallContext()

_MODES = ["UP", "DOWN", "CEILING", "FLOOR", "HALF_UP", "HALF_DOWN", "HALF_EVEN"]
# rows from java.math.RoundingMode's documentation table
_TABLE = {
    "5.5": ["6", "5", "6", "5", "6", "5", "6"], "2.5": ["3", "2", "3", "2", "3", "2", "2"],
    "1.6": ["2", "1", "2", "1", "2", "2", "2"], "1.1": ["2", "1", "2", "1", "1", "1", "1"],
    "1.0": ["1", "1", "1", "1", "1", "1", "1"], "-1.0": ["-1", "-1", "-1", "-1", "-1", "-1", "-1"],
    "-1.1": ["-2", "-1", "-1", "-2", "-1", "-1", "-1"], "-1.6": ["-2", "-1", "-1", "-2", "-2", "-2", "-2"],
    "-2.5": ["-3", "-2", "-2", "-3", "-3", "-2", "-2"], "-5.5": ["-6", "-5", "-5", "-6", "-6", "-5", "-6"],
}


@pytest.mark.parametrize("number, mode, expected", [
    (number, mode, expected) for number, row in _TABLE.items() for mode, expected in zip(_MODES, row, strict=False)
])
def test_decimal_with_a_rounding_mode(number, mode, expected):
    assert str(numeric.decimal_with_mode(CALL, D(number), D(0), mode)) == expected


def test_unnecessary_rounding_and_unknown_modes():
    assert numeric.decimal_with_mode(CALL, D("-1.0"), D(0), "UNNECESSARY") == D(-1)
    with pytest.raises(SuppressedFailure, match="Rounding necessary"):
        numeric.decimal_with_mode(CALL, D("-1.1"), D(0), "UNNECESSARY")
    with pytest.raises(SuppressedFailure, match="Illegal argument 'SIDEWAYS' for rounding mode"):
        numeric.decimal_with_mode(CALL, D("1.1"), D(0), "SIDEWAYS")
    assert numeric.decimal_with_mode(CALL, D("1.5"), D(0), "ceiling") == D(2)


@pytest.mark.parametrize("impl, args, expected", [
    (numeric.decimal_number, (D(1) / D(3), D(2)), "0.33"),
    (numeric.decimal_number, (D("2.5"), D(0)), "2"),
    (numeric.decimal_number, (D("1.5"), D(3)), "1.500"),
    (numeric.decimal_number, (D(1234), D(-2)), "1.2E+3"),
    (numeric.decimal_number, (D("1" * 40), D(2)), "1" * 40 + ".00"),  # beyond 34 digits: exact
])
def test_decimal(impl, args, expected):
    assert str(impl(CALL, *args)) == expected


@pytest.mark.parametrize("name, args, expected", [
    ("floor", (D("1.5"),), "1"), ("floor", (D("-1.5"),), "-2"), ("floor", (D("-1.56"), D(1)), "-1.6"),
    ("ceiling", (D("1.2"),), "2"), ("ceiling", (D("-1.5"),), "-1"), ("ceiling", (D("1.56"), D(1)), "1.6"),
    ("round up", (D("5.5"), D(0)), "6"), ("round up", (D("1.121"), D(2)), "1.13"),
    ("round down", (D("-5.5"), D(0)), "-5"), ("round down", (D("1.121"), D(2)), "1.12"),
    ("round half up", (D("5.5"), D(0)), "6"), ("round half up", (D("-1.126"), D(2)), "-1.13"),
    ("round half down", (D("5.5"), D(0)), "5"), ("round half down", (D("1.125"), D(2)), "1.12"),
])
def test_rounding_functions(name, args, expected):
    overload = BUILTINS[name][0]
    assert str(overload.impl(CALL, *args)) == expected


def test_the_scale_parameter_also_has_feel_scalas_spelling():
    assert [tuple(p.name for p in o.params) for o in BUILTINS["floor"]] == [("n", "scale"), ("n", "scala")]
    assert [tuple(p.name for p in o.params) for o in BUILTINS["round half down"]] == [
        ("n", "scale"), ("n", "scala")]


def test_abs_of_numbers_and_durations():
    assert numeric.absolute(CALL, D(-10)) == D(10)
    assert numeric.absolute(CALL, parse_duration("-PT5H")) == parse_duration("PT5H")
    assert numeric.absolute(CALL, parse_duration("-P2M")) == parse_duration("P2M")
    assert [overload.params[0].name for overload in BUILTINS["abs"]] == ["number", "n"]
    with pytest.raises(SuppressedFailure):
        numeric.absolute(CALL, "1")


@pytest.mark.parametrize("dividend, divisor, expected", [
    ("12", "5", "2"), ("-12", "5", "3"), ("12", "-5", "-3"), ("-12", "-5", "-2"),
    ("10.1", "4.5", "1.1"), ("-10.1", "4.5", "3.4"), ("10.1", "-4.5", "-3.4"),
])
def test_modulo_takes_the_sign_of_the_divisor(dividend, divisor, expected):
    assert numeric.modulo(CALL, D(dividend), D(divisor)) == D(expected)


def test_modulo_by_zero_fails():
    with pytest.raises(SuppressedFailure, match="Division by zero"):
        numeric.modulo(CALL, D(1), D(0))


def test_functions_computed_with_doubles():
    assert str(numeric.square_root(CALL, D(16))) == "4.0"
    assert numeric.square_root(CALL, D(2)) == D("1.4142135623730951")
    assert numeric.square_root(CALL, D(-1)) is None
    assert numeric.logarithm(CALL, D(10)) == D("2.302585092994046")
    assert numeric.exponential(CALL, D(5)) == D("148.4131591025766")
    with pytest.raises(SuppressedFailure):
        numeric.logarithm(CALL, D(0))
    with pytest.raises(SuppressedFailure):
        numeric.exponential(CALL, D(100000))


@pytest.mark.parametrize("number, is_odd, is_even", [
    ("5", True, False), ("-5", True, False), ("2", False, True), ("0", False, True), ("2.5", False, False),
])
def test_odd_and_even(number, is_odd, is_even):
    assert numeric.odd(CALL, D(number)) is is_odd
    assert numeric.even(CALL, D(number)) is is_even


def test_random_number_is_between_zero_and_one():
    drawn = {numeric.random_number(CALL) for _ in range(20)}
    assert all(D(0) <= number < D(1) for number in drawn) and len(drawn) > 1


def test_absurd_scales_and_overflowing_results_are_invocation_failures():
    with pytest.raises(SuppressedFailure, match="the scale 1000000000 is out of range"):
        numeric.decimal_number(CALL, D(1), D(10**9))
    with pytest.raises(SuppressedFailure, match="^Failed to invoke function 'product': the result is out of range$"):
        BUILTINS["product"][0].impl(CALL, [D("1E+999999999999999999")] * 2)
