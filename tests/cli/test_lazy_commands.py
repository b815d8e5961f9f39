"""`etk --help` and `etk --version` import no command; a command imports only what it uses.

Start-up time is measured by `benchmarks/startup.py`; these tests pin what makes it small: which
modules a fresh interpreter has loaded after each invocation.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from generator.cli import COMMANDS, main

REPO = Path(__file__).resolve().parents[2]

# runs `etk ARGS` in this interpreter and prints the modules loaded by then, as JSON
_MODULES_AFTER = """
import json, sys
from generator.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)), file=sys.stderr)
"""


def loaded_modules(*arguments: str) -> set[str]:
    """The modules a fresh interpreter has imported after `etk ARGUMENTS`."""
    finished = subprocess.run(
        [sys.executable, "-c", _MODULES_AFTER, *arguments], cwd=REPO, capture_output=True, text=True, check=True
    )
    return set(json.loads(finished.stderr.splitlines()[-1]))


@pytest.mark.parametrize("arguments", [["--help"], ["--version"], []])
def test_help_and_version_import_no_command(arguments: list[str]):
    ours = {module for module in loaded_modules(*arguments) if module.startswith("generator")}
    assert ours == {"generator", "generator.cli", "generator.errors"}


def test_help_lists_every_command_with_its_summary():
    output = CliRunner().invoke(main, ["--help"]).output
    listing = output.split("Commands:\n", 1)[1].splitlines()
    assert listing == [f"  {name:12}  {summary}" for name, (_, summary) in sorted(COMMANDS.items())]


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_listed_command_loads_under_its_name(name: str):
    command = main.get_command(click.Context(main), name)
    assert isinstance(command, click.Command) and command.name == name


def test_feel_does_not_load_xml_http_or_schemas():
    loaded = loaded_modules("feel", "1 + 1")
    assert not loaded & {"lxml", "lxml.etree", "httpx", "jsonschema", "jsonschema_rs", "yaml"}


def test_validate_does_not_load_http_xml_or_yaml():
    loaded = loaded_modules("validate", str(REPO / "dist" / "rest.json"))
    assert not loaded & {"httpx", "lxml", "lxml.etree", "yaml", "jsonschema", "generator.runtime", "generator.bpmn"}
