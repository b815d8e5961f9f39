"""Regression tests for inputs that once ended in a traceback or in invalid output: each is now
`etk: error: <where>: <what>` with exit 2, or a documented outcome."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from tests.runtime.loopback import LoopbackServer, Reply

REPO = Path(__file__).resolve().parents[2]
REST = str(REPO / "dist" / "rest.json")


def etk(*arguments: str):
    return CliRunner().invoke(main, list(arguments))


def test_build_into_a_file_is_an_error(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("# keep me\n", encoding="utf-8")
    result = etk("build", str(REPO / "templates"), "-o", str(readme))
    assert (result.exit_code, result.stderr) == (
        2, f"etk: error: {readme}: is a file; -o/--output names the folder the templates go to\n")
    assert readme.read_text(encoding="utf-8") == "# keep me\n"
    below = etk("build", str(REPO / "templates"), "-o", str(readme / "dist"))
    assert below.exit_code == 2 and below.stderr.startswith("etk: error: ") and "cannot write: Not a directory" in below.stderr


def test_an_argument_that_is_not_utf8_is_a_usage_error():
    result = etk("run", REST, "--dry-run", "--set", os.fsdecode(b"url=http://x/\xff"))
    assert (result.exit_code, result.stderr) == (
        2, "etk: error: argument 5 is not UTF-8 text (byte 0xFF at character 14); give text in UTF-8 (see 'etk --help')\n")


@pytest.mark.parametrize(("value", "message"), [
    ("[" * 3000 + "]" * 3000, "etk: error: --var x: invalid JSON: nested more than 500 levels deep (etk reads at most 500)\n"),
    ("9" * 5000, "etk: error: --var x: a number with 5,000 digits is longer than etk reads (1,000 digits at most)\n"),
    ('{"a": 1, "a": 2}', "etk: error: --var x: key \"a\" appears twice in the same object; JSON readers keep only the last one\n"),
])
def test_feel_vars_that_are_too_deep_too_long_or_repeat_a_key(value, message):
    assert (etk("feel", "x", "--var", f"x={value}").stderr) == message


def test_feel_vars_files_are_read_strictly(tmp_path):
    deep = tmp_path / "deep.json"
    deep.write_text('{"x": ' + "[" * 600 + "]" * 600 + "}", encoding="utf-8")
    result = etk("feel", "x", "--vars-file", str(deep))
    assert (result.exit_code, result.stderr) == (
        2, f"etk: error: {deep}:1:506: invalid JSON: nested more than 500 levels deep (etk reads at most 500)\n")


def test_nan_and_infinity_from_a_server_never_print_as_invalid_json():
    with LoopbackServer() as server:
        server.reply(Reply(200, b'{"big": 1e400, "small": -1e999, "ok": 1.5}'), Reply(200, b'{"n": NaN}'))
        parsed = etk("run", REST, "--set", f"url={server.url('/a')}", "--set", "resultVariable=r")
        as_text = etk("run", REST, "--set", f"url={server.url('/b')}", "--set", "resultVariable=r")
    # Jackson reads 1e400 as an infinity and writes it as the string "Infinity"
    assert json.loads(parsed.stdout)["r"]["body"] == {"big": "Infinity", "small": "-Infinity", "ok": 1.5}
    # Jackson refuses NaN: the body stays text
    assert json.loads(as_text.stdout)["r"]["body"] == '{"n": NaN}'
