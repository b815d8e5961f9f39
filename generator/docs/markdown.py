"""Markdown for the documentation pages: escaping for the Jinja2 templates, GitHub's heading
anchors, and the conversion of a generated Markdown page into the HTML page's body.

The HTML page is the Markdown page converted (CommonMark plus tables, raw HTML off), so the two
always say the same thing. The conversion gives headings the ids GitHub gives them (a link
`page.md#authentication` works on GitHub and, as `page.html#authentication`, in the HTML site),
points links between pages at the HTML pages, and embeds images as data URIs so an HTML page is
one self-contained file.
"""

from __future__ import annotations

import base64
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from posixpath import normpath
from typing import Any
from urllib.parse import unquote, urlsplit

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml as escape_html
from markdown_it.token import Token

# Markdown syntax characters; `_` only where it could open or close emphasis, `&` only before
# what would read as an HTML entity
_MARKDOWN_SPECIAL = re.compile(r"[\\`*\[\]<>|#]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])|&(?=#?\w+;)")
_IMAGE_TYPES = {".png": "image/png", ".svg": "image/svg+xml", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}
PANEL_SCREENSHOT_ALT = "The properties panel with "  # how the pages' screenshot macro starts an image's text
# the pages' screenshot macro folds a screenshot on GitHub (raw HTML there, text to the pages' dialect)
_FOLD_OPENING, _FOLD_CLOSING = "<details><summary>", "</details>"


def parser() -> MarkdownIt:
    """The Markdown dialect of the pages: CommonMark with GitHub's tables, raw HTML off."""
    return MarkdownIt("commonmark", {"html": False}).enable("table")


def escape_text(value: object) -> str:
    """Text that Markdown shows literally, on one line (safe inside a table cell)."""
    text = " ".join(str(value).split())
    return _MARKDOWN_SPECIAL.sub(lambda match: "\\" + match.group(0), text)


def code_span(value: object) -> str:
    """A code span showing `value` exactly, on one line (safe inside a table cell)."""
    text = " ".join(str(value).splitlines()).replace("|", "\\|")
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    # CommonMark strips one space from both ends of a span that has text and both spaces
    padded = text[:1] == "`" or text[-1:] == "`" or (text[:1] == " " and text[-1:] == " " and text.strip())
    padding = " " if padded else ""
    return f"{fence}{padding}{text}{padding}{fence}"


def code_block(text: str, language: str = "") -> str:
    """A fenced code block holding `text` exactly."""
    longest = max((len(run) for run in re.findall(r"^`{3,}", text, flags=re.MULTILINE)), default=2)
    fence = "`" * (longest + 1)
    return f"{fence}{language}\n{text.rstrip(chr(10))}\n{fence}"


def one_line(markdown: object) -> str:
    """Author-written Markdown folded onto one line (for a table cell or a list item)."""
    return " ".join(str(markdown).split()).replace("|", "\\|")


def slugify(heading: str) -> str:
    """The anchor GitHub gives a heading with this text (before de-duplication)."""
    text = heading.strip().lower()
    kept = "".join(
        character
        for character in text
        if character in " -_" or unicodedata.category(character)[0] in ("L", "N") or unicodedata.category(character) == "Mc"
    )
    return kept.replace(" ", "-")


class Slugger:
    """GitHub's anchors for the headings of one page, in order: repeated texts get `-1`, `-2`, ..."""

    def __init__(self) -> None:
        self._seen: dict[str, int] = {}

    def slug(self, heading: str) -> str:
        base = slugify(heading)
        count = self._seen.get(base, 0)
        self._seen[base] = count + 1
        return base if count == 0 else f"{base}-{count}"


def _inline_text(token: Token) -> str:
    """The plain text of an inline token (what GitHub slugs): code spans without backticks."""
    return "".join(child.content for child in token.children or () if child.type in ("text", "code_inline"))


def headings(markdown: str) -> list[tuple[int, str, str]]:
    """`(level, text, anchor)` of every heading of a Markdown page, in order."""
    tokens = parser().parse(markdown)
    slugger = Slugger()
    found = []
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            text = _inline_text(tokens[index + 1])
            found.append((int(token.tag[1:]), text, slugger.slug(text)))
    return found


def links(markdown: str) -> Iterator[tuple[str, str]]:
    """`(kind, target)` of every link (`link`) and image (`image`) of a Markdown page."""
    for token in parser().parse(markdown):
        for child in token.children or ():
            if child.type == "link_open":
                yield "link", str(child.attrGet("href") or "")
            elif child.type == "image":
                yield "image", str(child.attrGet("src") or "")


def is_external(target: str) -> bool:
    """A link that leaves the generated site (a URL with a scheme, or `//host/...`)."""
    parts = urlsplit(target)
    return bool(parts.scheme) or target.startswith("//")


def resolve(page: str, target: str) -> tuple[str, str]:
    """`(file, fragment)` a relative link of `page` points at, as a path inside the site."""
    parts = urlsplit(target)
    if not parts.path:
        return page, unquote(parts.fragment)
    folder = page.rpartition("/")[0]
    joined = normpath(f"{folder}/{unquote(parts.path)}" if folder else unquote(parts.path))
    return joined, unquote(parts.fragment)


