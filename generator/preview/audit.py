"""The panel audit: what a Modeler user sees for a template, read from the real properties panel.

In headless Chromium (`browser.open_preview`) the template is applied by the Modeler's own code;
the audit then walks the states its dropdowns reach (every choice of every visible dropdown is
tried once; a state is kept when it shows a field no earlier state showed, so the walk is bounded
by the number of choices), and reports per state the visible fields in order (group, label, kind),
the red messages, the dropdown entries, and per field the tooltip as rendered text. Problems:

* a red message in a state the user has not typed into (the freshly applied template, or only
  dropdowns switched), other than "must not be empty" under a required field;
* after typing given values (`etk preview --audit --set ... / --example DEFINITION`), any red
  message: the values are all the user enters, so a required field left empty counts too;
* a tooltip or description whose rendered text is not its whole text in the template (the panel
  renders both as HTML and swallows unknown tags such as `<resource-name>`);
* a FEEL field whose placeholder, typed as shown, is stored as `==...`.

`panel_screenshots` takes one PNG of the panel per operation (the choices of the `operation`
dropdown), each after typing values into it, for documentation pages.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from generator.apply.bindings import binding_label
from generator.apply.conditions import active_template
from generator.apply.state import ElementState
from generator.apply.templates import select_template
from generator.bpmn import parse_diagram
from generator.bpmn.element_state import read_state
from generator.element_template import Property, Template
from generator.preview.browser import open_preview
from generator.preview.page import PreviewInput, render_page
from generator.validate.panel import PANEL_HTML_TAGS

Selections = tuple[tuple[str, str], ...]  # dropdown selections (entry id, value) from the applied template

DEBOUNCE_SECONDS = 0.5  # the panel's text fields hand their value over after a 300 ms debounce
_SETTLE_SCRIPT = """async ({before, quietMs, timeoutMs}) => {
  const start = Date.now();
  let last = await window.etkPreview.taskXml(), since = Date.now();
  while (last === before && Date.now() - start < timeoutMs) {
    await new Promise(resolve => setTimeout(resolve, 50));
    last = await window.etkPreview.taskXml();
    since = Date.now();
  }
  while (Date.now() - since < quietMs && Date.now() - start < timeoutMs) {
    await new Promise(resolve => setTimeout(resolve, 100));
    const now = await window.etkPreview.taskXml();
    if (now !== last) { last = now; since = Date.now(); }
  }
  await window.etkPreview.settled();
}"""
OPERATION_IDS = ("operation",)


@dataclass
class PanelField:
    """One field as the panel shows it."""

    entry_id: str
    property_id: str | None
    group: str | None
    label: str | None
    kind: str
    feel: str | None
    errors: list[str]
    description: str | None
    has_tooltip: bool
    choices: list[dict[str, str]] | None
    value: str | None
    required: bool = False
    key: str = ""  # what the field shows, independent of its position (see `of`)
    names: tuple[str, ...] = ()  # how values name the field: its property id, its binding name

    @classmethod
    def of(cls, data: dict[str, Any], prop: Property | None) -> PanelField:
        constraints = prop.get("constraints") if prop else None
        # entry ids of template properties are positions within their group: a field is known by
        # its property id, else its binding, else its entry id
        key = (prop.get("id") or json.dumps(prop.get("binding"), sort_keys=True)) if prop else data["entryId"]
        names = tuple(name for name in (prop.get("id"), binding_label(prop["binding"])) if name) if prop else ()
        return cls(data["entryId"], prop.get("id") if prop else None, data["group"], data["label"], data["kind"],
                   data["feel"], data["errors"], data["description"], data["hasTooltip"], data["choices"], data["value"],
                   isinstance(constraints, dict) and constraints.get("notEmpty") is True, key, names)

    def unexpected_errors(self) -> list[str]:
        """Red messages other than "must not be empty" under a required field (the panel's way of
        saying what the user still has to fill in)."""
        return [message for message in self.errors
                if not (self.required and message.lower().endswith("must not be empty."))]


@dataclass
class PanelState:
    """What the panel shows after the dropdown selections `selections` (label = choice)."""

    selections: list[str]
    fields: list[PanelField]
    typed: bool = False

    @property
    def name(self) -> str:
        return ", ".join(self.selections) or "as applied"

    def red_messages(self) -> list[str]:
        """Every red message, as `Label: message`."""
        return [f"{each.label}: {message}" for each in self.fields for message in each.errors]

    def unexpected_red_messages(self) -> list[str]:
        """Red messages other than a required field's "must not be empty"."""
        return [f"{each.label}: {message}" for each in self.fields for message in each.unexpected_errors()]


