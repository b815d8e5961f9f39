"""What `etk build` does with each file of `dist/`: the versioning rules.

  - `dist/<name>.json` identical to the rendering: unchanged;
  - different, same `version`: refused (the definition's version must be bumped);
  - different, higher `version`: the old file moves to `dist/versioned/<name>-<old>.json`;
  - a `dist/<name>.json` whose definition is gone, or a version that went backwards: refused.
Example diagrams (`dist/examples/<name>.bpmn`) are derived files, not releases: written when
missing or different, refused when their definition is gone.

Each function only reads `dist/` and returns actions and refusals; `plan` collects them. A
refusal is a `Problem` whose message names the files involved and what to do; its location is
the file to change (the definition for a version to bump, else the file in `dist/`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from generator.definition import display_path
from generator.jsontext import JsonReadError, parse_json, read_text_file
from generator.problems import Location, Problem
from generator.template import RenderedTemplate

VERSIONED = "versioned"


@dataclass(frozen=True)
class FileAction:
    """What happens to one file of `dist/`."""

    kind: Literal["new", "update", "reformat", "unchanged", "archive"]
    path: Path
    version: int | None
    text: str | None = None  # the content to write (None for unchanged), until the plan stages it
    staged: Path | None = None  # the staged file holding the content to write
    previous: Path | None = None  # for "archive": the file whose old content is kept
    example: bool = False  # an example diagram (`dist/examples/`) rather than a template

    @property
    def _what(self) -> str:
        return f"example diagram, version {self.version}" if self.example else f"version {self.version}"

    def describe(self) -> str:
        """The line `etk build` prints for this action."""
        where = display_path(self.path)
        if self.kind == "unchanged":
            return f"unchanged {where} ({self._what})"
        if self.kind == "archive":
            assert self.previous is not None  # an archive action names the file it keeps
            return f"moved {display_path(self.previous)} (version {self.version}) to {where}"
        suffix = " (formatting only)" if self.kind == "reformat" else ""
        return f"wrote {where} ({self._what}){suffix}"

    def describe_stale(self) -> str:
        """The line `etk build --check` prints for this action when it is pending."""
        where = display_path(self.path)
        command = "etk build --diagrams" if self.example else "etk build"
        if self.kind == "new":
            return f"missing {where} ({self._what}): run `{command}`"
        if self.kind == "archive":
            assert self.previous is not None
            return f"not archived: {display_path(self.previous)} (version {self.version}) should move to {where}: run `etk build`"
        source = "its definition's example" if self.example else "its definition"
        return f"stale {where}: it differs from {source} ({self._what}): run `{command}`"


def template_file_actions(rendered: RenderedTemplate, target: Path, text: str) -> tuple[list[FileAction], list[Problem]]:
    """The actions for `target` (`dist/<name>.json`) to hold `text`, the rendering of `rendered`,
    or the refusal that forbids writing it."""
    definition = rendered.definition
    version = definition.version
    source = display_path(Path(definition.source))
    name = f"{source} (id {definition.id}, version {version})"
    if not target.exists():
        released = archived_path(target, version)
        if _holds_other_text(released, text):
            return [], [_refusal(
                "version-already-released", source,
                f"{name}: version {version} was already released as {display_path(released)} with other content: "
                f"set `version` above {version}",
            )]
        return [FileAction("new", target, version, text)], []
    try:
        old_text = read_text_file(target, what="template")
        if old_text == text:
            return [FileAction("unchanged", target, version)], []
        old = parse_json(old_text)
    except JsonReadError as error:  # a folder, a device, not UTF-8, not JSON etk reads
        return [], [_not_a_template(target, error.reason)]
    if not isinstance(old, dict):
        return [], [_not_a_template(target, "not a JSON object")]
    if old == rendered.template:
        return [FileAction("reformat", target, version, text)], []
    old_version = old.get("version")
    if not isinstance(old_version, int) or isinstance(old_version, bool):
        return [], [_refusal(
            "dist-without-version", display_path(target),
            f"{display_path(target)} has no integer version: restore it from version control, or delete it",
        )]
    if version == old_version:
        return [], [_refusal(
            "version-not-bumped", source,
            f"{name}: the rendered template differs from {display_path(target)}, which has the same version {version}: "
            f"bump `version` to {version + 1} in {source} (the old template then moves "
            f"to {display_path(archived_path(target, version))})",
        )]
    if version < old_version:
        return [], [_refusal(
            "version-decreased", source,
            f"{name}: {display_path(target)} already has version {old_version}; versions only go up: "
            f"set `version` to {old_version + 1}",
        )]
    archived = archived_path(target, old_version)
    if _holds_other_text(archived, old_text):
        return [], [_refusal(
            "archive-conflict", display_path(archived),
            f"{name}: {display_path(archived)} already exists with other content than {display_path(target)} "
            f"(version {old_version}): resolve by hand",
        )]
    actions = [] if os.path.exists(archived) else [FileAction("archive", archived, old_version, old_text, previous=target)]
    return [*actions, FileAction("update", target, version, text)], []


def example_file_action(target: Path, version: int, text: str) -> FileAction:
    """The action for example diagram `target` to hold `text`: rewritten whenever it differs."""
    if not target.exists():
        return FileAction("new", target, version, text, example=True)
    if target.read_bytes() == text.encode("utf-8"):
        return FileAction("unchanged", target, version, example=True)
    return FileAction("update", target, version, text, example=True)


def orphan_refusals(folder: Path, pattern: str, templates_dir: Path, stems: set[str]) -> list[Problem]:
    """A refusal for every generated file in `folder` whose definition is gone: deleting what was
    released is the author's decision, not the build's."""
    refusals = []
    for orphan in sorted(folder.glob(pattern)) if folder.is_dir() else ():
        if orphan.stem not in stems:
            refusals.append(_refusal(
                "orphan", display_path(orphan),
                f"{display_path(orphan)} has no definition ({display_path(templates_dir / (orphan.stem + '.yaml'))}): "
                f"restore the definition, or delete {display_path(orphan)} if the connector was removed",
            ))
    return refusals


def _refusal(rule: str, file: str, message: str) -> Problem:
    """A refusal of rule `rule` in `file`, the file to change (or to look at)."""
    return Problem("error", rule, message, Location(file))


def archived_path(target: Path, version: int) -> Path:
    """Where version `version` of `target` is kept once a newer one replaces it."""
    return target.parent / VERSIONED / f"{target.stem}-{version}.json"


def _not_a_template(target: Path, reason: str) -> Problem:
    return _refusal(
        "dist-not-a-template", display_path(target),
        f"{display_path(target)} is not an element template written by etk ({reason}): "
        f"restore it from version control, or delete it to start over",
    )


def _holds_other_text(path: Path, text: str) -> bool:
    """Whether `path` exists with content other than `text` (a folder or an unreadable file counts)."""
    if not os.path.lexists(path):  # also False for a name longer than the file system takes
        return False
    try:
        return read_text_file(path, what="template") != text
    except JsonReadError:
        return True
