"""JSON pointers and where they are in JSON text: line and column of the values findings name.

Positions are only needed when there are findings. `locate` walks the text, descending only into
the members that lie on a requested pointer's path and skipping every other value with the
C-accelerated `json` decoder; walked from the start, that costs about as much as parsing the file
once. So `etk validate` parses a template file with `read_templates`, which notes where each
template, each of its members and each of its properties starts (`TemplateLayout`); `locate`
starts each walk there and reads only the properties that have findings.

`read_templates` also reads a property whose text is the same as that of a property read before
(the versions of a template repeat most of their properties, and a folder's files repeat them
again) as the *same* object, without parsing it again: the text of a JSON value ends where the
value does, so a property that starts with the text of a known one is that one. The properties
read before are those of the file, or of every file read with the same `AlikeProperties`. Such a
value is only for reading. Within a file, its parts lie where those of the first one do, shifted:
`locate` walks the first one for both.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from generator.jsontext import MakeObject, OtherShape, Scan, array_index

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_skip: Callable[[str, int], re.Match[str]] = _WHITESPACE.match  # type: ignore[assignment]  # `*`: it always matches
# What follows an array item or an object member: a comma and the whitespace before the next one
# (group 1), or the closing bracket; and what follows a key.
_NEXT_ITEM = re.compile(r"[ \t\n\r]*(?:(,)[ \t\n\r]*|\])")
_NEXT_MEMBER = re.compile(r"[ \t\n\r]*(?:(,)[ \t\n\r]*|\})")
_COLON = re.compile(r"[ \t\n\r]*:[ \t\n\r]*")
_DECODER = json.JSONDecoder()
_scanstring = json.decoder.scanstring  # type: ignore[attr-defined]  # C-accelerated

# A trie of pointer tokens: token -> sub-trie. A node is a dict; leaves are empty dicts.
_Trie = dict[str, "_Trie"]


def escape_token(token: str | int) -> str:
    """One reference token of a JSON pointer (RFC 6901: `~` -> `~0`, `/` -> `~1`)."""
    token = str(token)
    if "~" in token or "/" in token:
        return token.replace("~", "~0").replace("/", "~1")
    return token


def join(pointer: str, *tokens: str | int) -> str:
    """`pointer` extended by `tokens`."""
    for token in tokens:
        pointer += f"/{token}" if type(token) is int else "/" + escape_token(token)
    return pointer


def split(pointer: str) -> list[str]:
    """The unescaped reference tokens of `pointer` ("" -> [])."""
    if not pointer:
        return []
    return [token.replace("~1", "/").replace("~0", "~") for token in pointer[1:].split("/")]


_ALIKE_PREFIX = 80  # characters of a property's text that find the properties read before with the same start

# The properties read so far: the first characters of a property's text -> (its text, its value)
# of each property read with that start.
AlikeProperties = dict[str, list[tuple[str, Any]]]


@dataclass
class _TemplateStarts:
    """Where a template starts, and the values of its members and its properties."""

    offset: int
    members: dict[str, int] = field(default_factory=dict)
    properties: list[int] = field(default_factory=list)


@dataclass
class TemplateLayout:
    """Where the parts of a template file's text start (`read_templates` notes it)."""

    root: int = 0
    array: bool = False  # the text holds an array of templates
    templates: list[_TemplateStarts] = field(default_factory=list)
    complete: bool = False  # False until the whole text is read (the decoder may have read it instead)
    # where a property starts whose text repeats an earlier one of the file -> where the first one starts
    origins: dict[int, int] = field(default_factory=dict)
    alike: AlikeProperties = field(default_factory=dict)  # the properties read before, maybe in other files
    _firsts: dict[int, int] = field(default_factory=dict)  # id of a property's value -> its first start in the file

    def anchor(self, tokens: list[str]) -> tuple[str, int, list[str]]:
        """The deepest noted part on the way to the value at `tokens`: its pointer, its offset
        and the tokens left below it."""
        pointer, offset, rest = "", self.root, tokens
        if self.array:
            position = _position(rest, len(self.templates))
            if position is None:
                return pointer, offset, rest
            pointer, rest, template = f"/{position}", rest[1:], self.templates[position]
        elif self.templates:
            template = self.templates[0]
        else:
            return pointer, offset, rest
        offset = template.offset
        if not rest or rest[0] not in template.members:
            return pointer, offset, rest
        member, rest = rest[0], rest[1:]
        pointer, offset = join(pointer, member), template.members[member]
        position = _position(rest, len(template.properties)) if member == "properties" else None
        if position is not None:
            pointer, offset, rest = f"{pointer}/{position}", template.properties[position], rest[1:]
        return pointer, offset, rest


def _position(tokens: list[str], length: int) -> int | None:
    """The array index the first of `tokens` names, if it is one below `length`."""
    return array_index(tokens[0], length) if tokens else None


def read_templates(text: str, scan: Scan, make_object: MakeObject, layout: TemplateLayout) -> Any:
    """The value of a template file's JSON `text` (a `jsontext.OuterReader`), noting in `layout`
    where its templates, their members and their properties start."""
    index = layout.root = _skip(text, 0).end()
    if text[index] == "[":
        layout.array = True
        value: Any = []
        index = _skip(text, index + 1).end()
        while text[index] != "]":
            if value:
                index = _skip(text, _expect(text, index, ",") + 1).end()
            template, index = _read_template(text, index, scan, make_object, layout)
            value.append(template)
            index = _skip(text, index).end()
        index += 1
    else:
        value, index = _read_template(text, index, scan, make_object, layout)
    if _skip(text, index).end() != len(text):
        raise OtherShape  # more text after the value
    layout.complete = True
    return value


def _read_template(text: str, index: int, scan: Scan, make_object: MakeObject, layout: TemplateLayout) -> tuple[Any, int]:
    starts = _TemplateStarts(index)
    layout.templates.append(starts)
    if text[index] != "{":
        return scan(text, index)
    members: list[tuple[str, Any]] = []
    index = _skip(text, index + 1).end()
    if text[index] == "}":
        return make_object(members), index + 1
    while True:
        key, index = _scanstring(text, _expect(text, index, '"') + 1)
        index = _next(_COLON, text, index).end()
        starts.members[key] = index
        if key == "properties" and text[index] == "[":
            starts.properties = []
            value, index = _read_properties(text, index, scan, starts.properties, layout)
        else:
            value, index = scan(text, index)
        members.append((key, value))
        separator = _next(_NEXT_MEMBER, text, index)
        index = separator.end()
        if separator.group(1) is None:  # the closing brace
            return make_object(members), index


def _read_properties(text: str, index: int, scan: Scan, starts: list[int],
                     layout: TemplateLayout) -> tuple[list[Any], int]:
    properties: list[Any] = []
    alike, origins, firsts = layout.alike, layout.origins, layout._firsts
    index = _skip(text, index + 1).end()
    if text[index] == "]":
        return properties, index + 1
    while True:  # every property of every template: kept to the bare steps
        starts.append(index)
        known = alike.setdefault(text[index:index + _ALIKE_PREFIX], [])
        for known_text, value in known:
            if text.startswith(known_text, index):
                first = firsts.setdefault(id(value), index)  # the alike table keeps the value, and so its id
                if first != index:
                    origins[index] = first
                index += len(known_text)
                break
        else:
            start = index
            value, index = scan(text, index)
            known.append((text[start:index], value))
            firsts[id(value)] = start
        properties.append(value)
        separator = _next(_NEXT_ITEM, text, index)
        index = separator.end()
        if separator.group(1) is None:  # the closing bracket
            return properties, index


def _next(pattern: re.Pattern[str], text: str, index: int) -> re.Match[str]:
    """The match of `pattern` (what must follow a value) at `index`."""
    match = pattern.match(text, index)
    if match is None:
        raise OtherShape
    return match


def _expect(text: str, index: int, char: str) -> int:
    if text[index] != char:
        raise OtherShape
    return index


