"""`etk validate`: exit codes, text and JSON output, broken and unreadable files."""

from __future__ import annotations

import json

from click.testing import Result

from generator.files import dump_json
from tests.etk_cli import etk


def run(*args: str) -> Result:
    return etk("validate", *args)


def write(tmp_path, name: str, content: str):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return str(path)


def test_valid_file_exits_0_and_prints_only_the_summary(tmp_path, template):
    path = write(tmp_path, "ok.json", dump_json(template))
    result = run(path)
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "1 file(s): 0 error(s), 0 warning(s)\n")


def test_warnings_alone_exit_0_unless_strict(tmp_path, template):
    template["groups"].append({"id": "spare", "label": "Spare"})
    path = write(tmp_path, "warn.json", dump_json(template))
    line = f'{path}:17:5: warning: group "spare" has no properties; remove it or put properties in it (/groups/1)\n'
    result = run(path)
    assert (result.exit_code, result.stdout) == (0, line)
    assert run("--strict", path).exit_code == 1


def test_errors_exit_1_with_one_line_per_finding_in_file_order(tmp_path, template):
    template["version"] = "2"
    template["properties"][1]["value"] = "c"
    path = write(tmp_path, "bad.json", dump_json(template))
    result = run(path)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f'{path}:5:14: error: version must be an integer, got "2" (/version)',
        f'{path}:32:16: warning: the default value "c" is not one of the dropdown\'s choices ("a", "b"); '
        "the Modeler shows an empty selection (/properties/1/value)",
    ]
    assert result.stderr == "1 file(s): 1 error(s), 1 warning(s)\n"


def test_json_format_prints_an_array_of_finding_objects(tmp_path, template):
    template["version"] = "2"
    path = write(tmp_path, "bad.json", dump_json(template))
    result = run("--format", "json", path)
    assert result.exit_code == 1
    assert json.loads(result.stdout) == [{
        "severity": "error", "message": 'version must be an integer, got "2"', "pointer": "/version",
        "file": path, "line": 5, "column": 14, "rule": "schema",
    }]


def test_invalid_json_is_reported_with_its_position(tmp_path):
    path = write(tmp_path, "broken.json", '{\n  "name": "x",\n  "id": \n}\n')
    result = run(path)
    assert (result.exit_code, result.stdout) == (1, f"{path}:3:7: error: invalid JSON: missing value after ':' (/)\n")


def test_unreadable_and_non_utf8_files_are_findings_not_tracebacks(tmp_path):
    binary = tmp_path / "latin1.json"
    binary.write_bytes('{"name": "é"}'.encode("latin-1"))
    dangling = tmp_path / "dangling.json"
    dangling.symlink_to(tmp_path / "gone.json")
    result = run(str(dangling), str(binary))
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{dangling}: error: cannot read the file: No such file or directory (/)",
        f"{binary}:1:11: error: the file is not UTF-8 text: byte 0xE9 cannot start or continue a character (/)",
    ]


def test_a_directory_stands_for_its_json_files(tmp_path, template):
    (tmp_path / "nested").mkdir()
    write(tmp_path, "nested/a.json", dump_json({**template, "id": "io.etk.Other"}))
    write(tmp_path, "b.json", dump_json([template, template]))
    write(tmp_path, "notes.txt", "not a template")
    result = run(str(tmp_path))
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f'{tmp_path / "b.json"}:55:16: error: template id "io.etk.Demo" with version 1 is already used by the '
        "template at /0; the Modeler rejects the second one: give each template version its own number (/1/version)",
    ]
    assert result.stderr == "2 file(s): 1 error(s), 0 warning(s)\n"


def test_the_same_template_in_two_files_of_a_directory_is_an_error(tmp_path, template):
    write(tmp_path, "a.json", dump_json(template))
    write(tmp_path, "b.json", dump_json(template))
    result = run(str(tmp_path))
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f'{tmp_path / "b.json"}:5:14: error: template "io.etk.Demo" version 1 is also in {tmp_path / "a.json"} (/) (the '
        "same template): the Modeler keeps only one of them; remove this copy or give it its own version (/version)",
    ]


def test_no_file_is_a_usage_error():
    result = run()
    assert result.exit_code == 2 and result.stderr == (
        "etk: error: validate: give at least one template file or directory (or --list-rules) (see 'etk validate --help')\n")
