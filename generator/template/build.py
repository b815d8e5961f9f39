"""Plan and carry out `etk build`: render every definition, check it, version `dist/`, write atomically.

`plan_build` computes everything first (nothing is written): the rendered templates, the FEEL,
template and example checks, and per output file what to do. `etk build` then applies the plan,
`etk build --check` only reports it. Versioning rules:
  - `dist/<name>.json` identical to the rendering: unchanged;
  - different, same `version`: refused (the definition's version must be bumped);
  - different, higher `version`: the old file moves to `dist/versioned/<name>-<old>.json`;
  - a `dist/<name>.json` whose definition is gone, or a version that went backwards: refused.
With `diagrams`, the plan also covers `dist/examples/<name>.bpmn` (see `examples`): written
when missing or different (examples are not versioned), refused when their definition is gone.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from generator.definition import DefinitionError, Problem, display_path, load_definitions
from generator.errors import EtkError
from generator.files import dump_json, write_text_atomic
from generator.template.checks import check_rendered
from generator.template.examples import EXAMPLES, example_path, example_problems, render_example
from generator.template.render import RenderedTemplate, render

VERSIONED = "versioned"


@dataclass(frozen=True)
class FileAction:
    """What happens to one file of `dist/`."""

    kind: Literal["new", "update", "reformat", "unchanged", "archive"]
    path: Path
    version: int | None
    text: str | None = None  # the content to write (None for unchanged)
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
            return f"not archived: {display_path(self.previous)} (version {self.version}) should move to {where}: run `etk build`"
        source = "its definition's example" if self.example else "its definition"
        return f"stale {where}: it differs from {source} ({self._what}): run `{command}`"


@dataclass
class BuildPlan:
    """Everything `etk build` would do, computed without writing."""

    templates_dir: Path
    dist_dir: Path
    rendered: list[tuple[RenderedTemplate, Path]] = field(default_factory=list)
    actions: list[FileAction] = field(default_factory=list)
    refusals: list[str] = field(default_factory=list)

    @property
    def pending(self) -> list[FileAction]:
        """Actions that change `dist/`."""
        return [action for action in self.actions if action.kind != "unchanged"]

    def count(self, *, example: bool) -> int:
        """How many templates (or example diagrams) the plan covers."""
        return sum(1 for action in self.actions if action.example == example and action.kind != "archive")


def definition_files(templates_dir: Path) -> list[Path]:
    """The definitions of a templates folder: its `*.yaml` files, sorted by name."""
    if not templates_dir.is_dir():
        raise EtkError(f"{display_path(templates_dir)}: no such folder (expected connector definitions *.yaml)")
    files = sorted(templates_dir.glob("*.yaml"))
    if not files:
        raise EtkError(f"{display_path(templates_dir)}: no connector definitions (*.yaml) found")
    return files


def plan_build(templates_dir: Path, dist_dir: Path, *, diagrams: bool = False) -> BuildPlan:
    """Load, render and check every definition and decide what to write.

    With `diagrams`, the plan also writes `dist/examples/<name>.bpmn` for every definition.
    Raises `DefinitionError` (every problem of every definition, FEEL, template and example
    checks included) before deciding anything about `dist/`.
    """
    templates_dir, dist_dir = Path(templates_dir), Path(dist_dir)
    plan = BuildPlan(templates_dir, dist_dir)
    definitions = load_definitions(definition_files(templates_dir))
    problems: list[Problem] = []
    texts: list[str] = []
    diagram_texts: list[str | None] = []
    for definition in definitions:
        rendered = render(definition)
        target = dist_dir / f"{definition.stem}.json"
        text = dump_json(rendered.template)
        found = check_rendered(rendered, target, text) + example_problems(rendered, for_diagram=diagrams)
        diagram_text = None
        if diagrams and not found:
            diagram_text, found = render_example(rendered)
        problems += found
        plan.rendered.append((rendered, target))
        texts.append(text)
        diagram_texts.append(diagram_text)
    if problems:
        raise DefinitionError(problems)
    for (rendered, target), text in zip(plan.rendered, texts, strict=True):
        _plan_file(plan, rendered, target, text)
    stems = {rendered.definition.stem for rendered, _ in plan.rendered}
    plan.refusals += _orphans(dist_dir, "*.json", templates_dir, stems)
    if diagrams:
        for (rendered, _), diagram_text in zip(plan.rendered, diagram_texts, strict=True):
            assert diagram_text is not None  # rendered whenever the definition has no problems
            _plan_example(plan, rendered, diagram_text)
        plan.refusals += _orphans(dist_dir / EXAMPLES, "*.bpmn", templates_dir, stems)
    return plan


def _orphans(folder: Path, pattern: str, templates_dir: Path, stems: set[str]) -> list[str]:
    """A refusal for every generated file in `folder` whose definition is gone: deleting what was
    released is the author's decision, not the build's."""
    refusals = []
    for orphan in sorted(folder.glob(pattern)) if folder.is_dir() else ():
        if orphan.stem not in stems:
            refusals.append(
                f"{display_path(orphan)} has no definition ({display_path(templates_dir / (orphan.stem + '.yaml'))}): "
                f"restore the definition, or delete {display_path(orphan)} if the connector was removed"
            )
    return refusals


def _plan_example(plan: BuildPlan, rendered: RenderedTemplate, text: str) -> None:
    """Example diagrams are derived files, not releases: rewritten whenever they differ."""
    target = example_path(plan.dist_dir, rendered.definition.stem)
    version = rendered.definition.version
    if not target.exists():
        plan.actions.append(FileAction("new", target, version, text, example=True))
    elif target.read_bytes() == text.encode("utf-8"):
        plan.actions.append(FileAction("unchanged", target, version, example=True))
    else:
        plan.actions.append(FileAction("update", target, version, text, example=True))


def _plan_file(plan: BuildPlan, rendered: RenderedTemplate, target: Path, text: str) -> None:
    definition = rendered.definition
    version = definition.version
    name = f"{display_path(Path(definition.source))} (id {definition.id}, version {version})"
    if not target.exists():
        released = _archived(target, version)
        if _holds_other_text(released, text):
            plan.refusals.append(
                f"{name}: version {version} was already released as {display_path(released)} with other content: "
                f"set `version` above {version}"
            )
            return
        plan.actions.append(FileAction("new", target, version, text))
        return
    old_text = target.read_text(encoding="utf-8")
    if old_text == text:
        plan.actions.append(FileAction("unchanged", target, version))
        return
    old = _parse(old_text)
    if old is None:
        plan.refusals.append(
            f"{display_path(target)} is not an element template written by etk (not a JSON object): "
            f"restore it from version control, or delete it to start over"
        )
        return
    if old == rendered.template:
        plan.actions.append(FileAction("reformat", target, version, text))
        return
    old_version = old.get("version")
    if not isinstance(old_version, int) or isinstance(old_version, bool):
        plan.refusals.append(
            f"{display_path(target)} has no integer version: restore it from version control, or delete it"
        )
        return
    if version == old_version:
        plan.refusals.append(
            f"{name}: the rendered template differs from {display_path(target)}, which has the same version {version}: "
            f"bump `version` to {version + 1} in {display_path(Path(definition.source))} (the old template then moves "
            f"to {display_path(_archived(target, version))})"
        )
        return
    if version < old_version:
        plan.refusals.append(
            f"{name}: {display_path(target)} already has version {old_version}; versions only go up: "
            f"set `version` to {old_version + 1}"
        )
        return
    archived = _archived(target, old_version)
    if _holds_other_text(archived, old_text):
        plan.refusals.append(
            f"{name}: {display_path(archived)} already exists with other content than {display_path(target)} "
            f"(version {old_version}): resolve by hand"
        )
        return
    if not archived.exists():
        plan.actions.append(FileAction("archive", archived, old_version, old_text, previous=target))
    plan.actions.append(FileAction("update", target, version, text))


def _archived(target: Path, version: int) -> Path:
    """Where version `version` of `target` is kept once a newer one replaces it."""
    return target.parent / VERSIONED / f"{target.stem}-{version}.json"


def _holds_other_text(path: Path, text: str) -> bool:
    """Whether `path` exists with content other than `text`."""
    return path.exists() and path.read_text(encoding="utf-8") != text


def _parse(text: str) -> dict[str, Any] | None:
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        return None
    return value if isinstance(value, dict) else None


def refuse_if_blocked(plan: BuildPlan) -> None:
    """Raise an `EtkError` listing every refusal; nothing may be written then."""
    if plan.refusals:
        count = len(plan.refusals)
        raise EtkError(
            f"nothing written: {count} problem{'s' if count != 1 else ''} with dist/\n" + "\n".join(plan.refusals)
        )


def apply_plan(plan: BuildPlan) -> None:
    """Write the plan: archived copies first, then the templates, each file atomically."""
    refuse_if_blocked(plan)
    for kind in ("archive", "new", "update", "reformat"):
        for action in plan.actions:
            if action.kind == kind and action.text is not None:
                write_text_atomic(action.path, action.text)
