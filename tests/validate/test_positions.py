"""Positions of JSON pointers in JSON text, and duplicate keys."""

from __future__ import annotations

import json

import pytest

from generator.jsontext import JsonReadError, parse_json_collecting_duplicates
from generator.problems import Location, Problem
from generator.validate import clear_caches, validate_template, validate_text, validator
from generator.validate.positions import TemplateLayout, join, locate, read_templates, split

TEXT = """{
  "a": [1, {"b": "x"}],
  "c/d~e": {"f": null},
  "g": "a \\"quoted\\" value with [brackets] and {braces}", "h": true
}"""


def test_locate_finds_values_at_any_depth():
    assert locate(TEXT, ["", "/a", "/a/0", "/a/1/b", "/c~1d~0e/f", "/g", "/h"]) == {
        "": (1, 1), "/a": (2, 8), "/a/0": (2, 9), "/a/1/b": (2, 18), "/c~1d~0e/f": (3, 18), "/g": (4, 8), "/h": (4, 64),
    }


def test_missing_members_get_their_deepest_existing_ancestor():
    assert locate(TEXT, ["/a/1/zz", "/a/7", "/nothing/here"]) == {"/a/1/zz": (2, 12), "/a/7": (2, 8), "/nothing/here": (1, 1)}


def test_locate_handles_minified_and_unicode_text():
    text = json.dumps({"ä": ["€", {"k": [True]}]}, ensure_ascii=False, separators=(",", ":"))
    assert locate(text, ["/ä/1/k/0"]) == {"/ä/1/k/0": (1, 17)}


def test_pointer_tokens_are_escaped_and_unescaped():
    assert join("", "a/b", "c~d", 3) == "/a~1b/c~0d/3"
    assert split("/a~1b/c~0d/3") == ["a/b", "c~d", "3"]
    assert split("") == []



# Template files read with `read_templates`: the same value and the same positions as reading the
# text whole, walks that start at the noted parts, and properties with the same text read once.

PROPERTY = {"id": "mode", "type": "Dropdown", "choices": [{"name": "A", "value": "a"}], "binding": {"type": "zeebe:input", "name": "m"}}
TEMPLATE_FILES = {
    "array of versions": json.dumps([{"id": "t", "version": 1, "properties": [PROPERTY, {"id": "x"}]},
                                     {"id": "t", "version": 2, "properties": [{"id": "y"}, PROPERTY, PROPERTY]}], indent=2),
    "one template, minified": json.dumps({"id": "t", "groups": [{"id": "g"}], "properties": [PROPERTY], "icon": {"contents": "x"}},
                                         separators=(",", ":")),
    "tabs and CRLF": '{\r\n\t"id" : "t" ,\r\n\t"properties" : [ {"id": "a"} ,\r\n\t\t{"id": "b"} ] }\r\n',
    "properties twice": '{"properties": [{"id": "old"}], "id": "t", "properties": [{"id": "a"}, {"id": "b"}]}',
    "no property array": '[{"properties": {"id": "a"}}, "not a template", [], {"properties": []}]',
    "empty": "[]",
    "a string": '"just a string"',
}


def every_pointer(value: object, pointer: str = "") -> list[str]:
    children = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    return [pointer] + [each for key, child in children for each in every_pointer(child, join(pointer, key))]


def read_with_layout(text: str) -> tuple[object, TemplateLayout]:
    layout = TemplateLayout()
    value, _ = parse_json_collecting_duplicates(text, lambda text, scan, make_object: read_templates(text, scan, make_object, layout))
    return value, layout


@pytest.mark.parametrize("name", TEMPLATE_FILES)
def test_read_templates_gives_the_value_and_the_positions_of_reading_the_text_whole(name):
    text = TEMPLATE_FILES[name]
    value, layout = read_with_layout(text)
    assert layout.complete and value == parse_json_collecting_duplicates(text)[0]
    pointers = every_pointer(value) + ["/0/properties/9", "/1/nothing", "/properties/0/nothing", "/7", "/x/y"]
    assert locate(text, pointers, layout) == locate(text, pointers)


def test_a_walk_starts_at_the_property_it_looks_into():
    text = TEMPLATE_FILES["array of versions"]
    _, layout = read_with_layout(text)
    assert layout.anchor(split("/1/properties/2/choices/0/value")) == ("/1/properties/2", text.rindex('{\n        "id": "mode"'),
                                                                      ["choices", "0", "value"])
    assert layout.anchor(split("/1/version")) == ("/1/version", text.index("2,\n    \"properties\""), [])
    assert layout.anchor(split("/1/properties/3")) == ("/1/properties", text.rindex("[\n      {\n        \"id\": \"y\""), ["3"])
    assert layout.anchor(split("/01/version"))[0] == ""  # not how a pointer writes index 1


