"""String built-ins: `substring`, `string length`, case, `substring before/after`, `replace`,
`contains`, `starts/ends with`, `matches`, `split`, `extract`, `trim`, `is blank`, `uuid`,
`to base64`, `from base64`. Regular expressions follow Java's syntax (see `regex`)."""

from __future__ import annotations

import base64
import binascii
import os
import re
import time
import uuid as uuid_module
from decimal import Decimal
from typing import Any

from generator.feel import values
from generator.feel.builtins.regex import (
    Match,
    Pattern,
    PatternError,
    compile_java,
    java_replacement,
    java_split,
    within_budget,
)
from generator.feel.builtins.registry import Family, InvalidArgument
from generator.feel.limits import (
    MAX_LIST_LENGTH,
    MAX_STRING_LENGTH,
    abbreviated,
    too_long,
    too_many_items,
)

FUNCTIONS = Family()
function = FUNCTIONS.function


# Java strings count UTF-16 code units: a character outside the BMP (an emoji) counts twice in
# `string length` and positions, exactly as in feel-scala.
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def _utf16_length(text: str) -> int:
    if text.isascii():
        return len(text)
    return len(text) + sum(1 for _ in _ASTRAL.finditer(text))


def _utf16_slice(text: str, begin: int, end: int) -> str:
    if not _ASTRAL.search(text):
        return text[begin:end]
    units = text.encode("utf-16-le", "surrogatepass")
    return units[2 * begin:2 * end].decode("utf-16-le", "surrogatepass")


def _position(length: int, position: Decimal) -> int:
    """A FEEL position (1-based, negative counts from the end) as a 0-based index."""
    index = values.int_value(position)
    return index - 1 if index > 0 else length + index


@function("substring", "string", "start position")
def substring(call: Any, text: str, start: Decimal) -> str:
    """`substring("foobar", 3)` = "obar"; a negative start counts from the end."""
    length = _utf16_length(text)
    begin = _position(length, start)
    if not 0 <= begin <= length:
        raise InvalidArgument(f"start position {start} is outside of '{abbreviated(text)}'")
    return _utf16_slice(text, begin, length)


@function("substring", "string", "start position", "length")
def substring_of_length(call: Any, text: str, start: Decimal, length: Decimal) -> str:
    total = _utf16_length(text)
    begin = _position(total, start)
    end = min(begin + values.int_value(length), total)
    if not 0 <= begin <= end:
        raise InvalidArgument(
            f"start position {start} or length {length} is outside of '{abbreviated(text)}'")
    return _utf16_slice(text, begin, end)


@function("string length", "string")
def string_length(call: Any, text: str) -> Decimal:
    return Decimal(_utf16_length(text))


@function("upper case", "string")
def upper_case(call: Any, text: str) -> str:
    return text.upper()


@function("lower case", "string")
def lower_case(call: Any, text: str) -> str:
    return text.lower()


@function("substring before", "string", "match")
def substring_before(call: Any, text: str, match: str) -> str:
    index = text.find(match)
    return text[:index] if index > 0 else ""


@function("substring after", "string", "match")
def substring_after(call: Any, text: str, match: str) -> str:
    index = text.find(match)
    return text[index + len(match):] if index >= 0 else ""


def _pattern(pattern: str, flags: str = "") -> Pattern:
    try:
        return compile_java(pattern, flags)
    except PatternError:
        raise InvalidArgument(f"Invalid pattern '{abbreviated(pattern)}'") from None


def _replace(call: Any, text: str, pattern: str, replacement: str, flags: str = "") -> str:
    def run(timeout: float) -> str:
        compiled = _pattern(pattern, flags)
        try:
            replace_match = java_replacement(replacement, compiled)
        except PatternError:
            raise InvalidArgument(f"Invalid pattern '{abbreviated(pattern)}'") from None
        added = len(text)

        def bounded_replacement(match: Match) -> str:
            # the result is checked while it grows: 10,000 matches of a 10,000-character
            # replacement would need gigabytes
            nonlocal added
            piece = replace_match(match)
            added += len(piece)
            if added > MAX_STRING_LENGTH:
                raise too_long()
            return piece

        replaced: str = compiled.sub(bounded_replacement, text, timeout=timeout)
        return replaced

    return within_budget(call, run)


