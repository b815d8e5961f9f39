"""Validating a template (or a file of templates): schema, semantic rules, then positions."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from generator.files import json_syntax_error
from generator.problems import Problem
from generator.validate.findings import finding
from generator.validate.positions import duplicate_keys, line_column, locate
from generator.validate.rules import check_file_templates, check_template
from generator.validate.structure import check_structure

# A JSON string token, or one of the non-JSON constants Python's reader accepts.
_CONSTANT = re.compile(r'"(?:[^"\\]|\\.)*"|(-?Infinity|NaN)')


def validate_template(template: object, *, file: str | None = None, source_text: str | None = None) -> list[Problem]:
    """Findings for a template object or an array of templates, sorted in document order.

    `file` names the file in the findings. `source_text` is the JSON text `template` was
    parsed from (or will be written as); with it, findings carry the line and column of the
    value their pointer names, otherwise line and column are None.
    """
    findings = _findings(template)
    return _located(findings, file, source_text)


def validate_text(text: str, *, file: str | None = None) -> list[Problem]:
    """Findings for the JSON text of a template file (syntax and duplicate keys included)."""
    duplicates: list[bool] = []

    def no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        result = dict(pairs)
        if len(result) != len(pairs):
            duplicates.append(True)
        return result

    constants: list[str] = []

    def no_constant(name: str) -> float:
        constants.append(name)
        return float(name)

    try:
        template = json.loads(text, object_pairs_hook=no_duplicates, parse_constant=no_constant)
    except json.JSONDecodeError as problem:
        line, column, message = json_syntax_error(problem)
        return [finding("json-syntax", "", f"invalid JSON: {message}").located(file, line, column)]
    except RecursionError:
        return [finding("json-syntax", "", "invalid JSON: nested too deeply to read").located(file, 1, 1)]
    if constants:
        # Python reads NaN and Infinity; JSON (and the Modeler's JSON.parse) does not.
        offset = next(match.start(1) for match in _CONSTANT.finditer(text) if match.group(1))
        return [finding("json-syntax", "", f"invalid JSON: {constants[0]} is not a JSON value")
                .located(file, *line_column(text, offset))]
    findings = _located(_findings(template), file, text)
    if duplicates:
        for pointer, offset in duplicate_keys(text):
            key = pointer.rsplit("/", 1)[1].replace("~1", "/").replace("~0", "~")
            line, column = line_column(text, offset)
            findings.append(finding("duplicate-key", pointer,
                                    f'key "{key}" appears twice in the same object; JSON readers keep only the last one')
                            .located(file, line, column))
        findings.sort(key=Problem.sort_key)
    return findings


def validate_file(path: str | Path) -> list[Problem]:
    """Findings for the element-template file at `path`; an unreadable file is a finding too."""
    name = str(path)
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except OSError as problem:
        return [finding("read-error", "", f"cannot read the file: {problem.strerror or problem}").located(name, None, None)]
    except UnicodeDecodeError as problem:
        return [finding("read-error", "", f"the file is not UTF-8 text (byte {problem.start})").located(name, None, None)]
    return validate_text(text, file=name)


def _findings(template: Any) -> list[Problem]:
    if isinstance(template, dict):
        return _template_findings(template, "")
    if not isinstance(template, list):
        return [finding("not-a-template", "", f"expected a template object or an array of templates, got {_kind(template)}")]
    if not template:
        return [finding("empty-file", "", "the array holds no templates")]
    findings: list[Problem] = []
    templates: list[tuple[str, dict[str, Any]]] = []
    for index, item in enumerate(template):
        pointer = f"/{index}"
        if isinstance(item, dict):
            templates.append((pointer, item))
            findings += _template_findings(item, pointer)
        else:
            findings.append(finding("not-a-template", pointer, f"expected a template object, got {_kind(item)}"))
    return findings + check_file_templates(templates)


def _template_findings(template: dict[str, Any], pointer: str) -> list[Problem]:
    return check_structure(template, pointer) + check_template(template, pointer)


def _located(findings: list[Problem], file: str | None, source_text: str | None) -> list[Problem]:
    if source_text is not None and findings:
        positions = locate(source_text, (each.location.pointer or "" for each in findings))
        findings = [each.located(file, *positions[each.location.pointer or ""]) for each in findings]
    elif file is not None:
        findings = [each.located(file, None, None) for each in findings]
    return sorted(findings, key=Problem.sort_key)


def _kind(value: Any) -> str:
    return {dict: "an object", list: "an array", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), "a number"
    )
