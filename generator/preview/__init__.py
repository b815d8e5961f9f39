"""`etk preview`: the properties-panel preview page (Camunda's own Modeler libraries, offline) and
the panel audit that reads what a user sees in it (headless Chromium).

Public API: `PreviewInput`, `render_page` (the page), `audit_templates`, `format_report` and
`panel_screenshots` (need Playwright and Chromium; import them from `generator.preview.audit`).
"""

from __future__ import annotations

from generator.preview.page import PreviewInput, render_page

__all__ = ["PreviewInput", "render_page"]
