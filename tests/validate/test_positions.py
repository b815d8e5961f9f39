"""Positions of JSON pointers in JSON text, and duplicate keys."""

from __future__ import annotations

import json

from generator.validate.positions import join, locate, split

TEXT = """{
  "a": [1, {"b": "x"}],
  "c/d~e": {"f": null},
  "g": "a \\"quoted\\" value with [brackets] and {braces}", "h": true
}"""


def test_locate_finds_values_at_any_depth():
    assert locate(TEXT, ["", "/a", "/a/0", "/a/1/b", "/c~1d~0e/f", "/g", "/h"]) == {
        "": (1, 1), "/a": (2, 8), "/a/0": (2, 9), "/a/1/b": (2, 18), "/c~1d~0e/f": (3, 18), "/g": (4, 8), "/h": (4, 64),
    }


def test_missing_members_get_their_deepest_existing_ancestor():
    assert locate(TEXT, ["/a/1/zz", "/a/7", "/nothing/here"]) == {"/a/1/zz": (2, 12), "/a/7": (2, 8), "/nothing/here": (1, 1)}


def test_locate_handles_minified_and_unicode_text():
    text = json.dumps({"ä": ["€", {"k": [True]}]}, ensure_ascii=False, separators=(",", ":"))
    assert locate(text, ["/ä/1/k/0"]) == {"/ä/1/k/0": (1, 17)}


def test_pointer_tokens_are_escaped_and_unescaped():
    assert join("", "a/b", "c~d", 3) == "/a~1b/c~0d/3"
    assert split("/a~1b/c~0d/3") == ["a/b", "c~d", "3"]
    assert split("") == []

