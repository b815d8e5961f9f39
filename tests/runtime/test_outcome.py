"""Result and error expressions, connector FEEL functions, retries and backoff."""

from __future__ import annotations

from datetime import timedelta

import pytest

from generator.runtime import BpmnError, Completed, Failed, run_task, run_until_done

from .conftest import rest_task
from .loopback import Reply


def run(server, http, reply, headers, retries="3", clock=None, **inputs):
    server.reply(reply)
    task = rest_task({"method": "GET", "url": server.url("/r"), **inputs}, headers, retries=retries)
    return run_task(task, http=http, clock=clock)


OK = Reply(200, b'{"items": [{"id": 1}, {"id": 2}], "status": "done"}', [("Content-Type", "application/json")])


def test_result_expression_sees_response_fields_and_response(server, http):
    outcome = run(server, http, OK, {"resultExpression": "={first: body.items[1].id, again: response.body.items[2].id, code: status}"})
    assert outcome == Completed({"first": 1, "again": 2, "code": 200})


def test_result_variable_and_expression_together(server, http):
    outcome = run(server, http, OK, {"resultVariable": "whole", "resultExpression": "={count: count(body.items)}"})
    assert outcome.variables["count"] == 2
    assert outcome.variables["whole"]["body"]["status"] == "done"


def test_a_null_result_expression_produces_no_variables(server, http):
    assert run(server, http, OK, {"resultExpression": "=null"}) == Completed({})


def test_no_variables_without_result_variable_or_expression(server, http):
    assert run(server, http, OK, {}) == Completed({})


def test_a_result_expression_that_is_not_a_context_fails_without_retries(server, http):
    outcome = run(server, http, OK, {"resultExpression": "=body.items"})
    assert isinstance(outcome, Failed)
    assert outcome.retries == 0
    # Camunda throws ConnectorInputException(new FeelEngineWrapperException(reason, expression,
    # json)); Java gives an exception built from a cause the cause's toString() as its message
    assert outcome.variables["error"] == {
        "type": "io.camunda.connector.api.error.ConnectorInputException",
        "message": (
            "io.camunda.connector.feel.FeelEngineWrapperException: Failed to evaluate expression '=body.items' "
            """in context '[{"id":1},{"id":2}]'. Reason: Result expression must return a JSON object, but got array. """
            'Evaluated value: [{"id":1},{"id":2}]'
        ),
    }


def test_a_result_expression_syntax_error_is_retried(server, http):
    outcome = run(server, http, OK, {"resultExpression": "={a: }"})
    assert isinstance(outcome, Failed) and outcome.retries == 2
    assert outcome.variables["error"]["type"] == "io.camunda.connector.feel.FeelEngineWrapperException"


def test_error_expression_context_on_success_is_the_raw_response(server, http):
    outcome = run(server, http, OK, {"errorExpression": '=if body.status = "done" and response.status = 200 and job.retries = 3 then bpmnError("DONE", "finished") else null'})
    assert outcome == BpmnError("DONE", "finished", {})


def test_error_expression_gotcha_with_a_result_variable_response_is_the_output_map(server, http):
    # documented Camunda gotcha (connectors #5695): with a result variable, the error expression
    # sees the output variables, not the raw response
    expression = '=if response.body.status = "done" then bpmnError("RAW", "raw") else if response.out.body.status = "done" and out.status = 200 then bpmnError("MAPPED", "mapped") else null'
    outcome = run(server, http, OK, {"resultVariable": "out", "errorExpression": expression})
    assert outcome == BpmnError("MAPPED", "mapped", {})


def test_error_expression_gotcha_with_a_result_expression(server, http):
    expression = '=if is defined(body) then bpmnError("RAW") else bpmnError("MAPPED", "n=" + string(n), {seen: response})'
    outcome = run(server, http, OK, {"resultExpression": "={n: 5}", "errorExpression": expression})
    assert outcome == BpmnError("MAPPED", "n=5", {"seen": {"n": 5}})


def test_error_expression_context_on_failure(server, http):
    reply = Reply(404, b'{"detail": "missing"}', [("Content-Type", "application/json")])
    expression = (
        '=if error.code = "404" and response.error.code = "404" and job.retries = 3 '
        'then bpmnError("NOT_FOUND", error.message, {type: error.type, body: error.variables.response.body}) else null'
    )
    outcome = run(server, http, reply, {"errorExpression": expression})
    assert outcome == BpmnError(
        "NOT_FOUND", "Not Found", {"type": "io.camunda.connector.api.error.ConnectorException", "body": {"detail": "missing"}}
    )


