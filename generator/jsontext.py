"""Reading JSON text strictly: one reader for every JSON file and value etk takes from outside.

Templates (`etk validate`, `apply`, `diagram`, `run`), variables and secrets files, `--var`
values and HTTP response bodies all go through `parse_json`, so they refuse the same things
with the same message and position:

- text that is not UTF-8 (UTF-16/UTF-32 files are named as such; a UTF-8 byte order mark is
  allowed), with the line and column of the first bad byte;
- syntax errors, in words a user knows ("trailing comma before ']'", "missing comma before this
  value", "missing closing quote before the end of the line") at the position to fix;
- `NaN`, `Infinity` and numbers beyond a double (Python's reader accepts them, JSON does not);
- nesting deeper than `MAX_JSON_DEPTH`, numbers longer than `MAX_JSON_NUMBER_DIGITS` digits;
- a `\\u` escape that is half of a UTF-16 surrogate pair (no character: it cannot be written
  out as UTF-8);
- a key that appears twice in one object.

Text from servers (response bodies, values the REST connector parses) is read `as_jackson`,
the way Camunda's Jackson reader takes it: a repeated key keeps its last value, a lone surrogate
is read as U+FFFD (what a Java string prints for it), a number beyond a double is an infinity.

The checks that need more than the C decoder (depth, long integers, surrogates, duplicates) run
only when a cheap scan of the text finds a candidate, so well-formed input is read at about the
speed of `json.loads`: the text's structure (its brackets and quotes, at C speed) gives the depth
and shows whether any `\\u` escape exists; an outline of its numbers shows whether one may be too
long (fractional numbers are checked one by one as they are read, and so is every number of a
template file, which holds few of them).
"""

from __future__ import annotations

import json
import os
import re
import stat
from array import array
from collections.abc import Callable
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path
from typing import Any

from generator.errors import EtkError
from generator.limits import MAX_JSON_DEPTH, MAX_JSON_FILE_BYTES, MAX_JSON_NUMBER_DIGITS

_STRING = r'"[^"\\]*(?:\\.[^"\\]*)*"'
_STRING_TOKEN = re.compile(_STRING, re.DOTALL)
_BRACKET_OR_STRING = re.compile(_STRING + r'|"|[\[\]{}]', re.DOTALL)
# A constant Python reads and JSON does not, outside strings.
_CONSTANT = re.compile(_STRING + r"|(-?Infinity|NaN)", re.DOTALL)
# Every backslash escape, a surrogate escape with the low half that completes it if present.
_ESCAPE = re.compile(r"\\(?:u[dD][89a-fA-F][0-9a-fA-F]{2}(?:\\u[dD][c-fC-F][0-9a-fA-F]{2})?|.)", re.DOTALL)
_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")  # the start of a surrogate escape
# The text's numbers in outline: digits as "0", e, E, + and - as "e", the rest as " ". In it, a
# run of MAX_JSON_NUMBER_DIGITS + 1 zeros is a long number, and a number beyond a double shows
# an exponent of 3 digits or more, or over 308 digits (a candidate: numbers are then checked one
# by one as they are read).
_NUMBER_OUTLINE = bytes(ord("0") if 0x30 <= byte <= 0x39 else ord("e") if byte in b"eE+-" else ord(" ")
                        for byte in range(256))
_LONG_DIGIT_RUN = b"0" * (MAX_JSON_NUMBER_DIGITS + 1)
_DOUBLE_DIGIT_RUN = b"0" * 309
_WHITESPACE = re.compile(r"[ \t\n\r]*")
_ARRAY_INDEX = re.compile(r"0|[1-9][0-9]{0,17}")
_WORD = re.compile(r"[A-Za-z_$][\w$]{0,39}")  # a bare word, as much of it as a message quotes
_WORD_FIXES = {"True": "true", "False": "false", "None": "null", "NULL": "null", "Null": "null",
               "undefined": "null", "TRUE": "true", "FALSE": "false"}
