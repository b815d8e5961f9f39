"""`etk import`: an existing REST-based element template (`io.camunda:http-json:1`) -> a connector definition.

The definition is written in explicit mode: the template's properties go under `properties:` as
they are (YAML instead of JSON, so they can carry comments), its groups under `groups:`, its icon
into a file beside the definition when the file embeds back to the same data URI, and every root
key the definition format does not model (`steps`, `presets`, `deprecated`, ...) under `template:`.
`verify_import` renders the written definition and compares it with the original, key by key, so
whatever could not be expressed is reported rather than lost.
"""

from __future__ import annotations

import base64
import copy
import json
import re
from dataclasses import dataclass, field
from typing import Any, cast

from generator.definition.protocol import HTTP_JSON_JOB_TYPE
from generator.element_template import Template
from generator.errors import EtkError

#: Root keys the definition format models (everything else goes under `template:`).
MODELED_KEYS = ("$schema", "name", "id", "description", "documentationRef", "version", "category", "appliesTo",
                "elementType", "engines", "keywords", "icon", "groups", "properties")
_ENGINE_KEYS = ("camunda", "camundaDesktopModeler", "camundaWebModeler")
_GROUP_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")
_BPMN_TYPE = re.compile(r"^[\w\d]+:[\w\d]+$")
_TEMPLATE_ID = re.compile(r"^[A-Za-z0-9_.:-]+$")
_ICON_TYPES = {"image/svg+xml": ".svg", "image/png": ".png"}
SCHEMA_URL = "https://unpkg.com/@camunda/zeebe-element-templates-json-schema/resources/schema.json"


class TemplateImportError(EtkError):
    """The file is not a template etk can import; the message says why."""


@dataclass
class ImportedDefinition:
    """The definition's data, the icon file to write beside it (name, bytes), and what changed on the way."""

    data: dict[str, Any]
    icon: tuple[str, bytes] | None = None
    changes: list[str] = field(default_factory=list)  # what the definition expresses differently


def is_http_json(template: dict[str, Any]) -> bool:
    """Whether the REST connector runs `template` (its job type is `io.camunda:http-json:1`)."""
    for prop in template.get("properties") or []:
        binding = prop.get("binding") if isinstance(prop, dict) else None
        if not isinstance(binding, dict) or prop.get("value") != HTTP_JSON_JOB_TYPE:
            continue
        if binding.get("type") == "zeebe:taskDefinition:type" or (
                binding.get("type") == "zeebe:taskDefinition" and binding.get("property") == "type"):
            return True
    return False


def choose_template(templates: list[Any], file: str, *, template_id: str | None, version: int | None) -> dict[str, Any]:
    """The template of a file to import: the one `template_id`/`version` name, else the newest version."""
    candidates = [item for item in templates if isinstance(item, dict)
                  and (template_id is None or item.get("id") == template_id)
                  and (version is None or item.get("version") == version)]
    if not candidates:
        found = ", ".join(f"{item.get('id')} v{item.get('version', '-')}" for item in templates if isinstance(item, dict))
        raise TemplateImportError(f"{file}: no template with{' id ' + template_id if template_id else ''}"
                           f"{' version ' + str(version) if version is not None else ''} (the file has: {found})")
    ids = {item.get("id") for item in candidates}
    if len(ids) > 1 and template_id is None:
        raise TemplateImportError(f"{file}: holds templates with several ids ({', '.join(sorted(map(str, ids)))}): "
                           "choose one with --id")
    def version_of(item: dict[str, Any]) -> int:
        number = item.get("version")
        return number if isinstance(number, int) else -1

    return max(candidates, key=version_of)


