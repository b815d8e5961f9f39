"""Java regular expressions (what feel-scala hands to `java.util.regex`) on the `regex` module:
the pattern translation, Java's replacement syntax (`$1`, `${name}`), Java's `split` rules, and
the time budget every match runs in.

`regex` understands most of Java's syntax natively: possessive quantifiers, atomic groups,
`(?<name>..)`, `\\p{..}` categories, scripts and binary properties. Translated here: Java's
ASCII-only POSIX classes (`\\p{Alpha}`, `\\p{Punct}`, ...), `\\Q..\\E`, `\\k<name>`, `\\z`,
`\\Z`, `\\h`, `\\v`, `\\R`, `\\x{..}`, `\\e`. Like Java without UNICODE_CHARACTER_CLASS, `\\d \\w
\\s \\b` and case-insensitivity are ASCII-only (the ASCII flag), while `\\p{..}` stays Unicode
(a scoped `(?u:..)`).

Matching a backtracking pattern can take exponential time, and Python cannot interrupt it from
outside, so every operation runs with `regex`'s `timeout` set to what is left of the
evaluation's `REGEX_SECONDS` (`within_budget`); compiling counts too.
"""

from __future__ import annotations

import functools
import sys
import time
from collections.abc import Callable
from typing import Any, TypeVar

import regex

from generator.feel.errors import FeelEvaluationError
from generator.feel.limits import (
    LIMIT_EXCEEDED,
    MAX_LIST_LENGTH,
    MAX_PATTERN_LENGTH,
    REGEX_SECONDS,
    too_many_items,
)

Pattern = Any  # a compiled `regex` pattern (the module ships no type hints)
Match = Any
T = TypeVar("T")

# the clock `within_budget` spends the budget by (tests put a clock of their own here, to count
# the time of every call exactly)
budget_clock: Callable[[], float] = time.perf_counter


class PatternError(ValueError):
    """The pattern is not a valid (or supported) regular expression."""


# Java's POSIX classes are ASCII-only, whatever the property names mean in Unicode
_POSIX = {
    "Lower": [(0x61, 0x7A)], "Upper": [(0x41, 0x5A)], "ASCII": [(0, 0x7F)],
    "Alpha": [(0x41, 0x5A), (0x61, 0x7A)], "Digit": [(0x30, 0x39)],
    "Alnum": [(0x30, 0x39), (0x41, 0x5A), (0x61, 0x7A)],
    "Punct": [(0x21, 0x2F), (0x3A, 0x40), (0x5B, 0x60), (0x7B, 0x7E)],
    "Graph": [(0x21, 0x7E)], "Print": [(0x20, 0x7E)], "Blank": [(0x20, 0x20), (0x09, 0x09)],
    "Cntrl": [(0, 0x1F), (0x7F, 0x7F)], "XDigit": [(0x30, 0x39), (0x41, 0x46), (0x61, 0x66)],
    "Space": [(0x09, 0x0D), (0x20, 0x20)],
}
_HORIZONTAL_SPACE = [(0x09, 0x09), (0x20, 0x20), (0xA0, 0xA0), (0x1680, 0x1680),
                     (0x180E, 0x180E), (0x2000, 0x200A), (0x202F, 0x202F), (0x205F, 0x205F),
                     (0x3000, 0x3000)]
_VERTICAL_SPACE = [(0x0A, 0x0D), (0x85, 0x85), (0x2028, 0x2029)]
# inside a character class that holds a Unicode property (compiled as Unicode), the ASCII
# meaning of \d \w \s has to be spelled out
_ASCII_CLASSES = {"d": [(0x30, 0x39)], "w": [(0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A)],
                  "s": [(0x09, 0x0D), (0x20, 0x20)]}


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


def _class_text(ranges: list[tuple[int, int]], in_class: bool) -> str:
    body = _class_body(ranges)
    return body if in_class else f"[{body}]"


def _read_braced(pattern: str, start: int) -> tuple[str, int]:
    end = pattern.find("}", start)
    if pattern[start:start + 1] != "{" or end < 0:
        raise PatternError("unclosed '{' in the pattern")
    return pattern[start + 1:end], end + 1


