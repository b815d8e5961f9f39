"""`etk run`: execute an element template (or a task of a BPMN diagram) like Camunda 8 would."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from generator import limits
from generator.cli.options import ByteSize, FiniteFloat, parse_assignments, parse_variables
from generator.errors import EtkError
from generator.files import dump_json

if TYPE_CHECKING:
    from generator.runtime import SecretProvider

EXIT_COMPLETED, EXIT_FAILED, EXIT_BPMN_ERROR = 0, 1, 3


@click.command("run")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--set", "assignments", multiple=True, metavar="PROPERTY=VALUE",
              help="A value typed into the properties panel; PROPERTY is a property id or a binding name "
                   "(input name, header key, ...). Repeatable. With a diagram, give its element's template with --template.")
@click.option("--element", metavar="ID", help="The task to run when SOURCE is a .bpmn diagram.")
@click.option("--template", "template", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="With a diagram and --set: the element's template (the file `etk apply` took); the values are "
                   "applied to the element as `etk apply` would, in memory (the diagram file is not changed).")
@click.option("--var", "variables", multiple=True, metavar="NAME=JSON",
              help="A process variable (JSON, or plain text if it is not JSON). Repeatable.")
@click.option("--vars-file", "vars_files", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A JSON object of process variables. Repeatable; --var wins.")
@click.option("--secrets-file", "secrets_files", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Connector secrets: a JSON object (*.json) or a dotenv file. Repeatable; later files win.")
@click.option("--secret", "secrets", multiple=True, metavar="NAME=VALUE",
              help="A connector secret. Repeatable; wins over files and environment variables.")
@click.option("--dry-run", is_flag=True, help="Print the HTTP request that would be sent (secrets masked); send nothing.")
@click.option("--until-done", is_flag=True,
              help="Retry a failed job like the engine (sleeping each backoff) until it completes, throws or becomes an incident.")
@click.option("--connect-to", "connect_to", multiple=True, metavar="HOST:PORT:ADDR:PORT",
              help="Open connections for HOST:PORT to ADDR:PORT instead; the URL, Host header and TLS name stay HOST's "
                   "(like curl). Repeatable.")
@click.option("--ca-file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Also trust the CA certificates in this PEM file.")
@click.option("--max-response-size", type=ByteSize(), default=limits.MAX_RESPONSE_BYTES, show_default="32M",
              help="Fail the job (RESPONSE_TOO_LARGE) when a response body decodes to more than SIZE bytes (512K, 32M, 1G).")
@click.option("--max-decompression-ratio", type=FiniteFloat(min=1), default=limits.MAX_DECOMPRESSION_RATIO,
              show_default=True, metavar="N",
              help="Fail the job (RESPONSE_TOO_LARGE) when a compressed body expands more than N-fold (checked past 1 MiB).")
@click.option("--max-time", type=FiniteFloat(min=0, min_open=True), metavar="SECONDS",
              help="Fail an HTTP exchange (408 timed out) that takes longer than SECONDS in all; the read timeout "
                   "alone is per read, so a server that drips bytes can keep an exchange alive.")
@click.option("-v", "--verbose", is_flag=True, help="Show each step on stderr (secrets masked).")
def run(
    source: Path,
    assignments: tuple[str, ...],
    element: str | None,
    template: Path | None,
    variables: tuple[str, ...],
    vars_files: tuple[Path, ...],
    secrets_files: tuple[Path, ...],
    secrets: tuple[str, ...],
    dry_run: bool,
    until_done: bool,
    connect_to: tuple[str, ...],
    ca_file: Path | None,
    max_response_size: int,
    max_decompression_ratio: float,
    max_time: float | None,
    verbose: bool,
) -> None:
    """Run an element template, or a task of a BPMN diagram, end to end.

    SOURCE is an element template (JSON; with --set values applied as the Modeler does) or a
    diagram (.bpmn, with --element; --set there needs the element's template, --template FILE).
    The engine evaluates the input mappings over the process
    variables, the REST connector sends the request, and the result/error expressions decide the
    outcome, printed as JSON:

    \b
      completed        the variables the process receives       exit 0
      failed           message, retries, backoff, variables     exit 1
      bpmnError        code, message, variables                 exit 3
      (bad input)      etk: error: ... on stderr                exit 2

    Example (the Azure OpenAI documentation's chat completion):

    \b
      etk run dist/azure-openai.json --secret AZURE_OAI_SECRET=... \\
        --set authentication.value='{{secrets.AZURE_OAI_SECRET}}' --set operation=chatCompletion \\
        --set resourceName=myresource --set deploymentId=mydeployment --set apiVersion=2024-02-01 \\
        --set chatCompletion_messageRole=user \\
        --set chatCompletion_messageContent='What is the age of the Universe?' \\
        --set chatCompletion_messageContext='=[{"role": "system", "content": "You are helpful assistant."}]' \\
        --set resultVariable=myOpenAIResponse
    """
    from generator import runtime

    with _runtime_log_on_stderr(verbose):
        routes = [runtime.ConnectTo.parse(text) for text in connect_to]  # refused in a dry run too
        task = _read_task(source, assignments, element, template)
        process_variables = parse_variables(variables, vars_files)
        provider = _RecordingSecrets(_secret_provider(secrets_files, secrets))
        if dry_run:
            try:
                request = runtime.dry_run(task, process_variables, secrets=provider)
            except EtkError:
                provider.explain_missing()
                raise
            click.echo(dump_json(request), nl=False)
            return
        transfer = runtime.TransferLimits(max_response_bytes=max_response_size,
                                          max_decompression_ratio=max_decompression_ratio, max_seconds=max_time)
        # Completion variables are what the process receives (a secret a server echoed included, as
        # in Camunda); what etk prints of them has the job's secrets masked.
        mask = runtime.SecretMask()
        with runtime.HttpClient(connect_to=routes, ca_file=ca_file, limits=transfer) as http:
            if until_done:
                outcome = runtime.run_until_done(task, process_variables, secrets=provider, http=http, mask=mask).outcome
            else:
                outcome = runtime.run_task(task, process_variables, secrets=provider, http=http, mask=mask)
    if isinstance(outcome, runtime.Completed):
        click.echo(dump_json(mask.value(outcome.variables)), nl=False)
        return
    provider.explain_missing()
    click.echo(dump_json(runtime.outcome_to_json(outcome)), nl=False)
    sys.exit(EXIT_BPMN_ERROR if isinstance(outcome, runtime.BpmnError) else EXIT_FAILED)


def _read_task(source: Path, assignments: tuple[str, ...], element: str | None, template: Path | None) -> Any:
    values = parse_assignments(assignments, "--set")
    if source.suffix.lower() == ".bpmn":
        if not element:
            raise EtkError(f"{source}: name the task to run with --element ID")
        return _read_diagram_task(source, element, values, template)
    if element:
        raise EtkError("--element applies to .bpmn diagrams only")
    if template:
        raise EtkError("--template applies to .bpmn diagrams only (SOURCE is the template here)")
    from generator.apply import apply_template
    from generator.apply.templates import select_template
    from generator.validate.loading import load_template_file

    return apply_template(select_template(load_template_file(source)), values)


def _read_diagram_task(source: Path, element: str, values: dict[str, str], template: Path | None) -> Any:
    """The element's applied task; with --template, the template (and the --set values) applied
    first as `etk apply` does, in memory: the diagram file stays as it is."""
    from generator.bpmn import apply_in_diagram, load_diagram, read_applied_task

    if template is None:
        if not values:
            return read_applied_task(source, element)
        linked = read_applied_task(source, element)
        name = f" ({linked.template_id} v{linked.template_version})" if linked.template_id else ""
        raise EtkError(f"{source}: {element}: --set needs the template the element uses{name}: add --template FILE "
                       f"(the template file given to etk apply), or write the values into the diagram with etk apply")
    from generator.apply.templates import select_template
    from generator.validate.loading import load_template_file

    templates = load_template_file(template)
    return apply_in_diagram(load_diagram(source), element, select_template(templates), values, known_templates=templates)



def _secret_provider(files: tuple[Path, ...], pairs: tuple[str, ...]) -> SecretProvider:
    from generator.runtime import ChainedSecrets, EnvironmentSecrets, MappingSecrets, load_secrets_file

    providers: list[SecretProvider] = [MappingSecrets(parse_assignments(pairs, "--secret", reveal=False))]
    providers.extend(load_secrets_file(path) for path in reversed(files))
    providers.append(EnvironmentSecrets())
    return ChainedSecrets(providers)


class _RecordingSecrets:
    """The CLI's secret providers, remembering the names none of them knew, to say how to give one."""

    def __init__(self, provider: SecretProvider) -> None:
        self._provider = provider
        self.missing: list[str] = []

    def get(self, name: str) -> str | None:
        value = self._provider.get(name)
        if value is None and name not in self.missing:
            self.missing.append(name)
        return value

    def explain_missing(self) -> None:
        for name in self.missing:
            click.echo(f"etk: secret '{name}' is not set: give it with --secret {name}=VALUE, in a file given with "
                       f"--secrets-file (JSON or NAME=VALUE lines), or as the environment variable {name}", err=True)


@contextmanager
def _runtime_log_on_stderr(verbose: bool) -> Iterator[None]:
    """The runtime's log on stderr while the command runs: what went wrong (a failed connection's
    cause) always, every step with -v."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("etk: %(message)s"))
    logger = logging.getLogger("generator.runtime")
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG if verbose else logging.WARNING)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
