"""Atomic writes and deterministic JSON text (`generator.files`), used by every command that writes."""

from __future__ import annotations

import json
import os
import stat
import threading
from pathlib import Path

import pytest

from generator import files
from generator.files import dump_json, write_bytes_atomic, write_text_atomic
from tests.etk_cli import etk


def test_dump_json_is_indented_ordered_and_ends_with_a_newline():
    assert dump_json({"b": 1, "a": ["é", None]}) == '{\n  "b": 1,\n  "a": [\n    "é",\n    null\n  ]\n}\n'


def test_a_new_file_is_written_with_the_usual_permissions(tmp_path):
    target = tmp_path / "sub" / "out.json"
    write_text_atomic(target, "x\n")
    assert target.read_text(encoding="utf-8") == "x\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert sorted(p.name for p in target.parent.iterdir()) == ["out.json"]


def test_replacing_a_file_keeps_its_permissions(tmp_path):
    target = tmp_path / "run.sh"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o755)
    write_text_atomic(target, "new")
    assert target.read_text(encoding="utf-8") == "new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o755


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "keep.json"
    target.write_text("old", encoding="utf-8")

    def refuse(source: str, destination: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "replace", refuse)
    with pytest.raises(OSError):
        write_text_atomic(target, "new")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["keep.json"]


def test_a_symbolic_link_is_followed_and_stays_a_link(tmp_path):
    real = tmp_path / "real.bpmn"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.bpmn"
    link.symlink_to(real)
    write_text_atomic(link, "new")
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8") == "new"


def test_a_named_pipe_is_written_to_not_replaced(tmp_path):
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_bytes()))
    reader.start()
    write_bytes_atomic(pipe, b"through the pipe")
    reader.join(timeout=10)
    assert received == [b"through the pipe"]
    assert stat.S_ISFIFO(pipe.stat().st_mode)


def test_a_device_is_written_to_not_replaced():
    write_bytes_atomic(Path("/dev/null"), b"discarded")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_a_directory_is_an_error(tmp_path):
    with pytest.raises(IsADirectoryError):
        write_bytes_atomic(tmp_path, b"x")


@pytest.mark.parametrize("command", [["validate"], ["run"], ["apply", "-e", "Task_1", "-o", "-"], ["diagram", "-o", "-"]])
def test_every_json_input_names_a_trailing_comma(tmp_path: Path, command: list[str]) -> None:
    broken = tmp_path / "t.json"
    broken.write_text('{\n  "id": "x",\n  "properties": [],\n}\n', encoding="utf-8")
    arguments = [command[0], str(broken), *([str(tmp_path / "d.bpmn")] if command[0] == "apply" else []), *command[1:]]
    result = etk(*arguments)
    assert f"{broken}:3:19: " in result.output and "invalid JSON: trailing comma before '}'" in result.output


def test_dump_json_writes_infinities_and_nan_as_jacksons_strings_never_as_invalid_json():
    def refuse(constant: str):
        raise AssertionError(f"{constant} is not JSON")
    text = dump_json({"nan": float("nan"), "big": [float("inf"), -float("inf")], "ok": 1.5})
    assert text == '{\n  "nan": "NaN",\n  "big": [\n    "Infinity",\n    "-Infinity"\n  ],\n  "ok": 1.5\n}\n'
    assert json.loads(text, parse_constant=refuse) == {"nan": "NaN", "big": ["Infinity", "-Infinity"], "ok": 1.5}
