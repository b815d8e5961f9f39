"""Deterministic JSON text and atomic file writes, shared by every command that writes files."""

from __future__ import annotations

import json
import os
import stat
import tempfile
from pathlib import Path
from typing import Any


def dump_json(value: Any) -> str:
    """Serialise `value` the way every etk output file is written.

    Keys keep their insertion order (callers build dicts in a stable order), 2-space indent,
    non-ASCII characters written as they are, and a final newline, so the same input always
    gives byte-identical text.
    """
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"


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


def invalid_json(where: object, error: json.JSONDecodeError) -> str:
    """`where:line:column: invalid JSON: what`, the message of every JSON input a user gives."""
    line, column, message = json_syntax_error(error)
    return f"{where}:{line}:{column}: invalid JSON: {message}"


def json_syntax_error(error: json.JSONDecodeError) -> tuple[int, int, str]:
    """`line, column, message` of a JSON syntax error, in words a user knows where Python's
    parser names only the symptom: a trailing comma is named at the comma, a string left open
    at its opening quote."""
    text, position = error.doc, error.pos
    before = text[:position].rstrip()
    if error.msg in ("Expecting property name enclosed in double quotes", "Expecting value") and before.endswith(","):
        closing = text[position:position + 1]
        if closing in ("}", "]"):
            return *_line_column(text, len(before) - 1), f"trailing comma before '{closing}'"
    if error.msg.startswith("Unterminated string"):
        return *_line_column(text, position), "missing closing quote: the string starting here never ends"
    if error.msg.startswith("Invalid control character"):
        if text[position:position + 1] in ("\n", "\r"):
            unclosed = "missing closing quote: the string starting here never ends on its line"
            return *_line_column(text, _open_string(text, position)), unclosed
        control = f"control character U+{ord(text[position]):04X} in a string: write it escaped (such as \\t or \\u0009)"
        return error.lineno, error.colno, control
    return error.lineno, error.colno, error.msg


def _open_string(text: str, position: int) -> int:
    """The opening quote of the string `position` is in (JSON strings never span lines)."""
    start, opening, escaped = text.rfind("\n", 0, position) + 1, position, False
    inside = False
    for index in range(start, position):
        character = text[index]
        if inside and character == "\\" and not escaped:
            escaped = True
            continue
        if character == '"' and not escaped:
            inside = not inside
            opening = index if inside else opening
        escaped = False
    return opening


def _line_column(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1
