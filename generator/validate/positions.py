"""JSON pointers and where they are in JSON text: line and column of the values findings name.

Positions are only needed when there are findings, so nothing is precomputed. `locate` walks the
text once, descending only into the members that lie on a requested pointer's path and skipping
every other value with the C-accelerated `json` decoder, so locating a few pointers in a large
file costs about as much as parsing it once.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

_WHITESPACE = re.compile(r"[ \t\n\r]*")
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


def locate(text: str, pointers: Iterable[str]) -> dict[str, tuple[int, int]]:
    """Line and column of the value each pointer names in the JSON `text`.

    A pointer to a member that does not exist (e.g. a required key that is missing) gets the
    position of its deepest existing ancestor. `text` must be valid JSON.
    """
    trie: _Trie = {}
    wanted = list(dict.fromkeys(pointers))
    for pointer in wanted:
        node = trie
        for token in split(pointer):
            node = node.setdefault(token, {})
    offsets: dict[str, int] = {}
    _walk(text, _skip_whitespace(text, 0), trie, "", offsets)
    found = {pointer: offsets[_deepest_known(pointer, offsets)] for pointer in wanted}
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


def _skip_whitespace(text: str, index: int) -> int:
    return _WHITESPACE.match(text, index).end()  # type: ignore[union-attr]


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
    index = _skip_whitespace(text, index + 1)
    if text[index] == "}":
        return index + 1
    while True:
        key, index = _scanstring(text, index + 1)
        index = _skip_whitespace(text, index)
        index = _skip_whitespace(text, index + 1)  # past ':'
        child = trie.get(key)
        if child is None:
            index = _DECODER.raw_decode(text, index)[1]
        else:
            index = _walk(text, index, child, join(pointer, key), offsets)
        index = _skip_whitespace(text, index)
        if text[index] == "}":
            return index + 1
        index = _skip_whitespace(text, index + 1)  # past ','


def _walk_array(text: str, index: int, trie: _Trie, pointer: str, offsets: dict[str, int]) -> int:
    index = _skip_whitespace(text, index + 1)
    if text[index] == "]":
        return index + 1
    position = 0
    while True:
        child = trie.get(str(position))
        if child is None:
            index = _DECODER.raw_decode(text, index)[1]
        else:
            index = _walk(text, index, child, f"{pointer}/{position}", offsets)
        index = _skip_whitespace(text, index)
        if text[index] == "]":
            return index + 1
        index = _skip_whitespace(text, index + 1)
        position += 1
