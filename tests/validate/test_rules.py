"""One test per semantic rule: a template that breaks it (exact finding: severity, message,
pointer, line:column) and one that keeps it (no finding of that rule)."""

from __future__ import annotations

import pytest

from generator.feel import FeelSyntaxError, parse
from generator.problems import Location, Problem
from generator.validate import RULES, validate_template

SCHEMA_URL = "https://unpkg.com/@camunda/zeebe-element-templates-json-schema/resources/schema.json"


def only(checked, rule: str) -> Problem:
    findings = checked.of_rule(rule)
    assert len(findings) == 1, [str(each) for each in checked.findings]
    return findings[0]


def expect(checked, rule: str, message: str, pointer: str, needle: str, occurrence: int = 1) -> None:
    found = only(checked, rule)
    line, column = checked.position_of(needle, occurrence)
    assert found == Problem(RULES[rule].severity, rule, message, Location("t.json", line, column, pointer))


def text_input(name: str, **extra) -> dict:
    return {"label": name, "type": "String", "binding": {"type": "zeebe:input", "name": name}, **extra}


def test_minimal_template_has_no_findings(check, template):
    assert check(template).findings == []


def test_every_rule_has_a_severity_group_summary_and_example():
    from generator.validate.findings import GROUPS
    assert all(rule.severity in ("error", "warning", "info") and rule.group in GROUPS and rule.summary and rule.example
               for rule in RULES.values())


# $schema ---------------------------------------------------------------------------------------

def test_missing_schema_is_an_error_at_the_template(check, template):
    del template["$schema"]
    expect(check(template), "schema-reference",
           f'missing "$schema": the Modeler rejects templates without it; add "$schema": "{SCHEMA_URL}"', "", "{")


def test_schema_of_another_package_is_an_error(check, template):
    template["$schema"] = "https://unpkg.com/@camunda/element-templates-json-schema/resources/schema.json"
    expect(check(template), "schema-reference",
           "\"$schema\" \"https://unpkg.com/@camunda/element-templates-json-schema/resources/schema.json\" does not name "
           f"@camunda/zeebe-element-templates-json-schema, so the Modeler rejects the template; use \"{SCHEMA_URL}\"",
           "/$schema", '"https://unpkg.com/@camunda/element')


@pytest.mark.parametrize("url", [SCHEMA_URL, "https://unpkg.com/@camunda/zeebe-element-templates-json-schema@0.46.0/resources/schema.json"])
def test_unversioned_or_known_schema_version_is_fine(check, template, url):
    template["$schema"] = url
    checked = check(template)
    assert checked.of_rule("schema-reference") == [] and checked.of_rule("schema-version") == []


def test_schema_version_newer_than_known_is_a_warning(check, template):
    template["$schema"] = "https://unpkg.com/@camunda/zeebe-element-templates-json-schema@0.47.1/resources/schema.json"
    expect(check(template), "schema-version",
           "$schema pins version 0.47.1, newer than 0.46.0 which etk knows; Modelers bundling an older schema reject "
           "the template (an unversioned URL avoids that)", "/$schema", '"https://unpkg.com')


# (id, version) in one file ---------------------------------------------------------------------

def test_same_id_and_version_twice_in_a_file_is_an_error(check, template):
    expect(check([template, dict(template)]), "unique-id-version",
           'template id "io.etk.Demo" with version 1 is already used by the template at /0; the Modeler rejects the '
           "second one: give each template version its own number", "/1/version", '"version": »1', 2)


def test_same_id_without_version_twice_is_an_error_at_the_id(check, template):
    del template["version"]
    expect(check([template, dict(template)]), "unique-id-version",
           'template id "io.etk.Demo" with no version is already used by the template at /0; the Modeler rejects the '
           "second one: give each template version its own number", "/1/id", '"io.etk.Demo"', 2)


def test_same_id_with_other_versions_is_fine(check, template):
    assert check([template, dict(template, version=2)]).findings == []


