"""`etk validate`: check element-template files and print one line (or JSON object) per finding."""

from __future__ import annotations

import json
from pathlib import Path

import click

from generator.problems import Problem
from generator.validate import validate_file


def _expand(paths: tuple[str, ...]) -> list[str]:
    """Files as given; a directory stands for the `*.json` files below it (sorted)."""
    files: list[str] = []
    for path in paths:
        if Path(path).is_dir():
            files += sorted(str(each) for each in Path(path).rglob("*.json") if each.is_file())
        else:
            files.append(path)
    return files


@click.command("validate")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=True, path_type=str))
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: `file:line:column: severity: message (pointer)` lines; json: an array of finding objects.")
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too, not only on errors.")
def validate(files: tuple[str, ...], output_format: str, strict: bool) -> None:
    """Validate Camunda 8 element templates (a template object or an array per file).

    Checks etk's JSON Schema of the format, the rules the Modeler applies when it loads
    templates ($schema, unique id and version, elementType, engines), semantic rules
    (unique property and group ids, condition targets and values, groups, dropdown defaults,
    the elementTemplateVersion header) and the FEEL syntax of FEEL values. A directory
    stands for every *.json file below it.

    Exit status: 0 when no file has errors (warnings are allowed unless --strict), 1 otherwise.
    """
    findings: list[Problem] = []
    paths = _expand(files)
    for path in paths:
        findings += validate_file(path)
    if output_format == "json":
        click.echo(json.dumps([each.to_dict() for each in findings], indent=2, ensure_ascii=False))
    else:
        for each in findings:
            click.echo(each.describe())
    errors = sum(each.severity == "error" for each in findings)
    warnings = len(findings) - errors
    click.echo(f"{len(paths)} file(s): {errors} error(s), {warnings} warning(s)", err=True)
    if errors or (strict and warnings):
        raise SystemExit(1)
