"""`etk apply`: apply an element template to a task of a BPMN diagram, as the Modeler does."""

from __future__ import annotations

from pathlib import Path

import click

from generator.bpmn import Diagram, constraint_problems
from generator.cli.options import parse_assignments
from generator.element_template import Template
from generator.errors import EtkError
from generator.files import write_bytes_atomic


def warn_constraint_problems(document: Diagram, element_id: str, template: Template) -> None:
    """Print what the Modeler would mark red on the element (a required field left empty, a value
    breaking a pattern), as warnings: the diagram is written, but it will not lint clean."""
    for problem in constraint_problems(document, element_id, template):
        click.echo(f"etk: warning: {element_id}: {problem.message} (property '{problem.names[0]}')", err=True)


@click.command("apply")
@click.argument("template", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("diagram", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--element", "-e", "element_id", required=True, metavar="ID", help="The id of the BPMN element to apply the template to.")
@click.option("--set", "assignments", multiple=True, metavar="PROPERTY=VALUE",
              help="A value typed into the properties panel (PROPERTY: a property id or a binding name: input "
                   "name, header key, ...; VALUE as typed: 0.7, true, a dropdown value). Repeatable.")
@click.option("--template-version", "version", type=int, metavar="N",
              help="Apply version N of a file holding several versions (default: the newest).")
@click.option("--previous", "previous", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A file with older versions of the template (or the template the element is linked to now); "
                   "needed to upgrade an element linked to one of them (values still at the old default then "
                   "move to the new default). Repeatable.")
@click.option("--unlink", is_flag=True, help="Unlink the element from the template; keep everything it wrote.")
@click.option("--remove", is_flag=True, help="Remove the template and everything it wrote from the element.")
@click.option("-o", "--output", metavar="FILE", help="Where to write the diagram; `-` for stdout.")
@click.option("--in-place", is_flag=True, help="Rewrite DIAGRAM itself (atomically).")
def apply_command(
    template: Path,
    diagram: Path,
    element_id: str,
    assignments: tuple[str, ...],
    version: int | None,
    previous: tuple[Path, ...],
    unlink: bool,
    remove: bool,
    output: str | None,
    in_place: bool,
) -> None:
    """Apply TEMPLATE (a JSON element template, or a file of its versions) to one element of
    DIAGRAM, writing what the Camunda Modeler would: the element type from `elementType`, the
    template link, task definition, input/output mappings, task headers and zeebe properties,
    with conditions, FEEL casting and upgrade rules. Everything else in the file is kept.

    \b
    Examples:
      etk apply dist/azure-openai.json process.bpmn --element Task_1 \\
        --set operation=chatCompletion --set resourceName=myresource -o out.bpmn
      etk apply dist/azure-openai.json process.bpmn -e Task_1 --in-place     # upgrade to newest
      etk apply dist/azure-openai.json process.bpmn -e Task_1 --unlink -o -
    """
    from generator.apply.templates import select_template
    from generator.bpmn import apply_in_diagram, load_diagram, remove_in_diagram, unlink_in_diagram
    from generator.validate.loading import load_template_file

    if (output is None) == (not in_place):
        raise click.UsageError("give exactly one of -o/--output FILE (or -o - for stdout) and --in-place")
    if unlink and remove:
        raise click.UsageError("--unlink and --remove exclude each other")
    if (unlink or remove) and assignments:
        raise click.UsageError("--set has no meaning with --unlink or --remove")
    values = parse_assignments(assignments, "--set")

    templates = load_template_file(template)
    chosen = select_template(templates, version)
    # every version given is known, like templates installed in the Modeler: the one the element
    # is linked to (even another template's) decides what counts as a value the user changed
    known = [t for path in previous for t in load_template_file(path)] + templates
    document = load_diagram(diagram)
    if unlink:
        unlink_in_diagram(document, element_id, chosen["id"])
        action = f"unlinked {chosen['id']} from"
    elif remove:
        remove_in_diagram(document, element_id, known, chosen["id"])
        action = f"removed {chosen['id']} from"
    else:
        apply_in_diagram(document, element_id, chosen, values, known_templates=known)
        action = f"applied {chosen['id']} v{chosen.get('version', '-')} to"
        warn_constraint_problems(document, element_id, chosen)
    data = document.to_bytes()

    if output == "-":
        click.echo(data, nl=False)
        return
    target = diagram if in_place else Path(output or "")
    try:
        write_bytes_atomic(target, data)
    except OSError as error:
        raise EtkError(f"{target}: cannot write diagram: {error.strerror}") from None
    click.echo(f"etk: {action} {element_id}: {target}", err=True)
