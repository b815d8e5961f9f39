"""The generated HTML pages in headless Chromium (Debian's, driven by Playwright): each renders,
every link inside the site resolves to an existing page and anchor, every image loads, and
nothing is fetched from the network."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urldefrag

import pytest

from generator.preview.browser import chromium_context
from tests.docs.conftest import copy_docs
from tests.etk_cli import etk

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def browser_context(browser_available: None) -> Iterator[object]:
    """etk's headless Chromium (fresh profile, etk's flags, offline) that may only load file: and
    data: URLs; what else a page asks for is recorded in `context.blocked`."""
    with chromium_context() as context:
        blocked: list[str] = []

        def only_local(route: object) -> None:
            url = route.request.url  # type: ignore[attr-defined]
            if url.startswith(("file:", "data:")):
                route.continue_()  # type: ignore[attr-defined]
            else:
                blocked.append(url)
                route.abort()  # type: ignore[attr-defined]

        context.route("**/*", only_local)
        context.blocked = blocked  # type: ignore[attr-defined]
        yield context


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's pages, freshly generated (test_site checks dist/docs/ is the same)."""
    out = copy_docs(tmp_path_factory.mktemp("site"))
    result = etk("docs", str(REPO / "templates"), "-o", str(out), "--dist", str(REPO / "dist"))
    assert result.exit_code == 0, result.output
    return out


def html_pages(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.glob("*.html"))


def test_every_html_page_renders_with_its_links_and_images(browser_context, site):
    pages = html_pages(site)
    assert pages == ["azure-openai.html", "index.html", "rest.html"]
    page = browser_context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    targets: dict[str, set[str]] = {}
    for name in pages:
        response = page.goto((site / name).as_uri())
        assert response is not None and response.ok, name
        heading = page.locator("main h1")
        assert heading.count() == 1 and heading.is_visible(), name
        assert page.title() == heading.inner_text() or name == "index.html"
        assert page.evaluate("document.body.scrollHeight") > 300, name
        images = page.evaluate("[...document.images].map(image => [image.complete, image.naturalWidth, image.src.slice(0, 30)])")
        assert images, name  # the connector icon at least
        assert all(complete and width > 0 for complete, width, _ in images), (name, images)
        for href in page.evaluate("[...document.querySelectorAll('a[href]')].map(a => a.href)"):
            if href.startswith("file:"):
                url, fragment = urldefrag(href)
                targets.setdefault(url, set()).add(fragment)
    assert len(targets) == 3  # every page is linked from somewhere
    for url, fragments in sorted(targets.items()):
        response = page.goto(url)
        assert response is not None and response.ok, url
        missing = [fragment for fragment in sorted(fragments) if fragment and not page.evaluate("id => !!document.getElementById(id)", fragment)]
        assert missing == [], (url, missing)
    assert errors == []
    assert browser_context.blocked == []


def test_the_azure_page_shows_the_example_and_the_tables(browser_context, site):
    page = browser_context.new_page()
    page.goto((site / "azure-openai.html").as_uri())
    assert page.locator("header .title").inner_text() == "Azure OpenAI Connector"
    assert page.locator("header img.icon").evaluate("image => image.naturalWidth") > 0
    assert page.locator("table").count() > 10
    page.locator('a[href="#example-chat-completion-as-in-camundas-documentation"]').first.click()
    assert page.evaluate("location.hash") == "#example-chat-completion-as-in-camundas-documentation"
    example = page.locator("#example-chat-completion-as-in-camundas-documentation")
    assert example.evaluate("heading => heading.getBoundingClientRect().top") < 5  # scrolled to it
    result = page.locator("pre code.language-json").nth(4).inner_text()
    assert '"content": "The age of the universe is estimated to be around 13.8 billion years.' in result
    placeholder = page.locator("blockquote", has_text="Screenshot placeholder")
    if placeholder.count():
        assert placeholder.count() == 3 and placeholder.first.is_visible()


_PANEL_LAYOUT = """() => [...document.querySelectorAll('p.panel-shot')].map(shot => {
    const box = shot.getBoundingClientRect(), text = shot.parentElement.querySelector(':scope > .panel-text');
    const prose = text ? text.getBoundingClientRect() : null;
    return {shot: [box.left, box.top, box.width, box.height], text: prose && [prose.left, prose.top, prose.right, prose.height],
            image: shot.querySelector('img').naturalHeight, float: getComputedStyle(shot).float};
})"""


@pytest.mark.parametrize("width", [1280, 800])
@pytest.mark.parametrize(("name", "screenshots"), [("rest.html", 1), ("azure-openai.html", 3)])
def test_a_panel_screenshot_sits_beside_its_text_without_an_empty_region(browser_context, site, name, screenshots, width):
    """The screenshot's box is as high as the text beside it (at least 320 px to be worth a look),
    so no region opens beside it; the text is to its left; the image is the full panel, scrolled."""
    page = browser_context.new_page()
    page.set_viewport_size({"width": width, "height": 900})
    page.goto((site / name).as_uri())
    if page.locator("blockquote", has_text="Screenshot placeholder").count():
        pytest.skip("the pages show placeholders: no screenshots were taken")
    layouts = page.evaluate(_PANEL_LAYOUT)
    assert len(layouts) == screenshots
    for layout in layouts:
        (left, top, box_width, height), (text_left, text_top, text_right, text_height) = layout["shot"], layout["text"]
        assert layout["float"] == "none"
        assert text_left < text_right <= left and abs(text_top - top) < 1, layout  # side by side, tops aligned
        assert abs(height - max(text_height, 320)) < 1, layout  # as high as the text: nothing empty beside it
        assert abs(box_width - min(443, 0.48 * (width - 48))) < 1, layout  # main's padding: 24 px a side
        assert layout["image"] > height  # the box scrolls through the whole panel


def test_a_narrow_page_puts_the_text_above_the_screenshot(browser_context, site):
    page = browser_context.new_page()
    page.set_viewport_size({"width": 600, "height": 900})
    page.goto((site / "rest.html").as_uri())
    if page.locator("blockquote", has_text="Screenshot placeholder").count():
        pytest.skip("the pages show placeholders: no screenshots were taken")
    [layout] = page.evaluate(_PANEL_LAYOUT)
    (_, top, box_width, height), (_, text_top, _, text_height) = layout["shot"], layout["text"]
    assert top >= text_top + text_height and height == 680 and box_width <= 443, layout
