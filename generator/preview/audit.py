"""The panel audit: what a Modeler user sees for a template, read from the real properties panel.

In headless Chromium (`browser.open_preview`) the template is applied by the Modeler's own code;
the audit then walks the states its dropdowns reach (every choice of every visible dropdown is
tried once; a state is kept when it shows a field no earlier state showed, so the walk is bounded
by the number of choices), and reports per state the visible fields in order (group, label, kind),
the red messages, the dropdown entries, and per field the tooltip as rendered text. Problems:

* a red message in a state the user has not typed into (the freshly applied template, or only
  dropdowns switched), or after typing the definition's example values;
* a tooltip whose rendered text is not the whole text of the template's tooltip (the panel
  renders tooltips as HTML and swallows unknown tags);
* a FEEL field whose placeholder, typed as shown, is stored as `==...`.

`panel_screenshots` writes one PNG of the panel per operation (the choices of the `operation`
dropdown, or one `default.png`) to a stable path, for documentation pages.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
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

    @classmethod
    def of(cls, data: dict[str, Any], prop: Property | None) -> PanelField:
        constraints = prop.get("constraints") if prop else None
        # entry ids of template properties are positions within their group: a field is known by
        # its property id, else its binding, else its entry id
        key = (prop.get("id") or json.dumps(prop.get("binding"), sort_keys=True)) if prop else data["entryId"]
        return cls(data["entryId"], prop.get("id") if prop else None, data["group"], data["label"], data["kind"],
                   data["feel"], data["errors"], data["description"], data["hasTooltip"], data["choices"], data["value"],
                   isinstance(constraints, dict) and constraints.get("notEmpty") is True, key)

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
    tooltips: dict[str, str] = field(default_factory=dict)  # label -> rendered text
    cut_tooltips: list[str] = field(default_factory=list)
    double_equals: list[str] = field(default_factory=list)
    example: PanelState | None = None
    screenshots: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[str]:
        found = [f"red message in state [{state.name}]: {message}"
                 for state in self.states for message in state.unexpected_red_messages()]
        if self.example is not None:
            found += [f"red message after typing the example values: {message}" for message in self.example.red_messages()]
        return found + self.cut_tooltips + self.double_equals

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


def intended_tooltip_text(tooltip: str) -> str:
    """The whole text of a template tooltip, whitespace collapsed, as a reader should see it."""
    parser = _TooltipText()
    parser.feed(tooltip)
    parser.close()
    return re.sub(r"\s+", " ", "".join(parser.parts)).strip()


class PanelSession:
    """One preview page in Chromium and the user actions on its panel."""

    def __init__(self, page: Any, template: Template) -> None:
        self.page = page
        self.template = template
        self._typed_into: str | None = None  # the task's XML before the first value typed since the last settle

    def reset(self) -> None:
        # a field that still has the focus hands its value over on blur: let it, before the
        # diagram is imported again (else the panel writes to an element of the old diagram)
        if self.page.evaluate("() => { const had = document.activeElement !== document.body; document.activeElement.blur(); return had; }"):
            self.settle()
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

    def entry_of(self, property_id: str, fields: list[PanelField]) -> PanelField:
        for each in fields:
            if each.property_id == property_id:
                return each
        raise LookupError(f"property {property_id!r} is not shown in the panel now")

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

    def screenshot(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.page.locator("#panel").screenshot(path=str(path))


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
            if dropdown.value is not None and any(c["value"] == dropdown.value for c in dropdown.choices or ()):
                session.select(dropdown.entry_id, dropdown.value)
    return states


def audit_template(session: PanelSession, *, example: dict[str, str] | None = None,
                   screenshots: Path | None = None) -> TemplateAudit:
    """Walk, read tooltips, type placeholders and the example values, take screenshots."""
    template = session.template
    audit = TemplateAudit(str(template.get("id")), template.get("version"))
    read: set[str] = set()

    def read_tooltips(fields: list[PanelField]) -> None:
        wanted = [each for each in fields if each.has_tooltip and each.key not in read]
        if not wanted:
            return
        rendered = session.page.evaluate("(ids) => window.etkPanel.readTooltips(ids)", [each.entry_id for each in wanted])
        for each in wanted:
            text = rendered.get(each.entry_id) or ""
            read.add(each.key)
            audit.tooltips[f"{each.group} / {each.label}"] = text
            prop = _property(template, each.property_id)
            if prop and isinstance(prop.get("tooltip"), str) and text != intended_tooltip_text(prop["tooltip"]):
                audit.cut_tooltips.append(f"tooltip of {each.label!r} is rendered as {text!r}, not in full: "
                                          f"{intended_tooltip_text(prop['tooltip'])!r}")

    walked = walk_states(session, read_tooltips)
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

    if example:
        audit.example = type_example(session, example)
    if screenshots is not None:
        audit.screenshots = [str(path) for path in take_screenshots(session, screenshots)]
    return audit


def type_example(session: PanelSession, values: dict[str, str]) -> PanelState:
    """The panel after typing `values` (property id, or binding name of a property without an id, as
    `etk apply --set` takes them -> what a user types) in template order."""
    session.goto(())
    # how a PanelField knows each property (`PanelField.key`), by the names `values` may use
    keys: dict[str, str] = {}
    for prop in reversed(session.template["properties"]):
        if prop.get("id"):
            keys[prop["id"]] = prop["id"]
        elif isinstance(prop.get("binding"), dict):
            keys.setdefault(binding_label(prop["binding"]), json.dumps(prop["binding"], sort_keys=True))
    order = list(keys.values())[::-1]
    for name in sorted(values, key=lambda name: order.index(keys[name]) if name in keys else len(order)):
        fields = session.read()
        key = keys.get(name, name)
        panel_field = next((each for each in fields if each.key == key), None)
        if panel_field is None:
            raise LookupError(f"property {name!r} is not shown in the panel now")
        value = values[name]
        if panel_field.kind == "FEEL" and value.startswith("="):
            value = value[1:]  # the editor shows the = already; a user types what follows it
        session.type_value(panel_field, value)
    session.settle()
    return PanelState([f"{name} = {value}" for name, value in values.items()], session.read(), typed=True)


def operation_dropdown(fields: list[PanelField]) -> PanelField | None:
    return next((each for each in fields if each.kind == "Dropdown" and each.property_id in OPERATION_IDS), None)


def take_screenshots(session: PanelSession, folder: Path) -> list[Path]:
    """`folder/<choice>.png` per choice of the operation dropdown, else `folder/default.png`."""
    fields = session.goto(())
    operation = operation_dropdown(fields)
    if operation is None:
        target = folder / "default.png"
        session.screenshot(target)
        return [target]
    written = []
    for choice in operation.choices or ():
        if not choice["value"]:
            continue
        session.goto(((operation.entry_id, choice["value"]),))
        target = folder / f"{choice['value']}.png"
        session.screenshot(target)
        written.append(target)
    return written


def audit_templates(preview: PreviewInput, *, screenshots: Path | None = None, stem: str = "template",
                    chromium: Path | None = None, example: dict[str, str] | None = None) -> AuditReport:
    """Audit the newest template of `preview` in the page (older versions are known to the Modeler only)."""
    template = select_template(preview.templates)
    with open_preview(render_page(preview), chromium=chromium) as page:
        session = PanelSession(page, template)
        audit = audit_template(session, example=example,
                               screenshots=screenshots / stem if screenshots is not None else None)
    return AuditReport([audit])


def panel_screenshots(template_path: Path, folder: Path, *, chromium: Path | None = None) -> list[Path]:
    """One PNG of the properties panel per operation of the template in `template_path`, written to
    `folder/<template file stem>/<operation>.png` (or `default.png`); returns the paths."""
    from generator.validate.loading import load_template_file

    templates = load_template_file(template_path)
    preview = PreviewInput.for_template(templates)
    with open_preview(render_page(preview), chromium=chromium) as page:
        return take_screenshots(PanelSession(page, select_template(templates)), folder / template_path.stem)


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
        if audit.example is not None:
            lines.append(f"\n  after typing the example values: {len(audit.example.red_messages())} red")
            lines.extend(f"      RED: {message}" for message in audit.example.red_messages())
        lines.append(f"\n  tooltips ({len(audit.tooltips)}):")
        lines.extend(f"    {label}: {text}" for label, text in audit.tooltips.items())
        for screenshot in audit.screenshots:
            lines.append(f"  screenshot: {screenshot}")
    errors = report.errors
    lines.append("")
    lines.append(f"{len(errors)} problem(s)" + (":" if errors else ""))
    lines.extend(f"  {error}" for error in errors)
    return "\n".join(lines) + "\n"
