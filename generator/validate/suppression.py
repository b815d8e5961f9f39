"""Inline suppression: `"x-etk-ignore": ["rule-id", "group", ...]` on a property (or on the
template) drops that property's (or template's) findings of those rules.

JSON has no comments, and the format defines no key for this; an `x-` key is ignored by the
Modeler and accepted by etk's unknown-key rules, so the suppression lives next to what it
suppresses. A name that is no rule or group, or a suppression that suppresses nothing, is a
`suppression` finding: stale suppressions hide nothing and mislead.
"""

from __future__ import annotations

import json
from typing import Any

from generator.jsontext import array_index
from generator.problems import Problem
from generator.validate.findings import CROSS_FILE_RULES, GROUPS, RULES, finding
from generator.validate.positions import join

SUPPRESSION_KEY = "x-etk-ignore"


def apply_suppressions(template: dict[str, Any], pointer: str, findings: list[Problem]) -> list[Problem]:
    """`findings` of the template at `pointer` without those its `x-etk-ignore` keys suppress,
    plus a `suppression` finding for each name that is wrong or suppresses nothing."""
    scopes: list[tuple[str, dict[str, str]]] = []  # (pointer of the object, {rule id: name given})
    problems: list[Problem] = []
    for where, holder in _holders(template, pointer):
        names = holder[SUPPRESSION_KEY]
        key_pointer = join(where, SUPPRESSION_KEY)
        if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
            problems.append(finding("suppression", key_pointer,
                                    f'"{SUPPRESSION_KEY}" must be a list of rule ids or group names, got {json.dumps(names)}'))
            continue
        rules: dict[str, str] = {}
        for index, name in enumerate(names):
            if name in RULES:
                rules[name] = name
            elif name in GROUPS:
                rules.update({rule.id: name for rule in RULES.values() if rule.group == name})
            else:
                problems.append(finding("suppression", join(key_pointer, index),
                                        f'"{name}" is no rule or group of etk validate; `etk validate --list-rules` lists them'))
        scopes.append((where, rules))
    if not scopes:
        return findings
    kept: list[Problem] = []
    used: set[tuple[str, str]] = set()
    for each in findings:
        location = each.location.pointer or ""
        scope = next(((where, rules) for where, rules in scopes
                      if each.rule in rules and (location == where or location.startswith(where + "/"))), None)
        if scope is None:
            kept.append(each)
        else:
            used.add((scope[0], scope[1][each.rule]))
    for where, rules in scopes:
        for name in dict.fromkeys(rules.values()):
            # rules across files are checked after this file: they may use the suppression
            if (where, name) not in used and not any(rule in CROSS_FILE_RULES for rule, given in rules.items() if given == name):
                problems.append(finding("suppression", join(where, SUPPRESSION_KEY),
                                        f'"{name}" in "{SUPPRESSION_KEY}" suppresses nothing here; remove it'))
    return kept + problems


def suppressed(document: Any, problem: Problem) -> bool:
    """Whether the template `problem` is about (in the parsed file `document`) suppresses its
    rule at template level (for findings made across files)."""
    pointer = problem.location.pointer or ""
    first = pointer.split("/")[1] if pointer.count("/") >= 1 else ""
    index = array_index(first, len(document)) if isinstance(document, list) else None
    template = document if index is None else document[index]
    names = template.get(SUPPRESSION_KEY) if isinstance(template, dict) else None
    if not isinstance(names, list):
        return False
    return problem.rule in names or RULES[problem.rule].group in names


def _holders(template: dict[str, Any], pointer: str) -> list[tuple[str, dict[str, Any]]]:
    """The template and its properties that carry a suppression, innermost first."""
    holders: list[tuple[str, dict[str, Any]]] = []
    properties = template.get("properties")
    if isinstance(properties, list):
        holders += [(join(pointer, "properties", index), prop) for index, prop in enumerate(properties)
                    if isinstance(prop, dict) and SUPPRESSION_KEY in prop]
    if SUPPRESSION_KEY in template:
        holders.append((pointer, template))
    return holders
