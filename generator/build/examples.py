"""Example diagrams of definitions: check a definition's `example` values, render its example diagram.

A definition's `example` holds what a user types into the properties panel. The values are
applied to the rendered template exactly as `etk apply` / `etk diagram` do (`generator.apply`),
so a value the Modeler would refuse (an unknown property, an inactive one, a Hidden one, a
choice a dropdown does not offer) is reported at its line in the YAML. After applying, the
Modeler's constraint checks (`notEmpty`, `pattern`, ...) run on the example element, as
`@camunda/linting` would: an example that leaves a required field empty would not lint clean.

`etk build --diagrams` writes `dist/examples/<name>.bpmn` for every definition, an example
process around the template with these values (`generator.bpmn.example_diagram`).
"""

from __future__ import annotations

from pathlib import Path

from generator.apply import (
    ApplyError,
    Identity,
    apply_to_state,
    constraint_violations,
    new_element_state,
    value_key,
)
from generator.bpmn import TEMPLATED_ID, example_diagram
from generator.definition.model import Example, ExampleValue
from generator.problems import Location, Problem
from generator.template import RenderedTemplate

EXAMPLES = "examples"


def example_values(rendered: RenderedTemplate) -> dict[str, str]:
    """The definition's example values (`{property: typed text}`), empty without an `example`."""
    example = rendered.definition.example
    return example.as_mapping() if example is not None else {}


def example_problems(rendered: RenderedTemplate, *, for_diagram: bool) -> list[Problem]:
    """Problems of the definition's `example` on its rendered template.

    A definition without `example` is checked only `for_diagram` (its example diagram would
    then carry no values, so required fields stay empty).
    """
    definition = rendered.definition
    example = definition.example
    if example is None and not for_diagram:
        return []
    template = rendered.template
    state = new_element_state(template)
    try:
        apply_to_state(state, template, example_values(rendered), identity=Identity(TEMPLATED_ID))
    except ApplyError as error:
        # a misspelt key leaves its field empty: report the causes, not the constraint violations
        return [_example_problem(rendered, problem) for problem in error.problems]
    problems: list[Problem] = []
    for violation in constraint_violations(state, template):
        given = _given(example, *violation.names)
        if given is not None:
            message = f"example value for '{given.property}' breaks a constraint: {violation.message}"
            problems.append(Problem("error", "example", message, given.location))
            continue
        name = violation.names[0]
        fix = f"add `{name}: <value>` to `example`" if example else f"add an `example:` section with `{name}: <value>`"
        problems.append(
            Problem(
                "error",
                "example",
                f"the example diagram would not lint clean: {violation.message} (property '{name}'; {fix})",
                _section_location(rendered),
            )
        )
    return problems


def _example_problem(rendered: RenderedTemplate, problem: Problem) -> Problem:
    """An apply problem of the example values, located at the value's line in the definition."""
    given = _given(rendered.definition.example, value_key(problem))
    if problem.rule == "unknown-property":
        where = given.key_location if given else _section_location(rendered)
        return Problem("error", problem.rule, f"example: {problem.message}", where)
    where = given.location if given else _section_location(rendered)
    return Problem("error", problem.rule, f"example value the Modeler would not accept: {problem.message}", where)


def _given(example: Example | None, *keys: str | None) -> ExampleValue | None:
    """The example entry written for one of `keys` (a property's id or binding name)."""
    if example is None:
        return None
    return next((found for key in keys if key is not None and (found := example.value_for(key))), None)


def _section_location(rendered: RenderedTemplate) -> Location:
    """Where to report a problem of the example as a whole: its `example` key, else the definition."""
    example = rendered.definition.example
    return example.location if example is not None else rendered.definition.location


def example_path(dist_dir: Path, stem: str) -> Path:
    """`dist/examples/<stem>.bpmn`."""
    return Path(dist_dir) / EXAMPLES / f"{stem}.bpmn"


def render_example(rendered: RenderedTemplate) -> tuple[str | None, list[Problem]]:
    """The example diagram's text (deterministic: same definition, same bytes), or the problem
    that prevents it (an element type the example process cannot lay out)."""
    try:
        return example_diagram(rendered.template, example_values(rendered)).decode("utf-8"), []
    except ApplyError as error:
        return None, [Problem("error", "example-diagram", f"no example diagram: {error}", rendered.definition.location)]
