"""Write a generated definition, and regenerate it later without losing what the user changed.

`etk from-openapi` writes two files: the definition (`templates/<name>.yaml`, yours to edit) and
beside it `<name>.from-openapi.json`, which records the command's inputs and the definition exactly
as it was generated (the *base*). Regenerating is a three-way merge of base, your file and the new
generation, key by key (lists count as one value):
  - you left a value as generated -> it takes the new generated value (or goes, if the spec dropped it);
  - you changed, added or deleted a value and the generator did not -> yours stays;
  - both changed it differently -> yours stays, and the conflict is reported with the new value.
The merge edits your file in place with ruamel.yaml, so your comments and layout survive.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.definition.write import ruamel_yaml, styled
from generator.errors import EtkError
from generator.files import dump_json, write_text_atomic

SIDECAR_SUFFIX = ".from-openapi.json"
_MISSING = object()


def sidecar_path(definition: Path) -> Path:
    """Where the base of `templates/x.yaml` is kept: `templates/x.from-openapi.json`."""
    return definition.with_name(definition.stem + SIDECAR_SUFFIX)


@dataclass
class MergeResult:
    """The merged definition (ruamel data), and the conflicts where the user's value was kept."""

    data: Any
    conflicts: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # user changes carried over


def load_base(definition: Path) -> dict[str, Any] | None:
    """The sidecar of `definition` (inputs and base), None when there is none."""
    path = sidecar_path(definition)
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise EtkError(f"{path}: cannot read the record of the last generation: {error}") from None
    if not isinstance(data, dict) or not isinstance(data.get("generated"), dict):
        raise EtkError(f"{path}: not a record written by etk from-openapi (no `generated` definition)")
    return data


def merge_definition(current_text: str, base: dict[str, Any], new: dict[str, Any], file: str) -> tuple[str, MergeResult]:
    """Three-way merge of the user's definition text with the new generation; returns the new text."""
    from ruamel.yaml.error import YAMLError

    yaml = ruamel_yaml()
    try:
        current = yaml.load(current_text)
    except YAMLError as error:
        raise EtkError(f"{file}: cannot merge into it, it is not valid YAML: {error}") from None
    if not isinstance(current, dict):
        raise EtkError(f"{file}: cannot merge into it: it is not a definition (a mapping)")
    result = MergeResult(current)
    _merge_mapping(current, base, new, "", result)
    stream = io.StringIO()
    yaml.dump(current, stream)
    return stream.getvalue(), result


def _merge_mapping(current: Any, base: dict[str, Any], new: dict[str, Any], where: str, result: MergeResult) -> None:
    keys = list(current.keys())
    for key in new:
        if key not in keys:
            keys.append(key)
    for key in keys:
        path = f"{where}.{key}" if where else str(key)
        mine = current.get(key, _MISSING)
        old = base.get(key, _MISSING) if isinstance(base, dict) else _MISSING
        theirs = new.get(key, _MISSING)
        if mine is _MISSING:
            if old is _MISSING:
                _insert(current, key, theirs, new)
            elif theirs is not _MISSING and not _same(theirs, old):
                result.conflicts.append(f"{path}: you removed it; the new generation has {_short(theirs)}")
            continue
        if theirs is _MISSING:
            if old is _MISSING:
                result.kept.append(f"{path}: added by you")
            elif _same(mine, old):
                del current[key]
            else:
                result.conflicts.append(f"{path}: you changed it; the new generation drops it")
            continue
        if isinstance(mine, dict) and isinstance(theirs, dict):
            _merge_mapping(mine, old if isinstance(old, dict) else {}, theirs, path, result)
            continue
        if old is not _MISSING and _same(mine, old):
            if not _same(mine, theirs):
                current[key] = styled(theirs)
        elif old is not _MISSING and _same(theirs, old):
            result.kept.append(f"{path}: your value {_short(mine)}")
        elif not _same(mine, theirs):
            result.conflicts.append(f"{path}: you have {_short(mine)}; the new generation has {_short(theirs)}")


def _insert(current: Any, key: str, value: Any, new: dict[str, Any]) -> None:
    """Add `key` after the key that precedes it in the new generation (at the end if none does)."""
    order = list(new)
    position = len(current)
    for earlier in reversed(order[: order.index(key)]):
        if earlier in current:
            position = list(current).index(earlier) + 1
            break
    current.insert(position, key, styled(value))


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    return str(value)


def _same(left: Any, right: Any) -> bool:
    return bool(_plain(left) == _plain(right))


def _short(value: Any) -> str:
    text = json.dumps(_plain(value), ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."


def write_generation(definition: Path, text: str, record: dict[str, Any]) -> None:
    """Write the definition and its sidecar (each atomically)."""
    write_text_atomic(definition, text)
    write_text_atomic(sidecar_path(definition), dump_json(record))
