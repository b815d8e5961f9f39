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
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="With --audit: the report as text or JSON.")
@click.option("--chromium", type=click.Path(dir_okay=False, path_type=Path), metavar="PATH",
              help="With --audit: the Chromium executable (default: $ETK_CHROMIUM or /usr/bin/chromium).")
def preview_command(template: Path, diagram: Path | None, element: str | None, output: str | None,
                    open_page: bool, audit: bool, screenshots: Path | None, output_format: str,
                    chromium: Path | None) -> None:
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

    With --audit, exit status 1 when the panel shows a red message on a state the user has not
    touched (a freshly applied template, or only dropdowns switched).
    """
    from generator.files import write_text_atomic
    from generator.preview.page import default_output, render_page
    from generator.validate.loading import load_template_file

    templates = load_template_file(template)
    preview = _preview_input(templates, diagram, element, template)

    if audit:
        from generator.preview.audit import audit_templates, format_report
        from generator.preview.browser import BrowserUnavailable

        try:
            report = audit_templates(preview, screenshots=screenshots, stem=template.stem, chromium=chromium)
        except BrowserUnavailable as problem:
            raise EtkError(f"--audit: {problem}") from None
        click.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False) if output_format == "json" else format_report(report))
        if report.errors:
            raise SystemExit(1)
        return
    if screenshots is not None:
        raise click.UsageError("--screenshots needs --audit")

    target = Path(output) if output else default_output(template)
    page = render_page(preview)
    try:
        write_text_atomic(target, page)
    except OSError as error:
        raise EtkError(f"{target}: cannot write the page: {error.strerror}") from None
    click.echo(f"etk: wrote the preview of {templates[0].get('id')} ({len(page) // 1024} KiB, offline): {target}", err=True)
    if open_page:
        webbrowser.open(target.resolve().as_uri())


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