_INFINITY = float("inf")
# Every backslash escape but \\u: the escapes that may hide a quote or a bracket from the structure.
_STRUCTURAL_ESCAPE = re.compile(rb"\\[^u]", re.DOTALL)
_NOT_STRUCTURAL = bytes(byte for byte in range(256) if byte not in b'[]{}"\\')
_BRACKET_STEPS = bytes(1 if byte in b"[{" else 255 if byte in b"]}" else 0 for byte in range(256))  # 255: -1 as signed
DUPLICATE_KEY_MESSAGE = 'key "{key}" appears twice in the same object; JSON readers keep only the last one'


class JsonReadError(EtkError):
    """JSON that etk refuses: `reason` says what, `line`/`column` (1-based, in characters) where.

    `rule` is `json-syntax` (not JSON, or beyond a limit), `read-error` (not UTF-8 text, not a
    readable file) or `duplicate-key` (then `pointer` names the repeated member). `not_json` is
    true when the text is no JSON at all (a syntax error, `NaN`), false when it is JSON that etk
    does not take (too deep, too long a number, a lone surrogate, a repeated key).
    """

    def __init__(self, reason: str, line: int | None = 1, column: int | None = 1, *,
                 rule: str = "json-syntax", pointer: str = "", file: str | None = None, not_json: bool = False) -> None:
        self.reason, self.line, self.column = reason, line, column
        self.rule, self.pointer, self.file, self.not_json = rule, pointer, file, not_json
        super().__init__(self._text())

    def _text(self) -> str:
        where = [str(part) for part in (self.file, self.line, self.column) if part is not None]
        return f"{':'.join(where)}: {self.reason}" if where else self.reason

    def in_file(self, file: str) -> JsonReadError:
        """This error, naming `file`."""
        return JsonReadError(self.reason, self.line, self.column, rule=self.rule, pointer=self.pointer, file=file,
                             not_json=self.not_json)


@dataclass(frozen=True)
class DuplicateKey:
    """A member whose key repeats an earlier key of the same object."""

    pointer: str
    key: str
    line: int
    column: int


# --- bytes to text -----------------------------------------------------------------------------

def decode_utf8(data: bytes) -> str:
    """`data` as UTF-8 text (a byte order mark is dropped); `JsonReadError` (rule `read-error`)
    naming UTF-16/UTF-32 text, or the line and column of the first byte that is not UTF-8."""
    return _decoded(data)[0]


