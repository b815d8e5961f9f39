"""What the pages read from a template: the panel per operation (groups, order, visibility,
field descriptions, conditions in words) and the diff of two versions by binding."""

from __future__ import annotations

import json
from pathlib import Path

from generator.docs.panel import common_groups, condition_words, panel
from generator.docs.versions import diff_templates, older_versions, version_history

REPO = Path(__file__).resolve().parents[2]


def prop(prop_id, **extra):
    return {"id": prop_id, "label": prop_id.title(), "type": "String", "binding": {"type": "zeebe:input", "name": prop_id}, **extra}


TEMPLATE = {
    "id": "t", "version": 1,
    "groups": [{"id": "op", "label": "Operation"}, {"id": "main", "label": "Main"}, {"id": "empty", "label": "Empty"}],
    "properties": [
        {"id": "type", "type": "Hidden", "value": "x", "binding": {"type": "zeebe:taskDefinition", "property": "type"}},
        prop("operation", group="op", type="Dropdown", value="b", choices=[{"name": "Alpha", "value": "a"}, {"name": "Beta", "value": "b"}]),
        prop("mode", group="main", type="Dropdown", value="", choices=[{"name": "Not set", "value": ""}, {"name": "Fast", "value": "fast"}]),
        prop("a_only", group="main", condition={"property": "operation", "equals": "a"}, constraints={"notEmpty": True}),
        prop("both", group="main", condition={"property": "operation", "oneOf": ["a", "b"]}, feel="optional"),
        prop("b_fast", group="main", tooltip="Only fast.", condition={"allMatch": [
            {"property": "operation", "equals": "b"}, {"property": "mode", "oneOf": ["fast", ""]}]},
            constraints={"pattern": {"value": "^\\d+$", "message": "must be a number"}, "minLength": 1, "maxLength": 3}),
        prop("loose", placeholder="=1", condition={"property": "b_fast", "isActive": False}),
        {"id": "secret", "type": "Hidden", "value": "=x", "binding": {"type": "zeebe:input", "name": "url"}, "condition": {"property": "operation", "equals": "a"}},
        prop("flag", group="main", type="Boolean", value=True),
    ],
}


def rows(groups):
    return {group.label: [row.id for row in group.rows] for group in groups}


def test_the_panel_per_operation_follows_groups_and_order_and_hides_hidden_properties():
    assert rows(panel(TEMPLATE, switch="operation", value="a")) == {
        "Operation": ["operation"], "Main": ["mode", "a_only", "both", "flag"], "Properties": ["loose"],
    }
    assert rows(panel(TEMPLATE, switch="operation", value="b")) == {
        "Operation": ["operation"], "Main": ["mode", "both", "b_fast", "flag"], "Properties": ["loose"],
    }
    assert rows(panel(TEMPLATE))["Main"] == ["mode", "a_only", "both", "b_fast", "flag"]


def test_field_rows_describe_what_a_user_needs():
    main = {row.id: row for row in panel(TEMPLATE, switch="operation", value="b")[1].rows}
    fast = main["b_fast"]
    assert (fast.label, fast.kind, fast.required, fast.feel, fast.tooltip) == ("B_Fast", "text", False, None, "Only fast.")
    assert fast.allowed == ("must be a number", "1 to 3 characters")
    assert fast.condition == "Mode is Fast or Not set"  # the operation clause is implied by the section
    assert main["mode"].default == "Not set" and main["mode"].allowed == ("Not set", "Fast (fast)")
    assert main["flag"].kind == "checkbox" and main["flag"].default == "checked"
    assert main["both"].feel == "optional" and main["both"].condition is None
    loose = panel(TEMPLATE)[-1].rows[0]
    assert (loose.placeholder, loose.condition) == ("=1", "B_Fast is hidden")


def test_conditions_in_words():
    by_id = {p["id"]: p for p in TEMPLATE["properties"]}
    assert condition_words({"property": "operation", "equals": "a"}, by_id) == "Operation is Alpha"
    assert condition_words({"property": "nope", "equals": 3}, by_id) == "nope is 3"
    assert condition_words({"property": "a_only", "isEmpty": True}, by_id) == "A_Only is empty"


def test_groups_alike_for_every_operation():
    panels = [panel(TEMPLATE, switch="operation", value=value) for value in ("a", "b")]
    assert common_groups(panels) == {"op", ""}  # ungrouped properties: the panel's fallback group


def new_version():
    template = json.loads(json.dumps(TEMPLATE))
    template["version"] = 2
    properties = template["properties"]
    properties[1]["choices"].append({"name": "Gamma", "value": "c"})  # operation gets a choice
    properties[2]["value"] = "fast"  # mode's default
    del properties[3]  # a_only removed
    properties.append(prop("added", group="main", constraints={"notEmpty": True}))
    properties[4]["constraints"] = {"notEmpty": True, "pattern": {"value": "^\\d*$"}}  # b_fast
    properties[5]["label"] = "Loose value"
    properties[6]["value"] = "=y"  # the hidden url
    template["groups"].append({"id": "more", "label": "More"})
    return template


def test_a_diff_by_binding():
    changes = diff_templates(TEMPLATE, new_version())
    assert (changes.previous, changes.version) == (1, 2)
    assert [(item.label, item.binding, item.condition) for item in changes.added] == [("Added", "input added", None)]
    assert [(item.label, item.binding, item.condition) for item in changes.removed] == [
        ("A_Only", "input a_only", "Operation is Alpha")
    ]
    assert {item.label: item.details for item in changes.changed} == {
        "Operation": ("choice Gamma (c) added",),
        "Mode": ('default "" → fast',),
        "B_Fast": ("now required", "check must be a number → matches ^\\d*$", "minimum length 1 → none", "maximum length 3 → none"),
        "Loose value": ("label Loose → Loose value",),
        "secret (hidden)": ("default =x → =y",),
    }
    assert changes.template == ("group more added",)


