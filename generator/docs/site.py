"""The documentation site: every page planned in memory, its links checked, then written or compared.

`plan_site` renders the whole site (a page per definition in Markdown and HTML, the index in
both, the panel screenshots the pages show) without writing anything; it fails when a link
inside the site is broken. `site_actions` compares the plan with a folder on disk, `write_site`
writes what differs, each file atomically. Same inputs, same bytes: the site is deterministic.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Literal
from urllib.parse import unquote_to_bytes

from generator.definition import DefinitionError, display_path
from generator.definition.model import Definition
from generator.docs import markdown
from generator.docs.example import StartService, run_documented_example
from generator.docs.page import ConnectorPage, build_page
from generator.docs.render import INDEX, PageRenderer
from generator.docs.screenshots import (
    RECORD,
    Screenshot,
    images_folder,
    record,
    recorded_files,
)
from generator.docs.versions import older_versions, version_history
from generator.element_template import Template
from generator.errors import EtkError
from generator.files import write_bytes_atomic
from generator.problems import Location, Problem, ProblemsError


@dataclass
class DocsSite:
    """The generated files, by path inside the site (POSIX separators)."""

    files: dict[str, bytes] = field(default_factory=dict)
    pages: list[ConnectorPage] = field(default_factory=list)

    def read(self, path: str) -> bytes | None:
        return self.files.get(path)


@dataclass(frozen=True)
class DocsAction:
    """What happens to one file of the docs folder."""

    kind: Literal["new", "update", "unchanged", "remove"]
    path: Path
    data: bytes | None = None

    def describe(self) -> str:
        where = display_path(self.path)
        return {"unchanged": "unchanged", "remove": "removed"}.get(self.kind, "wrote") + f" {where}"

    def describe_stale(self) -> str:
        where = display_path(self.path)
        if self.kind == "new":
            return f"missing {where}: run `etk build --docs` (or `etk docs`)"
        if self.kind == "remove":
            return (
                f"stale {where}: a panel screenshot of another template or other example values: run `etk build --docs` "
                f"(or `etk docs`; with Chromium it takes new ones)"
            )
        return f"stale {where}: it differs from what its definition documents: run `etk build --docs` (or `etk docs`)"


def plan_site(
    built: Sequence[tuple[Definition, Template]],
    dist_dir: Path,
    *,
    start_service: StartService,
    template_dir: Path | None = None,
    screenshots: Sequence[Screenshot] = (),
) -> DocsSite:
    """Render the site for `built` (each definition with its built template).

    Older versions come from `dist_dir` (`versioned/`). Raises `DefinitionError` when an
    example cannot run (at the definition's lines), `EtkError` for a broken link or template.
    """
    renderer = PageRenderer(template_dir)
    site = DocsSite()
    problems: list[Problem] = []
    for definition, template in sorted(built, key=lambda item: item[0].stem):
        example, found = run_documented_example(definition, template, start_service)
        problems += found
        older = older_versions(dist_dir, definition.stem, str(template.get("id")), int(template.get("version", 0)))
        folder = images_folder(definition.stem)
        mine = [shot for shot in screenshots if shot.stem == definition.stem]
        shots = {}
        for shot in mine:
            site.files[f"{folder}/{shot.file_name}"] = shot.png
            shots[shot.operation] = f"{folder}/{shot.file_name}"
        if mine:
            site.files[f"{folder}/{RECORD}"] = record(template, mine)
        icon = _icon_file(template)
        if icon is not None:
            site.files[f"{folder}/icon{icon[0]}"] = icon[1]
        site.pages.append(
            build_page(
                definition,
                template,
                example=example,
                versions=version_history(template, older),
                older_versions=[int(item.get("version", 0)) for item in older],
                screenshots=shots,
                icon_file=f"{folder}/icon{icon[0]}" if icon is not None else None,
            )
        )
    if problems:
        raise DefinitionError(problems)
    site.pages.sort(key=lambda page: (page.name.lower(), page.stem))
    index_md = f"{INDEX}.md"
    for page in site.pages:
        text = renderer.page_markdown(page, index_md)
        site.files[page.markdown_file] = text.encode("utf-8")
        html = renderer.html(text, path=page.markdown_file, title=page.name, read_file=site.read, page=page, index_file=f"{INDEX}.html")
        site.files[page.html_file] = html.encode("utf-8")
    index = renderer.index_markdown(site.pages)
    site.files[index_md] = index.encode("utf-8")
    site.files[f"{INDEX}.html"] = renderer.html(index, path=index_md, title="Connectors", read_file=site.read).encode("utf-8")
    broken = broken_links(site)
    if broken:
        raise EtkError(f"the documentation has {len(broken)} broken link{'s' if len(broken) != 1 else ''}:\n" + "\n".join(broken))
    return site


_ICON_SUFFIXES = {"image/svg+xml": ".svg", "image/png": ".png"}


def _icon_file(template: Template) -> tuple[str, bytes] | None:
    """`(suffix, bytes)` of the template's icon when it is an SVG or PNG data URI."""
    icon = template.get("icon")
    contents = icon.get("contents") if isinstance(icon, Mapping) else None
    if not isinstance(contents, str) or not contents.startswith("data:"):
        return None
    header, _, data = contents[len("data:"):].partition(",")
    media_type, *parameters = header.split(";")
    suffix = _ICON_SUFFIXES.get(media_type)
    if suffix is None:
        return None
    try:
        return suffix, base64.b64decode(data, validate=True) if "base64" in parameters else unquote_to_bytes(data)
    except binascii.Error:
        return None


# ---- links --------------------------------------------------------------------------------------


class _HtmlLinks(HTMLParser):
    """Collects the ids, links (`a href`) and images (`img src`) of an HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.targets: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(str(values["id"]))
        if tag == "a" and values.get("href") is not None:
            self.targets.append(("link", str(values["href"])))
        if tag == "img" and values.get("src") is not None:
            self.targets.append(("image", str(values["src"])))


def _anchors_and_targets(path: str, data: bytes) -> tuple[set[str], list[tuple[str, str]]]:
    text = data.decode("utf-8")
    if path.endswith(".md"):
        return {slug for _, _, slug in markdown.headings(text)}, list(markdown.links(text))
    if path.endswith(".html"):
        parser = _HtmlLinks()
        parser.feed(text)
        return parser.ids, parser.targets
    return set(), []


def broken_links(site: DocsSite) -> list[str]:
    """Every link or image of a page that points inside the site at a file or anchor it lacks."""
    parsed = {path: _anchors_and_targets(path, data) for path, data in site.files.items() if path.endswith((".md", ".html"))}
    broken = []
    for path in sorted(parsed):
        for kind, target in parsed[path][1]:
            if markdown.is_external(target):
                continue
            file, fragment = markdown.resolve(path, target)
            if file not in site.files:
                broken.append(f"{path}: {kind} {target!r} points to {file}, which the site does not have")
            elif fragment and fragment not in parsed.get(file, (set(), []))[0]:
                broken.append(f"{path}: {kind} {target!r} points to a missing anchor #{fragment} of {file}")
    return broken


# ---- writing and checking -----------------------------------------------------------------------


def site_actions(site: DocsSite, docs_dir: Path) -> tuple[list[DocsAction], list[Problem]]:
    """Per generated file what writing the site would do (screenshots of an older template go),
    and refusals: files in `docs_dir` that the site does not generate (a removed connector or
    operation)."""
    docs_dir = Path(docs_dir)
    actions = []
    for relative in sorted(site.files):
        target = docs_dir / relative
        data = site.files[relative]
        if not target.is_file():
            actions.append(DocsAction("new", target, data))
        elif target.read_bytes() == data:
            actions.append(DocsAction("unchanged", target))
        else:
            actions.append(DocsAction("update", target, data))
    outdated = {path for page in site.pages for path in recorded_files(docs_dir, page.stem)} - set(site.files)
    actions += [DocsAction("remove", docs_dir / path) for path in sorted(outdated) if (docs_dir / path).is_file()]
    refusals = []
    if docs_dir.is_dir():
        for existing in sorted(docs_dir.rglob("*")):
            relative = existing.relative_to(docs_dir).as_posix()
            if existing.is_file() and relative not in site.files and relative not in outdated and not existing.name.startswith("."):
                where = display_path(existing)
                message = f"{where} is not generated from any definition: delete it if its connector or operation was removed"
                refusals.append(Problem("error", "orphan", message, Location(where)))
    return actions, refusals


def refuse_docs_if_blocked(refusals: Sequence[Problem]) -> None:
    """Raise a `ProblemsError` listing every refusal; nothing may be written then."""
    if refusals:
        count = len(refusals)
        lines = [f"nothing written: {count} problem{'s' if count != 1 else ''} with the docs folder"]
        raise ProblemsError(list(refusals), "\n".join([*lines, *(refusal.message for refusal in refusals)]))


def write_site(actions: Sequence[DocsAction], refusals: Sequence[Problem]) -> None:
    """Write every new or changed file (images before pages), each atomically; nothing at all
    when there are refusals."""
    refuse_docs_if_blocked(refusals)
    for action in actions:
        if action.kind == "remove":
            action.path.unlink(missing_ok=True)
    pending = [action for action in actions if action.data is not None]
    for action in sorted(pending, key=lambda item: (item.path.suffix != ".png", str(item.path))):
        assert action.data is not None
        write_bytes_atomic(action.path, action.data)
