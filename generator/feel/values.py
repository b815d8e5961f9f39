"""FEEL values in Python and every operation on them: arithmetic, comparison, equality,
properties, type names, `string()` text, and conversion from Python and to JSON.

Representation (see the FEEL contract): null `None`, boolean `bool`, string `str`, number
`Decimal` (always computed with `DECIMAL`), list `list`, context `dict`, date `FeelDate`, date
and time `FeelDateTime` (local, or with an offset or a zone), time `FeelTime`, durations
`DayTimeDuration` / `YearMonthDuration`, `Range`, `FeelFunction`. The rules follow feel-scala (Camunda's engine):
a failure FEEL turns into null raises `SuppressedFailure(failure_type, message)`.
"""

from __future__ import annotations

import abc
import datetime as dt
import decimal
import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from generator.feel.dates import FeelDate, FeelDateTime
from generator.feel.errors import FeelEvaluationError, SuppressedFailure
from generator.feel.limits import (
    JSON_ITEM_SIZE,
    LIMIT_EXCEEDED,
    MAX_DESCRIBED_LENGTH,
    MAX_JSON_SIZE,
    MAX_STRING_LENGTH,
    Meter,
    StandaloneMeter,
    abbreviated,
    too_long,
)
from generator.feel.temporal import (
    DayTimeDuration,
    FeelTime,
    YearMonthDuration,
    add_duration,
    add_months,
    add_to_time,
    between_date_times,
    between_dates,
    between_times,
    format_date,
    format_date_time,
    format_time,
    iso_date,
    iso_date_time,
    iso_day_time_duration,
    iso_time,
    iso_year_month_duration,
    java_div,
)

__all__ = [
    "DECIMAL",
    "DayTimeDuration",
    "FeelDate",
    "FeelDateTime",
    "FeelFunction",
    "FeelTime",
    "Range",
    "TextBuilder",
    "TextTooLong",
    "YearMonthDuration",
    "add",
    "compare",
    "describe",
    "divide",
    "equal",
    "equal_or_false",
    "equality_key",
    "from_python",
    "get_property",
    "int_value",
    "is_instance",
    "java_double",
    "kind",
    "multiply",
    "negate",
    "power",
    "subtract",
    "to_json",
    "to_string",
    "type_name",
]

# feel-scala computes with Scala BigDecimal and MathContext.DECIMAL128: 34 digits, half-even,
# no exponent limits worth speaking of.
DECIMAL = decimal.Context(
    prec=34, rounding=decimal.ROUND_HALF_EVEN, Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)

INVALID_TYPE = "INVALID_TYPE"
NOT_COMPARABLE = "NOT_COMPARABLE"


@dataclass(frozen=True, slots=True)
class Range:
    """A FEEL range such as `[1..10)`; `start`/`end` None is an open end (`< 10`)."""

    start: Any
    end: Any
    start_included: bool = True
    end_included: bool = True


class FeelFunction(abc.ABC):
    """A function value: a user's `function(a, b) ...` or a wrapped built-in."""

    params: tuple[str, ...] = ()

    @abc.abstractmethod
    def invoke(self, call_context: Any, args: list[Any]) -> Any:
        """Call the function with positional arguments (already FEEL values)."""


# ---------------------------------------------------------------------------------------------
# kinds and type names

