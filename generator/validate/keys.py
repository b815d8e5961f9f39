"""Keys the element-template format does not define: misspellings (with did-you-mean) and
unknown keys.

Neither the official schema nor the Modeler rejects an unknown key: a misspelled `lable` or
`contraints` is silently ignored, so the label or the constraints are simply gone. The keys each
object may have come from etk's schema (`properties` of its definitions), so the format is
described in one place. A key close to a known one (or a known alias such as `default` for
`value`) is `misspelled-key`, any other `unknown-key`. Comment keys (`//`, `$comment`), extension
keys (`x-...`, such as etk's `x-etk-ignore`) and the `secret` flag Camunda's own generator writes
are accepted.
"""

from __future__ import annotations

import difflib
import functools
from typing import TYPE_CHECKING, Any

from generator.element_template import all_match
from generator.problems import Problem
from generator.validate.findings import finding
from generator.validate.positions import join
from generator.validate.structure import load_schema

if TYPE_CHECKING:
    from generator.validate.rules import TemplateView

# Keys that mean something else in the format: what the author most likely meant.
ALIASES = {
    "default": "value", "defaultValue": "value", "options": "choices", "required": "constraints.notEmpty",
    "hidden": 'type "Hidden"', "help": "tooltip", "hint": "description", "title": "label", "readonly": "editable",
    "readOnly": "editable", "regex": "pattern",
}
ACCEPTED = frozenset(("//", "$comment", "secret"))


@functools.cache
def known_keys() -> dict[str, frozenset[str]]:
    """The keys each kind of object may have, from etk's schema, plus the small objects the
    schema describes inline."""
    definitions = load_schema()["definitions"]
    kinds = {kind: frozenset(definitions[kind].get("properties", {})) for kind in
             ("template", "property", "choice", "constraints", "binding", "group", "elementType", "simpleCondition")}
    kinds.update({
        "pattern": frozenset(("value", "message")),
        "allMatch": frozenset(("allMatch", "type")),
        "icon": frozenset(("contents",)),
        "category": frozenset(("id", "name")),
        "engines": frozenset(("camunda", "camundaDesktopModeler", "camundaWebModeler")),
        "generatedValue": frozenset(("type",)),
    })
    return kinds


def unknown_keys(view: TemplateView) -> list[Problem]:
    """misspelled-key and unknown-key over the template and its parts besides properties."""
    template, top = view.template, view.pointer
    findings = _check("template", template, top)
    for kind in ("elementType", "icon", "category", "engines"):
        findings += _check(kind, template.get(kind), top, kind)
    groups = template.get("groups")
    if isinstance(groups, list):
        for index, group in enumerate(groups):
            findings += _check("group", group, top, "groups", index)
    return findings


def property_keys(prop: dict[str, Any]) -> list[Problem]:
    """misspelled-key and unknown-key over one property (pointers relative to it)."""
    findings = _check("property", prop, "")
    findings += _check("binding", prop.get("binding"), "", "binding")
    findings += _check("generatedValue", prop.get("generatedValue"), "", "generatedValue")
    constraints = prop.get("constraints")
    if isinstance(constraints, dict):
        findings += _check("constraints", constraints, "", "constraints")
        findings += _check("pattern", constraints.get("pattern"), "", "constraints", "pattern")
    choices = prop.get("choices")
    if isinstance(choices, list):
        for choice_index, choice in enumerate(choices):
            findings += _check("choice", choice, "", "choices", choice_index)
    condition = prop.get("condition")
    clauses = all_match(condition) if isinstance(condition, dict) else None
    if clauses is not None:
        findings += _check("allMatch", condition, "", "condition")
        for clause_index, clause in enumerate(clauses):
            findings += _check("simpleCondition", clause, "", "condition", "allMatch", clause_index)
    else:
        findings += _check("simpleCondition", condition, "", "condition")
    return findings


def _check(kind: str, value: Any, pointer: str, *tokens: str | int) -> list[Problem]:
    """Findings for the keys of `value` (at `pointer` + `tokens`, joined only for a finding)."""
    if not isinstance(value, dict):
        return []
    known = known_keys()[kind]
    if value.keys() <= known:
        return []
    findings = []
    for key in value:
        if key in known or key in ACCEPTED or key.startswith(("//", "x-")):
            continue
        meant = ALIASES.get(key) or next(iter(difflib.get_close_matches(key, known, n=1, cutoff=0.75)), None)
        where = join(pointer, *tokens, key)
        if meant is not None:
            findings.append(finding("misspelled-key", where, f'unknown key "{key}" in a {_NAMES[kind]}: did you mean '
                                    f'"{meant}"? The Modeler ignores "{key}" silently'))
        else:
            listed = ", ".join(sorted(known))
            findings.append(finding("unknown-key", where, f'unknown key "{key}" in a {_NAMES[kind]}: the Modeler ignores '
                                    f"it; the format defines {listed}"))
    return findings


_NAMES = {
    "template": "template", "property": "property", "choice": "dropdown choice", "constraints": "constraints object",
    "binding": "binding", "group": "group", "elementType": "elementType", "simpleCondition": "condition",
    "pattern": "pattern object", "allMatch": "condition", "icon": "icon", "category": "category", "engines": "engines object",
    "generatedValue": "generatedValue",
}
