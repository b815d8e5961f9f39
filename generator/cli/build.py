"""`etk build`: render connector definitions into element templates in dist/ (or check that dist/ is current)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from generator.build import apply_plan, plan_build
from generator.cli.docs import screenshot_taker, start_example_service
from generator.definition import display_path
from generator.errors import EtkError


@click.command("build")
@click.argument("templates_dir", required=False, default="templates", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    "dist_dir",
    default="dist",
    show_default=True,
    type=click.Path(path_type=Path),
    help="Folder the element templates are written to.",
)
@click.option("--check", is_flag=True, help="Write nothing; exit 1 when dist/ is stale or a version bump is missing.")
@click.option(
    "--diagrams",
    is_flag=True,
    help="Also write an example diagram per template to DIST_DIR/examples/<name>.bpmn (with --check: check them).",
)
@click.option(
    "--docs",
    is_flag=True,
    help="Also write the documentation pages to DIST_DIR/docs/ (see `etk docs`; with --check: check them).",
)
@click.option(
    "--no-screenshots",
    "no_screenshots",
    is_flag=True,
    help="With --docs: take no panel screenshots (Chromium); a page without stored ones shows placeholders.",
)
@click.option(
    "--docs-templates",
    "docs_templates",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="With --docs: a folder of Jinja2 templates used before the built-in ones (as `etk docs --templates`).",
)
def build_command(
    templates_dir: Path, dist_dir: Path, check: bool, diagrams: bool, docs: bool, no_screenshots: bool,
    docs_templates: Path | None,
) -> None:
    """Render every TEMPLATES_DIR/<name>.yaml (default: templates/) into DIST_DIR/<name>.json.

    Each template is checked (definition, generated FEEL, template rules, example values) before
    anything is written, and all files are written or none. When a template changes, its
    definition's `version` must be bumped: the previous file then moves to
    DIST_DIR/versioned/<name>-<old>.json. With --diagrams, DIST_DIR/examples/<name>.bpmn is an
    executable example process with the template applied and the definition's `example` values
    typed in; without it, DIST_DIR/examples/ is left alone. With --docs, DIST_DIR/docs/ holds
    a reference page per template (Markdown and HTML) and an index, as `etk docs` writes them
    (--docs-templates: your own Jinja2 templates first, as `etk docs --templates`).

    \b
    Examples:
      etk build                    # templates/ -> dist/
      etk build --diagrams         # ... and dist/examples/*.bpmn
      etk build --docs             # ... and dist/docs/ (pages, examples run on loopback fakes)
      etk build --check --diagrams --docs  # CI: fail when dist/ is not what templates/ renders
      etk build --docs --docs-templates my-jinja  # pages from your own page.md.j2, style.css, ...
      etk build my-templates -o out
    """
    if docs_templates is not None and not docs:
        raise click.UsageError("--docs-templates is for the documentation pages: add --docs")
    if dist_dir.exists() and not dist_dir.is_dir():
        raise EtkError(f"{display_path(dist_dir)}: is a file; -o/--output names the folder the templates go to")
    plan = plan_build(
        templates_dir,
        dist_dir,
        diagrams=diagrams,
        docs=start_example_service if docs else None,
        take_screenshots=screenshot_taker(docs and not check and not no_screenshots),
        docs_templates=docs_templates,
        stage=not check,
    )
    if check:
        stale = [action.describe_stale() for action in plan.pending] + [action.describe_stale() for action in plan.pending_docs]
        problems = stale + [refusal.message for refusal in plan.refusals]
        for line in problems:
            click.echo(line)
        if problems:
            click.echo(f"{display_path(dist_dir)} is not up to date: {_count(len(problems), 'problem')}", err=True)
            sys.exit(1)
        covered = [_count(plan.count(example=False), "template")]
        if diagrams:
            covered.append(_count(plan.count(example=True), "example diagram"))
        if docs:
            covered.append(_count(plan.count(example=False), "documentation page"))
        click.echo(f"{display_path(dist_dir)} is up to date ({', '.join(covered)})")
        return
    try:
        apply_plan(plan)
    except OSError as error:
        where = display_path(Path(error.filename)) if error.filename else display_path(dist_dir)
        raise EtkError(f"{where}: cannot write: {error.strerror or error}") from None
    for action in [*plan.actions, *(plan.docs or ())]:
        click.echo(action.describe())
    if not plan.pending and not plan.pending_docs:
        click.echo("nothing changed")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'s' if number != 1 else ''}"