def locate(text: str, pointers: Iterable[str], layout: TemplateLayout | None = None) -> dict[str, tuple[int, int]]:
    """Line and column of the value each pointer names in the JSON `text`; with the complete
    `layout` `read_templates` noted for `text`, each walk starts at the nearest noted part.

    A pointer to a member that does not exist (e.g. a required key that is missing) gets the
    position of its deepest existing ancestor. `text` must be valid JSON.
    """
    wanted = list(dict.fromkeys(pointers))
    walks: dict[int, _Trie] = {}  # where a walk starts -> the tokens below it
    # each pointer: where its walk starts, how far its anchor lies after that, the pointer below the anchor
    requests: list[tuple[str, int, int, str]] = []
    for pointer in wanted:
        _, offset, tokens = layout.anchor(split(pointer)) if layout else ("", _skip(text, 0).end(), split(pointer))
        start = layout.origins.get(offset, offset) if layout else offset  # alike properties: the first one's walk
        node = walks.setdefault(start, {})
        for token in tokens:
            node = node.setdefault(token, {})
        requests.append((pointer, start, offset - start, join("", *tokens)))
    offsets: dict[int, dict[str, int]] = {}  # where a walk starts -> offsets of the pointers below it
    for start, trie in walks.items():
        below = offsets[start] = {"": start}
        if trie:
            _walk(text, start, trie, "", below)
    found = {pointer: offsets[start][_deepest_known(below, offsets[start])] + shift
             for pointer, start, shift, below in requests}
    positions = _line_columns(text, found.values())
    return {pointer: positions[offset] for pointer, offset in found.items()}


def _line_columns(text: str, offsets: Iterable[int]) -> dict[int, tuple[int, int]]:
    """`line_column` for many offsets, counting newlines once from start to end."""
    positions: dict[int, tuple[int, int]] = {}
    line, previous = 1, 0
    for offset in sorted(set(offsets)):
        line += text.count("\n", previous, offset)
        previous = offset
        positions[offset] = (line, offset - text.rfind("\n", 0, offset))
    return positions


def _deepest_known(pointer: str, offsets: dict[str, int]) -> str:
    """`pointer` or its deepest ancestor that was found in the text (the root always is)."""
    while pointer and pointer not in offsets:
        pointer = pointer.rsplit("/", 1)[0]
    return pointer


def _walk(text: str, index: int, trie: _Trie, pointer: str, offsets: dict[str, int]) -> int:
    """Record the offset of the value at `index` and of requested descendants; return its end."""
    offsets[pointer] = index
    if not trie:
        return _DECODER.raw_decode(text, index)[1]
    opener = text[index]
    if opener == "{":
        return _walk_object(text, index, trie, pointer, offsets)
    if opener == "[":
        return _walk_array(text, index, trie, pointer, offsets)
    return _DECODER.raw_decode(text, index)[1]


def _walk_object(text: str, index: int, trie: _Trie, pointer: str, offsets: dict[str, int]) -> int:
    index = _skip(text, index + 1).end()
    if text[index] == "}":
        return index + 1
    while True:
        key, index = _scanstring(text, index + 1)
        index = _skip(text, index).end()
        index = _skip(text, index + 1).end()  # past ':'
        child = trie.get(key)
        if child is None:
            index = _DECODER.raw_decode(text, index)[1]
        else:
            index = _walk(text, index, child, join(pointer, key), offsets)
        index = _skip(text, index).end()
        if text[index] == "}":
            return index + 1
        index = _skip(text, index + 1).end()  # past ','


def _walk_array(text: str, index: int, trie: _Trie, pointer: str, offsets: dict[str, int]) -> int:
    index = _skip(text, index + 1).end()
    if text[index] == "]":
        return index + 1
    position = 0
    while True:
        child = trie.get(str(position))
        if child is None:
            index = _DECODER.raw_decode(text, index)[1]
        else:
            index = _walk(text, index, child, f"{pointer}/{position}", offsets)
        index = _skip(text, index).end()
        if text[index] == "]":
            return index + 1
        index = _skip(text, index + 1).end()
        position += 1
