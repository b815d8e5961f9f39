"""Every kind of definition error, with its exact message and line:column, all reported at once."""

from __future__ import annotations

import pytest

from generator.definition import DefinitionError, load_definition
from tests.definition.conftest import MINIMAL

OPERATIONS = """\
id: io.etk.test.Ops.v1
name: Ops
version: 1
protocol: http-json
groups:
  main: Main
authentication:
  apiKey: {name: x-key, apiKeyLocation: headers}
  bearer: {}
fields:
  host: {group: main, required: true}
  mode:
    type: Dropdown
    group: main
    choices: {fast: Fast, slow: Slow}
operations:
  create:
    label: Create
    method: POST
    url: "https://{host}/items"
    fields:
      name: {group: main, required: true}
      size: {group: main, json: integer, condition: {property: mode, equals: fast}}
    body:
      name: "{name}"
      size: "{size}"
      kind: {$switch: mode, $cases: {fast: quick, slow: careful}}
  remove:
    label: Remove
    method: DELETE
    url: "https://{host}/items/{id}"
    fields:
      id: {group: main, required: true}
"""


def test_the_base_definitions_are_valid(problems_of):
    assert problems_of(MINIMAL) == []
    assert problems_of(OPERATIONS) == []


MINIMAL_CASES = [
    (
        "unknown-key",
        "protocol: http-json",
        "protocol: http-json\nverison: 2",
        ["def.yaml:5:1: unknown key 'verison' (did you mean 'version'?)"],
    ),
    (
        "unknown-field-key",
        "host: {group: main, required: true}",
        "host: {group: main, requird: true}",
        ["def.yaml:8:23: unknown key 'requird' (did you mean 'required'?)"],
    ),
    ("wrong-type", "version: 1", "version: one", ["def.yaml:3:10: expected an integer, got text ('one')"]),
    ("missing-required-key", "name: Minimal\n", "", ["def.yaml:1:1: missing required key 'name'"]),
    (
        "invalid-field-name",
        "  host: {group: main, required: true}",
        "  host: {group: main, required: true}\n  my-field: {group: main}",
        ["def.yaml:9:3: 'my-field' is not a valid name: use letters, digits and '_', starting with a letter"],
    ),
    (
        "enum-with-suggestion",
        "required: true}",
        "required: true, type: Strng}",
        [
            "def.yaml:8:45: 'Strng' is not one of: String, Text, Number, Boolean, Dropdown, Hidden (did you mean 'String'?)"
        ],
    ),
    (
        "placeholder-naming-no-field",
        "https://{host}/items",
        "https://{hots}/items",
        ["def.yaml:11:8: url refers to {hots}, which is not a field (did you mean 'host'?)"],
    ),
    (
        "malformed-placeholder",
        "https://{host}/items",
        "https://{host name}/items",
        [
            "def.yaml:11:8: '{host name}' is not a placeholder: write {fieldName} (double braces stay literal, e.g. {{secrets.KEY}})"
        ],
    ),
    (
        "duplicate-yaml-key",
        "version: 1",
        "version: 1\nversion: 2",
        ["def.yaml:4:1: duplicate key 'version' (first written at line 3)"],
    ),
    (
        "unknown-group",
        "host: {group: main, required: true}",
        "host: {group: mian, required: true}",
        ["def.yaml:8:3: field 'host' is in group 'mian', which is not declared in 'groups' (did you mean 'main'?)"],
    ),
    (
        "empty-group",
        "  main: Main",
        "  main: Main\n  extra: Extra",
        ["def.yaml:7:3: group 'extra' has no properties: remove it or put fields in it"],
    ),
    (
        "missing-icon-file",
        "protocol: http-json",
        "protocol: http-json\nicon: missing.svg",
        ["def.yaml:5:7: icon file 'missing.svg' not found next to the definition (missing.svg)"],
    ),
    (
        "unknown-http-method",
        "method: GET",
        "method: FETCH",
        [
            "def.yaml:10:11: 'FETCH' is not an HTTP method the REST connector supports: POST, GET, DELETE, PATCH, PUT (did you mean 'PATCH'?)"
        ],
    ),
    ("yaml-syntax", "version: 1", "version: [1", ["def.yaml:4:9: invalid YAML: expected ',' or ']', but got ':'"]),
    (
        "unknown-standard-property",
        "protocol: http-json",
        "protocol:\n  type: http-json\n  fields:\n    readTimeout: {default: 3}",
        [
            "def.yaml:7:5: unknown key 'readTimeout' (did you mean 'readTimeoutInSeconds'?); allowed here: "
            "connectionTimeoutInSeconds, readTimeoutInSeconds, resultVariable, resultExpression, errorExpression, retryCount, retryBackoff"
        ],
    ),
    (
        "standard-default-type",
        "protocol: http-json",
        'protocol:\n  type: http-json\n  fields:\n    readTimeoutInSeconds: {default: "3"}',
        ["def.yaml:7:37: the default of readTimeoutInSeconds must be a whole number"],
    ),
    (
        "field-named-like-a-request-input",
        "  host: {group: main, required: true}",
        "  host: {group: main, required: true}\n  url: {group: main}",
        [
            "def.yaml:9:3: field 'url' would set the REST connector input 'url', which 'request' already set(s): rename the field"
        ],
    ),
    (
        "unknown-protocol",
        "protocol: http-json",
        "protocol: http",
        ["def.yaml:4:11: 'http' is not one of: http-json (did you mean 'http-json'?)"],
    ),
]