def test_a_bpmn_error_with_a_null_code_is_ignored(server, http):
    reply = Reply(500, b"boom")
    outcome = run(server, http, reply, {"errorExpression": "=bpmnError(null, \"x\")"})
    assert isinstance(outcome, Failed) and outcome.retries == 2


def test_an_empty_context_means_no_error_handling(server, http):
    assert run(server, http, OK, {"resultVariable": "r", "errorExpression": "={}"}) == Completed({"r": run(server, http, OK, {"resultVariable": "r"}).variables["r"]})


def test_error_expressions_can_fail_a_successful_call(server, http):
    outcome = run(server, http, OK, {"errorExpression": '=if body.status = "done" then jobError("not yet", {tries: job.retries}, 2, @"PT10S") else null'})
    # the message shows JobError.variablesWithErrorMessage(): `new HashMap<>(variables)` plus
    # `error`, in java.util.HashMap iteration order
    assert outcome == Failed(
        message="not yet | Error variables: {error=not yet, tries=3}",
        retries=2,
        backoff=timedelta(seconds=10),
        variables={"tries": 3, "error": "not yet"},
    )


def test_job_error_defaults(server, http):
    outcome = run(server, http, Reply(500, b""), {"errorExpression": '=jobError("give up")'})
    assert outcome == Failed("give up | Error variables: {error=give up}", 0, timedelta(0), {"error": "give up"})


def test_ignore_error_completes_with_its_variables_only(server, http):
    reply = Reply(404, b'{"detail": "missing"}', [("Content-Type", "application/json")])
    outcome = run(server, http, reply, {"resultVariable": "r", "errorExpression": '=if error.code = "404" then ignoreError({found: false}) else null'})
    assert outcome == Completed({"found": False})


def test_an_error_expression_that_is_not_a_context_fails_without_retries(server, http):
    outcome = run(server, http, OK, {"errorExpression": '="oops"'})
    assert isinstance(outcome, Failed) and outcome.retries == 0 and outcome.backoff is None
    assert outcome.variables["error"] == {
        "type": "io.camunda.connector.api.error.ConnectorInputException",
        "message": (
            """io.camunda.connector.feel.FeelEngineWrapperException: Failed to evaluate expression '="oops"' """
            """in context '"oops"'. Reason: Error expression must return a JSON object, but got string. """
            'Evaluated value: "oops"'
        ),
    }


def test_an_error_expression_without_error_type_cannot_be_parsed(server, http):
    outcome = run(server, http, OK, {"errorExpression": "={code: 1}"})
    assert outcome.retries == 0
    assert outcome.variables["error"]["message"] == (
        "io.camunda.connector.feel.FeelEngineWrapperException: Failed to evaluate expression '={code: 1}' "
        "in context '{\"code\":1}'. Reason: Cannot parse '{\"code\":1}' as 'io.camunda.connector.runtime.core.error.ConnectorError'."
    )


def test_retries_come_from_the_task_definition_and_backoff_from_the_header(server, http):
    outcome = run(server, http, Reply(503, b""), {"retryBackoff": "PT1M30S"}, retries="5")
    assert outcome.retries == 4
    assert outcome.backoff == timedelta(seconds=90)


def test_an_invalid_backoff_fails_without_retries_and_without_calling(server, http):
    outcome = run(server, http, OK, {"retryBackoff": "30s"})
    assert isinstance(outcome, Failed)
    assert outcome.retries == 0 and outcome.backoff is None
    assert outcome.variables["error"]["message"] == (
        "Failed to parse retry backoff header. Expected ISO-8601 duration, e.g. PT5M, got: 30s"
    )
    assert server.requests == []


def test_the_failure_message_is_cut_at_6000_characters(server, http):
    reply = Reply(400, "x" * 10_000)
    outcome = run(server, http, reply, {})
    assert len(outcome.message) == 6000
    assert outcome.message.startswith("Bad Request | Error variables: {error={type=io.camunda.connector.api.error.ConnectorException, message=Bad Request, code=400, variables={response={headers=")


def test_run_until_done_retries_with_backoff_then_completes(server, http, clock):
    server.reply(Reply(429, b"slow down"), Reply(503, b""), Reply.json({"ok": 1}))
    task = rest_task({"method": "GET", "url": server.url("/r")}, {"resultVariable": "r", "retryBackoff": "PT30S"})
    attempts = run_until_done(task, http=http, clock=clock)
    assert [type(outcome) for outcome in attempts.outcomes] == [Failed, Failed, Completed]
    assert [outcome.retries for outcome in attempts.outcomes[:2]] == [2, 1]
    assert attempts.outcome.variables["r"]["body"] == {"ok": 1}
    assert clock.sleeps == [30.0, 30.0]
    assert len(server.requests) == 3


