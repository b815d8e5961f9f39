"""The properties-panel rules: for each, a template that breaks it (exact finding) and one that keeps it."""

from __future__ import annotations

from generator.validate import PANEL_RULE_IDS, RULES
from tests.validate.test_rules import expect, text_input


def test_panel_rules_are_warnings_for_third_party_templates():
    assert {RULES[rule].severity for rule in PANEL_RULE_IDS} == {"warning"}


# pattern-rejects-empty -------------------------------------------------------------------------

def numbers(pattern, **extra) -> dict:
    return text_input("n", optional=True, constraints={"notEmpty": False, "pattern": pattern}, **extra)


def test_a_pattern_that_rejects_an_empty_optional_field_is_reported(check, template):
    template["properties"].append(numbers({"value": r"^(\d+)?$", "message": "must be a number"}))
    expect(check(template), "pattern-rejects-empty",
           'the properties panel (it tests the text "undefined") shows "must be a number" for this field while it '
           "is empty: let the pattern accept the empty field (^undefined$|(?:PATTERN)) or make the field required "
           "(notEmpty)",
           "/properties/2/constraints/pattern", '"pattern": »{')


def test_the_problems_panel_tests_an_empty_optional_field_as_the_empty_text(check, template):
    template["properties"] += [numbers(r"^undefined$|(?:^\d+$)"), numbers(r"^[0-9]+$")]
    found = check(template).of_rule("pattern-rejects-empty")
    assert [each.message.split(" for this field")[0] for each in found] == [
        'the Problems panel (it tests the empty text "") shows "Must match pattern ^undefined$|(?:^\\\\d+$)."',
        ('the properties panel (it tests the text "undefined") and the Problems panel (it tests the empty text "") '
         'show "Must match pattern ^[0-9]+$."')]
    assert "(^(undefined)?$|(?:PATTERN))" in found[1].message


def test_a_plain_string_pattern_names_the_panel_default_message(check, template):
    template["properties"].append(numbers(r"^\d*$"))
    found = check(template).of_rule("pattern-rejects-empty")
    assert [each.message.split(" for this field")[0] for each in found] == [
        'the properties panel (it tests the text "undefined") shows "Must match pattern ^\\\\d*$."']


def test_patterns_that_accept_undefined_or_required_fields_are_fine(check, template):
    template["properties"] += [
        numbers(r"^undefined$|(?:^(\d+)?$)"),
        numbers(r"^(=.*|\w*)$"),  # \w matches the letters of "undefined"
        text_input("r", constraints={"notEmpty": True, "pattern": r"^\d+$"}),
        {"type": "Hidden", "value": "1", "binding": {"type": "zeebe:input", "name": "h"}, "constraints": {"pattern": r"^\d$"}},
    ]
    assert check(template).of_rule("pattern-rejects-empty") == []


def test_javascript_semantics_decide(check, template):
    # `$` in JavaScript does not match before a final newline, and `\e` is the letter e
    # (a field that is not `optional` stores no value when empty: only the panel's "undefined" counts)
    template["properties"].append(text_input("n", constraints={"notEmpty": False, "pattern": r"^(undefin\ed)$"}))
    assert check(template).of_rule("pattern-rejects-empty") == []


# panel-html ----------------------------------------------------------------------------------------

def test_text_in_angle_brackets_is_swallowed(check, template):
    template["properties"].append(text_input("r", tooltip="Your resource, the <resource-name> in https://<resource-name>.x"))
    expect(check(template), "panel-html",
           'the properties panel renders the tooltip as HTML and drops "<resource-name>" with the text it encloses '
           '(unclosed: everything after it); write "&lt;resource-name&gt;"', "/properties/2/tooltip", '"tooltip": »"Your')


def test_descriptions_and_group_tooltips_are_checked(check, template):
    template["properties"].append(text_input("r", description="see <!-- here -->"))
    template["groups"][0]["tooltip"] = "x <tenant> y"
    found = check(template).of_rule("panel-html")
    assert [(each.location.pointer, each.message.split(" with ")[0]) for each in found] == [
        ("/groups/0/tooltip", 'the properties panel renders the tooltip as HTML and drops "<tenant>"'),
        ("/properties/2/description", 'the properties panel renders the description as HTML and drops "<!-- here -->"'),
    ]


def test_allowed_html_and_plain_comparisons_are_fine(check, template):
    template["properties"].append(text_input(
        "r", tooltip='See <a href="https://x.example">the docs</a>, <code>a</code>; 1 < 2 and a<-b', description="a &lt;b&gt;"))
    assert check(template).of_rule("panel-html") == []


# feel-placeholder ------------------------------------------------------------------------------------

def test_a_feel_placeholder_starting_with_equals_is_reported(check, template):
    template["properties"].append(text_input("c", feel="required", placeholder='=["a"]'))
    expect(check(template), "feel-placeholder",
           'the panel shows a fixed = before a FEEL field, so this placeholder reads "= =[\\"a\\"]" and a user who '
           'types it stores "==[\\"a\\"]"; drop the leading =', "/properties/2/placeholder", '"placeholder": »"=')


def test_feel_placeholders_without_equals_and_optional_feel_are_fine(check, template):
    template["properties"] += [text_input("c", feel="required", placeholder='["a"]'),
                               text_input("d", feel="optional", placeholder="=x")]
    assert check(template).of_rule("feel-placeholder") == []


# dropdown-empty-choice / dropdown-empty-value -----------------------------------------------------

def dropdown(name: str, **extra) -> dict:
    return {"label": name, "type": "Dropdown", "binding": {"type": "zeebe:input", "name": name},
            "choices": [{"name": "Not set", "value": ""}, {"name": "Yes", "value": "true"}], **extra}


def test_an_empty_choice_in_an_optional_dropdown_is_reported(check, template):
    template["properties"].append(dropdown("e", optional=True))
    expect(check(template), "dropdown-empty-choice",
           'the panel gives an optional dropdown its own empty entry (not set), so the choice "Not set" with value "" '
           'offers "not set" a second time; remove the choice', "/properties/2/choices/0", '{\n          "name": "Not set"')


def test_an_empty_choice_in_a_required_dropdown_is_reported(check, template):
    template["properties"].append(dropdown("e", value="true"))
    found = check(template)
    assert [each.rule for each in found.findings] == ["dropdown-empty-value"]
    assert found.findings[0].location.pointer == "/properties/2/choices/0"


def test_optional_dropdown_without_empty_choice_is_fine(check, template):
    prop = dropdown("e", optional=True)
    prop["choices"].pop(0)
    template["properties"].append(prop)
    assert [each for each in check(template).findings if each.rule in PANEL_RULE_IDS] == []


# label-type --------------------------------------------------------------------------------------------

def test_one_label_for_two_field_types_is_a_warning(check, template):
    template["properties"] += [text_input("Log probabilities", id="a"), dropdown("Log probabilities", id="b", optional=True)]
    template["properties"][3]["choices"].pop(0)
    expect(check(template), "label-type",
           'label "Log probabilities" is a Dropdown here but a String at /properties/2: one name for two kinds of '
           "field; give them different labels", "/properties/3/type", '"type": »"Dropdown"', 2)


def test_one_label_for_one_type_is_fine(check, template):
    template["properties"] += [text_input("Same", id="a"), text_input("Same", id="b")]
    assert check(template).of_rule("label-type") == []


