"""The strict JSON reader every command uses: syntax errors in a user's words at the position to
fix, encodings, non-JSON numbers, nesting, long numbers, lone surrogates and duplicate keys."""

from __future__ import annotations

import json
import time

import pytest

from generator.jsontext import (
    DuplicateKey,
    JsonReadError,
    decode_utf8,
    duplicate_keys,
    parse_json,
    parse_json_collecting_duplicates,
    read_json_file,
    read_text_file,
    read_utf8_file,
)
from generator.limits import MAX_JSON_DEPTH


def error_of(text: str, **options: bool) -> tuple[str, int | None, int | None]:
    with pytest.raises(JsonReadError) as raised:
        parse_json(text, **options)
    return raised.value.reason, raised.value.line, raised.value.column


@pytest.mark.parametrize(("text", "reason", "line", "column"), [
    ('{"a": 1,\n}', "invalid JSON: trailing comma before '}'", 1, 8),
    ("[1, 2, ]", "invalid JSON: trailing comma before ']'", 1, 6),
    ('{"a": 1\n "b": 2}', "invalid JSON: missing comma before this value", 2, 2),
    ("[1 2]", "invalid JSON: missing comma before this value", 1, 4),
    ('{"a" 1}', "invalid JSON: missing ':' after the key", 1, 6),
    ('{"a": "x}', "invalid JSON: missing closing quote: the string starting here never ends", 1, 7),
    ('{"a": "x\n", "b": 1}',
     "invalid JSON: missing closing quote before the end of the line (a string cannot span lines; write \\n)", 1, 9),
    ('["a\tb"]', "invalid JSON: a tab inside a string must be written as \\t", 1, 4),
    ('["\x01"]', "invalid JSON: control character U+0001 inside a string must be written as \\u0001", 1, 3),
    ("{a: 1}", 'invalid JSON: the key a needs double quotes: "a"', 1, 2),
    ("{'a': 1}", "invalid JSON: strings and keys need double quotes, not single quotes", 1, 2),
    ("[01]", "invalid JSON: a number cannot have leading zeros", 1, 2),
    ("[+1]", "invalid JSON: a number cannot start with '+'", 1, 2),
    ("[.5]", "invalid JSON: a number needs a digit before '.'", 1, 2),
    ("[1.]", "invalid JSON: a number needs digits after '.'", 1, 3),
    ("[1e]", "invalid JSON: a number needs digits after its exponent 'e'", 1, 3),
    ("[1.5.2]", "invalid JSON: unexpected '.' after a complete number", 1, 5),
    ("[0x1F]", "invalid JSON: hexadecimal, octal and binary numbers are not JSON; write the number in decimal", 1, 2),
    ("[-]", "invalid JSON: '-' must be followed by a digit", 1, 2),
    ("[True]", "invalid JSON: True is not a JSON value; write true", 1, 2),
    ("[None]", "invalid JSON: None is not a JSON value; write null", 1, 2),
    ("[undefined]", "invalid JSON: undefined is not a JSON value; write null", 1, 2),
    ("[hello]", "invalid JSON: hello is not a JSON value (a string needs double quotes)", 1, 2),
    ("[1,,2]", "invalid JSON: two commas in a row: a value is missing between them", 1, 4),
    ("[,1]", "invalid JSON: missing value before ','", 1, 2),
    ('{"a":\n}', "invalid JSON: missing value after ':'", 1, 5),
    ("[1}", "invalid JSON: '}' does not close the '[' at line 1 column 1", 1, 3),
    ('{"a": [1}', "invalid JSON: '}' does not close the '[' at line 1 column 7", 1, 9),
    ('{"a": 1}}', "invalid JSON: '}' closes nothing: every bracket is already closed", 1, 9),
    ('{"a": [1,\n 2', "invalid JSON: unexpected end of the text: missing ']' to close the '[' at line 1 column 7", 2, 3),
    ('{"a": 1', "invalid JSON: unexpected end of the text: missing '}' to close the '{' at line 1 column 1", 1, 8),
    ("", "invalid JSON: the text is empty; a JSON value was expected", 1, 1),
    (" \n ", "invalid JSON: the text is empty; a JSON value was expected", 1, 1),
    ("[1] [2]", "invalid JSON: unexpected text after the end of the JSON value (a file holds one value: a missing '[' "
                "or ','?)", 1, 5),
    ('["\\x"]', "invalid JSON: invalid escape '\\x' in a string (JSON knows \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX; "
                "write a backslash as \\\\)", 1, 3),
    ('["\\u12"]', "invalid JSON: invalid \\u escape: \\u needs four hexadecimal digits", 1, 3),
    ("// note\n{}", "invalid JSON: comments are not allowed in JSON", 1, 1),
])
def test_syntax_errors_say_what_is_wrong_where_to_fix_it(text, reason, line, column):
    assert error_of(text) == (reason, line, column)


