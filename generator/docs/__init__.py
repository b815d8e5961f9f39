"""Connector documentation pages (`etk docs`, `etk build --docs`): per definition a Markdown and a
self-contained HTML reference page, plus an index, rendered with Jinja2 from the definition, its
built template, its released older versions and a run of its usage example.

    site = plan_site([(definition, template), ...], Path("dist"), start_service=...)
    actions, refusals = site_actions(site, Path("dist/docs"))
    write_site(actions, refusals)

The package reads templates and definitions; what a template means is decided elsewhere
(`generator.template`), and which loopback services exist too (`start_service` is passed in).
"""

from generator.docs.example import LoopbackEndpoint, StartService
from generator.docs.screenshots import Screenshot, ScreenshotPlan, TakeScreenshots, gather_screenshots, screenshot_plans
from generator.docs.site import (
    DocsAction,
    DocsSite,
    broken_links,
    plan_site,
    refuse_docs_if_blocked,
    site_actions,
    write_site,
)

__all__ = [
    "DocsAction",
    "DocsSite",
    "LoopbackEndpoint",
    "Screenshot",
    "ScreenshotPlan",
    "StartService",
    "TakeScreenshots",
    "broken_links",
    "gather_screenshots",
    "plan_site",
    "refuse_docs_if_blocked",
    "screenshot_plans",
    "site_actions",
    "write_site",
]
