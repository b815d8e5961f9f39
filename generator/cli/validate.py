"""`etk validate`: check element-template files and report the findings a project selects."""

from __future__ import annotations

import json
import os
import subprocess
from collections import Counter
from pathlib import Path

import click

from generator.errors import EtkError
from generator.problems import SEVERITY_ORDER, Problem
from generator.validate import validate_files
from generator.validate.baseline import Key, fingerprint, new_findings, read_baseline, write_baseline
from generator.validate.config import Settings, find_settings_file, load_settings
from generator.validate.findings import FILE_ERRORS, GROUPS, RULES
from generator.validate.report import FORMATS, render
from generator.validate.selection import ALL, Selection, expand, severity


def _expand(paths: tuple[str, ...]) -> list[str]:
    """Files as given; a directory stands for the `*.json` files below it (sorted). A path that
    does not exist, or a directory with no `*.json` below it (a mistyped folder would otherwise
    pass a CI run silently), is an `EtkError` (exit 2), as in every other command."""
    files: list[str] = []
    for path in paths:
        if not os.path.lexists(path):
            raise EtkError(f"{path}: no such file or directory")
        if Path(path).is_dir():
            found = sorted(str(each) for each in Path(path).rglob("*.json") if each.is_file())
            if not found:
                raise EtkError(f"{path}: no *.json file in this directory or below it: nothing to validate")
            files += found
        else:
            files.append(path)
    return files


def _names(values: tuple[str, ...]) -> list[str]:
    """Rule names given as repeated options or comma-separated lists."""
    return [name.strip() for value in values for name in value.split(",") if name.strip()]


def _list_rules() -> None:
    click.echo("--select/--ignore take rule ids, groups, ALL, and DEFECTS (the rules marked \"defect\": "
               "the Modeler loads a template with it, silently)\n")
    for group, description in GROUPS.items():
        click.echo(f"{group}: {description}")
        for rule in RULES.values():
            if rule.group == group:
                click.echo(f"  {rule.id} ({rule.severity}{', defect' if rule.modeler_loads else ''}): {rule.summary}")
                click.echo(f"      breaks it: {rule.example}")
        click.echo()


def _selection(settings: Settings, selected: tuple[str, ...], ignored: tuple[str, ...], lowest: str | None,
               strict: bool) -> Selection:
    """Options over settings: --select replaces the configured select, --ignore adds to ignore."""
    where = str(settings.source) if settings.source else "settings"
    chosen = expand(_names(selected) or settings.select or [ALL], "--select" if selected else where)
    chosen -= expand([*settings.ignore, *_names(ignored)], "--ignore")
    return Selection(
        rules=chosen,
        lowest=severity(lowest or settings.severity or "warning", "--severity" if lowest else where),
        fail_on="warning" if strict or settings.strict else "error",
        per_file_ignores=tuple((pattern, expand(rules, f"{where} per-file-ignores"))
                               for pattern, rules in settings.per_file_ignores),
    )


@click.command("validate")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=True, path_type=str))
@click.option("--format", "output_format", type=click.Choice(FORMATS), default="text", show_default=True,
              help="text: `file:line:column: severity: message (pointer)` lines; json: an array of finding objects; "
                   "sarif: SARIF 2.1.0 for code scanning; github: workflow annotations; junit: JUnit XML.")
@click.option("--select", "selected", multiple=True, metavar="RULE",
              help="Report only these rules or groups (repeat or separate by commas; ALL for every rule, "
                   "DEFECTS for the defects the Modeler loads templates with).")
@click.option("--ignore", "ignored", multiple=True, metavar="RULE", help="Do not report these rules or groups.")
@click.option("--severity", "lowest", default=None, metavar="LEVEL",
              help="Show findings of this severity and worse: error, warning (default) or info.")
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too, not only on errors.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Settings file (etk.toml, or pyproject.toml with [tool.etk.validate]); default: the nearest one.")
@click.option("--baseline", "baseline_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Report only findings this baseline file does not already hold.")
@click.option("--update-baseline", is_flag=True, help="Write every selected finding to the baseline file, then exit 0.")
@click.option("--base", "base_ref", default=None, metavar="REV",
              help="Git revision to compare templates with: a changed template needs a new version, and the version "
                   "it replaced a copy under versioned/.")
@click.option("--statistics", is_flag=True,
              help="Print how many findings each rule reported (most first) instead of the findings.")
