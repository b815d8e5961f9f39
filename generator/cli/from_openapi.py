"""`etk from-openapi`: an API description -> a connector definition (or, with --scan, what would be generated)."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from generator.errors import EtkError

if TYPE_CHECKING:
    from generator.openapi.document import ApiDocument
    from generator.openapi.generate import GeneratedDefinition


@click.command("from-openapi")
@click.argument("spec", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--operations", metavar="ID,...",
              help="Only these operations (operationId, METHOD /path, or the id --scan shows); default: all, "
                   "or those of the last generation when regenerating.")
@click.option("--id", "template_id", metavar="ID", help="Template id (default io.etk.connectors.<Title>.v1).")
@click.option("--name", metavar="NAME", help="Template name (default: the API's title).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Definition file to write (default templates/<title>.yaml).")
@click.option("--scan", is_flag=True, help="Write nothing: list every operation, what it becomes and why any is skipped.")
@click.option("--force", is_flag=True, help="Overwrite an existing definition that etk did not generate.")
def from_openapi(spec: Path, operations: str | None, template_id: str | None, name: str | None,
                 output: Path | None, scan: bool, force: bool) -> None:
    """Generate a connector definition from an OpenAPI 3.0/3.1 or Swagger 2.0 description (JSON or YAML).

    Each chosen operation becomes an entry of the operation dropdown: path, query and header
    parameters and the members of a JSON or form body become fields (enums as dropdowns, ranges,
    lengths and patterns as constraints, descriptions as tooltips); the servers become the base URL
    fields and the security schemes the REST connector's authentication types. Then `etk build`.

    Regenerating into an existing definition keeps your edits: a three-way merge with the last
    generation, recorded beside it in <name>.from-openapi.json (commit that file too).

    \b
    Examples:
      etk from-openapi api.yaml --scan
      etk from-openapi api.yaml --operations createItem,getItem -o templates/todo.yaml
    """
    from generator.openapi.document import load_document
    from generator.openapi.generate import generate_definition

    document = load_document(spec)
    target = output or Path("templates") / f"{_slug(str((document.spec.get('info') or {}).get('title') or spec.stem))}.yaml"
    record = _previous_record(target) if not scan else None
    wanted = [item.strip() for item in operations.split(",") if item.strip()] if operations else None
    if wanted is None and record is not None and isinstance(record.get("operations"), list):
        wanted = [str(item) for item in record["operations"]]
    template_id = template_id or (record or {}).get("id")
    name = name or (record or {}).get("name")
    generated = generate_definition(document, operations=wanted, template_id=template_id, name=name)
    if scan:
        _print_scan(document, generated)
        return
    if not generated.generated:
        raise EtkError(f"{spec}: no operation could be generated; see `etk from-openapi {spec} --scan` for why")
    _write(spec, document, generated, target, record, wanted, template_id, name, force)


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "api"


def _previous_record(target: Path) -> dict[str, Any] | None:
    from generator.openapi.regenerate import load_base

    return load_base(target) if target.exists() else None


def _print_scan(document: ApiDocument, generated: GeneratedDefinition) -> None:
    title = (document.spec.get("info") or {}).get("title") or document.path.name
    click.echo(f"{document.path}: {title} (OpenAPI {document.source_version}), "
               f"{len(generated.reports)} operations")
    for report in generated.reports:
        if not report.chosen:
            mark, what = " ", "not chosen"
        elif report.skipped:
            mark, what = "-", f"skipped: {report.skipped}"
        else:
            mark, what = "+", f"-> {report.definition_id} ({report.label})"
        name = report.operation_id or ""
        click.echo(f"{mark} {report.key}  {name}  {what}".replace("    ", "  "))
        if report.chosen and not report.skipped:
            for item in report.fields:
                click.echo(f"      field {item}")
            for note in report.notes:
                click.echo(f"      note: {note}")
    for warning in generated.warnings:
        click.echo(f"note: {warning}")
    made = len(generated.generated)
    skipped = sum(1 for report in generated.reports if report.chosen and report.skipped)
    click.echo(f"{made} operations would be generated, {skipped} skipped, "
               f"{sum(1 for report in generated.reports if not report.chosen)} not chosen")


def _write(spec: Path, document: ApiDocument, generated: GeneratedDefinition, target: Path,
           record: dict[str, Any] | None, wanted: list[str] | None, template_id: str | None, name: str | None,
           force: bool) -> None:
    from generator.definition.write import definition_text
    from generator.openapi.generate import SCHEMA_COMMENT
    from generator.openapi.regenerate import merge_definition, sidecar_path, write_generation

    info = document.spec.get("info") or {}
    header = [
        SCHEMA_COMMENT,
        "#",
        f"# Generated by `etk from-openapi` from {spec.name} ({info.get('title', '')} {info.get('version', '')}, "
        f"OpenAPI {document.source_version}).",
        f"# Edit it freely: regenerating merges the new generation into your changes ({sidecar_path(target).name}).",
    ]
    fresh = definition_text(generated.data, header)
    saved = {
        "spec": os.path.relpath(spec.resolve(), target.resolve().parent),
        "operations": wanted,
        "id": template_id,
        "name": name,
        "generated": generated.data,
    }
    if target.exists() and record is None and not force:
        raise EtkError(f"{target}: exists and was not generated by etk from-openapi (no {sidecar_path(target).name} "
                       "beside it): choose another -o, or pass --force to overwrite it")
    if target.exists() and record is not None:
        text, merged = merge_definition(target.read_text(encoding="utf-8"), record["generated"], generated.data,
                                        str(target))
        write_generation(target, text, saved)
        click.echo(f"merged the new generation into {target} ({len(generated.generated)} operations)")
        for line in merged.kept:
            click.echo(f"  kept {line}")
        for line in merged.conflicts:
            click.echo(f"  conflict, kept yours: {line}")
    else:
        write_generation(target, fresh, saved)
        click.echo(f"wrote {target} ({len(generated.generated)} operations) and {sidecar_path(target).name}")
    skipped = [report for report in generated.reports if report.chosen and report.skipped]
    for report in skipped:
        click.echo(f"  skipped {report.operation_id or report.key}: {report.skipped}")
    _check(target)


def _check(target: Path) -> None:
    """Tell the user at once when the written definition would not build (a generator bug or an edit)."""
    from generator.build.checks import check_rendered
    from generator.definition import DefinitionError, load_definition
    from generator.files import dump_json
    from generator.template import render

    try:
        definition = load_definition(target)
    except DefinitionError as error:
        click.echo(f"etk: warning: {target} does not build yet:\n{error}", err=True)
        return
    rendered = render(definition)
    problems = check_rendered(rendered, target.with_suffix(".json"), dump_json(rendered.template))
    for problem in problems:
        click.echo(f"etk: warning: {problem}", err=True)
    if not problems:
        click.echo(f"next: etk build {target.parent}")
