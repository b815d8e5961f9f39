"""The `etk` command line: parses arguments, calls the packages, prints. No business logic here."""

from __future__ import annotations

import importlib
import sys
from typing import Any, NoReturn

import click

from generator import __version__
from generator.errors import EtkError

# Command name -> ("module:attribute" of its click command, the line `etk --help` shows for it).
# Modules are imported only when their command runs or shows its own help, so `etk --help` imports
# no command and `etk feel` does not pay for lxml or httpx.
COMMANDS: dict[str, tuple[str, str]] = {
    "apply": (
        "generator.cli.apply:apply_command",
        "Apply a template to a BPMN element, as the Modeler does.",
    ),
    "build": (
        "generator.cli.build:build_command",
        "Render templates/*.yaml into element templates in dist/.",
    ),
    "diagram": (
        "generator.cli.diagram:diagram_command",
        "Write a deployable BPMN process around one templated task.",
    ),
    "docs": ("generator.cli.docs:docs_command", "Write a reference page per connector definition."),
    "feel": ("generator.cli.feel:feel", "Evaluate a FEEL expression as Camunda 8 does."),
    "from-openapi": (
        "generator.cli.from_openapi:from_openapi",
        "Generate a connector definition from an OpenAPI description.",
    ),
    "import": ("generator.cli.import_template:import_command", "Turn a REST element template into a connector definition."),
    "preview": ("generator.cli.preview:preview_command", "Write an HTML page showing templates in the Modeler's panel."),
    "run": ("generator.cli.run:run", "Run a template, or a task of a BPMN diagram, end to end."),
    "serve": ("generator.cli.serve:serve", "Serve a loopback fake of Azure OpenAI or an OpenAPI spec."),
    "validate": ("generator.cli.validate:validate", "Validate Camunda 8 element templates."),
}


class EtkGroup(click.Group):
    """A command group that loads commands lazily and prints `EtkError`s and click's usage
    errors the same way: `etk: error: <where>: <what>`, exit 2, no traceback."""

    def make_context(self, info_name: str | None, args: list[str], parent: click.Context | None = None, **extra: Any) -> click.Context:
        try:
            _check_utf8(args)
            return super().make_context(info_name, args, parent, **extra)
        except click.UsageError as error:
            _exit_with_usage_error(error)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module_name, attribute = COMMANDS[cmd_name][0].split(":")
        command: click.Command = getattr(importlib.import_module(module_name), attribute)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list of `etk --help`, from `COMMANDS` (importing no command)."""
        with formatter.section("Commands"):
            formatter.write_dl([(name, summary) for name, (_, summary) in sorted(COMMANDS.items())])

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except EtkError as error:
            click.echo(f"etk: error: {error}", err=True)
            sys.exit(2)
        except click.UsageError as error:
            _exit_with_usage_error(error)


def _check_utf8(args: list[str]) -> None:
    """Refuse an argument that is not UTF-8 text (Python keeps its bytes as lone surrogates, which
    no file, message or request could carry on)."""
    for number, arg in enumerate(args, start=1):
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError as error:
            byte = ord(arg[error.start]) - 0xDC00 if 0xDC80 <= ord(arg[error.start]) <= 0xDCFF else ord(arg[error.start])
            raise click.UsageError(f"argument {number} is not UTF-8 text (byte 0x{byte:02X} at character "
                                   f"{error.start + 1}); give text in UTF-8") from None


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
