"""The engine step: Zeebe's input and output mappings."""

from __future__ import annotations

from datetime import UTC

import pytest

from generator.runtime import Completed, RuntimeUsageError, run_task
from generator.runtime.engine import apply_outputs, evaluate_inputs
from generator.task import AppliedTask, InputMapping, OutputMapping, TaskHeader

from .conftest import rest_task
from .loopback import Reply


def task(inputs, outputs=()):
    return AppliedTask(
        job_type="io.camunda:http-json:1",
        inputs=tuple(InputMapping(t, s) for t, s in inputs),
        outputs=tuple(OutputMapping(s, t) for s, t in outputs),
        element_id="Task_1",
    )


def test_sources_literals_feel_and_null():
    local = evaluate_inputs(task([("a", "1"), ("b", "=1"), ("c", None), ("d", "= 2 / 4"), ("e", '={"x": [1]}')]), {})
    assert local == {"a": "1", "b": 1, "c": None, "d": 0.5, "e": {"x": [1]}}


def test_each_target_is_visible_to_later_mappings():
    local = evaluate_inputs(task([("name", "=first + \" Lovelace\""), ("greeting", '="Hi " + name')]), {"first": "Ada"})
    assert local == {"name": "Ada Lovelace", "greeting": "Hi Ada Lovelace"}


def test_dotted_targets_build_nested_contexts_from_the_mappings_only():
    local = evaluate_inputs(
        task([("auth.type", "apiKey"), ("auth.key.name", "api-key"), ("seen", "=auth.token"), ("count", "=count(get entries(auth))")]),
        {"auth": {"token": "from-process"}},
    )
    # the job gets only what was mapped; later mappings see the process variable merged in
    assert local == {"auth": {"type": "apiKey", "key": {"name": "api-key"}}, "seen": "from-process", "count": 3}


def test_a_literal_keeps_quotes_and_is_never_evaluated():
    assert evaluate_inputs(task([("a", 'say "hi" = 1 + 1')]), {}) == {"a": 'say "hi" = 1 + 1'}


def test_feel_syntax_errors_name_the_element_and_mapping():
    with pytest.raises(RuntimeUsageError) as raised:
        evaluate_inputs(task([("url", '="https://" + ')]), {})
    assert str(raised.value).startswith("element 'Task_1': input mapping 'url': invalid FEEL at 1:")


def test_missing_variables_are_null_like_feel_scala():
    assert evaluate_inputs(task([("a", "=missing.x"), ("b", "=missing = null")]), {}) == {"a": None, "b": True}


def test_output_mappings_replace_the_variables_they_name():
    result = apply_outputs(
        task([("local", "=1")], [("=r.body.id", "order.id"), ("=id", "copy"), ("=local + 1", "two")]),
        {"r": {"body": {"id": 7}}},
        {"order": {"old": True}},
        {"local": 1},
    )
    # the output source is assigned to the target's last segment (`id`), which later mappings see
    assert result == {"order": {"id": 7}, "copy": 7, "two": 2}


def test_without_outputs_completion_variables_propagate_except_task_locals(server, http):
    server.reply(Reply.json({"ok": True}))
    outcome = run_task(
        rest_task({"method": "GET", "url": server.url("/x")}, {"resultVariable": "url", "resultExpression": "={kept: true}"}),
        http=http,
    )
    # `url` is an input-mapping target, a local variable of the task: Zeebe sets it there and the
    # process never sees it
    assert outcome == Completed({"kept": True})


def test_run_task_applies_output_mappings(server, http):
    server.reply(Reply.json({"answer": 42}))
    applied = AppliedTask(
        job_type="io.camunda:http-json:1",
        inputs=(InputMapping("method", "GET"), InputMapping("url", server.url("/x"))),
        outputs=(OutputMapping("=result.body.answer * 2", "doubled"),),
        headers=(TaskHeader("resultVariable", "result"),),
    )
    assert run_task(applied, http=http) == Completed({"doubled": 84})


