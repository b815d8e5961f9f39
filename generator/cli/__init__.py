"""The `etk` command line: parses arguments, calls the packages, prints. No business logic here."""

from __future__ import annotations

import importlib
import sys
from typing import Any, NoReturn

import click

from generator import __version__
from generator.errors import EtkError

# Command name -> "module:attribute" of its click command. Modules are imported only when their
# command runs (or help lists it), so `etk feel` does not pay for lxml or httpx.
COMMANDS: dict[str, str] = {
    "apply": "generator.cli.apply:apply_command",
    "build": "generator.cli.build:build_command",
    "diagram": "generator.cli.diagram:diagram_command",
    "docs": "generator.cli.docs:docs_command",
    "feel": "generator.cli.feel:feel",
    "from-openapi": "generator.cli.from_openapi:from_openapi",
    "preview": "generator.cli.preview:preview_command",
    "run": "generator.cli.run:run",
    "serve": "generator.cli.serve:serve",
    "validate": "generator.cli.validate:validate",
}


class EtkGroup(click.Group):
    """A command group that loads commands lazily and prints `EtkError`s and click's usage
    errors the same way: `etk: error: <where>: <what>`, exit 2, no traceback."""

    def make_context(self, info_name: str | None, args: list[str], parent: click.Context | None = None, **extra: Any) -> click.Context:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except click.UsageError as error:
            _exit_with_usage_error(error)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attribute = target.split(":")
        command: click.Command = getattr(importlib.import_module(module_name), attribute)
        return command

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except EtkError as error:
            click.echo(f"etk: error: {error}", err=True)
            sys.exit(2)
        except click.UsageError as error:
            _exit_with_usage_error(error)


def _exit_with_usage_error(error: click.UsageError) -> NoReturn:
    """click's usage errors (unknown option, bad or missing value, ...) in etk's error form."""
    if isinstance(error, getattr(click.exceptions, "NoArgsIsHelpError", ())):
        error.show()  # `etk` alone prints the help, as click does
        sys.exit(error.exit_code)
    command = error.ctx.command_path.partition(" ")[2] if error.ctx is not None else ""
    where, path = (f"{command}: ", f"etk {command}") if command else ("", "etk")
    click.echo(f"etk: error: {where}{error.format_message().rstrip('.')} (see '{path} --help')", err=True)
    sys.exit(2)


@click.group(cls=EtkGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="etk")
def main() -> None:
    """etk, the element template kit for Camunda 8 connectors.

    Generate element templates from YAML definitions, validate any element template, apply one
    to a BPMN diagram as the Modeler does, and run it end to end like Camunda would.
    """
