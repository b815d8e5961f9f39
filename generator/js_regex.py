"""JavaScript regular expressions (as `new RegExp(source)` reads them, no flags) run with Python's `re`.

The Modeler's properties panel checks a template's `constraints.pattern` with
`new RegExp(pattern).test(value)`, so what a pattern accepts is defined by JavaScript, not by
Python. The two dialects read the same text differently in ways that matter for patterns:
`$` (JS: end of input; Python: also before a final newline), `.` (JS also stops at `\\r`,
U+2028, U+2029), `\\d`/`\\w`/`\\b` (ASCII in JS), named groups `(?<n>...)` and `\\k<n>`, `[^]`
and `[]`, identity escapes such as `\\a` or `\\e` (a letter in JS, a control character or an
error in Python), `{,n}` (literal text in JS). `compile_js` translates those and compiles with
`re.ASCII`; `js_test` is `RegExp.prototype.test` (a search).
"""

from __future__ import annotations

import re
from functools import lru_cache

UNDEFINED_TEXT = "undefined"  # String(undefined): what RegExp.test sees when given no value

# ECMAScript WhiteSpace and LineTerminator code points (what `\s` matches)
_JS_SPACE = "\\t\\n\\x0b\\x0c\\r \\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff"
_JS_DOT = "[^\\n\\r\\u2028\\u2029]"
# escapes whose meaning is the same in both dialects (with re.ASCII)
_SHARED_ESCAPES = set("dDwWbBnrtfv0123456789")


_QUANTIFIER = re.compile(r"\{([0-9]+)(,)?([0-9]*)\}")
MAX_QUANTIFIER_COUNT = 2**31 - 1
"""V8 (the Modeler's engine) reads a larger `{n}` count as this one, its infinity."""


class JsRegexError(ValueError):
    """The pattern is no JavaScript regular expression Python can run."""


@lru_cache(maxsize=1024)
def compile_js(source: str) -> re.Pattern[str]:
    """The Python pattern that matches what `new RegExp(source)` matches."""
    try:
        return re.compile(_translate(source), re.ASCII)
    except (re.error, IndexError) as problem:
        raise JsRegexError(f"not a regular expression: {problem}") from None


def js_test(source: str, text: str) -> bool:
    """`new RegExp(source).test(text)`: does the pattern match anywhere in `text`?"""
    return compile_js(source).search(text) is not None


def _translate(source: str) -> str:
    out: list[str] = []
    i, in_class = 0, False
    while i < len(source):
        char = source[i]
        if char == "\\":
            escaped, i = _escape(source, i, in_class)
            out.append(escaped)
            continue
        if in_class:
            if char == "]":
                in_class = False
            elif char == "[":
                char = "\\["  # a literal in JS classes; Python warns about nested sets
            out.append(char)
        elif char == "[":
            if source.startswith("[^]", i):
                out.append("[\\s\\S]")
                i += 3
                continue
            if source.startswith("[]", i):
                out.append("(?!)")
                i += 2
                continue
            in_class = True
            out.append(char)
            if source.startswith("[^", i):
                out.append("^")
                i += 1
        elif char == "$":
            out.append("\\Z")
        elif char == ".":
            out.append(_JS_DOT)
        elif char == "(" and source.startswith("(?<", i) and not source.startswith(("(?<=", "(?<!"), i):
            out.append("(?P<")
            i += 3
            continue
        elif char == "{":
            quantifier = _QUANTIFIER.match(source, i)
            if quantifier is None:
                out.append("\\{")  # not a quantifier: a literal brace in JS (e.g. `{,3}`)
            else:
                low, comma, high = quantifier.groups()
                counts = [str(quantifier_count(digits)) if digits else "" for digits in (low, high)]
                out.append(f"{{{counts[0]}{comma or ''}{counts[1]}}}")
                i = quantifier.end()
                continue
        else:
            out.append(char)
        i += 1
    return "".join(out)


def quantifier_count(digits: str) -> int:
    """The count of a `{n}` or `{n,m}` quantifier as V8 reads it: at most `MAX_QUANTIFIER_COUNT`,
    however many digits (Python's int() stops at 4,300, its re at 2^32-1)."""
    significant = digits.lstrip("0")
    return min(int(significant or "0"), MAX_QUANTIFIER_COUNT) if len(significant) <= 10 else MAX_QUANTIFIER_COUNT


def _escape(source: str, i: int, in_class: bool) -> tuple[str, int]:
    """The translation of the escape starting at `source[i]` (a backslash), and the index after it."""
    if i + 1 >= len(source):
        raise JsRegexError("\\ at end of pattern")
    char = source[i + 1]
    if char in "sS":
        if in_class:
            return (_JS_SPACE if char == "s" else "\\S"), i + 2
        return (f"[{_JS_SPACE}]" if char == "s" else f"[^{_JS_SPACE}]"), i + 2
    if char == "k" and i + 2 < len(source) and source[i + 2] == "<":
        end = source.index(">", i)
        return f"(?P={source[i + 3:end]})", end + 1
    if char == "c" and i + 2 < len(source) and source[i + 2].isalpha():
        return re.escape(chr(ord(source[i + 2]) % 32)), i + 3
    if char == "x" and re.match(r"[0-9A-Fa-f]{2}", source[i + 2:i + 4]):
        return source[i:i + 4], i + 4
    if char == "u" and re.match(r"[0-9A-Fa-f]{4}", source[i + 2:i + 6]):
        return source[i:i + 6], i + 6
    if char == "b" and in_class:
        return "\\x08", i + 2
    if char in _SHARED_ESCAPES:
        return "\\" + char, i + 2
    # identity escape: the character itself (`\a` is "a", `\/` is "/", `\.` is ".")
    return re.escape(char), i + 2
