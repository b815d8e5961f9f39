"""Connector definitions: load `templates/<name>.yaml` with line numbers, check it, build the typed model.

Public API: `load_definition(path)` and `load_definitions(paths)` return `Definition`s or raise one
`DefinitionError` listing every problem as `file:line:column: message`.
"""

from __future__ import annotations

import base64
import os
from dataclasses import replace
from pathlib import Path

from generator.definition.checks import check_definition, field_id
from generator.definition.errors import DefinitionError
from generator.definition.model import Definition, Icon
from generator.definition.parse import DefinitionReader
from generator.definition.schema import check_schema
from generator.definition.source import load_yaml, read_source
from generator.problems import Location, Problem

__all__ = [
    "MAX_NAME_BYTES",
    "Definition",
    "DefinitionError",
    "display_path",
    "field_id",
    "load_definition",
    "load_definitions",
    "read_definition",
]

_ICON_TYPES = {".svg": "image/svg+xml", ".png": "image/png"}

# Bytes of a definition's name (the file name without .yaml), as the file system counts them.
# etk names what it writes after it, the longest being the temporary file beside an archived
# template, `.<name>-<version>.json.<8 random characters>.tmp`: 36 bytes more for a 16-digit
# version, and a file name holds at most 255 bytes on Linux, macOS and Windows.
MAX_NAME_BYTES = 200


def display_path(path: Path) -> str:
    """`path` relative to the working directory when it lies below it (how messages name files)."""
    path = Path(path)
    try:  # the folder resolved, not the file: a definition that is a symbolic link keeps its name
        return str((path.parent.resolve() / path.name).relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def read_definition(path: Path) -> tuple[Definition | None, list[Problem]]:
    """Load one definition file; returns the model (None if unusable) and every problem found."""
    path = Path(path)
    file = display_path(path)
    name_bytes = len(os.fsencode(path.stem))
    if name_bytes > MAX_NAME_BYTES:
        return None, [Problem("error", "file-name", f"the name before .yaml is {name_bytes} bytes long; etk names the files "
                              f"it writes after it (dist/versioned/<name>-<version>.json, and a temporary file beside each), "
                              f"so it may be at most {MAX_NAME_BYTES} bytes: rename the file", Location(file))]
    data, problems = read_source(path, file)
    if data is None:
        return None, problems
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        return None, [Problem("error", "read-error", f"the definition is not UTF-8 text: {error.reason}", Location(file, 1, 1))]
    located, problems = load_yaml(text, file)
    if located is None:
        return None, problems
    if not isinstance(located.data, dict):
        return None, [
            *problems,
            Problem("error", "definition-schema", "a definition is a mapping (id, name, version, protocol, ...)", Location(file, 1, 1)),
        ]
    problems += check_schema(located)
    reader = DefinitionReader(located, path.stem)
    definition = reader.read()
    problems += reader.problems
    icon_name = located.data.get("icon")
    if isinstance(icon_name, str) and Path(icon_name).suffix in _ICON_TYPES:
        icon, icon_problems = _read_icon(path.parent, icon_name, located.where(("icon",)))
        problems += icon_problems
        definition = replace(definition, icon=icon)
    elif isinstance(icon_name, dict) and isinstance(icon_name.get("contents"), str):
        definition = replace(definition, icon=Icon(None, icon_name["contents"], located.where(("icon",))))
    problems += check_definition(definition)
    return definition, problems


def _read_icon(folder: Path, name: str, location: Location) -> tuple[Icon | None, list[Problem]]:
    icon_path = folder / name
    if Path(name).is_absolute() or ".." in Path(name).parts:
        return None, [Problem("error", "icon", f"icon '{name}' must be a file next to the definition", location)]
    if not os.path.exists(icon_path):  # False for a name the file system cannot hold, too
        return None, [
            Problem("error", "icon", f"icon file '{name}' not found next to the definition ({display_path(icon_path)})", location)
        ]
    data, problems = read_source(icon_path, str(location.file), what=f"icon file '{name}'")
    if data is None:
        return None, [Problem("error", "icon", problem.message, location) for problem in problems]
    suffix = icon_path.suffix
    if suffix == ".svg" and b"<svg" not in data[:4096]:
        return None, [Problem("error", "icon", f"icon file '{name}' is not an SVG image (no <svg> element)", location)]
    if suffix == ".png" and not data.startswith(b"\x89PNG\r\n\x1a\n"):
        return None, [Problem("error", "icon", f"icon file '{name}' is not a PNG image", location)]
    uri = f"data:{_ICON_TYPES[suffix]};base64,{base64.b64encode(data).decode('ascii')}"
    return Icon(name, uri, location), []


def load_definition(path: Path) -> Definition:
    """Load and check one definition; raises `DefinitionError` with every problem found."""
    definition, problems = read_definition(path)
    if problems or definition is None:
        raise DefinitionError(problems)
    return definition


def load_definitions(paths: list[Path]) -> list[Definition]:
    """Load several definitions; raises one `DefinitionError` with the problems of all of them."""
    definitions: list[Definition] = []
    problems: list[Problem] = []
    for path in paths:
        definition, found = read_definition(path)
        problems += found
        if definition is not None:
            definitions.append(definition)
    if problems:
        raise DefinitionError(problems)
    return definitions
