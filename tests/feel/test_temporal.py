"""Temporal parsing, text and arithmetic (generator.feel.temporal) as feel-scala does them."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from generator.feel import temporal
from generator.feel.dates import FeelDate, FeelDateTime
from generator.feel.temporal import (
    DayTimeDuration,
    FeelTime,
    TemporalParseError,
    YearMonthDuration,
)

BERLIN = ZoneInfo("Europe/Berlin")


def date_time(*fields: int, tz: dt.tzinfo | None = None) -> FeelDateTime:
    return FeelDateTime.from_python(dt.datetime(*fields, tzinfo=tz))


def offset(hours: int, minutes: int = 0) -> dt.timezone:
    return dt.timezone(dt.timedelta(hours=hours, minutes=minutes))


# --- dates ---------------------------------------------------------------------------------


def test_parse_date():
    assert temporal.parse_date("2019-01-31") == FeelDate(2019, 1, 31)


@pytest.mark.parametrize("text", ["2023-02-29", "2023-06-31", "2019-1-31", "20190131", "2019-01-31T00:00:00", " 2019-01-31"])
def test_invalid_dates(text):
    with pytest.raises(TemporalParseError, match="Failed to parse date from"):
        temporal.parse_date(text)


# --- times ---------------------------------------------------------------------------------


@pytest.mark.parametrize("text, expected, text_form", [
    ("10:30:00", FeelTime(dt.time(10, 30)), "10:30:00"),
    ("T10:30", FeelTime(dt.time(10, 30)), "10:30:00"),
    ("10:30:00.25", FeelTime(dt.time(10, 30, 0, 250000)), "10:30:00.25"),
    ("10:30:00+01:00", FeelTime(dt.time(10, 30), offset(1)), "10:30:00+01:00"),
    ("10:30:00-05:30", FeelTime(dt.time(10, 30), offset(-5, -30)), "10:30:00-05:30"),
    ("10:30:00Z", FeelTime(dt.time(10, 30), dt.UTC), "10:30:00Z"),
    ("10:30:00@Europe/Berlin", FeelTime(dt.time(10, 30), offset(1), BERLIN), "10:30:00@Europe/Berlin"),
])
def test_parse_and_format_time(text, expected, text_form):
    parsed = temporal.parse_time(text)
    assert parsed == expected
    assert temporal.format_time(parsed) == text_form


def test_a_zoned_time_uses_the_standard_offset_even_in_summer():
    summer = dt.datetime(2024, 7, 1, tzinfo=dt.UTC)
    assert temporal.standard_offset(BERLIN, summer) == offset(1)


@pytest.mark.parametrize("text", ["25:00:00", "10:61:00", "10:30:00@Mars/Base", "10:30:00+1:00", "1030"])
def test_invalid_times(text):
    with pytest.raises(TemporalParseError):
        temporal.parse_time(text)


# --- date-times ----------------------------------------------------------------------------


@pytest.mark.parametrize("text, expected, text_form", [
    ("2019-08-12T22:22:22", date_time(2019, 8, 12, 22, 22, 22), "2019-08-12T22:22:22"),
    ("2019-08-12", date_time(2019, 8, 12), "2019-08-12T00:00:00"),
    ("2019-08-12T22:22", date_time(2019, 8, 12, 22, 22), "2019-08-12T22:22:00"),
    ("2019-08-12T22:22:22+02:00", date_time(2019, 8, 12, 22, 22, 22, tz=offset(2)),
     "2019-08-12T22:22:22+02:00"),
    ("2019-08-12T22:22:22Z", date_time(2019, 8, 12, 22, 22, 22, tz=dt.UTC),
     "2019-08-12T22:22:22Z"),
    ("2019-08-12T22:22:22@Europe/Berlin", date_time(2019, 8, 12, 22, 22, 22, tz=BERLIN),
     "2019-08-12T22:22:22@Europe/Berlin"),
])
def test_parse_and_format_date_time(text, expected, text_form):
    parsed = temporal.parse_date_time(text)
    assert parsed == expected
    assert temporal.format_date_time(parsed) == text_form


def test_a_zoned_time_in_a_daylight_saving_gap_moves_forward():
    parsed = temporal.parse_date_time("2021-03-28T02:30:00@Europe/Berlin")
    assert temporal.format_date_time(parsed) == "2021-03-28T03:30:00@Europe/Berlin"
    assert parsed.offset == offset(2)


def test_an_ambiguous_zoned_time_takes_the_earlier_offset():
    parsed = temporal.parse_date_time("2021-10-31T02:30:00@Europe/Berlin")
    assert parsed.offset == offset(2)


@pytest.mark.parametrize("text", ["2023-02-29T10:00:00+02:00", "2023-06-31T10:00:00", "2019-08-12T24:00:01",
                                  "2019-08-12 10:00:00", "2019-08-12T10:00:00+02:00@Europe/Berlin"])
def test_invalid_date_times(text):
    with pytest.raises(TemporalParseError):
        temporal.parse_date_time(text)


# --- durations -----------------------------------------------------------------------------


@pytest.mark.parametrize("text, expected, text_form, iso", [
    ("P1Y2M", YearMonthDuration(14), "P1Y2M", "P1Y2M"),
    ("P14M", YearMonthDuration(14), "P1Y2M", "P1Y2M"),
    ("-P1Y2M", YearMonthDuration(-14), "-P1Y2M", "P-1Y-2M"),
    ("P-1Y2M", YearMonthDuration(-10), "-P10M", "P-10M"),
    ("P0Y0M", YearMonthDuration(0), "P0Y", "P0D"),
    ("P2M", YearMonthDuration(2), "P2M", "P2M"),
    ("P1DT2H", DayTimeDuration.of(days=1, hours=2), "P1DT2H", "PT26H"),
    ("PT90M", DayTimeDuration.of(minutes=90), "PT1H30M", "PT1H30M"),
    ("PT-5M", DayTimeDuration.of(minutes=-5), "-PT5M", "PT-5M"),
    ("-PT2M30S", DayTimeDuration.of(minutes=-2, seconds=-30), "-PT2M30S", "PT-2M-30S"),
    ("-PT0S", DayTimeDuration(0), "P0D", "PT0S"),
    ("P0DT0H0M0S", DayTimeDuration(0), "P0D", "PT0S"),
    ("PT1.5S", DayTimeDuration(1_500_000_000), "PT1S", "PT1.5S"),
    ("-PT0.5S", DayTimeDuration(-500_000_000), "-PT1S", "PT-0.5S"),  # Java: seconds floor
    ("P1D", DayTimeDuration.of(days=1), "P1D", "PT24H"),
])
def test_parse_and_format_durations(text, expected, text_form, iso):
    parsed = temporal.parse_duration(text)
    assert parsed == expected
    assert str(parsed) == text_form
    iso_form = (temporal.iso_day_time_duration if isinstance(parsed, DayTimeDuration)
                else temporal.iso_year_month_duration)(parsed)
    assert iso_form == iso


@pytest.mark.parametrize("text", ["P", "PT", "P1DT", "1D", "P1H", "PT1D", "P1.5Y", "p1d", ""])
def test_invalid_durations(text):
    with pytest.raises(TemporalParseError):
        temporal.parse_duration(text)


def test_day_time_duration_components_follow_java():
    negative = DayTimeDuration.of(days=-1, hours=-2, minutes=-3, seconds=-4)
    assert (negative.days, negative.hours, negative.minutes, negative.seconds) == (-1, -2, -3, -4)
    assert DayTimeDuration(-500_000_000).whole_seconds == -1  # Java: seconds floor, nanos >= 0
    assert DayTimeDuration.of(seconds=90).millis == 90_000


# --- literals ------------------------------------------------------------------------------


@pytest.mark.parametrize("text, expected", [
    ("2024-01-02", FeelDate(2024, 1, 2)),
    ("10:30:00", FeelTime(dt.time(10, 30))),
    ("2024-01-02T10:30:00", date_time(2024, 1, 2, 10, 30)),
    ("P1D", DayTimeDuration.of(days=1)),
    ("-P1Y", YearMonthDuration(-12)),
    ("2023-02-29", None), ("2023-06-31T10:00:00+02:00", None), ("nonsense", None),
])
def test_parse_literal(text, expected):
    assert temporal.parse_literal(text) == expected


# --- arithmetic helpers --------------------------------------------------------------------


@pytest.mark.parametrize("start, end, months", [
    (FeelDate(2011, 12, 22), FeelDate(2013, 8, 24), 20), (FeelDate(2020, 1, 31), FeelDate(2020, 2, 29), 0),
    (FeelDate(2020, 1, 1), FeelDate(2021, 3, 1), 14), (FeelDate(2021, 3, 1), FeelDate(2020, 1, 2), -13),
])
def test_months_between(start, end, months):
    assert temporal.months_between(start, end) == months


def test_add_months_clamps_and_keeps_the_zone():
    assert temporal.add_months(FeelDate(2020, 3, 31), -1) == FeelDate(2020, 2, 29)
    moved = temporal.add_months(date_time(2021, 2, 28, 12, tz=BERLIN), 1)
    assert moved == date_time(2021, 3, 28, 12, tz=BERLIN) and moved.offset == offset(2)


def test_date_times_with_an_offset_or_a_zone_are_identified_by_their_instant():
    early = temporal.parse_date_time("2020-01-01T10:00:00+01:00")
    same_instant = temporal.parse_date_time("2020-01-01T09:00:00Z")
    later = temporal.parse_date_time("2020-01-01T10:00:00@Europe/London")
    assert same_instant.identity == early.identity < later.identity
