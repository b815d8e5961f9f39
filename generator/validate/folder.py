"""Rules across the files validated together (a folder of templates, as Camunda's connectors
repository keeps them: `x.json` current, `versioned/x-N.json` older versions, `x-hybrid.json`
the hybrid variant):

* `unique-id-version`: an (id, version) appears in one file only (the Modeler keeps one);
* `version-not-bumped`: a template whose content changed keeps no old version number: against
  its `versioned/` copy of the same version, or against the previous content (`--base`);
* `versioned-copy`: a template under `versioned/` is older than the current one, and (with the
  previous content) the version a change replaced has its copy under `versioned/`;
* `hybrid-parity`: `x-hybrid` has the version and properties of `x`, apart from the task
  definition type a hybrid template lets the user set.

Pure: the documents (and the previous ones) are given; findings come without positions.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from generator.problems import Problem
from generator.validate.conditions import binding_identity
from generator.validate.findings import finding
from generator.validate.positions import join
from generator.validate.rules import HYBRID_SUFFIX

VERSIONED = "versioned"
_HEADER_KEYS = ("elementTemplateId", "elementTemplateVersion")


@dataclass(frozen=True)
class Entry:
    """One template of one file; `versioned` when the file is under a `versioned/` folder."""

    file: str
    pointer: str
    template: dict[str, Any]
    versioned: bool

    @property
    def key(self) -> tuple[str, Any] | None:
        template_id, version = self.template.get("id"), self.template.get("version")
        if not isinstance(template_id, str) or isinstance(version, (dict, list)):
            return None
        return template_id, version

    def where(self) -> str:
        return f"{self.file} ({self.pointer or '/'})"


def templates_of(file: str, document: Any) -> list[Entry]:
    """The templates of a parsed file (an object or an array of objects)."""
    versioned = VERSIONED in PurePath(file).parts[:-1]  # once a file: the rules ask for each template often
    if isinstance(document, dict):
        return [Entry(file, "", document, versioned)]
    if isinstance(document, list):
        return [Entry(file, f"/{index}", item, versioned) for index, item in enumerate(document) if isinstance(item, dict)]
    return []


def check_folder(documents: Mapping[str, Any], previous: Mapping[str, Any] | None = None) -> dict[str, list[Problem]]:
    """Findings by file for the parsed `documents` (file name -> document). `previous` maps a
    current file to its earlier content (None: not known, e.g. a new file)."""
    entries = [entry for file, document in documents.items() for entry in templates_of(file, document)]
    findings: dict[str, list[Problem]] = {}
    for entry, problem in [*_same_versions(entries), *_versioned_copies(entries), *_hybrids(entries),
                           *_changes(entries, previous or {})]:
        findings.setdefault(entry.file, []).append(problem)
    return findings


def _same_versions(entries: list[Entry]) -> Iterator[tuple[Entry, Problem]]:
    first: dict[tuple[str, Any], Entry] = {}
    for entry in sorted(entries, key=lambda each: (each.versioned, each.file)):
        key = entry.key
        if key is None:
            continue
        if key not in first:
            first[key] = entry
            continue
        earlier = first[key]
        if earlier.file == entry.file:
            continue  # within one file: the per-file rule reports it
        where = join(entry.pointer, "version" if "version" in entry.template else "id")
        version = f"version {key[1]}" if key[1] is not None else "no version"
        if _content(earlier.template) != _content(entry.template) and earlier.versioned != entry.versioned:
            yield entry, finding("version-not-bumped", where,
                                 f'template "{key[0]}" {version} here differs from {earlier.where()}: the current template '
                                 f"changed after {version} was kept under {VERSIONED}/; give the current template a new version")
        else:
            same = "the same template" if _content(earlier.template) == _content(entry.template) else "another template"
            yield entry, finding("unique-id-version", where,
                                 f'template "{key[0]}" {version} is also in {earlier.where()} ({same}): the Modeler keeps only '
                                 "one of them; remove this copy or give it its own version")


def _versioned_copies(entries: list[Entry]) -> Iterator[tuple[Entry, Problem]]:
    current = _latest(entry for entry in entries if not entry.versioned)
    for entry in entries:
        key = entry.key
        if not entry.versioned or key is None or key[0] not in current:
            continue
        latest = current[key[0]]
        if isinstance(key[1], int) and isinstance(latest.template.get("version"), int) and key[1] > latest.template["version"]:
            yield entry, finding("versioned-copy", join(entry.pointer, "version"),
                                 f'this {VERSIONED}/ copy of "{key[0]}" has version {key[1]}, newer than the current template '
                                 f"({latest.where()}, version {latest.template['version']}): the Modeler offers the copy as the "
                                 f"latest; {VERSIONED}/ holds older versions only")


def _changes(entries: list[Entry], previous: Mapping[str, Any]) -> Iterator[tuple[Entry, Problem]]:
    copies = {entry.key for entry in entries if entry.versioned and entry.key is not None}
    for entry in entries:
        key = entry.key
        if entry.versioned or key is None or entry.file not in previous:
            continue
        before = {old.key[0]: old for old in templates_of(entry.file, previous[entry.file]) if old.key is not None}
        old = before.get(key[0])
        if old is None or old.template.get("version") is None:
            continue
        old_version = old.template["version"]
        if old_version == key[1] and _content(old.template) != _content(entry.template):
            bump = f"version {key[1] + 1}" if isinstance(key[1], int) else "a new version"
            yield entry, finding("version-not-bumped", join(entry.pointer, "version"),
                                 f'template "{key[0]}" changed but keeps version {key[1]}: users of version {key[1]} get '
                                 f"other properties without an update; set {bump} and keep the old one under {VERSIONED}/")
        elif old_version != key[1] and (key[0], old_version) not in copies:
            yield entry, finding("versioned-copy", join(entry.pointer, "version"),
                                 f'template "{key[0]}" went from version {old_version} to {key[1]}, but no file under '
                                 f"{VERSIONED}/ keeps version {old_version}: diagrams that use it lose their template; "
                                 f"add {VERSIONED}/{PurePath(entry.file).stem}-{old_version}.json with the old content")


def _hybrids(entries: list[Entry]) -> Iterator[tuple[Entry, Problem]]:
    current = _latest(entry for entry in entries if not entry.versioned)
    for template_id, hybrid in current.items():
        if not template_id.endswith(HYBRID_SUFFIX) or template_id.removesuffix(HYBRID_SUFFIX) not in current:
            continue
        regular = current[template_id.removesuffix(HYBRID_SUFFIX)]
        differences = _differences(regular.template, hybrid.template)
        if differences:
            shown = "; ".join(differences[:5]) + (f"; and {len(differences) - 5} more" if len(differences) > 5 else "")
            yield hybrid, finding("hybrid-parity", join(hybrid.pointer, "id"),
                                  f"this hybrid template differs from {regular.where()} beyond the task definition type: "
                                  f"{shown}; regenerate it from the same source")


def _differences(regular: dict[str, Any], hybrid: dict[str, Any]) -> list[str]:
    found = []
    if regular.get("version") != hybrid.get("version"):
        found.append(f"version {json.dumps(hybrid.get('version'))} instead of {json.dumps(regular.get('version'))}")
    mine, theirs = _comparable_properties(regular), _comparable_properties(hybrid)
    for identity, prop in mine.items():
        if identity not in theirs:
            found.append(f"no property {_describe(identity)}")
        elif theirs[identity] != prop:
            keys = sorted(key for key in set(prop) | set(theirs[identity]) if prop.get(key) != theirs[identity].get(key))
            found.append(f"property {_describe(identity)} differs in {', '.join(keys)}")
    found += [f"an extra property {_describe(identity)}" for identity in theirs if identity not in mine]
    return found


def _comparable_properties(template: dict[str, Any]) -> dict[tuple[Any, ...], dict[str, Any]]:
    result: dict[tuple[Any, ...], dict[str, Any]] = {}
    properties = template.get("properties")
    for prop in properties if isinstance(properties, list) else []:
        if not isinstance(prop, dict):
            continue
        binding = prop.get("binding")
        if isinstance(binding, dict) and ((binding.get("type") in ("zeebe:taskDefinition", "zeebe:taskDefinition:type")
                                          and binding.get("property", "type") == "type")
                                          or (binding.get("type") == "zeebe:taskHeader" and binding.get("key") in _HEADER_KEYS)):
            continue  # what a hybrid template may differ in
        identity = binding_identity(prop)
        if identity is not None:
            result[identity] = {key: value for key, value in prop.items() if key not in ("group", "description", "tooltip")}
    return result


def _describe(identity: tuple[Any, ...]) -> str:
    return f"{identity[0]} " + " ".join(str(part) for part in identity[1:] if part is not None)


def _latest(entries: Iterable[Entry]) -> dict[str, Entry]:
    latest: dict[str, Entry] = {}
    for entry in entries:
        key = entry.key
        if key is None:
            continue
        known = latest.get(key[0])
        if known is None or _order(entry.template.get("version")) > _order(known.template.get("version")):
            latest[key[0]] = entry
    return latest


def _order(version: Any) -> int:
    return version if isinstance(version, int) and not isinstance(version, bool) else -1


def _content(template: dict[str, Any]) -> str:
    return json.dumps(template, sort_keys=True)
