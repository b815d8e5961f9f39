"""A baseline of known findings, so a team adopting `etk validate` fails only on new ones.

A finding is remembered by what it is about, not by its line or its array index, so editing
elsewhere in a file does not make old findings new: the file (relative to the baseline file),
the rule, the template (`id@version`), the property (its id, else what its binding writes, else
its position) and the path inside it. The baseline counts findings per key; a run drops as many
findings of a key as the baseline holds and reports the rest. A file that cannot be read as
templates (`FILE_ERRORS`) is never baselined.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from generator.errors import EtkError
from generator.files import dump_json, write_text_atomic
from generator.jsontext import JsonReadError, array_index, read_json_file
from generator.problems import Problem
from generator.validate.findings import FILE_ERRORS
from generator.validate.positions import join, split

FORMAT = "etk-validate-baseline"
VERSION = 1

Key = tuple[str, str, str, str]  # file, rule, template, where


class BaselineError(EtkError):
    """A baseline file etk cannot read."""


def fingerprint(finding: Problem, document: Any, folder: Path) -> Key:
    """What `finding` is about, stable under edits elsewhere (see the module docstring)."""
    file = finding.location.file or ""
    try:
        relative = Path(os.path.relpath(Path(file).resolve(), folder.resolve())).as_posix()
    except ValueError:  # another drive
        relative = Path(file).as_posix()
    tokens = split(finding.location.pointer or "")
    template_index = tokens.pop(0) if isinstance(document, list) and tokens and array_index(tokens[0]) is not None else None
    index = None if template_index is None else array_index(template_index, len(document))
    template = document if index is None else document[index]
    where = join("", *tokens)
    properties = template.get("properties") if isinstance(template, dict) else None
    if isinstance(properties, list) and len(tokens) >= 2 and tokens[0] == "properties":
        position = array_index(tokens[1], len(properties))
        if position is not None and isinstance(properties[position], dict):
            where = join(f"/properties[{_anchor(properties[position], tokens[1])}]", *tokens[2:])
    return (relative, finding.rule, _template_key(template, template_index), where)


def _template_key(template: Any, index: str | None) -> str:
    if isinstance(template, dict) and isinstance(template.get("id"), str):
        version = template.get("version")
        return f"{template['id']}@{version}" if isinstance(version, int) else template["id"]
    return f"#{index}" if index is not None else ""


def _anchor(prop: dict[str, Any], index: str) -> str:
    if isinstance(prop.get("id"), str):
        return f"id={prop['id']}"
    binding = prop.get("binding")
    if isinstance(binding, dict):
        naming = [f"{key}={binding[key]}" for key in ("name", "key", "property", "source") if isinstance(binding.get(key), str)]
        if naming and isinstance(binding.get("type"), str):
            return f"{binding['type']} {' '.join(naming)}"
    return f"#{index}"


def read_baseline(path: Path) -> Counter[Key]:
    """The keys and counts in the baseline file at `path`."""
    try:
        document, _ = read_json_file(path, what="baseline")
    except JsonReadError as error:
        action = "create" if error.rule == "read-error" and not path.exists() else "recreate"
        raise BaselineError(f"{error}; {action} it with --update-baseline") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT or not isinstance(document.get("findings"), list):
        raise BaselineError(f'{path}: not an etk validate baseline (no "format": "{FORMAT}"); recreate it with --update-baseline')
    counts: Counter[Key] = Counter()
    for entry in document["findings"]:
        try:
            counts[(entry["file"], entry["rule"], entry["template"], entry["where"])] += int(entry.get("count", 1))
        except (TypeError, KeyError, ValueError):
            raise BaselineError(f"{path}: a baseline entry is malformed: {json.dumps(entry)[:200]}") from None
    return counts


def write_baseline(path: Path, findings: Iterable[tuple[Problem, Key]]) -> int:
    """Write a baseline of `findings` to `path` (atomically); the number of findings in it. File
    errors (`FILE_ERRORS`) are left out: a baseline never hides them."""
    counts = Counter(key for finding, key in findings if finding.rule not in FILE_ERRORS)
    entries = [{"file": file, "rule": rule, "template": template, "where": where, "count": count}
               for (file, rule, template, where), count in sorted(counts.items())]
    write_text_atomic(path, dump_json({"format": FORMAT, "version": VERSION, "findings": entries}))
    return sum(counts.values())


def new_findings(findings: list[tuple[Problem, Key]], baseline: Counter[Key]) -> list[Problem]:
    """The findings the baseline does not account for (in order; for a key the baseline counts
    n times, the first n findings are known). A file error (`FILE_ERRORS`) is never known."""
    remaining = Counter(baseline)
    fresh = []
    for finding, key in findings:
        if remaining[key] > 0 and finding.rule not in FILE_ERRORS:
            remaining[key] -= 1
        else:
            fresh.append(finding)
    return fresh
