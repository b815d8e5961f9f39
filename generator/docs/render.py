"""Render the pages with Jinja2: the Markdown page, then the HTML page made from it.

The templates live in this package (`generator/docs/templates/`); a folder given by the user is
searched first, so a user overrides any of them by giving a file of the same name
(`page.md.j2`, `macros.md.j2`, `index.md.j2`, `layout.html.j2`, `style.css`).
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from generator.docs import markdown
from generator.docs.page import ConnectorPage
from generator.errors import EtkError

PACKAGE_TEMPLATES = Path(__file__).resolve().parent / "templates"
TOC_MARKER = "[TOC]"
INDEX = "index"


class PageRenderer:
    """The Jinja2 environment of the documentation pages."""

    def __init__(self, template_dir: Path | None = None) -> None:
        loaders: list[jinja2.BaseLoader] = []
        if template_dir is not None:
            if not Path(template_dir).is_dir():
                raise EtkError(f"{template_dir}: no such folder (expected Jinja2 templates for etk docs)")
            loaders.append(jinja2.FileSystemLoader(str(template_dir)))
        loaders.append(jinja2.FileSystemLoader(str(PACKAGE_TEMPLATES)))
        self.env = jinja2.Environment(
            loader=jinja2.ChoiceLoader(loaders),
            autoescape=jinja2.select_autoescape(enabled_extensions=("html.j2",), default_for_string=False),
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.env.filters.update(
            md=markdown.escape_text,
            code=markdown.code_span,
            block=lambda text, language="": markdown.code_block(str(text), language),
            oneline=markdown.one_line,
            slug=markdown.slugify,
            shell=shlex.quote,
        )

    def _render(self, name: str, **context: Any) -> str:
        try:
            return self.env.get_template(name).render(**context)
        except jinja2.TemplateSyntaxError as error:
            raise EtkError(f"{error.filename or error.name}:{error.lineno}: {error.message}") from None
        except jinja2.TemplateError as error:
            raise EtkError(f"{name}: cannot render the documentation page: {error}") from None

    def page_markdown(self, page: ConnectorPage, index_file: str) -> str:
        return tidy_markdown(self._render("page.md.j2", page=page, index_file=index_file))

    def index_markdown(self, pages: Sequence[ConnectorPage]) -> str:
        return tidy_markdown(self._render("index.md.j2", pages=pages))

    def html(
        self,
        markdown_text: str,
        *,
        path: str,
        title: str,
        read_file: Callable[[str], bytes | None],
        page: ConnectorPage | None = None,
        index_file: str | None = None,
    ) -> str:
        """The HTML page of a Markdown page at site path `path` (self-contained: CSS inline,
        images as data URIs)."""
        body = Markup(markdown.to_html(markdown_text, path, read_file))
        icon = page.icon if page is not None else None
        html = self._render("layout.html.j2", title=title, body=body, icon=icon, page=page, index_file=index_file)
        return _strip_trailing_spaces(html)


def tidy_markdown(text: str) -> str:
    """Deterministic, tidy Markdown: the table of contents filled in, a blank line around every
    heading and code block, trailing spaces and runs of blank lines removed outside code
    blocks, one final newline."""
    lines: list[str] = []

    def blank() -> None:
        if lines and lines[-1] != "":
            lines.append("")

    fence: str | None = None
    after_block = False
    for line in text.split("\n"):
        if fence is not None:
            lines.append(line)
            if line.strip() == fence:
                fence, after_block = None, True
            continue
        line = line.rstrip()
        opening = re.match(r"^(`{3,}|~{3,})", line)
        if line == "":
            blank()
            continue
        if after_block or opening or line.startswith("#"):
            blank()
        lines.append(line)
        after_block = line.startswith("#")
        if opening:
            fence = opening.group(1)
    return _fill_toc("\n".join(lines).strip("\n") + "\n")


def _fill_toc(text: str) -> str:
    if f"\n{TOC_MARKER}\n" not in f"\n{text}":
        return text
    headings = markdown.headings(text)
    toc = "\n".join(f"- [{markdown.escape_text(title)}](#{slug})" for level, title, slug in headings if level == 2)
    return text.replace(f"\n{TOC_MARKER}\n", f"\n{toc}\n", 1) if not text.startswith(TOC_MARKER) else toc + text[len(TOC_MARKER):]


def _strip_trailing_spaces(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.split("\n")).strip("\n") + "\n"