def test_a_diff_names_what_the_modeler_shows_about_the_template():
    old = {**TEMPLATE, "description": "Old", "documentationRef": "https://a.example/doc", "keywords": ["ai", "chat"],
           "category": {"id": "ai", "name": "AI"}, "icon": {"contents": "data:image/svg+xml;base64,AA=="}}
    new = {**old, "version": 2, "description": "New", "documentationRef": "https://b.example/doc", "keywords": ["chat", "llm"],
           "category": {"id": "connectors", "name": "Connectors"}, "icon": {"contents": "data:image/svg+xml;base64,AB=="}}
    assert diff_templates(old, new).template == (
        "documentation link https://a.example/doc → https://b.example/doc",
        "description changed",
        "keyword llm added",
        "keyword ai removed",
        "category AI → Connectors",
        "icon changed",
    )
    bare = {key: value for key, value in old.items() if key not in ("keywords", "category", "icon")}
    assert diff_templates(bare, {**old, "version": 2}).template == (
        "keyword ai added", "keyword chat added", "category (none) → AI", "icon added")
    assert diff_templates(old, {**bare, "version": 2}).template == (
        "keyword ai removed", "keyword chat removed", "category AI → (none)", "icon removed")
    assert diff_templates(old, {**old, "version": 2}).empty


def test_a_diff_says_whether_a_text_was_added_changed_or_removed():
    old = {"version": 1, "properties": [
        {"id": "a", "label": "A", "type": "String", "tooltip": "Old", "binding": {"type": "zeebe:input", "name": "a"}},
        {"id": "b", "label": "B", "type": "String", "description": "Gone", "binding": {"type": "zeebe:input", "name": "b"}},
    ]}
    new = {"version": 2, "properties": [
        {"id": "a", "label": "A", "type": "String", "tooltip": "New", "placeholder": "x", "description": "Help",
         "binding": {"type": "zeebe:input", "name": "a"}},
        {"id": "b", "label": "B", "type": "String", "tooltip": "Tip", "binding": {"type": "zeebe:input", "name": "b"}},
    ]}
    assert {item.label: item.details for item in diff_templates(old, new).changed} == {
        "A": ("description and placeholder added", "tooltip changed"),
        "B": ("tooltip added", "description removed"),
    }


def test_a_diff_says_when_an_empty_field_passes_a_check_it_failed():
    """The panel tests an empty field's pattern against the text `undefined` (version 1 of the Azure
    template marked every empty optional number field red; version 2's patterns accept it)."""
    def checked(pattern: str) -> dict:
        return {"version": 1, "properties": [{"id": "n", "label": "N", "type": "String", "binding": {"type": "zeebe:input", "name": "n"},
                                              "constraints": {"pattern": {"value": pattern, "message": "must be a number"}}}]}
    fixed = diff_templates(checked("^\\d*$"), {**checked("^undefined$|(?:^\\d*$)"), "version": 2})
    assert fixed.changed[0].details == ("check changed, same message: must be a number (an empty field now passes it)",)
    broken = diff_templates(checked("^undefined$|(?:^\\d*$)"), {**checked("^\\d*$"), "version": 2})
    assert broken.changed[0].details == ("check changed, same message: must be a number (an empty field now fails it)",)
    other = diff_templates(checked("^\\d*$"), {**checked("^[0-9]*$"), "version": 2})
    assert other.changed[0].details == ("check changed, same message: must be a number",)


def test_shared_bindings_are_told_apart_by_condition():
    old = {"version": 1, "properties": [
        {"id": "a_url", "type": "Hidden", "value": "=1", "binding": {"type": "zeebe:input", "name": "url"}, "condition": {"property": "operation", "equals": "a"}},
        {"id": "b_url", "type": "Hidden", "value": "=2", "binding": {"type": "zeebe:input", "name": "url"}, "condition": {"property": "operation", "equals": "b"}},
    ]}
    new = json.loads(json.dumps(old))
    new["version"] = 2
    new["properties"][1]["value"] = "=3"
    changes = diff_templates(old, new)
    assert [(item.label, item.details) for item in changes.changed] == [("b_url (hidden)", ("default =2 → =3",))]
    assert not changes.added and not changes.removed


def test_history_and_older_versions_from_dist(tmp_path):
    (tmp_path / "versioned").mkdir()
    v1 = {**TEMPLATE, "version": 1}
    v2 = new_version()
    (tmp_path / "versioned" / "x-1.json").write_text(json.dumps(v1), encoding="utf-8")
    (tmp_path / "versioned" / "x-other.json").write_text("{}", encoding="utf-8")  # not a version file
    (tmp_path / "versioned" / "y-1.json").write_text(json.dumps(v1), encoding="utf-8")  # another template
    (tmp_path / "x.json").write_text(json.dumps(v2), encoding="utf-8")  # released, not yet archived
    v3 = {**v2, "version": 3}
    older = older_versions(tmp_path, "x", "t", 3)
    assert [item["version"] for item in older] == [1, 2]
    history = version_history(v3, older)
    assert [(item.version, item.previous, item.empty) for item in history] == [(3, 2, True), (2, 1, False)]
    assert older_versions(tmp_path, "x", "other-id", 3) == []


def test_the_azure_template_has_no_history_until_a_version_is_archived():
    template = json.loads((REPO / "dist" / "azure-openai.json").read_text(encoding="utf-8"))
    archived = sorted((REPO / "dist" / "versioned").glob("azure-openai-*.json")) if (REPO / "dist" / "versioned").is_dir() else []
    assert len(older_versions(REPO / "dist", "azure-openai", template["id"], template["version"])) == len(archived)
