"""The engine step: Zeebe's input and output mappings."""

from __future__ import annotations

import pytest

from generator.apply.model import AppliedTask, InputMapping, OutputMapping, TaskHeader
from generator.runtime import Completed, RuntimeUsageError, run_task
from generator.runtime.engine import apply_outputs, evaluate_inputs

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


def test_clock_and_random_functions_are_evaluated_every_time():
    from datetime import datetime, timezone

    mapped = task([("stamp", "=string(now())"), ("id", "=uuid()")])
    first = evaluate_inputs(mapped, {}, lambda: datetime(2024, 1, 1, tzinfo=timezone.utc))
    second = evaluate_inputs(mapped, {}, lambda: datetime(2025, 6, 1, tzinfo=timezone.utc))
    assert first["stamp"].startswith("2024-01-01") and second["stamp"].startswith("2025-06-01")
    assert first["id"] != second["id"]
