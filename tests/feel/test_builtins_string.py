"""String built-ins and the Java-regex translation they use."""

from __future__ import annotations

import re
from decimal import Decimal as D

import pytest

from generator.feel.builtins import string
from generator.feel.builtins.regex import (
    PatternError,
    compile_java,
    java_replacement,
    java_split,
)
from generator.feel.builtins.registry import StandaloneCallContext
from generator.feel.errors import SuppressedFailure

CALL = StandaloneCallContext()


@pytest.mark.parametrize("args, expected", [
    (("foobar", D(3)), "obar"), (("foobar", D(-2)), "ar"), (("foobar", D(1)), "foobar"),
    (("abc", D(4)), ""), (("foobar", D("3.9")), "obar"),
])
def test_substring(args, expected):
    assert string.substring(CALL, *args) == expected


@pytest.mark.parametrize("args, expected", [
    (("foobar", D(3), D(3)), "oba"), (("abc", D(1), D(4)), "abc"), (("abc", D(2), D(4)), "bc"),
    (("abc", D(4), D(4)), ""), (("foobar", D(-3), D(2)), "ba"),
])
def test_substring_with_length(args, expected):
    assert string.substring_of_length(CALL, *args) == expected


@pytest.mark.parametrize("args", [("abc", D(5)), ("abc", D(-4)), ("abc", None), (None, D(1)), (1, D(1))])
def test_substring_out_of_range_or_wrong_types(args):
    with pytest.raises(SuppressedFailure, match="^Failed to invoke function 'substring': ") as caught:
        string.substring(CALL, *args)
    assert caught.value.failure_type == "FUNCTION_INVOCATION_FAILURE"


def test_simple_string_functions():
    assert string.string_length(CALL, "hello") == D(5)
    assert string.upper_case(CALL, "aBcß") == "ABCSS"
    assert string.lower_case(CALL, "ABC") == "abc"
    assert string.substring_before(CALL, "foobar", "bar") == "foo"
    assert string.substring_before(CALL, "foobar", "foo") == ""
    assert string.substring_before(CALL, "foobar", "x") == ""
    assert string.substring_after(CALL, "foobar", "ob") == "ar"
    assert string.substring_after(CALL, "foo", "") == "foo"
    assert string.substring_after(CALL, "", "a") == ""
    assert string.contains(CALL, "foobar", "oba") is True
    assert string.starts_with(CALL, "foobar", "ba") is False
    assert string.ends_with(CALL, "foobar", "r") is True


def test_upper_case_of_null_is_an_invocation_failure():
    with pytest.raises(SuppressedFailure) as caught:
        string.upper_case(CALL, None)
    assert caught.value.message == "Failed to invoke function 'upper case': Illegal arguments: [null]"


@pytest.mark.parametrize("args, expected", [
    (("abc", "b", "x"), "axc"),
    (("0123456789", r"(\d{3})(\d{3})(\d{4})", "($1) $2-$3"), "(012) 345-6789"),
    (("abcd", "(ab)|(a)", "[1=$1][2=$2]"), "[1=ab][2=]cd"),
    (("a.b", r"\.", r"\$"), "a$b"),
    (("John Smith", r"(?<first>\w+) (?<last>\w+)", "${last}, ${first}"), "Smith, John"),
    (("abc", "x*", "-"), "-a-b-c-"),
    (("Hello", r"\Q.\E|l", "_"), "He__o"),
])
def test_replace(args, expected):
    assert string.replace(CALL, *args) == expected


def test_replace_with_flags():
    assert string.replace_with_flags(CALL, "Abc abc", "a", "x", "i") == "xbc xbc"
    assert string.replace_with_flags(CALL, "a\nb", "^b", "x", "m") == "a\nx"
    assert string.replace_with_flags(CALL, "a\nb", "a.b", "x", "s") == "x"


@pytest.mark.parametrize("pattern, replacement", [("([a-z)", "$1"), ("(a)", "$2"), ("a", "x\\")])
def test_replace_with_a_broken_pattern_or_replacement(pattern, replacement):
    with pytest.raises(SuppressedFailure, match="Invalid pattern"):
        string.replace(CALL, "abc", pattern, replacement)


def test_matches_finds_anywhere():
    assert string.matches(CALL, "foobar", "^fo*b") is True
    assert string.matches(CALL, "foobar", "^fo*z") is False
    assert string.matches(CALL, "foobar", "oba") is True
    assert string.matches_with_flags(CALL, "FOO", "foo", "i") is True
    with pytest.raises(SuppressedFailure, match="Invalid pattern '\\[a-z'"):
        string.matches(CALL, "abc", "[a-z")


@pytest.mark.parametrize("text, delimiter, expected", [
    ("John Doe", r"\s", ["John", "Doe"]), ("a;b;c;;", ";", ["a", "b", "c", "", ""]),
    (";a", ";", ["", "a"]), ("abc", "", ["a", "b", "c", ""]), ("abc", "x", ["abc"]),
    ("a1b22c", r"\d+", ["a", "b", "c"]),
])
def test_split(text, delimiter, expected):
    assert string.split(CALL, text, delimiter) == expected


