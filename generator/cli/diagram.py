"""`etk diagram`: write an executable example process around one element template."""

from __future__ import annotations

from pathlib import Path

import click

from generator.cli.options import parse_assignments
from generator.errors import EtkError


@click.command("diagram")
@click.argument("template", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", required=True, metavar="FILE", help="Where to write the diagram; `-` for stdout.")
@click.option("--set", "assignments", multiple=True, metavar="PROPERTY=VALUE",
              help="A value typed into the properties panel (see `etk apply`). Repeatable.")
@click.option("--template-version", "version", type=int, metavar="N",
              help="Use version N of a file holding several versions (default: the newest).")
def diagram_command(template: Path, output: str, assignments: tuple[str, ...], version: int | None) -> None:
    """Write a BPMN process start event -> templated task -> end event, with complete diagram
    layout, `modeler:executionPlatform="Camunda Cloud"` and the lowest Camunda version the
    template's `engines.camunda` admits, ready to open in the Modeler and deploy.

    \b
    Example:
      etk diagram dist/azure-openai.json -o azure-openai.bpmn --set operation=chatCompletion
    """
    from generator.apply.templates import select_template
    from generator.bpmn import TEMPLATED_ID, example_diagram, parse_diagram
    from generator.cli.apply import warn_constraint_problems
    from generator.files import write_bytes_atomic
    from generator.validate.loading import load_template_file

    chosen = select_template(load_template_file(template), version)
    data = example_diagram(chosen, parse_assignments(assignments, "--set"))
    warn_constraint_problems(parse_diagram(data), TEMPLATED_ID, chosen)
    if output == "-":
        click.echo(data, nl=False)
        return
    try:
        write_bytes_atomic(Path(output), data)
    except OSError as error:
        raise EtkError(f"{output}: cannot write diagram: {error.strerror}") from None
    click.echo(f"etk: wrote an example process for {chosen['id']}: {output}", err=True)
