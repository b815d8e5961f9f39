"""Option parsing shared by several commands: `--set NAME=VALUE`, `--var NAME=JSON`, `--vars-file`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from generator.errors import EtkError
from generator.files import invalid_json


def parse_assignments(pairs: tuple[str, ...], option: str) -> dict[str, str]:
    """Turn `("a=1", "b=x=y")` into `{"a": "1", "b": "x=y"}`; the first `=` splits name and value."""
    result: dict[str, str] = {}
    for pair in pairs:
        name, separator, value = pair.partition("=")
        if not separator or not name:
            raise EtkError(f"{option} {pair!r}: expected NAME=VALUE")
        result[name] = value
    return result


def parse_variables(pairs: tuple[str, ...], files: tuple[Path, ...] = ()) -> dict[str, Any]:
    """Process variables from `--vars-file` JSON objects (in order) then `--var NAME=JSON` pairs.

    A `--var` value that is not valid JSON is taken as a plain string, so `--var name=Ada` works.
    """
    variables: dict[str, Any] = {}
    for file in files:
        try:
            loaded = json.loads(Path(file).read_text(encoding="utf-8"))
        except OSError as error:
            raise EtkError(f"{file}: cannot read variables file: {error.strerror}") from None
        except json.JSONDecodeError as error:
            raise EtkError(invalid_json(file, error)) from None
        if not isinstance(loaded, dict):
            raise EtkError(f"{file}: a variables file must hold a JSON object, not {type(loaded).__name__}")
        variables.update(loaded)
    for name, text in parse_assignments(pairs, "--var").items():
        try:
            variables[name] = json.loads(text)
        except json.JSONDecodeError:
            variables[name] = text
    return variables
