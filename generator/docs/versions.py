"""What changed between released versions of a template: the properties compared by binding.

Older versions are the files `etk build` keeps in `dist/versioned/<name>-<version>.json` (and
`dist/<name>.json` itself while it still holds an older version than the definition). Two
versions are compared property by property, matched by binding (`zeebe:input` name, task header
key, ...); where several properties share a binding (an operation's `url`, `body`, ...), by
binding and condition. A property is added, removed, or changed (default, label, kind, choices,
required, FEEL, constraints, condition, group, texts); the template's own name, engines, element
types, description, documentation link, keywords, category, icon and groups are compared too.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from generator.docs.panel import KIND_WORDS, condition_words
from generator.element_template import Constraints, Property, Template
from generator.errors import EtkError
from generator.js_regex import UNDEFINED_TEXT, JsRegexError, js_test

BINDING_WORDS = {
    "zeebe:input": ("input", "name"),
    "zeebe:output": ("output", "source"),
    "zeebe:taskHeader": ("task header", "key"),
    "zeebe:taskDefinition": ("task definition", "property"),
    "zeebe:property": ("extension property", "name"),
    "property": ("BPMN attribute", "name"),
}


@dataclass(frozen=True)
class PropertyChange:
    """One property of a diff: how a reader recognises it, and what changed."""

    label: str
    binding: str  # e.g. `input resourceName`
    condition: str | None
    details: tuple[str, ...] = ()  # for a changed property: one phrase per change


@dataclass(frozen=True)
class VersionChanges:
    """The changes from `previous` to `version` of one template."""

    version: int
    previous: int
    added: tuple[PropertyChange, ...]
    removed: tuple[PropertyChange, ...]
    changed: tuple[PropertyChange, ...]
    template: tuple[str, ...]  # changes of the template itself (name, engines, groups)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.template)


def older_versions(dist_dir: Path, stem: str, template_id: str, version: int) -> list[Template]:
    """Released versions below `version` of the template `template_id`, oldest first."""
    found: dict[int, Template] = {}
    candidates = sorted((Path(dist_dir) / "versioned").glob(f"{stem}-*.json")) + [Path(dist_dir) / f"{stem}.json"]
    for path in candidates:
        if not path.is_file() or (path.parent.name == "versioned" and not re.fullmatch(rf"{re.escape(stem)}-\d+\.json", path.name)):
            continue
        try:
            template = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise EtkError(f"{path}: cannot read the released template: {error}") from None
        if not isinstance(template, dict) or template.get("id") != template_id:
            continue
        older = template.get("version")
        if isinstance(older, int) and not isinstance(older, bool) and older < version:
            found[older] = cast(Template, template)  # a released template etk wrote
    return [found[number] for number in sorted(found)]


def version_history(current: Template, older: list[Template]) -> list[VersionChanges]:
    """The changes of each version from the one before, newest first."""
    chain = [*older, current]
    return [diff_templates(chain[index - 1], chain[index]) for index in range(len(chain) - 1, 0, -1)]


def _binding_key(prop: Property) -> str:
    return json.dumps(prop.get("binding", {}), sort_keys=True)


# The header that always holds the template's version: its change says nothing a reader needs.
VERSION_HEADER = {"type": "zeebe:taskHeader", "key": "elementTemplateVersion"}


def _keyed(template: Template, shared: set[str]) -> dict[str, Property]:
    keyed: dict[str, Property] = {}
    for prop in template.get("properties", ()):
        if prop.get("binding") == VERSION_HEADER:
            continue
        key = _binding_key(prop)
        if key in shared:
            key += " " + json.dumps(prop.get("condition"), sort_keys=True)
        keyed.setdefault(key, prop)
    return keyed


def _shared_bindings(*templates: Template) -> set[str]:
    shared: set[str] = set()
    for template in templates:
        counts = Counter(_binding_key(prop) for prop in template.get("properties", ()))
        shared |= {key for key, count in counts.items() if count > 1}
    return shared


def diff_templates(old: Template, new: Template) -> VersionChanges:
    """The property changes from `old` to `new` (plus template-level ones)."""
    shared = _shared_bindings(old, new)
    before, after = _keyed(old, shared), _keyed(new, shared)
    old_ids = {prop["id"]: prop for prop in old.get("properties", ()) if "id" in prop}
    new_ids = {prop["id"]: prop for prop in new.get("properties", ()) if "id" in prop}
    added = tuple(_describe(after[key], new_ids) for key in after if key not in before)
    removed = tuple(_describe(before[key], old_ids) for key in before if key not in after)
    changed = []
    for key in after:
        if key in before:
            details = _property_details(before[key], after[key], old_ids, new_ids)
            if details:
                changed.append(_describe(after[key], new_ids, tuple(details)))
    return VersionChanges(
        version=int(new.get("version", 0)),
        previous=int(old.get("version", 0)),
        added=added,
        removed=removed,
        changed=tuple(changed),
        template=tuple(_template_details(old, new)),
    )


def binding_words(prop: Property) -> str:
    binding = prop.get("binding", {})
    kind, attribute = BINDING_WORDS.get(str(binding.get("type")), (str(binding.get("type")), "name"))
    return f"{kind} {binding.get(attribute, '')}".strip()


def _describe(prop: Property, by_id: Mapping[str, Property], details: tuple[str, ...] = ()) -> PropertyChange:
    label = str(prop.get("label") or prop.get("id") or binding_words(prop))
    if prop.get("type") == "Hidden":
        label += " (hidden)"
    return PropertyChange(label, binding_words(prop), condition_words(prop.get("condition"), by_id), details)


def _shown(value: Any) -> str:
    return value if isinstance(value, str) and value else json.dumps(value, ensure_ascii=False)


def _property_details(
    old: Property, new: Property, old_ids: Mapping[str, Property], new_ids: Mapping[str, Property]
) -> list[str]:
    details = []
    if old.get("value") != new.get("value"):
        if "value" not in old:
            details.append(f"default set to {_shown(new['value'])}")
        elif "value" not in new:
            details.append(f"default {_shown(old['value'])} removed")
        else:
            details.append(f"default {_shown(old['value'])} → {_shown(new['value'])}")
    if old.get("label") != new.get("label"):
        details.append(f"label {_shown(old.get('label', '(none)'))} → {_shown(new.get('label', '(none)'))}")
    if old.get("type") != new.get("type"):
        details.append(f"kind {_kind(old)} → {_kind(new)}")
    old_choices = {choice.get("value"): choice.get("name") for choice in old.get("choices", ())}
    new_choices = {choice.get("value"): choice.get("name") for choice in new.get("choices", ())}
    if list(old_choices.items()) != list(new_choices.items()):
        parts = [f"choice {new_choices[value]} ({_shown(value)}) added" for value in new_choices if value not in old_choices]
        parts += [f"choice {old_choices[value]} ({_shown(value)}) removed" for value in old_choices if value not in new_choices]
        parts += [
            f"choice {_shown(value)} renamed {old_choices[value]} → {new_choices[value]}"
            for value in new_choices
            if value in old_choices and old_choices[value] != new_choices[value]
        ]
        details.extend(parts or ["choices reordered"])
    old_constraints, new_constraints = old.get("constraints") or {}, new.get("constraints") or {}
    if bool(old_constraints.get("notEmpty")) != bool(new_constraints.get("notEmpty")):
        details.append("now required" if new_constraints.get("notEmpty") else "no longer required")
    details += _constraint_details(old_constraints, new_constraints)
    if old.get("feel") != new.get("feel"):
        details.append(f"FEEL {old.get('feel', 'not allowed')} → {new.get('feel', 'not allowed')}")
    if old.get("condition") != new.get("condition"):
        before = condition_words(old.get("condition"), old_ids) or "always"
        after = condition_words(new.get("condition"), new_ids) or "always"
        details.append(f"shown when {before} → {after}")
    if old.get("group") != new.get("group"):
        details.append(f"moved from group {_shown(old.get('group', '(none)'))} to {_shown(new.get('group', '(none)'))}")
    for outcome in ("added", "changed", "removed"):
        texts = [key for key in ("tooltip", "description", "placeholder")
                 if old.get(key) != new.get(key) and _text_change(old.get(key), new.get(key)) == outcome]
        if texts:
            details.append(f"{' and '.join(texts)} {outcome}")
    return details


def _text_change(old: object, new: object) -> str:
    return "added" if not old else "removed" if not new else "changed"


def _pattern(constraints: Constraints) -> tuple[str, str | None] | None:
    pattern = constraints.get("pattern")
    if isinstance(pattern, Mapping):
        return str(pattern.get("value")), pattern.get("message")
    return (str(pattern), None) if isinstance(pattern, str) else None


def _check_words(pattern: tuple[str, str | None]) -> str:
    return pattern[1] or f"matches {pattern[0]}"


def _constraint_details(old: Constraints, new: Constraints) -> list[str]:
    """The changes of the pattern and length checks, in the words of their messages."""
    details = []
    before, after = _pattern(old), _pattern(new)
    if before != after:
        if before is None and after is not None:
            details.append(f"now checked: {_check_words(after)}")
        elif after is None and before is not None:
            details.append(f"no longer checked: {_check_words(before)}")
        elif before is not None and after is not None and before[1] != after[1]:
            details.append(f"check {_check_words(before)} → {_check_words(after)}")
        elif after is not None and before is not None:
            details.append(f"check changed, same message: {_check_words(after)}{_empty_field_change(before[0], after[0])}")
    for key, what in (("minLength", "minimum length"), ("maxLength", "maximum length")):
        if old.get(key) != new.get(key):
            details.append(f"{what} {_shown(old.get(key, 'none'))} → {_shown(new.get(key, 'none'))}")
    return details


def _category(category: object) -> str:
    """A template category as the Modeler names it (its name, else its id)."""
    if isinstance(category, Mapping):
        return _shown(category.get("name") or category.get("id"))
    return "(none)"


def _empty_field_change(before: str, after: str) -> str:
    """How a new pattern treats an empty field, where that changed: the panel tests an empty
    field's pattern against the text `undefined`."""
    try:
        passed, passes = js_test(before, UNDEFINED_TEXT), js_test(after, UNDEFINED_TEXT)
    except JsRegexError:
        return ""
    if passed == passes:
        return ""
    return " (an empty field now passes it)" if passes else " (an empty field now fails it)"


