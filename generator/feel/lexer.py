"""FEEL tokenizer: one compiled regular expression turns expression text into a token list.

Whitespace and comments (`// ...`, `/* ... */`) are skipped but every token keeps its character
offsets, so the parser can tell names separated only by spaces (`string join(`) from other
sequences and can slice raw text (context keys such as `foo+bar`). A character that starts no
token becomes an `other` token: it is legal inside a context key and an error anywhere else.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from generator.feel.errors import FeelSyntaxError

# Token kinds (plain strings keep comparisons cheap and tokens printable).
NUMBER = "number"
STRING = "string"
NAME = "name"
BACKTICK = "backtick"
OPERATOR = "operator"
OTHER = "other"
END = "end"

_TOKEN_RE = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<line_comment>//[^\n\r]*)
  | (?P<block_comment>/\*.*?\*/)
  | (?P<open_comment>/\*)
  | (?P<number>\d+(?:\.\d+)?|\.\d+)
  | (?P<string>"(?:[^"\\]|\\.)*")
  | (?P<open_string>")
  | (?P<backtick>`[^`]+`)
  | (?P<open_backtick>`)
  | (?P<name>(?:[^\W\d]|\$)(?:\w|\$)*)
  | (?P<operator>\*\*|\.\.|<=|>=|!=|[-+*/=<>()\[\]{},:.?@])
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


class Token(NamedTuple):
    """One token: its kind, its text (for strings and backticks the raw text incl. quotes),
    and its character offsets in the expression text."""

    kind: str
    text: str
    start: int
    end: int


def position(text: str, offset: int) -> tuple[int, int]:
    """The 1-based (line, column) of a character offset."""
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def syntax_error(text: str, offset: int, message: str) -> FeelSyntaxError:
    """A `FeelSyntaxError` pointing at `offset`."""
    line, column = position(text, offset)
    return FeelSyntaxError(message, line, column, text)


def tokenize(text: str) -> list[Token]:
    """All tokens of `text`, ending with an `end` token; raises `FeelSyntaxError` for an
    unterminated string, backtick name or block comment."""
    tokens: list[Token] = []
    append = tokens.append
    for match in _TOKEN_RE.finditer(text):
        kind = match.lastgroup
        if kind == "space" or kind == "line_comment" or kind == "block_comment":
            continue
        start = match.start()
        if kind == "open_comment":
            raise syntax_error(text, start, "unterminated comment: '/*' has no closing '*/'")
        if kind == "open_string":
            raise syntax_error(text, start, "unterminated string: '\"' has no closing '\"'")
        if kind == "open_backtick":
            raise syntax_error(text, start, "unterminated name: '`' has no closing '`'")
        append(Token(kind, match.group(), start, match.end()))  # type: ignore[arg-type]
    append(Token(END, "", len(text), len(text)))
    return tokens


_ESCAPE_RE = re.compile(r"\\(?:U([0-9a-fA-F]{5,6})|u([0-9a-fA-F]{4})|(.))", re.DOTALL)
_SIMPLE_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f",
                   "'": "'", '"': '"', "\\": "\\"}


def _unescape_match(match: re.Match[str]) -> str:
    long_hex, short_hex, char = match.groups()
    if char is not None:
        # feel-scala keeps unknown escapes as they are, which keeps regex text such as `\d` intact
        return _SIMPLE_ESCAPES.get(char, match.group())
    code = int(long_hex or short_hex, 16)
    if code > 0x10FFFF:
        return match.group()
    return chr(code)


def _join_surrogates(text: str) -> str:
    # `\uD83D\uDE00` escapes a character as two UTF-16 halves; Python strings hold code points
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def unescape_string(raw: str) -> str:
    """The value of a string token (`raw` includes the quotes): `\\n`, `\\"`, `\\u0041`,
    `\\U01F600` and friends are translated, unknown escapes are kept verbatim."""
    body = raw[1:-1]
    if "\\" not in body:
        return body
    value = _ESCAPE_RE.sub(_unescape_match, body)
    if any("\ud800" <= char <= "\udfff" for char in value):
        value = _join_surrogates(value)
    return value


def escape_names(text: str, names: list[str]) -> str:
    """`text` with each whole occurrence of `names` outside strings and backticks written in
    backticks, longest name first (what Camunda's DMN engine does for names with spaces or
    dashes, so `Date of Birth` or `Loan-Amount` read as one name). Text that does not tokenize
    is returned unchanged."""
    try:
        protected = [(token.start, token.end) for token in tokenize(text)
                     if token.kind in (STRING, BACKTICK)]
    except FeelSyntaxError:
        return text
    for name in sorted(names, key=len, reverse=True):
        pattern = re.compile(r"(?<![\w`$])" + re.escape(name) + r"(?![\w`$])")
        pieces, last = [], 0
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(low <= start < high for low, high in protected):
                continue
            pieces.append(text[last:start] + "`" + name + "`")
            last = end
        if pieces:
            text = "".join(pieces) + text[last:]
            protected = [(token.start, token.end) for token in tokenize(text)
                         if token.kind in (STRING, BACKTICK)]
    return text