def _property(name: str, negated: bool, in_class: bool) -> tuple[str, bool]:
    """(the text for `\\p{name}`, whether it needs Unicode mode)."""
    if name in _POSIX:
        ranges = _POSIX[name]
        return _class_text(_complement(ranges) if negated else ranges, in_class), False
    for prefix in ("general_category=", "gc="):  # Java's spelling of a category
        name = name.removeprefix(prefix)
    name = name.removeprefix("Is")  # Java: IsLatin (script), IsAlphabetic (property), IsLu (category)
    if name.startswith("In"):  # Java: InGreek (block)
        name = "Block=" + name[2:]
    text = ("\\P" if negated else "\\p") + "{" + name + "}"
    return (text if in_class else f"(?u:{text})"), True


def _translate_escape(pattern: str, i: int, in_class: bool) -> tuple[str, int, bool]:
    """Translate the escape at pattern[i] == '\\': (text, next index, needs Unicode mode)."""
    letter = pattern[i + 1:i + 2]
    if letter in ("p", "P"):
        if pattern[i + 2:i + 3] == "{":
            name, end = _read_braced(pattern, i + 2)
        else:
            name, end = pattern[i + 2:i + 3], i + 3
        text, unicode = _property(name, letter == "P", in_class)
        return text, end, unicode
    if letter == "Q":
        end = pattern.find("\\E", i + 2)
        literal = pattern[i + 2:] if end < 0 else pattern[i + 2:end]
        return regex.escape(literal, special_only=False), len(pattern) if end < 0 else end + 2, False
    if letter == "x" and pattern[i + 2:i + 3] == "{":
        digits, end = _read_braced(pattern, i + 2)
        try:
            return f"\\U{int(digits, 16):08x}", end, False
        except ValueError:
            raise PatternError(f"illegal hexadecimal escape '\\x{{{digits}}}'") from None
    if letter == "k" and pattern[i + 2:i + 3] == "<":
        end = pattern.find(">", i + 3)
        if end < 0:
            raise PatternError("unclosed group name in '\\k<'")
        return f"(?P={pattern[i + 3:end]})", end + 1, False
    if in_class and letter.lower() in _ASCII_CLASSES:
        ranges = _ASCII_CLASSES[letter.lower()]
        return _class_body(ranges if letter.islower() else _complement(ranges)), i + 2, False
    simple = {"h": _HORIZONTAL_SPACE, "H": _complement(_HORIZONTAL_SPACE),
              "v": _VERTICAL_SPACE, "V": _complement(_VERTICAL_SPACE)}
    if letter in simple:
        return _class_text(simple[letter], in_class), i + 2, False
    if letter == "e":
        return "\\x1b", i + 2, False
    if not in_class and letter in ("z", "Z", "R"):
        return {"z": "\\Z", "Z": "(?=\\n?\\Z)",
                "R": "(?:\\r\\n|[\\n\\x0b\\f\\r\\x85\\u2028\\u2029])"}[letter], i + 2, False
    return pattern[i:i + 2], i + 2, False


def _translate(pattern: str) -> str:
    out: list[str] = []
    i = 0
    class_start = -1  # index in `out` of the open character class, or -1
    class_unicode = False  # the open class holds a Unicode property
    while i < len(pattern):
        char = pattern[i]
        in_class = class_start >= 0
        if char == "\\":
            text, i, unicode = _translate_escape(pattern, i, in_class)
            out.append(text)
            class_unicode = class_unicode or (in_class and unicode)
            continue
        if char == "[":
            if in_class:
                raise PatternError("nested character classes are not supported")
            class_start, class_unicode = len(out), False
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
        out.append(char)
        i += 1
        if char == "]" and in_class:
            if class_unicode:  # only the class itself is compiled in Unicode mode
                out[class_start] = "(?u:["
                out.append(")")
            class_start = -1
    return "".join(out)


_QUANTIFIER = regex.compile(r"\{(\d*)(?:,\d*)?\}")