# elementType and appliesTo ---------------------------------------------------------------------

def test_element_type_outside_applies_to_is_an_error(check, template):
    template["appliesTo"] = ["bpmn:ServiceTask"]
    template["elementType"] = {"value": "bpmn:Task"}
    expect(check(template), "element-type",
           "elementType bpmn:Task is not one of appliesTo (bpmn:ServiceTask) or a subtype of one; "
           "the Modeler rejects the template", "/elementType/value", '"bpmn:Task"', 1)


def test_applies_to_type_of_another_family_is_an_error(check, template):
    template["appliesTo"] = ["bpmn:Task", "bpmn:SequenceFlow"]
    expect(check(template), "element-type",
           "an element of appliesTo type bpmn:SequenceFlow cannot be turned into elementType bpmn:ServiceTask: both "
           "must be activities, events or gateways; the Modeler rejects the template", "/appliesTo/1", '"bpmn:SequenceFlow"')


@pytest.mark.parametrize("applies_to, element_type", [
    (["bpmn:Task"], "bpmn:ServiceTask"),
    (["bpmn:SubProcess"], "bpmn:AdHocSubProcess"),
    (["bpmn:IntermediateCatchEvent", "bpmn:IntermediateThrowEvent"], "bpmn:IntermediateCatchEvent"),
    (["bpmn:Task", "bpmn:CallActivity"], "bpmn:ServiceTask"),
])
def test_element_type_in_the_same_family_is_fine(check, template, applies_to, element_type):
    template["appliesTo"], template["elementType"] = applies_to, {"value": element_type}
    assert check(template).of_rule("element-type") == []


# engines ---------------------------------------------------------------------------------------

def test_engine_that_is_not_a_semver_range_is_an_error(check, template):
    template["engines"] = {"camunda": "^8.x.y"}
    expect(check(template), "engines",
           'engines.camunda is not a valid semver range: "8.x.y" in "^8.x.y" is not a version such as 8, 8.6, 8.6.x or 8.6.1',
           "/engines/camunda", '"^8.x.y"')


@pytest.mark.parametrize("text", ["^8.6", ">=8.3 <9", "8.6.x", "~1.2", "^8.6 || ^9", "8.5 - 8.8", "*"])
def test_engines_with_npm_ranges_are_fine(check, template, text):
    template["engines"] = {"camunda": text, "camundaDesktopModeler": ">=5.30"}
    assert check(template).findings == []


# property ids ----------------------------------------------------------------------------------

def test_duplicate_property_id_is_an_error(check, template):
    template["properties"] += [text_input("first", id="name"), text_input("second", id="name")]
    expect(check(template), "unique-property-id",
           'property id "name" is already used by /properties/2, and both can be active at the same time; ids must be '
           "unique unless the properties' conditions exclude each other", "/properties/3/id", '"id": »"name"', 2)


def test_duplicate_id_gated_by_different_values_of_one_dropdown_is_fine(check, template):
    template["properties"] += [
        text_input("forA", id="target", condition={"property": "mode", "equals": "a"}),
        text_input("forB", id="target", condition={"property": "mode", "oneOf": ["b"]}),
    ]
    assert check(template).findings == []


def test_duplicate_id_with_overlapping_conditions_is_an_error(check, template):
    template["properties"] += [
        text_input("forA", id="target", condition={"property": "mode", "oneOf": ["a", "b"]}),
        text_input("forB", id="target", condition={"property": "mode", "equals": "b"}),
    ]
    assert [each.location.pointer for each in check(template).of_rule("unique-property-id")] == ["/properties/3/id"]


