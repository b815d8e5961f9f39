"""Element templates from definitions: `Definition` -> element template dict, a pure function.

`render` also records where in the definition each property comes from, so checks of the
rendered template can point at the YAML line. No I/O, XML or HTTP here: `generator.build`
writes `dist/`, checks the templates and renders their example diagrams.
"""

from __future__ import annotations

from generator.template.render import TEMPLATE_SCHEMA_URL, RenderedTemplate, render, render_template

__all__ = ["TEMPLATE_SCHEMA_URL", "RenderedTemplate", "render", "render_template"]
