"""Markdown helpers of the pages: escaping, code spans and blocks, GitHub's anchors, the HTML
conversion (ids, links to HTML pages, embedded images) and the tidy step."""

from __future__ import annotations

import base64

import pytest
from markdown_it import MarkdownIt

from generator.docs.markdown import (
    code_block,
    code_span,
    escape_text,
    headings,
    html_target,
    links,
    resolve,
    slugify,
    to_html,
)
from generator.docs.render import tidy_markdown

RENDER = MarkdownIt("commonmark", {"html": False}).enable("table")


@pytest.mark.parametrize(
    "text",
    [
        "Your resource, the <resource-name> in https://<resource-name>.openai.azure.com.",
        "=[{\"role\": \"system\"}] and *stars* and _under_ and `tick` | pipe # hash",
        "AT&T &lt; &#39; [link](x) ![image](y) \\backslash",
        "AZURE_OAI_SECRET and {{secrets.AZURE_OAI_SECRET}}",
    ],
)
def test_escaped_text_renders_as_itself(text):
    html = RENDER.render(f"| a |\n|---|\n| {escape_text(text)} |\n")
    cell = html.split("<td>", 1)[1].split("</td>", 1)[0]
    expected = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    assert cell == expected


def test_escaping_leaves_words_with_underscores_alone():
    assert escape_text("AZURE_OAI_SECRET _x_") == "AZURE_OAI_SECRET \\_x\\_"


@pytest.mark.parametrize("text", ["plain", "a `tick` b", "``double``", "`edge", "a | b", " spaced ", "<x> & y"])
def test_code_spans_show_their_text(text):
    html = RENDER.render(f"| a |\n|---|\n| {code_span(text)} |\n")
    shown = html.split("<code>", 1)[1].split("</code>", 1)[0]
    assert shown == text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def test_a_code_block_fence_is_longer_than_any_in_the_text():
    block = code_block("```\ninner\n```", "md")
    assert block == "````md\n```\ninner\n```\n````"
    assert RENDER.render(block) == '<pre><code class="language-md">```\ninner\n```\n</code></pre>\n'


@pytest.mark.parametrize(
    ("heading", "slug"),
    [
        ("Example: Chat completion, as in Camunda's documentation", "example-chat-completion-as-in-camundas-documentation"),
        ("Completions extension (on your data)", "completions-extension-on-your-data"),
        ("The `api-version` rule", "the-api-version-rule"),
        ("Version 2", "version-2"),
        ("Ünïcode ß and 日本", "ünïcode-ß-and-日本"),
    ],
)
def test_slugs_are_githubs(heading, slug):
    assert slugify(heading) == slug


def test_repeated_headings_get_numbered_anchors():
    assert headings("# A\n\n## Message\n\n### Message\n\n## `Message`\n") == [
        (1, "A", "a"), (2, "Message", "message"), (3, "Message", "message-1"), (2, "Message", "message-2"),
    ]


def test_links_and_images_of_a_page():
    assert list(links("[a](x.md#b) ![i](images/p.png) <https://example.com>\n\n| [c](#d) |\n|---|\n")) == [
        ("link", "x.md#b"), ("image", "images/p.png"), ("link", "https://example.com"), ("link", "#d"),
    ]


def test_resolving_relative_links():
    assert resolve("index.md", "azure-openai.md#example") == ("azure-openai.md", "example")
    assert resolve("sub/page.md", "../images/a%20b.png") == ("images/a b.png", "")
    assert resolve("page.md", "#top") == ("page.md", "top")


def test_html_links_point_at_html_pages():
    assert html_target("rest.md#fields") == "rest.html#fields"
    assert html_target("rest.md") == "rest.html"
    assert html_target("https://example.com/a.md") == "https://example.com/a.md"
    assert html_target("images/icon.svg") == "images/icon.svg"


def test_the_html_body_has_ids_html_links_and_embedded_images():
    png = b"\x89PNG\r\n\x1a\nfake"
    html = to_html(
        "# Title\n\n## Fields\n\n[rest](rest.md#fields) ![panel](images/a.png) ![gone](images/missing.png)\n",
        "page.md",
        {"images/a.png": png}.get,
    )
    assert '<h1 id="title">Title</h1>' in html
    assert '<h2 id="fields">Fields</h2>' in html
    assert '<a href="rest.html#fields">rest</a>' in html
    assert f'<img src="data:image/png;base64,{base64.b64encode(png).decode()}" alt="panel" />' in html
    assert '<img src="images/missing.png" alt="gone" />' in html  # left for the link check to report


def test_a_panel_screenshot_and_the_prose_after_it_share_one_block_the_tables_stay_below():
    """The HTML page sets a screenshot beside the prose that follows it (no float that leaves an
    empty region beside a short text): the prose ends at a table's label, a heading or a table.
    The fold that keeps the screenshot closed on GitHub is left out."""
    markdown = ("## Chat\n\n<details><summary>Screenshot: the properties panel with Chat</summary>\n\n"
                "![The properties panel with Chat](a.png)\n\n</details>\n\nIntro.\n\n- a step\n\n"
                "**Message**\n\n| Field |\n|---|\n| Role |\n\n## Fields\n\n![The properties panel with List](b.png)\n\n"
                "## Next\n\n![Another picture](c.png)\n\nText.\n")
    html = to_html(markdown, "page.md", lambda path: None)
    assert html == (
        '<h2 id="chat">Chat</h2>\n'
        '<div class="panel-beside">\n'
        '<p class="panel-shot"><img src="a.png" alt="The properties panel with Chat" /></p>\n'
        '<div class="panel-text">\n<p>Intro.</p>\n<ul>\n<li>a step</li>\n</ul>\n</div>\n</div>\n'
        "<p><strong>Message</strong></p>\n"
        "<table>\n<thead>\n<tr>\n<th>Field</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td>Role</td>\n</tr>\n</tbody>\n</table>\n"
        '<h2 id="fields">Fields</h2>\n'
        '<p class="panel-shot"><img src="b.png" alt="The properties panel with List" /></p>\n'  # nothing to sit beside
        '<h2 id="next">Next</h2>\n<p><img src="c.png" alt="Another picture" /></p>\n<p>Text.</p>\n')


def test_tidy_markdown_spaces_blocks_and_keeps_code_exactly():
    text = "# T\nintro  \n\n\n\n## A\ntext\n```json\n{\n\n\n  \"a\": 1   \n}\n```\nafter\n[TOC]\n"
    assert tidy_markdown(text) == (
        "# T\n\nintro\n\n## A\n\ntext\n\n```json\n{\n\n\n  \"a\": 1   \n}\n```\n\nafter\n- [A](#a)\n"
    )
