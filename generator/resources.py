"""Where the JSON Schemas etk ships (`schemas/`) are found, in a checkout and in an installed wheel."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def schema_file(name: str) -> Path:
    """The path of `schemas/<name>`.

    A wheel carries the schemas inside the package (`generator/schemas/`, see pyproject.toml);
    a checkout or an editable install reads the repository's `schemas/` folder.
    """
    packaged = _PACKAGE / "schemas" / name
    if packaged.is_file():
        return packaged
    return _PACKAGE.parent / "schemas" / name