# feel-scala distinguishes local and zoned times/date-times as different classes: they are not
# comparable with each other, so the fine-grained kind matters for comparisons and arithmetic.
def kind(value: Any) -> str:
    """The fine-grained kind of a value: `number`, `local time`, `local date and time`, ..."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, Decimal):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, FeelDateTime):
        return "local date and time" if value.offset is None else "date and time"
    if isinstance(value, FeelDate):
        return "date"
    if isinstance(value, FeelTime):
        return "local time" if value.is_local else "time"
    if isinstance(value, DayTimeDuration):
        return "days and time duration"
    if isinstance(value, YearMonthDuration):
        return "years and months duration"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "context"
    if isinstance(value, Range):
        return "range"
    if isinstance(value, FeelFunction):
        return "function"
    return type(value).__name__


def type_name(value: Any) -> str:
    """The FEEL type name: `number`, `string`, `date and time`, `days and time duration`, ..."""
    return kind(value).removeprefix("local ")


_TYPE_ALIASES = {
    "date time": "date and time",
    "year-month-duration": "years and months duration",
    "day-time-duration": "days and time duration",
}


def is_instance(value: Any, name: str) -> bool:
    """`value instance of name` (feel-scala: `Any` matches every non-null value)."""
    if name == "Any":
        return value is not None
    return type_name(value) == _TYPE_ALIASES.get(name, name)


COMPARABLE_KINDS = frozenset({
    "number", "string", "date", "local time", "time", "local date and time", "date and time",
    "years and months duration", "days and time duration",
})


# ---------------------------------------------------------------------------------------------
# text


def describe(value: Any) -> str:
    """A value as feel-scala prints it in messages and nested in `string()` (strings quoted);
    cut with `...` after `MAX_DESCRIBED_LENGTH` characters, so a message stays small whatever
    the value."""
    if type(value) is str and len(value) <= MAX_DESCRIBED_LENGTH:
        return f'"{value}"'
    text = TextBuilder(MAX_DESCRIBED_LENGTH)
    try:
        _write(text, value, quoted=True)
    except TextTooLong:
        return text.text() + "..."
    return text.text()


def to_string(value: Any, meter: Meter | None = None) -> str:
    """FEEL `string(value)` text (for non-null values): `1.5`, `true`, `2019-01-01`, `P1DT2H`,
    `{a:1, b:"x"}`, `[1, 2]`, `[1..10)`, `function(a, b)`. Each list item and context entry
    written is a step on `meter`; a text beyond `MAX_STRING_LENGTH` characters fails with
    LIMIT_EXCEEDED (lists that share their items can describe billions of them)."""
    if type(value) not in (list, dict, Range):
        return _scalar_text(value)
    text = TextBuilder(MAX_STRING_LENGTH, meter)
    try:
        _write(text, value, quoted=False)
    except TextTooLong:
        raise too_long() from None
    return text.text()


def _scalar_text(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, Decimal):
        # Python's str() and Java's BigDecimal.toString() share the scientific-notation rule
        return str(value)
    if isinstance(value, FeelDateTime):
        return format_date_time(value)
    if isinstance(value, FeelDate):
        return format_date(value)
    if isinstance(value, FeelTime):
        return format_time(value)
    if isinstance(value, (DayTimeDuration, YearMonthDuration)):
        return str(value)
    if isinstance(value, FeelFunction):
        return "function(" + ", ".join(value.params) + ")"
    return str(value)


class TextTooLong(Exception):
    """A `TextBuilder` reached its length limit."""


class TextBuilder:
    """Text built piece by piece that stops at `limit` characters (raising `TextTooLong`, with
    the text cut at the limit), so writing a value costs at most the limit even when its lists
    share items; `items(n)` accounts for n list items or context entries on `meter`."""

    __slots__ = ("meter", "parts", "room")

    def __init__(self, limit: int, meter: Meter | None = None) -> None:
        self.parts: list[str] = []
        self.room = limit
        self.meter = meter

    def text(self) -> str:
        return "".join(self.parts)

    def add(self, piece: str) -> None:
        if len(piece) > self.room:
            self.parts.append(piece[:self.room])
            raise TextTooLong
        self.room -= len(piece)
        self.parts.append(piece)

    def items(self, count: int) -> None:
        if self.meter is not None:
            self.meter.spend(count)


def _write(text: TextBuilder, value: Any, quoted: bool) -> None:
    """Write `value` in FEEL's text form (`quoted`: strings in double quotes, as when nested)."""
    if type(value) is list:
        text.items(len(value))
        text.add("[")
        for index, item in enumerate(value):
            if index:
                text.add(", ")
            _write(text, item, quoted=True)
        text.add("]")
    elif type(value) is dict:
        text.items(len(value))
        text.add("{")
        for index, (key, item) in enumerate(value.items()):
            text.add(f", {key}:" if index else f"{key}:")
            _write(text, item, quoted=True)
        text.add("}")
    elif isinstance(value, Range):
        text.add("[" if value.start_included else "(")
        _write(text, value.start, quoted=True)
        text.add("..")
        _write(text, value.end, quoted=True)
        text.add("]" if value.end_included else ")")
    elif quoted and isinstance(value, str):
        text.add('"')
        text.add(value)
        text.add('"')
    else:
        text.add(_scalar_text(value))


