"""FEEL language behaviours of the DMN TCK cases Camunda passes (issue 16): names with spaces,
ranges as values, 24:00:00, zoned date-time equality, Java's zoned text, calls of values that
are no functions, variadic built-ins without arguments, and a million-number `for`.

Each test names where the expected value comes from: feel-scala's sources
(`src/main/scala/org/camunda/feel/impl/...`, Apache-2.0), Camunda's DMN engine (dmn-scala) or the
DMN TCK, where feel-scala's own tests have no case.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from generator.feel import FeelSyntaxError, FeelWarning, evaluate, parse, to_json
from generator.feel.dates import FeelDate
from generator.feel.values import Range

D = Decimal


def outcome(text: str, variables: dict[str, object] | None = None) -> tuple[object, list[str]]:
    warnings: list[FeelWarning] = []
    value = evaluate(text, variables, warnings=warnings)
    return value, [f"{warning.failure_type}: {warning.message}" for warning in warnings]


# ---- names with spaces ------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ('"Hello " + Full Name', "Hello Joe"),
    ("Monthly Salary * 12", D(120000)),
    ("Employment Status = \"EMPLOYED\"", True),
    ("if Monthly Salary > 5000 then Full Name else null", "Joe"),
    ("applicant.Credit Score.value", D(700)),
    ("{Yearly Income: Monthly Salary * 12}.Yearly Income", D(120000)),
])
def test_names_with_spaces_need_no_quotes(text: str, expected: object) -> None:
    """DMN TCK 0001-input-data-string / 0002-input-data-number: names such as `Full Name`,
    `Monthly Salary` are written as they are; a run of words that are no reserved words is one
    name (feel-scala: `identifierWithWhitespaces` in FeelParser.scala, Camunda's DMN engine
    escapes such names before parsing)."""
    variables = {"Full Name": "Joe", "Monthly Salary": 10000, "Employment Status": "EMPLOYED",
                 "applicant": {"Credit Score": {"value": 700}}}
    assert outcome(text, variables) == (expected, [])


def test_names_with_reserved_words_or_dashes_are_read_as_the_variables_they_name() -> None:
    """dmn-scala's DmnParser (`escapeNamesInExpression`) writes names with spaces or dashes in
    backticks before feel-scala parses them, so `Date of Birth` (`of` is a reserved word) and
    `Loan-Amount` (else a subtraction) are variables; text inside strings is left alone."""
    variables = {"Date of Birth": "2000-05-01", "Loan-Amount": 5, "a": 1}
    assert outcome("date(Date of Birth).year", variables) == (D(2000), [])
    assert outcome("Loan-Amount * 2 - a", variables) == (D(9), [])
    assert outcome('"Loan-Amount: " + string(Loan-Amount)', variables) == ("Loan-Amount: 5", [])


def test_a_name_with_spaces_is_one_node_in_the_tree() -> None:
    tree = parse("Monthly Salary * 12").tree
    assert tree.left.name == "Monthly Salary"  # type: ignore[attr-defined]
    with pytest.raises(FeelSyntaxError, match="1:3: unexpected '1'"):
        parse("a 1")


# ---- ranges -----------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("[1..10]", Range(D(1), D(10), True, True)),
    ("(1..10]", Range(D(1), D(10), False, True)),
    ("]1..10[", Range(D(1), D(10), False, False)),
    ("[1..10].start", D(1)),
    ("[1..10].end", D(10)),
    ("(1..10].start included", False),
    ("[1..10).end included", False),
    ("[date(\"2020-01-01\")..date(\"2020-12-31\")].end", FeelDate(2020, 12, 31)),
    ("(> 10).start", D(10)),
    ("(> 10).end", None),
    ("(> 10).start included", False),
    ("(>= 10).start included", True),
    ("(< 10).end", D(10)),
    ("(<= 10).end included", True),
    ("(< 10).start", None),
    ("5 in [1..10]", True),
    ("before([1..5], 10)", True),
])
def test_ranges_are_values_with_properties(text: str, expected: object) -> None:
    """feel-scala evaluates a range literal to a range value (FeelInterpreter.scala:
    `case range: ConstRange => toRange(range)`); its properties `start`, `end`, `start included`,
    `end included` and the open-ended `< x` / `> x` ranges are DMN 1.4's (the DMN TCK's range cases)."""
    assert outcome(text) == (expected, [])


def test_arithmetic_on_a_range_is_null_with_a_warning() -> None:
    """DMN TCK: `10 * [1..10]` is null, not a syntax error (feel-scala's mulOp: INVALID_TYPE)."""
    assert outcome("10 * [1..10]") == (None, ["INVALID_TYPE: Can't multiply '10' by '[1..10]'"])
    assert to_json(evaluate("[1..10)")) == "[1..10)"


# ---- temporal ---------------------------------------------------------------------------------

def test_24_00_00_is_the_midnight_that_ends_the_day() -> None:
    """DMN TCK: `T24:00:00` is the next day's 00:00:00."""
    assert to_json(evaluate('date and time("2012-12-24T24:00:00")')) == "2012-12-25T00:00:00"
    assert to_json(evaluate('time("24:00:00")')) == "00:00:00"
    assert to_json(evaluate('@"2012-12-31T24:00:00+01:00"')) == "2013-01-01T00:00:00+01:00"
    assert outcome('time("24:00:01")')[0] is None


def test_date_times_with_an_offset_or_a_zone_are_equal_at_the_same_instant() -> None:
    """DMN TCK: equal instants are equal date-times, whether written with an
    offset or a zone id (feel-scala's ValComparator.scala compares with Java's
    ZonedDateTime.equals, which also compares the zone id: etk follows the TCK here)."""
    same = ('date and time("2018-10-08T00:00:00+02:00") = '
            'date and time("2018-10-08T00:00:00@Europe/Paris")')
    assert outcome(same) == (True, [])
    other = ('date and time("2018-10-08T00:00:00+01:00") = '
             'date and time("2018-10-08T00:00:00@Europe/Paris")')
    assert outcome(other) == (False, [])
    assert outcome('date and time("2018-10-08T00:00:00") = '
                   'date and time("2018-10-08T00:00:00Z")')[0] is None  # local vs zoned


# feel-scala's date text: `org/camunda/package.scala` (feel-scala 1.17+) reads and writes the year
# with `appendValue(YEAR, 4, 9, SignStyle.NORMAL)` under ResolverStyle.STRICT, after the pattern
# `-?([1-9]\d{0,4})?\d{4}-[01][0-9]-[0-3]\d`: 4 to 9 digits, a minus only for negative years,
# never a plus. java.time's own ISO text (`LocalDate.toString()`, what Jackson writes into the
# connector's JSON) puts a plus before years beyond 9999.

@pytest.mark.parametrize("text, expected", [
    ('date(-2017,12,31)', "-2017-12-31"),
    ('date(-2017,01,01)', "-2017-01-01"),
    ('date("-2017-12-31")', "-2017-12-31"),
    ('string(date("999999999-12-31"))', "999999999-12-31"),
    ('string(date("-999999999-12-31"))', "-999999999-12-31"),
    ('string(date(999999999,12,31))', "999999999-12-31"),
    ('string(date(-999999999,12,31))', "-999999999-12-31"),
    ('date and time("-2017-12-31T11:22:33")', "-2017-12-31T11:22:33"),
    ('string(date and time("99999-12-31T11:22:33"))', "99999-12-31T11:22:33"),
    ('string(date and time("-99999-12-31T11:22:33"))', "-99999-12-31T11:22:33"),
    ('date and time("-2017-12-31T11:22:33.456+01:35")', "-2017-12-31T11:22:33.456+01:35"),
    ('string(date("0000-01-01") - @"P1D")', "-0001-12-31"),
])
def test_negative_and_large_years(text: str, expected: str) -> None:
    """DMN TCK 1115-feel-date-function (cases 013-016, 027-030) and
    1117-feel-date-and-time-function (010-012, 022): years from -999,999,999 to 999,999,999, as
    java.time's LocalDate holds them, written as feel-scala's formatter writes them (above)."""
    assert outcome(f"string({text})") == (expected, [])


@pytest.mark.parametrize("text", [
    'date("9999999999-12-25")', 'date("998-12-31")', 'date("01211-12-31")', 'date("+2012-12-02")',
    'date(-1000999999,12,01)', 'date(1000999999,12,32)', 'date("-0000-01-01")',
    'date and time("9999999999-12-27T11:22:33")', 'date and time("+99999-12-01T11:22:33")',
    'date and time("998-12-31T11:22:33")',
])
def test_years_feel_scala_refuses_are_null(text: str) -> None:
    """DMN TCK 1115 (ErrorCase 035, 038, 039, 041, 046, 047) and 1117 (ErrorCase 061, 066, 068):
    fewer than 4 or more than 9 digits, a leading zero before a fifth digit, a plus sign, a year
    beyond java.time's are no dates; `-0000` neither (Java's strict parsing refuses minus zero)."""
    value, warnings = outcome(text)
    assert value is None and len(warnings) == 1


def test_arithmetic_and_properties_of_negative_and_large_years() -> None:
    """DMN TCK 0100-arithmetic `add_lhs_dateAndTime_to_rhs_ymDuration_010`:
    `@"-2021-01-01T10:10:10+11:00" + @"P1M"` is `-2021-02-01T10:10:10+11:00`; the rest is
    java.time's arithmetic on the proleptic Gregorian calendar (year 0 is 1 BC, a leap year)."""
    assert to_json(evaluate('@"-2021-01-01T10:10:10+11:00" + @"P1M"')) == "-2021-02-01T10:10:10+11:00"
    assert to_json(evaluate('@"-2021-01-01T10:10:10+11:00" - @"P1M"')) == "-2022-12-01T10:10:10+11:00"
    assert to_json(evaluate('@"-2021-01-01T10:10:10+11:00" + @"P1Y"')) == "-2020-01-01T10:10:10+11:00"
    assert to_json(evaluate('date("0000-02-28") + @"P1D"')) == "0000-02-29"
    assert to_json(evaluate('date("9999-12-31") + @"P1D"')) == "+10000-01-01"
    assert to_json(evaluate('date("10000-01-01") - date("9999-12-31")')) == "PT24H"
    # 4,042 years: ten 400-year cycles of 146,097 days and 1979-01-01 to 2021-01-01
    days = 10 * 146_097 + (dt.date(2021, 1, 1) - dt.date(1979, 1, 1)).days
    assert to_json(evaluate('date("2021-01-01") - date("-2021-01-01")')) == f"PT{days * 24}H"
    assert evaluate('date("-2021-01-01") < date("2021-01-01")') is True
    assert evaluate('@"-0001-12-31T23:00:00Z" = @"0000-01-01T01:00:00+02:00"') is True
    # weekdays repeat every 400 years: as 383-12-31 and 9600-01-01
    assert evaluate('date("-2017-12-31").weekday') == D(dt.date(383, 12, 31).isoweekday())
    assert evaluate('day of week(date(10000, 1, 1))') == dt.date(9600, 1, 1).strftime("%A")
    assert evaluate('date(-2017, 12, 31).year') == D(-2017)
    assert evaluate('years and months duration(date("-0001-03-31"), date("0001-02-28"))') == \
        evaluate('duration("P1Y10M")')
    assert outcome('date(999999999, 12, 31) + @"P1D"') == (None, [(
        "INVALID_TYPE: The result of '999999999-12-31' + 'P1D' is out of range "
        "(years -999999999 to 999999999)")])


def test_zones_in_negative_and_large_years_follow_java_time() -> None:
    """java.time's ZoneRules: before a zone's first transition its first offset applies (Berlin's
    local mean time, +00:53:28 in the tz database), after the last one its last rules (summer
    time in July of 12012). feel-scala writes the zone id, Jackson the offset."""
    ancient_text = 'date and time("-2012-12-24T23:59:00@Europe/Berlin")'
    ancient = evaluate(ancient_text)
    assert (to_json(ancient), evaluate(f"string({ancient_text})")) == (
        "-2012-12-24T23:59:00+00:53:28", "-2012-12-24T23:59:00@Europe/Berlin")
    future = evaluate('date and time("12012-07-24T23:59:00@Europe/Berlin")')
    assert to_json(future) == "+12012-07-24T23:59:00+02:00"
    assert to_json(evaluate('date and time("12012-01-24T23:59:00@Europe/Berlin")')) == \
        "+12012-01-24T23:59:00+01:00"
    assert to_json(evaluate('date and time(date and time("-2012-12-24T23:59:00Z"), "Asia/Tokyo")')) == \
        "-2012-12-25T09:17:59+09:18:59"  # Tokyo's local mean time


def test_java_zoned_date_time_text_is_a_date_and_time() -> None:
    """`ZonedDateTime.toString()` (`...+02:00[Europe/Berlin]`), as Java hands date-times over, is
    read as the zoned date-time it names; the offset decides an overlap at a DST change."""
    value = evaluate('date and time("2023-06-14T14:55:00+02:00[Europe/Berlin]")')
    assert to_json(value) == "2023-06-14T14:55:00+02:00"
    assert evaluate('date and time("2023-06-14T14:55:00+02:00[Europe/Berlin]").timezone') == \
        "Europe/Berlin"
    late = evaluate('date and time("2023-10-29T02:30:00+01:00[Europe/Berlin]")')
    assert to_json(late) == "2023-10-29T02:30:00+01:00"
    assert outcome('date and time("2023-06-14T14:55:00@Europe/Berlin[Europe/Berlin]")')[0] is None


# ---- functions --------------------------------------------------------------------------------

@pytest.mark.parametrize("text, warning", [
    ('"abs"(-1)', "INVALID_TYPE: Expected function but found '\"abs\"'"),
    ("null()", "INVALID_TYPE: Expected function but found 'null'"),
    ("123()", "INVALID_TYPE: Expected function but found '123'"),
])
def test_invoking_a_value_that_is_no_function_is_null_with_a_warning(text: str, warning: str) -> None:
    """DMN TCK: `null()`, `"abs"(-1)`, `123()` are null, not syntax errors (feel-scala's
    `withFunction` in FeelInterpreter.scala: "Expected function but found ...")."""
    assert outcome(text) == (None, [warning])


def test_any_function_value_can_be_invoked() -> None:
    assert outcome("(function(x) x + 1)(2)") == (D(3), [])
    assert outcome("{f: function(a, b) a - b}.f(b: 1, a: 5)") == (D(4), [])
    assert outcome("[function(x) x * 2][1](21)") == (D(42), [])


@pytest.mark.parametrize("name", ["all", "any", "mode", "min", "max", "sum", "mean", "concatenate"])
def test_variadic_built_ins_without_arguments_are_null(name: str) -> None:
    """feel-scala: a function of variadic arguments only needs one (DMN TCK: `all()` is null);
    the list form still works (`all([])` is true)."""
    value, warnings = outcome(f"{name}()")
    assert value is None
    assert warnings == [f"NO_FUNCTION_FOUND: No function found with name '{name}' and 0 parameters"]
    assert outcome("all([])") == (True, [])
    assert outcome("append([1])") == ([D(1)], [])


# ---- iteration --------------------------------------------------------------------------------

def test_a_for_over_a_million_numbers_runs() -> None:
    """feel-scala returns 1000001 for `count(for x in 0..1000000 return x)` (FeelInterpreter.scala:
    `IterationContext` makes the whole range); etk iterates the range without building it."""
    assert evaluate("count(for x in 0..1000000 return x)") == D(1000001)


def test_partial_keeps_the_value_it_had_when_it_escapes() -> None:
    """`partial` is the list of results so far (FeelInterpreter.scala, `For`): a loop that keeps
    it (in its result or a function) sees each iteration's own list."""
    assert evaluate("for i in 1..5 return if i = 1 then 1 else partial[-1] * i") == [
        D(1), D(2), D(6), D(24), D(120)]
    assert evaluate("for i in 1..3 return partial") == [[], [[]], [[], [[]]]]
    assert evaluate("(for i in 1..3 return function() count(partial))[3]()") == D(2)
