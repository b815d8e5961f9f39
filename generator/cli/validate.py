"""`etk validate`: check element-template files and print one line (or JSON object) per finding."""

from __future__ import annotations

import json
from pathlib import Path

import click

from generator.problems import SEVERITY_ORDER, Problem
from generator.validate import validate_file
from generator.validate.findings import GROUPS, RULES
from generator.validate.selection import ALL, Selection, expand, severity


def _expand(paths: tuple[str, ...]) -> list[str]:
    """Files as given; a directory stands for the `*.json` files below it (sorted)."""
    files: list[str] = []
    for path in paths:
        if Path(path).is_dir():
            files += sorted(str(each) for each in Path(path).rglob("*.json") if each.is_file())
        else:
            files.append(path)
    return files


def _names(values: tuple[str, ...]) -> list[str]:
    """Rule names given as repeated options or comma-separated lists."""
    return [name.strip() for value in values for name in value.split(",") if name.strip()]


def _list_rules() -> None:
    for group, description in GROUPS.items():
        click.echo(f"{group}: {description}")
        for rule in RULES.values():
            if rule.group == group:
                click.echo(f"  {rule.id} ({rule.severity}): {rule.summary}")
                click.echo(f"      breaks it: {rule.example}")
        click.echo()


@click.command("validate")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=True, path_type=str))
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: `file:line:column: severity: message (pointer)` lines; json: an array of finding objects.")
@click.option("--select", "selected", multiple=True, metavar="RULE",
              help="Report only these rules or groups (repeat or separate by commas; ALL for every rule).")
@click.option("--ignore", "ignored", multiple=True, metavar="RULE", help="Do not report these rules or groups.")
@click.option("--severity", "lowest", default="warning", show_default=True, metavar="LEVEL",
              help="Show findings of this severity and worse: error, warning or info (the others are only counted).")
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too, not only on errors.")
@click.option("--list-rules", is_flag=True, help="Print every rule with its severity, group and an example, then exit.")
def validate(files: tuple[str, ...], output_format: str, selected: tuple[str, ...], ignored: tuple[str, ...],
             lowest: str, strict: bool, list_rules: bool) -> None:
    """Validate Camunda 8 element templates (a template object or an array per file).

    Checks etk's JSON Schema of the format, the rules the Modeler applies when it loads
    templates ($schema, unique id and version, elementType, engines), which properties can
    ever be active (conditions over dropdown choices, defaults and Hidden values), bindings
    two active properties share, what Hidden input mappings read, keys the format does not
    define, JavaScript patterns, FEEL syntax and what the properties panel shows. A
    directory stands for every *.json file below it.

    Exit status: 0 when no reported finding is an error (warnings are allowed unless
    --strict), 1 otherwise, 2 for usage errors.
    """
    if list_rules:
        _list_rules()
        return
    if not files:
        raise click.UsageError("give at least one template file or directory (or --list-rules)")
    chosen = expand(_names(selected) or [ALL], "--select") - expand(_names(ignored), "--ignore")
    selection = Selection(rules=chosen, lowest=severity(lowest, "--severity"), fail_on="warning" if strict else "error")
    paths = _expand(files)
    findings: list[Problem] = [each for path in paths for each in validate_file(path) if selection.wants(each)]
    shown = [each for each in findings if selection.shown(each)]
    if output_format == "json":
        click.echo(json.dumps([each.to_dict() for each in shown], indent=2, ensure_ascii=False))
    else:
        for each in shown:
            click.echo(each.describe())
    click.echo(_summary(len(paths), findings, shown), err=True)
    if selection.fails(shown):
        raise SystemExit(1)


def _summary(files: int, findings: list[Problem], shown: list[Problem]) -> str:
    counts = {level: sum(each.severity == level for each in shown) for level in SEVERITY_ORDER}
    text = f"{files} file(s): {counts['error']} error(s), {counts['warning']} warning(s)"
    if counts["info"]:
        text += f", {counts['info']} info"
    hidden = len(findings) - len(shown)
    if hidden:
        text += f" ({hidden} more below --severity, not shown)"
    return text
