"""Build the FEEL text the renderer emits: literals, conversions to JSON types, null-free contexts.

Also renames the field names an author writes in FEEL (`messageRole`) to the input names the
template binds (`chatCompletion_messageRole`), with a small tokenizer that leaves strings,
comments, backtick names, paths (`x.name`), context keys (`{name: ...}`) and function names alone.
Everything here targets feel-scala 1.17+ (Camunda 8.6+): only built-ins that exist there are used
(`string`, `number`, `lower case`, `get entries`, `context`, `instance of`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal

from generator.definition import model

FEEL_KEYWORDS = frozenset(
    [
        "if", "then", "else", "for", "in", "return", "some", "every", "satisfies", "and", "or", "between",
        "instance", "of", "function", "null", "true", "false", "not",
    ]
)

#: Built-in functions whose names are several words; their words are never renamed before `(`.
MULTI_WORD_FUNCTIONS = (
    "date and time",
    "years and months duration",
    "string length",
    "upper case",
    "lower case",
    "substring before",
    "substring after",
    "starts with",
    "ends with",
    "string join",
    "list contains",
    "insert before",
    "index of",
    "distinct values",
    "duplicate values",
    "get entries",
    "get value",
    "context put",
    "context merge",
    "put all",
    "is defined",
    "get or else",
    "is empty",
    "is blank",
    "day of year",
    "day of week",
    "month of year",
    "week of year",
    "last day of month",
    "random number",
    "to base64",
    "from base64",
    "to json",
    "from json",
    "round up",
    "round down",
    "round half up",
    "round half down",
    "met by",
    "overlaps before",
    "overlaps after",
    "finished by",
    "started by",
)
# their words, by first word (the renamer looks only where a first word stands)
_MULTI_WORD_BY_FIRST: dict[str, list[list[str]]] = {
    first: [function.split() for function in MULTI_WORD_FUNCTIONS if function.split()[0] == first]
    for first in {function.split()[0] for function in MULTI_WORD_FUNCTIONS}
}

_TOKEN = re.compile(
    r"""
      (?P<space>\s+)
    | (?P<comment>//[^\n]*|/\*.*?\*/)
    | (?P<string>"(?:[^"\\]|\\.)*"?)
    | (?P<backtick>`[^`]*`?)
    | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
    | (?P<number>\d+(?:\.\d+)?)
    | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_PLAIN_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_SIMPLE = re.compile(
    r'^(?:[A-Za-z_][A-Za-z0-9_.]*|"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?|[A-Za-z_][A-Za-z0-9_ ]*\([^()]*\))$'
)


def string_literal(text: str) -> str:
    """`text` as a FEEL string literal."""
    escaped = []
    for char in text:
        if char in ('"', "\\"):
            escaped.append("\\" + char)
        elif char == "\n":
            escaped.append("\\n")
        elif char == "\r":
            escaped.append("\\r")
        elif char == "\t":
            escaped.append("\\t")
        elif ord(char) < 0x20:
            escaped.append(f"\\u{ord(char):04x}")
        else:
            escaped.append(char)
    return '"' + "".join(escaped) + '"'


def literal(value: str | int | float | bool | None) -> str:
    """A JSON scalar as FEEL."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return format(Decimal(repr(value)), "f")
    return string_literal(value)


def context_key(key: str) -> str:
    """A context entry key: a bare name when FEEL allows it, else a string literal."""
    return key if _PLAIN_KEY.match(key) and key not in FEEL_KEYWORDS else string_literal(key)


def grouped(expression: str) -> str:
    """`expression` in parentheses unless it is a name, literal or plain call (safe anywhere)."""
    return expression if _SIMPLE.match(expression) else f"({expression})"


def context(entries: Iterable[tuple[str, str]]) -> str:
    """A context literal from `(key, FEEL expression)` pairs."""
    return "{" + ", ".join(f"{context_key(key)}: {value}" for key, value in entries) + "}"


def without_nulls(context_expression: str) -> str:
    """A context without the entries whose value is null (those are not sent)."""
    return f"context(get entries({context_expression})[item.value != null])"


def concatenation(parts: Iterable[str]) -> str:
    """String concatenation of FEEL expressions."""
    return " + ".join(parts)


def choose(alternatives: list[tuple[str | None, str]]) -> str:
    """`if c1 then e1 else if c2 then e2 else e3`; the last alternative has no condition."""
    *conditional, (_, fallback) = alternatives
    text = grouped(fallback) if conditional else fallback
    for condition, expression in reversed(conditional):
        text = f"if {condition} then {grouped(expression)} else {text}"
    return text


def as_json_type(name: str, field: model.Field, json_type: str | None = None) -> str:
    """The value of input `name` (bound by `field`) converted to `json_type` (default: the field's).

    Robust to what an input may hold: a String field in FEEL mode may already hold a number, and
    `number(x)` of a number is null in FEEL, so strings are converted and other values pass.
    """
    json_type = json_type or field.json
    if json_type == "string":
        if field.type == "Dropdown" or (field.type == "Hidden" and not field.computed):
            return name
        return f"string({name})"
    if json_type in ("number", "integer"):
        if field.type == "Number" and field.feel == "static":
            return name
        return f"if {name} instance of string then number({name}) else {name}"
    if json_type == "boolean":
        if field.type == "Boolean" and field.feel == "static":
            return name
        lowered = f"lower case({name})"
        return (
            f'if {name} instance of string then (if {lowered} = "true" then true '
            f'else if {lowered} = "false" then false else null) else {name}'
        )
    return name


def rename(text: str, names: dict[str, str]) -> str:
    """Rewrite the variables of author FEEL `text` per `names` (field name -> input name).

    Only free-standing names are renamed: not inside strings, comments or backticks, not after
    `.` (a path), not before `:` (a context key) or `(` (a function), and not the words of a
    multi-word built-in function.
    """
    names = {old: new for old, new in names.items() if old != new}
    if not names:
        return text
    tokens = [(match.lastgroup, match.group()) for match in _TOKEN.finditer(text)]
    protected = _multi_word_function_words(tokens)
    significant = [index for index, (kind, _) in enumerate(tokens) if kind not in ("space", "comment")]
    position = {token_index: order for order, token_index in enumerate(significant)}
    result = []
    for index, (kind, value) in enumerate(tokens):
        if kind == "name" and value in names and index not in protected:
            order = position[index]
            before = tokens[significant[order - 1]][1] if order > 0 else ""
            before_that = tokens[significant[order - 2]][1] if order > 1 else ""
            after = tokens[significant[order + 1]][1] if order + 1 < len(significant) else ""
            is_path = before == "." and before_that != "."
            if not is_path and after not in (":", "("):
                value = names[value]
        result.append(value)
    return "".join(result)


def _multi_word_function_words(tokens: list[tuple[str | None, str]]) -> set[int]:
    words = [(index, value) for index, (kind, value) in enumerate(tokens) if kind not in ("space", "comment")]
    protected: set[int] = set()
    for start, (_, first) in enumerate(words):
        for parts in _MULTI_WORD_BY_FIRST.get(first, ()):
            end = start + len(parts)
            window = words[start:end]
            if end < len(words) and [value for _, value in window] == parts and words[end][1] == "(":
                protected.update(index for index, _ in window)
    return protected
