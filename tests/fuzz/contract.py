"""What every `etk` command promises on hostile input: it ends with its documented exit code,
and a refusal is `etk: error: ...` on stderr with exit 2 (warnings may come first, details on
indented lines); never a traceback, never another exception."""

from __future__ import annotations

from click.testing import CliRunner, Result

from generator.cli import main

# the exit codes each command documents (2: bad input, refused with `etk: error:`)
EXIT_CODES = {
    "validate": {0, 1, 2},
    "apply": {0, 2},
    "diagram": {0, 2},
    "run": {0, 1, 2, 3},
    "feel": {0, 2},
    "build": {0, 1, 2},
    "import": {0, 2},
    "preview": {0, 2},
    "from-openapi": {0, 2},
}


def etk_keeps_its_contract(*arguments: str) -> Result:
    """Run `etk ARGUMENTS...` in-process and check the contract; returns the result."""
    result = CliRunner().invoke(main, list(arguments), catch_exceptions=True)
    command = arguments[0]
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"etk {command} raised {result.exception!r} for {arguments!r}") from result.exception
    assert result.exit_code in EXIT_CODES[command], (arguments, result.exit_code, result.output[-2000:])
    assert "Traceback" not in result.output, (arguments, result.output[-2000:])
    if result.exit_code == 2:  # `etk: error: ...`, after any warnings
        lines = result.stderr.splitlines()
        assert any(line.startswith("etk: error: ") for line in lines), (arguments, result.stderr[-2000:])
    return result
