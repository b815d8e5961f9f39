"""Checks run on every rendered template before it is written: FEEL syntax and the template validator.

Both report `Problem`s located in the definition (found through the rendered template's
property sources), so a build error always points at the YAML line to change.
"""

from __future__ import annotations

from pathlib import Path

from generator.definition import display_path
from generator.feel import FeelSyntaxError, parse
from generator.problems import Problem
from generator.template import RenderedTemplate
from generator.validate import BUILD_REFUSED_PANEL_RULES, RULES, validate_template


def feel_syntax_problems(rendered: RenderedTemplate) -> dict[str, Problem]:
    """A problem, by JSON pointer, for every FEEL value of the template that `generator.feel.parse` rejects."""
    problems = {}
    for pointer, expression in rendered.feel_values():
        try:
            parse(expression)
        except FeelSyntaxError as error:
            location = rendered.source_of(pointer) or rendered.definition.location
            message = f"the generated FEEL at {pointer} does not parse: {error}\n{_excerpt(expression, error)}"
            problems[pointer] = Problem("error", "feel-syntax", message, location)
    return problems


def _excerpt(expression: str, error: FeelSyntaxError, width: int = 60) -> str:
    """The line of `expression` around the error's column, with a caret under it."""
    lines = expression.splitlines() or [""]
    line = lines[min(max(error.line, 1), len(lines)) - 1]
    column = max(error.column, 1) - 1
    start = max(column - width, 0)
    prefix = "..." if start else ""
    text = prefix + line[start : column + width] + ("..." if column + width < len(line) else "")
    return f"    {text}\n    {' ' * (len(prefix) + column - start)}^"


def validator_problems(
    rendered: RenderedTemplate, target: Path, text: str, *, known: frozenset[str] = frozenset()
) -> list[Problem]:
    """A problem for every error the element-template validator finds in the rendered template,
    and for every finding of its properties-panel rules.

    FEEL syntax findings at `known` pointers are left out: `feel_syntax_problems` reports them
    with the expression.
    """
    problems = []
    for finding in validate_template(rendered.template, file=display_path(target), source_text=text):
        # defects the Modeler loads silently (a never-active property, ...) are refused although
        # they are only warnings for third-party templates; so is what a user of the generated
        # template would see in the properties panel -- but not for a definition that writes its
        # properties out (explicit mode, e.g. an imported third-party template)
        panel_rule = finding.rule in BUILD_REFUSED_PANEL_RULES and not rendered.definition.explicit
        if finding.severity != "error" and not RULES[finding.rule].modeler_loads and not panel_rule:
            continue
        pointer = finding.location.pointer or ""
        if finding.rule == "feel-syntax" and pointer in known:
            continue
        location = rendered.source_of(pointer) or rendered.definition.location
        problems.append(Problem("error", finding.rule, f"the generated template breaks a rule: {finding.describe()}", location))
    return problems


def check_rendered(rendered: RenderedTemplate, target: Path, text: str) -> list[Problem]:
    """Every FEEL and validator problem of one rendered template."""
    feel_problems = feel_syntax_problems(rendered)
    return [*feel_problems.values(), *validator_problems(rendered, target, text, known=frozenset(feel_problems))]
