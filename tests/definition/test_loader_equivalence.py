"""The libyaml-based loader gives exactly what the pure-Python one gave: nodes, marks, messages, builds.

etk composed definitions with PyYAML's pure-Python `SafeLoader` until the loader moved to
libyaml (`CSafeLoader`) for speed. These tests pin that the move changed nothing a user sees: the
same data, line and column of every value and key, raw scalar text and problems for every
definition in the repository and its tests, the same readable messages for invalid YAML (libyaml's
own are terser), and byte-identical `etk build` output.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.definition import source
from generator.definition.source import load_yaml
from tests.etk_cli import etk, snapshot

REPO = Path(__file__).resolve().parents[2]
DEFINITION_TEXTS = sorted(REPO.glob("templates/*.yaml"))

# invalid YAML and the message etk printed for it before the move to libyaml (PyYAML's wording)
INVALID_YAML = [
    ("a: [1\nb: 2\n", "f.yaml:2:2: invalid YAML: expected ',' or ']', but got ':'"),
    ("a: b: c\n", "f.yaml:1:5: invalid YAML: mapping values are not allowed here"),
    ("a: 'x\n", "f.yaml:2:1: invalid YAML: found unexpected end of stream"),
    ("- a\nb: 1\n", "f.yaml:2:1: invalid YAML: expected <block end>, but found '?'"),
    ("a:\n\tb: 1\n", "f.yaml:2:1: invalid YAML: found character '\\t' that cannot start any token"),
    ("{a: 1\n", "f.yaml:2:1: invalid YAML: expected ',' or '}', but got '<stream end>'"),
    ("a: *x\n", "f.yaml:1:4: invalid YAML: found undefined alias 'x'"),
    ("a: &x 1\nb: &x 2\nc: *x\n", "f.yaml:2:4: invalid YAML: second occurrence"),
    (
        "a: 1\n\x01",
        'f.yaml:1:1: invalid YAML: unacceptable character #x0001: special characters are not allowed\n'
        '  in "<unicode string>", position 5',
    ),
    ('a: "\\q"\n', "f.yaml:1:6: invalid YAML: found unknown escape character 'q'"),
    ("key: value\n  bad: indent\n", "f.yaml:2:6: invalid YAML: mapping values are not allowed here"),
    ("a: !<tag:yaml.org,2002:str x\n", "f.yaml:1:27: invalid YAML: expected '>', but found ' '"),
    ("--- a\n--- b\n", "f.yaml:2:1: invalid YAML: but found another document"),
    ("a: |\n  x\n b\n", "f.yaml:3:2: invalid YAML: expected <block end>, but found '<scalar>'"),
    ("a: @x\n", "f.yaml:1:4: invalid YAML: found character '@' that cannot start any token"),
    ("a: `x\n", "f.yaml:1:4: invalid YAML: found character '`' that cannot start any token"),
    ("%YAML 2.0\n--- a\n", "f.yaml:1:1: invalid YAML: found incompatible YAML document (version 1.* is required)"),
    ("a: {b: [c, d}\n", "f.yaml:1:13: invalid YAML: expected ',' or ']', but got '}'"),
    ("a:\n  - b\n  c: d\n", "f.yaml:3:3: invalid YAML: expected <block end>, but found '?'"),
]


def test_libyaml_is_what_composes():
    assert source._FAST_LOADER is yaml.CSafeLoader


def _located(text: str) -> tuple[object, ...]:
    located, problems = load_yaml(text, "f.yaml")
    assert located is not None
    return located.data, located.value_marks, located.key_marks, located.raw_text, [str(p) for p in problems]


@pytest.mark.parametrize("path", DEFINITION_TEXTS, ids=lambda path: str(path.relative_to(REPO)))
def test_every_definition_reads_the_same_as_with_the_pure_python_loader(path: Path, monkeypatch: pytest.MonkeyPatch):
    text = path.read_text(encoding="utf-8")
    fast = _located(text)
    monkeypatch.setattr(source, "_FAST_LOADER", yaml.SafeLoader)
    assert fast == _located(text)


def test_merges_aliases_duplicates_and_odd_scalars_read_the_same(monkeypatch: pytest.MonkeyPatch):
    text = textwrap.dedent(
        """\
        base: &base {type: String, label: "Base", n: 0x1F, f: .5, t: yes, d: 2024-10-21}
        copy: *base
        merged:
          <<: [*base, {extra: ~}]
          label: Own
        folded: >-
          one
          two
        literal: |
          kept
        "quoted key": 'single ''quoted'''
        ? [complex, key]
        : value
        dup: 1
        dup: 2
        """
    )
    fast = _located(text)
    monkeypatch.setattr(source, "_FAST_LOADER", yaml.SafeLoader)
    assert fast == _located(text)


_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=12),
    st.sampled_from(["yes", "no", "~", "0x1F", "0o17", "1_000", ".inf", "2024-10-21", "=a + b", "{{secrets.X}}"]),
)
_DATA = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=25,
)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(data=_DATA, flow=st.sampled_from([None, True, False]), width=st.sampled_from([20, 80]))
def test_generated_yaml_reads_the_same_as_with_the_pure_python_loader(data: object, flow: bool | None, width: int):
    text = yaml.safe_dump({"root": data}, default_flow_style=flow, width=width, allow_unicode=True)
    fast = _located(text)
    original = source._FAST_LOADER
    source._FAST_LOADER = yaml.SafeLoader
    try:
        assert fast == _located(text)
    finally:
        source._FAST_LOADER = original


@pytest.mark.parametrize(("text", "message"), INVALID_YAML)
def test_invalid_yaml_keeps_the_readable_message(text: str, message: str):
    located, problems = load_yaml(text, "f.yaml")
    assert located is None
    assert [str(problem) for problem in problems] == [message]


def test_build_output_is_byte_identical_to_the_pure_python_loader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.chdir(REPO)
    fast = etk("build", "templates", "-o", str(tmp_path / "fast"), "--diagrams")
    assert fast.exit_code == 0, fast.output
    monkeypatch.setattr(source, "_FAST_LOADER", yaml.SafeLoader)
    pure = etk("build", "templates", "-o", str(tmp_path / "pure"), "--diagrams")
    assert pure.exit_code == 0, pure.output
    built = snapshot(tmp_path / "fast")
    assert built == snapshot(tmp_path / "pure")
    # and both are what is committed (dist/ may also hold archived versions the build does not write)
    committed = snapshot(REPO / "dist")
    assert set(built) <= set(committed)
    assert built == {name: data for name, data in committed.items() if name in built}
