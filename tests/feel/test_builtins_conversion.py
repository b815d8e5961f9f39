"""Conversion built-ins: date, time, date and time (incl. the timezone form), durations,
number with separators, string."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from zoneinfo import ZoneInfo

import pytest

from generator.feel import values
from generator.feel.builtins import conversion
from generator.feel.builtins.registry import StandaloneCallContext
from generator.feel.dates import FeelDate, FeelDateTime
from generator.feel.errors import SuppressedFailure
from generator.feel.temporal import (
    DayTimeDuration,
    FeelTime,
    YearMonthDuration,
    parse_date_time,
    parse_duration,
    parse_time,
)

CALL = StandaloneCallContext()
UTC = dt.UTC


def text(value) -> str:
    return values.to_string(value)


def test_date():
    assert conversion.date_from(CALL, "2012-12-25") == FeelDate(2012, 12, 25)
    assert conversion.date_from(CALL, parse_date_time("2012-12-25T11:00:00+01:00")) == FeelDate(2012, 12, 25)
    assert conversion.date_of(CALL, D(2012), D(12), D(25)) == FeelDate(2012, 12, 25)


@pytest.mark.parametrize("impl, args, message", [
    (conversion.date_from, ("2023-06-31",), "Failed to parse date from '2023-06-31'"),
    (conversion.date_of, (D(2023), D(2), D(29)), "Failed to parse date from: year=2023, month=2, day=29"),
    (conversion.date_from, (parse_time("10:00:00"),), "Illegal arguments: [10:00:00]"),
])
def test_date_failures(impl, args, message):
    with pytest.raises(SuppressedFailure) as caught:
        impl(CALL, *args)
    assert caught.value.message == f"Failed to invoke function 'date': {message}"


@pytest.mark.parametrize("value, expected", [
    ("T23:59:00", "23:59:00"), ("10:30:00@Europe/Berlin", "10:30:00@Europe/Berlin"),
    (parse_date_time("2012-12-25T11:00:00+01:00"), "11:00:00+01:00"),
    (parse_date_time("2012-12-25T11:00:00@Europe/Berlin"), "11:00:00@Europe/Berlin"),
    (parse_date_time("2012-12-25T11:00:00"), "11:00:00"),
    (FeelDate(2012, 12, 25), "00:00:00Z"),
])
def test_time_from(value, expected):
    assert text(conversion.time_from(CALL, value)) == expected


def test_time_of_parts():
    assert conversion.time_of(CALL, D(14), D(30), D("1.5")) == FeelTime(dt.time(14, 30, 1, 500000))
    assert text(conversion.time_with_offset(CALL, D(14), D(30), D(0), parse_duration("PT1H"))) == "14:30:00+01:00"
    assert text(conversion.time_with_offset(CALL, D(14), D(30), D(0), parse_duration("-PT5H30M"))) == "14:30:00-05:30"
    assert text(conversion.time_with_offset(CALL, D(14), D(30), D(0), None)) == "14:30:00"
    with pytest.raises(SuppressedFailure, match="hour=24"):
        conversion.time_of(CALL, D(24), D(0), D(0))


def test_date_and_time_from_text():
    assert conversion.date_and_time_from(CALL, "2012-12-24T23:59:00") == FeelDateTime(
        FeelDate(2012, 12, 24), dt.time(23, 59))
    assert conversion.date_and_time_from(CALL, "2012-12-24") == FeelDateTime(FeelDate(2012, 12, 24), dt.time())
    zoned = conversion.date_and_time_from(CALL, "2012-12-24T23:59:00@Europe/Berlin")
    assert zoned.zone == ZoneInfo("Europe/Berlin") and text(zoned) == "2012-12-24T23:59:00@Europe/Berlin"
    with pytest.raises(SuppressedFailure, match="Failed to parse date-time from '2023-02-29T10:00:00\\+02:00'"):
        conversion.date_and_time_from(CALL, "2023-02-29T10:00:00+02:00")


@pytest.mark.parametrize("day, time, expected", [
    (FeelDate(2012, 12, 24), parse_time("T23:59:00"), "2012-12-24T23:59:00"),
    (FeelDate(2012, 12, 24), parse_time("T23:59:00+01:00"), "2012-12-24T23:59:00+01:00"),
    (FeelDate(2012, 7, 24), parse_time("23:59:00@Europe/Berlin"), "2012-07-24T23:59:00@Europe/Berlin"),
    (parse_date_time("2012-12-24T10:24:00+01:00"), parse_time("T23:59:00"), "2012-12-24T23:59:00"),
    (parse_date_time("2012-12-24T10:24:00"), parse_time("23:59:00Z"), "2012-12-24T23:59:00Z"),
    # the Camunda form: a zone id converts a zoned date-time and places a local one
    (parse_date_time("2020-07-31T14:27:30@Europe/Berlin"), "Z", "2020-07-31T12:27:30Z"),
    (parse_date_time("2020-07-31T14:27:30+02:00"), "America/New_York", "2020-07-31T08:27:30@America/New_York"),
    (parse_date_time("2020-07-31T14:27:30"), "Europe/Berlin", "2020-07-31T14:27:30@Europe/Berlin"),
    (parse_date_time("2020-07-31T14:27:30"), "+05:00", "2020-07-31T14:27:30+05:00"),
])
def test_date_and_time_of_a_date_and_a_time_or_zone(day, time, expected):
    assert text(conversion.date_and_time_of(CALL, day, time)) == expected


@pytest.mark.parametrize("day, time", [
    (FeelDate(2012, 12, 24), "Europe/Berlin"), (parse_date_time("2020-07-31T14:27:30"), "Mars/Base"),
    ("2012-12-24", parse_time("10:00:00")),
])
def test_date_and_time_of_invalid_arguments(day, time):
    with pytest.raises(SuppressedFailure):
        conversion.date_and_time_of(CALL, day, time)


def test_duration():
    assert conversion.duration(CALL, "P1DT2H") == DayTimeDuration.of(days=1, hours=2)
    assert conversion.duration(CALL, "-P1Y2M") == YearMonthDuration(-14)
    with pytest.raises(SuppressedFailure, match="Failed to parse duration from 'P1H'"):
        conversion.duration(CALL, "P1H")


@pytest.mark.parametrize("start, end, expected", [
    (FeelDate(2020, 1, 1), FeelDate(2021, 3, 1), "P1Y2M"),
    (parse_date_time("2011-12-22T10:00:00"), parse_date_time("2013-08-24T10:00:00"), "P1Y8M"),
    (parse_date_time("2011-12-22T10:00:00+01:00"), FeelDate(2013, 8, 21), "P1Y7M"),
    (FeelDate(2021, 3, 1), FeelDate(2020, 1, 1), "-P1Y2M"),
])
def test_years_and_months_duration(start, end, expected):
    assert text(conversion.years_and_months_duration(CALL, start, end)) == expected


@pytest.mark.parametrize("impl, args, expected", [
    (conversion.number, ("12.5",), "12.5"), (conversion.number, ("-1E+3",), "-1E+3"),
    (conversion.number, (".5",), "0.5"), (conversion.number, ("1" * 40,), "1." + "1" * 33 + "E+39"),  # rounded to 34 digits
    (conversion.number_grouped, ("1,500", ","), "1500"),
    (conversion.number_grouped, ("1 000 000", " "), "1000000"),
    (conversion.number_separated, ("1.500,5", ".", ","), "1500.5"),
    (conversion.number_separated, ("1500,5", None, ","), "1500.5"),
    (conversion.number_separated, ("1,500", ",", None), "1500"),
])
def test_number(impl, args, expected):
    assert str(impl(CALL, *args)) == expected


@pytest.mark.parametrize("impl, args", [
    (conversion.number, ("abc",)), (conversion.number, (" 1",)), (conversion.number, ("NaN",)),
    (conversion.number, ("1_000",)), (conversion.number, (False,)),
    (conversion.number_grouped, ("1-500", "-")), (conversion.number_separated, ("1,5", ",", ",")),
    (conversion.number_separated, ("1 5", ",", " ")), (conversion.number_separated, ("15", None, None)),
])
def test_number_failures(impl, args):
    with pytest.raises(SuppressedFailure):
        impl(CALL, *args)


@pytest.mark.parametrize("value, expected", [
    (D("1.1"), "1.1"), ("hello", "hello"), (True, "true"), (None, None), (D(123), "123"),
    (FeelDate(2012, 12, 25), "2012-12-25"), (parse_duration("-PT0S"), "P0D"),
    ({"a": D(1), "b": [D(2), "x"]}, '{a:1, b:[2, "x"]}'),
])
def test_string(value, expected):
    assert conversion.string(CALL, value) == expected
