"""Element templates from definitions: pure rendering, deterministic JSON, and versioning of `dist/`."""

from __future__ import annotations

from generator.template.render import TEMPLATE_SCHEMA_URL, RenderedTemplate, render, render_template

__all__ = ["TEMPLATE_SCHEMA_URL", "RenderedTemplate", "render", "render_template"]
