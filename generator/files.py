"""Deterministic JSON text and atomic file writes, shared by every command that writes files."""

from __future__ import annotations

import json
import math
import os
import stat
import tempfile
from pathlib import Path
from typing import Any


def dump_json(value: Any) -> str:
    """Serialise `value` the way every etk output file is written.

    Keys keep their insertion order (callers build dicts in a stable order), 2-space indent,
    non-ASCII characters written as they are, and a final newline, so the same input always
    gives byte-identical text. An infinity or NaN (JSON has none; a server's `1e400` is one once
    read) is written as Jackson writes it by default, as the string "Infinity", "-Infinity" or
    "NaN", so the text is always JSON.
    """
    try:
        return json.dumps(value, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    except ValueError:
        return json.dumps(_non_finite_as_text(value), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def _non_finite_as_text(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, dict):
        return {key: _non_finite_as_text(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_non_finite_as_text(item) for item in value]
    return value


def write_text_atomic(path: Path, text: str) -> None:
    """Write `text` to `path` through a temporary file in the same folder and a rename.

    A reader never sees a half-written file, and a failure leaves the old file untouched.
    """
    write_bytes_atomic(path, text.encode("utf-8"))


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` atomically (temporary file in the same folder, then rename).

    A symbolic link is followed (the file it points to is replaced, the link stays), and a path
    that is not a regular file, such as `/dev/stdout` or a named pipe, is written to directly:
    renaming over it would replace the device or pipe itself.
    """
    path = Path(path)
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        mode = None
    if mode is not None and not stat.S_ISREG(mode):
        with open(path, "wb") as stream:
            stream.write(data)
        return
    path = path.resolve() if path.is_symlink() else path
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, stat.S_IMODE(mode) if mode is not None else 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise

