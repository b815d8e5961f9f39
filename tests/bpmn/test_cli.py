"""`etk apply` and `etk diagram`: arguments, outputs, exit codes and error messages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.bpmn import read_applied_task
from tests.azure_example import DOCUMENTED_VALUES
from tests.bpmn.golden import REPO
from tests.etk_cli import etk

HERE = Path(__file__).parent
TEMPLATES = REPO / "tests" / "apply" / "templates"
BASIC = TEMPLATES / "basic.json"


@pytest.fixture
def diagram(tmp_path: Path) -> Path:
    path = tmp_path / "process.bpmn"
    path.write_bytes((HERE / "diagrams" / "task.bpmn").read_bytes())
    return path


def test_apply_to_a_file(diagram: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.bpmn"
    result = etk("apply", str(BASIC), str(diagram), "--element", "Task_1", "--set", "mode=b", "--set", "numberInput=7", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.stderr == f"etk: applied com.example.demo v3 to Task_1: {out}\n"
    task = read_applied_task(out, "Task_1")
    assert task.template_id == "com.example.demo"
    assert {i.target: i.source for i in task.inputs}["numberInput"] == "=7"
    assert diagram.read_bytes() == (HERE / "diagrams" / "task.bpmn").read_bytes()  # input untouched


def test_apply_to_stdout(diagram: Path) -> None:
    result = etk("apply", str(BASIC), str(diagram), "-e", "Task_1", "-o", "-")
    assert result.exit_code == 0
    assert result.stdout.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<bpmn:definitions')
    assert 'zeebe:modelerTemplate="com.example.demo"' in result.stdout
    assert result.stderr == ""


def test_apply_in_place_then_unlink_then_remove(diagram: Path) -> None:
    assert etk("apply", str(BASIC), str(diagram), "-e", "Task_1", "--in-place").exit_code == 0
    assert read_applied_task(diagram, "Task_1").template_id == "com.example.demo"
    assert etk("apply", str(BASIC), str(diagram), "-e", "Task_1", "--unlink", "--in-place").exit_code == 0
    unlinked = read_applied_task(diagram, "Task_1")
    assert unlinked.template_id is None and unlinked.job_type == "demo-worker"
    result = etk("apply", str(BASIC), str(diagram), "-e", "Task_1", "--remove", "--in-place")
    assert result.exit_code == 2
    assert result.stderr.endswith("element 'Task_1' is not linked to an element template\n")


def test_upgrade_with_previous_versions(diagram: Path, tmp_path: Path) -> None:
    v1, v2 = TEMPLATES / "upgrade-v1.json", TEMPLATES / "upgrade-v2.json"
    assert etk("apply", str(v1), str(diagram), "-e", "Task_1", "--set", "keptIfChanged=mine", "--in-place").exit_code == 0
    assert etk("apply", str(v2), str(diagram), "-e", "Task_1", "--previous", str(v1), "--in-place").exit_code == 0
    sources = {i.target: i.source for i in read_applied_task(diagram, "Task_1").inputs}
    assert (sources["keptIfChanged"], sources["untouched"]) == ("mine", "default2")
    # one file holding both versions: the newest is applied, the older one is known
    both = tmp_path / "both.json"
    both.write_text(json.dumps([json.loads(v1.read_text()), json.loads(v2.read_text())]))
    assert etk("apply", str(both), str(diagram), "-e", "Task_1", "--template-version", "1", "--in-place").exit_code == 0
    assert read_applied_task(diagram, "Task_1").template_version == 1


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (("-e", "Task_1"), "etk: error: apply: give exactly one of -o/--output FILE (or -o - for stdout) and --in-place (see 'etk apply --help')"),
        (("-e", "Task_1", "-o", "-", "--in-place"), "etk: error: apply: give exactly one of -o/--output FILE (or -o - for stdout) and --in-place (see 'etk apply --help')"),
        (("-e", "Task_1", "-o", "-", "--unlink", "--remove"), "etk: error: apply: --unlink and --remove exclude each other (see 'etk apply --help')"),
        (("-e", "Task_1", "-o", "-", "--unlink", "--set", "a=b"), "etk: error: apply: --set has no meaning with --unlink or --remove (see 'etk apply --help')"),
    ],
)
def test_usage_errors(diagram: Path, arguments: tuple[str, ...], message: str) -> None:
    result = etk("apply", str(BASIC), str(diagram), *arguments)
    assert (result.exit_code, result.stderr) == (2, message + "\n")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (("-e", "Task_9"), "no BPMN element with id 'Task_9'; tasks and events in this diagram: StartEvent_1 (startEvent, line 4), Task_1 (task, line 7), EndEvent_1 (endEvent, line 11)"),
        (("-e", "Task_1", "--set", "mode=c"), "property 'mode' is a dropdown: 'c' is not one of its choices: a (A), b (B)"),
        (("-e", "Task_1", "--set", "nope"), "--set 'nope': expected NAME=VALUE"),
        (("-e", "Task_1", "--set", "onlyB=x"), "property 'onlyB' is not active: it requires mode = b (current: a)"),
        (("-e", "Task_1", "--template-version", "7"), "no template with version 7 (available: 3)"),
    ],
)
def test_errors_are_one_line_without_traceback(diagram: Path, arguments: tuple[str, ...], message: str) -> None:
    before = diagram.read_bytes()
    result = etk("apply", str(BASIC), str(diagram), *arguments, "--in-place")
    assert result.exit_code == 2
    assert result.stderr.startswith("etk: error: ") and result.stderr.rstrip().endswith(message)
    assert "Traceback" not in result.output
    assert diagram.read_bytes() == before  # nothing written


def test_every_problem_of_the_values_is_reported_in_one_run(diagram: Path) -> None:
    before = diagram.read_bytes()
    values = ["nothing=x", "mode=c", "boolInput=yes", "onlyB=x", "numberInput=0,7", "feelRequired=ok"]
    result = etk("apply", str(BASIC), str(diagram), "-e", "Task_1", *(f"--set={value}" for value in values), "--in-place")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "etk: error: 5 problems with the values\n"
        "unknown property 'nothing' for template 'com.example.demo': no property has this id or binding name (known: "
        "=response.body, boolInput, emptyHeader, emptyOptional, emptyRequired, feelOptional, feelRequired, gen, h1, "
        "mode, name, numberInput, onlyA, onlyB, plainString, resultExpression, resultVar, retries, zp, zpBool)\n"
        "property 'boolInput' is a checkbox: expected true or false, got 'yes'\n"
        "property 'numberInput' is a number field: '0,7' is not a number\n"
        "property 'mode' is a dropdown: 'c' is not one of its choices: a (A), b (B)\n"
        "property 'onlyB' is not active: it requires mode = b (current: a)\n"
    )
    assert diagram.read_bytes() == before  # nothing written


def test_bad_template_and_diagram_files(diagram: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"id": "x",\n "properties": [}')
    result = etk("apply", str(broken), str(diagram), "-e", "Task_1", "-o", "-")
    assert (result.exit_code, result.stderr) == (2, f"etk: error: {broken}:2:17: invalid JSON: '}}' does not close the '[' at line 2 column 16\n")
    not_bpmn = tmp_path / "x.bpmn"
    not_bpmn.write_text("<svg/>")
    result = etk("apply", str(BASIC), str(not_bpmn), "-e", "Task_1", "-o", "-")
    assert result.exit_code == 2
    assert result.stderr == f"etk: error: {not_bpmn}:1: not a BPMN 2.0 diagram: the root element is svg, expected definitions in namespace http://www.omg.org/spec/BPMN/20100524/MODEL\n"


def test_diagram_command(tmp_path: Path) -> None:
    out = tmp_path / "example.bpmn"
    result = etk("diagram", str(BASIC), "-o", str(out), "--set", "mode=b")
    assert result.exit_code == 0, result.output
    assert result.stderr == f"etk: wrote an example process for com.example.demo: {out}\n"
    assert {i.target: i.source for i in read_applied_task(out, "Task_1").inputs}["onlyB"] == "shownB"
    stdout = etk("diagram", str(BASIC), "-o", "-", "--set", "mode=b")
    assert stdout.exit_code == 0 and stdout.stdout.encode() == out.read_bytes()
    bad = etk("diagram", str(BASIC), "-o", str(out), "--set", "nothing=1")
    assert bad.exit_code == 2 and "unknown property 'nothing'" in bad.stderr


AZURE = REPO / "dist" / "azure-openai.json"


def test_apply_warns_about_what_the_modeler_would_mark_red(diagram: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.bpmn"
    result = etk("apply", str(AZURE), str(diagram), "-e", "Task_1", "--set", "operation=chatCompletion",
                 "--set", "resourceName=myresource", "-o", str(out))
    assert result.exit_code == 0
    assert result.stderr == (
        "etk: warning: Task_1: API key must not be empty. (property 'authentication.value')\n"
        "etk: warning: Task_1: Deployment ID must not be empty. (property 'deploymentId')\n"
        "etk: warning: Task_1: Message content must not be empty. (property 'chatCompletion_messageContent')\n"
        f"etk: applied io.etk.connectors.AzureOpenAI.v1 v2 to Task_1: {out}\n"
    )
    assert out.is_file()


def test_apply_with_every_required_value_prints_no_warning(diagram: Path) -> None:
    arguments = [item for key, value in DOCUMENTED_VALUES.items() for item in ("--set", f"{key}={value}")]
    result = etk("apply", str(AZURE), str(diagram), "-e", "Task_1", *arguments, "-o", "-")
    assert result.exit_code == 0
    assert result.stderr == ""


def test_diagram_warns_about_a_value_breaking_a_pattern(tmp_path: Path) -> None:
    out = tmp_path / "rest.bpmn"
    result = etk("diagram", str(REPO / "dist" / "rest.json"), "-o", str(out), "--set", "url=ftp://example.com")
    assert result.exit_code == 0
    assert result.stderr == (
        "etk: warning: Task_1: URL must be a http(s) URL (property 'url')\n"
        f"etk: wrote an example process for io.etk.connectors.Rest.v1: {out}\n"
    )


@pytest.mark.parametrize(("values", "message"), [
    (["feelRequired=a +"],  # typed without `=`: the panel adds it, the position counts in what was typed
     "etk: error: property 'feelRequired': invalid FEEL at 1:4 of the value 'a +': expected an expression after '+'"),
    (["feelOptional=={x: }"],
     "etk: error: property 'feelOptional': invalid FEEL at 1:6 of the value '={x: }': expected an expression after ':', found '}'"),
    (["resultExpression={a: 1,\n b"],
     "etk: error: property 'resultExpression': invalid FEEL at 2:3 of the value '{a: 1,\\n b': "
     "expected ':' after the context key 'b', found the end of the expression"),
    (["feelRequired=(", "feelOptional==[1,", "mode=c"],
     "etk: error: 3 problems with the values\n"
     "property 'feelRequired': invalid FEEL at 1:2 of the value '(': expected an expression after '('\n"
     "property 'feelOptional': invalid FEEL at 1:5 of the value '=[1,': expected an expression after ','\n"
     "property 'mode' is a dropdown: 'c' is not one of its choices: a (A), b (B)"),
])
def test_invalid_feel_in_a_value_is_refused_and_nothing_written(diagram: Path, values: list[str], message: str) -> None:
    before = diagram.read_bytes()
    arguments = [part for value in values for part in ("--set", value)]
    result = etk("apply", str(BASIC), str(diagram), "-e", "Task_1", *arguments, "--in-place")
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", message + "\n")
    assert diagram.read_bytes() == before


def test_valid_feel_values_are_written(diagram: Path) -> None:
    result = etk("apply", str(BASIC), str(diagram), "-e", "Task_1", "--set", "feelRequired=a + 1",
                 "--set", "feelOptional==now()", "--set", "resultExpression={x: response.body}", "--in-place")
    assert result.exit_code == 0, result.output
    task = read_applied_task(diagram, "Task_1")
    assert {i.target: i.source for i in task.inputs}["feelRequired"] == "=a + 1"
    assert task.header("resultExpression") == "={x: response.body}"


def test_diagram_refuses_invalid_feel_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "example.bpmn"
    result = etk("diagram", str(REPO / "dist" / "azure-openai.json"), "-o", str(out),
                 "--set", "chatCompletion_messageContext=[{role: \"system\" content: \"Be brief.\"}]")
    assert result.exit_code == 2
    assert result.stderr == ("etk: error: property 'chatCompletion_messageContext': invalid FEEL at 1:18 of the value "
                             "'[{role: \"system\" content: \"Be brief.\"}]': expected ',' or '}' in the context opened at 1:2, "
                             "found 'content'\n")
    assert not out.exists()
