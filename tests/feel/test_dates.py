"""FEEL's own date and date-time values (generator.feel.dates) against Python's `datetime`, which
is exact for the years 1..9999: every other year is checked through the 400-year cycle of the
Gregorian calendar (146,097 days, the same weekdays and leap years), as java.time computes it."""

from __future__ import annotations

import calendar
import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.feel.dates import (
    MAX_YEAR,
    MIN_YEAR,
    FeelDate,
    FeelDateTime,
    civil_date,
    epoch_day,
)

CYCLE_DAYS = 146_097
PYTHON_EPOCH = dt.date(1970, 1, 1)
python_dates = st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31))
cycles = st.integers(min_value=-2_400_000, max_value=2_400_000)  # x 400 years: all of java.time


def shifted(day: dt.date, cycle_count: int) -> FeelDate:
    """`day` moved by `cycle_count` 400-year cycles, as far as java.time's years allow."""
    limit = (MAX_YEAR - 9999) // 400
    return FeelDate(day.year + 400 * max(-limit, min(limit, cycle_count)), day.month, day.day)


@given(python_dates)
def test_epoch_days_are_pythons_ordinals(day: dt.date) -> None:
    days = (day - PYTHON_EPOCH).days
    assert epoch_day(day.year, day.month, day.day) == days
    assert civil_date(days) == (day.year, day.month, day.day)


@given(python_dates, cycles)
def test_calendar_fields_repeat_every_400_years(day: dt.date, cycle_count: int) -> None:
    moved = shifted(day, cycle_count)
    cycle_shift = (moved.year - day.year) // 400
    assert moved.epoch_day == (day - PYTHON_EPOCH).days + cycle_shift * CYCLE_DAYS
    assert FeelDate.from_epoch_day(moved.epoch_day) == moved
    assert moved.weekday == day.isoweekday()
    assert moved.day_of_year == day.timetuple().tm_yday
    assert moved.week_of_year == day.isocalendar().week
    assert moved.last_day_of_month().day == calendar.monthrange(day.year, day.month)[1]


@given(python_dates, st.integers(min_value=-1200, max_value=1200))
def test_plus_months_clamps_to_the_month_end_as_java_does(day: dt.date, months: int) -> None:
    moved = FeelDate.from_python(day).plus_months(months)
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    assert (moved.year, moved.month) == (year, month + 1)
    assert moved.day == min(day.day, FeelDate(year, month + 1, 1).last_day_of_month().day)


@pytest.mark.parametrize("year, month, day, error", [
    (2023, 2, 29, ValueError), (2024, 13, 1, ValueError), (2024, 4, 31, ValueError),
    (MAX_YEAR + 1, 1, 1, OverflowError), (MIN_YEAR - 1, 12, 31, OverflowError),
])
def test_invalid_dates_are_refused(year: int, month: int, day: int, error: type[Exception]) -> None:
    with pytest.raises(error):
        FeelDate(year, month, day)


def test_java_times_extremes() -> None:
    """LocalDate.MIN and MAX: -999999999-01-01 and +999999999-12-31; year 0 is a leap year."""
    assert FeelDate.from_epoch_day(FeelDate(MIN_YEAR, 1, 1).epoch_day) == FeelDate(MIN_YEAR, 1, 1)
    assert FeelDate(MAX_YEAR, 12, 31).plus_days(0) == FeelDate(MAX_YEAR, 12, 31)
    with pytest.raises(OverflowError):
        FeelDate(MAX_YEAR, 12, 31).plus_days(1)
    assert FeelDate(0, 2, 29).plus_days(1) == FeelDate(0, 3, 1)
    assert FeelDate(-1, 12, 31).plus_days(1) == FeelDate(0, 1, 1)


BERLIN = ZoneInfo("Europe/Berlin")


@given(st.datetimes(min_value=dt.datetime(101, 1, 1), max_value=dt.datetime(9899, 12, 31)), cycles)
def test_zone_offsets_outside_pythons_years_repeat_the_nearest_rules(moment: dt.datetime,
                                                                      cycle_count: int) -> None:
    """A far year takes the offsets of the same day in the zone's earliest (before 100) or
    latest (after 9900) years, 400-year cycles apart: what java.time's first offset and last
    rules give there."""
    moved = shifted(moment.date(), cycle_count)
    if 100 <= moved.year <= 9900:
        return
    early = moved.year < 100
    reference = moment.replace(year=101 + (moved.year - 101) % 400 if early else 9500 + (moved.year - 9500) % 400)
    zoned = FeelDateTime.in_zone(moved, moment.time(), BERLIN)
    expected = FeelDateTime.in_zone(FeelDate.from_python(reference), moment.time(), BERLIN)
    assert (zoned.time, zoned.offset) == (expected.time, expected.offset)
    assert FeelDateTime.from_instant(zoned.instant_micros, BERLIN) == zoned


def test_a_local_time_in_a_gap_moves_forward_and_an_overlap_takes_the_earlier_offset() -> None:
    """Berlin's last rules in 12021: summer time from the last Sunday of March to the last
    Sunday of October, 02:00/03:00 local time."""
    spring, autumn = FeelDate(12021, 3, 28), FeelDate(12021, 10, 31)
    assert spring.weekday == autumn.weekday == 7
    gap = FeelDateTime.in_zone(spring, dt.time(2, 30), BERLIN)
    assert (gap.time, gap.offset) == (dt.time(3, 30), dt.timezone(dt.timedelta(hours=2)))
    overlap = FeelDateTime.in_zone(autumn, dt.time(2, 30), BERLIN)
    assert overlap.offset == dt.timezone(dt.timedelta(hours=2))
    later = FeelDateTime.in_zone(autumn, dt.time(2, 30), BERLIN,
                                 prefer=dt.timezone(dt.timedelta(hours=1)))
    assert later.offset == dt.timezone(dt.timedelta(hours=1))


def test_python_date_times_become_feel_date_times() -> None:
    assert FeelDateTime.from_python(dt.datetime(2024, 1, 2, 3, 4, 5)) == FeelDateTime(
        FeelDate(2024, 1, 2), dt.time(3, 4, 5))
    zoned = FeelDateTime.from_python(dt.datetime(2024, 7, 1, 12, tzinfo=BERLIN))
    assert (zoned.offset, zoned.zone) == (dt.timezone(dt.timedelta(hours=2)), BERLIN)
    fixed = FeelDateTime.from_python(dt.datetime(2024, 7, 1, 12, tzinfo=dt.timezone(dt.timedelta(hours=-5))))
    assert (fixed.offset_seconds, fixed.zone) == (-5 * 3600, None)