@dataclass
class TemplateAudit:
    """The audit of one template."""

    template_id: str
    version: int | None
    states: list[PanelState] = field(default_factory=list)
    tooltips: dict[str, str] = field(default_factory=dict)  # "group / label" -> rendered text
    descriptions: dict[str, str] = field(default_factory=dict)  # "group / label" -> rendered text
    cut_tooltips: list[str] = field(default_factory=list)
    cut_descriptions: list[str] = field(default_factory=list)
    double_equals: list[str] = field(default_factory=list)
    typed: PanelState | None = None  # the panel after typing the values the audit was given
    screenshots: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[str]:
        found = [f"red message in state [{state.name}]: {message}"
                 for state in self.states for message in state.unexpected_red_messages()]
        if self.typed is not None:
            found += [f"red message after typing the values: {message}" for message in self.typed.red_messages()]
        return found + self.cut_tooltips + self.cut_descriptions + self.double_equals

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "errors": self.errors}


@dataclass
class AuditReport:
    """The audits of the templates of one file."""

    audits: list[TemplateAudit]

    @property
    def errors(self) -> list[str]:
        return [f"{audit.template_id} v{audit.version}: {error}" for audit in self.audits for error in audit.errors]

    def to_dict(self) -> dict[str, Any]:
        return {"templates": [audit.to_dict() for audit in self.audits], "errors": self.errors}


