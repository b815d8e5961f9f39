"""Is a text a valid JavaScript regular expression for `new RegExp(text)` (no flags)?

The properties panel builds `new RegExp(pattern)` from `constraints.pattern`; a pattern that is
no JavaScript regex throws there. Without flags JavaScript reads patterns with the web-compat
grammar of ECMAScript Annex B (B.1.2), which accepts much that Python's `re` rejects (`]`, `{`
and `}` as literals, `\\c` without a letter, `\\8`, octal escapes, quantified lookaheads) and
rejects what it accepts (`a{2,1}`, `(?<=a)*`, `{1}` alone, `\\k<x>` without a group `x` in a
pattern with named groups). This module follows that grammar; tests compare its verdicts with
node's `new RegExp` on a table of patterns.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from generator.js_regex import quantifier_count

_BRACED = re.compile(r"\{([0-9]+)(?:(,)([0-9]*))?\}")
_GROUP_NAME = re.compile(r"(?:[\w$]|\\u[0-9A-Fa-f]{4}|\\u\{[0-9A-Fa-f]+\})+")


class JsRegexSyntaxError(ValueError):
    """What `new RegExp` says, roughly, and where (0-based offset)."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset


@lru_cache(maxsize=4096)
def syntax_error(source: str) -> JsRegexSyntaxError | None:
    """None when `new RegExp(source)` accepts `source`, else why not."""
    names = _group_names(source)
    try:
        _Parser(source, named_groups=bool(names)).parse()
    except JsRegexSyntaxError as error:
        return error
    return None


def _group_names(source: str) -> list[str]:
    """Group names of `(?<name>` openings outside classes and escapes (a first scan: the
    grammar reads `\\k` differently when the pattern has any)."""
    names, i, in_class = [], 0, False
    while i < len(source):
        char = source[i]
        if char == "\\":
            i += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif source.startswith("(?<", i) and not source.startswith(("(?<=", "(?<!"), i):
            end = source.find(">", i)
            if end > 0:
                names.append(source[i + 3:end])
        i += 1
    return names


