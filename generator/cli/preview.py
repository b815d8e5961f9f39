"""`etk preview`: an offline page with Camunda's properties panel for a template, and the panel audit."""

from __future__ import annotations

import json
import webbrowser
from pathlib import Path
from typing import TYPE_CHECKING

import click

from generator.errors import EtkError

if TYPE_CHECKING:
    from generator.element_template import Template
    from generator.preview.page import PreviewInput


@click.command("preview")
@click.argument("template", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--bpmn", "diagram", type=click.Path(dir_okay=False, path_type=Path),
              help="Show an element of this diagram (default: a new diagram with one task).")
@click.option("-e", "--element", metavar="ID", help="The element of --bpmn to show (required with --bpmn).")
@click.option("-o", "--output", metavar="FILE", help="Where to write the page (default: TEMPLATE with .preview.html).")
@click.option("--open", "open_page", is_flag=True, help="Open the page in the default web browser.")
@click.option("--audit", is_flag=True,
              help="Instead of writing a page: open it in headless Chromium, walk the dropdown states and "
                   "report what the panel shows (fields, red messages, tooltips, choices).")
@click.option("--screenshots", type=click.Path(file_okay=False, path_type=Path), metavar="DIR",
              help="With --audit: a PNG of the panel per operation (or per state) into DIR/<template>/.")
@click.option("--set", "assignments", multiple=True, metavar="PROPERTY=VALUE",
              help="With --audit: a value to type into the panel, as `etk apply --set` takes it (PROPERTY: a "
                   "property id or binding name; VALUE as typed: 0.7, true, a dropdown value). Repeatable; after "
                   "typing, every red message counts as a problem.")
@click.option("--example", "definition", type=click.Path(dir_okay=False, path_type=Path), metavar="DEFINITION",
              help="With --audit: type the `example:` values of this definition (templates/NAME.yaml) into the "
                   "panel (--set values take precedence).")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="With --audit: the report as text or JSON.")
@click.option("--chromium", type=click.Path(dir_okay=False, path_type=Path), metavar="PATH",
              help="With --audit: the Chromium executable (default: $ETK_CHROMIUM or /usr/bin/chromium).")
def preview_command(template: Path, diagram: Path | None, element: str | None, output: str | None,
                    open_page: bool, audit: bool, screenshots: Path | None, assignments: tuple[str, ...],
                    definition: Path | None, output_format: str, chromium: Path | None) -> None:
    """Write one self-contained HTML page that runs Camunda's own Modeler libraries (bpmn-js, the
    properties panel, bpmn-js-element-templates) with TEMPLATE applied to a task. Switch
    operations and type values exactly as in the Modeler; beside the panel, the BPMN XML of the
    task shows what those values produce (copy it, or download the whole diagram). The page
    works offline and needs neither node nor network.

    \b
    Examples:
      etk preview dist/azure-openai.json --open
      etk preview dist/azure-openai.json --bpmn process.bpmn --element Task_1 -o task.html
      etk preview dist/azure-openai.json --audit --screenshots build/panel-screenshots
      etk preview dist/azure-openai.json --audit --example templates/azure-openai.yaml
      etk preview dist/rest.json --audit --set url=https://api.example.com --set method=POST

    With --audit, exit status 1 when the panel shows a red message on a state the user has not
    touched (a freshly applied template, or only dropdowns switched), any red message after typing
    the --set/--example values, a tooltip or description not rendered in full, or a placeholder
    that typed as shown stores `==`.
    """
    from generator.files import write_text_atomic
    from generator.preview.page import default_output, render_page
    from generator.validate.loading import load_template_file

    templates = load_template_file(template)
    preview = _preview_input(templates, diagram, element, template)

    if audit:
        from generator.preview.audit import PanelValueError, audit_templates, format_report
        from generator.preview.browser import BrowserUnavailable

        values = _typed_values(templates, definition, assignments)
        try:
            report = audit_templates(preview, screenshots=screenshots, stem=template.stem, chromium=chromium, values=values)
        except BrowserUnavailable as problem:
            raise EtkError(f"--audit: {problem}") from None
        except PanelValueError as problem:
            raise EtkError(f"--audit: {problem}") from None
        if output_format == "json":
            click.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
        else:
            click.echo(format_report(report), nl=False)
        if report.errors:
            raise SystemExit(1)
        return
    for given, option in ((screenshots, "--screenshots"), (assignments or None, "--set"), (definition, "--example")):
        if given is not None:
            raise click.UsageError(f"{option} needs --audit")

    target = Path(output) if output else default_output(template)
    page = render_page(preview)
    try:
        write_text_atomic(target, page)
    except OSError as error:
        raise EtkError(f"{target}: cannot write the page: {error.strerror}") from None
    click.echo(f"etk: wrote the preview of {templates[0].get('id')} ({len(page) // 1024} KiB, offline): {target}", err=True)
    if open_page:
        webbrowser.open(target.resolve().as_uri())


def _typed_values(templates: list[Template], definition: Path | None,
                  assignments: tuple[str, ...]) -> dict[str, str] | None:
    """The values the audit types: the definition's example, then --set; checked as `etk apply`
    checks them (unknown or inactive properties, values no field accepts), before any browser starts."""
    from generator.apply import apply_template
    from generator.apply.templates import select_template
    from generator.cli.options import parse_assignments

    values: dict[str, str] = {}
    newest = select_template(templates)
    if definition is not None:
        from generator.definition import load_definition

        loaded = load_definition(definition)
        if loaded.id != newest.get("id"):
            raise EtkError(f"--example {definition}: the definition builds {loaded.id}, not {newest.get('id')}")
        if loaded.example is None:
            raise EtkError(f"--example {definition}: the definition has no `example:` values")
        values.update(loaded.example.as_mapping())
    values.update(parse_assignments(assignments, "--set"))
    if not values:
        return None
    apply_template(newest, values)
    return values


def _preview_input(templates: list[Template], diagram: Path | None, element: str | None, template: Path) -> PreviewInput:
    from generator.preview.page import PreviewInput

    if diagram is None:
        if element is not None:
            raise click.UsageError("--element needs --bpmn")
        return PreviewInput.for_template(templates, file_name=f"{template.stem}.bpmn")
    if element is None:
        raise click.UsageError("--bpmn needs --element")
    from generator.bpmn import load_diagram

    parsed = load_diagram(diagram)  # refuses unsafe, oversized or broken XML with a one-line error
    parsed.find_element(element)  # an unknown id is refused with the ids that exist
    return PreviewInput(templates, parsed.to_bytes().decode("utf-8"), element, diagram.name)