# ---------------------------------------------------------------------------------------------
# conversion from Python and to JSON

def java_double(value: float) -> Decimal:
    """A double as feel-scala makes a number of it (`BigDecimal(Double.toString(d))`): the
    shortest digits, written plainly between 10^-3 and 10^7 (`1000.0`, `0.001`) and
    scientifically outside (`1.0E20`, `1.0E-4`, which reads back as 0.00010)."""
    if value == 0:
        return Decimal("0.0")  # BigDecimal has no negative zero
    shortest = Decimal(repr(abs(value))).normalize()
    if 1e-3 <= abs(value) < 1e7:
        text = format(shortest, "f")
        text += "" if "." in text else ".0"
    else:
        digits = "".join(map(str, shortest.as_tuple().digits))
        text = f"{digits[0]}.{digits[1:] or '0'}E{shortest.adjusted()}"
    return Decimal(("-" if value < 0 else "") + text)


SMALL_LIMIT = 1024
SMALL_NUMBERS = tuple(map(Decimal, range(SMALL_LIMIT)))
"""0 .. 1023 as Decimals, made once: the whole numbers that JSON data and loops hold most often
(Decimals are immutable, so every user shares them)."""

_PASS_THROUGH = (str, Decimal, FeelDate, FeelDateTime, FeelTime, DayTimeDuration,
                 YearMonthDuration, Range, FeelFunction)