def import_template(template: dict[str, Any], stem: str) -> ImportedDefinition:
    """The definition (explicit mode) that renders `template`; `stem` names the icon file."""
    if not is_http_json(template):
        raise TemplateImportError("not a REST-based template: no Hidden property sets the job type "
                           f"{HTTP_JSON_JOB_TYPE} (binding zeebe:taskDefinition, property type)")
    result = ImportedDefinition({})
    data = result.data
    extra: dict[str, Any] = {}
    for key, value in template.items():
        if key not in MODELED_KEYS:
            extra[key] = copy.deepcopy(value)
    if template.get("$schema", SCHEMA_URL) != SCHEMA_URL:
        extra["$schema"] = template["$schema"]
    if not isinstance(template.get("id"), str) or not _TEMPLATE_ID.match(template["id"]):
        raise TemplateImportError(f"the template id {template.get('id')!r} is not one etk can keep (letters, digits, '.', '_', ':', '-')")
    data["id"] = template["id"]
    data["name"] = str(template.get("name") or template["id"])
    version = template.get("version")
    if isinstance(version, int) and not isinstance(version, bool) and version >= 1:
        data["version"] = version
    else:
        data["version"] = 1
        result.changes.append(f"the template has no version{'' if version is None else ' ' + repr(version)}: "
                              "etk versions every template, so the definition has version 1 "
                              "(the Modeler then records modelerTemplateVersion=\"1\")")
    for key, pattern in (("description", None), ("documentationRef", re.compile(r"^https?://"))):
        value = template.get(key)
        if isinstance(value, str) and value and (pattern is None or pattern.match(value)):
            data[key] = value
        elif key in template:
            extra[key] = copy.deepcopy(template[key])
    _icon(template, stem, result, extra)
    _simple_keys(template, data, extra)
    groups = _groups(template.get("groups"))
    if groups is None:
        if "groups" in template:
            extra["groups"] = copy.deepcopy(template["groups"])
    elif groups:
        data["groups"] = groups
    data["protocol"] = "http-json"
    data["properties"] = [_property(prop, result) for prop in template.get("properties") or []]
    if extra:
        data["template"] = extra
    example = example_values({**template, "properties": data["properties"]})
    if example:
        data["example"] = example
    return result


def _icon(template: dict[str, Any], stem: str, result: ImportedDefinition, extra: dict[str, Any]) -> None:
    icon = template.get("icon")
    if not isinstance(icon, dict) or set(icon) != {"contents"} or not isinstance(icon["contents"], str):
        if icon is not None:
            extra["icon"] = copy.deepcopy(icon)
        return
    contents = icon["contents"]
    match = re.match(r"^data:(image/svg\+xml|image/png);base64,([A-Za-z0-9+/=]+)$", contents)
    if match:
        try:
            raw = base64.b64decode(match[2], validate=True)
        except ValueError:
            raw = b""
        suffix = _ICON_TYPES[match[1]]
        plausible = raw.startswith(b"\x89PNG\r\n\x1a\n") if suffix == ".png" else b"<svg" in raw[:4096]
        if raw and plausible and base64.b64encode(raw).decode("ascii") == match[2]:
            result.icon = (f"{stem}{suffix}", raw)
            result.data["icon"] = f"{stem}{suffix}"
            return
    result.data["icon"] = {"contents": contents}


def _simple_keys(template: dict[str, Any], data: dict[str, Any], extra: dict[str, Any]) -> None:
    category = template.get("category")
    if isinstance(category, dict) and set(category) == {"id", "name"} and all(
            isinstance(value, str) and value for value in category.values()):
        data["category"] = dict(category)
    elif "category" in template:
        extra["category"] = copy.deepcopy(category)
    keywords = template.get("keywords")
    if isinstance(keywords, list) and keywords and all(isinstance(item, str) for item in keywords):
        data["keywords"] = list(keywords)
    elif "keywords" in template:
        extra["keywords"] = copy.deepcopy(keywords)
    engines = template.get("engines")
    if isinstance(engines, dict) and engines and set(engines) <= set(_ENGINE_KEYS) and all(
            isinstance(value, str) for value in engines.values()):
        data["engines"] = dict(engines)
    elif "engines" in template:
        extra["engines"] = copy.deepcopy(engines)
    applies_to = template.get("appliesTo")
    if isinstance(applies_to, list) and applies_to and all(
            isinstance(item, str) and _BPMN_TYPE.match(item) for item in applies_to):
        data["appliesTo"] = list(applies_to)
    elif "appliesTo" in template:
        extra["appliesTo"] = copy.deepcopy(applies_to)
    element_type = template.get("elementType")
    if isinstance(element_type, dict) and set(element_type) == {"value"} and isinstance(element_type["value"], str) \
            and _BPMN_TYPE.match(element_type["value"]):
        data["elementType"] = element_type["value"]
    elif "elementType" in template:
        extra["elementType"] = copy.deepcopy(element_type)


