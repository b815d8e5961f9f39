"""Java regular expressions (what feel-scala hands to `java.util.regex`) in Python's `re`:
the pattern translation, Java's replacement syntax (`$1`, `${name}`) and Java's `split` rules.

Translated: `\\p{..}`/`\\P{..}` (Unicode general categories and POSIX classes), `\\Q..\\E`,
`(?<name>..)`, `\\k<name>`, `\\z`, `\\Z`, `\\h`, `\\v`, `\\R`, `\\x{..}`. Like Java without
UNICODE_CHARACTER_CLASS, `\\d \\w \\s \\b` and case-insensitivity are ASCII-only.
"""

from __future__ import annotations

import functools
import re
import sys
import unicodedata
from typing import Callable


class PatternError(ValueError):
    """The pattern is not a valid (or supported) regular expression."""


_POSIX = {
    "Lower": [(0x61, 0x7A)], "Upper": [(0x41, 0x5A)], "ASCII": [(0, 0x7F)],
    "Alpha": [(0x41, 0x5A), (0x61, 0x7A)], "Digit": [(0x30, 0x39)],
    "Alnum": [(0x30, 0x39), (0x41, 0x5A), (0x61, 0x7A)],
    "Punct": [(0x21, 0x2F), (0x3A, 0x40), (0x5B, 0x60), (0x7B, 0x7E)],
    "Graph": [(0x21, 0x7E)], "Print": [(0x20, 0x7E)], "Blank": [(0x20, 0x20), (0x09, 0x09)],
    "Cntrl": [(0, 0x1F), (0x7F, 0x7F)], "XDigit": [(0x30, 0x39), (0x41, 0x46), (0x61, 0x66)],
    "Space": [(0x09, 0x0D), (0x20, 0x20)],
}
# Java's binary properties that are close enough to general categories
_PROPERTY_CATEGORIES = {
    "Alphabetic": ("L", "Nl"), "Letter": ("L",), "Digit": ("Nd",), "Uppercase": ("Lu",),
    "Lowercase": ("Ll",), "Punctuation": ("P",), "Control": ("Cc",),
    "White_Space": ("Zs", "Zl", "Zp"), "Whitespace": ("Zs", "Zl", "Zp"),
}
_HORIZONTAL_SPACE = [(0x09, 0x09), (0x20, 0x20), (0xA0, 0xA0), (0x1680, 0x1680),
                     (0x180E, 0x180E), (0x2000, 0x200A), (0x202F, 0x202F), (0x205F, 0x205F),
                     (0x3000, 0x3000)]
_VERTICAL_SPACE = [(0x0A, 0x0D), (0x85, 0x85), (0x2028, 0x2029)]


@functools.lru_cache(maxsize=None)
def _category_ranges(categories: tuple[str, ...]) -> tuple[tuple[int, int], ...]:
    """Code point ranges whose general category starts with one of `categories` (`L`, `Lu`)."""
    ranges: list[tuple[int, int]] = []
    for code in range(sys.maxunicode + 1):
        if unicodedata.category(chr(code)).startswith(categories):
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1] = (ranges[-1][0], code)
            else:
                ranges.append((code, code))
    return tuple(ranges)


def _property_ranges(name: str) -> list[tuple[int, int]]:
    for prefix in ("general_category=", "gc=", "Is"):
        if name.startswith(prefix):
            name = name[len(prefix):]
            break
    if name in _POSIX:
        return _POSIX[name]
    if name in _PROPERTY_CATEGORIES:
        return list(_category_ranges(_PROPERTY_CATEGORIES[name]))
    if re.fullmatch(r"[LMNPSZC][a-z&]?", name):
        return list(_category_ranges((name.rstrip("&"),)))
    raise PatternError(f"unsupported character property '\\p{{{name}}}'")


