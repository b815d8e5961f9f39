"""etk validate as a CI linter: selection, settings files, inline suppression, baseline, output
formats (SARIF checked against the SARIF 2.1.0 schema), and the pre-commit hooks."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import jsonschema
import pytest

from generator.files import dump_json
from tests.etk_cli import etk
from tests.validate.conftest import MINIMAL

REPO = Path(__file__).resolve().parents[2]
SARIF_SCHEMA = Path("node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json")


@pytest.fixture
def project(tmp_path, template, monkeypatch):
    """A folder with a template that has one error (a condition on its own property), one warning
    (an undeclared group) and one info finding (a condition on a later property)."""
    template["properties"] += [
        {"id": "never", "label": "Never", "type": "String", "binding": {"type": "zeebe:input", "name": "never"},
         "condition": {"property": "never", "equals": "c"}},
        {"label": "Elsewhere", "type": "String", "group": "nowhere", "binding": {"type": "zeebe:input", "name": "where"}},
    ]
    template["properties"].insert(1, {"label": "Early", "type": "String", "binding": {"type": "zeebe:input", "name": "early"},
                                      "condition": {"property": "mode", "equals": "a"}})
    (tmp_path / "dist").mkdir()
    (tmp_path / "dist" / "t.json").write_text(dump_json(template), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def validate(*args: str):
    return etk("validate", *args)


def rules_in(output: str) -> list[str]:
    return [line.split(": ", 2)[1] + " " + line.rsplit("(", 1)[-1] for line in output.splitlines()]


def test_default_run_shows_errors_and_warnings_and_counts_info(project):
    result = validate("dist")
    assert result.exit_code == 1
    assert [line.split(": ")[1] for line in result.stdout.splitlines()] == ["error", "warning"]
    assert result.stderr == "1 file(s): 1 error(s), 1 warning(s) (1 more below --severity, not shown)\n"


def test_select_ignore_and_severity(project):
    assert validate("--select", "properties", "dist").stdout.count("\n") == 1
    only_info = validate("--severity", "info", "--select", "condition-order", "dist")
    assert only_info.exit_code == 0 and ": info: condition refers to property \"mode\"" in only_info.stdout
    assert validate("--ignore", "conditions", "--ignore", "group-declared", "dist").stdout == ""
    assert validate("--ignore", "conditions,properties", "dist").exit_code == 0
    assert validate("--ignore", "conditions", "--strict", "dist").exit_code == 1


def test_unknown_rule_or_severity_is_a_usage_error(project):
    result = validate("--select", "condition-valeu", "dist")
    assert (result.exit_code, result.stderr) == (
        2, "etk: error: --select: unknown rule or group 'condition-valeu'; `etk validate --list-rules` lists them\n")
    assert validate("--severity", "fatal", "dist").exit_code == 2


def test_list_rules_documents_every_rule_with_an_example():
    from generator.validate import RULES

    listing = validate("--list-rules").stdout
    for rule in RULES.values():
        tier = f"{rule.severity}, defect" if rule.modeler_loads else rule.severity
        assert f"  {rule.id} ({tier}): {rule.summary}\n      breaks it: {rule.example}\n" in listing


def test_defects_selects_the_defects_the_modeler_loads_silently(project):
    document = json.loads((project / "dist" / "t.json").read_text(encoding="utf-8"))
    document["properties"].append({"label": "Dead", "type": "String", "binding": {"type": "zeebe:input", "name": "dead"},
                                   "condition": {"property": "mode", "equals": "c"}})
    (project / "dist" / "t.json").write_text(dump_json(document), encoding="utf-8")
    result = validate("--select", "DEFECTS", "dist")
    assert result.exit_code == 0  # a warning: the Modeler loads the template with it
    assert [line.split(": ", 2)[1:] for line in result.stdout.splitlines()] == [
        ["warning", '"c" is never the value of dropdown "mode" ("a", "b"), so this property is never active; '
                    'compare with one of those values (/properties/5/condition/equals)']]
    assert validate("--select", "DEFECTS", "--strict", "dist").exit_code == 1


def test_statistics_count_each_rule(project):
    result = validate("--statistics", "--severity", "info", "dist")
    summary = {rule.id: rule.summary for rule in __import__("generator.validate", fromlist=["RULES"]).RULES.values()}
    width = len("condition-order")
    assert result.stdout.splitlines() == [
        f"     1  error    {'condition-self':{width}}  {summary['condition-self']}",
        f"     1  warning  {'group-declared':{width}}  {summary['group-declared']}",
        f"     1  info     {'condition-order':{width}}  {summary['condition-order']}",
    ]
    assert validate("--statistics", "--format", "json", "dist").exit_code == 2


def test_pyproject_settings_apply_and_options_override_them(project):
    (project / "pyproject.toml").write_text(
        '[tool.etk.validate]\nignore = ["conditions"]\nseverity = "info"\nstrict = true\n'
        '[tool.etk.validate.per-file-ignores]\n"other/*.json" = ["ALL"]\n', encoding="utf-8")
    result = validate("dist")
    assert result.exit_code == 1 and result.stderr == "1 file(s): 0 error(s), 1 warning(s)\n"
    assert validate("--select", "condition-self", "dist").stdout == ""  # --ignore from settings still applies
    shutil.copytree(project / "dist", project / "other")
    assert validate("other").stderr == "1 file(s): 0 error(s), 0 warning(s)\n"


def test_etk_toml_and_bad_settings(project):
    (project / "etk.toml").write_text('[validate]\nselect = ["properties"]\n', encoding="utf-8")
    assert validate("dist").stderr == "1 file(s): 0 error(s), 1 warning(s)\n"
    (project / "etk.toml").write_text('[validate]\nselct = ["properties"]\n', encoding="utf-8")
    result = validate("dist")
    assert result.exit_code == 2 and "etk.toml: [validate]: unknown key 'selct'" in result.stderr
    (project / "etk.toml").write_text("[validate\n", encoding="utf-8")
    assert "invalid TOML" in validate("dist").stderr


def test_inline_suppression_drops_one_propertys_findings(project):
    document = json.loads((project / "dist" / "t.json").read_text(encoding="utf-8"))
    document["properties"][3]["x-etk-ignore"] = ["condition-self"]
    (project / "dist" / "t.json").write_text(dump_json(document), encoding="utf-8")
    assert "condition-self" not in validate("--format", "json", "dist").stdout
    document["properties"][3]["x-etk-ignore"] = ["condition-self", "group-declared", "nonsense"]
    (project / "dist" / "t.json").write_text(dump_json(document), encoding="utf-8")
    messages = [each["message"] for each in json.loads(validate("--format", "json", "dist").stdout) if each["rule"] == "suppression"]
    assert messages == ['"group-declared" in "x-etk-ignore" suppresses nothing here; remove it',
                        '"nonsense" is no rule or group of etk validate; `etk validate --list-rules` lists them']


def test_baseline_reports_only_new_findings(project):
    assert validate("--baseline", "baseline.json", "--update-baseline", "dist").stderr == (
        "wrote baseline.json: 3 finding(s) in 1 file(s)\n")
    known = validate("--baseline", "baseline.json", "dist")
    assert (known.exit_code, known.stdout, known.stderr) == (0, "", "1 file(s): 0 error(s), 0 warning(s); 3 known from the baseline\n")
    # a new property before the old ones moves them: still known; the new one is reported
    document = json.loads((project / "dist" / "t.json").read_text(encoding="utf-8"))
    document["properties"].insert(1, {"label": "New", "type": "String", "binding": {"type": "zeebe:input", "name": "new"},
                                      "condition": {"property": "nothing", "equals": "x"}})
    (project / "dist" / "t.json").write_text(dump_json(document), encoding="utf-8")
    result = validate("--baseline", "baseline.json", "dist")
    assert result.exit_code == 0 and result.stdout.count("\n") == 1 and ': warning: condition refers to property id "nothing"' in result.stdout
    assert result.stderr == "1 file(s): 0 error(s), 1 warning(s); 3 known from the baseline\n"


def test_baseline_that_is_missing_or_broken_is_a_usage_error(project):
    assert validate("--baseline", "missing.json", "dist").exit_code == 2
    (project / "b.json").write_text("{}", encoding="utf-8")
    assert "not an etk validate baseline" in validate("--baseline", "b.json", "dist").stderr


@pytest.fixture
def broken_files(project):
    """dist/ with one file per file error besides the template of `project`."""
    dist = project / "dist"
    (dist / "syntax.json").write_text('{"name": "A",}', encoding="utf-8")
    (dist / "latin1.json").write_bytes('{"name": "Caf\u00e9"}'.encode("latin-1"))
    (dist / "twice.json").write_text(dump_json({**MINIMAL, "id": "io.etk.Twice"}).replace(
        '"name": "Demo",', '"name": "A", "name": "Demo",'), encoding="utf-8")
    (dist / "string.json").write_text('"just a string"', encoding="utf-8")
    return project


FILE_ERROR_LINES = [
    "dist/latin1.json:1:14: error: the file is not UTF-8 text: byte 0xE9 cannot start or continue a character (/)",
    "dist/string.json:1:1: error: expected a template object or an array of templates, got a string (/)",
    "dist/syntax.json:1:13: error: invalid JSON: trailing comma before '}' (/)",
    'dist/twice.json:3:24: error: key "name" appears twice in the same object; JSON readers keep only the last one (/name)',
]


@pytest.mark.parametrize("options", [
    ("--select", "DEFECTS"), ("--select", "condition-self"), ("--ignore", "file"), ("--ignore", "ALL"),
    ("--severity", "error", "--ignore", "json-syntax,read-error,duplicate-key,not-a-template"),
])
def test_file_errors_are_reported_whatever_the_selection(broken_files, options):
    result = validate(*options, "dist")
    file_errors = [line for line in result.stdout.splitlines() if not line.startswith("dist/t.json")]
    assert (result.exit_code, file_errors) == (1, FILE_ERROR_LINES)


def test_file_errors_are_reported_whatever_the_settings_and_the_baseline(broken_files):
    (broken_files / "pyproject.toml").write_text(
        '[tool.etk.validate]\nignore = ["ALL"]\n[tool.etk.validate.per-file-ignores]\n"dist/*.json" = ["ALL"]\n', encoding="utf-8")
    result = validate("dist")
    assert (result.exit_code, result.stdout.splitlines()) == (1, FILE_ERROR_LINES)
    (broken_files / "pyproject.toml").unlink()
    written = validate("--baseline", "baseline.json", "--update-baseline", "dist")
    # the file errors are reported, and not written to the baseline
    assert (written.exit_code, written.stdout.splitlines()) == (1, FILE_ERROR_LINES)
    assert written.stderr.splitlines() == ["wrote baseline.json: 3 finding(s) in 5 file(s)",
                                           "5 file(s): 4 error(s), 0 warning(s)"]
    assert {entry["file"] for entry in json.loads((broken_files / "baseline.json").read_text())["findings"]} == {"dist/t.json"}
    known = validate("--baseline", "baseline.json", "dist")
    assert (known.exit_code, known.stdout.splitlines()) == (1, FILE_ERROR_LINES)
    assert known.stderr == "5 file(s): 4 error(s), 0 warning(s); 3 known from the baseline\n"


@pytest.mark.parametrize("options", [(), ("--select", "DEFECTS"), ("--ignore", "ALL"), ("--format", "sarif")])
def test_a_path_that_does_not_exist_is_an_error_exit_2(project, options):
    for missing in ("missing.json", "missing-folder"):
        result = validate(*options, "dist", missing)
        assert (result.exit_code, result.stdout, result.stderr) == (2, "", f"etk: error: {missing}: no such file or directory\n")


@pytest.mark.parametrize("options", [(), ("--select", "DEFECTS"), ("--format", "json")])
def test_a_directory_without_templates_is_an_error_exit_2(project, options):
    Path("empty", "nested").mkdir(parents=True)
    Path("empty", "nested", "notes.txt").write_text("not a template", encoding="utf-8")
    result = validate(*options, "dist", "empty")
    assert (result.exit_code, result.stdout, result.stderr) == (
        2, "", "etk: error: empty: no *.json file in this directory or below it: nothing to validate\n")


def test_sarif_output_is_valid_sarif_2_1_0(project, node_tools):
    schema = json.loads((node_tools / SARIF_SCHEMA).read_text(encoding="utf-8"))
    log = json.loads(validate("--format", "sarif", "--severity", "info", "dist").stdout)
    jsonschema.Draft7Validator(schema).validate(log)
    results = log["runs"][0]["results"]
    assert [(each["ruleId"], each["level"]) for each in results] == [
        ("condition-order", "note"), ("condition-self", "error"), ("group-declared", "warning")]
    assert results[1]["locations"][0]["physicalLocation"]["artifactLocation"] == {"uri": "dist/t.json"}
    assert set(results[1]["locations"][0]["physicalLocation"]["region"]) == {"startLine", "startColumn"}
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert rules[results[1]["ruleIndex"]]["id"] == "condition-self"


def test_github_annotations(project):
    lines = validate("--format", "github", "dist").stdout.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("::error file=dist/t.json,line=")
    head, _, message = lines[0][2:].partition("::")
    command, _, properties = head.partition(" ")
    assert command == "error"
    fields = dict(item.split("=", 1) for item in properties.split(","))
    assert set(fields) == {"file", "line", "col", "title"} and fields["title"] == "etk condition-self"
    assert int(fields["line"]) > 0 and int(fields["col"]) > 0
    assert message.startswith('condition refers to the property\'s own id "never"')
    assert lines[1].startswith("::warning file=dist/t.json,")


def test_github_annotation_escapes_newlines_commas_and_colons():
    from generator.problems import Location, Problem
    from generator.validate.report import github_annotation

    line = github_annotation(Problem("warning", "schema", "50% done\nnext", Location("a,b:c.json", 1, 2, "/x")))
    assert line == "::warning file=a%2Cb%3Ac.json,line=1,col=2,title=etk schema::50%25 done%0Anext (/x)"


def test_junit_report(project):
    (project / "dist" / "fine.json").write_text(dump_json({**MINIMAL, "id": "io.etk.Fine"}), encoding="utf-8")
    root = ElementTree.fromstring(validate("--format", "junit", "dist").stdout)
    assert (root.tag, root.get("tests"), root.get("failures")) == ("testsuites", "3", "2")
    suites = {suite.get("name"): suite for suite in root}
    assert set(suites) == {"dist/fine.json", "dist/t.json"}
    assert [case.find("failure") for case in suites["dist/fine.json"]] == [None]
    failures = [case.find("failure") for case in suites["dist/t.json"]]
    assert [failure.get("type") for failure in failures] == ["condition-self", "group-declared"]


# pre-commit ---------------------------------------------------------------------------------------

def git(folder: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args], cwd=folder, check=True,
                   capture_output=True, timeout=60)


def pre_commit(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""),
           "PRE_COMMIT_HOME": str(folder.parent / "pre-commit-home"), "PIP_NO_INDEX": "1"}
    return subprocess.run([sys.executable, "-m", "pre_commit", *args], cwd=folder, env=env, capture_output=True, text=True,
                          timeout=300)


def test_pre_commit_hooks_run_offline_on_a_repository(tmp_path, template):
    hooks = tmp_path / "etk-hooks"
    hooks.mkdir()
    shutil.copy(REPO / ".pre-commit-hooks.yaml", hooks)
    git(hooks, "init", "-q")
    git(hooks, "add", ".")
    git(hooks, "commit", "-qm", "hooks")
    rev = subprocess.run(["git", "rev-parse", "HEAD"], cwd=hooks, capture_output=True, text=True, check=True).stdout.strip()

    work = tmp_path / "work"
    shutil.copytree(REPO / "templates", work / "templates")
    (work / ".pre-commit-config.yaml").write_text(
        f"repos:\n- repo: {hooks.as_posix()}\n  rev: {rev}\n  hooks:\n  - id: etk-validate\n  - id: etk-build-check\n",
        encoding="utf-8")
    subprocess.run([os.path.join(os.path.dirname(sys.executable), "etk"), "build"], cwd=work, check=True, capture_output=True,
                   timeout=300)
    (work / "package.json").write_text('{"name": "not a template"}', encoding="utf-8")  # outside the hook's files
    git(work, "init", "-q")
    git(work, "add", ".")

    passed = pre_commit(work, "run", "--all-files")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "etk validate (Camunda element templates)" in passed.stdout and "Passed" in passed.stdout

    template["properties"][1]["condition"] = {"property": "mode", "equals": "a"}
    (work / "element-templates").mkdir()
    (work / "element-templates" / "broken.json").write_text(dump_json(template), encoding="utf-8")
    stale = json.loads((work / "dist" / "rest.json").read_text(encoding="utf-8"))
    stale["name"] = "Edited by hand"
    (work / "dist" / "rest.json").write_text(dump_json(stale), encoding="utf-8")
    git(work, "add", ".")
    failed = pre_commit(work, "run", "--all-files")
    assert failed.returncode == 1
    assert 'element-templates/broken.json:' in failed.stdout and 'error: condition refers to the property\'s own id "mode"' in failed.stdout
    assert "etk build --check (dist/ is what templates/ renders)" in failed.stdout
    assert "differs from dist/rest.json, which has the same version" in failed.stdout