def _kind(prop: Property) -> str:
    kind = str(prop.get("type", "String"))
    return KIND_WORDS.get(kind, kind.lower())


def _template_details(old: Template, new: Template) -> list[str]:
    """What changed in the template itself: name, engines, element types, the texts and links the
    Modeler shows about it, keywords, category, icon and groups."""
    details = []
    for key, what in (("name", "name"), ("engines", "engines"), ("appliesTo", "applies to"), ("elementType", "element type"),
                      ("documentationRef", "documentation link")):
        if old.get(key) != new.get(key):
            details.append(f"{what} {_shown(old.get(key, '(none)'))} → {_shown(new.get(key, '(none)'))}")
    if old.get("description") != new.get("description"):
        details.append("description changed")
    old_keywords, new_keywords = list(old.get("keywords") or ()), list(new.get("keywords") or ())
    details += [f"keyword {_shown(word)} added" for word in new_keywords if word not in old_keywords]
    details += [f"keyword {_shown(word)} removed" for word in old_keywords if word not in new_keywords]
    old_category, new_category = old.get("category"), new.get("category")
    if old_category != new_category:
        details.append(f"category {_category(old_category)} → {_category(new_category)}")
    if old.get("icon") != new.get("icon"):
        details.append("icon changed" if old.get("icon") and new.get("icon") else "icon added" if new.get("icon") else "icon removed")
    old_groups = [group.get("id") for group in old.get("groups", ())]
    new_groups = [group.get("id") for group in new.get("groups", ())]
    if old_groups != new_groups:
        gained = [group for group in new_groups if group not in old_groups]
        lost = [group for group in old_groups if group not in new_groups]
        details += [f"group {group} added" for group in gained] + [f"group {group} removed" for group in lost]
        if not gained and not lost:
            details.append("groups reordered")
    return details