class _TooltipText(HTMLParser):
    """The text a tooltip should show: the panel's allowed tags removed, any other markup kept as written."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in PANEL_HTML_TAGS:
            self.parts.append(self.get_starttag_text() or "")

    def handle_endtag(self, tag: str) -> None:
        if tag not in PANEL_HTML_TAGS:
            self.parts.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def intended_text(text: str) -> str:
    """The whole text of a template tooltip or description, whitespace collapsed, as a reader
    should see it rendered."""
    parser = _TooltipText()
    parser.feed(text)
    parser.close()
    return re.sub(r"\s+", " ", "".join(parser.parts)).strip()


class PanelSession:
    """One preview page in Chromium and the user actions on its panel."""

    def __init__(self, page: Any, template: Template) -> None:
        self.page = page
        self.template = template
        self._typed_into: str | None = None  # the task's XML before the first value typed since the last settle

    def release_focus(self) -> None:
        """Leave the focused field (as a click elsewhere does): it hands its value over on blur."""
        if self.page.evaluate("() => { const had = document.activeElement !== document.body; document.activeElement.blur(); return had; }"):
            self.settle()

    def reset(self) -> None:
        # the focused field's value first, before the diagram is imported again (else the panel
        # writes to an element of the old diagram)
        self.release_focus()
        self.page.evaluate("() => window.etkPreview.reset()")

    def read(self) -> list[PanelField]:
        data = self.page.evaluate("() => window.etkPanel.readPanel()")
        properties = self.entry_properties()
        return [PanelField.of(each, properties.get(each["entryId"])) for each in data["fields"]]

    def element_state(self) -> ElementState:
        diagram = parse_diagram(self.page.evaluate("() => window.etkPreview.diagramXml()").encode("utf-8"), "preview")
        element_id = self.page.evaluate("() => window.etkPreview.config.element")
        return read_state(diagram, diagram.find_element(element_id))

    def entry_properties(self) -> dict[str, Property]:
        """Entry id -> the template property it renders, by the Modeler's id scheme
        (`custom-entry-<template>-<group>-<index in the group's active properties>`)."""
        active = active_template(self.element_state(), self.template)
        declared = {group.get("id") for group in self.template.get("groups") or () if isinstance(group, dict)}
        grouped: dict[str, list[Property]] = {}
        for prop in active["properties"]:
            grouped.setdefault(prop.get("group") or "_", []).append(prop)
        entries: dict[str, Property] = {}
        ungrouped: list[Property] = []
        for group_id, props in grouped.items():
            if group_id not in declared:
                ungrouped.extend(props)
                continue
            for index, prop in enumerate(props):
                entries[f"custom-entry-{self.template['id']}-{group_id}-{index}"] = prop
        for index, prop in enumerate(ungrouped):
            entries[f"custom-entry-{self.template['id']}-{index}"] = prop
        return entries

    def select(self, entry_id: str, value: str) -> None:
        self.page.locator(f'[data-entry-id="{entry_id}"] select').select_option(value)

    def goto(self, selections: Selections) -> list[PanelField]:
        self.reset()
        for entry_id, value in selections:
            self.select(entry_id, value)
        return self.read()

    def entry_of(self, name: str, fields: list[PanelField]) -> PanelField:
        """The field `name` (a property id, else a binding name) among the `fields` shown now."""
        for each in fields:
            if each.property_id == name:
                return each
        for each in fields:
            if name in each.names:
                return each
        raise LookupError(f"property {name!r} is not shown in the panel now")

    def type_value(self, panel_field: PanelField, value: str) -> None:
        """Type `value` into a field as a user does (a FEEL editor already shows its `=`)."""
        if self._typed_into is None:
            self._typed_into = self.page.evaluate("() => window.etkPreview.taskXml()")
        entry = self.page.locator(f'[data-entry-id="{panel_field.entry_id}"]')
        if panel_field.kind == "Dropdown":
            entry.locator("select").select_option(value)
        elif panel_field.kind == "Checkbox":
            entry.locator("input[type=checkbox]").set_checked(value == "true")
        elif panel_field.kind == "FEEL":
            editor = entry.locator(".cm-content")
            editor.click()
            self.page.keyboard.press("Control+A")
            self.page.keyboard.press("Delete")
            self.page.keyboard.insert_text(value)
        else:
            entry.locator("input, textarea").first.fill(value)

    def settle(self) -> None:
        """Wait until what was typed has reached the element: the panel hands text over after a
        debounce, so wait until the task's XML stays the same for a while."""
        self.page.evaluate(_SETTLE_SCRIPT, {"before": self._typed_into, "quietMs": int(DEBOUNCE_SECONDS * 1000),
                                            "timeoutMs": 10_000})
        self._typed_into = None

    def stored_value(self, property_id: str) -> str | None:
        index = next(i for i, prop in enumerate(self.template["properties"]) if prop.get("id") == property_id)
        stored: str | None = self.page.evaluate("(index) => window.etkPanel.storedValue(index)", index)
        return stored

    def screenshot(self, *, template_groups_only: bool = False) -> bytes:
        """A PNG of the whole properties panel as it is now (no field focused, no tooltip open);
        `template_groups_only`: the Modeler's own groups (General, Documentation, Template, ...)
        closed first, so that the template's fields come right after the header."""
        self.release_focus()
        if template_groups_only:
            labels = [str(group.get("label")) for group in self.template.get("groups") or () if isinstance(group, dict)]
            self.page.evaluate("(keep) => window.etkPanel.closeGroupsExcept(keep)", labels)
        self.page.mouse.move(0, 0)
        png: bytes = self.page.locator("#panel").screenshot()
        return png


