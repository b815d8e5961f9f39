"""Plan and carry out `etk build`: render every definition, check it, version `dist/`, write atomically.

`plan_build` computes everything before `dist/` is touched: the rendered templates, the FEEL,
template and example checks (`checks`, `examples`), and per output file what to do
(`versioning`); with `docs`, also the documentation pages (`generator.docs`). `etk build` then
applies the plan, `etk build --check` only reports it.

Definitions are taken one at a time: each is read, rendered, checked and planned, and what it
will write waits in a staging folder, so memory does not grow with the number of definitions
(except with `docs`, whose site needs every template at once). Only when every definition passed
does `apply_plan` copy the staged files into `dist/`.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

from generator.build.checks import check_rendered
from generator.build.examples import (
    EXAMPLES,
    example_path,
    example_problems,
    render_example,
)
from generator.build.versioning import (
    FileAction,
    example_file_action,
    orphan_refusals,
    template_file_actions,
)
from generator.definition import Definition, DefinitionError, display_path, read_definition
from generator.docs import (
    DocsAction,
    StartService,
    TakeScreenshots,
    gather_screenshots,
    plan_site,
    screenshot_plans,
    site_actions,
    write_site,
)
from generator.element_template import Template
from generator.errors import EtkError
from generator.files import dump_json, write_bytes_atomic
from generator.problems import Problem, ProblemsError
from generator.template import render

DOCS = "docs"  # dist/docs/: the documentation pages


class Staging:
    """A temporary folder holding the files a build will write until it writes them (removed
    when the plan is done with, or with the process)."""

    def __init__(self) -> None:
        self._folder = tempfile.TemporaryDirectory(prefix="etk-build-")
        self._count = 0

    def keep(self, action: FileAction) -> FileAction:
        """`action` with its text moved to a staged file."""
        if action.text is None:
            return action
        self._count += 1
        staged = Path(self._folder.name) / f"{self._count}"
        staged.write_bytes(action.text.encode("utf-8"))
        return replace(action, text=None, staged=staged)

    def cleanup(self) -> None:
        self._folder.cleanup()


@dataclass
class BuildPlan:
    """Everything `etk build` would do, computed without touching `dist/`."""

    templates_dir: Path
    dist_dir: Path
    staging: Staging | None = None  # where the content to write waits (None: --check, nothing to write)
    actions: list[FileAction] = field(default_factory=list)
    refusals: list[Problem] = field(default_factory=list)
    docs: list[DocsAction] | None = None  # the documentation pages, when planned

    def add(self, actions: list[FileAction]) -> None:
        """Plan `actions`, their content staged (or, with nothing to write, dropped)."""
        for action in actions:
            self.actions.append(self.staging.keep(action) if self.staging else replace(action, text=None))

    @property
    def pending(self) -> list[FileAction]:
        """Actions that change `dist/`."""
        return [action for action in self.actions if action.kind != "unchanged"]

    @property
    def pending_docs(self) -> list[DocsAction]:
        """Documentation files that are missing or differ."""
        return [action for action in self.docs or () if action.kind != "unchanged"]

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


def plan_build(
    templates_dir: Path,
    dist_dir: Path,
    *,
    diagrams: bool = False,
    docs: StartService | None = None,
    take_screenshots: TakeScreenshots | None = None,
    docs_templates: Path | None = None,
    stage: bool = True,
) -> BuildPlan:
    """Load, render and check every definition and decide what to write.

    With `diagrams`, the plan also writes `dist/examples/<name>.bpmn` for every definition. With
    `docs` (what starts the loopback services the examples run against), it also writes the
    documentation pages to `dist/docs/`, with the panel screenshots stored there for the current
    templates or, for the others, new ones from `take_screenshots` (None: placeholders), rendered
    with the Jinja2 templates of `docs_templates` before the built-in ones. Without
    `stage` (`--check`) the plan keeps no content, only what would change.
    Raises `DefinitionError` (every problem of every definition, FEEL, template and example
    checks included) when any definition has one; nothing is written then.
    """
    templates_dir, dist_dir = Path(templates_dir), Path(dist_dir)
    plan = BuildPlan(templates_dir, dist_dir, Staging() if stage else None)
    examples = BuildPlan(templates_dir, dist_dir, plan.staging)  # the example diagrams' actions
    problems: list[Problem] = []
    stems: set[str] = set()
    built: list[tuple[Definition, Template]] = []  # kept for the documentation site only
    for path in definition_files(templates_dir):
        definition, found = read_definition(path)
        if definition is None or found:
            problems += found
            continue
        rendered = render(definition)
        target = dist_dir / f"{definition.stem}.json"
        text = dump_json(rendered.template)
        found = check_rendered(rendered, target, text) + example_problems(rendered, for_diagram=diagrams)
        diagram_text = None
        if diagrams and not found:
            diagram_text, found = render_example(rendered)
        problems += found
        if problems:
            continue  # nothing will be written: only look for more problems
        stems.add(definition.stem)
        actions, refusals = template_file_actions(rendered, target, text)
        plan.add(actions)
        plan.refusals += refusals
        if diagram_text is not None:
            examples.add([example_file_action(example_path(dist_dir, definition.stem), definition.version, diagram_text)])
        if docs is not None:
            built.append((definition, rendered.template))
    if problems:
        raise DefinitionError(problems)
    plan.actions += examples.actions  # listed after the templates
    plan.refusals += orphan_refusals(dist_dir, "*.json", templates_dir, stems)
    if diagrams:
        plan.refusals += orphan_refusals(dist_dir / EXAMPLES, "*.bpmn", templates_dir, stems)
    if docs is not None:
        shots = gather_screenshots(screenshot_plans(built), dist_dir / DOCS, take_screenshots)
        site = plan_site(built, dist_dir, start_service=docs, template_dir=docs_templates, screenshots=shots)
        plan.docs, refusals = site_actions(site, dist_dir / DOCS)
        plan.refusals += refusals
    return plan


def refuse_if_blocked(plan: BuildPlan) -> None:
    """Raise a `ProblemsError` listing every refusal; nothing may be written then."""
    if plan.refusals:
        count = len(plan.refusals)
        lines = [f"nothing written: {count} problem{'s' if count != 1 else ''} with dist/"]
        raise ProblemsError(plan.refusals, "\n".join([*lines, *(refusal.message for refusal in plan.refusals)]))


def apply_plan(plan: BuildPlan) -> None:
    """Write the plan: archived copies first, then the templates, then the documentation pages,
    each file atomically."""
    refuse_if_blocked(plan)
    for kind in ("archive", "new", "update", "reformat"):
        for action in plan.actions:
            if action.kind == kind and action.staged is not None:
                write_bytes_atomic(action.path, action.staged.read_bytes())
    write_site(plan.docs or [], [])
    if plan.staging is not None:
        plan.staging.cleanup()
