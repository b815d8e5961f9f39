"""The `example` section of a definition: read into the model, never rendered, checked like panel input."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.definition import load_definition
from generator.definition.model import ExampleValue
from generator.problems import Location
from generator.template import render_template
from tests.etk_cli import etk, snapshot

from .conftest import SHOP, SHOP_EXAMPLE_LINE, line_of, set_definition


def problems_of_build(*args: str) -> list[str]:
    """The problem lines `etk build` prints (after the summary line), checking it exits 2."""
    result = etk("build", *args)
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert lines[0].startswith("etk: error: ")
    return lines[1:]


def with_example(*lines: str) -> str:
    """SHOP with its example replaced by the token and `lines` (each `key: value`)."""
    head = SHOP[: SHOP.index("example:\n")]
    lines = ('authentication.token: "{{secrets.SHOP_TOKEN}}"', *lines)
    return head + "example:\n" + "".join(f"  {line}\n" for line in lines)


def test_the_example_is_read_as_typed_text_with_its_lines(project):
    more = "  list_limit: 010\n  apiDate: 2024-02-01\n  flag: true\n"
    set_definition(project, SHOP.replace("  list_limit: 10\n", more))
    definition = load_definition(Path("templates/shop.yaml"))
    example = definition.example
    assert example.as_mapping() == {
        "authentication.token": "{{secrets.SHOP_TOKEN}}",
        "host": "shop.example.com",
        "operation": "list",
        "list_limit": "010",  # as written, not the integer 10
        "apiDate": "2024-02-01",  # not a date
        "flag": "true",
        "list_order": "desc",
        "resultVariable": "items",
    }
    line = SHOP_EXAMPLE_LINE
    assert example.location == Location("templates/shop.yaml", line, 1)
    assert example.values[3] == ExampleValue(
        "list_limit", "010", Location("templates/shop.yaml", line + 4, 15), Location("templates/shop.yaml", line + 4, 3)
    )


def test_the_example_never_reaches_the_template(project):
    with_values = render_template(load_definition(Path("templates/shop.yaml")))
    set_definition(project, SHOP[: SHOP.index("example:\n")])
    without = render_template(load_definition(Path("templates/shop.yaml")))
    assert with_values == without
    assert "shop.example.com" not in str(with_values) and "SHOP_TOKEN}}\"" not in str(with_values)


def test_example_values_are_scalars(project):
    text = with_example("host: [a, b]", "operation:", "list_limit: {x: 1}")
    set_definition(project, text)
    expected = "expected text, a number or a boolean (true or false), got"
    assert problems_of_build() == [
        f"templates/shop.yaml:{line_of(text, 'host: [a')}:9: {expected} a list",
        f"templates/shop.yaml:{line_of(text, 'operation:')}:13: {expected} nothing (null)",
        f"templates/shop.yaml:{line_of(text, 'list_limit')}:15: {expected} a mapping",
    ]


def test_a_misspelt_section_name_gets_a_suggestion(project):
    set_definition(project, SHOP.replace("example:\n", "examples:\n"))
    assert problems_of_build() == [
        f"templates/shop.yaml:{SHOP_EXAMPLE_LINE}:1: unknown key 'examples' (did you mean 'example'?)"
    ]


def test_unknown_properties_are_reported_at_their_keys_with_suggestions(project):
    text = with_example("host: shop.example.com", "operation: list", "limit: 10", "list_ordr: desc")
    set_definition(project, text)
    assert problems_of_build() == [
        f"templates/shop.yaml:{line_of(text, '  limit: 10')}:3: example: unknown property 'limit' for template "
        "'io.etk.test.Shop.v1': no property has this id or binding name; did you mean 'list_limit'?",
        f"templates/shop.yaml:{line_of(text, 'list_ordr')}:3: example: unknown property 'list_ordr' for template "
        "'io.etk.test.Shop.v1': no property has this id or binding name; did you mean 'list_order' or 'list_url' or "
        "'list_method'?",
    ]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (
            "list_order: random",
            "example value the Modeler would not accept: property 'list_order' is a dropdown: 'random' is not one "
            "of its choices: asc (Ascending), desc (Descending)",
        ),
        (
            "list_limit: many",
            "example value for 'list_limit' breaks a constraint: Limit must be a whole number",
        ),
        (
            "read_itemId: 7",
            "example value the Modeler would not accept: property 'read_itemId' is not active: it requires "
            "operation = read (current: list)",
        ),
        (
            "method: POST",
            "example value the Modeler would not accept: property 'list_method' is Hidden: its value is fixed by "
            "the template and cannot be set",
        ),
        (
            "operation: delete",
            "example value the Modeler would not accept: property 'operation' is a dropdown: 'delete' is not one "
            "of its choices: read (Read item), list (List items)",
        ),
    ],
)
def test_a_value_the_modeler_rejects_is_reported_at_its_line(project, line, message):
    values = {"host": "shop.example.com", "operation": "list"}
    key, value = line.split(": ")
    values[key] = value
    text = with_example(*(f"{key}: {value}" for key, value in values.items()))
    set_definition(project, text)
    column = len(f"  {key}: ") + 1
    assert problems_of_build() == [f"templates/shop.yaml:{line_of(text, line)}:{column}: {message}"]


def test_a_value_breaking_a_pattern_is_reported_at_its_line(project):
    text = with_example("host: Shop.Example.com", "operation: list")
    set_definition(project, text)
    assert problems_of_build() == [
        f"templates/shop.yaml:{line_of(text, 'host: Shop')}:9: example value for 'host' breaks a constraint: "
        "Host must be a host name"
    ]


def test_an_example_leaving_a_required_field_empty_is_reported(project):
    set_definition(project, with_example("operation: read", "host: shop.example.com"))
    assert problems_of_build() == [
        f"templates/shop.yaml:{SHOP_EXAMPLE_LINE}:1: the example diagram would not lint clean: Item id must not be "
        "empty. (property 'read_itemId'; add `read_itemId: <value>` to `example`)"
    ]


def test_without_an_example_only_the_diagram_build_asks_for_one(project):
    set_definition(project, SHOP[: SHOP.index("example:\n")])
    assert etk("build").exit_code == 0
    before = snapshot(project / "dist")
    assert problems_of_build("--diagrams") == [
        "templates/shop.yaml:1:1: the example diagram would not lint clean: Bearer token must not be empty. "
        "(property 'authentication.token'; add an `example:` section with `authentication.token: <value>`)",
        "templates/shop.yaml:1:1: the example diagram would not lint clean: Host must not be empty. "
        "(property 'host'; add an `example:` section with `host: <value>`)",
        "templates/shop.yaml:1:1: the example diagram would not lint clean: Item id must not be empty. "
        "(property 'read_itemId'; add an `example:` section with `read_itemId: <value>`)",
    ]
    assert snapshot(project / "dist") == before


def test_a_bad_example_fails_a_plain_build_too_and_nothing_is_written(project):
    text = with_example("host: shop.example.com", "operation: list", "list_order: random")
    set_definition(project, text)
    assert problems_of_build() == [
        f"templates/shop.yaml:{line_of(text, 'list_order')}:15: example value the Modeler would not accept: "
        "property 'list_order' is a dropdown: 'random' is not one of its choices: asc (Ascending), desc (Descending)"
    ]
    assert not (project / "dist").exists()


def test_binding_names_work_as_in_etk_apply(project):
    # `resultVariable` is both an id and a header key; `authentication.token` an id and an input name
    text = with_example("host: shop.example.com", "operation: read", "read_itemId: '42'", "resultVariable: item")
    set_definition(project, text)
    result = etk("build", "--diagrams")
    assert result.exit_code == 0, result.output
    diagram = (project / "dist" / "examples" / "shop.bpmn").read_text(encoding="utf-8")
    assert '<zeebe:input source="42" target="read_itemId"/>' in diagram
    assert '<zeebe:header key="resultVariable" value="item"/>' in diagram
