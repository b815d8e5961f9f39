"""The validator reports findings for any JSON document, however malformed: it never raises."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.files import dump_json
from generator.problems import Problem
from generator.validate import validate_template, validate_text

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    | st.sampled_from(["", "=", "={", "=a +", "mode", "a", "bpmn:Task", "zeebe:input", "Dropdown", "^8.x"]),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(
        st.sampled_from(["property", "equals", "oneOf", "isEmpty", "isActive", "allMatch", "id", "type", "value", "name"]),
        children, max_size=4),
    max_leaves=8,
)

EXTRA_PROPERTIES = [
    {"id": "dup", "label": "A", "type": "String", "binding": {"type": "zeebe:input", "name": "a"},
     "condition": {"property": "mode", "equals": "a"}},
    {"id": "dup", "label": "B", "type": "String", "binding": {"type": "zeebe:input", "name": "b"},
     "condition": {"allMatch": [{"property": "mode", "oneOf": ["b"]}]}},
    {"type": "Hidden", "value": "1", "binding": {"type": "zeebe:taskHeader", "key": "elementTemplateVersion"}},
]


def paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found += paths(value, prefix + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += paths(value, prefix + (index,))
    return found


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_mutation_of_a_template_gives_findings_not_exceptions(template, data):
    base = copy.deepcopy(template)
    base["properties"] += copy.deepcopy(EXTRA_PROPERTIES)
    base["engines"] = {"camunda": "^8.6"}
    document = copy.deepcopy(base)
    replacements = data.draw(st.lists(st.tuples(st.sampled_from(paths(base)[1:]), JSON), min_size=1, max_size=4))
    for path, value in replacements:
        node = document
        try:
            for token in path[:-1]:
                node = node[token]
            node[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue  # an earlier replacement removed this path
    findings = validate_template(document)
    assert all(isinstance(each, Problem) for each in findings)
    located = validate_text(dump_json(document), file="t.json")
    assert all(each.location.line is not None and each.location.column is not None for each in located)
