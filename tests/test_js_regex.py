"""JavaScript regex semantics for template patterns (what the properties panel's RegExp.test sees)."""

from __future__ import annotations

import pytest

from generator.js_regex import JsRegexError, compile_js, js_test


@pytest.mark.parametrize(("pattern", "text", "expected"), [
    (r"^(\d+)?$", "undefined", False),
    (r"^(\d+)?$", "", True),
    (r"^\d+$", "12\n", False),             # JS `$` is the end of input, Python's also before a final \n
    (r"^a.c$", "a\rc", False),             # JS `.` excludes \r, \u2028, \u2029
    (r"^a.c$", "a\u2028c", False),
    (r"^a.c$", "abc", True),
    (r"^\d$", "\u0663", False),            # \d is ASCII in JS
    (r"^\w+$", "\u00e9", False),
    (r"^\s$", "\u00a0", True),             # \s is Unicode in JS
    (r"^[\s]$", "\ufeff", True),
    (r"^(?<y>\d{4})-\k<y>$", "2024-2024", True),
    (r"(?<=a)b", "ab", True),
    (r"^\e\a$", "ea", True),               # identity escapes are the letter
    (r"^\/$", "/", True),
    (r"[^]", "\n", True),
    (r"[]", "x", False),
    (r"^a{,2}$", "a{,2}", True),          # not a quantifier in JS
    (r"^a{1,2}$", "aa", True),
    (r"^\{\{secrets\..+\}\}$", "{{secrets.X}}", True),
    (r"^\cJ$", "\n", True),
    (r"^[\b]$", "\b", True),
    (r"^\x41\u0042$", "AB", True),
    # counts past what Python's int() (4,300 digits) and re (2^32-1) take: V8 reads them as 2^31-1
    ("^(ab){0," + "9" * 5000 + "}$", "abab", True),
    ("^a{1," + "9" * 20 + "}$", "aaa", True),
    ("a{" + "9" * 5000 + "}", "aaa", False),
    ("^a{\u0663}$", "a{\u0663}", True),    # not a quantifier: an Arabic-Indic digit
])
def test_js_semantics(pattern, text, expected):
    assert js_test(pattern, text) is expected


def test_a_broken_pattern_is_an_error():
    with pytest.raises(JsRegexError):
        compile_js("(")
    with pytest.raises(JsRegexError):
        compile_js("a\\")