def test_without_reveal_no_message_quotes_the_text():
    # secrets files: a bare word may be the secret itself
    assert error_of('{"TOKEN": hunter2}', reveal=False)[0] == (
        "invalid JSON: a value that is not JSON (a string needs double quotes)")
    assert error_of("{hunter2: 1}", reveal=False)[0] == "invalid JSON: a key needs double quotes"
    assert error_of('{"a": "x\\q"}', reveal=False)[0].startswith("invalid JSON: invalid escape in a string")
    assert "hunter2" not in error_of('{"hunter2": 1, "hunter2": 2}', reveal=False)[0]


@pytest.mark.parametrize(("text", "reason", "column"), [
    ("[NaN]", "invalid JSON: NaN is not a JSON value", 2),
    ('{"a": "NaN", "b": -Infinity}', "invalid JSON: -Infinity is not a JSON value", 19),
    ("[Infinity]", "invalid JSON: Infinity is not a JSON value", 2),
    ("[1, 1e400]", "the number is too large for a double (beyond 1.8e308)", 5),
    ("[-1.5e309]", "the number is too large for a double (beyond 1.8e308)", 2),
])
def test_non_finite_numbers_are_refused(text, reason, column):
    assert error_of(text) == (reason, 1, column)


def test_as_jackson_a_number_beyond_a_double_is_an_infinity():
    assert parse_json("[1e400, -2e999, 1.5]", as_jackson=True) == [float("inf"), float("-inf"), 1.5]


def test_numbers_longer_than_jackson_reads_are_refused_and_shorter_ones_kept():
    assert parse_json("[" + "9" * 1000 + "]") == [int("9" * 1000)]
    assert parse_json('["' + "9" * 5000 + '", 1e308]') == ["9" * 5000, 1e308]  # digits in a string are text
    assert error_of('{"v": ' + "9" * 5000 + "}") == (
        "a number with 5,000 digits is longer than etk reads (1,000 digits at most)", 1, 7)
    assert error_of("[1, -" + "1" * 1001 + ".5]")[0].startswith("a number with 1,002 digits")


def test_nesting_deeper_than_the_limit_is_refused_at_the_bracket_that_opens_it():
    deep = "[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH
    assert parse_json(deep) is not None
    too_deep = '{"a": ' + "[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH + "}"
    assert error_of(too_deep) == ("invalid JSON: nested more than 500 levels deep (etk reads at most 500)", 1,
                                  7 + MAX_JSON_DEPTH - 1)
    brackets_in_strings = json.dumps(["[" * 5000, {"k": "{" * 5000}, "\\\"" + "]" * 3000, "\\" + "[" * 600])
    assert parse_json(brackets_in_strings)[1] == {"k": "{" * 5000}
    closers_in_strings = "[" * 300 + json.dumps(["]" * 600 + "\\\"]]]", "\"" * 5]) + "[" * 250 + "]" * 550
    with pytest.raises(JsonReadError, match="nested more than 500"):
        parse_json(closers_in_strings)
    assert error_of("[" * 100_000)[0].startswith("invalid JSON: nested more than 500 levels")


def test_lone_surrogates_are_refused_or_replaced():
    assert error_of('{"name": "a\\ud800b"}') == (
        "invalid JSON: \\ud800 is half of a UTF-16 surrogate pair, not a character", 1, 12)
    assert error_of('["\\uDC00"]')[0].startswith("invalid JSON: \\udc00 is half")
    assert parse_json('["\\ud83d\\ude00", "\\\\ud800"]') == ["\U0001F600", "\\ud800"]
    assert parse_json('["a\\ud800", "\\udfff\\ud83d\\ude00"]', as_jackson=True) == ["a\ufffd", "\ufffd\U0001F600"]


