"""Rules across the files validated together: unique (id, version), versioned/ copies, version
bumps (against versioned/ and against git with --base), hybrid parity."""

from __future__ import annotations

import copy
import subprocess
from pathlib import Path

from generator.files import dump_json
from generator.validate import validate_files
from tests.etk_cli import etk
from tests.validate.conftest import MINIMAL


def write(folder: Path, name: str, document: object) -> str:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dump_json(document), encoding="utf-8")
    return str(path)


def version(number: int, **changes: object) -> dict:
    template = copy.deepcopy(MINIMAL)
    template["version"] = number
    template.update(changes)
    return template


def rules(findings) -> list[tuple[str, str, str]]:
    return [(Path(each.location.file or "").name, each.rule, each.location.pointer or "") for each in findings]


def test_a_folder_in_order_has_no_findings(tmp_path):
    files = [write(tmp_path, "a.json", version(3)), write(tmp_path, "versioned/a-2.json", version(2)),
             write(tmp_path, "versioned/a-1.json", version(1, name="Old"))]
    assert validate_files(files) == []


def test_the_same_id_and_version_in_two_files_is_an_error(tmp_path):
    files = [write(tmp_path, "a.json", version(2)), write(tmp_path, "b.json", version(2, name="Other"))]
    found = validate_files(files)
    assert rules(found) == [("b.json", "unique-id-version", "/version")]
    assert found[0].message.startswith(f'template "io.etk.Demo" version 2 is also in {files[0]} (/) (another template): '
                                       "the Modeler keeps only one of them")
    assert found[0].location.line is not None


def test_a_current_template_changed_after_its_versioned_copy_is_not_bumped(tmp_path):
    files = [write(tmp_path, "a.json", version(2, name="Changed")), write(tmp_path, "versioned/a-2.json", version(2))]
    found = validate_files(files)
    assert rules(found) == [("a-2.json", "version-not-bumped", "/version")]


def test_a_versioned_copy_newer_than_the_current_template_is_an_error(tmp_path):
    files = [write(tmp_path, "a.json", version(2)), write(tmp_path, "versioned/a-3.json", version(3))]
    found = validate_files(files)
    assert rules(found) == [("a-3.json", "versioned-copy", "/version")]
    assert "newer than the current template" in found[0].message


def test_a_change_without_bump_against_the_previous_content(tmp_path):
    current = write(tmp_path, "a.json", version(2, name="Changed"))
    found = validate_files([current], previous={current: version(2)})
    assert rules(found) == [("a.json", "version-not-bumped", "/version")]
    assert found[0].message == ('template "io.etk.Demo" changed but keeps version 2: users of version 2 get other properties '
                                "without an update; set version 3 and keep the old one under versioned/")


def test_a_bump_needs_a_versioned_copy_of_the_replaced_version(tmp_path):
    current = write(tmp_path, "a.json", version(3))
    assert rules(validate_files([current], previous={current: version(2)})) == [("a.json", "versioned-copy", "/version")]
    copy_of_2 = write(tmp_path, "versioned/a-2.json", version(2))
    assert validate_files([current, copy_of_2], previous={current: version(2)}) == []


def test_base_compares_with_git(tmp_path, monkeypatch):
    def git(*args: str) -> None:
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args], cwd=tmp_path, check=True,
                       capture_output=True, timeout=60)

    write(tmp_path, "dist/a.json", version(2))
    git("init", "-q")
    git("add", ".")
    git("commit", "-qm", "v2")
    write(tmp_path, "dist/a.json", version(2, name="Changed"))
    monkeypatch.chdir(tmp_path)
    result = etk("validate", "--base", "HEAD", "dist")
    assert result.exit_code == 1 and 'error: template "io.etk.Demo" changed but keeps version 2' in result.stdout
    assert etk("validate", "dist").exit_code == 0
    assert etk("validate", "--base", "no-such-ref", "dist").exit_code == 2


def test_hybrid_template_with_the_same_properties_is_fine(tmp_path):
    hybrid = version(2, id="io.etk.Demo-hybrid")
    hybrid["properties"][0] = {"type": "String", "value": "demo-worker", "label": "Task definition type",
                               "binding": {"type": "zeebe:taskDefinition", "property": "type"}}
    assert validate_files([write(tmp_path, "a.json", version(2)), write(tmp_path, "a-hybrid.json", hybrid)]) == []


def test_hybrid_template_that_drifted_is_a_warning(tmp_path):
    hybrid = version(1, id="io.etk.Demo-hybrid")
    hybrid["properties"][1]["choices"].pop()
    found = validate_files([write(tmp_path, "a.json", version(2)), write(tmp_path, "a-hybrid.json", hybrid)])
    assert rules(found) == [("a-hybrid.json", "hybrid-parity", "/id")]
    assert found[0].message == (
        f"this hybrid template differs from {tmp_path / 'a.json'} (/) beyond the task definition type: version 1 instead of 2; "
        "property zeebe:input mode differs in choices; regenerate it from the same source")


def test_a_template_level_suppression_covers_folder_rules(tmp_path):
    suppressed = version(2, name="Other", **{"x-etk-ignore": ["unique-id-version"]})
    assert validate_files([write(tmp_path, "a.json", version(2)), write(tmp_path, "b.json", suppressed)]) == []