def _complement(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    result, start = [], 0
    for low, high in sorted(ranges):
        if low > start:
            result.append((start, low - 1))
        start = max(start, high + 1)
    if start <= sys.maxunicode:
        result.append((start, sys.maxunicode))
    return result


def _class_body(ranges: list[tuple[int, int]]) -> str:
    def char(code: int) -> str:
        return f"\\U{code:08x}"
    return "".join(char(low) if low == high else f"{char(low)}-{char(high)}" for low, high in ranges)


def _read_braced(pattern: str, start: int) -> tuple[str, int]:
    end = pattern.find("}", start)
    if pattern[start:start + 1] != "{" or end < 0:
        raise PatternError("unclosed '{' in the pattern")
    return pattern[start + 1:end], end + 1


def _translate_escape(pattern: str, i: int, in_class: bool) -> tuple[str, int]:
    """Translate the escape starting at pattern[i] == '\\'; returns (python text, next index)."""
    letter = pattern[i + 1:i + 2]
    if letter in ("p", "P"):
        if pattern[i + 2:i + 3] == "{":
            name, end = _read_braced(pattern, i + 2)
        else:
            name, end = pattern[i + 2:i + 3], i + 3
        ranges = _property_ranges(name)
        return _class_text(ranges if letter == "p" else _complement(ranges), in_class), end
    if letter == "Q":
        end = pattern.find("\\E", i + 2)
        literal = pattern[i + 2:] if end < 0 else pattern[i + 2:end]
        return re.escape(literal), len(pattern) if end < 0 else end + 2
    if letter == "x" and pattern[i + 2:i + 3] == "{":
        digits, end = _read_braced(pattern, i + 2)
        return f"\\U{int(digits, 16):08x}", end
    if letter == "k" and pattern[i + 2:i + 3] == "<":
        end = pattern.find(">", i + 3)
        return f"(?P={pattern[i + 3:end]})", end + 1
    simple = {"h": _class_text(_HORIZONTAL_SPACE, in_class),
              "H": _class_text(_complement(_HORIZONTAL_SPACE), in_class),
              "v": _class_text(_VERTICAL_SPACE, in_class),
              "V": _class_text(_complement(_VERTICAL_SPACE), in_class),
              "e": "\\x1b"}
    if letter in simple:
        return simple[letter], i + 2
    if not in_class and letter in ("z", "Z", "R"):
        return {"z": "\\Z", "Z": "(?=\\n?\\Z)",
                "R": "(?:\\r\\n|[\\n\\x0b\\f\\r\\x85\\u2028\\u2029])"}[letter], i + 2
    return pattern[i:i + 2], i + 2


def _class_text(ranges: list[tuple[int, int]], in_class: bool) -> str:
    body = _class_body(ranges)
    return body if in_class else f"[{body}]"


@functools.lru_cache(maxsize=256)
def _translate(pattern: str) -> str:
    out: list[str] = []
    i, depth = 0, 0  # depth > 0: inside a character class
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            text, i = _translate_escape(pattern, i, depth > 0)
            out.append(text)
            continue
        if char == "[":
            depth += 1
            if depth > 1:
                raise PatternError("nested character classes are not supported")
            out.append(char)
            i += 1
            # a ']' right after '[' or '[^' is a literal in Java
            if pattern[i:i + 1] == "^":
                out.append("^")
                i += 1
            if pattern[i:i + 1] == "]":
                out.append("\\]")
                i += 1
            continue
        if char == "]" and depth:
            depth -= 1
        elif char == "(" and not depth and pattern.startswith("(?<", i) and pattern[i + 3:i + 4] not in ("=", "!"):
            out.append("(?P<")
            i += 3
            continue
        out.append(char)
        i += 1
    return "".join(out)


_FLAGS = {"s": re.DOTALL, "m": re.MULTILINE, "i": re.IGNORECASE, "x": re.VERBOSE}


@functools.lru_cache(maxsize=256)
def compile_java(pattern: str, flags: str = "") -> re.Pattern[str]:
    """Compile a Java regular expression; `flags` is FEEL's flag string (`s`, `m`, `i`, `x`)."""
    bits = re.ASCII
    for letter, bit in _FLAGS.items():
        if letter in flags:
            bits |= bit
    try:
        return re.compile(_translate(pattern), bits)
    except (re.error, ValueError, OverflowError) as error:
        raise PatternError(str(error)) from None


def java_replacement(template: str, pattern: re.Pattern[str]) -> Callable[[re.Match[str]], str]:
    """Java's `Matcher.replaceAll` template as a function: `$n`/`${name}` are groups, a
    backslash takes the next character literally."""
    parts: list[tuple[bool, str | int]] = []  # (is a group reference, literal text or group)
    i = 0
    while i < len(template):
        char = template[i]
        if char == "$":
            group, i = _group_reference(template, i + 1, pattern)
            parts.append((True, group))
            continue
        if char == "\\":
            if i + 1 >= len(template):
                raise PatternError("character to be escaped is missing")
            i += 1
        parts.append((False, template[i]))
        i += 1

    def replace(match: re.Match[str]) -> str:
        return "".join((match.group(part) or "") if is_group else part  # type: ignore[misc]
                       for is_group, part in parts)

    return replace


def _group_reference(template: str, i: int, pattern: re.Pattern[str]) -> tuple[int | str, int]:
    if template[i:i + 1] == "{":
        name, end = _read_braced(template, i)
        if name not in pattern.groupindex:
            raise PatternError(f"No group with name {{{name}}}")
        return name, end
    if not template[i:i + 1].isdigit():
        raise PatternError("Illegal group reference")
    group, i = int(template[i]), i + 1
    # Java takes further digits while the number still names an existing group
    while i < len(template) and template[i].isdigit() and group * 10 + int(template[i]) <= pattern.groups:
        group, i = group * 10 + int(template[i]), i + 1
    if group > pattern.groups:
        raise PatternError(f"No group {group}")
    return group, i


def java_split(pattern: re.Pattern[str], text: str) -> list[str]:
    """Java's `Pattern.split(text, -1)`: trailing empty strings are kept; a zero-width match at
    the very start yields no leading empty string."""
    parts, last = [], 0
    for match in pattern.finditer(text):
        if match.start() == match.end() == 0:
            continue
        parts.append(text[last:match.start()])
        last = match.end()
    parts.append(text[last:])
    return parts