def test_memoised_results_follow_the_variables_they_read():
    mapped = task([("greeting", '="Hello " + name')])
    assert evaluate_inputs(mapped, {"name": "Ada"}) == {"greeting": "Hello Ada"}
    assert evaluate_inputs(mapped, {"name": "Grace"}) == {"greeting": "Hello Grace"}
    assert evaluate_inputs(mapped, {"name": 1}) == {"greeting": None}  # "Hello " + 1 is null in FEEL
    assert evaluate_inputs(mapped, {"name": "1"}) == {"greeting": "Hello 1"}


def test_a_constant_feel_value_is_a_fresh_copy_in_every_job():
    mapped = task([("messages", '=[{"role": "system", "content": "Be brief."}]'), ("limit", "=20")])
    first = evaluate_inputs(mapped, {})
    first["messages"][0]["content"] = "changed by the caller"
    assert evaluate_inputs(mapped, {}) == {"messages": [{"role": "system", "content": "Be brief."}], "limit": 20}


def test_feel_over_earlier_constant_targets_reads_them_not_the_process_variables():
    mapped = task([("base", "https://a.example"), ("kind", "custom"),
                   ("url", '=if kind = "custom" then base + "/x" else "https://" + host'), ("same", "=url")])
    expected = {"base": "https://a.example", "kind": "custom", "url": "https://a.example/x", "same": "https://a.example/x"}
    assert evaluate_inputs(mapped, {}) == expected
    assert evaluate_inputs(mapped, {"base": "https://b.example", "kind": "other", "host": "h", "url": "u"}) == expected


def test_feel_that_reads_a_process_variable_is_evaluated_in_every_job():
    mapped = task([("flag", "=enabled"), ("choice", '=if enabled then "a" else "b"'), ("n", "=count([1, 2]) + extra")])
    assert evaluate_inputs(mapped, {"enabled": True, "extra": 1}) == {"flag": True, "choice": "a", "n": 3}
    assert evaluate_inputs(mapped, {"enabled": False, "extra": 2}) == {"flag": False, "choice": "b", "n": 4}
    assert evaluate_inputs(mapped, {}) == {"flag": None, "choice": "b", "n": None}


def test_a_dotted_target_makes_its_root_vary_with_the_process_variable():
    mapped = task([("auth", "none"), ("auth.type", "basic"), ("copy", "=auth")])
    assert evaluate_inputs(mapped, {}) == {"auth": {"type": "basic"}, "copy": {"type": "basic"}}
    assert evaluate_inputs(mapped, {"auth": {"user": "u"}}) == {
        "auth": {"type": "basic"}, "copy": {"type": "basic"}}
    merged = task([("auth.type", "basic"), ("copy", "=auth")])
    assert evaluate_inputs(merged, {"auth": {"user": "u"}}) == {"auth": {"type": "basic"}, "copy": {"user": "u", "type": "basic"}}


def test_constant_feel_is_read_as_written_only_in_jobs_without_escaped_names():
    mapped = task([("a", "=5"), ("b", "=2"), ("r", "=a-b")])
    assert evaluate_inputs(mapped, {}) == {"a": 5, "b": 2, "r": 3}
    assert evaluate_inputs(mapped, {"a-b": 10}) == {"a": 5, "b": 2, "r": 10}


def test_a_name_with_a_dash_is_read_as_a_name_only_in_the_jobs_that_have_it():
    mapped = task([("result", "=a-b + 1")])
    assert evaluate_inputs(mapped, {"a": 5, "b": 2}) == {"result": 4}
    assert evaluate_inputs(mapped, {"a-b": 10}) == {"result": 11}
    assert evaluate_inputs(mapped, {"a": 5, "b": 2}) == {"result": 4}


