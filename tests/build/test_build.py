"""`etk build`: determinism, versioning of dist/, --check, refusals and all-or-nothing writes."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.definition.conftest import MINIMAL
from tests.etk_cli import etk, snapshot

OTHER = MINIMAL.replace("io.etk.test.Minimal.v1", "io.etk.test.Other.v1").replace("name: Minimal", "name: Other")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder with templates/minimal.yaml and templates/other.yaml; the working directory."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "minimal.yaml").write_text(MINIMAL, encoding="utf-8")
    (tmp_path / "templates" / "other.yaml").write_text(OTHER, encoding="utf-8")
    return tmp_path


def edit(project: Path, old: str, new: str, name: str = "minimal") -> None:
    path = project / "templates" / f"{name}.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_first_build_writes_and_second_build_changes_nothing(project):
    result = etk("build")
    assert (result.exit_code, result.stdout) == (
        0,
        "wrote dist/minimal.json (version 1)\nwrote dist/other.json (version 1)\n",
    )
    before = snapshot(project / "dist")
    stamps = {path: path.stat().st_mtime_ns for path in (project / "dist").glob("*.json")}
    result = etk("build")
    assert (result.exit_code, result.stdout) == (
        0,
        "unchanged dist/minimal.json (version 1)\nunchanged dist/other.json (version 1)\nnothing changed\n",
    )
    assert snapshot(project / "dist") == before
    assert {path: path.stat().st_mtime_ns for path in stamps} == stamps  # not even rewritten


def test_building_twice_gives_byte_identical_files(project):
    assert etk("build", "-o", "first").exit_code == 0
    assert etk("build", "templates", "--output", "second").exit_code == 0
    first, second = snapshot(project / "first"), snapshot(project / "second")
    assert first == second and len(first) == 2
    assert first["minimal.json"].endswith(b"}\n") and b'\n  "name": "Minimal",\n' in first["minimal.json"]


def test_check_passes_when_dist_is_current(project):
    etk("build")
    result = etk("build", "--check")
    assert (result.exit_code, result.stdout) == (0, "dist is up to date (2 templates)\n")


def test_check_reports_a_missing_template_and_writes_nothing(project):
    result = etk("build", "--check")
    assert result.exit_code == 1
    assert result.stdout == (
        "missing dist/minimal.json (version 1): run `etk build`\nmissing dist/other.json (version 1): run `etk build`\n"
    )
    assert result.stderr == "dist is not up to date: 2 problems\n"
    assert not (project / "dist").exists()


def test_a_changed_template_without_a_version_bump_is_refused(project):
    etk("build")
    before = snapshot(project / "dist")
    edit(project, "host: {group: main, required: true}", "host: {group: main, required: true, label: Server}")
    message = (
        "templates/minimal.yaml (id io.etk.test.Minimal.v1, version 1): the rendered template differs from "
        "dist/minimal.json, which has the same version 1: bump `version` to 2 in templates/minimal.yaml "
        "(the old template then moves to dist/versioned/minimal-1.json)"
    )
    check = etk("build", "--check")
    assert (check.exit_code, check.stdout) == (1, message + "\n")
    build = etk("build")
    assert build.exit_code == 2
    assert build.stderr == f"etk: error: nothing written: 1 problem with dist/\n{message}\n"
    assert snapshot(project / "dist") == before


def test_a_version_bump_moves_the_previous_template_to_versioned(project):
    etk("build")
    old = (project / "dist" / "minimal.json").read_bytes()
    edit(project, "host: {group: main, required: true}", "host: {group: main, required: true, label: Server}")
    edit(project, "version: 1", "version: 2")
    check = etk("build", "--check")
    assert check.exit_code == 1
    assert check.stdout == (
        "not archived: dist/minimal.json (version 1) should move to dist/versioned/minimal-1.json: run `etk build`\n"
        "stale dist/minimal.json: it differs from its definition (version 2): run `etk build`\n"
    )
    assert not (project / "dist" / "versioned").exists()
    result = etk("build")
    assert (result.exit_code, result.stdout) == (
        0,
        "moved dist/minimal.json (version 1) to dist/versioned/minimal-1.json\n"
        "wrote dist/minimal.json (version 2)\n"
        "unchanged dist/other.json (version 1)\n",
    )
    assert (project / "dist" / "versioned" / "minimal-1.json").read_bytes() == old
    assert b'"version": 2,' in (project / "dist" / "minimal.json").read_bytes()
    assert b'"label": "Server"' in (project / "dist" / "minimal.json").read_bytes()
    assert etk("build", "--check").exit_code == 0


def test_a_version_going_backwards_is_refused(project):
    edit(project, "version: 1", "version: 3")
    etk("build")
    edit(project, "version: 3", "version: 2")
    result = etk("build")
    assert result.exit_code == 2
    assert result.stderr == (
        "etk: error: nothing written: 1 problem with dist/\n"
        "templates/minimal.yaml (id io.etk.test.Minimal.v1, version 2): dist/minimal.json already has version 3; "
        "versions only go up: set `version` to 4\n"
    )


def test_a_template_whose_definition_was_deleted_is_reported(project):
    etk("build")
    (project / "templates" / "other.yaml").unlink()
    message = (
        "dist/other.json has no definition (templates/other.yaml): restore the definition, "
        "or delete dist/other.json if the connector was removed"
    )
    check = etk("build", "--check")
    assert (check.exit_code, check.stdout) == (1, message + "\n")
    build = etk("build")
    assert build.exit_code == 2 and build.stderr.endswith(message + "\n")
    assert (project / "dist" / "other.json").exists()


def test_a_bad_definition_leaves_dist_untouched(project):
    etk("build")
    before = snapshot(project / "dist")
    edit(project, "version: 1", "version: 2")  # minimal would be rewritten ...
    edit(project, 'url: "https://{host}/items"', 'url: "https://{hots}/items"', name="other")  # ... but other is broken
    result = etk("build")
    assert result.exit_code == 2
    assert result.stderr == (
        "etk: error: 1 problem in the definition\n"
        "templates/other.yaml:11:8: url refers to {hots}, which is not a field (did you mean 'host'?)\n"
    )
    assert snapshot(project / "dist") == before


def test_generated_feel_that_does_not_parse_is_reported_at_the_definition(project):
    edit(project, 'url: "https://{host}/items"', 'url: "=\\"https://\\" + host +"')
    result = etk("build")
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "etk: error: 1 problem in the definition\ntemplates/minimal.yaml:11:8: the generated FEEL at /properties/3/value does not parse: "
    )
    assert not (project / "dist").exists()


def test_a_reformatted_template_is_rewritten_without_a_bump(project):
    etk("build")
    path = project / "dist" / "minimal.json"
    path.write_text(path.read_text(encoding="utf-8").replace("\n  ", "\n    "), encoding="utf-8")
    result = etk("build")
    assert result.stdout.splitlines()[0] == "wrote dist/minimal.json (version 1) (formatting only)"
    assert etk("build", "--check").exit_code == 0


def test_a_dist_file_that_is_not_json_is_not_overwritten(project):
    etk("build")
    (project / "dist" / "minimal.json").write_text("{ broken", encoding="utf-8")
    result = etk("build")
    assert result.exit_code == 2
    assert ('dist/minimal.json is not an element template written by etk (invalid JSON: the key broken needs double '
            'quotes: "broken"): restore it from version control, or delete it to start over') in result.stderr
    assert (project / "dist" / "minimal.json").read_text(encoding="utf-8") == "{ broken"
    (project / "dist" / "minimal.json").write_text("[]", encoding="utf-8")
    assert "dist/minimal.json is not an element template written by etk (not a JSON object)" in etk("build").stderr


def test_missing_or_empty_templates_folder(project):
    result = etk("build", "nowhere")
    assert (result.exit_code, result.stderr) == (
        2,
        "etk: error: nowhere: no such folder (expected connector definitions *.yaml)\n",
    )
    (project / "empty").mkdir()
    result = etk("build", "empty")
    assert (result.exit_code, result.stderr) == (2, "etk: error: empty: no connector definitions (*.yaml) found\n")
