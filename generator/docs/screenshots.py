"""Panel screenshots on the documentation pages: the properties panel per operation, filled in
with the definition's example values, taken in headless Chromium by a caller-supplied taker (etk's
panel preview tooling), kept in the docs folder together with a record of what they show, and
reused while that is unchanged.

What a screenshot shows is planned here (`screenshot_plan`): per operation of the template (one
screenshot without operations) the operation selected and the example's values that the operation
shows typed in (fields shared by all operations take the example's values), plus the values
`docs.screenshots` adds for that operation, so that a reader sees a filled panel without red
messages. The values are checked like values typed into the Modeler.

Chromium's pixels are not part of the deterministic build: a screenshot is taken only when the
docs folder holds none for the current plan (its record names the SHA-256 of the template and
the typed values), so a rerun or `--check` never needs a browser and never sees different bytes.
The record, `images/<name>/panel.txt`, is a generated file like the pages; when the plan changes
and no browser can retake them, the old screenshots leave with it and the pages show placeholders.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.apply import ApplyError, apply_template, value_key
from generator.apply.bindings import binding_label
from generator.definition import DefinitionError
from generator.definition.model import Definition, ExampleValue
from generator.docs.panel import shown_for
from generator.element_template import Template
from generator.files import dump_json
from generator.problems import Problem

IMAGES = "images"
RECORD = "panel.txt"  # not JSON: every *.json below dist/ is an element template
OPERATION_PROPERTY = "operation"
RULE = "docs-screenshot"


@dataclass(frozen=True)
class Screenshot:
    """A PNG of the properties panel for one operation (`""`: a template without operations),
    taken for the plan whose fingerprint it carries."""

    stem: str
    operation: str
    png: bytes
    fingerprint: str

    @property
    def file_name(self) -> str:
        return f"{self.operation or 'panel'}.png"


@dataclass(frozen=True)
class ScreenshotPlan:
    """What the screenshots of one template show: per operation (`""` without operations) the
    values typed into the freshly applied panel, in the order they are typed."""

    stem: str
    template: Template
    values: Mapping[str, Mapping[str, str]]

    @property
    def fingerprint(self) -> str:
        """The SHA-256 of the template as `etk build` writes it and of the typed values."""
        shown = {"template": self.template, "typed": self.values}
        return hashlib.sha256(dump_json(shown).encode("utf-8")).hexdigest()


# a plan -> operation -> PNG of the panel, in the plan's order; raises its own error when it cannot
TakeScreenshots = Callable[[ScreenshotPlan], Mapping[str, bytes]]


def screenshot_plans(built: Sequence[tuple[Definition, Template]]) -> list[ScreenshotPlan]:
    """The plan of every definition with its built template; raises `DefinitionError` with every
    value the Modeler would not accept."""
    plans: list[ScreenshotPlan] = []
    problems: list[Problem] = []
    for definition, template in built:
        plan, found = screenshot_plan(definition, template)
        plans.append(plan)
        problems += found
    if problems:
        raise DefinitionError(problems)
    return plans


def screenshot_plan(definition: Definition, template: Template) -> tuple[ScreenshotPlan, list[Problem]]:
    """The screenshots `definition`'s page shows, and a problem (at its line) for every typed
    value the Modeler would not accept."""
    example = definition.example.values if definition.example is not None else ()
    added = {shot.operation: shot for shot in definition.docs.screenshots} if definition.docs is not None else {}
    values: dict[str, dict[str, str]] = {}
    problems: list[Problem] = []
    for operation, where_defined in [(item.id, item.location) for item in definition.operations] or [("", definition.location)]:
        given = [item for item in example if _shown(template, item.property, operation)]
        if operation:
            given = [item for item in given if item.property != OPERATION_PROPERTY]
            given.insert(0, ExampleValue(OPERATION_PROPERTY, operation, where_defined, where_defined))
        if operation in added:
            extra = added[operation].values
            given = [item for item in given if item.property not in {each.property for each in extra}] + list(extra)
        typed = {item.property: item.value for item in given}
        try:
            apply_template(template, typed)
        except ApplyError as error:
            where = {item.property: item.location for item in given}
            fallback = added[operation].location if operation in added else definition.location
            problems += [
                Problem("error", RULE, f"docs: the screenshot of {operation or 'the panel'}: {problem.message}",
                        where.get(value_key(problem) or "", fallback))
                for problem in error.problems
            ]
        values[operation] = typed
    return ScreenshotPlan(definition.stem, template, values), problems


def _shown(template: Template, name: str, operation: str) -> bool:
    """Whether a property `name` (id, else binding name) can show while `operation` is selected."""
    properties = list(template.get("properties", ()))
    named = [prop for prop in properties if prop.get("id") == name] or [
        prop for prop in properties if prop.get("type") != "Hidden" and binding_label(prop["binding"]) == name
    ]
    return not operation or any(shown_for(prop, OPERATION_PROPERTY, operation) for prop in named)


def images_folder(stem: str) -> str:
    """The site path of a template's images, e.g. `images/azure-openai`."""
    return f"{IMAGES}/{stem}"


def record(template: Template, shots: Sequence[Screenshot]) -> bytes:
    """The record stored beside the screenshots of `template` (taken for one plan): a comment
    naming the template, the SHA-256 of what they show, then one line per screenshot
    (`<operation or -> <file>`)."""
    lines = [
        f"# panel screenshots of {template.get('id')} version {template.get('version')}, taken by etk docs",
        f"sha256 {shots[0].fingerprint}",
        *(f"{shot.operation or '-'} {shot.file_name}" for shot in shots),
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _read_record(folder: Path) -> tuple[str | None, list[tuple[str, str]]]:
    """`(sha256, [(operation, file name)])` of the record in `folder`; `(None, [])` without one."""
    try:
        lines = (folder / RECORD).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None, []
    sha256: str | None = None
    entries = []
    for line in lines:
        key, _, value = line.partition(" ")
        if key.startswith("#") or not value:
            continue
        if key == "sha256":
            sha256 = value
        else:
            entries.append(("" if key == "-" else key, Path(value).name))
    return sha256, entries


def stored_screenshots(docs_dir: Path, plan: ScreenshotPlan) -> list[Screenshot] | None:
    """The screenshots in `docs_dir` whose record says they show `plan`, else None."""
    folder = Path(docs_dir) / images_folder(plan.stem)
    sha256, entries = _read_record(folder)
    if sha256 != plan.fingerprint:
        return None
    try:
        return [Screenshot(plan.stem, operation, (folder / name).read_bytes(), sha256) for operation, name in entries]
    except OSError:
        return None


def recorded_files(docs_dir: Path, stem: str) -> list[str]:
    """Site paths of the screenshots and record a (possibly outdated) record in `docs_dir` lists:
    generated files that a new build replaces or removes."""
    sha256, entries = _read_record(Path(docs_dir) / images_folder(stem))
    if sha256 is None:
        return []
    return [f"{images_folder(stem)}/{name}" for name in [*(name for _, name in entries), RECORD]]


def gather_screenshots(plans: Sequence[ScreenshotPlan], docs_dir: Path, take: TakeScreenshots | None) -> list[Screenshot]:
    """Per plan, the stored screenshots when they show it, else new ones from `take` (None: none
    can be taken, e.g. `--check` or no browser)."""
    shots: list[Screenshot] = []
    for plan in plans:
        found = stored_screenshots(docs_dir, plan)
        if found is None and take is not None:
            found = [Screenshot(plan.stem, operation, png, plan.fingerprint) for operation, png in take(plan).items()]
        shots += found or []
    return shots