@function("replace", "input", "pattern", "replacement")
def replace(call: Any, text: str, pattern: str, replacement: str) -> str:
    """Regular-expression replacement with Java's `$1` group references."""
    return _replace(call, text, pattern, replacement)


@function("replace", "input", "pattern", "replacement", "flags")
def replace_with_flags(call: Any, text: str, pattern: str, replacement: str, flags: str) -> str:
    return _replace(call, text, pattern, replacement, flags)


@function("contains", "string", "match")
def contains(call: Any, text: str, match: str) -> bool:
    return match in text


@function("starts with", "string", "match")
def starts_with(call: Any, text: str, match: str) -> bool:
    return text.startswith(match)


@function("ends with", "string", "match")
def ends_with(call: Any, text: str, match: str) -> bool:
    return text.endswith(match)


def _matches(call: Any, text: str, pattern: str, flags: str = "") -> bool:
    return within_budget(call, lambda timeout: _pattern(pattern, flags).search(text, timeout=timeout)
                         is not None)


@function("matches", "input", "pattern")
def matches(call: Any, text: str, pattern: str) -> bool:
    """True when the pattern matches anywhere in the input (Java's `find`)."""
    return _matches(call, text, pattern)


@function("matches", "input", "pattern", "flags")
def matches_with_flags(call: Any, text: str, pattern: str, flags: str) -> bool:
    return _matches(call, text, pattern, flags)


@function("split", "string", "delimiter")
def split(call: Any, text: str, delimiter: str) -> list[str]:
    """Split at a regular expression, keeping empty parts (`"a;b;;"` -> a, b, "", "")."""
    return within_budget(call, lambda timeout: java_split(_pattern(delimiter), text, timeout))


def _all_matches(pattern: str, text: str, timeout: float) -> list[str]:
    found = []
    for match in _pattern(pattern).finditer(text, timeout=timeout):
        found.append(match.group(0))
        if len(found) > MAX_LIST_LENGTH:
            raise too_many_items()
    return found


@function("extract", "input", "pattern")
def extract(call: Any, text: str, pattern: str) -> list[str]:
    """Every match of the pattern in the input."""
    return within_budget(call, lambda timeout: _all_matches(pattern, text, timeout))


_JAVA_TRIMMED = "".join(chr(code) for code in range(0x21))  # Java's trim(): every char <= ' '


@function("trim", "string")
def trim(call: Any, text: str) -> str:
    return text.strip(_JAVA_TRIMMED)


_NOT_JAVA_WHITESPACE = "\u00a0\u2007\u202f"  # non-breaking spaces are no whitespace in Java


@function("is blank", "string")
def is_blank(call: Any, text: str) -> bool:
    return all(char.isspace() and char not in _NOT_JAVA_WHITESPACE for char in text)


@function("uuid")
def uuid(call: Any) -> str:
    """A time-ordered random UUID (version 7), as feel-scala generates."""
    millis = time.time_ns() // 1_000_000
    value = (millis & (2**48 - 1)) << 80 | int.from_bytes(os.urandom(10), "big") & (2**80 - 1)
    value = value & ~(0xF << 76) | 0x7 << 76  # version 7
    value = value & ~(0x3 << 62) | 0x2 << 62  # RFC 4122 variant
    return str(uuid_module.UUID(int=value))


@function("to base64", "value")
def to_base64(call: Any, text: str) -> str:
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


_BASE64 = re.compile(r"(?P<data>[A-Za-z0-9+/]*)(?P<padding>={0,2})")


@function("from base64", "value")
def from_base64(call: Any, text: str) -> str:
    """Decode base64 (padding optional, as Java's decoder) and read the bytes as UTF-8."""
    match = _BASE64.fullmatch(text)
    length = len(match["data"]) if match else 0
    if not match or (match["padding"] and (length + len(match["padding"])) % 4) or length % 4 == 1:
        raise InvalidArgument(f"'{abbreviated(text)}' is not valid base64")
    try:
        data = base64.b64decode(match["data"] + "=" * (-length % 4))
    except binascii.Error:
        raise InvalidArgument(f"'{abbreviated(text)}' is not valid base64") from None
    return data.decode("utf-8", errors="replace")