def _decoded(data: bytes) -> tuple[str, bytes]:
    """`decode_utf8(data)`, and the bytes it decoded (`data` without a byte order mark)."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    wide = _wide_encoding(data)
    if wide is not None:
        raise JsonReadError(f"the file is {wide} text; JSON files must be UTF-8", rule="read-error")
    try:
        return data.decode("utf-8"), data
    except UnicodeDecodeError as error:
        before = data[: error.start].decode("utf-8")
        line, column = line_column(before, len(before))
        raise JsonReadError(f"the file is not UTF-8 text: byte 0x{data[error.start]:02X} cannot start or "
                            "continue a character", line, column, rule="read-error") from None


def _wide_encoding(data: bytes) -> str | None:
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return "UTF-32"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16"
    head = data[:4]
    if len(head) == 4 and head.count(0) == 3:
        return "UTF-32"
    if len(head) >= 2 and (head[0] == 0) != (head[1] == 0):
        return "UTF-16"
    return None


def read_json_file(path: Path | str, *, what: str = "file", max_bytes: int = MAX_JSON_FILE_BYTES,
                   reveal: bool = True) -> tuple[Any, str]:
    """(value, text) of the JSON file at `path`, read strictly (see `parse_json`).

    Errors name the file: a directory, a missing or unreadable file, one larger than
    `max_bytes` (a device such as /dev/zero included), and everything `parse_json` refuses.
    `what` names the file's role in messages ("template", "variables file"); with `reveal`
    False, messages never quote the file's text (secrets).
    """
    text = read_text_file(path, what=what, max_bytes=max_bytes)
    try:
        return parse_json(text, reveal=reveal), text
    except JsonReadError as error:
        raise error.in_file(str(path)) from None


def read_text_file(path: Path | str, *, what: str = "file", max_bytes: int = MAX_JSON_FILE_BYTES) -> str:
    """The UTF-8 text of the file at `path`, at most `max_bytes` bytes; errors name the file."""
    return read_utf8_file(path, what=what, max_bytes=max_bytes)[0]


def read_utf8_file(path: Path | str, *, what: str = "file", max_bytes: int = MAX_JSON_FILE_BYTES) -> tuple[str, bytes]:
    """`read_text_file`, and the text's UTF-8 bytes as read (for `parse_json_collecting_duplicates`,
    which then need not encode the text again)."""
    name = str(path)
    try:
        if stat.S_ISDIR(os.stat(path).st_mode):
            raise JsonReadError(f"cannot read the {what}: it is a directory", None, None, rule="read-error", file=name)
        with open(path, "rb") as stream:
            data = stream.read(max_bytes + 1)
    except OSError as error:
        raise JsonReadError(f"cannot read the {what}: {error.strerror or error}", None, None,
                            rule="read-error", file=name) from None
    if len(data) > max_bytes:
        raise JsonReadError(f"the {what} is larger than {max_bytes:,} bytes, the most etk reads",
                            None, None, rule="read-error", file=name)
    try:
        return _decoded(data)
    except JsonReadError as error:
        raise error.in_file(name) from None


# --- text to value -----------------------------------------------------------------------------

def parse_json(text: str, *, as_jackson: bool = False, max_depth: int = MAX_JSON_DEPTH, reveal: bool = True) -> Any:
    """The value of the JSON `text`, or `JsonReadError` saying what is wrong and where.

    `as_jackson` reads text from servers as Jackson does (see the module docstring) instead of
    refusing repeated keys, lone surrogates and numbers beyond a double. With `reveal` False,
    messages never quote the text (it holds secrets).
    """
    value, found = _parse(text, collect_duplicates=not as_jackson, as_jackson=as_jackson, max_depth=max_depth,
                          reveal=reveal)
    if found:
        first = found[0]
        raise JsonReadError(DUPLICATE_KEY_MESSAGE.format(key=first.key if reveal else "..."), first.line,
                            first.column, rule="duplicate-key", pointer=first.pointer)
    return value


# Reading the value at an offset of a text: (value, offset after it); the decoder's own scanner.
Scan = Callable[[str, int], tuple[Any, int]]
# Making an object of its members, in order (a repeated key is noticed, the last one kept).
MakeObject = Callable[[list[tuple[str, Any]]], dict[str, Any]]
# A reader of a document's outer levels (one that notes where parts of it start, say): it reads
# the values below them with the `Scan`, builds the objects it reads itself with the `MakeObject`,
# and raises `OtherShape` (or lets the scanner's errors through) where the text is not what it
# expects; the decoder then reads the whole text, and judges it.
OuterReader = Callable[[str, Scan, MakeObject], Any]


class OtherShape(Exception):
    """Raised by an `OuterReader` at text it does not read itself."""


def parse_json_collecting_duplicates(text: str, outer: OuterReader | None = None, *,
                                     utf8: bytes | None = None) -> tuple[Any, list[DuplicateKey]]:
    """The value of the template file's `text` (last of repeated keys kept) and every repeated
    key, in document order; everything else `parse_json` refuses raises `JsonReadError`. With
    `outer`, that reader reads the outer levels of the document (see `OuterReader`) and its value
    is returned. `utf8` is the text in UTF-8 when the caller has it (`read_utf8_file`).

    Every number is checked as it is read: template files hold few numbers (992 in the 16 MB of
    Camunda's 693 templates), so that costs less than outlining the text to find candidates."""
    return _parse(text, collect_duplicates=True, as_jackson=False, max_depth=MAX_JSON_DEPTH, reveal=True, outer=outer,
                  check_every_number=True, utf8=utf8)


def _parse(text: str, *, collect_duplicates: bool, as_jackson: bool, max_depth: int, reveal: bool,
           outer: OuterReader | None = None, check_every_number: bool = False,
           utf8: bytes | None = None) -> tuple[Any, list[DuplicateKey]]:
    data = text.encode("utf-8", "surrogatepass") if utf8 is None else utf8
    structure = _structure(data)
    _check_depth(text, structure, max_depth)
    if b"\\" in structure and _SURROGATE.search(text):  # a \\u escape, then maybe a surrogate
        text = _checked_surrogates(text, as_jackson)
    if check_every_number:
        long_numbers = big_numbers = True
    else:
        outline = data.translate(_NUMBER_OUTLINE)
        big_numbers = _DOUBLE_DIGIT_RUN in outline or b"e000" in outline
        long_numbers = big_numbers and _LONG_DIGIT_RUN in outline
    repeated: list[bool] = []
    if collect_duplicates:
        def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
            result = dict(items)
            if len(result) != len(items):
                repeated.append(True)
            return result
        decoder = _decoder(as_jackson, long_numbers, big_numbers, pairs)
    else:
        decoder = _DECODERS[as_jackson, long_numbers, big_numbers]
    try:
        value = decoder.decode(text) if outer is None else _read_outer(outer, text, decoder)
    except json.JSONDecodeError as error:
        reason, offset = describe_syntax_error(text, error.msg, error.pos, reveal=reveal)
        raise JsonReadError(f"invalid JSON: {reason}", *line_column(text, offset), not_json=True) from None
    except _Refused as refused:
        raise JsonReadError(refused.reason, *line_column(text, _find_number(text, refused)),
                            not_json=refused.constant) from None
    except RecursionError:  # deeper than the interpreter's stack allows: too deep in any case
        raise JsonReadError(f"invalid JSON: nested more than {max_depth} levels deep (etk reads at most {max_depth})",
                            *line_column(text, _nth_opening(text, max_depth + 1))) from None
    return value, (duplicate_keys(text) if repeated else [])


def _read_outer(outer: OuterReader, text: str, decoder: json.JSONDecoder) -> Any:
    try:
        return outer(text, decoder.scan_once, decoder.object_pairs_hook)  # type: ignore[attr-defined]  # the C scanner
    except (OtherShape, StopIteration, IndexError, json.JSONDecodeError):
        return decoder.decode(text)  # what the reader did not expect: the decoder reads (or refuses) it all


def _decoder(as_jackson: bool, long_numbers: bool, big_numbers: bool, pairs: Any = None) -> json.JSONDecoder:
    """A decoder that refuses NaN and Infinity, and checks each number when the text may hold
    one that is too long (`long_numbers`) or beyond a double (`big_numbers`)."""
    return json.JSONDecoder(parse_float=(_checked_number if as_jackson else _checked_float) if big_numbers else float,
                            parse_int=_checked_int if long_numbers else None,
                            parse_constant=_refuse_constant, object_pairs_hook=pairs)


class _Refused(Exception):
    def __init__(self, reason: str, token: str, constant: bool = False) -> None:
        super().__init__(reason)
        self.reason, self.token, self.constant = reason, token, constant


def _refuse_constant(name: str) -> float:
    raise _Refused(f"invalid JSON: {name} is not a JSON value", name, constant=True)


def _checked_int(token: str) -> int:
    digits = len(token.lstrip("-"))
    if digits > MAX_JSON_NUMBER_DIGITS:
        raise _Refused(f"a number with {digits:,} digits is longer than etk reads "
                       f"({MAX_JSON_NUMBER_DIGITS:,} digits at most)", token)
    return int(token)


def _checked_number(token: str) -> float:
    """A fractional number of at most `MAX_JSON_NUMBER_DIGITS` digits (an infinity beyond a double)."""
    if len(token) > MAX_JSON_NUMBER_DIGITS:
        digits = sum(char.isdigit() for char in re.split(r"[eE]", token)[0])
        if digits > MAX_JSON_NUMBER_DIGITS:
            raise _Refused(f"a number with {digits:,} digits is longer than etk reads "
                           f"({MAX_JSON_NUMBER_DIGITS:,} digits at most)", token)
    return float(token)


def _checked_float(token: str) -> float:
    number = _checked_number(token)
    if number == _INFINITY or number == -_INFINITY:
        raise _Refused("the number is too large for a double (beyond 1.8e308)", token)
    return number


# Decoders built once (building one per call costs more than reading a small document).
_DECODERS = {(jackson, long, big): _decoder(jackson, long, big)
             for jackson in (False, True) for long in (False, True) for big in (False, True)}


def _find_number(text: str, refused: _Refused) -> int:
    """The offset of the refused token, outside strings."""
    if refused.constant:
        return next((match.start(1) for match in _CONSTANT.finditer(text) if match.group(1)), 0)
    pattern = re.compile(_STRING + "|" + re.escape(refused.token) + r"(?![\d.eE+-])", re.DOTALL)
    return next((match.start() for match in pattern.finditer(text) if match.group()[0] != '"'), 0)


def _structure(data: bytes) -> bytes:
    """The brackets and quotes of the UTF-8 text `data` that are not escaped, and a backslash
    for each `\\u` escape, in order, at C speed: the other escapes (a backslash and the
    character after it) are dropped, then every other byte."""
    if b"\\" in data:
        data = _STRUCTURAL_ESCAPE.sub(b"", data)
    return data.translate(None, _NOT_STRUCTURAL)


def _check_depth(text: str, structure: bytes, max_depth: int) -> None:
    """Refuse `text` (its `_structure`) when it nests deeper than `max_depth`."""
    if structure.count(b"[") + structure.count(b"{") <= max_depth:
        return  # cannot be deeper: the common case costs two counts of the short structure
    if _deepest(structure) > max_depth:
        raise JsonReadError(f"invalid JSON: nested more than {max_depth} levels deep (etk reads at most {max_depth})",
                            *line_column(text, _nth_opening(text, max_depth + 1)))


def _deepest(structure: bytes) -> int:
    """The deepest nesting of brackets outside strings in a text's `_structure`, exact for JSON
    and at C speed: two adjacent quotes (a string without brackets) are dropped, as they change
    no bracket's side; brackets between the remaining quotes are in strings."""
    structure = structure.replace(b'""', b"")
    if b'"' in structure:
        structure = b"".join(structure.split(b'"')[::2])
    return max(accumulate(array("b", structure.translate(_BRACKET_STEPS))), default=0)


def _nth_opening(text: str, depth: int) -> int:
    """The offset of the first bracket that opens nesting level `depth`."""
    level = 0
    for match in _BRACKET_OR_STRING.finditer(text):
        token = match.group()
        if token in "[{":
            level += 1
            if level == depth:
                return match.start()
        elif token in "]}":
            level -= 1
    return 0


def _checked_surrogates(text: str, replace: bool) -> str:
    """`text` with lone surrogate escapes refused, or (with `replace`) written as \\ufffd."""
    def lone(match: re.Match[str]) -> bool:
        escape = match.group()
        return len(escape) == 6 and escape[1] == "u" and escape[2] in "dD" and escape[3] in "89abcdefABCDEF"

    if not replace:
        for match in _ESCAPE.finditer(text):
            if lone(match):
                raise JsonReadError(f"invalid JSON: {match.group().lower()} is half of a UTF-16 surrogate pair, "
                                    "not a character", *line_column(text, match.start()))
        return text
    return _ESCAPE.sub(lambda match: "\\ufffd" if lone(match) else match.group(), text)


def duplicate_keys(text: str) -> list[DuplicateKey]:
    """Every member of the JSON `text` whose key repeats an earlier key of the same object, in
    document order, with the position of its value. Walks the whole text in Python: call it only
    when a duplicate is known to exist."""
    found: list[DuplicateKey] = []
    decoder = json.JSONDecoder()
    scanstring = json.decoder.scanstring  # type: ignore[attr-defined]

    def skip(index: int) -> int:
        return _WHITESPACE.match(text, index).end()  # type: ignore[union-attr]

    def walk(index: int, pointer: str) -> int:
        opener = text[index]
        if opener not in "{[":
            return decoder.raw_decode(text, index)[1]
        closer = "}" if opener == "{" else "]"
        index = skip(index + 1)
        if text[index] == closer:
            return index + 1
        keys: set[str] = set()
        position = 0
        while True:
            if opener == "{":
                key, index = scanstring(text, index + 1)
                index = skip(skip(index) + 1)
                child = pointer + "/" + key.replace("~", "~0").replace("/", "~1")
                if key in keys:
                    found.append(DuplicateKey(child, key, *line_column(text, index)))
                keys.add(key)
                index = walk(index, child)
            else:
                index = walk(index, f"{pointer}/{position}")
                position += 1
            index = skip(index)
            if text[index] == closer:
                return index + 1
            index = skip(index + 1)

    walk(skip(0), "")
    return found


def array_index(token: str, length: int | None = None) -> int | None:
    """The array index the JSON pointer token `token` names (RFC 6901: `0`, or ASCII digits without
    a leading zero), None for any other token (`²`, `01`, `-`, a key) or, given the array's
    `length`, an index past its end. Never calls int() on more than 18 digits."""
    if _ARRAY_INDEX.fullmatch(token) is None:
        return None
    index = int(token)
    return index if length is None or index < length else None


def json_kind(value: Any) -> str:
    """`an object`, `an array`, `a string`, ... for messages about a JSON value's type."""
    kinds = {dict: "an object", list: "an array", str: "a string", bool: "a boolean", type(None): "null"}
    return kinds.get(type(value), "a number")


# --- positions and messages --------------------------------------------------------------------

def line_column(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters) of `offset` in `text`."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - text.rfind("\n", 0, offset)


def describe_syntax_error(text: str, message: str, offset: int, *, reveal: bool = True) -> tuple[str, int]:
    """What Python's JSON decoder `message` at `offset` means, in a user's words, and the offset
    of the thing to fix. With `reveal` False the reason never quotes the text."""
    char = text[offset] if offset < len(text) else ""
    before = _previous_token(text, offset)
    previous = text[before] if before >= 0 else ""
    if not text.strip():
        return "the text is empty; a JSON value was expected", 0
    if message.startswith(("Expecting value", "Expecting property name")):
        return _describe_missing_value(text, offset, char, before, previous, key=message.startswith("Expecting property"),
                                       reveal=reveal)
    if message.startswith("Expecting ':'"):
        return "missing ':' after the key", offset
    if message.startswith("Expecting ','"):
        return _describe_missing_comma(text, offset, char, before, previous)
    if message.startswith("Unterminated string"):
        return "missing closing quote: the string starting here never ends", offset
    if message.startswith("Invalid control character"):
        if char in "\r\n":
            return "missing closing quote before the end of the line (a string cannot span lines; write \\n)", offset
        if char == "\t":
            return "a tab inside a string must be written as \\t", offset
        return f"control character U+{ord(char):04X} inside a string must be written as \\u{ord(char):04x}", offset
    if message.startswith("Invalid \\escape"):
        escaped = text[offset + 1: offset + 2]
        shown = f"'\\{escaped}' " if reveal and escaped.isprintable() else ""
        return (f"invalid escape {shown}in a string (JSON knows \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX; "
                "write a backslash as \\\\)"), offset
    if message.startswith("Invalid \\uXXXX"):
        return "invalid \\u escape: \\u needs four hexadecimal digits", offset - 1
    if message.startswith("Extra data"):
        number = _number_problem(text, offset, char, before) if previous.isdigit() else None
        if number is not None:
            return number
        if char in "]}":
            return f"'{char}' closes nothing: every bracket is already closed", offset
        return "unexpected text after the end of the JSON value (a file holds one value: a missing '[' or ','?)", offset
    return message[:1].lower() + message[1:], offset


def _describe_missing_value(text: str, offset: int, char: str, before: int, previous: str, *, key: bool,
                            reveal: bool) -> tuple[str, int]:
    if not char:
        return _unexpected_end(text), offset
    if char in "]}" and previous == ",":
        return f"trailing comma before '{char}'", before
    if key and char == ",":
        return "missing key before ','", offset
    if char == "," and previous in ",[":
        return "missing value before ','" if previous == "[" else "two commas in a row: a value is missing between them", offset
    if char in "]}" and previous == ":":
        return "missing value after ':'", before
    if char in "]}":
        return _mismatch(text, offset, char), offset
    if char == "'":
        return "strings and keys need double quotes, not single quotes", offset
    if char == "/" and text[offset + 1: offset + 2] in ("/", "*"):
        return "comments are not allowed in JSON", offset
    if char == "+":
        return "a number cannot start with '+'", offset
    if char == ".":
        return "a number needs a digit before '.'", offset
    if char == "-":
        return "'-' must be followed by a digit", offset
    word = _WORD.match(text, offset)
    if word is not None:
        name = word.group()
        if key:
            return (f"the key {name} needs double quotes: \"{name}\"" if reveal else "a key needs double quotes"), offset
        if name in _WORD_FIXES:
            return f"{name} is not a JSON value; write {_WORD_FIXES[name]}", offset
        return (f"{name} is not a JSON value (a string needs double quotes)" if reveal
                else "a value that is not JSON (a string needs double quotes)"), offset
    if key:
        return "expected a key in double quotes", offset
    shown = f" {char!r}" if reveal and char.isprintable() else ""
    return f"unexpected character{shown} where a value should be", offset


def _describe_missing_comma(text: str, offset: int, char: str, before: int, previous: str) -> tuple[str, int]:
    if not char:
        return _unexpected_end(text), offset
    if char in "]}":
        return _mismatch(text, offset, char), offset
    if previous.isdigit():
        number = _number_problem(text, offset, char, before)
        if number is not None:
            return number
    if char == '"' or char in "[{-0123456789tfn":
        return "missing comma before this value", offset
    return "unexpected character where ',' or a closing bracket should be", offset


def _number_problem(text: str, offset: int, char: str, before: int) -> tuple[str, int] | None:
    """What is wrong with a number that ends just before `offset` where `char` follows it."""
    if char.isdigit() and text[before] == "0" and (before == 0 or not text[before - 1].isdigit()):
        return "a number cannot have leading zeros", before
    start = before
    while start > 0 and text[start - 1] in "0123456789.eE+-":
        start -= 1
    if char in ".eE" and any(mark in text[start: before + 1] for mark in ".eE"):
        return f"unexpected '{char}' after a complete number", offset
    if char == ".":
        return "a number needs digits after '.'", offset
    if char in "eE":
        return "a number needs digits after its exponent 'e'", offset
    if char in "xXbBoO" and text[before] == "0":
        return "hexadecimal, octal and binary numbers are not JSON; write the number in decimal", before
    return None


def _previous_token(text: str, offset: int) -> int:
    """The offset of the last character before `offset` that is not whitespace (-1 if none)."""
    index = offset - 1
    while index >= 0 and text[index] in " \t\r\n":
        index -= 1
    return index


def _open_brackets(text: str, end: int) -> list[tuple[str, int]]:
    """The brackets still open at `end`, outermost first, with their offsets."""
    stack: list[tuple[str, int]] = []
    for match in _BRACKET_OR_STRING.finditer(text, 0, end):
        token = match.group()
        if token in "[{":
            stack.append((token, match.start()))
        elif token in "]}" and stack:
            stack.pop()
    return stack


def _unexpected_end(text: str) -> str:
    stack = _open_brackets(text, len(text))
    if not stack:
        return "unexpected end of the text: a value is missing"
    opener, where = stack[-1]
    line, column = line_column(text, where)
    closer = "]" if opener == "[" else "}"
    return f"unexpected end of the text: missing '{closer}' to close the '{opener}' at line {line} column {column}"


def _mismatch(text: str, offset: int, char: str) -> str:
    stack = _open_brackets(text, offset)
    if not stack:
        return f"'{char}' closes nothing"
    opener, where = stack[-1]
    line, column = line_column(text, where)
    return f"'{char}' does not close the '{opener}' at line {line} column {column}"

