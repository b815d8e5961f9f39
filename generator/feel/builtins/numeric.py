"""Numeric built-ins: `decimal` (with a rounding mode), `floor`, `ceiling`, the `round ...`
family, `abs` (numbers and durations), `modulo`, `sqrt`, `log`, `exp`, `odd`, `even` and
Camunda's `random number`. Rounding is exact (Java's `setScale`); `sqrt`, `log` and `exp`
go through doubles like feel-scala."""

from __future__ import annotations

import decimal
import math
import random
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from generator.feel import values
from generator.feel.builtins.registry import Family, InvalidArgument
from generator.feel.limits import abbreviated
from generator.feel.temporal import DayTimeDuration, YearMonthDuration
from generator.feel.values import DECIMAL

FUNCTIONS = Family()
function = FUNCTIONS.function

_ROUNDING_MODES = {
    "UP": decimal.ROUND_UP, "DOWN": decimal.ROUND_DOWN, "CEILING": decimal.ROUND_CEILING,
    "FLOOR": decimal.ROUND_FLOOR, "HALF_UP": decimal.ROUND_HALF_UP,
    "HALF_DOWN": decimal.ROUND_HALF_DOWN, "HALF_EVEN": decimal.ROUND_HALF_EVEN,
    "UNNECESSARY": None,
}


_MAX_SCALE = 6144  # DECIMAL128's exponent range; larger scales would build enormous numbers
_MAX_DIGITS = 2 * _MAX_SCALE  # digits of a rounded result (floor(1E+999999999) would need 10^9)


def round_to_scale(number: Decimal, scale: Decimal, mode: str) -> Decimal:
    """Java's `BigDecimal.setScale(scale, mode)`: exact, whatever the number of digits;
    UNNECESSARY fails when rounding would change the value."""
    digits = values.int_value(scale)
    if abs(digits) > _MAX_SCALE:
        raise InvalidArgument(f"the scale {scale} is out of range (at most {_MAX_SCALE})")
    if number and number.adjusted() + digits >= _MAX_DIGITS:
        raise InvalidArgument(f"the result would have more than {_MAX_DIGITS} digits")
    exact = decimal.Context(prec=max(DECIMAL.prec, number.adjusted() + digits + 3),
                            Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN)
    rounding = _ROUNDING_MODES[mode]
    result = number.quantize(Decimal(1).scaleb(-digits), rounding or decimal.ROUND_DOWN, exact)
    if rounding is None and result != number:
        raise InvalidArgument(f"Failed to apply rounding mode '{mode}': Rounding necessary")
    return result


@function("decimal", "n", "scale")
def decimal_number(call: Any, number: Decimal, scale: Decimal) -> Decimal:
    """`decimal(1/3, 2)` = 0.33 (half-even)."""
    return round_to_scale(number, scale, "HALF_EVEN")


@function("decimal", "n", "scale", "mode")
def decimal_with_mode(call: Any, number: Decimal, scale: Decimal, mode: str) -> Decimal:
    """`decimal(5.5, 0, "HALF_DOWN")`: a java.math.RoundingMode name, any case."""
    if mode.upper() not in _ROUNDING_MODES:
        raise InvalidArgument(f"Illegal argument '{abbreviated(mode)}' for rounding mode. Must be one of: "
                              + ", ".join(_ROUNDING_MODES))
    return round_to_scale(number, scale, mode.upper())


def _rounding(name: str, mode: str, default_scale: bool, scale_names: tuple[str, ...] = ("scale",)) -> None:
    def rounded(call: Any, number: Decimal, scale: Decimal = Decimal(0)) -> Decimal:
        return round_to_scale(number, scale, mode)

    rounded.__doc__ = f"`{name}(n, scale)`: round with {mode}."
    for scale_name in scale_names:
        function(name, "n", f"{scale_name}?" if default_scale else scale_name)(rounded)


# feel-scala names the scale parameter of floor and round half down "scala"; both spellings work
_rounding("floor", "FLOOR", default_scale=True, scale_names=("scale", "scala"))
_rounding("ceiling", "CEILING", default_scale=True)
_rounding("round up", "UP", default_scale=False)
_rounding("round down", "DOWN", default_scale=False)
_rounding("round half up", "HALF_UP", default_scale=False)
_rounding("round half down", "HALF_DOWN", default_scale=False, scale_names=("scale", "scala"))


def _absolute(call: Any, value: Decimal | DayTimeDuration | YearMonthDuration) -> Any:
    """The absolute value of a number or a duration."""
    if isinstance(value, DayTimeDuration):
        return DayTimeDuration(abs(value.nanoseconds))
    if isinstance(value, YearMonthDuration):
        return YearMonthDuration(abs(value.months))
    return DECIMAL.abs(value)


absolute = function("abs", "number")(_absolute)
function("abs", "n")(_absolute)


@function("modulo", "dividend", "divisor")
def modulo(call: Any, dividend: Decimal, divisor: Decimal) -> Decimal:
    """The remainder with the sign of the divisor: `modulo(-12, 5)` = 3."""
    if divisor == 0:
        raise InvalidArgument("Division by zero")
    remainder = DECIMAL.remainder(dividend, divisor)
    return DECIMAL.remainder(DECIMAL.add(remainder, divisor), divisor)


def _via_double(operation: Callable[[float], float], number: Decimal) -> Decimal:
    try:
        result = operation(float(number))
    except (ValueError, OverflowError):
        result = math.nan
    if not math.isfinite(result):
        raise InvalidArgument(f"the result for {number} is not a number")
    return values.java_double(result)


@function("sqrt", "number")
def square_root(call: Any, number: Decimal) -> Decimal | None:
    return None if number < 0 else _via_double(math.sqrt, number)


@function("log", "number")
def logarithm(call: Any, number: Decimal) -> Decimal:
    """The natural logarithm."""
    return _via_double(math.log, number)


@function("exp", "number")
def exponential(call: Any, number: Decimal) -> Decimal:
    return _via_double(math.exp, number)


@function("odd", "number")
def odd(call: Any, number: Decimal) -> bool:
    return DECIMAL.remainder(abs(number), Decimal(2)) == 1


@function("even", "number")
def even(call: Any, number: Decimal) -> bool:
    return DECIMAL.remainder(number, Decimal(2)) == 0


@function("random number")
def random_number(call: Any) -> Decimal:
    """A random number in [0, 1)."""
    return values.java_double(random.random())