def test_duplicate_keys_are_refused_or_kept_or_collected():
    text = '{"a": 1, "b": {"c": 1,\n "c": 2, "c": 3}, "a": [ ]}'
    with pytest.raises(JsonReadError) as raised:
        parse_json(text)
    error = raised.value
    assert (error.rule, error.pointer, error.line, error.column) == ("duplicate-key", "/b/c", 2, 7)
    assert error.reason == 'key "c" appears twice in the same object; JSON readers keep only the last one'
    assert parse_json(text, as_jackson=True) == {"a": [], "b": {"c": 3}}
    value, found = parse_json_collecting_duplicates(text)
    assert value == {"a": [], "b": {"c": 3}}
    assert found == [DuplicateKey("/b/c", "c", 2, 7), DuplicateKey("/b/c", "c", 2, 15), DuplicateKey("/a", "a", 2, 24)]
    assert duplicate_keys('{"x/y": {"~": 1, "~": 2}}') == [DuplicateKey("/x~1y/~0", "~", 1, 23)]


@pytest.mark.parametrize(("data", "reason", "position"), [
    ('{"a": 1}'.encode("utf-16"), "the file is UTF-16 text; JSON files must be UTF-8", (1, 1)),
    ('{"a": 1}'.encode("utf-16-le"), "the file is UTF-16 text; JSON files must be UTF-8", (1, 1)),
    ('{"a": 1}'.encode("utf-32"), "the file is UTF-32 text; JSON files must be UTF-8", (1, 1)),
    (b'{"a":\n  "\xff"}', "the file is not UTF-8 text: byte 0xFF cannot start or continue a character", (2, 4)),
    (b'["\xc3\xa9\xe9"]', "the file is not UTF-8 text: byte 0xE9 cannot start or continue a character", (1, 4)),
])
def test_text_that_is_not_utf8_is_named(data, reason, position):
    with pytest.raises(JsonReadError) as raised:
        decode_utf8(data)
    assert (raised.value.reason, (raised.value.line, raised.value.column), raised.value.rule) == (reason, position, "read-error")


def test_a_utf8_byte_order_mark_is_allowed(tmp_path):
    assert decode_utf8(b'\xef\xbb\xbf{"a": "\xc3\xa9"}') == '{"a": "é"}'
    path = tmp_path / "t.json"
    path.write_bytes(b'\xef\xbb\xbf{"a": "\xc3\xa9",\n "a": 1}')
    text, utf8 = read_utf8_file(path)
    assert (text, utf8) == ('{"a": "é",\n "a": 1}', text.encode())  # the bytes of the text, without the mark
    assert parse_json_collecting_duplicates(text, utf8=utf8) == ({"a": 1}, [DuplicateKey("/a", "a", 2, 7)])


def test_files_name_themselves_in_every_error(tmp_path):
    broken = tmp_path / "t.json"
    broken.write_text('{"a": 1,}', encoding="utf-8")
    with pytest.raises(JsonReadError) as raised:
        read_json_file(broken)
    assert str(raised.value) == f"{broken}:1:8: invalid JSON: trailing comma before '}}'"
    with pytest.raises(JsonReadError) as raised:
        read_json_file(tmp_path, what="template")
    assert str(raised.value) == f"{tmp_path}: cannot read the template: it is a directory"
    with pytest.raises(JsonReadError) as raised:
        read_json_file(tmp_path / "missing.json", what="variables file")
    assert str(raised.value) == f"{tmp_path / 'missing.json'}: cannot read the variables file: No such file or directory"
    good = tmp_path / "g.json"
    good.write_text('{"a": [1]}', encoding="utf-8")
    assert read_json_file(good) == ({"a": [1]}, '{"a": [1]}')


def test_a_device_that_never_ends_is_read_only_up_to_the_limit():
    started = time.monotonic()
    with pytest.raises(JsonReadError) as raised:
        read_text_file("/dev/zero", max_bytes=1024)
    assert str(raised.value) == "/dev/zero: the file is larger than 1,024 bytes, the most etk reads"
    assert time.monotonic() - started < 5


def test_well_formed_json_reads_like_the_standard_reader():
    document = {"a": [1, 2.5, -3e-7, True, None, "x\u00e9\U0001F600"], "b": {"c": "[{\"", "d": []}}
    text = json.dumps(document, ensure_ascii=False)
    assert parse_json(text) == document
    assert parse_json(json.dumps(document)) == document
