"""Condition evaluation (equals, oneOf, allMatch, isEmpty, isActive) and the fixed point."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.apply import ApplyError, apply_template, new_element_state
from generator.apply.conditions import active_template, explain_inactive

TEMPLATE = json.loads((Path(__file__).parent / "templates" / "conditions.json").read_text())


def inputs(values: dict[str, str] | None = None) -> dict[str, str | None]:
    return {i.target: i.source for i in apply_template(TEMPLATE, values).inputs}


def test_defaults_activate_chains_to_a_fixed_point() -> None:
    task = apply_template(TEMPLATE)
    assert inputs() == {
        "authentication.type": "none",
        "stage1": "go",
        "stage2": "go",  # active because stage1's default is `go`
        "flag": "=false",
        "count": "=5",
        "countIsFive": "five",  # Number compared numerically after undoing `=5`
        "countIsFeelFive": "feel-five",  # a FEEL `equals` is un-cast too
    }
    # stage3 is active because stage2's default activated it (third round), and isActive follows
    assert task.headers_dict() == {"stage3": "reached"}
    assert [(p.name, p.value) for p in task.properties] == [("whenStage3", "active")]


def test_switching_a_dropdown_activates_dependants_with_their_defaults() -> None:
    assert inputs({"auth": "basic"}) == {
        "authentication.type": "basic",
        "authentication.username": "u",
        "authentication.password": None,  # allMatch: basic and username not empty; no default
        "stage1": "go",
        "stage2": "go",
        "flag": "=false",
        "count": "=5",
        "countIsFive": "five",
        "countIsFeelFive": "feel-five",
    }


def test_all_match_needs_every_condition() -> None:
    with pytest.raises(ApplyError) as error:
        apply_template(TEMPLATE, {"auth": "basic", "username": "", "password": "secret"})
    assert str(error.value) == (
        "property 'password' is not active: it requires username to be set (current: unset)"
    )


def test_deactivation_propagates_through_is_active() -> None:
    task = apply_template(TEMPLATE, {"stage1": "stop"})
    assert "stage2" not in {i.target for i in task.inputs}
    assert task.headers == ()
    assert [(p.name, p.value) for p in task.properties] == [("unlessStage3", "inactive")]


def test_boolean_condition_compares_the_uncast_value() -> None:
    assert inputs({"flag": "true"})["flagged"] == "yes"
    assert inputs({"flag": "true"})["flag"] == "=true"
    assert "flagged" not in inputs({"flag": "false"})


def test_number_condition_and_unknown_property_id() -> None:
    values = inputs({"count": "5.0"})
    assert values["count"] == "=5" and values["countIsFive"] == "five"
    assert "countIsFive" not in inputs({"count": "6"})
    assert "ghost" not in inputs()  # a condition on an unknown property id never holds


def test_explanations_name_the_failing_condition() -> None:
    state = new_element_state(TEMPLATE)
    properties = TEMPLATE["properties"]
    by_id = {p.get("id"): p for p in properties}
    assert explain_inactive(state, properties, by_id["username"]) == "it requires auth = basic (current: unset)"
    assert explain_inactive(state, properties, by_id["token"]) == "it requires auth one of bearer (current: unset)"
    assert explain_inactive(state, properties, by_id["whenStage3"]) == "it requires stage3 to be active"
    assert explain_inactive(state, properties, by_id["ghost"]) == (
        "it requires missing (no property has this id, so the condition never holds)"
    )
    # on an empty element the Boolean `flag` reads as "" which the un-cast treats as true
    # (JavaScript `"" !== "false"`), so `flagged` is active until the defaults are written
    assert [p.get("id") for p in active_template(state, TEMPLATE)["properties"]] == [
        None, "auth", "stage1", "unlessStage3", "flag", "flagged", "count"
    ]
    with pytest.raises(ApplyError, match=r"^property 'token' is not active: it requires auth one of bearer \(current: none\)$"):
        apply_template(TEMPLATE, {"token": "t"})
