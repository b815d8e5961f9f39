"""`etk feel`: result JSON on stdout, warnings on stderr, syntax errors with position and caret."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result

from generator.cli import main


def etk(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def test_expression_with_variables() -> None:
    result = etk("feel", '"Bearer " + token', "--var", "token=abc")
    assert (result.exit_code, result.stdout, result.stderr) == (0, '"Bearer abc"\n', "")


def test_variables_file_and_json_output(tmp_path: Path) -> None:
    variables = tmp_path / "vars.json"
    variables.write_text(json.dumps({"response": {"body": {"choices": [{"message": {"content": "hi"}}]}}}))
    result = etk("feel", "={answer: response.body.choices[1].message.content, n: 10 / 4}",
                 "--vars-file", str(variables))
    assert result.exit_code == 0
    assert result.stdout == '{\n  "answer": "hi",\n  "n": 2.5\n}\n'


def test_warnings_go_to_stderr() -> None:
    result = etk("feel", "{a: missing.b}")
    assert result.exit_code == 0
    assert result.stdout == '{\n  "a": null\n}\n'
    assert result.stderr == "etk: warning: NO_VARIABLE_FOUND: No variable found with name 'missing'\n"


def test_syntax_error_points_at_the_problem() -> None:
    result = etk("feel", "1 + ")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == "etk: error: 1:5: expected an expression after '+'\n  1 + \n      ^\n"


def test_evaluation_error() -> None:
    result = etk("feel", "assert(x, x > 5)", "--var", "x=1")
    assert result.exit_code == 2
    assert result.stderr == ("etk: error: failed to evaluate expression 'assert(x, x > 5)': "
                             "The condition is not fulfilled\n")


def test_unary_tests() -> None:
    assert etk("feel", "--unary-tests", "[1..10], > 100", "--input", "42").stdout == "false\n"
    assert etk("feel", "--unary-tests", '"a", "b"', "--input", "b").stdout == "true\n"
    result = etk("feel", "--unary-tests", "< 3")
    assert (result.exit_code, result.stderr) == (
        2, "etk: error: --unary-tests needs the value to test: --input JSON\n")
    result = etk("feel", "1", "--input", "3")
    assert (result.exit_code, result.stderr) == (2, "etk: error: --input is only used with --unary-tests\n")


def test_connector_functions_are_available() -> None:
    result = etk("feel", 'jobError("boom")')
    assert json.loads(result.stdout) == {"errorType": "jobError", "errorMessage": "boom",
                                         "variables": {}, "retries": 0, "retryBackoff": "PT0S"}
