"""`etk build --diagrams`: writes dist/examples/, deterministic, --check, orphans, all-or-nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from generator.apply import apply_template
from generator.bpmn import read_applied_task
from tests.etk_cli import etk, snapshot

from .conftest import SHOP, line_of, set_definition

OTHER = SHOP.replace("io.etk.test.Shop.v1", "io.etk.test.Other.v1").replace("name: Shop", "name: Other")


def test_diagrams_are_written_next_to_the_templates(project):
    set_definition(project, OTHER, name="other")
    result = etk("build", "--diagrams")
    assert (result.exit_code, result.stdout) == (
        0,
        "wrote dist/other.json (version 1)\n"
        "wrote dist/shop.json (version 1)\n"
        "wrote dist/examples/other.bpmn (example diagram, version 1)\n"
        "wrote dist/examples/shop.bpmn (example diagram, version 1)\n",
    )
    written = sorted(snapshot(project / "dist"))
    assert written == ["examples/other.bpmn", "examples/shop.bpmn", "other.json", "shop.json"]


def test_the_diagram_carries_the_example_values_as_the_modeler_writes_them(project):
    etk("build", "--diagrams")
    template = json.loads((project / "dist" / "shop.json").read_text(encoding="utf-8"))
    values = {
        "authentication.token": "{{secrets.SHOP_TOKEN}}",
        "host": "shop.example.com",
        "operation": "list",
        "list_limit": "10",
        "list_order": "desc",
        "resultVariable": "items",
    }
    applied = read_applied_task(project / "dist" / "examples" / "shop.bpmn", "Task_1")
    assert applied == apply_template(template, values, element_id="Task_1")
    assert applied.template_id == "io.etk.test.Shop.v1" and applied.template_version == 1


def test_a_rebuild_is_byte_identical_and_touches_nothing(project):
    etk("build", "--diagrams")
    before = snapshot(project / "dist")
    stamps = {path: path.stat().st_mtime_ns for path in (project / "dist").rglob("*") if path.is_file()}
    result = etk("build", "--diagrams")
    assert (result.exit_code, result.stdout) == (
        0,
        "unchanged dist/shop.json (version 1)\n"
        "unchanged dist/examples/shop.bpmn (example diagram, version 1)\n"
        "nothing changed\n",
    )
    assert snapshot(project / "dist") == before
    assert {path: path.stat().st_mtime_ns for path in stamps} == stamps


def test_separate_processes_write_the_same_bytes(project):
    """Ids and generated values may not depend on hash seeds, time or the output folder."""
    for folder, seed in (("first", "1"), ("second", "4242")):
        environment = dict(os.environ, PYTHONHASHSEED=seed)
        subprocess.run(
            [sys.executable, "-m", "generator", "build", "--diagrams", "-o", folder],
            check=True, capture_output=True, env=environment, cwd=project,
        )
    first, second = snapshot(project / "first"), snapshot(project / "second")
    assert first == second and sorted(first) == ["examples/shop.bpmn", "shop.json"]


def test_without_diagrams_the_examples_folder_is_left_alone(project):
    etk("build", "--diagrams")
    example = project / "dist" / "examples" / "shop.bpmn"
    example.write_text("hand-edited", encoding="utf-8")
    (project / "dist" / "examples" / "gone.bpmn").write_text("orphan", encoding="utf-8")
    result = etk("build")
    assert (result.exit_code, result.stdout) == (0, "unchanged dist/shop.json (version 1)\nnothing changed\n")
    check = etk("build", "--check")
    assert (check.exit_code, check.stdout) == (0, "dist is up to date (1 template)\n")
    assert example.read_text(encoding="utf-8") == "hand-edited"


def test_check_reports_missing_diagrams_and_writes_nothing(project):
    etk("build")
    before = snapshot(project / "dist")
    result = etk("build", "--check", "--diagrams")
    assert result.exit_code == 1
    assert result.stdout == "missing dist/examples/shop.bpmn (example diagram, version 1): run `etk build --diagrams`\n"
    assert result.stderr == "dist is not up to date: 1 problem\n"
    assert snapshot(project / "dist") == before


def test_check_reports_a_stale_diagram_and_writes_nothing(project):
    etk("build", "--diagrams")
    set_definition(project, SHOP.replace("  list_limit: 10\n", "  list_limit: 25\n"))
    before = snapshot(project / "dist")
    result = etk("build", "--check", "--diagrams")
    assert result.exit_code == 1
    assert result.stdout == (
        "stale dist/examples/shop.bpmn: it differs from its definition's example (example diagram, version 1): "
        "run `etk build --diagrams`\n"
    )
    assert snapshot(project / "dist") == before


def test_check_passes_when_templates_and_diagrams_are_current(project):
    etk("build", "--diagrams")
    result = etk("build", "--check", "--diagrams")
    assert (result.exit_code, result.stdout) == (0, "dist is up to date (1 template, 1 example diagram)\n")


def test_a_changed_example_rewrites_the_diagram_without_a_version_bump(project):
    etk("build", "--diagrams")
    template = (project / "dist" / "shop.json").read_bytes()
    set_definition(project, SHOP.replace("  list_limit: 10\n", "  list_limit: 25\n"))
    result = etk("build", "--diagrams")
    assert (result.exit_code, result.stdout) == (
        0,
        "unchanged dist/shop.json (version 1)\nwrote dist/examples/shop.bpmn (example diagram, version 1)\n",
    )
    assert (project / "dist" / "shop.json").read_bytes() == template
    diagram = (project / "dist" / "examples" / "shop.bpmn").read_text(encoding="utf-8")
    assert '<zeebe:input source="25" target="list_limit"/>' in diagram


def test_a_new_template_version_moves_only_the_template_to_versioned(project):
    etk("build", "--diagrams")
    set_definition(project, SHOP.replace("version: 1", "version: 2").replace("main: Main", "main: Shop"))
    result = etk("build", "--diagrams")
    assert (result.exit_code, result.stdout) == (
        0,
        "moved dist/shop.json (version 1) to dist/versioned/shop-1.json\n"
        "wrote dist/shop.json (version 2)\n"
        "wrote dist/examples/shop.bpmn (example diagram, version 2)\n",
    )
    assert sorted(snapshot(project / "dist")) == ["examples/shop.bpmn", "shop.json", "versioned/shop-1.json"]
    assert 'zeebe:modelerTemplateVersion="2"' in (project / "dist" / "examples" / "shop.bpmn").read_text()


def test_a_diagram_whose_definition_was_deleted_is_refused_like_a_template(project):
    etk("build", "--diagrams")
    orphan = project / "dist" / "examples" / "gone.bpmn"
    orphan.write_text("<old/>", encoding="utf-8")
    set_definition(project, SHOP.replace("  list_limit: 10\n", "  list_limit: 25\n"))  # a pending change
    before = snapshot(project / "dist")
    message = (
        "dist/examples/gone.bpmn has no definition (templates/gone.yaml): restore the definition, "
        "or delete dist/examples/gone.bpmn if the connector was removed"
    )
    build = etk("build", "--diagrams")
    assert (build.exit_code, build.stderr) == (2, f"etk: error: nothing written: 1 problem with dist/\n{message}\n")
    check = etk("build", "--check", "--diagrams")
    assert check.exit_code == 1 and check.stdout.endswith(message + "\n")
    assert snapshot(project / "dist") == before


def test_a_bad_example_value_writes_nothing_at_all(project):
    etk("build", "--diagrams")
    before = snapshot(project / "dist")
    text = SHOP.replace("version: 1", "version: 2").replace("main: Main", "main: Shop")  # the template would change
    text = text.replace("  list_order: desc\n", "  list_order: sideways\n")
    set_definition(project, text)
    result = etk("build", "--diagrams")
    assert result.exit_code == 2
    assert result.stderr == (
        "etk: error: 1 problem in the definition\n"
        f"templates/shop.yaml:{line_of(text, 'list_order: sideways')}:15: example value the Modeler would not "
        "accept: property 'list_order' is a dropdown: 'sideways' is not one of its choices: asc (Ascending), "
        "desc (Descending)\n"
    )
    assert snapshot(project / "dist") == before
    assert etk("build", "--check", "--diagrams").exit_code == 2  # --check reports it the same way


def test_an_element_type_the_example_cannot_lay_out_is_a_definition_problem(project):
    boundary = "appliesTo: [bpmn:BoundaryEvent]\nelementType: bpmn:BoundaryEvent\n"
    set_definition(project, SHOP.replace("version: 1\n", "version: 1\n" + boundary))
    result = etk("build", "--diagrams")
    assert (result.exit_code, result.stderr) == (
        2,
        "etk: error: 1 problem in the definition\ntemplates/shop.yaml:1:1: no example diagram: template "
        "'io.etk.test.Shop.v1': etk diagram lays out tasks and start, intermediate and end events, "
        "not bpmn:BoundaryEvent\n",
    )
    assert not (project / "dist").exists()
    assert etk("build").exit_code == 0  # the template itself is fine