def test_duplicate_id_gated_by_emptiness_and_activity_is_fine(check, template):
    template["properties"] += [
        text_input("switch", id="switch"),
        text_input("whenEmpty", id="target", condition={"property": "switch", "isEmpty": True}),
        text_input("whenSet", id="target", condition={"allMatch": [{"property": "switch", "equals": "on"}]}),
        text_input("whenActive", id="other", condition={"property": "switch", "isActive": True}),
        text_input("whenInactive", id="other", condition={"property": "switch", "isActive": False}),
    ]
    assert check(template).of_rule("unique-property-id") == []


# conditions ------------------------------------------------------------------------------------

def test_condition_on_its_own_property_is_an_error(check, template):
    template["properties"].append(text_input("loop", id="loop", condition={"property": "loop", "isEmpty": False}))
    expect(check(template), "condition-self",
           'condition refers to the property\'s own id "loop"; a property cannot depend on itself',
           "/properties/2/condition/property", '"property": »"loop"')


def test_condition_on_a_missing_property_is_an_error(check, template):
    template["properties"].append(text_input("orphan", condition={"property": "nothing", "equals": "x"}))
    expect(check(template), "condition-target",
           'condition refers to property id "nothing", which no property has, so this property is never active; use '
           "the id of an existing property", "/properties/2/condition/property", '"nothing"')


def test_inactive_clause_on_a_missing_property_always_holds(check, template):
    template["properties"].append(text_input("orphan", condition={"property": "nothing", "isActive": False}))
    expect(check(template), "condition-target",
           'condition refers to property id "nothing", which no property has, so the clause "isActive": false always '
           "holds; use an existing id or remove the clause", "/properties/2/condition/property", '"nothing"')


def test_choice_condition_on_a_missing_property_is_an_error(check, template):
    template["properties"][1]["choices"][1]["condition"] = {"property": "nothing", "equals": "x"}
    expect(check(template), "condition-target",
           'condition refers to property id "nothing", which no property has, so this choice is never offered; use '
           "the id of an existing property", "/properties/1/choices/1/condition/property", '"nothing"')


def test_condition_on_a_later_property_is_a_warning(check, template):
    template["properties"].insert(1, text_input("early", condition={"property": "mode", "equals": "a"}))
    expect(check(template), "condition-order",
           'condition refers to property "mode", which is defined later (/properties/2); define it before the '
           "properties that depend on it", "/properties/1/condition/property", '"mode"')


def test_condition_on_an_earlier_property_is_fine(check, template):
    template["properties"].append(text_input("late", condition={"property": "mode", "equals": "a"}))
    assert check(template).findings == []


def test_condition_value_the_dropdown_never_holds_is_an_error(check, template):
    template["properties"].append(text_input("late", condition={"property": "mode", "equals": "c"}))
    expect(check(template), "condition-value",
           '"c" is never the value of dropdown "mode" ("a", "b"), so this property is never active; compare with one '
           "of those values", "/properties/2/condition/equals", '"c"')


def test_one_dead_value_among_others_is_a_warning(check, template):
    template["properties"].append(text_input("late", condition={"property": "mode", "oneOf": ["a", "c"]}))
    expect(check(template), "condition-dead-value",
           '"c" is never the value of dropdown "mode" ("a", "b"); the other values keep the condition useful: remove '
           "this one", "/properties/2/condition/oneOf/1", '"c"')


def test_condition_on_a_hidden_value_it_never_has_is_an_error(check, template):
    template["properties"] += [
        {"id": "auth", "type": "Hidden", "value": "basic", "binding": {"type": "zeebe:input", "name": "auth"}},
        text_input("apiKey", condition={"property": "auth", "equals": "apiKey"}),
    ]
    expect(check(template), "condition-value",
           '"apiKey" is never the value of Hidden property "auth" ("basic"), so this property is never active; compare '
           "with one of those values", "/properties/3/condition/equals", '"equals": »"apiKey"')


def test_contradictory_clauses_never_hold(check, template):
    template["properties"].append(text_input("never", condition={"allMatch": [
        {"property": "mode", "equals": "a"}, {"property": "mode", "equals": "b"}]}))
    expect(check(template), "condition-never-holds",
           'this property is never active: no values the properties "mode" can hold together satisfy every clause of '
           "its condition (the Modeler never shows or writes it); make the clauses compatible",
           "/properties/2/condition", '"condition": »{')


