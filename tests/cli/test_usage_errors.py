"""click's own usage errors speak etk's error form: `etk: error: <where>: <what>`, exit 2."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from generator.cli import COMMANDS, main


def etk(*arguments: str):
    return CliRunner().invoke(main, list(arguments))


@pytest.mark.parametrize(("arguments", "message"), [
    (["bild"], "etk: error: No such command 'bild' (see 'etk --help')"),
    (["--bogus"], "etk: error: No such option '--bogus' (see 'etk --help')"),
    (["run"], "etk: error: run: Missing argument 'SOURCE' (see 'etk run --help')"),
    (["run", "dist/rest.json", "--verbos"],
     "etk: error: run: No such option '--verbos'. (Did you mean one of: '--var', '--verbose'?) (see 'etk run --help')"),
    (["run", "missing.json"],
     "etk: error: run: Invalid value for 'SOURCE': File 'missing.json' does not exist (see 'etk run --help')"),
    (["serve", "azure-openai", "--port", "99999"],
     "etk: error: serve azure-openai: Invalid value for '--port': 99999 is not in the range 0<=x<=65535 "
     "(see 'etk serve azure-openai --help')"),
    (["apply", "t.json", "d.bpmn"], "etk: error: apply: Missing option '--element' / '-e' (see 'etk apply --help')"),
])
def test_usage_errors_are_one_etk_error_line(arguments: list[str], message: str) -> None:
    result = etk(*arguments)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", message + "\n")


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_reports_an_unknown_option_the_same_way(command: str) -> None:
    result = etk(command, "--no-such-option")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"etk: error: {command}: No such option '--no-such-option'")
    assert result.stderr.endswith(f"(see 'etk {command} --help')\n") and result.stderr.count("\n") == 1


def test_help_and_version_are_no_errors() -> None:
    assert etk("--help").exit_code == 0
    version = etk("--version")
    assert version.exit_code == 0 and version.stdout.startswith("etk, version ")
