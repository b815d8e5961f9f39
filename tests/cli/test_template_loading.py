"""`etk apply`, `diagram` and `run` load templates with `etk validate`'s code: they refuse exactly
the files validate reports errors for, with validate's message, and never with a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main

REPO = Path(__file__).resolve().parents[2]
DIAGRAM = REPO / "tests" / "bpmn" / "diagrams" / "task.bpmn"
VALID = json.loads((REPO / "dist" / "rest.json").read_text(encoding="utf-8"))

HOSTILE: dict[str, bytes] = {
    "deep": b"[" * 5000 + b"]" * 5000,
    "huge-integer": b'{"id": "a", "version": ' + b"9" * 5000 + b', "properties": []}',
    "lone-surrogate": json.dumps({**VALID, "name": "\\ud800"}).replace("\\\\ud800", "\\ud800").encode(),
    "invalid-utf8": b'{"id": "a\xff", "properties": []}',
    "utf16": json.dumps(VALID).encode("utf-16"),
    "nan-version": json.dumps({**VALID, "version": 1}).replace('"version": 1', '"version": NaN').encode(),
    "duplicate-key": json.dumps(VALID).replace('{"$schema"', '{"id": "other", "$schema"', 1).encode(),
    "properties-string": json.dumps({**VALID, "properties": "x"}).encode(),
    "trailing-comma": b'{"id": "a",}',
    "scalar": b"42",
    "empty-file": b"",
    "package-json": (REPO / "tools" / "package.json").read_bytes(),
}

COMMANDS = {
    "apply": lambda path: ["apply", path, str(DIAGRAM), "-e", "Task_1", "-o", "-"],
    "diagram": lambda path: ["diagram", path, "-o", "-"],
    "run": lambda path: ["run", path, "--dry-run"],
}


def invoke(arguments: list[str]):
    return CliRunner().invoke(main, arguments)


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_every_command_refuses_what_validate_refuses_with_its_message(tmp_path, case, command):
    path = tmp_path / f"{case}.json"
    path.write_bytes(HOSTILE[case])
    findings = json.loads(invoke(["validate", "--format", "json", str(path)]).stdout)
    errors = [each for each in findings if each["severity"] == "error"]
    assert errors, "validate must report an error for every hostile file"
    result = invoke(COMMANDS[command](str(path)))
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.stdout == ""
    assert result.stderr.startswith("etk: error: ")
    for error in errors[:10]:
        assert error["message"] in result.stderr
        assert f"{path}:{error['line']}:{error['column']}: " in result.stderr


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_an_empty_array_holds_nothing_to_use(tmp_path, command):
    path = tmp_path / "empty.json"
    path.write_text("[]", encoding="utf-8")
    result = invoke(COMMANDS[command](str(path)))
    assert (result.exit_code, result.stderr) == (2, f"etk: error: {path}: the file holds no template (an empty array)\n")


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_directory_is_no_template(tmp_path, command):
    result = invoke(COMMANDS[command](str(tmp_path)))
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_several_errors_are_listed_under_one_line(tmp_path):
    path = tmp_path / "t.json"
    path.write_text(json.dumps({"id": 5, "properties": "x"}), encoding="utf-8")
    result = invoke(COMMANDS["run"](str(path)))
    lines = result.stderr.splitlines()
    count = sum(each["severity"] == "error" for each in json.loads(invoke(["validate", "--format", "json", str(path)]).stdout))
    assert count > 10
    assert lines[0] == f"etk: error: {path}: {count} errors (what `etk validate` reports); etk uses valid templates only:"
    assert all(line.startswith(f"  {path}:1:") for line in lines[1:11])
    assert len(lines) == 12 and lines[-1] == f"  ... and {count - 10} more (`etk validate {path}` lists them all)"


def test_run_uses_the_newest_version_of_a_file_of_versions_like_apply(tmp_path):
    versions = [{**json.loads(json.dumps(VALID)), "version": number} for number in (3, 12, 7)]
    for each in versions:
        for prop in each["properties"]:
            if prop.get("binding", {}).get("key") == "elementTemplateVersion":
                prop["value"] = str(each["version"])
    path = tmp_path / "versions.json"
    path.write_text(json.dumps(versions), encoding="utf-8")
    result = invoke(["run", str(path), "--dry-run", "--set", "url=https://example.com/"])
    assert result.exit_code == 0, result.output
    diagram = invoke(["diagram", str(path), "-o", "-"])
    assert 'zeebe:modelerTemplateVersion="12"' in diagram.stdout
