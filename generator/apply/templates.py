"""Choosing the template to apply from a file of templates: one template, or an array of its versions."""

from __future__ import annotations

from generator.apply.errors import ApplyError
from generator.element_template import Template


def select_template(templates: list[Template], version: int | None = None) -> Template:
    """The template to apply: `version` if given, else the highest version in the file (a
    template without a version counts as the lowest)."""
    if not templates:
        raise ApplyError("the file holds no template")
    if version is not None:
        for template in templates:
            if template.get("version") == version:
                return template
        available = ", ".join(str(t.get("version")) for t in templates)
        raise ApplyError(f"no template with version {version} (available: {available})")
    ids = {t["id"] for t in templates}
    if len(ids) > 1:
        raise ApplyError(f"the file holds several templates ({', '.join(sorted(ids))}); etk applies one template id at a time")
    return max(templates, key=_version)


def _version(template: Template) -> int:
    version = template.get("version")
    return version if isinstance(version, int) else -1
