"""Loading template files for the commands that use them (`etk apply`, `diagram`, `run`).

A template file is read and checked by the same code as `etk validate`, and a file validate
reports errors for is refused with validate's findings: like the Modeler, which does not offer
a template its validator rejects, etk applies and runs valid templates only. So every command
refuses the same files with the same messages, and the code that applies a template never sees
a value of the wrong JSON type.
"""

from __future__ import annotations

from pathlib import Path
from typing import cast

from generator.element_template import Template
from generator.errors import EtkError
from generator.problems import Problem, ProblemsError
from generator.validate.findings import RULES
from generator.validate.validator import read_template_file

MAX_SHOWN_FINDINGS = 10


class InvalidTemplateFile(ProblemsError):
    """A template file `etk validate` reports errors for; `problems` are those errors."""

    def __init__(self, file: str, findings: list[Problem]) -> None:
        self.file = file
        if len(findings) == 1:
            text = _describe(findings[0])
        else:
            lines = [f"{file}: {len(findings)} errors (what `etk validate` reports); etk uses valid templates only:"]
            lines += [f"  {_describe(each)}" for each in findings[:MAX_SHOWN_FINDINGS]]
            if len(findings) > MAX_SHOWN_FINDINGS:
                lines.append(f"  ... and {len(findings) - MAX_SHOWN_FINDINGS} more (`etk validate {file}` lists them all)")
            text = "\n".join(lines)
        super().__init__(findings, text)


def _describe(problem: Problem) -> str:
    """`file:line:column: message (pointer)`, the pointer left out at the root."""
    pointer = problem.location.pointer
    return str(problem) + (f" ({pointer})" if pointer else "")


def load_template_file(path: Path | str) -> list[Template]:
    """The templates in the file at `path` (one object, or an array of versions), in file order.

    Raises `InvalidTemplateFile` when `etk validate` would report an error for the file (an
    unreadable file, invalid JSON, a schema or rule violation) that the Modeler also stops at;
    warnings, and defects the Modeler loads templates with (a never-active property, ...), do not
    stop it: etk applies what the Modeler applies.
    """
    value, findings = read_template_file(path)
    errors = [each for each in findings if each.severity == "error" and not RULES[each.rule].modeler_loads]
    if errors:
        raise InvalidTemplateFile(str(path), errors)
    if value == []:
        raise EtkError(f"{path}: the file holds no template (an empty array)")
    # the validator found no error: the JSON is an element template (or an array of them)
    return cast(list[Template], value if isinstance(value, list) else [value])
