"""Per-project settings of `etk validate`: `[tool.etk.validate]` in pyproject.toml, or
`[validate]` in etk.toml, found from the current directory upwards (or named by `--config`).

    [tool.etk.validate]
    select = ["ALL"]                 # rule ids, group names or ALL
    ignore = ["label-type"]
    severity = "warning"             # lowest severity shown: error, warning or info
    strict = false                   # fail on warnings too
    baseline = "etk-baseline.json"   # relative to this file
    [tool.etk.validate.per-file-ignores]
    "vendor/camunda/*.json" = ["conditions", "feel-unknown-variable"]
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.errors import EtkError

CONFIG_FILE = "etk.toml"
KEYS = ("select", "ignore", "severity", "strict", "baseline", "per-file-ignores")


class ConfigError(EtkError):
    """A settings file etk cannot use: bad TOML, an unknown key, a value of the wrong type."""


@dataclass(frozen=True)
class Settings:
    """What a settings file says (None: not set there)."""

    source: Path | None = None
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    severity: str | None = None
    strict: bool | None = None
    baseline: Path | None = None
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = field(default=())


def find_settings_file(start: Path) -> Path | None:
    """The nearest etk.toml, or pyproject.toml with a [tool.etk.validate] table, from `start` up."""
    for folder in (start, *start.parents):
        if (folder / CONFIG_FILE).is_file():
            return folder / CONFIG_FILE
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and _table(pyproject) is not None:
            return pyproject
    return None


def load_settings(path: Path | None) -> Settings:
    """The settings in `path` (none when `path` is None or holds no etk table)."""
    if path is None:
        return Settings()
    table = _table(path)
    if table is None:
        return Settings(source=path)
    where = f"{path}: [{'tool.etk.validate' if path.name == 'pyproject.toml' else 'validate'}]"
    unknown = sorted(set(table) - set(KEYS))
    if unknown:
        raise ConfigError(f"{where}: unknown key {unknown[0]!r}; the keys are {', '.join(KEYS)}")
    per_file = table.get("per-file-ignores", {})
    if not isinstance(per_file, dict):
        raise ConfigError(f"{where}: per-file-ignores must be a table of glob = [rules]")
    baseline = table.get("baseline")
    if baseline is not None and not isinstance(baseline, str):
        raise ConfigError(f"{where}: baseline must be a path, got {baseline!r}")
    strict = table.get("strict")
    if strict is not None and not isinstance(strict, bool):
        raise ConfigError(f"{where}: strict must be true or false, got {strict!r}")
    severity = table.get("severity")
    if severity is not None and not isinstance(severity, str):
        raise ConfigError(f"{where}: severity must be error, warning or info, got {severity!r}")
    return Settings(
        source=path,
        select=_names(table["select"], f"{where} select") if "select" in table else None,
        ignore=_names(table.get("ignore", []), f"{where} ignore"),
        severity=severity,
        strict=strict,
        baseline=(path.parent / baseline) if baseline else None,
        per_file_ignores=tuple((pattern, _names(rules, f"{where} per-file-ignores {pattern!r}"))
                               for pattern, rules in per_file.items()),
    )


def _table(path: Path) -> dict[str, Any] | None:
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read the file: {error}") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: invalid TOML: {error}") from None
    table: Any = document
    for key in ("tool", "etk", "validate") if path.name == "pyproject.toml" else ("validate",):
        table = table.get(key) if isinstance(table, dict) else None  # `tool = 1` holds no etk settings either
    if table is not None and not isinstance(table, dict):
        raise ConfigError(f"{path}: the validate settings must be a table")
    return table


def _names(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(name, str) for name in value):
        raise ConfigError(f"{where}: must be a list of rule ids or group names, got {value!r}")
    return tuple(value)