@click.option("--list-rules", is_flag=True, help="Print every rule with its severity, group and an example, then exit.")
def validate(files: tuple[str, ...], output_format: str, selected: tuple[str, ...], ignored: tuple[str, ...],
             lowest: str | None, strict: bool, config_path: Path | None, baseline_path: Path | None, update_baseline: bool,
             base_ref: str | None, statistics: bool, list_rules: bool) -> None:
    """Validate Camunda 8 element templates (a template object or an array per file).

    Checks etk's JSON Schema of the format, the rules the Modeler applies when it loads
    templates ($schema, unique id and version, elementType, engines), which properties can
    ever be active (conditions over dropdown choices, defaults and Hidden values), bindings
    two active properties share, what Hidden input mappings read, keys the format does not
    define, JavaScript patterns, FEEL syntax and what the properties panel shows. A
    directory stands for every *.json file below it.

    A file that cannot be read as templates (unreadable, not JSON, a repeated key, no
    template) is always reported, whatever --select, --ignore, --severity or a baseline say.

    Exit status: 0 when no reported finding is an error (warnings are allowed unless
    --strict), 1 otherwise, 2 for usage errors and paths that do not exist.
    """
    if list_rules:
        _list_rules()
        return
    if not files:
        raise click.UsageError("give at least one template file or directory (or --list-rules)")
    if statistics and output_format != "text":
        raise click.UsageError("--statistics prints a text table: leave out --format")
    settings = load_settings(config_path or find_settings_file(Path.cwd()))
    selection = _selection(settings, selected, ignored, lowest, strict)
    baseline_file = baseline_path or settings.baseline
    if update_baseline and baseline_file is None:
        raise click.UsageError("--update-baseline needs a baseline file: --baseline FILE, or baseline in the settings")
    paths = _expand(files)
    previous = _previous_contents(paths, base_ref) if base_ref else None
    findings = [each for each in validate_files(paths, previous=previous) if selection.wants(each)]
    known = 0
    if baseline_file is not None:
        keyed = _fingerprints(findings, baseline_file.parent)
        if update_baseline:
            count = write_baseline(baseline_file, keyed)
            click.echo(f"wrote {baseline_file}: {count} finding(s) in {len(paths)} file(s)", err=True)
            findings = [each for each in findings if each.rule in FILE_ERRORS]  # not in the baseline: still reported
            if not findings:
                return
        else:
            fresh = new_findings(keyed, read_baseline(baseline_file))
            known, findings = len(findings) - len(fresh), fresh
    shown = [each for each in findings if selection.shown(each)]
    output = _statistics(shown) if statistics else render(output_format, shown, paths, _version())
    if output:
        click.echo(output)
    click.echo(_summary(len(paths), findings, shown, known), err=True)
    if selection.fails(shown):
        raise SystemExit(1)


def _statistics(findings: list[Problem]) -> str:
    """One line per rule that reported something: count, severity, rule id and summary, most first."""
    counts = Counter(each.rule for each in findings)
    order = sorted(counts, key=lambda rule: (SEVERITY_ORDER[RULES[rule].severity], -counts[rule], rule))
    width = max((len(rule) for rule in order), default=0)
    return "\n".join(f"{counts[rule]:6}  {RULES[rule].severity:7}  {rule:{width}}  {RULES[rule].summary}" for rule in order)


def _previous_contents(paths: list[str], revision: str) -> dict[str, object]:
    """The parsed content of each file at git `revision` (files it does not have are left out)."""
    check = subprocess.run(["git", "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}"], capture_output=True, text=True)
    if check.returncode != 0:
        raise EtkError(f"--base: {revision!r} is no git revision here (run etk validate inside the repository)")
    contents: dict[str, object] = {}
    for path in paths:
        folder, name = os.path.split(os.path.abspath(path))
        shown = subprocess.run(["git", "show", f"{revision}:./{name}"], cwd=folder, capture_output=True)
        if shown.returncode == 0:
            try:
                contents[path] = json.loads(shown.stdout.decode("utf-8-sig"))
            except (UnicodeDecodeError, ValueError):
                continue  # not a template then: nothing to compare with
    return contents


def _fingerprints(findings: list[Problem], folder: Path) -> list[tuple[Problem, Key]]:
    documents: dict[str, object] = {}
    keyed = []
    for each in findings:
        file = each.location.file or ""
        if file not in documents:
            try:
                documents[file] = json.loads(Path(file).read_text(encoding="utf-8-sig"))
            except (OSError, UnicodeDecodeError, ValueError):
                documents[file] = None
        keyed.append((each, fingerprint(each, documents[file], folder)))
    return keyed


def _version() -> str:
    from generator import __version__

    return __version__


def _summary(files: int, findings: list[Problem], shown: list[Problem], known: int) -> str:
    counts = {level: sum(each.severity == level for each in shown) for level in SEVERITY_ORDER}
    text = f"{files} file(s): {counts['error']} error(s), {counts['warning']} warning(s)"
    if counts["info"]:
        text += f", {counts['info']} info"
    hidden = len(findings) - len(shown)
    if hidden:
        text += f" ({hidden} more below --severity, not shown)"
    if known:
        text += f"; {known} known from the baseline"
    return text