def to_html(markdown: str, page: str, read_file: Callable[[str], bytes | None]) -> str:
    """The HTML body of a Markdown page of the site.

    Headings get GitHub's ids; relative links to `*.md` pages point at the `*.html` pages;
    relative images become data URIs (`read_file(site path)` gives their bytes, None when the
    file is not part of the site: the link then stays and the link check reports it).
    """
    md = parser()
    md.add_render_rule("code_inline", _code_inline)
    tokens = md.parse(markdown)
    slugger = Slugger()
    in_cell = False
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            token.attrSet("id", slugger.slug(_inline_text(tokens[index + 1])))
        in_cell = token.type in ("th_open", "td_open") or (in_cell and token.type == "inline")
        for child in token.children or ():
            if child.type == "code_inline" and in_cell:
                child.meta["break_after_underscore"] = True
            elif child.type == "link_open":
                child.attrSet("href", html_target(str(child.attrGet("href") or "")))
            elif child.type == "image":
                source = str(child.attrGet("src") or "")
                if not is_external(source):
                    data = read_file(resolve(page, source)[0])
                    suffix = "." + source.rpartition(".")[2].lower()
                    if data is not None and suffix in _IMAGE_TYPES:
                        child.attrSet("src", data_uri(data, _IMAGE_TYPES[suffix]))
    return str(md.renderer.render(_screenshots_beside_prose(tokens), md.options, {}))


def _screenshots_beside_prose(tokens: list[Token]) -> list[Token]:
    """Each panel screenshot paragraph (`class="panel-shot"`) and the prose that follows it, up to
    the next heading, table or table label, in one `<div class="panel-beside">` (prose in a `<div
    class="panel-text">`): the stylesheet sets the two side by side, the screenshot's scrolling
    box as high as the prose, so no empty region opens beside a tall screenshot. The fold that
    keeps a screenshot closed on GitHub (`<details><summary>...</summary>`, then `</details>`:
    text to the pages' dialect, which has raw HTML off) is left out: the box shows it open."""
    result: list[Token] = []
    index = 0
    while index < len(tokens):
        folded = _paragraph_text(tokens, index).startswith(_FOLD_OPENING) and _is_panel_screenshot(tokens, index + 3)
        if folded:
            index += 3
        elif not _is_panel_screenshot(tokens, index):
            result.append(tokens[index])
            index += 1
            continue
        tokens[index].attrSet("class", "panel-shot")
        screenshot, index = tokens[index:index + 3], index + 3
        if folded and _paragraph_text(tokens, index) == _FOLD_CLOSING:
            index += 3
        prose_end = index
        while (block_end := _prose_block_end(tokens, prose_end)) is not None:
            prose_end = block_end
        if prose_end == index:
            result += screenshot
            continue
        result += [_html('<div class="panel-beside">\n'), *screenshot, _html('<div class="panel-text">\n'),
                   *tokens[index:prose_end], _html("</div>\n</div>\n")]
        index = prose_end
    return result


def _paragraph_text(tokens: Sequence[Token], index: int) -> str:
    """The source text of the top-level paragraph at `index` ("" for anything else)."""
    if index >= len(tokens) or tokens[index].type != "paragraph_open" or tokens[index].level != 0:
        return ""
    return tokens[index + 1].content


def _is_panel_screenshot(tokens: Sequence[Token], index: int) -> bool:
    """A top-level paragraph holding nothing but one panel screenshot."""
    if index >= len(tokens) or tokens[index].type != "paragraph_open" or tokens[index].level != 0:
        return False
    children = tokens[index + 1].children or []
    return len(children) == 1 and children[0].type == "image" and children[0].content.startswith(PANEL_SCREENSHOT_ALT)


def _prose_block_end(tokens: Sequence[Token], index: int) -> int | None:
    """Where the top-level block at `index` ends when it is prose (a paragraph that labels no
    table, a list, a quote, a code block); None for anything else (a heading, a table, a rule)."""
    if index >= len(tokens) or tokens[index].type not in _PROSE_BLOCKS:
        return None
    if tokens[index].nesting == 0:
        return index + 1
    end = next(position for position in range(index + 1, len(tokens))
               if tokens[position].level == 0 and tokens[position].nesting == -1)
    labels_a_table = tokens[index].type == "paragraph_open" and end + 1 < len(tokens) and tokens[end + 1].type == "table_open"
    return None if labels_a_table or _is_panel_screenshot(tokens, index) else end + 1


_PROSE_BLOCKS = frozenset(("paragraph_open", "bullet_list_open", "ordered_list_open", "blockquote_open", "fence", "code_block"))


def _html(content: str) -> Token:
    return Token("html_block", "", 0, content=content, block=True)


def _code_inline(self: Any, tokens: Sequence[Token], index: int, options: Any, env: Any) -> str:
    """A code span; in a table cell it may break after `_` (an id such as
    `completionsExtension_embeddingDeploymentName` then fits a narrow column unbroken inside a word)."""
    token = tokens[index]
    text = escape_html(token.content)
    if token.meta.get("break_after_underscore"):
        text = text.replace("_", "_<wbr>")
    return f"<code{self.renderAttrs(token)}>{text}</code>"


def html_target(target: str) -> str:
    """A link of a Markdown page as the HTML page writes it (`x.md#a` -> `x.html#a`)."""
    if is_external(target):
        return target
    parts = urlsplit(target)
    if parts.path.endswith(".md"):
        path = parts.path[: -len(".md")] + ".html"
        return path + (f"#{parts.fragment}" if parts.fragment else "")
    return target


def data_uri(data: bytes, media_type: str) -> str:
    return f"data:{media_type};base64,{base64.b64encode(data).decode('ascii')}"
