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


def feel_syntax_problems(rendered: RenderedTemplate) -> list[Problem]:
    """A problem for every FEEL value of the template that `generator.feel.parse` rejects."""
    feel = _optional_module("generator.feel")
    parse = getattr(feel, "parse", None)
    if parse is None:
        return []
    syntax_error = getattr(feel, "FeelSyntaxError", Exception)
    problems = []
    for pointer, expression in rendered.feel_values():
        try:
            parse(expression)
        except syntax_error as error:
            location = rendered.source_of(pointer) or rendered.definition.location
            problems.append(Problem(location, f"the generated FEEL at {pointer} does not parse: {error}\n    ={expression}"))
    return problems


def validator_problems(rendered: RenderedTemplate, target: Path, text: str) -> list[Problem]:
    """A problem for every error the element-template validator finds in the rendered template."""
    validate = _optional_module("generator.validate")
    validate_template = getattr(validate, "validate_template", None)
    if validate_template is None:
        return []
    problems = []
    for finding in validate_template(rendered.template, file=display_path(target), source_text=text):
        if getattr(finding, "severity", "error") != "error":
            continue
        pointer = getattr(finding, "pointer", "") or ""
        location = rendered.source_of(pointer) or rendered.definition.location
        problems.append(Problem(location, f"the generated template breaks a rule: {finding}"))
    return problems


def check_rendered(rendered: RenderedTemplate, target: Path, text: str) -> list[Problem]:
    """Every FEEL and validator problem of one rendered template."""
    return feel_syntax_problems(rendered) + validator_problems(rendered, target, text)