def test_depending_on_a_never_active_property_never_holds(check, template):
    template["properties"] += [
        text_input("dead", id="dead", condition={"property": "mode", "equals": "zzz"}),
        text_input("child", condition={"property": "dead", "isActive": True}),
    ]
    expect(check(template), "condition-never-holds",
           'this property is never active: its condition needs property "dead", which is itself never active; fix '
           "that property's condition first", "/properties/3/condition", '"condition": »{', 2)


def test_isactive_cycle_is_an_error(check, template):
    template["properties"] += [
        text_input("a", id="a", condition={"property": "b", "isActive": True}),
        text_input("b", id="b", condition={"property": "a", "isActive": True}),
    ]
    expect(check(template), "condition-cycle",
           'the conditions refer to each other through isActive ("a" -> "b" -> "a"): the Modeler evaluates them by '
           "endless recursion and fails; break the cycle", "/properties/2/condition", '"condition": »{')


def test_condition_values_on_a_text_property_are_not_checked(check, template):
    template["properties"] += [text_input("free", id="free"), text_input("late", condition={"property": "free", "equals": "z"})]
    assert check(template).findings == []


# dropdowns and groups --------------------------------------------------------------------------

def test_dropdown_default_outside_its_choices_is_a_warning(check, template):
    template["properties"][1]["value"] = "c"
    expect(check(template), "dropdown-default",
           'the default value "c" is not one of the dropdown\'s choices ("a", "b"); the Modeler shows an empty selection',
           "/properties/1/value", '"c"')


def test_duplicate_group_id_is_an_error(check, template):
    template["groups"].append({"id": "main", "label": "Again"})
    expect(check(template), "unique-group-id", 'group id "main" is already declared at /groups/0',
           "/groups/1/id", '"main"', 2)


def test_property_in_an_undeclared_group_is_a_warning(check, template):
    template["properties"][1]["group"] = "elsewhere"
    template["groups"].append({"id": "spare", "label": "Spare"})
    template["properties"].append(text_input("x", group="spare"))
    expect(check(template), "group-declared",
           'group "elsewhere" is not declared in "groups", so the Modeler shows this property outside any group; '
           'declare the group or remove "group"', "/properties/1/group", '"elsewhere"')


def test_declared_group_without_properties_is_a_warning(check, template):
    template["groups"].append({"id": "spare", "label": "Spare"})
    expect(check(template), "empty-group", 'group "spare" has no properties; remove it or put properties in it',
           "/groups/1", '{\n      "id": "spare"')


# version past JavaScript's safe integers ------------------------------------------------------

@pytest.mark.parametrize(("version", "message"), [
    (2**53 + 1, "version 9007199254740993 is past JavaScript's largest safe integer (9007199254740991): "
                "the Modeler reads it as 9007199254740992; use a smaller version"),
    (-(2**53) - 1, "version -9007199254740993 is past JavaScript's largest safe integer (9007199254740991): "
                   "the Modeler reads it as -9007199254740992; use a smaller version"),
    (10**400, "version 10000000... (401 digits) is past JavaScript's largest safe integer (9007199254740991): "
              "the Modeler reads it as Infinity; use a smaller version"),
])
def test_version_past_javascripts_safe_integers_is_an_error(check, template, version, message):
    template["version"] = version
    expect(check(template), "version-safe-integer", message, "/version", str(version))


def test_largest_safe_integer_is_a_fine_version(check, template):
    template["version"] = 2**53 - 1
    assert check(template).findings == []


# elementTemplateVersion header -----------------------------------------------------------------

def header(value) -> dict:
    return {"type": "Hidden", "value": value, "binding": {"type": "zeebe:taskHeader", "key": "elementTemplateVersion"}}