def _groups(groups: Any) -> dict[str, Any] | None:
    """`groups` as the definition writes them (id: label, or a mapping); None when they cannot be."""
    if groups is None:
        return {}
    if not isinstance(groups, list):
        return None
    result: dict[str, Any] = {}
    for group in groups:
        if not isinstance(group, dict) or not isinstance(group.get("id"), str) or not _GROUP_ID.match(group["id"]) \
                or group["id"] in result or not isinstance(group.get("label"), str) \
                or not set(group) <= {"id", "label", "tooltip", "openByDefault"} \
                or not isinstance(group.get("tooltip", ""), str) or not isinstance(group.get("openByDefault", True), bool):
            return None
        if set(group) == {"id", "label"}:
            result[group["id"]] = group["label"]
        else:
            result[group["id"]] = {key: value for key, value in group.items() if key != "id"}
    return result if result else None


def _property(prop: Any, result: ImportedDefinition) -> Any:
    prop = copy.deepcopy(prop)
    binding = prop.get("binding") if isinstance(prop, dict) else None
    if isinstance(binding, dict) and binding.get("type") == "zeebe:taskDefinition:type":
        # the legacy binding form (refused by the current validator) writes the same BPMN
        prop["binding"] = {"type": "zeebe:taskDefinition", "property": "type"}
        result.changes.append("the legacy binding zeebe:taskDefinition:type became "
                              "{type: zeebe:taskDefinition, property: type} (the Modeler writes the same BPMN)")
    return prop


def example_values(template: dict[str, Any], *, limit: int = 200) -> dict[str, str]:
    """Values that fill every field the template requires at its defaults (for `example:`).

    Applied with the Modeler's rules (`generator.apply`): each required field left empty gets the
    first candidate value its constraints accept (a dropdown its first choice; text `example`, a
    URL, a number, or FEEL text where the field takes FEEL, which the panel does not pattern-check)
    until the element would lint clean; a field that accepts none is left for the user.
    """
    from generator.apply import ApplyError, apply_to_state, constraint_violations, new_element_state

    applied = cast(Template, template)  # an element template read from JSON: apply checks what it reads

    def violations(values: dict[str, str]) -> list[Any] | None:
        state = new_element_state(applied)
        try:
            apply_to_state(state, applied, values)
        except ApplyError:
            return None
        return constraint_violations(state, applied)

    values: dict[str, str] = {}
    given_up: set[str] = set()
    for _ in range(limit):
        found = violations(values)
        if found is None:
            return {}
        pending = [violation for violation in found if violation.names and violation.names[0] not in given_up]
        if not pending:
            return values
        name, prop = pending[0].names[0], pending[0].prop
        for candidate in _candidates(prop):
            trial = {**values, name: candidate}
            after = violations(trial)
            if after is not None and not any(name in violation.names for violation in after):
                values = trial
                break
        else:
            given_up.add(name)
    return values


def _candidates(prop: dict[str, Any]) -> list[str]:
    choices = [str(choice.get("value")) for choice in prop.get("choices") or [] if isinstance(choice, dict)]
    if prop.get("type") == "Dropdown":
        return [choice for choice in choices if choice] or choices
    if prop.get("type") == "Number":
        return ["1", "0"]
    texts = ["example", "https://example.com", "1", "{{secrets.EXAMPLE}}"]
    return texts + (['="example"'] if prop.get("feel") in ("optional", "required") else [])


# ---- checking the result ------------------------------------------------------------------------


def differences(original: Any, rendered: Any, pointer: str = "") -> list[str]:
    """Where `rendered` differs from `original` (JSON pointers with both values), key order ignored."""
    if isinstance(original, dict) and isinstance(rendered, dict):
        found = []
        for key in list(original) + [key for key in rendered if key not in original]:
            where = f"{pointer}/{str(key).replace('~', '~0').replace('/', '~1')}"
            if key not in rendered:
                found.append(f"{where}: missing (was {_short(original[key])})")
            elif key not in original:
                found.append(f"{where}: added ({_short(rendered[key])})")
            else:
                found += differences(original[key], rendered[key], where)
        return found
    if isinstance(original, list) and isinstance(rendered, list) and len(original) == len(rendered):
        return [item for index, (left, right) in enumerate(zip(original, rendered, strict=True))
                for item in differences(left, right, f"{pointer}/{index}")]
    if original == rendered and type(original) is type(rendered):
        return []
    return [f"{pointer or '/'}: {_short(original)} became {_short(rendered)}"]


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 80 else text[:77] + "..."
