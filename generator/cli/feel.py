"""`etk feel`: evaluate one FEEL expression (or unary tests) and print the result as JSON."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from generator.cli.options import parse_json_or_text, parse_variables
from generator.errors import EtkError
from generator.files import dump_json


def _pointer_lines(text: str, line: int, column: int) -> str:
    """The offending source line with a caret under the column."""
    lines = text.split("\n")
    source = lines[line - 1].rstrip("\r") if 0 < line <= len(lines) else ""  # the line after a last "\n" is empty
    return f"  {source}\n  {' ' * (column - 1)}^"


@click.command("feel")
@click.argument("expression")
@click.option("--var", "var_pairs", multiple=True, metavar="NAME=JSON",
              help="A variable; the value is JSON, or taken as a plain string if it is not.")
@click.option("--vars-file", "vars_files", multiple=True, type=click.Path(path_type=Path),
              metavar="FILE", help="A JSON object of variables (before any --var).")
@click.option("--unary-tests", is_flag=True,
              help="Evaluate EXPRESSION as unary tests (`< 10`, `[1..5]`, `\"a\",\"b\"`) against --input.")
@click.option("--input", "input_text", metavar="JSON",
              help="The input value for --unary-tests (JSON, or a plain string).")
def feel(expression: str, var_pairs: tuple[str, ...], vars_files: tuple[Path, ...],
         unary_tests: bool, input_text: str | None) -> None:
    """Evaluate a FEEL EXPRESSION like Camunda 8 does and print the result as JSON.

    A leading `=` is ignored, so values copied from an element template work as they are. The
    connector functions (`bpmnError`, `jobError`, `ignoreError`, ...) are available. Suppressed
    failures (a missing variable, a type mismatch) make parts of the result null and are
    reported as warnings on stderr.

    \b
    Examples:
      etk feel '"Bearer " + token' --var token=abc
      etk feel '{answer: response.body.choices[1].message.content}' --vars-file response.json
      etk feel --unary-tests '[1..10], > 100' --input 42
    """
    from generator.feel import (
        CONNECTOR_FUNCTIONS,
        FeelSyntaxError,
        FeelWarning,
        evaluate,
        evaluate_unary_tests,
        to_json,
    )

    if input_text is not None and not unary_tests:
        raise EtkError("--input is only used with --unary-tests")
    variables = parse_variables(var_pairs, vars_files)
    warnings: list[FeelWarning] = []
    try:
        if unary_tests:
            if input_text is None:
                raise EtkError("--unary-tests needs the value to test: --input JSON")
            input_value = parse_json_or_text(input_text, "--input")
            result = evaluate_unary_tests(expression, input_value, variables,
                                          functions=CONNECTOR_FUNCTIONS, warnings=warnings)
        else:
            result = evaluate(expression, variables, functions=CONNECTOR_FUNCTIONS,
                              warnings=warnings)
    except FeelSyntaxError as error:
        click.echo(f"etk: error: {error}", err=True)
        click.echo(_pointer_lines(error.text or expression, error.line, error.column), err=True)
        sys.exit(2)
    for warning in warnings:
        click.echo(f"etk: warning: {warning.failure_type}: {warning.message}", err=True)
    click.echo(dump_json(to_json(result)), nl=False)