def test_version_header_different_from_version_is_an_error(check, template):
    template["properties"].append(header("2"))
    expect(check(template), "element-template-version",
           "the elementTemplateVersion header is \"2\" but the template's version is 1; they must be equal",
           "/properties/2/value", '"2"')


def test_version_header_without_version_is_an_error(check, template):
    del template["version"]
    template["properties"].append(header("1"))
    expect(check(template), "element-template-version",
           'the template has an elementTemplateVersion header but no "version"; add "version"',
           "/properties/2", '{\n      "type": "Hidden",\n      "value": "1"')


def test_version_header_equal_to_version_is_fine(check, template):
    template["properties"].append(header("1"))
    assert check(template).findings == []


# FEEL ------------------------------------------------------------------------------------------

def hidden_input(value: str, **extra) -> dict:
    return {"type": "Hidden", "value": value, "binding": {"type": "zeebe:input", "name": "x"}, **extra}


def parser_message(expression: str) -> str:
    with pytest.raises(FeelSyntaxError) as raised:
        parse(expression)
    return raised.value.message


def test_invalid_feel_value_is_an_error(check, template):
    template["properties"].append(hidden_input("={a: 1,}"))
    expect(check(template), "feel-syntax", f"invalid FEEL (at 1:8 of the value): {parser_message('={a: 1,}')}",
           "/properties/2/value", '"={a: 1,}"')


def test_feel_required_value_without_equals_is_parsed_as_feel(check, template):
    template["properties"].append({"label": "L", "type": "Text", "feel": "required", "value": "1 +",
                                   "binding": {"type": "zeebe:input", "name": "x"}})
    expect(check(template), "feel-syntax", f"invalid FEEL (at 1:4 of the value): {parser_message('1 +')}",
           "/properties/2/value", '"1 +"')


def test_feel_in_dropdown_choice_values_is_checked(check, template):
    template["properties"][1]["choices"].append({"name": "F", "value": "=if"})
    assert [each.location.pointer for each in check(template).of_rule("feel-syntax")] == ["/properties/1/choices/2/value"]


def test_valid_feel_and_plain_text_are_fine(check, template):
    template["properties"] += [
        text_input("baseUrl"),
        hidden_input('={url: baseUrl + "/v1", items: for i in 1..3 return i * 2}'),
        {"label": "Plain", "type": "String", "feel": "optional", "value": "1 + (not FEEL",
         "binding": {"type": "zeebe:input", "name": "plain"}},
    ]
    assert check(template).findings == []


# deprecations ----------------------------------------------------------------------------------

def test_legacy_task_definition_binding_is_a_warning(check, template):
    template["properties"][0]["binding"] = {"type": "zeebe:taskDefinition:type"}
    expect(check(template), "deprecated-binding",
           'binding type "zeebe:taskDefinition:type" is deprecated; use {"type": "zeebe:taskDefinition", "property": "type"}',
           "/properties/0/binding/type", '"zeebe:taskDefinition:type"')


def test_optional_input_is_info_for_templates_that_require_8_8(check, template):
    template["engines"] = {"camunda": ">=8.8"}
    template["properties"].append(text_input("opt", optional=True))
    expect(check(template), "deprecated-optional-input",
           '"optional" on a zeebe:input binding is deprecated: from Camunda 8.8, which this template requires '
           '(engines.camunda), an empty input mapping resolves to null; remove "optional"',
           "/properties/2/optional", "true")


@pytest.mark.parametrize("engines", [None, {"camunda": "^8.6"}, {"camunda": ">=8.7 <9"}, {"camunda": "^8.8 || ^8.5"}])
def test_optional_input_is_fine_for_templates_that_support_camunda_before_8_8(check, template, engines):
    if engines:
        template["engines"] = engines
    template["properties"].append(text_input("opt", optional=True))
    assert check(template).of_rule("deprecated-optional-input") == []


