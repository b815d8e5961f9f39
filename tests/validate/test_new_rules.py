"""The rules issue 10 added: for each, a template that breaks it (exact finding) and one that keeps it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.problems import Location, Problem
from generator.validate import RULES
from generator.validate.js_regex_syntax import syntax_error


def expect(checked, rule: str, message: str, pointer: str, needle: str, occurrence: int = 1) -> None:
    found = checked.of_rule(rule)
    assert len(found) == 1, [str(each) for each in checked.findings]
    line, column = checked.position_of(needle, occurrence)
    assert found[0] == Problem(RULES[rule].severity, rule, message, Location("t.json", line, column, pointer))


def text_input(name: str, **extra) -> dict:
    return {"label": name, "type": "String", "binding": {"type": "zeebe:input", "name": name}, **extra}


def hidden(name: str, value: str, **extra) -> dict:
    return {"type": "Hidden", "value": value, "binding": {"type": "zeebe:input", "name": name}, **extra}


# duplicate-binding --------------------------------------------------------------------------------

def test_two_active_properties_writing_one_input_is_an_error(check, template):
    template["properties"] += [hidden("method", "GET"), hidden("method", "POST", condition={"property": "mode", "equals": "b"})]
    expect(check(template), "duplicate-binding",
           "this property and /properties/2 can be active at the same time and both write the input mapping target "
           '"method": the Modeler keeps only one value, silently; give them conditions that exclude each other, or remove one',
           "/properties/3/binding", '"binding": »{', 4)


def test_properties_writing_one_input_under_exclusive_conditions_are_fine(check, template):
    template["properties"] += [hidden("method", "GET", condition={"property": "mode", "equals": "a"}),
                               hidden("method", "POST", condition={"property": "mode", "equals": "b"})]
    assert check(template).of_rule("duplicate-binding") == []


def test_two_task_headers_with_one_key_are_an_error(check, template):
    header = {"type": "Hidden", "value": "x", "binding": {"type": "zeebe:taskHeader", "key": "resultVariable"}}
    template["properties"] += [header, dict(header)]
    assert [each.location.pointer for each in check(template).of_rule("duplicate-binding")] == ["/properties/3/binding"]


# task-definition-type ---------------------------------------------------------------------------------

def test_service_task_without_task_definition_type_is_an_error(check, template):
    del template["properties"][0]
    expect(check(template), "task-definition-type",
           "the template makes a bpmn:ServiceTask but no property sets its task definition type, so the engine has no job "
           'type and the process does not deploy; add a Hidden property with binding {"type": "zeebe:taskDefinition", '
           '"property": "type"} and the job type as its value', "/elementType/value", '"bpmn:ServiceTask"')


def test_task_definition_type_only_under_a_condition_is_an_error(check, template):
    template["properties"][0]["condition"] = {"property": "mode", "equals": "a"}
    template["properties"].insert(0, template["properties"].pop(1))
    expect(check(template), "task-definition-type",
           "the task definition type of this bpmn:ServiceTask is set only under a condition, and some values of the "
           "properties it depends on leave it unset (the process does not deploy then); set it unconditionally",
           "/properties/1/condition", '"condition": »{')


def test_a_plain_task_needs_no_task_definition(check, template):
    del template["properties"][0]
    del template["elementType"]
    assert check(template).of_rule("task-definition-type") == []


# keys -----------------------------------------------------------------------------------------------

def test_misspelled_key_has_a_did_you_mean(check, template):
    template["properties"].append({"lable": "URL", "type": "String", "binding": {"type": "zeebe:input", "name": "url"}})
    expect(check(template), "misspelled-key",
           'unknown key "lable" in a property: did you mean "label"? The Modeler ignores "lable" silently',
           "/properties/2/lable", '"URL"')


def test_misspelled_constraints_key(check, template):
    template["properties"].append(text_input("url", contraints={"notEmpty": True}))
    found = check(template).of_rule("misspelled-key")
    assert [each.message for each in found] == [
        'unknown key "contraints" in a property: did you mean "constraints"? The Modeler ignores "contraints" silently']


def test_unknown_key_without_a_near_miss_is_a_warning(check, template):
    template["properties"].append(text_input("url", colour="red"))
    found = check(template).of_rule("unknown-key")
    assert len(found) == 1 and found[0].severity == "warning" and found[0].location.pointer == "/properties/2/colour"


def test_comment_and_extension_keys_are_fine(check, template):
    template["properties"].append(text_input("url", **{"//": "note", "$comment": "note", "x-owner": "team"}))
    checked = check(template)
    assert checked.of_rule("unknown-key") == [] and checked.of_rule("misspelled-key") == []


# duplicate-choice ---------------------------------------------------------------------------------

def test_a_dropdown_value_listed_twice_is_an_error(check, template):
    template["properties"][1]["choices"].append({"name": "Also A", "value": "a"})
    expect(check(template), "duplicate-choice",
           'the value "a" is already the value of choice 0 ("A"): the panel shows that name for both, so this choice can '
           "never appear selected; give each choice its own value or remove one", "/properties/1/choices/2/value",
           '"value": »"a"', 3)


# pattern-syntax -----------------------------------------------------------------------------------

def test_a_pattern_javascript_rejects_is_an_error(check, template):
    template["properties"].append(text_input("n", constraints={"notEmpty": True, "pattern": "^\\d{2,1}$"}))
    expect(check(template), "pattern-syntax",
           "not a JavaScript regular expression (numbers out of order in {} quantifier at character 4): the panel's "
           "new RegExp(pattern) throws, so the field cannot be validated; fix the pattern",
           "/properties/2/constraints/pattern", '"pattern": »"')


def test_a_pattern_python_rejects_but_javascript_accepts_is_fine(check, template):
    # `]` and `{` are literals and `\c` a backslash and c for JavaScript; Python's re rejects `\c`
    template["properties"].append(text_input("n", constraints={"notEmpty": True, "pattern": "^[a]]{\\c$"}))
    assert check(template).of_rule("pattern-syntax") == []


def test_a_pattern_object_without_value_is_an_error(check, template):
    template["properties"].append(text_input("n", constraints={"notEmpty": True, "pattern": {"message": "digits only"}}))
    expect(check(template), "pattern-syntax",
           'the pattern object has no "value": the panel builds new RegExp(undefined), which accepts everything, so '
           '"digits only" is never shown; add "value"', "/properties/2/constraints/pattern", '"pattern": »{')


REGEX_TABLE = Path(__file__).parent / "js_regex_cases.json"


def test_the_pattern_checker_agrees_with_node(node_tools, tmp_path):
    """Every pattern of the table and of Camunda's published templates: etk's verdict is node's
    `new RegExp(pattern)` verdict."""
    import subprocess

    cases = json.loads(REGEX_TABLE.read_text(encoding="utf-8"))
    corpus = node_tools / "node_modules/@camunda/connectors-element-templates/src/element-templates"
    for path in sorted(corpus.glob("*.json")):
        for template in json.loads(path.read_text(encoding="utf-8")):
            for prop in template["properties"]:
                pattern = (prop.get("constraints") or {}).get("pattern")
                source = pattern.get("value") if isinstance(pattern, dict) else pattern
                if isinstance(source, str):
                    cases.append(source)
    cases = sorted(set(cases))
    script = ("const cases = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
              "console.log(JSON.stringify(cases.map(c => { try { new RegExp(c); return true; } catch (e) { return false; } })));")
    verdicts = json.loads(subprocess.run(["node", "-e", script], input=json.dumps(cases), capture_output=True, text=True,
                                         check=True, timeout=60).stdout)
    disagreements = [case for case, valid in zip(cases, verdicts, strict=True) if (syntax_error(case) is None) != valid]
    assert len(cases) > 100 and disagreements == []


# FEEL reads -------------------------------------------------------------------------------------------

def test_hidden_input_reading_a_variable_no_input_provides_is_an_error(check, template):
    template["properties"] += [text_input("action.documentSource", id="documentSource"),
                               hidden("action.document", '=if documentSource = "camunda" then 1 else 2')]
    expect(check(template), "feel-unknown-variable",
           'this Hidden input mapping reads "documentSource", which no earlier input of the template provides, so it reads '
           'process variables of that name (usually null); "documentSource" is a property id: its input is '
           '"action.documentSource"', "/properties/3/value", '"=if documentSource')


def test_hidden_input_reading_earlier_inputs_and_its_own_names_is_fine(check, template):
    template["properties"] += [text_input("action.source"), text_input("resourceName"),
                               hidden("url", '={u: "https://" + resourceName, s: action.source, l: for x in [1] return x}.u')]
    assert check(template).of_rule("feel-unknown-variable") == []


def test_input_reading_a_later_input_is_an_error(check, template):
    template["properties"] += [hidden("url", '=baseUrl + "/v1"'), text_input("baseUrl")]
    expect(check(template), "input-order",
           "this input mapping reads baseUrl, the target of an input mapped after it: Zeebe maps inputs in order, so it "
           "reads the process variable baseUrl instead; move this property below it", "/properties/2/value", '"=baseUrl')


# elementTemplateId -----------------------------------------------------------------------------------

def test_element_template_id_header_of_another_template_is_a_warning(check, template):
    template["properties"].append({"type": "Hidden", "value": "io.etk.Other",
                                   "binding": {"type": "zeebe:taskHeader", "key": "elementTemplateId"}})
    expect(check(template), "element-template-id",
           'the elementTemplateId header is "io.etk.Other" but the template\'s id is "io.etk.Demo"; the connector runtime '
           "reports the wrong template: make them equal", "/properties/2/value", '"io.etk.Other"')


@pytest.mark.parametrize("template_id", ["io.etk.Demo", "io.etk.Demo-hybrid"])
def test_element_template_id_header_of_the_template_is_fine(check, template, template_id):
    template["id"] = template_id
    template["properties"].append({"type": "Hidden", "value": "io.etk.Demo",
                                   "binding": {"type": "zeebe:taskHeader", "key": "elementTemplateId"}})
    assert check(template).of_rule("element-template-id") == []
