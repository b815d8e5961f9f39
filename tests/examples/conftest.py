"""Fixtures for example tests: a project folder whose definition has an `example` section."""

from __future__ import annotations

from pathlib import Path

import pytest

# A definition whose example fills its required field; the operation dropdown makes values depend
# on each other (`list_limit` is only active for the `list` operation).
SHOP = """\
id: io.etk.test.Shop.v1
name: Shop
version: 1
protocol: http-json
groups:
  main: Main
authentication:
  bearer:
    token: {placeholder: "{{secrets.SHOP_TOKEN}}"}
fields:
  host: {group: main, required: true, pattern: {value: "^[a-z.]+$", message: must be a host name}}
operations:
  read:
    label: Read item
    method: GET
    url: "https://{host}/items/{itemId}"
    fields:
      itemId: {group: main, required: true}
  list:
    label: List items
    method: GET
    url: "https://{host}/items"
    query: {limit: "{limit}"}
    fields:
      limit: {group: main, json: integer}
      order:
        type: Dropdown
        group: main
        choices: {asc: Ascending, desc: Descending}
example:
  authentication.token: "{{secrets.SHOP_TOKEN}}"
  host: shop.example.com
  operation: list
  list_limit: 10
  list_order: desc
  resultVariable: items
"""
SHOP_EXAMPLE_LINE = SHOP.splitlines().index("example:") + 1  # 1-based line of `example:`


def line_of(text: str, needle: str) -> int:
    """The 1-based line of the first line of `text` containing `needle`."""
    return next(number for number, line in enumerate(text.splitlines(), 1) if needle in line)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder with templates/shop.yaml; the working directory."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "shop.yaml").write_text(SHOP, encoding="utf-8")
    return tmp_path


def set_definition(project: Path, text: str, name: str = "shop") -> None:
    (project / "templates" / f"{name}.yaml").write_text(text, encoding="utf-8")
