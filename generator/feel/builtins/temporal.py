"""Temporal built-ins: `now` and `today` (from the injectable clock of the call context),
`day of week`, `day of year`, `week of year`, `month of year` and `last day of month`."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from generator.feel.builtins.registry import CallContext, Family
from generator.feel.dates import DAY_NAMES, MONTH_NAMES, FeelDate, FeelDateTime

FUNCTIONS = Family()
function = FUNCTIONS.function


def _day(value: FeelDate | FeelDateTime) -> FeelDate:
    return value.date if isinstance(value, FeelDateTime) else value


@function("now")
def now(call: CallContext) -> FeelDateTime:
    """The current date and time, from the evaluation's clock."""
    return FeelDateTime.from_python(call.now())


@function("today")
def today(call: CallContext) -> FeelDate:
    return FeelDate.from_python(call.now())


@function("day of week", "date")
def day_of_week(call: Any, date: FeelDate | FeelDateTime) -> str:
    """`day of week(date("2024-01-01"))` = "Monday"."""
    return DAY_NAMES[_day(date).weekday - 1]


@function("day of year", "date")
def day_of_year(call: Any, date: FeelDate | FeelDateTime) -> Decimal:
    return Decimal(_day(date).day_of_year)


@function("week of year", "date")
def week_of_year(call: Any, date: FeelDate | FeelDateTime) -> Decimal:
    """The ISO-8601 week number (weeks start on Monday; week 1 holds the first Thursday)."""
    return Decimal(_day(date).week_of_year)


@function("month of year", "date")
def month_of_year(call: Any, date: FeelDate | FeelDateTime) -> str:
    return MONTH_NAMES[_day(date).month - 1]


@function("last day of month", "date")
def last_day_of_month(call: Any, date: FeelDate | FeelDateTime) -> FeelDate:
    return _day(date).last_day_of_month()