def test_extract():
    assert string.extract(CALL, "references are 1234, 1256, 1378", "12[0-9]*") == ["1234", "1256"]
    assert string.extract(CALL, "nothing", "fo[a-z]*") == []
    with pytest.raises(SuppressedFailure):
        string.extract(CALL, "abc", "[a-z")


@pytest.mark.parametrize("text, expected", [
    ("  hello world  ", "hello world"), (" hello   world ", "hello   world"), ("\t\na\r", "a"),
    ("\u00a0a\u00a0", "\u00a0a\u00a0"),  # Java's trim() only removes chars <= U+0020
])
def test_trim(text, expected):
    assert string.trim(CALL, text) == expected


@pytest.mark.parametrize("text, expected", [("", True), ("  \t\n", True), (" hello world ", False), ("\u00a0", False)])
def test_is_blank(text, expected):
    assert string.is_blank(CALL, text) is expected


def test_uuid_is_a_version_7_uuid():
    first, second = string.uuid(CALL), string.uuid(CALL)
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", first)
    assert first != second


def test_base64():
    assert string.to_base64(CALL, "FEEL") == "RkVFTA=="
    assert string.to_base64(CALL, "Camunda") == "Q2FtdW5kYQ=="
    assert string.to_base64(CALL, "ä") == "w6Q="
    assert string.from_base64(CALL, "RkVFTA==") == "FEEL"
    assert string.from_base64(CALL, "RkVFTA") == "FEEL"  # Java's decoder allows missing padding
    assert string.from_base64(CALL, "w6Q=") == "ä"


@pytest.mark.parametrize("text", ["!!!", "RkVFTA=", "R", "RkVF TA=="])
def test_from_base64_rejects_invalid_text(text):
    with pytest.raises(SuppressedFailure, match="is not valid base64"):
        string.from_base64(CALL, text)


# --- regex translation ---------------------------------------------------------------------


@pytest.mark.parametrize("pattern, text, expected", [
    (r"\p{L}+", "Äbc1", "Äbc"), (r"\p{Lu}", "aÄb", "Ä"), (r"[\p{N}x]+", "x١2a", "x١2"),
    (r"\P{L}+", "ab12cd", "12"), (r"\p{Alpha}+", "abÄ", "ab"), (r"\p{IsAlphabetic}+", "äb1", "äb"),
    (r"\p{Punct}", "a,b", ","), (r"[^\p{Digit}]+", "12ab3", "ab"), (r"\pL", "1a", "a"),
    (r"\h+", "a \tb", " \t"), (r"(?<year>\d{4})-\k<year>", "2020-2020", "2020-2020"),
    (r"\x{41}", "A", "A"), (r"a\z", "a", "a"), (r"[]a]+", "]a]", "]a]"), (r"\w+", "äbc", "bc"),
    # Unicode properties stay Unicode inside a class, the class's \d stays ASCII
    (r"\p{IsLatin}+", "1éa", "éa"), (r"[\p{Lu}\d]+", "xÄ1١", "Ä1"), (r"[^\p{L}\s]+", "a 1١b", "1١"),
    # possessive quantifiers and atomic groups (Java syntax the regex module speaks natively)
    (r"a++b|a", "aa", "a"), (r"(?>a+)b", "aab", "aab"), (r"\e", "\x1b", "\x1b"),
])
def test_java_pattern_translation(pattern, text, expected):
    assert compile_java(pattern).search(text).group(0) == expected


def test_java_end_of_input_anchors():
    assert compile_java(r"a\Z").search("a\n") is not None
    assert compile_java(r"a\z").search("a\n") is None


@pytest.mark.parametrize("pattern", [r"\p{javaLowerCase}", r"\p{NoSuchProperty}", "[a-z", r"[a[b]]",
                                     r"\x{zz}", r"\k<unclosed"])
def test_unsupported_or_invalid_patterns(pattern):
    with pytest.raises(PatternError):
        compile_java(pattern)


def test_java_replacement_group_numbers_stop_at_the_group_count():
    pattern = compile_java("(a)")
    assert pattern.sub(java_replacement("$10", pattern), "a") == "a0"
    with pytest.raises(PatternError, match="No group 2"):
        java_replacement("$2", pattern)


def test_java_split_keeps_leading_empty_strings_of_real_matches_only():
    assert java_split(compile_java(","), ",a,") == ["", "a", ""]
    assert java_split(compile_java("(?=b)"), "abab") == ["a", "ba", "b"]


def test_lengths_and_positions_count_utf16_code_units_like_java():
    assert string.string_length(CALL, "a😀b") == D(4)
    assert string.substring(CALL, "a😀b", D(2)) == "😀b"
    assert string.substring(CALL, "a😀b", D(-1)) == "b"
    assert string.substring_of_length(CALL, "a😀b", D(2), D(2)) == "😀"