class _Parser:
    def __init__(self, source: str, named_groups: bool) -> None:
        self.source = source
        self.i = 0
        self.named_groups = named_groups
        self.groups = 0
        self.names: list[str] = []
        self.references: list[tuple[str, int]] = []

    def fail(self, message: str, offset: int | None = None) -> JsRegexSyntaxError:
        return JsRegexSyntaxError(message, self.i if offset is None else offset)

    def peek(self, offset: int = 0) -> str:
        index = self.i + offset
        return self.source[index] if index < len(self.source) else ""

    def parse(self) -> None:
        self.disjunction()
        if self.i < len(self.source):
            raise self.fail("Unmatched ')'")
        for name, offset in self.references:
            if name not in self.names:
                raise self.fail("Invalid named capture referenced", offset)

    def disjunction(self) -> None:
        self.alternative()
        while self.peek() == "|":
            self.i += 1
            self.alternative()

    def alternative(self) -> None:
        while self.i < len(self.source) and self.peek() not in "|)":
            self.term()

    def term(self) -> None:
        char = self.peek()
        if char in "^$":
            self.i += 1
            self.no_quantifier("Nothing to repeat")
            return
        if char == "\\" and self.peek(1) in ("b", "B"):
            self.i += 2
            self.no_quantifier("Nothing to repeat")
            return
        if self.source.startswith(("(?=", "(?!"), self.i):
            self.group(3)
            self.quantifier()  # Annex B: lookaheads may be quantified
            return
        if self.source.startswith(("(?<=", "(?<!"), self.i):
            self.group(4)
            self.no_quantifier("Nothing to repeat")
            return
        if char in "*+?":
            raise self.fail("Nothing to repeat")
        if char == "{" and _BRACED.match(self.source, self.i):
            raise self.fail("Nothing to repeat")
        self.atom()
        self.quantifier()

    def no_quantifier(self, message: str) -> None:
        if self.peek() in ("*", "+", "?") or (self.peek() == "{" and _BRACED.match(self.source, self.i)):
            raise self.fail(message)

    def quantifier(self) -> None:
        char = self.peek()
        if char in ("*", "+", "?"):
            self.i += 1
        elif char == "{":
            match = _BRACED.match(self.source, self.i)
            if not match:
                return
            low, comma, high = match.group(1), match.group(2), match.group(3)
            if comma and high and quantifier_count(low) > quantifier_count(high):
                raise self.fail("numbers out of order in {} quantifier")
            self.i = match.end()
        else:
            return
        if self.peek() == "?":
            self.i += 1
        if self.peek() in ("*", "+", "?") or (self.peek() == "{" and _BRACED.match(self.source, self.i)):
            raise self.fail("Nothing to repeat")

    def group(self, opener: int) -> None:
        self.i += opener
        self.disjunction()
        if self.peek() != ")":
            raise self.fail("Unterminated group")
        self.i += 1

    def atom(self) -> None:
        char = self.peek()
        if char == "(":
            if self.source.startswith("(?:", self.i):
                self.group(3)
            elif self.source.startswith("(?<", self.i):
                match = _GROUP_NAME.match(self.source, self.i + 3)
                name = match.group() if match else ""
                end = self.i + 3 + len(name)
                if not name or self.source[end:end + 1] != ">" or not _valid_name(name):
                    raise self.fail("Invalid capture group name")
                if name in self.names:
                    raise self.fail("Duplicate capture group name")
                self.names.append(name)
                self.groups += 1
                self.i = end + 1
                self.disjunction()
                if self.peek() != ")":
                    raise self.fail("Unterminated group")
                self.i += 1
            elif self.peek(1) == "?":
                raise self.fail("Invalid group")
            else:
                self.groups += 1
                self.group(1)
        elif char == ")":
            raise self.fail("Unmatched ')'")
        elif char == "[":
            self.character_class()
        elif char == "\\":
            self.atom_escape()
        else:
            self.i += 1  # ".", or a pattern character (Annex B: also "]", "{", "}")

    def atom_escape(self) -> None:
        if self.i + 1 >= len(self.source):
            raise self.fail("\\ at end of pattern")
        char = self.source[self.i + 1]
        if char == "k" and self.named_groups:
            match = re.compile(r"<([^>]*)>").match(self.source, self.i + 2)
            if not match or not match.group(1) or not _valid_name(match.group(1)):
                raise self.fail("Invalid named reference")
            self.references.append((match.group(1), self.i))
            self.i = match.end()
            return
        self.i += 2
        if char == "c" and not (self.peek().isascii() and self.peek().isalpha()):
            self.i -= 1  # "\c" without a letter: a backslash, then "c" as a pattern character
        elif char == "c":
            self.i += 1
        elif char == "x" and re.match(r"[0-9A-Fa-f]{2}", self.source[self.i:self.i + 2]):
            self.i += 2
        elif char == "u" and re.match(r"[0-9A-Fa-f]{4}", self.source[self.i:self.i + 4]):
            self.i += 4
        # anything else (digits, identity escapes, \d \s \w, \p as "p") is a valid escape here

    def character_class(self) -> None:
        start = self.i
        self.i += 1
        if self.peek() == "^":
            self.i += 1
        while True:
            if self.i >= len(self.source):
                raise self.fail("Unterminated character class", start)
            char = self.peek()
            if char == "]":
                self.i += 1
                return
            low = self.class_atom()
            if self.peek() == "-" and self.peek(1) not in ("]", ""):
                self.i += 1
                high = self.class_atom()
                if low is not None and high is not None and low > high:
                    raise self.fail("Range out of order in character class")

    def class_atom(self) -> int | None:
        """One class atom; its code point, or None for a class escape (`\\d`, ...)."""
        char = self.peek()
        if char != "\\":
            self.i += 1
            return ord(char)
        if self.i + 1 >= len(self.source):
            raise self.fail("\\ at end of pattern")
        escaped = self.source[self.i + 1]
        self.i += 2
        if escaped in "dDsSwW":
            return None
        if escaped == "k" and self.named_groups:
            raise self.fail("Invalid escape")
        simple = {"b": 8, "f": 12, "n": 10, "r": 13, "t": 9, "v": 11, "0": 0}
        if escaped == "c":
            follower = self.peek()
            if follower.isascii() and (follower.isalpha() or follower.isdigit() or follower == "_"):
                self.i += 1
                return ord(follower) % 32
            self.i -= 1  # "\" then "c"
            return ord("\\")
        if escaped == "x" and re.match(r"[0-9A-Fa-f]{2}", self.source[self.i:self.i + 2]):
            self.i += 2
            return int(self.source[self.i - 2:self.i], 16)
        if escaped == "u" and re.match(r"[0-9A-Fa-f]{4}", self.source[self.i:self.i + 4]):
            self.i += 4
            return int(self.source[self.i - 4:self.i], 16)
        if escaped.isdigit():
            match = re.compile(r"[0-7]{1,3}").match(self.source, self.i - 1)
            if escaped in "01234567" and match:
                digits = match.group()
                if int(digits, 8) > 0o377:
                    digits = digits[:2]
                self.i = self.i - 1 + len(digits)
                return int(digits, 8)
            return ord(escaped)
        return simple.get(escaped, ord(escaped))


def _valid_name(name: str) -> bool:
    """An IdentifierName (ID_Start / `$` / `_`, then ID_Continue / `$` / ZWNJ / ZWJ), with
    `\\uXXXX` escapes decoded."""
    try:
        text = re.sub(r"\\u\{([0-9A-Fa-f]+)\}|\\u([0-9A-Fa-f]{4})", lambda m: chr(int(m.group(1) or m.group(2), 16)), name)
    except (ValueError, OverflowError):
        return False
    if not text or "\\" in text:
        return False
    first, rest = text[0], text[1:]
    if not (first in "$_" or first.isidentifier()):
        return False
    return all(char in "$\u200c\u200d" or ("a" + char).isidentifier() or unicodedata.category(char) == "Mn" for char in rest)
