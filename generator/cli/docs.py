"""`etk docs`: write the connector documentation pages (Markdown, HTML, index) into dist/docs/."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from generator.definition import display_path
from generator.errors import EtkError

if TYPE_CHECKING:
    from generator.definition.model import ScriptedReply
    from generator.docs import ScreenshotPlan, TakeScreenshots


@dataclass(frozen=True)
class _Endpoint:
    port: int
    ca_file: Path | None
    description: str


@contextmanager
def start_example_service(
    service: str | ScriptedReply, *, host: str, credentials: tuple[str, ...], tls: bool
) -> Iterator[_Endpoint]:
    """Start the loopback service a docs example names: etk's fakes live in `generator.testing`,
    which only the command line may start."""
    from generator.definition.model import ScriptedReply
    from generator.testing.azure_openai import FakeAzureOpenAI
    from generator.testing.errors import FakeServiceError
    from generator.testing.reply import ReplyServer

    try:
        if isinstance(service, ScriptedReply):
            body = service.body
            data = b"" if body is None else body.encode("utf-8") if isinstance(body, str) else _json_bytes(body)
            with ReplyServer(status=service.status, headers=service.headers, body=data,
                             tls_names=(host,) if tls else (), credentials=credentials) as server:
                yield _Endpoint(server.port, server.ca_file if tls else None, "a loopback server answering with the scripted reply")
            return
        if service == "azure-openai":
            keys = credentials or ("test-api-key",)
            with FakeAzureOpenAI(api_keys=keys, tokens=credentials, tls=tls) as fake:
                yield _Endpoint(fake.port, fake.ca_file if tls else None, "etk's fake Azure OpenAI service on loopback")
            return
    except FakeServiceError as error:
        raise EtkError(str(error)) from None
    raise EtkError(f"unknown example service {service!r}: etk ships azure-openai")


def take_with_preview(plan: ScreenshotPlan) -> dict[str, bytes]:
    """A PNG of the panel per operation of `plan`, values typed in, from etk's panel preview
    tooling (`generator.preview`: the Modeler's own properties panel in headless Chromium); a
    warning for every red message a screenshot shows. Raises `BrowserUnavailable` when Chromium
    or Playwright is missing."""
    from generator.preview.audit import PanelValueError, panel_screenshots

    try:
        shots = panel_screenshots(plan.template, plan.values)
    except PanelValueError as error:
        raise EtkError(f"docs: the panel screenshots of {plan.stem}: {error}") from None
    for shot in shots:
        if shot.red_messages:
            click.echo(f"etk: warning: the panel screenshot of {plan.stem} ({shot.operation or 'no operation'}) shows "
                       f"red messages: {'; '.join(shot.red_messages)}; type values for them in `docs.screenshots`", err=True)
    return {shot.operation: shot.png for shot in shots}


def screenshot_taker(enabled: bool) -> TakeScreenshots | None:
    """What takes the panel screenshots a page lacks: `take_with_preview`, or nothing
    (`--no-screenshots`). Without Chromium or Playwright a note says so once and the pages show
    placeholders."""
    if not enabled:
        return None
    from generator.preview.browser import BrowserUnavailable

    unavailable: list[str] = []

    def take(plan: ScreenshotPlan) -> dict[str, bytes]:
        if unavailable:
            return {}
        try:
            return take_with_preview(plan)
        except BrowserUnavailable as error:
            unavailable.append(str(error))
            click.echo(f"etk: note: no panel screenshots ({error}); the pages show placeholders", err=True)
            return {}

    return take


def _json_bytes(value: Any) -> bytes:
    from generator.files import dump_json

    return dump_json(value).encode("utf-8")


@click.command("docs")
@click.argument("templates_dir", required=False, default="templates", type=click.Path(path_type=Path))
@click.option("-o", "--output", "docs_dir", type=click.Path(path_type=Path), default=None,
              help="Folder the pages are written to (default: DIST_DIR/docs).")
@click.option("--dist", "dist_dir", default="dist", show_default=True, type=click.Path(path_type=Path),
              help="Where the released templates are (older versions in DIST_DIR/versioned/).")
@click.option("--templates", "template_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="A folder of Jinja2 templates used before the built-in ones (page.md.j2, macros.md.j2, "
                   "index.md.j2, layout.html.j2, style.css).")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 when a page is missing or stale.")
@click.option("--no-screenshots", "no_screenshots", is_flag=True,
              help="Take no panel screenshots (Chromium): a page without stored ones shows placeholders.")
def docs_command(templates_dir: Path, docs_dir: Path | None, dist_dir: Path, template_dir: Path | None, check: bool,
                 no_screenshots: bool) -> None:
    """Write a reference page per connector definition in TEMPLATES_DIR (default: templates/),
    in Markdown (<name>.md) and as a self-contained HTML page (<name>.html), plus index.md and
    index.html listing every connector and version.

    Each page documents the template the definition builds: operations, prerequisites, how to
    create the task in the Modeler, authentication and connector secrets, a field table per
    operation in the panel's order, response handling, what changed per released version, and a
    usage example whose result is produced by running the definition's `example` with etk's
    runtime against a loopback fake (`docs.example` in the definition). Panel screenshots are
    taken in headless Chromium when the docs folder has none for the current template. Pages are
    deterministic, and a broken link inside the generated site fails the command.

    \b
    Examples:
      etk docs                     # templates/ -> dist/docs/
      etk docs --check             # CI: fail when dist/docs/ is stale
      etk docs my-templates -o site --templates my-jinja
    """
    from generator.build import DOCS, definition_files
    from generator.definition import load_definitions
    from generator.docs import gather_screenshots, plan_site, screenshot_plans, site_actions, write_site
    from generator.template import render

    docs_dir = docs_dir if docs_dir is not None else dist_dir / DOCS
    definitions = load_definitions(definition_files(templates_dir))
    built = [(definition, render(definition).template) for definition in definitions]
    take = screenshot_taker(not (check or no_screenshots))
    shots = gather_screenshots(screenshot_plans(built), docs_dir, take)
    site = plan_site(built, dist_dir, start_service=start_example_service, template_dir=template_dir, screenshots=shots)
    actions, refusals = site_actions(site, docs_dir)
    if check:
        problems = [action.describe_stale() for action in actions if action.kind != "unchanged"] + refusals
        for line in problems:
            click.echo(line)
        if problems:
            click.echo(f"{display_path(docs_dir)} is not up to date: {len(problems)} problem{'s' if len(problems) != 1 else ''}", err=True)
            sys.exit(1)
        click.echo(f"{display_path(docs_dir)} is up to date ({len(site.pages)} connector page{'s' if len(site.pages) != 1 else ''})")
        return
    write_site(actions, refusals)
    for action in actions:
        click.echo(action.describe())
    if all(action.kind == "unchanged" for action in actions):
        click.echo("nothing changed")