def test_no_request_at_all(problems_of):
    assert problems_of(MINIMAL.split("request:")[0]) == [
        "def.yaml:1:1: the definition sends no request: add 'request' (method, url, ...), 'operations', "
        "or fields named method and url"
    ]


OPERATION_CASES = [
    (
        "body-key-unknown-field",
        'size: "{size}"',
        'size: "{sise}"',
        [
            "def.yaml:26:13: body refers to {sise}, which is not a field of operation 'create' or a shared field (did you mean 'size'?)"
        ],
    ),
    (
        "body-uses-other-operations-field",
        'size: "{size}"',
        'size: "{id}"',
        ["def.yaml:26:13: body refers to {id}, which is not a field of operation 'create' or a shared field"],
    ),
    (
        "condition-naming-no-property",
        "condition: {property: mode, equals: fast}",
        "condition: {property: mood, equals: fast}",
        ["def.yaml:23:64: the condition of field 'size' refers to 'mood', which is not a field (did you mean 'mode'?)"],
    ),
    (
        "condition-value-not-a-choice",
        "condition: {property: mode, equals: fast}",
        "condition: {property: mode, equals: fats}",
        [
            "def.yaml:23:64: the condition of field 'size' compares 'mode' with 'fats', which is not one of its choices: fast, slow (did you mean 'fast'?)"
        ],
    ),
    (
        "condition-on-a-later-field",
        "      size: {group: main, json: integer, condition: {property: mode, equals: fast}}",
        "      size: {group: main, json: integer, condition: {property: later, equals: x}}\n      later: {group: main}",
        [
            "def.yaml:23:64: the condition of field 'size' refers to 'later', which comes after it: move 'later' before 'size'"
        ],
    ),
    (
        "condition-with-two-operators",
        "condition: {property: mode, equals: fast}",
        "condition: {property: mode, equals: fast, oneOf: [fast]}",
        ["def.yaml:23:53: a condition needs exactly one of 'equals', 'oneOf' or 'isActive'"],
    ),
    (
        "duplicate-property-id",
        "  host: {group: main, required: true}",
        "  host: {group: main, required: true}\n  create_name: {group: main}",
        [
            "def.yaml:23:7: property id 'create_name' of field 'name' of operation 'create' is already used by field 'create_name': rename it"
        ],
    ),
    (
        "reserved-operation-field-name",
        "      id: {group: main, required: true}",
        "      id: {group: main, required: true}\n      url: {group: main}",
        ["def.yaml:34:7: 'url' is a reserved name for an operation field: rename the field"],
    ),
    (
        "reserved-feel-name",
        "  host: {group: main, required: true}",
        "  host: {group: main, required: true}\n  item: {group: main}",
        ["def.yaml:12:3: 'item' is a reserved name (the generator or FEEL uses it): rename the field"],
    ),
    (
        "operation-field-shadows-shared-field",
        "      id: {group: main, required: true}",
        "      id: {group: main, required: true}\n      host: {group: main}",
        [
            "def.yaml:34:7: operation 'remove' declares field 'host', which is also a shared field (line 11): rename one of them"
        ],
    ),
    (
        "switch-on-a-string-field",
        "$switch: mode",
        "$switch: host",
        ["def.yaml:27:13: $switch needs a Dropdown field; 'host' is a String"],
    ),
    (
        "switch-case-not-a-choice",
        "slow: careful",
        "slwo: careful",
        ["def.yaml:27:13: $cases lists 'slwo', which is not a choice of 'mode': fast, slow (did you mean 'slow'?)"],
    ),
    (
        "operation-without-url",
        '    url: "https://{host}/items/{id}"\n',
        "",
        ["def.yaml:28:3: operation 'remove' has no url: add 'url'"],
    ),
    (
        "required-auth-input-left-out",
        "apiKey: {name: x-key, apiKeyLocation: headers}",
        "apiKey: {name: x-key, apiKeyLocation: headers, value: false}",
        ["def.yaml:8:57: authentication.value is required by the REST connector: it cannot be left out"],
    ),
    (
        "unknown-auth-input",
        "bearer: {}",
        "bearer: {tokn: {}}",
        ["def.yaml:9:12: unknown key 'tokn' (did you mean 'token'?)"],
    ),
    (
        "default-auth-not-offered",
        "  bearer: {}",
        "  bearer: {}\n  default: basic",
        ["def.yaml:10:12: default authentication 'basic' is not one of the types offered here (apiKey, bearer)"],
    ),
    (
        "auth-value-not-a-choice",
        "apiKeyLocation: headers",
        "apiKeyLocation: header",
        ["def.yaml:8:41: 'header' is not one of: headers, query (did you mean 'headers'?)"],
    ),
    (
        "dropdown-without-choices",
        "    choices: {fast: Fast, slow: Slow}\n",
        "",
        ["def.yaml:12:3: a Dropdown field needs 'choices' (value: label)"],
    ),
    (
        "dropdown-default-not-a-choice",
        "    choices: {fast: Fast, slow: Slow}",
        "    choices: {fast: Fast, slow: Slow}\n    default: medium",
        ["def.yaml:16:14: default 'medium' is not one of the choices: fast, slow"],
    ),
    (
        "hidden-without-value",
        "  host: {group: main, required: true}",
        "  host: {group: main, required: true}\n  secret: {type: Hidden}",
        ["def.yaml:12:3: a Hidden field needs a 'default': the value it always has"],
    ),
    ("null-in-body", 'size: "{size}"', "size: null", ["def.yaml:26:13: a null value is never sent: remove the entry"]),
    (
        "unknown-default-operation",
        "protocol: http-json",
        "protocol: http-json\ndefaultOperation: delete",
        ["def.yaml:5:19: defaultOperation 'delete' is not an operation"],
    ),
    (
        "shared-field-limited-to-unknown-operation",
        "  host: {group: main, required: true}",
        "  host: {group: main, required: true, operations: [create, destroy]}",
        [
            "def.yaml:11:3: field 'host' lists operation 'destroy', which does not exist",
            "def.yaml:31:10: url of operation 'remove' uses field 'host', which is only shown for create, destroy",
        ],
    ),
    (
        "variant-without-when",
        '    url: "https://{host}/items/{id}"\n',
        '    variants:\n      - url: "https://{host}/a/{id}"\n      - url: "https://{host}/b/{id}"\n',
        ["def.yaml:32:9: every variant but the last needs 'when' (a FEEL condition starting with '=')"],
    ),
    (
        "placeholder-on-number",
        "  host: {group: main, required: true}",
        "  host: {group: main, required: true}\n  count: {type: Number, group: main, placeholder: '5'}",
        ["def.yaml:12:38: 'placeholder' is only allowed on String and Text fields, not Number"],
    ),
    (
        "boolean-default-of-text-field",
        "  host: {group: main, required: true}",
        "  host: {group: main, required: true, default: true}",
        ['def.yaml:11:48: the default of a String field is text: quote it ("true")'],
    ),
    (
        "feel-mode-on-dropdown",
        "    choices: {fast: Fast, slow: Slow}",
        "    choices: {fast: Fast, slow: Slow}\n    feel: optional",
        ["def.yaml:16:5: a Dropdown field has no FEEL mode"],
    ),
]