def test_invalid_feel_is_reported_in_its_turn_after_the_mappings_before_it():
    mapped = task([("first", "=assert(1, false)"), ("second", '="https://" + ')])
    with pytest.raises(RuntimeUsageError, match="input mapping 'first': evaluation failed"):
        evaluate_inputs(mapped, {})


def test_clock_and_random_functions_are_evaluated_every_time():
    from datetime import datetime

    mapped = task([("stamp", "=string(now())"), ("id", "=uuid()")])
    first = evaluate_inputs(mapped, {}, lambda: datetime(2024, 1, 1, tzinfo=UTC))
    second = evaluate_inputs(mapped, {}, lambda: datetime(2025, 6, 1, tzinfo=UTC))
    assert first["stamp"].startswith("2024-01-01") and second["stamp"].startswith("2025-06-01")
    assert first["id"] != second["id"]


@pytest.mark.parametrize(("retries", "variables", "left"), [("=3", {}, 2), ("= maxRetries + 1", {"maxRetries": 4}, 4), ("=2.9", {}, 1), (" 7 ", {}, 6)])
def test_retries_are_a_zeebe_expression_over_the_elements_variables(server, http, retries, variables, left):
    server.reply(Reply(500, b""))
    outcome = run_task(rest_task({"method": "GET", "url": server.url("/x")}, retries=retries), variables, http=http)
    assert outcome.retries == left


def test_negative_retries_run_once_then_raise_an_incident(server, http):
    # Zeebe creates the job with the retries it evaluated; a failure leaves max(-1 - 1, 0)
    server.reply(Reply(500, b""))
    outcome = run_task(rest_task({"method": "GET", "url": server.url("/x")}, retries="-1"), http=http)
    assert outcome.retries == 0 and outcome.incident


@pytest.mark.parametrize(
    ("retries", "message"),
    [
        ("=foo", "Expected result of the expression 'foo' to be 'NUMBER', but was 'NULL'."),
        ('="3"', "Expected result of the expression '\"3\"' to be 'NUMBER', but was 'STRING'."),
        ("three", "Expected result of the expression 'three' to be 'NUMBER', but was 'STRING'."),
        ("=[1]", "Expected result of the expression '[1]' to be 'NUMBER', but was 'ARRAY'."),
    ],
)
def test_retries_that_are_no_number_are_a_clear_error(http, retries, message):
    with pytest.raises(RuntimeUsageError) as raised:
        run_task(rest_task({"method": "GET", "url": "http://127.0.0.1:1/"}, retries=retries), http=http)
    assert str(raised.value) == f"element 'Task_1': zeebe:taskDefinition retries: {message} (Zeebe raises an incident on the element)"


def test_retries_with_invalid_feel_name_the_position(http):
    with pytest.raises(RuntimeUsageError) as raised:
        run_task(rest_task({"method": "GET", "url": "http://127.0.0.1:1/"}, retries="=1 +"), http=http)
    assert str(raised.value).startswith("element 'Task_1': zeebe:taskDefinition retries: invalid FEEL at 1:")


@pytest.mark.parametrize("number", [float("nan"), float("inf")])
def test_a_fetched_variable_that_is_no_json_number_is_a_clear_error(http, number):
    with pytest.raises(RuntimeUsageError) as raised:
        run_task(rest_task({"method": "POST", "url": "http://127.0.0.1:1/"}), {"body": {"amount": number}}, http=http)
    assert str(raised.value) == f"element 'Task_1': variable 'body': {number} is not a JSON number (Zeebe stores variables as JSON)"


def test_only_the_rest_connector_job_type_runs():
    applied = AppliedTask(job_type="io.camunda:slack:1", inputs=(InputMapping("url", "http://127.0.0.1:1/"),), element_id="Task_9")
    with pytest.raises(RuntimeUsageError) as raised:
        run_task(applied)
    assert str(raised.value) == (
        "job type 'io.camunda:slack:1' is not supported: this runtime executes the REST connector (io.camunda:http-json:1) only"
    )
