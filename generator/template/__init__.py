"""Element templates from definitions: pure rendering, deterministic JSON, versioning of `dist/`, example diagrams."""

from __future__ import annotations

from generator.template.render import TEMPLATE_SCHEMA_URL, RenderedTemplate, render, render_template

__all__ = ["TEMPLATE_SCHEMA_URL", "RenderedTemplate", "render", "render_template"]
