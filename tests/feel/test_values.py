"""FEEL value operations (generator.feel.values): arithmetic, equality, order, properties,
type names, string() text and the Python/JSON conversions, with feel-scala's results."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from generator.feel import values
from generator.feel.errors import SuppressedFailure
from generator.feel.temporal import (
    DayTimeDuration,
    FeelTime,
    YearMonthDuration,
    parse_date,
    parse_date_time,
    parse_duration,
    parse_time,
)
from generator.feel.values import Range


class Doubler(values.FeelFunction):
    params = ("a", "b")

    def invoke(self, call_context, args):
        return args[0] * 2


def failure(operation, *args) -> SuppressedFailure:
    with pytest.raises(SuppressedFailure) as caught:
        operation(*args)
    return caught.value


# --- numbers -----------------------------------------------------------------------------


def test_decimal_context_is_decimal128():
    assert values.DECIMAL.prec == 34
    assert values.add(D("0.1"), D("0.2")) == D("0.3")
    assert str(values.divide(D(1), D(3))) == "0." + "3" * 34
    assert str(values.divide(D(2), D(3))) == "0." + "6" * 33 + "7"


@pytest.mark.parametrize("x, y, text", [
    (D(10), D(4), "2.5"), (D(8), D(4), "2"), (D("1.0"), D(2), "0.5"), (D(-7), D(2), "-3.5"),
])
def test_division_keeps_the_exact_scale(x, y, text):
    assert str(values.divide(x, y)) == text


def test_division_by_zero_is_a_suppressed_invalid_type():
    error = failure(values.divide, D(1), D(0))
    assert (error.failure_type, error.message) == ("INVALID_TYPE", "Can't divide '1' by '0'")


def test_multiplication_keeps_scale_like_bigdecimal():
    assert str(values.multiply(D("1.5"), D(2))) == "3.0"
    assert str(values.subtract(D(5), D("2.50"))) == "2.50"


@pytest.mark.parametrize("x, y, expected", [
    (D(2), D(3), "8"), (D(2), D(-2), "0.25"), (D(2), D("3.1"), "8.574187700290345"),
    (D("1.5"), D(2), "2.25"), (D(10), D(0), "1"),
])
def test_power(x, y, expected):
    assert str(values.power(x, y)) == expected


def test_power_failures():
    assert failure(values.power, D(0), D(-1)).failure_type == "INVALID_TYPE"
    assert failure(values.power, D(-8), D("0.5")).failure_type == "INVALID_TYPE"
    assert failure(values.power, "2", D(2)).message == "Expected number but found '\"2\"'"


def test_negate():
    assert values.negate(D("1.5")) == D("-1.5")
    assert failure(values.negate, parse_duration("P1D")).failure_type == "INVALID_TYPE"


@pytest.mark.parametrize("x, y, message", [
    ("a", D(1), "Can't add '1' to '\"a\"'"),
    (None, D(1), "Can't add '1' to 'null'"),
    (True, D(1), "Can't add '1' to 'true'"),
    ([D(1)], [D(2)], "Can't add '[2]' to '[1]'"),
])
def test_add_type_mismatch(x, y, message):
    error = failure(values.add, x, y)
    assert (error.failure_type, error.message) == ("INVALID_TYPE", message)


def test_string_concatenation():
    assert values.add("Hello ", "World") == "Hello World"
    assert failure(values.subtract, "a", "b").message == "Can't subtract '\"b\"' from '\"a\"'"
    assert failure(values.multiply, "a", D(2)).message == "Can't multiply '\"a\"' by '2'"


# --- temporal arithmetic -------------------------------------------------------------------


@pytest.mark.parametrize("x, y, expected", [
    (parse_date("2012-12-25"), parse_date("2012-12-24"), "P1D"),
    (parse_date("2013-02-25"), parse_date("2012-12-24"), "P63D"),
    (parse_date("2024-03-01"), parse_date("2024-02-01"), "P29D"),
    (parse_date_time("2017-01-10T10:30:00"), parse_date_time("2017-01-01T10:00:00"), "P9DT30M"),
    (parse_date_time("2017-01-10T10:00:00"), parse_date_time("2017-01-10T10:30:00"), "-PT30M"),
    (parse_date_time("2017-01-10T10:30:00+01:00"), parse_date_time("2017-01-10T09:30:00Z"), "P0D"),
    # across a daylight-saving change the difference is the real elapsed time
    (parse_date_time("2021-03-28T12:00:00@Europe/Berlin"),
     parse_date_time("2021-03-27T12:00:00@Europe/Berlin"), "PT23H"),
    (parse_time("10:30:00"), parse_time("12:00:00"), "-PT1H30M"),
    (parse_time("10:00:00+01:00"), parse_time("12:00:00+01:00"), "PT2H"),  # feel-scala: absolute
    (parse_duration("P1D"), parse_duration("PT1H"), "PT23H"),
    (parse_duration("P1Y"), parse_duration("P1M"), "P11M"),
])
def test_subtraction_of_temporal_values(x, y, expected):
    assert values.to_string(values.subtract(x, y)) == expected


@pytest.mark.parametrize("x, y, expected", [
    (parse_date_time("2017-01-10T10:30:00"), parse_duration("P1Y"), "2018-01-10T10:30:00"),
    (parse_duration("PT1H"), parse_date_time("2017-01-10T10:30:00+01:00"), "2017-01-10T11:30:00+01:00"),
    (parse_duration("PT1H"), parse_date("2017-01-10"), "2017-01-10"),  # a date stays a date
    (parse_duration("P1D"), parse_date("2017-01-10"), "2017-01-11"),
    (parse_date("2024-01-31"), parse_duration("P1M"), "2024-02-29"),  # month end clamps
    (parse_date("2023-01-31"), parse_duration("P1M"), "2023-02-28"),
    (parse_date("2024-02-29"), parse_duration("P1Y"), "2025-02-28"),
    (parse_time("23:30:00"), parse_duration("PT1H"), "00:30:00"),  # wraps around midnight
    (parse_time("10:30:00"), parse_duration("P1D"), "10:30:00"),
    (parse_duration("PT1H"), parse_time("10:30:00+01:00"), "11:30:00+01:00"),
    (parse_duration("P2M"), parse_duration("P3M"), "P5M"),
    (parse_duration("P1Y"), parse_duration("P6M"), "P1Y6M"),
    (parse_duration("PT23H"), parse_duration("PT2H"), "P1DT1H"),
    # a period keeps the wall-clock time across daylight saving; an exact duration does not
    (parse_date_time("2021-03-27T12:00:00@Europe/Berlin"), parse_duration("P1D"),
     "2021-03-28T13:00:00@Europe/Berlin"),
    (parse_date_time("2021-02-28T12:00:00@Europe/Berlin"), parse_duration("P1M"),
     "2021-03-28T12:00:00@Europe/Berlin"),
])
def test_addition_of_temporal_values(x, y, expected):
    assert values.to_string(values.add(x, y)) == expected


@pytest.mark.parametrize("x, y, expected", [
    (parse_date("2017-01-10"), parse_duration("P1M"), "2016-12-10"),
    (parse_date("2017-01-10"), parse_duration("PT1H"), "2017-01-09"),
    (parse_date("2017-01-10"), parse_duration("P1DT1H"), "2017-01-08"),
    (parse_time("10:30:00+01:00"), parse_duration("PT1H"), "09:30:00+01:00"),
    (parse_date_time("2017-01-10T10:30:00+01:00"), parse_duration("P1M"), "2016-12-10T10:30:00+01:00"),
])
def test_subtracting_a_duration(x, y, expected):
    assert values.to_string(values.subtract(x, y)) == expected


def test_temporal_type_mismatches():
    assert failure(values.add, parse_time("10:00:00"), parse_duration("P1M")).failure_type == "INVALID_TYPE"
    assert failure(values.subtract, parse_date("2020-01-01"),
                   parse_date_time("2020-01-01T00:00:00")).failure_type == "INVALID_TYPE"
    assert failure(values.add, parse_date("999999999-12-31"), parse_duration("P1D")).failure_type == "INVALID_TYPE"


@pytest.mark.parametrize("operation, x, y, expected", [
    (values.multiply, parse_duration("P1M"), D(3), "P3M"),
    (values.multiply, D(3), parse_duration("P1D"), "P3D"),
    (values.multiply, parse_duration("PT1H"), D("2.9"), "PT2H"),  # the factor is truncated
    (values.divide, parse_duration("P1Y"), D(2), "P6M"),
    (values.divide, parse_duration("P1D"), D(4), "PT6H"),
    (values.divide, parse_duration("P1Y"), D(5), "P2M"),
])
def test_duration_scaling(operation, x, y, expected):
    assert values.to_string(operation(x, y)) == expected


def test_duration_divided_by_duration_is_an_integer_number():
    assert values.divide(parse_duration("P1D"), parse_duration("PT1H")) == D(24)
    assert values.divide(parse_duration("PT3H"), parse_duration("PT2H")) == D(1)
    assert values.divide(parse_duration("P1Y"), parse_duration("P5M")) == D(2)
    assert failure(values.divide, parse_duration("P1D"), parse_duration("PT0S")).failure_type == "INVALID_TYPE"


# --- equality and order --------------------------------------------------------------------


@pytest.mark.parametrize("x, y, expected", [
    (None, None, True), (D(1), None, False), (None, "a", False), (D(1), D("1.00"), True),
    ("a", "b", False), (True, True, True), ([D(1), D(2)], [D(1), D(2)], True),
    ([D(1)], [D(1), D(2)], False), ([D(1), "a"], [D(1), D(1)], False),
    ({"a": D(1), "b": D(2)}, {"b": D(2), "a": D(1)}, True), ({}, {"x": D(1)}, False),
    ({"x": D(1)}, {"x": True}, False), ([[D(1)]], [[D(1)]], True),
    (parse_duration("P1D"), parse_duration("PT24H"), True),
    (parse_duration("P1Y"), parse_duration("P12M"), True),
    (parse_time("10:00:00+01:00"), parse_time("10:00:00+01:00"), True),
    (parse_time("10:00:00+01:00"), parse_time("09:00:00Z"), False),
    # date-times with an offset or a zone are equal at the same instant (the DMN TCK's rule)
    (parse_date_time("2017-01-10T10:30:00+01:00"), parse_date_time("2017-01-10T09:30:00Z"), True),
    (parse_date_time("2017-01-10T10:30:00@Europe/Berlin"),
     parse_date_time("2017-01-10T10:30:00+01:00"), True),
    (parse_date_time("2017-01-10T10:30:00@Europe/Berlin"),
     parse_date_time("2017-01-10T10:30:00Z"), False),
])
def test_equal(x, y, expected):
    assert values.equal(x, y) is expected


@pytest.mark.parametrize("x, y", [
    (D(1), "1"), (D(1), True), ({}, D(1)), (D(1), parse_duration("P1D")),
    (parse_time("10:00:00"), parse_time("10:00:00+01:00")),
    (Range(D(1), D(2)), Range(D(1), D(2))),
])
def test_equal_across_types_is_not_comparable(x, y):
    error = failure(values.equal, x, y)
    assert error.failure_type == "NOT_COMPARABLE"
    assert values.equal_or_false(x, y) is False


@pytest.mark.parametrize("x, y, expected", [
    (D(1), D(2), -1), (D("2.0"), D(2), 0), ("b", "a", 1), ("a", "ab", -1),
    (parse_date("2017-01-10"), parse_date("2018-01-10"), -1),
    (parse_time("10:00:01"), parse_time("10:00:00"), 1),
    (parse_time("11:00:00+02:00"), parse_time("10:00:00+01:00"), 0),
    (parse_date_time("2017-01-10T10:30:00+01:00"), parse_date_time("2017-01-10T10:00:00Z"), -1),
    (parse_duration("P1Y2M"), parse_duration("P2M"), 1),
    (parse_duration("PT6H"), parse_duration("P1D"), -1),
    # Java orders strings by UTF-16 code units: an astral character sorts before U+FFFD
    ("\U0001F600", "\ufffd", -1),
])
def test_compare(x, y, expected):
    assert values.compare(x, y) == expected


@pytest.mark.parametrize("x, y", [
    (D(1), None), (None, None), (True, False), (D(1), "1"), ([D(1)], [D(2)]),
    (parse_date_time("2017-01-10T10:30:00"), parse_date_time("2017-01-10T10:30:00Z")),
    (parse_duration("P1M"), parse_duration("P30D")),
])
def test_compare_not_comparable(x, y):
    error = failure(values.compare, x, y)
    assert error.failure_type == "NOT_COMPARABLE"
    assert error.message.startswith("Can't compare ")


# --- properties ----------------------------------------------------------------------------


@pytest.mark.parametrize("value, name, expected", [
    (parse_date("2017-03-10"), "year", D(2017)), (parse_date("2020-09-30"), "weekday", D(3)),
    (parse_time("11:45:30+02:00"), "time offset", parse_duration("PT2H")),
    (parse_time("11:45:30+02:00"), "timezone", None),
    (parse_time("10:30:00@Europe/Paris"), "timezone", "Europe/Paris"),
    (parse_time("11:45:30"), "time offset", None), (parse_time("11:45:30"), "second", D(30)),
    (parse_date_time("2017-03-10T11:45:30+02:00"), "month", D(3)),
    (parse_date_time("2017-03-10T11:45:30@Europe/Berlin"), "timezone", "Europe/Berlin"),
    (parse_date_time("2017-03-10T11:45:30@Europe/Berlin"), "time offset", parse_duration("PT1H")),
    (parse_date_time("2017-03-10T11:45:30"), "hour", D(11)),
    (parse_duration("P2Y3M"), "years", D(2)), (parse_duration("-P14M"), "months", D(-2)),
    (parse_duration("P1DT2H10M30S"), "minutes", D(10)),
    (parse_duration("-PT26H"), "days", D(-1)), (parse_duration("-PT26H"), "hours", D(-2)),
    (Range(D(1), D(10), False, True), "start included", False),
    (Range(D(1), D(10), False, True), "end", D(10)),
    ({"a": D(1)}, "a", D(1)),
])
def test_get_property(value, name, expected):
    assert values.get_property(value, name) == expected


def test_missing_properties_and_entries():
    error = failure(values.get_property, parse_date("2020-09-30"), "seconds")
    assert (error.failure_type, error.message) == (
        "NO_PROPERTY_FOUND", ("No property found with name 'seconds' of value '2020-09-30'. "
        "Available properties: 'year', 'month', 'day', 'weekday'"))
    error = failure(values.get_property, {"a": D(1)}, "b")
    assert (error.failure_type, error.message) == (
        "NO_CONTEXT_ENTRY_FOUND", "No context entry found with key 'b'. Available keys: 'a'")
    assert failure(values.get_property, {}, "b").message.endswith("The context is empty")
    assert failure(values.get_property, None, "b").message.endswith("The context is null")
    assert failure(values.get_property, D(1), "b").failure_type == "NO_PROPERTY_FOUND"


def test_property_of_a_list_maps_over_the_items():
    reported = []
    result = values.get_property([{"a": D(1)}, {"b": D(2)}], "a", reported.append)
    assert result == [D(1), None]
    assert [f.failure_type for f in reported] == ["NO_CONTEXT_ENTRY_FOUND"]


# --- type names ----------------------------------------------------------------------------


@pytest.mark.parametrize("value, name", [
    (None, "null"), (D(1), "number"), (True, "boolean"), ("a", "string"),
    (parse_date("2020-01-01"), "date"), (parse_time("10:00:00"), "time"),
    (parse_time("10:00:00Z"), "time"), (parse_date_time("2020-01-01T10:00:00"), "date and time"),
    (parse_date_time("2020-01-01T10:00:00Z"), "date and time"),
    (parse_duration("P1D"), "days and time duration"),
    (parse_duration("P1Y"), "years and months duration"), ([], "list"), ({}, "context"),
    (Range(D(1), D(2)), "range"), (Doubler(), "function"),
])
def test_type_name(value, name):
    assert values.type_name(value) == name
    assert values.is_instance(value, name)


def test_is_instance_aliases_and_any():
    assert values.is_instance(parse_date_time("2020-01-01T10:00:00"), "date time")
    assert values.is_instance(parse_duration("P1Y"), "year-month-duration")
    assert values.is_instance(parse_duration("P1D"), "day-time-duration")
    assert values.is_instance(D(1), "Any") and not values.is_instance(None, "Any")
    assert not values.is_instance(None, "years and months duration")
    assert not values.is_instance(D(1), "context")


# --- text ----------------------------------------------------------------------------------


@pytest.mark.parametrize("value, text", [
    (D("1.1"), "1.1"), (D("1.0"), "1.0"), (D(-3), "-3"), (D("1E+3"), "1E+3"),
    (D("0.0000001"), "1E-7"), (D("0.000001"), "0.000001"), (True, "true"), ("hello", "hello"),
    ({}, "{}"), ({"a": D(1), "b": "x"}, '{a:1, b:"x"}'), ([D(1), "a", None], '[1, "a", null]'),
    (Range(D(1), D(10), False, True), "(1..10]"), (Doubler(), "function(a, b)"),
    (parse_date("2012-12-25"), "2012-12-25"),
    (parse_date_time("2012-12-25T11:00:00+02:00"), "2012-12-25T11:00:00+02:00"),
    (parse_date_time("2012-12-25T11:00:00.50Z"), "2012-12-25T11:00:00.5Z"),
    (parse_duration("PT0H"), "P0D"), (parse_duration("P0Y0M"), "P0Y"),
])
def test_to_string(value, text):
    assert values.to_string(value) == text


# --- conversion ----------------------------------------------------------------------------


def test_from_python():
    converted = values.from_python({"a": 1, "b": [2.5, True, None, (1, "x")], 3: 0.1})
    assert converted == {"a": D(1), "b": [D("2.5"), True, None, [D(1), "x"]], "3": D("0.1")}
    assert type(converted["b"][1]) is bool
    assert values.from_python(float("nan")) is None
    assert values.from_python(dt.time(10, 30, tzinfo=dt.UTC)) == FeelTime(
        dt.time(10, 30), dt.UTC)
    assert values.from_python(dt.timedelta(hours=1)) == DayTimeDuration.of(hours=1)
    with pytest.raises(TypeError, match="cannot use a set as a FEEL value"):
        values.from_python({1})


def test_to_json():
    assert values.to_json({"n": [D(2), D("2.5"), D("2.0"), D(2**70)], "s": "x", "b": False}) == {
        "n": [2, 2.5, 2, float(2**70)], "s": "x", "b": False}
    assert values.to_json(parse_duration("PT0S")) == "PT0S"
    assert values.to_json(parse_duration("P1DT2H")) == "PT26H"
    assert values.to_json(parse_duration("-PT1M30S")) == "PT-1M-30S"
    assert values.to_json(YearMonthDuration(0)) == "P0D"
    assert values.to_json(parse_duration("-P14M")) == "P-1Y-2M"
    assert values.to_json(parse_date_time("2019-08-12T22:22:22@Europe/Berlin")) == "2019-08-12T22:22:22+02:00"
    assert values.to_json(parse_time("10:30:00")) == "10:30:00"
    assert values.to_json(Range(D(1), D(10), False, True)) == "(1..10]"


@pytest.mark.parametrize("number, text", [
    (1000.0, "1000.0"), (0.1, "0.1"), (123.456, "123.456"), (12345678.0, "12345678"),
    (1e20, "1.0E+20"), (1e7, "1.0E+7"), (0.0001, "0.00010"), (1.5e-5, "0.000015"), (-2.5, "-2.5"),
    (0.0, "0.0"), (-0.0, "0.0"), (8.574187700290345, "8.574187700290345"),
])
def test_doubles_become_numbers_as_java_prints_them(number, text):
    # feel-scala: BigDecimal(Double.toString(d)); plain between 10^-3 and 10^7, else scientific
    assert values.to_string(values.java_double(number)) == text
    assert values.to_string(values.from_python(number)) == text


def test_results_beyond_decimal_exponents_are_suppressed_failures():
    huge = D("1E+999999999999999999")
    assert failure(values.multiply, huge, huge).failure_type == "INVALID_TYPE"
    assert failure(values.divide, huge, D("1E-999999999999999999")).failure_type == "INVALID_TYPE"
