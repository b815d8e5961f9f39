"""Checks run on every rendered template before it is written: FEEL syntax and the template validator.

Both report `Problem`s located in the definition (found through the rendered template's
property sources), so a build error always points at the YAML line to change. The FEEL parser
(`generator.feel`) and the element-template validator (`generator.validate`) are separate
packages; a check whose package is not installed yet is skipped.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

from generator.definition import Problem, display_path
from generator.template.render import RenderedTemplate


def _optional_module(name: str) -> Any | None:
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as error:
        if error.name and name.startswith(error.name):
            return None
        raise


def feel_syntax_problems(rendered: RenderedTemplate) -> dict[str, Problem]:
    """A problem, by JSON pointer, for every FEEL value of the template that `generator.feel.parse` rejects."""
    feel = _optional_module("generator.feel")
    parse = getattr(feel, "parse", None)
    if parse is None:
        return {}
    syntax_error = getattr(feel, "FeelSyntaxError", Exception)
    problems = {}
    for pointer, expression in rendered.feel_values():
        try:
            parse(expression)
        except syntax_error as error:
            location = rendered.source_of(pointer) or rendered.definition.location
            problems[pointer] = Problem(
                location, f"the generated FEEL at {pointer} does not parse: {error}\n{_excerpt(expression, error)}"
            )
    return problems


def _excerpt(expression: str, error: Exception, width: int = 60) -> str:
    """The line of `expression` around the error's column, with a caret under it."""
    lines = expression.splitlines() or [""]
    line = lines[min(max(getattr(error, "line", 1), 1), len(lines)) - 1]
    column = max(getattr(error, "column", 1), 1) - 1
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
    validate = _optional_module("generator.validate")
    validate_template = getattr(validate, "validate_template", None)
    if validate_template is None:
        return []
    problems = []
    panel_rules = getattr(validate, "PANEL_RULE_IDS", frozenset())
    for finding in validate_template(rendered.template, file=display_path(target), source_text=text):
        # what a user of the generated template would see in the properties panel is refused
        # too, although it is only a warning for third-party templates
        if getattr(finding, "severity", "error") != "error" and getattr(finding, "rule", "") not in panel_rules:
            continue
        pointer = getattr(finding, "pointer", "") or ""
        if getattr(finding, "rule", "") == "feel-syntax" and pointer in known:
            continue
        location = rendered.source_of(pointer) or rendered.definition.location
        problems.append(Problem(location, f"the generated template breaks a rule: {finding}"))
    return problems


def check_rendered(rendered: RenderedTemplate, target: Path, text: str) -> list[Problem]:
    """Every FEEL and validator problem of one rendered template."""
    feel_problems = feel_syntax_problems(rendered)
    return [*feel_problems.values(), *validator_problems(rendered, target, text, known=frozenset(feel_problems))]
