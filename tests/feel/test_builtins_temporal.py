"""Temporal built-ins: the injectable clock behind now()/today() and calendar functions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from generator.feel.builtins import temporal
from generator.feel.builtins.registry import StandaloneCallContext
from generator.feel.dates import FeelDate, FeelDateTime
from generator.feel.errors import SuppressedFailure
from generator.feel.temporal import parse_date_time

FIXED = dt.datetime(2024, 2, 29, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
CALL = StandaloneCallContext(clock=lambda: FIXED)


def test_now_and_today_come_from_the_clock():
    assert temporal.now(CALL) == FeelDateTime.from_python(FIXED)
    assert temporal.today(CALL) == FeelDate(2024, 2, 29)  # the clock's local date


def test_the_default_clock_is_the_real_utc_time():
    before = FeelDateTime.from_python(dt.datetime.now(dt.UTC))
    now = temporal.now(StandaloneCallContext())
    after = FeelDateTime.from_python(dt.datetime.now(dt.UTC))
    assert now.offset == dt.UTC and before.identity <= now.identity <= after.identity


@pytest.mark.parametrize("day, weekday, day_of_year, week, month", [
    (FeelDate(2024, 1, 1), "Monday", 1, 1, "January"),
    (FeelDate(2019, 9, 17), "Tuesday", 260, 38, "September"),
    (FeelDate(2003, 12, 29), "Monday", 363, 1, "December"),
    (FeelDate(2005, 1, 1), "Saturday", 1, 53, "January"),
    (FeelDate(2005, 1, 3), "Monday", 3, 1, "January"),
    (parse_date_time("2024-12-31T23:00:00@Europe/Berlin"), "Tuesday", 366, 1, "December"),
])
def test_calendar_functions(day, weekday, day_of_year, week, month):
    assert temporal.day_of_week(CALL, day) == weekday
    assert temporal.day_of_year(CALL, day) == D(day_of_year)
    assert temporal.week_of_year(CALL, day) == D(week)
    assert temporal.month_of_year(CALL, day) == month


@pytest.mark.parametrize("day, last", [
    (FeelDate(2022, 10, 17), FeelDate(2022, 10, 31)), (FeelDate(2024, 2, 1), FeelDate(2024, 2, 29)),
    (FeelDate(2023, 2, 28), FeelDate(2023, 2, 28)), (parse_date_time("2023-12-05T10:00:00"), FeelDate(2023, 12, 31)),
])
def test_last_day_of_month(day, last):
    assert temporal.last_day_of_month(CALL, day) == last


def test_calendar_functions_need_a_date():
    with pytest.raises(SuppressedFailure, match="Failed to invoke function 'day of week'"):
        temporal.day_of_week(CALL, "2024-01-01")
