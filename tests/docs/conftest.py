"""Fixtures for documentation tests: a project whose definition has `example` and `docs` sections."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.examples.conftest import line_of, set_definition

__all__ = ["REPO", "SHOP", "copy_docs", "line_of", "project", "set_definition"]

REPO = Path(__file__).resolve().parents[2]

# A two-operation connector; its example lists items from a loopback server answering the
# scripted reply (over TLS for shop.example.com, 401 without the SHOP_TOKEN secret).
SHOP = """\
id: io.etk.test.Shop.v1
name: Shop Connector
version: 1
description: Read and list shop items
protocol: http-json
groups:
  main: Main
authentication:
  bearer:
    token: {label: Token, placeholder: "{{secrets.SHOP_TOKEN}}"}
fields:
  host: {label: Host, group: main, required: true, pattern: {value: "^[a-z.]+$", message: must be a host name}}
operations:
  read:
    label: Read item
    method: GET
    url: "https://{host}/items/{itemId}"
    fields:
      itemId: {label: Item ID, group: main, required: true}
  list:
    label: List items
    method: GET
    url: "https://{host}/items"
    query: {limit: "{limit}"}
    fields:
      limit: {group: main, json: integer, tooltip: At most this many items}
      order:
        type: Dropdown
        group: main
        choices: {asc: Ascending, desc: Descending}
        condition: {property: limit, isActive: true}
example:
  authentication.token: "{{secrets.SHOP_TOKEN}}"
  host: shop.example.com
  operation: list
  list_limit: 10
  resultVariable: items
docs:
  summary: Items of the *shop* service.
  prerequisites: [A shop account and its API token.]
  operations:
    read: Reads one item.
    list: Lists items.
  sections:
    - {title: Rate limits, body: "The shop allows 10 requests a second.", after: response}
  links:
    - {title: Shop API, url: "https://shop.example.com/docs"}
  resultExpressions:
    - {expression: "={count: count(response.body.items)}", description: How many items came back.}
  errorExpressions:
    - expression: '=if error.code = "401" then bpmnError("SHOP_UNAUTHORIZED", error.message) else null'
      values: {authentication.token: wrong-token}
  example:
    title: List ten items
    service:
      reply:
        status: 200
        headers: {Content-Type: application/json, X-Request-Id: abc123}
        body: {items: [{id: 1, name: Apple}, {id: 2, name: Pear}], requestId: r-42}
    volatile: [headers.Date, headers.X-Request-Id, body.requestId]
"""


@pytest.fixture(autouse=True)
def no_browser_screenshots(monkeypatch: pytest.MonkeyPatch) -> None:
    """Commands take no panel screenshots unless a test asks for the real tooling (Chromium takes
    half a minute); the screenshot tests and the browser tests do."""
    monkeypatch.setattr("generator.cli.docs.take_with_preview", lambda plan: {})


def copy_docs(target: Path) -> Path:
    """`target` holding the repository's dist/docs/ (its stored panel screenshots included), so
    regenerating the pages there reuses them."""
    shutil.copytree(REPO / "dist" / "docs", target, dirs_exist_ok=True)
    return target


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder with templates/shop.yaml; the working directory."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "shop.yaml").write_text(SHOP, encoding="utf-8")
    return tmp_path
