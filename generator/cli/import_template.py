"""`etk import`: an existing REST-based element template -> a connector definition that renders it back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from generator.errors import EtkError


@click.command("import")
@click.argument("template_file", metavar="TEMPLATE.json", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Definition file to write (default templates/<file name>.yaml).")
@click.option("--id", "template_id", metavar="ID", help="The template to take from a file that holds several.")
@click.option("--version", "version", type=int, metavar="N", help="The version to take (default: the newest).")
@click.option("--force", is_flag=True, help="Overwrite an existing definition (and icon file).")
def import_command(template_file: Path, output: Path | None, template_id: str | None, version: int | None,
                   force: bool) -> None:
    """Turn an element template run by the REST connector (io.camunda:http-json:1) into a definition.

    The definition lists the template's properties as they are (`properties:`, explicit mode), its
    groups, its icon as a file beside it, and whatever else the template carries under `template:`.
    It is checked at once: rendered again and compared with the original, key by key; anything
    that differs is listed. Then `etk build` versions and validates it like any definition.

    \b
    Example:
      etk import my-connector.json -o templates/my-connector.yaml && etk build
    """
    from generator.definition.write import definition_text
    from generator.files import write_bytes_atomic, write_text_atomic
    from generator.importer import TemplateImportError, choose_template, import_template
    from generator.validate.loading import load_template_file

    templates = load_template_file(template_file)
    template = choose_template(list(templates), str(template_file), template_id=template_id, version=version)
    target = output or Path("templates") / f"{template_file.stem}.yaml"
    try:
        imported = import_template(template, target.stem)
    except TemplateImportError as error:
        raise EtkError(f"{template_file}: {error}") from None
    icon = imported.icon
    icon_path = target.with_name(icon[0]) if icon else None
    if not force:
        if target.exists():
            raise EtkError(f"{target}: exists; choose another -o, or pass --force to overwrite it")
        if icon_path is not None and imported.icon is not None and icon_path.exists() \
                and icon_path.read_bytes() != imported.icon[1]:
            raise EtkError(f"{icon_path}: exists with another image; pass --force to overwrite it")
    header = [
        "# yaml-language-server: $schema=../schemas/connector-definition.schema.json",
        "#",
        f"# Imported by `etk import` from {template_file.name} ({template['id']}, version {template.get('version', '-')}).",
        "# Explicit mode: the template's properties are listed as they are; edit them here, then `etk build`.",
    ]
    text = definition_text(imported.data, header)
    if icon_path is not None and imported.icon is not None:
        write_bytes_atomic(icon_path, imported.icon[1])
    write_text_atomic(target, text)
    click.echo(f"wrote {target}" + (f" and {icon_path.name}" if icon_path else "")
               + f" ({len(imported.data['properties'])} properties)")
    for change in imported.changes:
        click.echo(f"  changed: {change}")
    _verify(target, template)


def _verify(target: Path, original: dict[str, Any]) -> None:
    """Render the written definition and compare it with the original template; report what differs."""
    from generator.definition import DefinitionError, load_definition
    from generator.importer import differences
    from generator.template import render_template

    try:
        definition = load_definition(target)
    except DefinitionError as error:
        click.echo(f"etk: warning: {target} does not load as a definition:\n{error}", err=True)
        return
    found = differences(original, render_template(definition))
    if not found:
        click.echo("  renders to the same template (every key and value)")
        return
    click.echo(f"  renders to a template with {len(found)} difference{'s' if len(found) != 1 else ''}:")
    for line in found:
        click.echo(f"    {line}")
