"""The `etk preview` page: one offline HTML file running Camunda's own Modeler libraries.

The page holds the template(s), a diagram and the id of the element to show; its script (the
committed bundle in `assets/`, built from the npm packages pinned in `tools/` by
`tools/build-preview-bundle.mjs`) imports the diagram, applies the newest template to the element
unless it already uses one, and shows the properties panel beside the BPMN XML of the element.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from jinja2 import Environment, select_autoescape
from markupsafe import Markup

from generator.apply.templates import select_template
from generator.bpmn.example import TEMPLATED_ID, example_diagram
from generator.element_template import Template

ASSET_NAMES = ("modeler.js", "modeler.css", "THIRD-PARTY-NOTICES.txt")


class PreviewAssetsMissing(RuntimeError):
    """The bundled Modeler assets are not installed (a broken installation)."""


@dataclass(frozen=True)
class PreviewInput:
    """What a preview page shows: the templates the Modeler knows, a diagram, and one element of it."""

    templates: list[Template]
    diagram: str
    element: str
    file_name: str

    @classmethod
    def for_template(cls, templates: list[Template], file_name: str = "preview.bpmn") -> PreviewInput:
        """A new diagram (start, task, end) whose task is not templated yet: the page applies the newest template."""
        newest = select_template(templates)
        return cls(templates, example_diagram(newest, applied=False).decode("utf-8"), TEMPLATED_ID, file_name)


def asset_text(name: str) -> str:
    """The text of one bundled asset (`modeler.js`, `modeler.css`, `THIRD-PARTY-NOTICES.txt`)."""
    try:
        return (resources.files("generator.preview") / "assets" / name).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PreviewAssetsMissing(
            f"the preview asset {name} is missing from the installed package; reinstall etk "
            "(a source checkout builds it with `node tools/build-preview-bundle.mjs`)"
        ) from None


def _inline(text: str, element: str) -> Markup:
    """Code inlined in a <script> or <style> element: no `</script` (`</style`) can end it early.

    In JavaScript and JSON `<\\/` is the same text as `</` inside strings and regular
    expressions, the only places where such a sequence can occur.
    """
    return Markup(re.sub(f"</({element})", r"<\\/\1", text, flags=re.IGNORECASE))


def render_page(preview: PreviewInput) -> str:
    """The self-contained HTML page for `preview`."""
    newest = select_template(preview.templates)
    environment = Environment(autoescape=select_autoescape(default=True), keep_trailing_newline=True)
    page = environment.from_string(
        (resources.files("generator.preview") / "page.html.j2").read_text(encoding="utf-8")
    )
    config = {"templates": preview.templates, "diagram": preview.diagram, "element": preview.element,
              "fileName": preview.file_name}
    version = f" version {newest['version']}" if "version" in newest else ""
    return page.render(
        title=f"{newest.get('name', newest.get('id'))}{version}",
        subtitle=f"{newest.get('id')} applied to {preview.element} with Camunda's properties panel "
                 "(bpmn-js-element-templates); the XML on the right is what the values make of the task.",
        element=preview.element,
        modeler_css=_inline(asset_text("modeler.css"), "style"),
        modeler_js=_inline(asset_text("modeler.js"), "script"),
        notices=asset_text("THIRD-PARTY-NOTICES.txt"),
        config_json=_inline(json.dumps(config, ensure_ascii=False), "script"),
    )


def default_output(template_path: Path) -> Path:
    """`x.json` -> `x.preview.html` beside it."""
    return template_path.with_name(template_path.stem + ".preview.html")
