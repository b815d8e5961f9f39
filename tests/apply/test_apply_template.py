"""`apply_template`: what the Modeler writes for a template and the values a user types."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.apply import (
    ApplyError,
    apply_template,
    apply_to_state,
    new_element_state,
    remove_state,
    unlink_state,
    value_key,
)
from generator.apply.modeler import Identity
from generator.task import AppliedTask, InputMapping, OutputMapping, TaskHeader, ZeebeProperty

TEMPLATES = Path(__file__).parent / "templates"


def load(name: str) -> dict:
    return json.loads((TEMPLATES / name).read_text())


BASIC = load("basic.json")


def test_basic_template_matches_the_modeler_example() -> None:
    generated = Identity().uuid_for(BASIC, BASIC["properties"][-1])
    assert apply_template(BASIC) == AppliedTask(
        job_type="demo-worker",
        retries="5",
        inputs=(
            InputMapping("plainString", "hello"),
            InputMapping("feelRequired", "=a + b"),
            InputMapping("feelOptional", "x"),
            InputMapping("boolInput", "=true"),
            InputMapping("numberInput", "=42"),
            InputMapping("emptyRequired", None),  # not optional: written without source
            InputMapping("mode", "a"),
            InputMapping("onlyA", "shownA"),  # onlyB's condition mode = b is false
        ),
        outputs=(OutputMapping("=response.body", "resultVar"),),
        headers=(TaskHeader("h1", "v1"), TaskHeader("resultExpression", "={a: 1}")),
        properties=(ZeebeProperty("zp", "pv"), ZeebeProperty("zpBool", "false"), ZeebeProperty("gen", generated)),
        element_type="bpmn:ServiceTask",
        template_id="com.example.demo",
        template_version=3,
        attributes={"name": "Templated name"},
    )
    assert apply_template(BASIC) == apply_template(BASIC)  # generated values are deterministic


def test_user_values_are_cast_like_the_properties_panel() -> None:
    task = apply_template(
        BASIC,
        {
            "numberInput": "0.70",  # a number field hands over parseFloat("0.70")
            "boolInput": "false",
            "feelRequired": "x * 2",
            "feelOptional": "=now()",
            "emptyOptional": "set",
            "mode": "b",
            "h1": "",  # empty headers are removed
            "zpBool": "false",
            "retries": "7",
            "name": "Renamed",
        },
    )
    sources = {i.target: i.source for i in task.inputs}
    assert sources["numberInput"] == "=0.7"
    assert sources["boolInput"] == "=false"
    assert sources["feelRequired"] == "=x * 2"
    assert sources["feelOptional"] == "=now()"
    assert sources["emptyOptional"] == "set"
    assert "onlyA" not in sources and sources["onlyB"] == "shownB"
    assert [i.target for i in task.inputs] == [  # template order, whatever the typing order
        "plainString", "feelRequired", "feelOptional", "boolInput", "numberInput", "emptyRequired",
        "emptyOptional", "mode", "onlyB",
    ]
    assert task.headers == (TaskHeader("resultExpression", "={a: 1}"),)
    assert task.retries == "7"
    assert task.attributes == {"name": "Renamed"}


def test_keys_may_be_binding_names() -> None:
    by_id = apply_template(BASIC, {"resultVar": "answer", "h1": "x", "zp": "q"})
    by_binding = apply_template(BASIC, {"=response.body": "answer", "h1": "x", "zp": "q"})
    assert by_id == by_binding
    assert by_id.outputs == (OutputMapping("=response.body", "answer"),)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"plainStrng": "x"}, "unknown property 'plainStrng' for template 'com.example.demo': no property has this id or binding name; did you mean 'plainString'?"),
        ({"gen": "x"}, "property 'gen' is Hidden: its value is fixed by the template and cannot be set"),
        ({"numberInput": "0,7"}, "property 'numberInput' is a number field: '0,7' is not a number"),
        ({"boolInput": "yes"}, "property 'boolInput' is a checkbox: expected true or false, got 'yes'"),
        ({"mode": "c"}, "property 'mode' is a dropdown: 'c' is not one of its choices: a (A), b (B)"),
        ({"onlyB": "x"}, "property 'onlyB' is not active: it requires mode = b (current: a)"),
        ({"mode": "b", "onlyA": "x"}, "property 'onlyA' is not active: it requires mode = a (current: b)"),
    ],
)
def test_bad_values_are_reported(values: dict[str, str], message: str) -> None:
    with pytest.raises(ApplyError) as error:
        apply_template(BASIC, values)
    assert str(error.value) == message


def test_every_problem_of_a_value_set_is_collected() -> None:
    values = {"onlyB": "x", "nothing": "x", "mode": "c", "feelRequired": "ok", "boolInput": "yes", "name": "n", "numberInput": "0,7", "a/b~c": "1"}
    with pytest.raises(ApplyError) as error:
        apply_template(BASIC, values)
    found = [(each.rule, each.location.pointer) for each in error.value.problems]
    assert found == [
        ("unknown-property", "/nothing"),
        ("unknown-property", "/a~1b~0c"),
        ("value-refused", "/boolInput"),
        ("value-refused", "/numberInput"),
        ("value-refused", "/mode"),
        ("inactive-property", "/onlyB"),
    ]
    assert all(each.severity == "error" and each.location.file is None for each in error.value.problems)
    assert [value_key(each) for each in error.value.problems] == ["nothing", "a/b~c", "boolInput", "numberInput", "mode", "onlyB"]
    assert str(error.value).splitlines()[0] == "6 problems with the values"


def test_value_order_does_not_matter_for_activation() -> None:
    # onlyB comes after mode in the template, and becomes active once mode is set
    assert apply_template(BASIC, {"onlyB": "typed", "mode": "b"}).inputs[-1] == InputMapping("onlyB", "typed")


def test_existing_values_are_kept_on_first_apply() -> None:
    state = new_element_state(BASIC)
    state.attributes["name"] = "My task"
    apply_to_state(state, BASIC)
    assert state.to_applied_task().attributes == {"name": "My task"}


def test_upgrade_keeps_changed_values_and_moves_untouched_defaults() -> None:
    v1, v2 = load("upgrade-v1.json"), load("upgrade-v2.json")
    state = new_element_state(v1)
    apply_to_state(state, v1, {"keptIfChanged": "user-value", "level": "mid", "headerChanged": "mine", "count": "3"})
    before = state.to_applied_task()
    apply_to_state(state, v2, known_templates=[v1])
    after = state.to_applied_task()
    assert after.template_version == 2
    assert after.job_type == "worker-v2"  # Hidden: always overwritten
    assert after.inputs == (
        InputMapping("keptIfChanged", "user-value"),  # changed by the user: kept
        InputMapping("untouched", "default2"),  # still v1's default: moves to v2's
        InputMapping("added", "new"),  # new in v2
        InputMapping("level", "low"),  # `mid` is no longer a choice
        InputMapping("count", "=3"),
    )  # removedLater disappeared
    assert after.headers == (TaskHeader("hidden", "h-v2"), TaskHeader("headerChanged", "mine"))
    assert after.properties[0] == ZeebeProperty("prop", "p2")
    # a Hidden generated value gets a new UUID on upgrade
    assert after.properties[1].name == "hiddenId" and after.properties[1].value != before.properties[1].value


def test_upgrade_without_the_old_version_keeps_every_existing_value() -> None:
    v1, v2 = load("upgrade-v1.json"), load("upgrade-v2.json")
    state = new_element_state(v1)
    apply_to_state(state, v1)
    apply_to_state(state, v2)  # v1 unknown: like a first apply over existing values
    sources = {i.target: i.source for i in state.to_applied_task().inputs}
    assert sources["untouched"] == "default1"


def test_unlink_and_remove() -> None:
    state = new_element_state(BASIC)
    apply_to_state(state, BASIC)
    unlink_state(state)
    unlinked = state.to_applied_task()
    assert (unlinked.template_id, unlinked.template_version) == (None, None)
    assert unlinked.job_type == "demo-worker" and unlinked.attributes == {"name": "Templated name"}

    state = new_element_state(BASIC)
    apply_to_state(state, BASIC)
    remove_state(state, [BASIC])
    removed = state.to_applied_task()
    assert removed == AppliedTask(job_type=None, element_type="bpmn:ServiceTask")
    assert state.extension_elements is not None and state.extension_elements.children == []


def test_unsupported_bindings_are_rejected() -> None:
    template = {**BASIC, "properties": [{"id": "s", "type": "Hidden", "value": "1", "binding": {"type": "zeebe:script", "property": "expression"}}]}
    with pytest.raises(ApplyError, match=r"^/properties/0 \('s'\): binding type 'zeebe:script' is not supported by etk apply"):
        apply_template(template)


def test_unknown_keys_suggest_per_operation_variants() -> None:
    template = {"id": "t", "appliesTo": ["bpmn:ServiceTask"], "properties": [
        {"id": "a_temperature", "type": "String", "binding": {"type": "zeebe:input", "name": "a_temperature"}},
        {"id": "b_temperature", "type": "String", "binding": {"type": "zeebe:input", "name": "b_temperature"}},
    ]}
    with pytest.raises(ApplyError) as error:
        apply_template(template, {"temperature": "1"})
    assert str(error.value) == (
        "unknown property 'temperature' for template 't': no property has this id or binding name; "
        "did you mean 'a_temperature' or 'b_temperature'?"
    )
