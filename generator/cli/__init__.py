"""The `etk` command line: parses arguments, calls the packages, prints. No business logic here."""

from __future__ import annotations

import importlib
import sys
from typing import Any

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
    "run": "generator.cli.run:run",
    "serve": "generator.cli.serve:serve",
    "validate": "generator.cli.validate:validate",
}


class EtkGroup(click.Group):
    """A command group that loads commands lazily and prints `EtkError`s without a traceback."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attribute = target.split(":")
        return getattr(importlib.import_module(module_name), attribute)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except EtkError as error:
            click.echo(f"etk: error: {error}", err=True)
            sys.exit(2)


@click.group(cls=EtkGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="etk")
def main() -> None:
    """etk, the element template kit for Camunda 8 connectors.

    Generate element templates from YAML definitions, validate any element template, apply one
    to a BPMN diagram as the Modeler does, and run it end to end like Camunda would.
    """