@pytest.mark.parametrize(
    "base, old, new, expected",
    [
        pytest.param(base, old, new, expected, id=f"{base_name}-{case_id}")
        for base_name, base, cases in (("minimal", MINIMAL, MINIMAL_CASES), ("operations", OPERATIONS, OPERATION_CASES))
        for case_id, old, new, expected in cases
    ],
)
def test_definition_errors(problems_of, base, old, new, expected):
    """Each case edits one base definition (`old` must be in it) and gets exactly `expected`."""
    assert old in base
    assert problems_of(base.replace(old, new, 1)) == expected


def test_all_problems_are_reported_at_once_in_file_order(write_definition):
    text = (
        MINIMAL.replace("version: 1", "version: one")
        .replace("host: {group: main, required: true}", "host: {group: main, requird: true}")
        .replace("https://{host}/items", "https://{hots}/items")
    )
    with pytest.raises(DefinitionError) as raised:
        load_definition(write_definition(text))
    assert str(raised.value) == (
        "3 problems in the definition\n"
        "def.yaml:3:10: expected an integer, got text ('one')\n"
        "def.yaml:8:23: unknown key 'requird' (did you mean 'required'?)\n"
        "def.yaml:11:8: url refers to {hots}, which is not a field (did you mean 'host'?)"
    )


def test_a_definition_that_is_not_a_mapping(problems_of):
    assert problems_of("- just\n- a list\n") == [
        "def.yaml:1:1: a definition is a mapping (id, name, version, protocol, ...)"
    ]


def test_an_icon_that_is_not_an_svg(problems_of):
    text = MINIMAL.replace("protocol: http-json", "protocol: http-json\nicon: icon.svg")
    assert problems_of(text, files={"icon.svg": "not an image"}) == [
        "def.yaml:5:7: icon file 'icon.svg' is not an SVG image (no <svg> element)"
    ]


def test_a_misspelt_group_is_not_also_reported_as_an_empty_group(problems_of):
    # the declared group 'main' is empty only because of the typo: one problem, not two
    text = MINIMAL.replace("host: {group: main, required: true}", "host: {group: mian, required: true}")
    assert len(problems_of(text)) == 1


def test_an_unreadable_url_is_not_also_reported_missing(problems_of):
    assert problems_of(MINIMAL.replace("https://{host}/items", "https://{host name}/items")) == [
        "def.yaml:11:8: '{host name}' is not a placeholder: write {fieldName} (double braces stay literal, e.g. {{secrets.KEY}})"
    ]
