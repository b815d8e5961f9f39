"""Temporal built-ins: `now` and `today` (from the injectable clock of the call context),
`day of week`, `day of year`, `week of year`, `month of year` and `last day of month`."""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import Decimal
from typing import Any

from generator.feel.builtins.registry import CallContext, Family
from generator.feel.temporal import last_day_of_month as days_in_month

FUNCTIONS = Family()
function = FUNCTIONS.function


def _day(value: dt.date) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


@function("now")
def now(call: CallContext) -> dt.datetime:
    """The current date and time, from the evaluation's clock."""
    return call.now()


@function("today")
def today(call: CallContext) -> dt.date:
    return call.now().date()


@function("day of week", "date")
def day_of_week(call: Any, date: dt.date) -> str:
    """`day of week(date("2024-01-01"))` = "Monday"."""
    return calendar.day_name[_day(date).weekday()]


@function("day of year", "date")
def day_of_year(call: Any, date: dt.date) -> Decimal:
    return Decimal(_day(date).timetuple().tm_yday)


@function("week of year", "date")
def week_of_year(call: Any, date: dt.date) -> Decimal:
    """The ISO-8601 week number (weeks start on Monday; week 1 holds the first Thursday)."""
    return Decimal(_day(date).isocalendar().week)


@function("month of year", "date")
def month_of_year(call: Any, date: dt.date) -> str:
    return calendar.month_name[_day(date).month]


@function("last day of month", "date")
def last_day_of_month(call: Any, date: dt.date) -> dt.date:
    day = _day(date)
    return day.replace(day=days_in_month(day.year, day.month))
