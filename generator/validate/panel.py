"""Rules for what the Camunda properties panel shows a user, caught without a browser.

Each rule is a trap observed in the real panel (bpmn-js-element-templates 2.37,
`../shared/facts/modeler-panel.md`) that schema and load checks do not see:

* `pattern-rejects-empty`: the panel tests `constraints.pattern` with JavaScript's
  `new RegExp(pattern).test(value)`, and the value of an optional field the user left empty is
  `undefined`, tested as the text "undefined": a pattern such as `^(\\d+)?$` shows its red message
  on every untouched optional field. The lint rule (Problems panel) tests an `optional` field that
  stores nothing as the empty text: `^undefined$|(?:\\d+)` fails there.
* `panel-html`: tooltips and descriptions are rendered as sanitised HTML; `<resource-name>` is
  parsed as a tag and dropped with the text inside it.
* `feel-placeholder`: a `feel: required` field shows a fixed `=` before the editor; a placeholder
  that starts with `=` reads `= =...`, and typing it stores `==...`.
* `dropdown-empty-choice`: the panel gives an optional dropdown its own empty entry; an
  empty-valued choice beside it offers "not set" twice.
* `label-type`: one label on fields of different types (a Yes/No dropdown here, a text field
  there) under different conditions.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from generator.js_regex import UNDEFINED_TEXT, JsRegexError, js_test
from generator.problems import Problem
from generator.validate.findings import finding

if TYPE_CHECKING:
    from generator.validate.rules import TemplateView

# What the panel's sanitizer keeps (bpmn-js-element-templates `sanitizeHTML`, ALLOWED_NODES)
PANEL_HTML_TAGS = frozenset((
    "h1", "h2", "h3", "h4", "h5", "span", "em", "a", "p", "div", "ul", "ol", "li", "hr",
    "blockquote", "img", "pre", "code", "br", "strong",
))
# Where the HTML parser leaves text mode: a start tag, an end tag, a comment or declaration
_MARKUP = re.compile(r"<(/?)([A-Za-z][^\s/>]*)|<[!?]")



def pattern_rejects_empty(prop: dict[str, Any]) -> Iterator[Problem]:
    constraints = prop.get("constraints")
    if prop.get("type") == "Hidden" or not isinstance(constraints, dict) or constraints.get("notEmpty") is True:
        return
    pattern = constraints.get("pattern")
    source = pattern.get("value") if isinstance(pattern, dict) else pattern
    if not isinstance(source, str):
        return
    # the panel tests "undefined"; for an optional field, which stores nothing when empty, the
    # lint rule (Problems panel) tests "" (generator.apply.constraints)
    empty_texts = (UNDEFINED_TEXT, "") if prop.get("optional") is True else (UNDEFINED_TEXT,)
    try:
        rejected = [text for text in empty_texts if not js_test(source, text)]
    except JsRegexError:
        return  # the Modeler cannot use it either; not this rule's finding
    if rejected:
        shown = pattern.get("message") if isinstance(pattern, dict) and pattern.get("message") else f"Must match pattern {source}."
        where = " and ".join(
            'the properties panel (it tests the text "undefined")' if text == UNDEFINED_TEXT
            else 'the Problems panel (it tests the empty text "")' for text in rejected)
        accept = "^(undefined)?$" if len(rejected) == 2 else f"^{rejected[0]}$"
        verb = "show" if len(rejected) == 2 else "shows"
        yield finding(
            "pattern-rejects-empty", "/constraints/pattern",
            f"{where} {verb} {_json(shown)} for this field while it is empty: let the pattern accept the empty "
            f"field ({accept}|(?:PATTERN)) or make the field required (notEmpty)",
        )


def property_html(prop: dict[str, Any]) -> Iterator[Problem]:
    """panel-html in a property's tooltip and description."""
    for key in ("tooltip", "description"):
        text = prop.get(key)
        if isinstance(text, str) and "<" in text:
            yield from _html_findings(text, f"/{key}", key)