def test_properties_with_the_same_text_are_read_once_as_one_object():
    value, _ = read_with_layout(TEMPLATE_FILES["array of versions"])
    first, second = value[0]["properties"], value[1]["properties"]
    assert first[0] is second[1] is second[2] and first[0] == PROPERTY
    assert first[1] is not second[0]


def test_files_read_with_one_alike_table_share_their_alike_properties_and_locate_them_in_their_own_text():
    first_text = TEMPLATE_FILES["array of versions"]
    second_text = json.dumps([{"id": "u", "properties": [{"id": "z"}, PROPERTY, PROPERTY]}], indent=2)
    first, first_layout = read_with_layout(first_text)
    second_layout = TemplateLayout(alike=first_layout.alike)
    second, _ = parse_json_collecting_duplicates(
        second_text, lambda text, scan, make_object: read_templates(text, scan, make_object, second_layout))
    assert second[0]["properties"][1] is second[0]["properties"][2] is first[0]["properties"][0]
    pointers = every_pointer(second)
    assert locate(second_text, pointers, second_layout) == locate(second_text, pointers)
    assert second_layout.origins == {second_layout.templates[0].properties[2]: second_layout.templates[0].properties[1]}


@pytest.mark.parametrize("text", [
    '[{"properties": [{"id": "a"},]}]', '[{"properties": [{"id": "a"} {"id": "b"}]}]', '[{"id": "t",}]', '[{"id" "t"}]',
    '[{"id": "t"}] x', '[{"id": "t"},]', '{"properties": [{"id": "a", "id": "b"}]}', "", "[", '{"properties": [NaN]}',
    '{"id": "t" "name": "n"}', '[{"properties": [{"id": "a"}}]}]', '[{"id": "t"}}', '{"properties": [{"id": "a"}] ]',
    '{"id" : "t" , }', '{ }', '[ ]', '{"properties": [ ]}',
])
def test_text_the_reader_does_not_expect_is_judged_by_the_decoder(text):
    def outcome(outer):
        try:
            value, duplicates = parse_json_collecting_duplicates(text, outer)
            return value, duplicates
        except JsonReadError as error:
            return str(error)

    layout = TemplateLayout()
    assert outcome(lambda text, scan, make_object: read_templates(text, scan, make_object, layout)) == outcome(None)


# Files validated one after another share alike properties (validator._READ_PROPERTIES).

REPEATED_KEY_FILE = ('[{"name": "T", "id": "t", "appliesTo": ["bpmn:Task"], "properties": [\n'
                     '  {"id": "p", "id": "q", "type": "Hidden", "value": "v", "binding": {"type": "zeebe:input", "name": "n"}}]}]')


def test_a_repeated_key_is_reported_in_every_file_whose_property_holds_it():
    clear_caches()
    for file in ("a.json", "b.json"):
        assert [each for each in validate_text(REPEATED_KEY_FILE, file=file) if each.rule == "duplicate-key"] == [
            Problem("error", "duplicate-key", 'key "id" appears twice in the same object; JSON readers keep only the last one',
                    Location(file, 2, 21, "/0/properties/0/id"))]


def test_the_properties_read_are_forgotten_past_a_bound_of_text(monkeypatch):
    text = TEMPLATE_FILES["array of versions"]
    monkeypatch.setattr(validator, "MAX_VALIDATION_MEMO_CHARS", 2 * len(text))
    clear_caches()
    validate_text(text)
    validate_text(text)
    assert validator._READ_PROPERTIES.text_read == 2 * len(text)
    validate_text(text)
    assert validator._READ_PROPERTIES.text_read == len(text)


def test_a_callers_alike_properties_are_told_apart_as_json_does_and_left_unchanged():
    def template(version: int, optional: object) -> dict:
        return {"name": "T", "id": "t", "version": version, "appliesTo": ["bpmn:Task"],
                "properties": [{"label": "A", "type": "String", "optional": optional, "binding": {"type": "zeebe:input", "name": "n"}}]}

    document = [template(1, True), template(2, 1), template(3, True)]  # True == 1 in Python, not in JSON
    first_property = document[0]["properties"][0]
    schema = [(each.location.pointer, each.message) for each in validate_template(document) if each.rule == "schema"]
    assert schema == [("/1/properties/0/optional", '"optional" must be of type boolean, got 1')]
    assert document[2]["properties"][0] is not first_property and document[0]["properties"][0] is first_property