def _expanded_size(translated: str) -> int:
    """About how many nodes `regex` builds for a (translated) pattern: it writes the minimum
    count of a counted repeat out as that many copies, so nested counts multiply
    (`(?:a{1000}){1000}` is a million nodes, `a{100000000}` gigabytes). An upper bound: every
    atom counts once, alternatives add up, and a repeat multiplies by max(minimum, 1)."""
    sizes = [0]  # the size so far of each open group, innermost last
    last = 0  # the size of the atom or group just read (what a quantifier would repeat)
    i = 0
    while i < len(translated):
        char = translated[i]
        if char == "(":
            sizes.append(0)
            i += 1
            continue
        if char == ")" and len(sizes) > 1:
            last = sizes.pop()
            sizes[-1] += last
            i += 1
        elif char == "[":
            end = i + 1 + (translated[i + 1:i + 2] == "^")
            end += translated[end:end + 1] == "]"
            while end < len(translated) and translated[end] != "]":
                end += 2 if translated[end] == "\\" else 1
            i, last = end + 1, 1
            sizes[-1] += 1
        else:
            i += 2 if char == "\\" else 1
            last = 1
            sizes[-1] += 1
        quantifier = _QUANTIFIER.match(translated, i)
        if quantifier:
            digits = quantifier.group(1)
            minimum = int(digits) if 0 < len(digits) <= 9 else (0 if not digits else 10**9)
            sizes[-1] += last * (max(minimum, 1) - 1)
            i = quantifier.end()
    return sum(sizes)


_FLAGS = {"s": regex.DOTALL, "m": regex.MULTILINE, "i": regex.IGNORECASE, "x": regex.VERBOSE}
_CACHED_PATTERN_LENGTH = 1_000  # longer patterns are compiled every time, not kept in memory


def _compile(pattern: str, flags: str) -> Pattern:
    bits = regex.ASCII
    for letter, bit in _FLAGS.items():
        if letter in flags:
            bits |= bit
    translated = _translate(pattern)
    if _expanded_size(translated) > MAX_PATTERN_LENGTH:
        raise FeelEvaluationError(
            f"a regular expression would expand to more than {MAX_PATTERN_LENGTH} characters "
            "(its repetition counts multiply)", LIMIT_EXCEEDED)
    try:
        return regex.compile(translated, bits)
    except (regex.error, ValueError, OverflowError, RecursionError) as error:
        raise PatternError(str(error)) from None


_compile_cached = functools.lru_cache(maxsize=256)(_compile)


def compile_java(pattern: str, flags: str = "") -> Pattern:
    """Compile a Java regular expression; `flags` is FEEL's flag string (`s`, `m`, `i`, `x`).
    Raises `PatternError`, or a LIMIT_EXCEEDED `FeelEvaluationError` for a pattern longer than
    `MAX_PATTERN_LENGTH`."""
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise FeelEvaluationError(
            f"a regular expression is longer than {MAX_PATTERN_LENGTH} characters", LIMIT_EXCEEDED)
    if len(pattern) > _CACHED_PATTERN_LENGTH:
        return _compile(pattern, flags)
    return _compile_cached(pattern, flags)


def within_budget(call: Any, operation: Callable[[float], T]) -> T:
    """Run `operation(timeout)` (which compiles and matches, passing `timeout=` to `regex`) on
    the time left of `call.regex_seconds`; running out fails the evaluation (LIMIT_EXCEEDED)."""
    left = call.regex_seconds
    start = budget_clock()
    try:
        if left <= 0:
            raise TimeoutError
        return operation(left)
    except TimeoutError:
        raise FeelEvaluationError(
            f"regular expressions took more than {REGEX_SECONDS:g} s in this evaluation (a pattern "
            "that backtracks catastrophically, such as '(a|aa)+$'?)", LIMIT_EXCEEDED) from None
    finally:
        call.regex_seconds = left - (budget_clock() - start)


def java_replacement(template: str, pattern: Pattern) -> Callable[[Match], str]:
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

    def replace(match: Match) -> str:
        return "".join((match.group(part) or "") if is_group else part  # type: ignore[misc]
                       for is_group, part in parts)

    return replace


def _group_reference(template: str, i: int, pattern: Pattern) -> tuple[int | str, int]:
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


def java_split(pattern: Pattern, text: str, timeout: float | None = None) -> list[str]:
    """Java's `Pattern.split(text, -1)`: trailing empty strings are kept; a zero-width match at
    the very start yields no leading empty string. At most `MAX_LIST_LENGTH` parts."""
    parts, last = [], 0
    for match in pattern.finditer(text, timeout=timeout):
        if match.start() == match.end() == 0:
            continue
        parts.append(text[last:match.start()])
        last = match.end()
        if len(parts) >= MAX_LIST_LENGTH:
            raise too_many_items()
    parts.append(text[last:])
    return parts