def from_python(value: Any) -> Any:
    """JSON-like Python data -> FEEL values: int -> Decimal, float -> Decimal as Java's
    `Double.toString` writes it (see `java_double`), tuples -> lists, nested; `datetime.date`,
    `datetime.datetime`, `datetime.time` -> FeelDate, FeelDateTime, FeelTime, `timedelta` ->
    DayTimeDuration; FEEL values pass through. Non-finite floats
    become null (feel-scala cannot hold them)."""
    kind = type(value)  # exact types first: JSON data is all of them, and it is converted often
    if kind is str or value is None or kind is bool or kind is Decimal:
        return value
    # strings and whole numbers, most of JSON's leaves, without a call each; the small numbers
    # (counts, statuses, amounts) as shared Decimals, which cost nothing to make
    small = SMALL_NUMBERS
    if kind is dict:
        return {key if type(key) is str else str(key):
                item if type(item) is str else (small[item] if 0 <= item < SMALL_LIMIT else Decimal(item))
                if type(item) is int else from_python(item)
                for key, item in value.items()}
    if kind is list:
        return [item if type(item) is str else (small[item] if 0 <= item < SMALL_LIMIT else Decimal(item))
                if type(item) is int else from_python(item)
                for item in value]
    if kind is int:
        return small[value] if 0 <= value < SMALL_LIMIT else Decimal(value)
    if isinstance(value, str):  # a str subclass (a str enum) becomes a plain FEEL string
        return str.__str__(value)  # its text, not what its __str__ says (an enum's name)
    if isinstance(value, (bool, *_PASS_THROUGH)):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return java_double(value) if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(key): from_python(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [from_python(item) for item in value]
    if isinstance(value, dt.datetime):
        return FeelDateTime.from_python(value)
    if isinstance(value, dt.date):
        return FeelDate.from_python(value)
    if isinstance(value, dt.time):
        offset = value.utcoffset()
        local = value.replace(tzinfo=None)
        return FeelTime(local, None if offset is None else dt.timezone(offset))
    if isinstance(value, dt.timedelta):
        return DayTimeDuration.from_timedelta(value)
    raise TypeError(f"cannot use a {type(value).__name__} as a FEEL value: {value!r}")


_LONG_MIN, _LONG_MAX = -(2**63), 2**63 - 1


def _json_number(value: Decimal) -> int | float | str:
    # JavaValueMapper: a whole number that fits a long becomes a Long, anything else a Double;
    # Jackson writes a Double beyond its range as the string "Infinity" (or "-Infinity").
    # Compare with the bounds before int(): int() of 1E+999999999 would never finish.
    if value.is_finite() and _LONG_MIN <= value <= _LONG_MAX and value == value.to_integral_value():
        return int(value)
    number = float(value)
    if math.isfinite(number):
        return number
    return "NaN" if math.isnan(number) else ("Infinity" if number > 0 else "-Infinity")


def to_json(value: Any) -> Any:
    """FEEL -> JSON-compatible Python, as the connector runtime serialises results: whole
    numbers -> int, other numbers -> float (beyond a double: "Infinity", as Jackson writes it),
    temporal values -> ISO text (Jackson's forms), ranges and functions -> their FEEL text.
    A value larger than `MAX_JSON_SIZE` (items, entries and characters, counting shared parts
    each time they are reached: what serialising the result would write) fails with
    LIMIT_EXCEEDED, before anything that large is built."""
    try:
        return _json(value, StandaloneMeter(MAX_JSON_SIZE, _JSON_TOO_LARGE))
    except RecursionError:  # `for i in 1..5000 return partial` nests lists 5,000 deep
        raise FeelEvaluationError("the value is nested too deeply for JSON",
                                  LIMIT_EXCEEDED) from None


_JSON_TOO_LARGE = (f"the value is too large for JSON: more than {MAX_JSON_SIZE // 1_000_000} MB "
                   "(list items and context entries count 16 bytes, strings their length, "
                   "shared parts each time)")


def _paid_for(items: list[Any], meter: Meter) -> bool:
    """Spend on `meter` for a list before it is copied: each item, and the length of each string
    among them; whether any item is no string."""
    size, nested = len(items) * JSON_ITEM_SIZE, False
    for item in items:
        if type(item) is str:
            size += len(item)
        else:
            nested = True
    meter.spend(size)
    return nested


def _json(value: Any, meter: Meter) -> Any:
    kind = type(value)  # exact types first: most values are strings, numbers, lists, contexts
    if kind is str:
        meter.spend(len(value))
        return value
    if value is None or kind is bool:
        return value
    # a context is paid for (each entry, and the length of each string among its keys and values)
    # before it is copied; strings are most of the leaves: they are JSON as they are, without a call
    if kind is dict:
        size, nested = len(value) * JSON_ITEM_SIZE, False
        for key, item in value.items():
            if type(key) is str:
                size += len(key)
            if type(item) is str:
                size += len(item)
            else:
                nested = True
        meter.spend(size)
        if not nested:
            return dict(value)
        return {key: item if type(item) is str else _json(item, meter) for key, item in value.items()}
    if kind is list:
        if not _paid_for(value, meter):
            return list(value)
        return [item if type(item) is str else _json(item, meter) for item in value]
    if kind is Decimal:
        return _json_number(value)
    if isinstance(value, str):  # subclasses (from host code) as their base class
        return str.__str__(value)
    if isinstance(value, Decimal):
        return _json(Decimal(value), meter)
    if isinstance(value, dict):
        return _json(dict(value), meter)
    if isinstance(value, list):
        return _json(list(value), meter)
    if isinstance(value, FeelDateTime):
        return iso_date_time(value)
    if isinstance(value, FeelDate):
        return iso_date(value)
    if isinstance(value, FeelTime):
        return iso_time(value)
    if isinstance(value, DayTimeDuration):
        return iso_day_time_duration(value)
    if isinstance(value, YearMonthDuration):
        return iso_year_month_duration(value)
    return to_string(value)


# ---------------------------------------------------------------------------------------------
# arithmetic


def _fail(failure_type: str, message: str) -> SuppressedFailure:
    return SuppressedFailure(failure_type, message)


def _arithmetic(operation: Callable[[Decimal, Decimal], Decimal], x: Decimal, y: Decimal,
                symbol: str) -> Decimal:
    """A Decimal operation; an exponent beyond what Decimal holds is a suppressed failure."""
    try:
        return operation(x, y)
    except decimal.DecimalException:
        raise _fail(INVALID_TYPE, f"The result of '{x}' {symbol} '{y}' is out of range") from None


_DATE_LIKE = ("date", "local date and time", "date and time")
_TIME_LIKE = ("local time", "time")
_DURATIONS = ("days and time duration", "years and months duration")


def _add_temporal(x: Any, y: Any) -> Any:
    """temporal + duration or duration + duration; None when feel-scala has no such sum."""
    kx, ky = kind(x), kind(y)
    if kx in _DURATIONS and ky not in _DURATIONS:  # duration + temporal commutes
        x, y, kx, ky = y, x, ky, kx
    try:
        if ky == "days and time duration":
            if kx in _TIME_LIKE:
                return add_to_time(x, y)
            if kx in _DATE_LIKE:
                return add_duration(x, y)
            if kx == ky:
                return DayTimeDuration(x.nanoseconds + y.nanoseconds)
        if ky == "years and months duration":
            if kx in _DATE_LIKE:
                return add_months(x, y.months)
            if kx == ky:
                return YearMonthDuration(x.months + y.months)
    except (OverflowError, ValueError):
        raise _fail(INVALID_TYPE, f"The result of '{describe(x)}' + '{describe(y)}' is out of "
                    "range (years -999999999 to 999999999)") from None
    return None


def add(x: Any, y: Any) -> Any:
    """`x + y`: numbers, string concatenation, temporal value + duration, duration + duration."""
    if isinstance(x, Decimal) and isinstance(y, Decimal):
        return _arithmetic(DECIMAL.add, x, y, "+")
    if isinstance(x, str) and isinstance(y, str):
        return x + y
    result = _add_temporal(x, y) if x is not None and y is not None else None
    if result is None:
        raise _fail(INVALID_TYPE, f"Can't add '{describe(y)}' to '{describe(x)}'")
    return result


def _negated(duration: DayTimeDuration | YearMonthDuration) -> DayTimeDuration | YearMonthDuration:
    if isinstance(duration, DayTimeDuration):
        return DayTimeDuration(-duration.nanoseconds)
    return YearMonthDuration(-duration.months)


def _subtract_temporal(x: Any, y: Any) -> Any:
    kx, ky = kind(x), kind(y)
    if kx == ky == "date":
        return between_dates(x, y)
    if kx == ky and kx in ("local date and time", "date and time"):
        return between_date_times(x, y)
    if kx == ky and kx in ("local time", "time"):
        return between_times(x, y)
    if kx == ky and kx in ("days and time duration", "years and months duration"):
        return add(x, _negated(y))
    if ky in _DURATIONS and kx in _DATE_LIKE + _TIME_LIKE:
        return _add_temporal(x, _negated(y))
    return None


def subtract(x: Any, y: Any) -> Any:
    """`x - y`: numbers, temporal - temporal -> duration, temporal - duration."""
    if isinstance(x, Decimal) and isinstance(y, Decimal):
        return _arithmetic(DECIMAL.subtract, x, y, "-")
    result = _subtract_temporal(x, y) if x is not None and y is not None else None
    if result is None:
        raise _fail(INVALID_TYPE, f"Can't subtract '{describe(y)}' from '{describe(x)}'")
    return result


def int_value(number: Decimal) -> int:
    """Java's `BigDecimal.intValue()`: truncate, then keep the low 32 bits (as a signed int).

    Every built-in argument that is a position, a length, a scale or a count goes through here.
    It is exact and fast for any number: int() of 1E+999999999, or of a literal with a million
    digits, would take minutes, so large numbers are reduced modulo 2^32 digit by digit."""
    if not number.is_finite():
        return 0
    if number.adjusted() < 18:  # |number| < 10^18 (the exponent of its leading digit)
        whole = int(number)
    else:
        sign, digits, exponent = number.as_tuple()
        assert isinstance(exponent, int)  # a finite number
        if exponent >= 32:  # 10^32 is a multiple of 2^32: the low 32 bits are all zero
            return 0
        if exponent < 0:  # |number| >= 10^18, so it has more digits than the fraction
            digits = digits[:exponent]
        whole = 0
        for start in range(0, len(digits), 18):
            chunk = digits[start:start + 18]
            whole = (whole * 10 ** len(chunk) + int("".join(map(str, chunk)))) & 0xFFFFFFFF
        whole = (whole * 10 ** max(exponent, 0)) & 0xFFFFFFFF
        if sign:
            whole = -whole
    whole &= 0xFFFFFFFF
    return whole - (1 << 32) if whole >= 1 << 31 else whole


def _scale_duration(duration: Any, factor: int) -> Any:
    try:
        if isinstance(duration, DayTimeDuration):
            return DayTimeDuration(duration.nanoseconds * factor)
        return YearMonthDuration(duration.months * factor)
    except OverflowError:
        raise _fail(INVALID_TYPE, f"The result of '{describe(duration)}' * '{factor}' is out of "
                    "range") from None


def multiply(x: Any, y: Any) -> Any:
    """`x * y`: numbers; a duration times a number (the number truncated to an integer)."""
    if isinstance(x, Decimal) and isinstance(y, Decimal):
        return _arithmetic(DECIMAL.multiply, x, y, "*")
    if isinstance(x, Decimal) and isinstance(y, (DayTimeDuration, YearMonthDuration)):
        return _scale_duration(y, int_value(x))
    if isinstance(y, Decimal) and isinstance(x, (DayTimeDuration, YearMonthDuration)):
        return _scale_duration(x, int_value(y))
    raise _fail(INVALID_TYPE, f"Can't multiply '{describe(x)}' by '{describe(y)}'")


def divide(x: Any, y: Any) -> Any:
    """`x / y`: numbers (division by zero -> null); duration / number; duration / duration ->
    number (whole milliseconds or months divided as integers, like feel-scala)."""
    if isinstance(y, Decimal) and y != 0:
        if isinstance(x, Decimal):
            return _arithmetic(DECIMAL.divide, x, y, "/")
        if isinstance(x, YearMonthDuration):
            return YearMonthDuration(int_value(DECIMAL.divide(Decimal(x.months), y)))
        if isinstance(x, DayTimeDuration):
            return DayTimeDuration(int_value(DECIMAL.divide(Decimal(x.millis), y)) * 1_000_000)
    if isinstance(x, YearMonthDuration) and isinstance(y, YearMonthDuration) and y.months:
        return Decimal(java_div(x.months, y.months))
    if isinstance(x, DayTimeDuration) and isinstance(y, DayTimeDuration) and y.millis:
        return Decimal(java_div(x.millis, y.millis))
    raise _fail(INVALID_TYPE, f"Can't divide '{describe(x)}' by '{describe(y)}'")


_MAX_POWER = 999_999_999  # Java's BigDecimal.pow limit


def power(x: Any, y: Any) -> Any:
    """`x ** y`: a whole exponent is exact to 34 digits; any other goes through doubles, as in
    feel-scala (`2 ** 3.1` = 8.574187700290345)."""
    if not (isinstance(x, Decimal) and isinstance(y, Decimal)):
        bad = x if not isinstance(x, Decimal) else y
        raise _fail(INVALID_TYPE, f"Expected number but found '{describe(bad)}'")
    try:
        if y == y.to_integral_value() and abs(y) <= _MAX_POWER:
            exact = DECIMAL.power(x, int(y))
            if exact.is_finite():
                return exact
            result = math.inf  # 0 ** -1
        else:
            result = math.pow(float(x), float(y))
    except (decimal.DecimalException, OverflowError, ValueError, ZeroDivisionError):
        result = math.nan
    if not math.isfinite(result):
        raise _fail(INVALID_TYPE, f"Can't raise '{describe(x)}' to the power of '{describe(y)}'")
    return java_double(result)


def negate(x: Any) -> Any:
    """`-x` for numbers."""
    if isinstance(x, Decimal):
        return DECIMAL.minus(x)
    raise _fail(INVALID_TYPE, f"Expected number but found '{describe(x)}'")


# ---------------------------------------------------------------------------------------------
# equality and order


def equal(x: Any, y: Any, meter: Meter | None = None) -> bool:
    """`x = y` with feel-scala's rules: null equals only null; numbers by value; lists item by
    item; contexts by keys and values; date-times by local value, offset and zone. Values of
    different types raise NOT_COMPARABLE (null + warning). Every list item and context entry
    compared is a step on `meter` (the evaluation; a fresh `StandaloneMeter` when None)."""
    if x is None or y is None:
        return x is None and y is None
    kx, ky = kind(x), kind(y)
    if kx != ky or kx in ("range", "function"):
        raise _fail(NOT_COMPARABLE, f"Can't compare '{describe(x)}' with '{describe(y)}'")
    if kx == "list":
        if len(x) != len(y):
            return False
        meter = meter or StandaloneMeter()
        meter.spend(len(x))
        return all(equal_or_false(a, b, meter) for a, b in zip(x, y, strict=False))
    if kx == "context":
        if x.keys() != y.keys():
            return False
        meter = meter or StandaloneMeter()
        meter.spend(len(x))
        return all(equal_or_false(x[key], y[key], meter) for key in x)
    if kx in ("local date and time", "date and time"):
        return bool(x.identity == y.identity)
    return bool(x == y)


def equal_or_false(x: Any, y: Any, meter: Meter | None = None) -> bool:
    """FEEL equality where values of different types are simply unequal (list membership)."""
    try:
        return equal(x, y, meter)
    except SuppressedFailure:
        return False


_HASHABLE_KINDS = (bool, Decimal, str, FeelDate, FeelDateTime, FeelTime, DayTimeDuration,
                   YearMonthDuration)


def equality_key(value: Any) -> Any:
    """A hashable key that is equal for two values exactly when FEEL's `equal_or_false` is true,
    or None for values that have none (lists, contexts, ranges, functions). Lets built-ins such
    as `distinct values` find equal values by hashing instead of comparing every pair."""
    if value is None:
        return ("null",)
    if not isinstance(value, _HASHABLE_KINDS):
        return None
    if isinstance(value, FeelDateTime):  # a local one never equals one with an offset
        return (FeelDateTime, value.offset is None, value.identity)
    # the class keeps 1 (number) apart from true
    return (type(value), value)


def _utf16(text: str) -> str | bytes:
    # Java compares strings by UTF-16 code units; only astral characters make that differ
    return text.encode("utf-16-be") if any(ord(c) > 0xD7FF for c in text) else text


def _sort_key(value: Any, value_kind: str) -> Any:
    if value_kind in ("local date and time", "date and time"):
        return value.identity
    if value_kind in ("local time", "time"):
        return value.sort_key()
    if value_kind == "days and time duration":
        return value.nanoseconds
    if value_kind == "years and months duration":
        return value.months
    return value


def compare(x: Any, y: Any) -> int:
    """-1, 0 or 1 for two values of the same comparable type (numbers, strings, dates, times,
    date-times, durations); anything else raises NOT_COMPARABLE (null + warning)."""
    kx, ky = kind(x), kind(y)
    if kx != ky or kx not in COMPARABLE_KINDS:
        raise _fail(NOT_COMPARABLE, f"Can't compare '{describe(x)}' with '{describe(y)}'")
    a: Any
    b: Any
    if kx == "string":
        a, b = _utf16(x), _utf16(y)
        if type(a) is not type(b):
            a, b = x.encode("utf-16-be"), y.encode("utf-16-be")
    else:
        a, b = _sort_key(x, kx), _sort_key(y, kx)
    return int(a > b) - int(a < b)


# ---------------------------------------------------------------------------------------------
# properties


def _date_properties(value: FeelDate) -> dict[str, Any]:
    return {"year": Decimal(value.year), "month": Decimal(value.month),
            "day": Decimal(value.day), "weekday": Decimal(value.weekday)}


def _clock_properties(clock: dt.time, value: FeelDateTime | FeelTime) -> dict[str, Any]:
    offset = None if value.offset is None else DayTimeDuration.of(seconds=value.offset_seconds)
    return {"hour": Decimal(clock.hour), "minute": Decimal(clock.minute),
            "second": Decimal(clock.second), "time offset": offset,
            "timezone": None if value.zone is None else value.zone.key}


def properties(value: Any) -> dict[str, Any]:
    """The named properties of a temporal or range value (empty for other values)."""
    if isinstance(value, FeelDateTime):
        return _date_properties(value.date) | _clock_properties(value.time, value)
    if isinstance(value, FeelDate):
        return _date_properties(value)
    if isinstance(value, FeelTime):
        return _clock_properties(value.local, value)
    if isinstance(value, YearMonthDuration):
        return {"years": Decimal(value.years_part), "months": Decimal(value.months_part)}
    if isinstance(value, DayTimeDuration):
        return {"days": Decimal(value.days), "hours": Decimal(value.hours),
                "minutes": Decimal(value.minutes), "seconds": Decimal(value.seconds)}
    if isinstance(value, Range):
        return {"start": value.start, "end": value.end,
                "start included": value.start_included, "end included": value.end_included}
    return {}


def get_property(value: Any, name: str,
                 on_failure: Callable[[SuppressedFailure], None] | None = None,
                 meter: Meter | None = None) -> Any:
    """`value.name`: a context entry, or a property of a temporal/range value (`year`,
    `time offset`, `start included`, ...). On a list, the property of each item (failed items
    yield null and are reported to `on_failure`; each item is a step on `meter`). Missing
    entries raise NO_CONTEXT_ENTRY_FOUND, missing properties NO_PROPERTY_FOUND."""
    if isinstance(value, dict):
        if name in value:
            return value[name]
        # a context can have a million keys and a loop can miss one a million times
        keys = abbreviated(", ".join(f"'{key}'" for key in itertools.islice(value, 100))
                           + (", ..." if len(value) > 100 else ""))
        detail = f"Available keys: {keys}" if value else "The context is empty"
        raise _fail("NO_CONTEXT_ENTRY_FOUND", f"No context entry found with key '{name}'. {detail}")
    if isinstance(value, list):
        meter = meter or StandaloneMeter()
        meter.spend(len(value))
        return [_property_or_null(item, name, on_failure, meter) for item in value]
    if value is None:
        raise _fail("NO_CONTEXT_ENTRY_FOUND",
                    f"No context entry found with key '{name}'. The context is null")
    available = properties(value)
    if name in available:
        return available[name]
    names = ", ".join(f"'{key}'" for key in available)
    raise _fail("NO_PROPERTY_FOUND", f"No property found with name '{name}' of value "
                f"'{describe(value)}'. Available properties: {names}")


_FAILURE_STEPS = 3  # a failed item costs an exception and a message: a few steps more


def _property_or_null(item: Any, name: str,
                      on_failure: Callable[[SuppressedFailure], None] | None, meter: Meter) -> Any:
    try:
        return get_property(item, name, on_failure, meter)
    except SuppressedFailure as failure:
        meter.spend(_FAILURE_STEPS)
        if on_failure is not None:
            on_failure(failure)
        return None
