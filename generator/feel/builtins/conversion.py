"""Conversion built-ins: `date`, `time`, `date and time`, `duration`, `years and months duration`,
`number` (with grouping/decimal separators) and `string`."""

from __future__ import annotations

import datetime as dt
import decimal
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar

from generator.feel import temporal, values
from generator.feel.builtins.registry import Family, InvalidArgument, illegal
from generator.feel.dates import FeelDate, FeelDateTime
from generator.feel.limits import abbreviated
from generator.feel.temporal import DayTimeDuration, FeelTime, TemporalParseError

FUNCTIONS = Family()
function = FUNCTIONS.function
Parsed = TypeVar("Parsed")


def parsed(parse: Callable[[str], Parsed], text: str) -> Parsed:
    """Run a temporal parser; a parse failure fails the invocation (null + warning)."""
    try:
        return parse(text)
    except TemporalParseError as error:
        raise InvalidArgument(str(error)) from None


def _local_date(value: FeelDate | FeelDateTime) -> FeelDate:
    return value.date if isinstance(value, FeelDateTime) else value


@function("date", "from")
def date_from(call: Any, value: str | FeelDate | FeelDateTime) -> FeelDate:
    """`date("2019-01-31")`, `date("-2017-12-31")`, or the date of a date-time."""
    if isinstance(value, str):
        return parsed(temporal.parse_date, value)
    return _local_date(value)


@function("date", "year", "month", "day")
def date_of(call: Any, year: Decimal, month: Decimal, day: Decimal) -> FeelDate:
    """`date(2019, 1, 31)`, `date(-2017, 12, 31)`: any year java.time holds."""
    try:
        return FeelDate(values.int_value(year), values.int_value(month), values.int_value(day))
    except (ValueError, OverflowError):
        raise InvalidArgument(
            f"Failed to parse date from: year={year}, month={month}, day={day}") from None


@function("time", "from")
def time_from(call: Any, value: str | FeelDate | FeelDateTime) -> FeelTime:
    """`time("10:30:00+01:00")`, or the time of a date-time (midnight UTC of a date)."""
    if isinstance(value, str):
        return parsed(temporal.parse_time, value)
    if isinstance(value, FeelDate):
        return FeelTime(dt.time(), temporal.UTC)
    return FeelTime(value.time, value.offset, value.zone)


def _clock(hour: Decimal, minute: Decimal, second: Decimal) -> dt.time:
    # the fraction's microseconds; a number with a non-negative exponent has no fraction (and
    # int() of 1E+999999999 would never finish)
    micro = 0
    if second.is_finite() and int(second.as_tuple().exponent) < 0:
        micro = int((second - second.to_integral_value(decimal.ROUND_DOWN)) * 1_000_000)
    try:
        return dt.time(values.int_value(hour), values.int_value(minute), values.int_value(second),
                       micro)
    except ValueError:
        raise InvalidArgument(
            f"Failed to parse time from: hour={hour}, minute={minute}, second={second}") from None


@function("time", "hour", "minute", "second")
def time_of(call: Any, hour: Decimal, minute: Decimal, second: Decimal) -> FeelTime:
    return FeelTime(_clock(hour, minute, second))


@function("time", "hour", "minute", "second", "offset")
def time_with_offset(call: Any, hour: Decimal, minute: Decimal, second: Decimal,
                     offset: DayTimeDuration | None) -> FeelTime:
    if offset is None:
        return FeelTime(_clock(hour, minute, second).replace(microsecond=0))
    seconds = offset.whole_seconds
    if abs(seconds) > 18 * 3600:
        raise InvalidArgument(f"Failed to parse time with offset {offset}")
    zone = temporal.UTC if seconds == 0 else dt.timezone(dt.timedelta(seconds=seconds))
    return FeelTime(_clock(hour, minute, second), zone)


@function("date and time", "from")
def date_and_time_from(call: Any, value: str) -> FeelDateTime:
    """`date and time("2019-08-12T22:22:22@Europe/Berlin")`; a bare date means midnight."""
    return parsed(temporal.parse_date_time, value)


def _combine(day: FeelDate, time: FeelTime) -> FeelDateTime:
    if time.zone is not None:
        return FeelDateTime.in_zone(day, time.local, time.zone)
    return FeelDateTime(day, time.local, time.offset)


def _in_zone(value: FeelDateTime, zone_id: str) -> FeelDateTime:
    zone = parsed(temporal.parse_zone, zone_id)
    if value.offset is None:
        return temporal.at_zone(value.date, value.time, zone)
    return FeelDateTime.from_instant(value.instant_micros, zone)


def _date_and_time_of(call: Any, day: FeelDate | FeelDateTime, time: Any) -> FeelDateTime:
    """(date or date-time, time) -> the date-time at that time; (date-time, zone id) -> the same
    local date-time in that zone (local) or the same instant there (zoned)."""
    if isinstance(time, FeelTime):
        return _combine(_local_date(day), time)
    if isinstance(time, str) and isinstance(day, FeelDateTime):
        return _in_zone(day, time)
    raise illegal([day, time])


# one impl, two spellings for named arguments (feel-scala: date/time; Camunda docs: date/timezone)
date_and_time_of = function("date and time", "date", "time")(_date_and_time_of)
function("date and time", "date", "timezone")(_date_and_time_of)


@function("duration", "from")
def duration(call: Any, value: str) -> DayTimeDuration | temporal.YearMonthDuration:
    """`duration("P1DT2H")` (days and time) or `duration("P1Y2M")` (years and months)."""
    return parsed(temporal.parse_duration, value)


@function("years and months duration", "from", "to")
def years_and_months_duration(call: Any, start: FeelDate | FeelDateTime,
                              end: FeelDate | FeelDateTime) -> temporal.YearMonthDuration:
    """Whole years and months between two dates or date-times."""
    return temporal.YearMonthDuration(temporal.months_between(_local_date(start), _local_date(end)))


_JAVA_DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_GROUPING = (" ", ",", ".")
_DECIMAL_SEPARATORS = (",", ".")


def parse_number(text: str) -> Decimal:
    """Java's `new BigDecimal(text)` rounded to 34 digits; other text fails the invocation."""
    if not _JAVA_DECIMAL.fullmatch(text):
        raise InvalidArgument(f"Can't parse '{abbreviated(text)}' as a number")
    return values.DECIMAL.create_decimal(text)


@function("number", "from")
def number(call: Any, text: str) -> Decimal:
    return parse_number(text)


@function("number", "from", "grouping separator")
def number_grouped(call: Any, text: str, grouping: str) -> Decimal:
    if grouping not in _GROUPING:
        raise InvalidArgument("illegal argument for grouping. Must be one of ' ', ',' or '.'")
    return parse_number(text.replace(grouping, ""))


@function("number", "from", "grouping separator", "decimal separator")
def number_separated(call: Any, text: str, grouping: str | None, separator: str | None) -> Decimal:
    if (grouping is not None and grouping not in _GROUPING) or (separator is not None and (
            separator not in _DECIMAL_SEPARATORS or separator == grouping)):
        raise InvalidArgument("illegal arguments for grouping or decimal. Must be one of ' ' "
                              "(grouping only), ',' or '.'")
    if grouping is None and separator is None:
        raise illegal([text, grouping, separator])
    if grouping is not None:
        text = text.replace(grouping, "")
    if separator is not None:
        text = text.replace(separator, ".")
    return parse_number(text)


@function("string", "from")
def string(call: Any, value: Any) -> str | None:
    """FEEL text of any value; `string(null)` is null."""
    return None if value is None else values.to_string(value, call)