def _property(template: Template, property_id: str | None) -> Property | None:
    return next((prop for prop in template["properties"] if property_id and prop.get("id") == property_id), None)


def _choice_label(panel_field: PanelField, value: str) -> str:
    label = next((choice["label"] for choice in panel_field.choices or () if choice["value"] == value), value)
    return f"{panel_field.label} = {label or '(empty)'}"


def walk_states(session: PanelSession, visit: Callable[[list[PanelField]], None] = lambda fields: None,
                max_states: int = 200) -> list[tuple[Selections, PanelState]]:
    """Every state the dropdowns reach that shows a field no earlier state showed, breadth first;
    `visit` sees each kept state while the page shows it."""
    first = session.goto(())
    visit(first)
    states: list[tuple[Selections, PanelState]] = [((), PanelState([], first))]
    seen_fields = {each.key for each in first}
    tried: set[tuple[str, str]] = set()
    queue: list[tuple[Selections, list[str], list[PanelField]]] = [((), [], first)]
    while queue and len(states) < max_states:
        path, names, fields = queue.pop(0)
        session.goto(path)
        for dropdown in [each for each in fields if each.kind == "Dropdown"]:
            for choice in dropdown.choices or ():
                key = (dropdown.entry_id, choice["value"])
                if choice["value"] == dropdown.value or (dropdown.key, choice["value"]) in tried:
                    continue
                tried.add((dropdown.key, choice["value"]))
                session.select(dropdown.entry_id, choice["value"])
                after = session.read()
                shown = {each.key for each in after}
                if shown - seen_fields and len(states) < max_states:
                    visit(after)
                    seen_fields |= shown
                    new_path = path + (key,)
                    new_names = names + [_choice_label(dropdown, choice["value"])]
                    states.append((new_path, PanelState(new_names, after)))
                    queue.append((new_path, new_names, after))
                _back_to(session, path, dropdown, after)
    return states


def _back_to(session: PanelSession, path: Selections, dropdown: PanelField, shown: list[PanelField]) -> None:
    """Back to the state at `path` after another choice of `dropdown`: its value selected again.
    Entry ids are positions among the shown fields, so the dropdown is found again by its key;
    without its old value to select, the state is rebuilt from the applied template."""
    moved = next((each for each in shown if each.key == dropdown.key), None)
    if moved is not None and any(choice["value"] == dropdown.value for choice in dropdown.choices or ()):
        session.select(moved.entry_id, str(dropdown.value))
    else:
        session.goto(path)


def audit_template(session: PanelSession, *, values: Mapping[str, str] | None = None,
                   screenshots: Path | None = None) -> TemplateAudit:
    """Walk the states, read tooltips and descriptions, type the FEEL placeholders, then type
    `values` (when given) and take screenshots (into `screenshots`, when given)."""
    template = session.template
    audit = TemplateAudit(str(template.get("id")), template.get("version"))
    read: set[str] = set()

    def check_texts(fields: list[PanelField]) -> None:
        for each in fields:
            prop = _property(template, each.property_id)
            description = prop.get("description") if prop else None
            if each.key in read or not isinstance(description, str):
                continue
            shown = each.description or ""
            audit.descriptions[f"{each.group} / {each.label}"] = shown
            if shown != intended_text(description):
                audit.cut_descriptions.append(f"description of {each.label!r} is rendered as {shown!r}, not in full: "
                                              f"{intended_text(description)!r}")
        wanted = [each for each in fields if each.has_tooltip and each.key not in read]
        read.update(each.key for each in fields)
        if not wanted:
            return
        rendered = session.page.evaluate("(ids) => window.etkPanel.readTooltips(ids)", [each.entry_id for each in wanted])
        for each in wanted:
            text = rendered.get(each.entry_id) or ""
            audit.tooltips[f"{each.group} / {each.label}"] = text
            prop = _property(template, each.property_id)
            if prop and isinstance(prop.get("tooltip"), str) and text != intended_text(prop["tooltip"]):
                audit.cut_tooltips.append(f"tooltip of {each.label!r} is rendered as {text!r}, not in full: "
                                          f"{intended_text(prop['tooltip'])!r}")

    walked = walk_states(session, check_texts)
    audit.states = [state for _, state in walked]

    checked: set[str] = set()
    for path, state in walked:
        for each in state.fields:
            prop = _property(template, each.property_id)
            if each.kind != "FEEL" or not prop or not isinstance(prop.get("placeholder"), str) or prop["id"] in checked:
                continue
            checked.add(prop["id"])
            fields = session.goto(path)
            session.type_value(session.entry_of(prop["id"], fields), prop["placeholder"])
            session.settle()
            stored = session.stored_value(prop["id"]) or ""
            if stored.startswith("=="):
                audit.double_equals.append(
                    f"typing the placeholder of {each.label!r} as shown stores {stored!r} (a FEEL syntax error)")

    if screenshots is not None:
        audit.screenshots = [str(path) for path in write_operation_screenshots(session, screenshots)]
    if values:
        audit.typed = type_values(session, values)
        if screenshots is not None:
            target = screenshots / "typed.png"
            target.write_bytes(session.screenshot())
            audit.screenshots.append(str(target))
    return audit


