"""Plan and carry out `etk build`: render every definition, check it, version `dist/`, write atomically.

`plan_build` computes everything first (nothing is written): the rendered templates, the FEEL,
template and example checks (`checks`, `examples`), and per output file what to do
(`versioning`); with `docs`, also the documentation pages (`generator.docs`). `etk build` then
applies the plan, `etk build --check` only reports it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
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
from generator.definition import DefinitionError, display_path, load_definitions
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
from generator.errors import EtkError
from generator.files import dump_json, write_text_atomic
from generator.problems import Problem, ProblemsError
from generator.template import RenderedTemplate, render

DOCS = "docs"  # dist/docs/: the documentation pages


@dataclass
class BuildPlan:
    """Everything `etk build` would do, computed without writing."""

    templates_dir: Path
    dist_dir: Path
    rendered: list[tuple[RenderedTemplate, Path]] = field(default_factory=list)
    actions: list[FileAction] = field(default_factory=list)
    refusals: list[Problem] = field(default_factory=list)
    docs: list[DocsAction] | None = None  # the documentation pages, when planned

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
) -> BuildPlan:
    """Load, render and check every definition and decide what to write.

    With `diagrams`, the plan also writes `dist/examples/<name>.bpmn` for every definition. With
    `docs` (what starts the loopback services the examples run against), it also writes the
    documentation pages to `dist/docs/`, with the panel screenshots stored there for the current
    templates or, for the others, new ones from `take_screenshots` (None: placeholders).
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
        actions, refusals = template_file_actions(rendered, target, text)
        plan.actions += actions
        plan.refusals += refusals
    stems = {rendered.definition.stem for rendered, _ in plan.rendered}
    plan.refusals += orphan_refusals(dist_dir, "*.json", templates_dir, stems)
    if diagrams:
        for (rendered, _), diagram_text in zip(plan.rendered, diagram_texts, strict=True):
            assert diagram_text is not None  # rendered whenever the definition has no problems
            target = example_path(dist_dir, rendered.definition.stem)
            plan.actions.append(example_file_action(target, rendered.definition.version, diagram_text))
        plan.refusals += orphan_refusals(dist_dir / EXAMPLES, "*.bpmn", templates_dir, stems)
    if docs is not None:
        built = [(rendered.definition, rendered.template) for rendered, _ in plan.rendered]
        shots = gather_screenshots(screenshot_plans(built), dist_dir / DOCS, take_screenshots)
        site = plan_site(built, dist_dir, start_service=docs, screenshots=shots)
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
            if action.kind == kind and action.text is not None:
                write_text_atomic(action.path, action.text)
    write_site(plan.docs or [], [])
