"""Option parsing shared by several commands: `--set NAME=VALUE`, `--var NAME=JSON`, `--vars-file`,
sizes such as `32M`."""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import click

from generator.errors import EtkError
from generator.jsontext import JsonReadError, json_kind, parse_json, read_json_file


def parse_assignments(pairs: tuple[str, ...], option: str, *, reveal: bool = True) -> dict[str, str]:
    """Turn `("a=1", "b=x=y")` into `{"a": "1", "b": "x=y"}`; the first `=` splits name and value.
    With `reveal` False (secrets), an error names the option's position, never its text."""
    result: dict[str, str] = {}
    for number, pair in enumerate(pairs, start=1):
        name, separator, value = pair.partition("=")
        if not separator or not name:
            shown = repr(pair) if reveal else f"#{number} (its text is not shown)"
            raise EtkError(f"{option} {shown}: expected NAME=VALUE")
        result[name] = value
    return result


def parse_variables(pairs: tuple[str, ...], files: tuple[Path, ...] = ()) -> dict[str, Any]:
    """Process variables from `--vars-file` JSON objects (in order) then `--var NAME=JSON` pairs.

    Both are read by etk's strict JSON reader. A `--var` value that is not JSON at all is taken
    as a plain string, so `--var name=Ada` works; JSON that etk does not take (nested too deeply,
    a number too long, a repeated key) is an error.
    """
    variables: dict[str, Any] = {}
    for file in files:
        loaded, _ = read_json_file(file, what="variables file")
        if not isinstance(loaded, dict):
            raise EtkError(f"{file}: a variables file must hold a JSON object, not {json_kind(loaded)}")
        variables.update(loaded)
    for name, text in parse_assignments(pairs, "--var").items():
        variables[name] = parse_json_or_text(text, f"--var {name}")
    return variables


def parse_json_or_text(text: str, option: str) -> Any:
    """`text` as JSON, or the text itself when it is not JSON at all (`Ada`, `NaN`)."""
    try:
        return parse_json(text)
    except JsonReadError as error:
        if error.not_json:
            return text
        raise EtkError(f"{option}: {error.reason}") from None



_SIZE = re.compile(r"(\d+)\s*([KMG]?)(?:i?B)?", re.IGNORECASE)
_UNITS = {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3}


class FiniteFloat(click.FloatRange):
    """A float in a range that is a number: NaN (which compares false with every bound, so it
    would bound nothing) and infinities are refused."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        try:
            number = float(value)
        except (TypeError, ValueError):
            self.fail(f"{value!r} is not a number", param, ctx)
        if not math.isfinite(number):
            self.fail(f"{value!r} is not a finite number", param, ctx)
        return super().convert(value, param, ctx)


class ByteSize(click.ParamType):  # type: ignore[type-arg]  # generic in newer clicks only: subscripting fails at run time on older ones
    """A number of bytes: `1048576`, `512K`, `32M`, `1G` (binary units; `MB`, `MiB` read as `M`)."""

    name = "SIZE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int):
            return value
        match = _SIZE.fullmatch(str(value).strip())
        if match is None or int(match.group(1)) == 0:
            self.fail(f"{value!r} is not a size such as 1048576, 512K, 32M or 1G", param, ctx)
        return int(match.group(1)) * _UNITS[match.group(2).upper()]