def test_optional_input_is_a_warning_for_templates_that_need_camunda_8_8(check, template):
    template["engines"] = {"camunda": "^8.8"}
    template["properties"].append(text_input("opt", optional=True))
    assert [each.location.pointer for each in check(template).of_rule("deprecated-optional-input")] == ["/properties/2/optional"]


def test_optional_header_is_fine(check, template):
    template["properties"].append({"label": "H", "type": "String", "optional": True,
                                   "binding": {"type": "zeebe:taskHeader", "key": "h"}})
    assert check(template).findings == []


def test_hidden_property_without_value_is_a_warning(check, template):
    template["properties"].append({"type": "Hidden", "binding": {"type": "zeebe:input", "name": "x"}})
    expect(check(template), "hidden-without-value", 'a Hidden property should have a "value" or a "generatedValue"',
           "/properties/2", '{\n      "type": "Hidden",\n      "binding"')


def test_feel_optional_on_a_read_only_property_is_a_warning(check, template):
    template["properties"].append(text_input("ro", editable=False, feel="optional"))
    expect(check(template), "readonly-feel-optional",
           '"feel": "optional" on a property with "editable": false is invalid: the user cannot toggle it',
           "/properties/2/feel", '"optional"')


def test_feel_required_value_without_equals_is_a_warning(check, template):
    template["properties"].append(text_input("f", feel="required", value="a + b"))
    expect(check(template), "feel-value-without-equals",
           'a "feel": "required" value should start with "=" (the Modeler prepends it when applying)',
           "/properties/2/value", '"a + b"')


# file-level findings ---------------------------------------------------------------------------

def test_duplicate_json_key_is_an_error_at_the_second_key(template):
    from generator.validate import validate_text

    text = '{"name": "a",\n "name": "b", "id": "x", "appliesTo": [], "properties": []}'
    findings = [each for each in validate_text(text, file="t.json") if each.rule == "duplicate-key"]
    assert findings == [Problem("error", "duplicate-key", 'key "name" appears twice in the same object; JSON readers keep only the last one', Location("t.json", 2, 10, "/name"))]


@pytest.mark.parametrize("document, message", [
    ("text", 'expected a template object or an array of templates, got a string'),
    (3, 'expected a template object or an array of templates, got a number'),
])
def test_a_document_that_is_no_template_is_an_error(document, message):
    assert validate_template(document) == [Problem("error", "not-a-template", message, Location(pointer=""))]


def test_array_items_that_are_no_template_are_errors(template):
    assert validate_template([template, None]) == [
        Problem("error", "not-a-template", "expected a template object, got null", Location(pointer="/1"))
    ]


def test_empty_array_is_a_warning():
    assert validate_template([]) == [Problem("warning", "empty-file", "the array holds no templates", Location(pointer=""))]


def test_nan_and_infinity_are_not_json():
    from generator.validate import validate_text

    text = '{"name": "NaN here",\n "version": -Infinity}'
    assert validate_text(text, file="t.json") == [
        Problem("error", "json-syntax", "invalid JSON: -Infinity is not a JSON value", Location("t.json", 2, 13, ""))
    ]


def test_too_deeply_nested_json_is_a_finding():
    from generator.validate import validate_text

    assert validate_text("[" * 100_000 + "]" * 100_000, file="t.json") == [
        Problem("error", "json-syntax", "invalid JSON: nested more than 500 levels deep (etk reads at most 500)",
                Location("t.json", 1, 501, ""))
    ]


def test_values_too_deep_for_the_schema_engine_are_a_finding(template):
    deep: dict = {}
    node = deep
    for _ in range(800):
        node["a"] = node = {}
    template["properties"][1]["value"] = deep
    findings = [each for each in validate_template(template) if each.rule == "schema"]
    assert [each.location.pointer for each in findings] == [""]
    assert findings[0].message.startswith("cannot check the template's structure: ")