class PanelValueError(RuntimeError):
    """A value cannot be typed: its field is not shown, whatever the other values select."""


def type_values(session: PanelSession, values: Mapping[str, str]) -> PanelState:
    """The panel after typing `values` into the freshly applied template as a user does.

    `values` maps a property id or binding name to what a user types (as `etk apply --set` takes
    them: a dropdown's choice value, `true`/`false` for a checkbox; a FEEL field's `=` may be
    given). Fields are typed in the template's order; a field that only shows once a later value
    is typed (a dropdown further down) is typed after it."""
    session.goto(())
    order = {name: index for index, prop in reversed(list(enumerate(session.template["properties"])))
             for name in (prop.get("id"), binding_label(prop["binding"])) if name}
    pending = sorted(values, key=lambda name: order.get(name, len(order)))
    while pending:
        waiting = []
        fields = session.read()
        for name in pending:
            try:
                panel_field = session.entry_of(name, fields)
            except LookupError:
                waiting.append(name)
                continue
            value = values[name]
            if panel_field.kind == "FEEL" and value.startswith("="):
                value = value[1:]  # the editor shows the = already; a user types what follows it
            session.type_value(panel_field, value)
            if panel_field.kind in ("Dropdown", "Checkbox"):
                fields = session.read()  # what is shown may have changed
        if waiting == pending:
            raise PanelValueError(f"{', '.join(repr(name) for name in waiting)}: not shown in the panel "
                                  "with the other values typed")
        pending = waiting
    session.settle()
    return PanelState([f"{name} = {value}" for name, value in values.items()], session.read(), typed=True)


def operation_dropdown(fields: list[PanelField]) -> PanelField | None:
    return next((each for each in fields if each.kind == "Dropdown" and each.property_id in OPERATION_IDS), None)


def operations(template: Template) -> list[str]:
    """The choice values of the template's operation dropdown; `[""]` without one."""
    dropdown = next((prop for prop in template["properties"]
                     if prop.get("id") in OPERATION_IDS and prop.get("type") == "Dropdown"), None)
    return [str(choice["value"]) for choice in dropdown.get("choices") or () if choice.get("value")] if dropdown else [""]


def write_operation_screenshots(session: PanelSession, folder: Path) -> list[Path]:
    """`folder/<choice>.png` per choice of the operation dropdown as applied (nothing typed),
    else `folder/default.png`."""
    folder.mkdir(parents=True, exist_ok=True)
    fields = session.goto(())
    operation = operation_dropdown(fields)
    if operation is None:
        target = folder / "default.png"
        target.write_bytes(session.screenshot())
        return [target]
    written = []
    for choice in operation.choices or ():
        if not choice["value"]:
            continue
        session.goto(((operation.entry_id, choice["value"]),))
        target = folder / f"{choice['value']}.png"
        target.write_bytes(session.screenshot())
        written.append(target)
    return written