def group_html(view: TemplateView) -> Iterator[Problem]:
    """panel-html in the groups' tooltips."""
    groups = view.template.get("groups")
    if isinstance(groups, list):
        for index, group in enumerate(groups):
            if isinstance(group, dict):
                yield from _html_findings(group.get("tooltip"), f"{view.pointer}/groups/{index}/tooltip", "tooltip")


def _html_findings(text: Any, pointer: str, key: str) -> Iterator[Problem]:
    """One finding per text: the first swallowed markup explains the rest."""
    markup = swallowed_markup(text) if isinstance(text, str) and "<" in text else None
    if markup is not None:
        yield finding(
            "panel-html", pointer,
            f"the properties panel renders the {key} as HTML and drops {_json(markup)} with the text it encloses "
            f"(unclosed: everything after it); write {_json(markup.replace('<', '&lt;').replace('>', '&gt;'))}",
        )


@functools.lru_cache(maxsize=4096)
def swallowed_markup(text: str) -> str | None:
    """The first markup in `text` the panel's sanitizer drops (None when none), cached per text:
    templates repeat their tooltips and descriptions."""
    for match in _MARKUP.finditer(text):
        tag = match.group(2)
        if tag is None or tag.lower() not in PANEL_HTML_TAGS:
            return text[match.start():text.find(">", match.start()) + 1 or len(text)]
    return None


def feel_placeholder(prop: dict[str, Any]) -> Iterator[Problem]:
    placeholder = prop.get("placeholder")
    if prop.get("feel") == "required" and isinstance(placeholder, str) and placeholder.lstrip().startswith("="):
        yield finding(
            "feel-placeholder", "/placeholder",
            f"the panel shows a fixed = before a FEEL field, so this placeholder reads "
            f"{_json('= ' + placeholder.lstrip())} and a user who types it stores {_json('=' + placeholder.lstrip())}; "
            "drop the leading =",
        )


def dropdown_empty_choice(prop: dict[str, Any]) -> Iterator[Problem]:
    choices = prop.get("choices")
    if prop.get("type") != "Dropdown" or not isinstance(choices, list):
        return
    for choice_index, choice in enumerate(choices):
        if not isinstance(choice, dict) or choice.get("value") != "":
            continue
        pointer = f"/choices/{choice_index}"
        if prop.get("optional") is True:
            yield finding(
                "dropdown-empty-choice", pointer,
                f"the panel gives an optional dropdown its own empty entry (not set), so the choice "
                f"{_json(choice.get('name'))} with value \"\" offers \"not set\" a second time; remove the choice",
            )
        else:
            yield finding(
                "dropdown-empty-value", pointer,
                f"the choice {_json(choice.get('name'))} has the value \"\": choosing it writes an empty value "
                "instead of leaving the property unset; make the property optional and remove the choice "
                "(the panel then offers its own empty entry)",
            )


def label_type(view: TemplateView) -> Iterator[Problem]:
    first: dict[str, tuple[int, str]] = {}
    for index, prop in view.properties:
        label, kind = prop.get("label"), prop.get("type") or "String"
        if not isinstance(label, str) or not isinstance(kind, str) or kind == "Hidden":
            continue
        if label not in first:
            first[label] = (index, kind)
        elif first[label][1] != kind:
            yield finding(
                "label-type", view.property_pointer(index, "type"),
                f"label {_json(label)} is a {kind} here but a {first[label][1]} at {view.property_pointer(first[label][0])}: "
                "one name for two kinds of field; give them different labels",
            )


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


# rules of one property (pointers relative to it), and rules of the whole template
PANEL_PROPERTY_RULES = (pattern_rejects_empty, property_html, feel_placeholder, dropdown_empty_choice)
PANEL_TEMPLATE_RULES = (group_html, label_type)
PANEL_RULE_IDS = frozenset((
    "pattern-rejects-empty", "panel-html", "feel-placeholder", "dropdown-empty-choice", "dropdown-empty-value", "label-type",
))
# what `etk build` refuses in a generated template: the panel would show something wrong (a red
# field, a cut tooltip, "not set" twice, an empty value, `==`); one label for two types is advice
BUILD_REFUSED_PANEL_RULES = PANEL_RULE_IDS - {"label-type"}
