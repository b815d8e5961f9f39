"""`etk run`: output, exit codes, dry run, verbose steps, and clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main

from .loopback import Reply

REST_TEMPLATE = str(Path(__file__).resolve().parents[2] / "dist" / "rest.json")


def etk(*arguments: str):
    return CliRunner().invoke(main, ["run", *arguments])


def test_completion_prints_the_process_variables(server):
    server.reply(Reply.json({"id": 5}))
    result = etk(REST_TEMPLATE, "--set", f"url={server.url('/x')}", "--set", "resultExpression={id: body.id}")
    assert result.exit_code == 0, result.output
    assert result.stdout == '{\n  "id": 5\n}\n'


def test_process_variables_feed_the_input_mappings(server, tmp_path):
    variables = tmp_path / "vars.json"
    variables.write_text('{"orderId": 7, "items": ["a"]}', encoding="utf-8")
    result = etk(
        REST_TEMPLATE, "--vars-file", str(variables), "--var", "note=urgent",
        "--set", "method=POST", "--set", f"url={server.url('/orders')}",
        "--set", "body=={id: orderId, items: items, note: note}",
    )
    assert result.exit_code == 0, result.output
    assert server.last.json() == {"id": 7, "items": ["a"], "note": "urgent"}


def test_a_failed_job_exits_1_with_its_fields(server):
    server.reply(Reply(500, b"down"))
    result = etk(REST_TEMPLATE, "--set", f"url={server.url('/x')}")
    assert result.exit_code == 1
    printed = json.loads(result.stdout)
    assert printed["outcome"] == "failed"
    assert printed["retries"] == 2 and printed["backoff"] == "PT30S" and printed["incident"] is False
    assert printed["variables"]["error"]["code"] == "500"
    assert printed["message"].startswith("Internal Server Error | Error variables: {error=")


def test_a_bpmn_error_exits_3(server):
    server.reply(Reply(404, b""))
    result = etk(REST_TEMPLATE, "--set", f"url={server.url('/x')}", "--set", 'errorExpression=bpmnError("NF", "not found")')
    assert result.exit_code == 3
    assert json.loads(result.stdout) == {"outcome": "bpmnError", "code": "NF", "message": "not found", "variables": {}}


def test_dry_run_prints_the_request_with_secrets_masked(server, tmp_path):
    secrets = tmp_path / "secrets.json"
    secrets.write_text('{"TOKEN": "t-secret-1"}', encoding="utf-8")
    result = etk(
        REST_TEMPLATE, "--dry-run", "--secrets-file", str(secrets),
        "--set", "method=PUT", "--set", "url=https://api.example.com/items/1",
        "--set", "authentication.type=bearer", "--set", "authentication.token={{secrets.TOKEN}}",
        "--set", 'body={"name": "x"}', "--set", "queryParameters={v: 2}",
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {
        "method": "PUT",
        "url": "https://api.example.com/items/1?v=2",
        "headers": {"Content-Type": "application/json", "Authorization": "Bearer ***", "User-Agent": "etk-runtime", "Accept-Encoding": "gzip, deflate"},
        "body": {"name": "x"},
        "timeouts": {"connectionTimeoutInSeconds": 20, "readTimeoutInSeconds": 20},
    }
    assert server.requests == []
    assert "t-secret-1" not in result.output


def test_verbose_shows_masked_steps_on_stderr(server):
    server.reply(Reply.json({}))
    result = etk(
        REST_TEMPLATE, "-v", "--secret", "TOKEN=t-secret-2",
        "--set", f"url={server.url('/x')}", "--set", "authentication.type=bearer", "--set", "authentication.token={{secrets.TOKEN}}",
    )
    assert result.exit_code == 0, result.output
    assert "etk: connector variables:" in result.stderr
    assert '"token":"***"' in result.stderr
    assert "t-secret-2" not in result.stderr + result.stdout


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--set", "nope=1"], "nope"),
        (["--set", "url"], "--set 'url': expected NAME=VALUE"),
        (["--element", "Task_1"], "--element applies to .bpmn diagrams only"),
        (["--connect-to", "bad"], "expected HOST:PORT:CONNECT-TO-HOST:CONNECT-TO-PORT"),
    ],
)
def test_bad_input_exits_2_with_a_clear_message(arguments, message):
    result = etk(REST_TEMPLATE, *arguments)
    assert result.exit_code == 2
    assert result.stderr.startswith("etk: error: ")
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_a_broken_template_file_is_reported_with_its_position(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('{"properties": [\n  {,]}', encoding="utf-8")
    result = etk(str(broken))
    assert result.exit_code == 2
    assert result.stderr == f"etk: error: {broken}:2:4: invalid JSON: missing key before ','\n"


def test_invalid_feel_in_set_is_refused_before_anything_is_sent(server):
    result = etk(REST_TEMPLATE, "--set", f"url={server.url('/x')}", "--set", "method=POST", "--set", "body=={a: }")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == ("etk: error: property 'body': invalid FEEL at 1:6 of the value '={a: }': "
                             "expected an expression after ':', found '}'\n")
    assert server.requests == []


def test_input_mapping_feel_errors_in_a_diagram_name_the_mapping(server, tmp_path):
    diagram = tmp_path / "process.bpmn"
    created = CliRunner().invoke(main, ["diagram", REST_TEMPLATE, "-o", str(diagram), "--set", f"url={server.url('/x')}",
                                        "--set", "method=POST", "--set", "body=={a: 1}"])
    assert created.exit_code == 0, created.output
    diagram.write_text(diagram.read_text(encoding="utf-8").replace('source="={a: 1}"', 'source="={a: }"'), encoding="utf-8")
    result = etk(str(diagram), "--element", "Task_1")
    assert result.exit_code == 2
    assert "input mapping 'body': invalid FEEL at 1:" in result.stderr
    assert server.requests == []


def test_a_retries_expression_that_is_no_number_exits_2_naming_the_element(server):
    result = etk(REST_TEMPLATE, "--set", f"url={server.url('/x')}", "--set", "retries==foo")
    assert result.exit_code == 2
    assert result.stderr == (
        "etk: error: zeebe:taskDefinition retries: Expected result of the expression 'foo' to be 'NUMBER', "
        "but was 'NULL'. (Zeebe raises an incident on the element)\n"
    )
    assert server.requests == []


def test_an_invalid_backoff_header_fails_the_job_without_retries(server):
    result = etk(REST_TEMPLATE, "--set", f"url={server.url('/x')}", "--set", "retryBackoff=P1Y")
    assert result.exit_code == 1
    printed = json.loads(result.stdout)
    assert printed["retries"] == 0 and printed["incident"] is True and printed["backoff"] is None
    assert printed["variables"]["error"] == {
        "type": "io.camunda.connector.runtime.core.error.InvalidBackOffDurationException",
        "message": "Failed to parse retry backoff header. Expected ISO-8601 duration, e.g. PT5M, got: P1Y",
    }
    assert server.requests == []


def test_nan_is_no_json_for_variables_files_and_text_for_var(server, tmp_path):
    # the task maps no body, so the connector fetches the process variable `body`
    nan = tmp_path / "vars.json"
    nan.write_text('{"body": NaN}', encoding="utf-8")
    result = etk(REST_TEMPLATE, "--set", "method=POST", "--set", f"url={server.url('/x')}", "--vars-file", str(nan))
    assert result.exit_code == 2
    assert result.stderr == f"etk: error: {nan}:1:10: invalid JSON: NaN is not a JSON value\n"
    server.reply(Reply(200, b"{}"))
    result = etk(REST_TEMPLATE, "--set", "method=POST", "--set", f"url={server.url('/x')}", "--var", "body=NaN")
    assert result.exit_code == 0, result.output
    assert server.last.body == b"NaN"  # not JSON: a text body, as the relaxed binding keeps it


def test_a_diagram_runs_with_values_set_through_its_template_without_changing_the_file(server, tmp_path):
    diagram = tmp_path / "process.bpmn"
    created = CliRunner().invoke(main, ["diagram", REST_TEMPLATE, "-o", str(diagram), "--set", f"url={server.url('/a')}"])
    assert created.exit_code == 0, created.output
    before = diagram.read_bytes()
    server.reply(Reply.json({"id": 9}))
    result = etk(str(diagram), "--element", "Task_1", "--template", REST_TEMPLATE,
                 "--set", f"url={server.url('/b')}", "--set", "resultExpression={id: body.id}")
    assert result.exit_code == 0, result.output
    assert result.stdout == '{\n  "id": 9\n}\n'
    assert [request.path for request in server.requests] == ["/b"]
    assert diagram.read_bytes() == before


def test_set_on_a_diagram_without_its_template_says_what_to_add(tmp_path):
    diagram = tmp_path / "process.bpmn"
    CliRunner().invoke(main, ["diagram", REST_TEMPLATE, "-o", str(diagram)])
    result = etk(str(diagram), "--element", "Task_1", "--set", "resultVariable=r")
    rest_version = json.loads(Path(REST_TEMPLATE).read_text(encoding="utf-8"))["version"]
    assert result.exit_code == 2
    assert result.stderr == (
        f"etk: error: {diagram}: Task_1: --set needs the template the element uses (io.etk.connectors.Rest.v1 v{rest_version}): "
        "add --template FILE (the template file given to etk apply), or write the values into the diagram with etk apply\n")


def test_template_is_for_diagrams_only():
    result = etk(REST_TEMPLATE, "--template", REST_TEMPLATE)
    assert (result.exit_code, result.stderr) == (2, "etk: error: --template applies to .bpmn diagrams only (SOURCE is the template here)\n")


def test_verbose_summarises_the_optional_fields_left_empty_in_one_line():
    azure = str(Path(REST_TEMPLATE).with_name("azure-openai.json"))
    result = etk(azure, "--dry-run", "-v", "--secret", "KEY=k", "--set", "authentication.value={{secrets.KEY}}",
                 "--set", "resourceName=r", "--set", "deploymentId=d", "--set", "chatCompletion_messageContent=Hi",
                 "--set", "chatCompletion_temperature=0.5")
    assert result.exit_code == 0, result.output
    assert "NO_VARIABLE_FOUND" not in result.stderr
    summaries = [line for line in result.stderr.splitlines() if "no value, taken as null" in line]
    assert len(summaries) == 1
    names = summaries[0].split("(optional fields left empty are not mapped): ")[1].split(", ")
    assert summaries[0].startswith("etk: input mapping 'body': no value, taken as null")
    assert "chatCompletion_messageContext" in names and "chatCompletion_topP" in names
    assert "chatCompletion_temperature" not in names and len(names) == len(set(names))


def test_verbose_still_shows_other_feel_warnings(server):
    result = etk(REST_TEMPLATE, "--dry-run", "-v", "--set", f"url={server.url('/x')}", "--set", "method=POST",
                 "--set", 'body=={a: 1 + "x", b: missing}')
    assert result.exit_code == 0, result.output
    assert [line for line in result.stderr.splitlines() if "input mapping 'body'" in line] == [
        "etk: input mapping 'body': FEEL warning INVALID_TYPE: Can't add '\"x\"' to '1'",
        "etk: input mapping 'body': no value, taken as null (optional fields left empty are not mapped): missing",
    ]