def audit_templates(preview: PreviewInput, *, screenshots: Path | None = None, stem: str = "template",
                    chromium: Path | None = None, values: Mapping[str, str] | None = None) -> AuditReport:
    """Audit the newest template of `preview` in the page (older versions are known to the Modeler
    only); with `values`, also the panel after typing them."""
    template = select_template(preview.templates)
    with open_preview(render_page(preview), chromium=chromium) as page:
        session = PanelSession(page, template)
        audit = audit_template(session, values=values,
                               screenshots=screenshots / stem if screenshots is not None else None)
    return AuditReport([audit])


@dataclass(frozen=True)
class TypedScreenshot:
    """A PNG of the panel for one operation (`""`: a template without operations) after typing
    `values`, and the red messages it shows."""

    operation: str
    png: bytes
    red_messages: list[str]


def panel_screenshots(template: Template, values: Mapping[str, Mapping[str, str]] | None = None, *,
                      chromium: Path | None = None) -> list[TypedScreenshot]:
    """One PNG of the properties panel per operation of `template` (one for a template without
    operations), each after typing that operation's `values` (operation -> values as
    `type_values` takes them; the operation itself is selected first), with the Modeler's own
    groups closed."""
    values = values or {}
    shots = []
    with open_preview(render_page(PreviewInput.for_template([template])), chromium=chromium) as page:
        session = PanelSession(page, template)
        for operation in operations(template):
            operation_values = dict(values.get(operation, {}))
            if operation:
                operation_values = {OPERATION_IDS[0]: operation, **operation_values}
            state = type_values(session, operation_values)
            shots.append(TypedScreenshot(operation, session.screenshot(template_groups_only=True), state.red_messages()))
    return shots


def format_report(report: AuditReport) -> str:
    """The report as text: per state the fields in order with red messages, then tooltips and problems."""
    lines: list[str] = []
    for audit in report.audits:
        lines.append(f"{audit.template_id} version {audit.version}: {len(audit.states)} states")
        for state in audit.states:
            lines.append(f"\n  state [{state.name}]: {len(state.fields)} fields, {len(state.unexpected_red_messages())} red "
                         f"(+{len(state.red_messages()) - len(state.unexpected_red_messages())} required, still empty)")
            for each in state.fields:
                kind = each.kind + (f" (FEEL {each.feel})" if each.feel and each.kind != "FEEL" else "")
                line = f"    {each.group or '-'} / {each.label or each.entry_id} [{kind}]"
                if each.choices is not None:
                    line += " choices: " + " | ".join(choice["label"] or "(empty)" for choice in each.choices)
                lines.append(line)
                lines.extend(f"      {'RED' if message in each.unexpected_errors() else 'required'}: {message}"
                             for message in each.errors)
        if audit.typed is not None:
            lines.append(f"\n  after typing {len(audit.typed.selections)} values: {len(audit.typed.red_messages())} red")
            lines.extend(f"    {value}" for value in audit.typed.selections)
            lines.extend(f"      RED: {message}" for message in audit.typed.red_messages())
        lines.append(f"\n  tooltips ({len(audit.tooltips)}):")
        lines.extend(f"    {label}: {text}" for label, text in audit.tooltips.items())
        lines.append(f"\n  descriptions ({len(audit.descriptions)}):")
        lines.extend(f"    {label}: {text}" for label, text in audit.descriptions.items())
        for screenshot in audit.screenshots:
            lines.append(f"  screenshot: {screenshot}")
    errors = report.errors
    lines.append("")
    lines.append(f"{len(errors)} problem(s)" + (":" if errors else ""))
    lines.extend(f"  {error}" for error in errors)
    return "\n".join(lines) + "\n"
