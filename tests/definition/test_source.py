"""The located YAML reader: positions of values and keys, raw scalar text, merges, duplicates."""

from __future__ import annotations

import textwrap

from generator.definition.source import load_yaml
from generator.problems import Location


def load(text: str):
    located, problems = load_yaml(textwrap.dedent(text), "f.yaml")
    return located, [str(problem) for problem in problems]


def test_positions_of_values_and_keys():
    located, problems = load(
        """\
        name: x
        fields:
          host: {label: Host}
          list:
            - a
            - b
        """
    )
    assert problems == []
    assert located.data == {"name": "x", "fields": {"host": {"label": "Host"}, "list": ["a", "b"]}}
    assert located.where(("fields", "host", "label")) == Location("f.yaml", 3, 17)
    assert located.where(("fields", "host"), key=True) == Location("f.yaml", 3, 3)
    assert located.where(("fields", "list", 1)) == Location("f.yaml", 6, 7)


def test_a_missing_path_points_at_the_nearest_written_ancestor():
    located, _ = load("fields:\n  host: {label: Host}\n")
    assert located.where(("fields", "host", "group")) == Location("f.yaml", 2, 9)


def test_scalars_keep_the_text_as_written():
    located, _ = load("apiVersion: 2024-10-21\ntemperature: 0.70\nflag: yes\n")
    # YAML would make a date of the first; etk keeps what the author typed
    assert located.data["apiVersion"] == "2024-10-21"
    assert located.text(("temperature",)) == "0.70"
    assert located.data["temperature"] == 0.7
    assert located.text(("flag",)) == "yes"


def test_keys_are_always_text():
    located, _ = load('choices: {"": unset, "true": "Yes", 1: one}\n')
    assert located.data == {"choices": {"": "unset", "true": "Yes", "1": "one"}}


def test_duplicate_keys_are_reported_at_the_second_one():
    _, problems = load("a: 1\nb: 2\na: 3\n")
    assert problems == ["f.yaml:3:1: duplicate key 'a' (first written at line 1)"]


def test_merge_keys_and_aliases():
    located, problems = load(
        """\
        base: &base {type: String, label: Base}
        copy: *base
        merged:
          <<: *base
          label: Own
        """
    )
    assert problems == []
    assert located.data["copy"] == {"type": "String", "label": "Base"}
    assert located.data["merged"] == {"label": "Own", "type": "String"}
    # merged entries point at the anchor they come from
    assert located.where(("merged", "type")) == Location("f.yaml", 1, 20)


def test_invalid_yaml_reports_the_position():
    located, problems = load("a: [1\nb: 2\n")
    assert located is None
    assert problems == ["f.yaml:2:2: invalid YAML: expected ',' or ']', but got ':'"]


def test_a_complex_key_is_reported():
    _, problems = load("? [a, b]\n: value\n")
    assert problems == ["f.yaml:1:3: a mapping key must be plain text"]
