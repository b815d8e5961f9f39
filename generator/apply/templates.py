"""Loading element template files for applying: one template or an array of its versions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from generator.apply.errors import ApplyError
from generator.element_template import Template
from generator.files import invalid_json


def load_template_file(path: Path) -> list[Template]:
    """The templates in a JSON file (an object, or an array of objects), structurally checked.

    Only what applying needs is checked here (`id`, `properties`, each property's binding
    type); `etk validate` checks everything else.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ApplyError(f"{path}: cannot read template: {error.strerror}") from None
    except UnicodeDecodeError:
        raise ApplyError(f"{path}: a template file must be UTF-8 JSON") from None
    try:
        loaded = json.loads(text)
    except json.JSONDecodeError as error:
        raise ApplyError(invalid_json(path, error)) from None
    templates = loaded if isinstance(loaded, list) else [loaded]
    for index, template in enumerate(templates):
        prefix = f"/{index}" if isinstance(loaded, list) else ""
        check_template_shape(template, f"{path}: {prefix or '/'}")
    return templates


def check_template_shape(template: Any, where: str = "template") -> None:
    """Raise `ApplyError` unless `template` has what applying reads."""
    if not isinstance(template, dict):
        raise ApplyError(f"{where}: an element template must be a JSON object")
    if not isinstance(template.get("id"), str):
        raise ApplyError(f"{where}: the template has no string `id`")
    properties = template.get("properties")
    if not isinstance(properties, list):
        raise ApplyError(f"{where}: the template has no `properties` array")
    for index, prop in enumerate(properties):
        binding = prop.get("binding") if isinstance(prop, dict) else None
        if not isinstance(binding, dict) or not isinstance(binding.get("type"), str):
            raise ApplyError(f"{where.rstrip('/')}/properties/{index}: a property needs a `binding` with a `type`")


def select_template(templates: list[Template], version: int | None = None) -> Template:
    """The template to apply: `version` if given, else the highest version in the file."""
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
