"""Every rule of the catalogue, one by one: files that break it (the rule reports them) and a near
miss that does not (no finding of that rule). A rule added to `RULES` without a case here fails
`test_every_rule_has_a_case`. The detailed messages and positions are in the other test files."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from generator.files import dump_json
from generator.validate import RULES, validate_files
from tests.validate.conftest import MINIMAL

Files = dict[str, Any]  # path -> text, bytes, or a document written as JSON


def template(**changes: Any) -> dict[str, Any]:
    document = copy.deepcopy(MINIMAL)
    document.update(changes)
    return document


def adding(*properties: dict[str, Any], **changes: Any) -> dict[str, Any]:
    document = template(**changes)
    document["properties"] += properties
    return document


def text(name: str, **extra: Any) -> dict[str, Any]:
    return {"label": name.title(), "type": "String", "binding": {"type": "zeebe:input", "name": name}, **extra}


def hidden(name: str, value: str, **extra: Any) -> dict[str, Any]:
    return {"type": "Hidden", "value": value, "binding": {"type": "zeebe:input", "name": name}, **extra}


def header(key: str, value: str) -> dict[str, Any]:
    return {"type": "Hidden", "value": value, "binding": {"type": "zeebe:taskHeader", "key": key}}


def dropdown(name: str, *values: str, **extra: Any) -> dict[str, Any]:
    return {"id": name, "label": name.title(), "type": "Dropdown", "binding": {"type": "zeebe:input", "name": name},
            "choices": [{"name": value or "None", "value": value} for value in values], **extra}


def versions(current: dict[str, Any], older: dict[str, Any], older_name: str) -> Files:
    return {"a.json": current, f"versioned/{older_name}": older}


SCHEMA_99 = "https://unpkg.com/@camunda/zeebe-element-templates-json-schema@0.99.0/resources/schema.json"
HYBRID_TYPE = {"type": "String", "value": "demo-worker", "label": "Task definition type",
               "binding": {"type": "zeebe:taskDefinition", "property": "type"}}
MODE_A, MODE_B = {"property": "mode", "equals": "a"}, {"property": "mode", "equals": "b"}
TEXT = dump_json(MINIMAL)

# rule -> (files that break it, files that do not); a bare document stands for {"t.json": document}
CASES: dict[str, tuple[Any, Any]] = {
    # file
    "json-syntax": ('{"name": "Broken",}', TEXT),
    "read-error": (TEXT.replace('"Demo"', '"D\u00e9mo"').encode("latin-1"), TEXT.replace('"Demo"', '"D\u00e9mo"').encode()),
    "duplicate-key": (TEXT.replace('"name": "Demo"', '"name": "Demo", "name": "Again"'), TEXT),
    "not-a-template": ('"just a string"', TEXT),
    "empty-file": ("[]", f"[{TEXT}]"),
    # schema
    "schema": (template(version="1"), template(version=1)),
    "schema-reference": (template(**{"$schema": "https://example.com/schema.json"}), template()),
    "schema-version": (template(**{"$schema": SCHEMA_99}), template(**{"$schema": SCHEMA_99.replace("0.99.0", "0.46.0")})),
    "misspelled-key": (adding({"lable": "URL", "type": "String", "binding": {"type": "zeebe:input", "name": "url"}}),
                       adding(text("url"))),
    "unknown-key": (adding(text("url", colour="red")), adding(text("url", **{"x-colour": "red"}))),
    "suppression": (adding(text("url", **{"x-etk-ignore": ["nonsense"]})),
                    adding(text("url", group="nowhere", **{"x-etk-ignore": ["group-declared"]}))),
    # modeler
    "unique-id-version": ([template(), template()], [template(), template(version=2)]),
    "version-safe-integer": (template(version=2**53 + 1), template(version=2**53 - 1)),
    "element-type": (template(elementType={"value": "bpmn:StartEvent"}), template(elementType={"value": "bpmn:SendTask"})),
    "engines": (template(engines={"camunda": "8.6+"}), template(engines={"camunda": "^8.x"})),
    "task-definition-type": (template(properties=MINIMAL["properties"][1:]),
                             template(properties=MINIMAL["properties"][1:], elementType={"value": "bpmn:Task"})),
    # conditions
    "unique-property-id": (adding(text("other", id="mode")),
                           adding(text("first", id="x", condition=MODE_A), text("second", id="x", condition=MODE_B))),
    "duplicate-binding": (adding(hidden("method", "GET"), hidden("method", "POST")),
                          adding(hidden("method", "GET", condition=MODE_A), hidden("method", "POST", condition=MODE_B))),
    "condition-self": (adding(text("x", id="x", condition={"property": "x", "isEmpty": False})),
                       adding(text("x", id="x", condition={"property": "mode", "isEmpty": False}))),
    "condition-target": (adding(text("x", condition={"property": "mdoe", "equals": "a"})), adding(text("x", condition=MODE_A))),
    "condition-value": (adding(text("x", condition={"property": "mode", "equals": "c"})), adding(text("x", condition=MODE_B))),
    "condition-dead-value": (adding(text("x", condition={"property": "mode", "oneOf": ["a", "c"]})),
                             adding(text("x", condition={"property": "mode", "oneOf": ["a", "b"]}))),
    "condition-never-holds": (adding(text("x", condition={"allMatch": [MODE_A, MODE_B]})),
                              adding(text("x", condition={"allMatch": [MODE_A, {"property": "mode", "isEmpty": False}]}))),
    "condition-cycle": (adding(text("x", id="x", condition={"property": "y", "isActive": True}),
                               text("y", id="y", condition={"property": "x", "isActive": True})),
                        adding(text("x", id="x", condition=MODE_A), text("y", id="y", condition={"property": "x", "isActive": True}))),
    "condition-order": (template(properties=[MINIMAL["properties"][0], text("x", condition=MODE_A), MINIMAL["properties"][1]]),
                        adding(text("x", condition=MODE_A))),
    # properties
    "dropdown-default": (adding(dropdown("kind", "a", "b", value="c")), adding(dropdown("kind", "a", "b", value="b"))),
    "duplicate-choice": (adding(dropdown("kind", "a", "a", value="a")), adding(dropdown("kind", "a", "b", value="a"))),
    "pattern-syntax": (adding(text("x", constraints={"notEmpty": True, "pattern": "^(a|b$"})),
                       adding(text("x", constraints={"notEmpty": True, "pattern": "^(a|b)$"}))),
    "hidden-without-value": (adding({"type": "Hidden", "binding": {"type": "zeebe:input", "name": "x"}}), adding(hidden("x", "1"))),
    "unique-group-id": (template(groups=[{"id": "main", "label": "Main"}, {"id": "main", "label": "Again"}]), template()),
    "group-declared": (adding(text("x", group="endpiont")), adding(text("x", group="main"))),
    "empty-group": (template(groups=[{"id": "main", "label": "Main"}, {"id": "unused", "label": "Unused"}]), template()),
    # feel
    "feel-syntax": (adding(hidden("x", "={a: 1, }")), adding(hidden("x", "={a: 1}"))),
    "feel-unknown-variable": (adding(hidden("url", '="https://" + resourceNam')), adding(hidden("url", '="https://" + mode'))),
    "input-order": (adding(text("url", feel="optional", value='=baseUrl + "/x"'), text("baseUrl")),
                    adding(text("baseUrl"), text("url", feel="optional", value='=baseUrl + "/x"'))),
    "feel-value-without-equals": (adding(text("x", feel="required", value="a + b")), adding(text("x", feel="required", value="=a + b"))),
    # headers
    "element-template-version": (adding(header("elementTemplateVersion", "2")), adding(header("elementTemplateVersion", "1"))),
    "element-template-id": (adding(header("elementTemplateId", "io.etk.Other")), adding(header("elementTemplateId", "io.etk.Demo"))),
    # panel
    "pattern-rejects-empty": (adding(text("x", constraints={"pattern": "^\\d*$"})),
                              adding(text("x", constraints={"notEmpty": True, "pattern": "^\\d*$"}))),
    "panel-html": (adding(text("x", tooltip="Your <resource-name> from the portal")),
                   adding(text("x", tooltip="Your <code>resource-name</code> from the portal"))),
    "feel-placeholder": (adding(text("x", feel="required", placeholder="=[1, 2]")),
                         adding(text("x", feel="required", placeholder="[1, 2]"))),
    "dropdown-empty-choice": (adding(dropdown("kind", "", "a", optional=True)), adding(dropdown("kind", "a", "b", optional=True))),
    "dropdown-empty-value": (adding(dropdown("kind", "", "a", value="a")), adding(dropdown("kind", "a", "b", value="a"))),
    "label-type": (adding(text("stream", label="Stream"), {**text("streaming", label="Stream"), "type": "Boolean"}),
                   adding(text("stream", label="Stream"), {**text("streaming", label="Streaming"), "type": "Boolean"})),
    # deprecated
    "deprecated-binding": (template(properties=[{"type": "Hidden", "value": "w", "binding": {"type": "zeebe:taskDefinition:type"}},
                                                MINIMAL["properties"][1]]), template()),
    "deprecated-optional-input": (adding(text("x", optional=True), engines={"camunda": "^8.8"}),
                                  adding(text("x", optional=True), engines={"camunda": "^8.6"})),
    "readonly-feel-optional": (adding(text("x", editable=False, feel="optional")), adding(text("x", editable=False))),
    # folder
    "versioned-copy": (versions(template(version=2), template(version=3), "a-3.json"),
                       versions(template(version=3), template(version=2), "a-2.json")),
    "version-not-bumped": (versions(template(version=2, name="Changed"), template(version=2), "a-2.json"),
                           versions(template(version=3, name="Changed"), template(version=2), "a-2.json")),
    "hybrid-parity": ({"a.json": template(version=2), "a-hybrid.json": template(version=1, id="io.etk.Demo-hybrid",
                                                                             properties=[HYBRID_TYPE, MINIMAL["properties"][1]])},
                      {"a.json": template(version=2), "a-hybrid.json": template(version=2, id="io.etk.Demo-hybrid",
                                                                             properties=[HYBRID_TYPE, MINIMAL["properties"][1]])}),
}


def write(folder: Path, files: Any) -> list[str]:
    """Write a case's files (a lone text or document is t.json); their paths."""
    if not isinstance(files, dict) or "properties" in files:
        files = {"t.json": files}
    paths = []
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content if isinstance(content, str) else dump_json(content), encoding="utf-8")
        paths.append(str(path))
    return paths


def findings_of(rule: str, folder: Path, files: Any) -> list[str]:
    return [str(each) for each in validate_files(write(folder, files)) if each.rule == rule]


def test_every_rule_has_a_case() -> None:
    assert sorted(CASES) == sorted(RULES)


@pytest.mark.parametrize("rule", CASES)
def test_the_rule_reports_what_breaks_it(rule: str, tmp_path: Path) -> None:
    assert findings_of(rule, tmp_path, CASES[rule][0]) != []


@pytest.mark.parametrize("rule", CASES)
def test_the_rule_accepts_the_near_miss(rule: str, tmp_path: Path) -> None:
    assert findings_of(rule, tmp_path, CASES[rule][1]) == []