def test_run_until_done_stops_at_an_incident(server, http, clock):
    server.default = Reply(500, b"")
    task = rest_task({"method": "GET", "url": server.url("/r")}, {"retryBackoff": "PT5S"}, retries="2")
    attempts = run_until_done(task, http=http, clock=clock)
    assert [outcome.retries for outcome in attempts.outcomes] == [1, 0]
    assert attempts.outcome.incident
    assert clock.sleeps == [5.0]


def test_run_until_done_uses_the_retries_a_job_error_sets(server, http, clock):
    server.default = Reply(500, b"")
    expression = '=jobError("again", {}, if job.retries > 8 then job.retries - 4 else 0, @"PT2S")'
    task = rest_task({"method": "GET", "url": server.url("/r")}, {"errorExpression": expression}, retries="10")
    attempts = run_until_done(task, http=http, clock=clock)
    assert [outcome.retries for outcome in attempts.outcomes] == [6, 0]
    assert clock.sleeps == [2.0]


@pytest.mark.parametrize("retries", ["0", "1"])
def test_input_errors_are_never_retried(http, clock, retries):
    task = rest_task({"method": "GET", "url": "not a url"}, retries=retries)
    attempts = run_until_done(task, http=http, clock=clock)
    assert len(attempts.outcomes) == 1 and attempts.outcome.retries == 0 and clock.sleeps == []


def test_job_error_message_orders_variables_like_a_java_hashmap(server, http):
    outcome = run(server, http, Reply(500, b""), {"errorExpression": '=jobError("stop", {b: 2, a: 1, error: "mine", zz: [1, "x"]})'})
    # the user's `error` is overwritten; a copy of 4 entries has 8 buckets: zz (hash 3904) -> 0,
    # a -> 1, b -> 2, error (hash 96784904) -> 4
    assert outcome == Failed(
        message="stop | Error variables: {zz=[1, x], a=1, b=2, error=stop}",
        retries=0,
        backoff=timedelta(0),
        variables={"b": 2, "a": 1, "error": "stop", "zz": [1, "x"]},
    )


def test_a_bpmn_error_with_a_blank_code_is_thrown(server, http):
    # Camunda ignores a bpmnError only when its code is null (BpmnError.hasCode: code != null)
    outcome = run(server, http, Reply(500, b""), {"errorExpression": '=bpmnError(" ", "blank")'})
    assert outcome == BpmnError(" ", "blank", {})


def test_job_error_retries_beyond_a_java_int_cannot_be_parsed(server, http):
    outcome = run(server, http, Reply(500, b""), {"errorExpression": '=jobError("x", {}, 3000000000)'})
    assert isinstance(outcome, Failed) and outcome.retries == 0 and outcome.backoff is None
    # (Jackson's key order inside the JSON text differs: it is that of a Scala HashMap)
    assert outcome.variables["error"] == {
        "type": "io.camunda.connector.api.error.ConnectorInputException",
        "message": (
            "io.camunda.connector.feel.FeelEngineWrapperException: Failed to evaluate expression "
            """'=jobError("x", {}, 3000000000)' in context '{"errorType":"jobError","errorMessage":"x","variables":{},"""
            """"retries":3000000000,"retryBackoff":"PT0S"}'. Reason: Cannot parse '{"errorType":"jobError","errorMessage":"x","""
            """"variables":{},"retries":3000000000,"retryBackoff":"PT0S"}' as 'io.camunda.connector.runtime.core.error.ConnectorError'."""
        ),
    }


def test_a_failing_error_expression_replaces_the_connector_failure_and_is_not_retried(server, http):
    outcome = run(server, http, Reply(503, b""), {"errorExpression": "=error.code +"}, retries="5")
    assert isinstance(outcome, Failed)
    assert outcome.retries == 0 and outcome.backoff is None
    assert outcome.variables["error"]["type"] == "io.camunda.connector.feel.FeelEngineWrapperException"
    assert outcome.message.startswith("Error expression failed to evaluate: ")


def test_the_error_expression_also_runs_when_the_backoff_header_is_invalid(server, http):
    outcome = run(server, http, OK, {"retryBackoff": "P1Y", "errorExpression": '=bpmnError("BAD_CONFIG", error.message)'})
    assert outcome == BpmnError(
        "BAD_CONFIG", "Failed to parse retry backoff header. Expected ISO-8601 duration, e.g. PT5M, got: P1Y", {}
    )
    assert server.requests == []


def test_a_result_expression_failure_keeps_the_backoff_header(server, http):
    outcome = run(server, http, OK, {"resultExpression": "={a: }", "retryBackoff": "PT7S"})
    assert isinstance(outcome, Failed)
    assert outcome.retries == 2 and outcome.backoff == timedelta(seconds=7)
