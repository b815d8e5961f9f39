"""Helpers for definition tests: write a definition (and files beside it) and read its problems."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.definition import read_definition

MINIMAL = """\
id: io.etk.test.Minimal.v1
name: Minimal
version: 1
protocol: http-json
groups:
  main: Main
fields:
  host: {group: main, required: true}
request:
  method: GET
  url: "https://{host}/items"
"""


@pytest.fixture
def write_definition(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Path]:
    """Write `text` (dedented) as `<name>.yaml` in a fresh folder that is the working directory."""
    monkeypatch.chdir(tmp_path)

    def write(text: str, name: str = "def", files: dict[str, str | bytes] | None = None) -> Path:
        for file_name, content in (files or {}).items():
            target = tmp_path / file_name
            if isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(content, encoding="utf-8")
        path = tmp_path / f"{name}.yaml"
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return write


@pytest.fixture
def problems_of(write_definition: Callable[..., Path]) -> Callable[..., list[str]]:
    """The problems of a definition text, each as `file:line:column: message`."""

    def problems(text: str, **kwargs: object) -> list[str]:
        _, found = read_definition(write_definition(text, **kwargs))
        return [str(problem) for problem in sorted(found, key=lambda problem: (problem.location, problem.message))]

    return problems
