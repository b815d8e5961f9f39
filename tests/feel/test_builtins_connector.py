"""The connector runtime's FEEL functions: bpmnError, jobError, ignoreError, backoff."""

from __future__ import annotations

import math
from decimal import Decimal as D

import pytest

from generator.feel import values
from generator.feel.builtins import CONNECTOR_FUNCTIONS, connector
from generator.feel.builtins.registry import StandaloneCallContext
from generator.feel.errors import SuppressedFailure
from generator.feel.temporal import DayTimeDuration, parse_duration

CALL = StandaloneCallContext()


def overload(name: str, *param_names: str):
    return next(o for o in CONNECTOR_FUNCTIONS[name] if tuple(p.name for p in o.params) == param_names)


def test_bpmn_error_shapes():
    assert overload("bpmnError", "errorCode").impl(CALL, "E1") == {
        "errorType": "bpmnError", "errorCode": "E1"}
    assert overload("bpmnError", "errorCode", "errorMessage").impl(CALL, "RATE", "too many") == {
        "errorType": "bpmnError", "errorCode": "RATE", "errorMessage": "too many"}
    assert overload("bpmnError", "errorCode", "errorMessage", "variables").impl(
        CALL, "E", "m", {"x": D(1)}) == {
        "errorType": "bpmnError", "errorCode": "E", "errorMessage": "m", "variables": {"x": D(1)}}


def test_bpmn_error_accepts_the_older_parameter_names_and_writes_the_current_keys():
    assert overload("bpmnError", "code", "message").impl(CALL, "E", "m") == {
        "errorType": "bpmnError", "errorCode": "E", "errorMessage": "m"}


@pytest.mark.parametrize("args", [(D(1),), ("E", D(2)), ("E", "m", [D(1)])])
def test_bpmn_error_argument_types(args):
    with pytest.raises(SuppressedFailure, match="^Failed to invoke function 'bpmnError': Illegal arguments"):
        overload("bpmnError", *("errorCode", "errorMessage", "variables")[:len(args)]).impl(CALL, *args)


def test_job_error_defaults_and_json():
    error = connector.job_error(CALL, "boom")
    assert error == {"errorType": "jobError", "errorMessage": "boom", "variables": {},
                     "retries": D(0), "retryBackoff": DayTimeDuration(0)}
    assert values.to_json(error) == {"errorType": "jobError", "errorMessage": "boom", "variables": {},
                                     "retries": 0, "retryBackoff": "PT0S"}
    full = connector.job_error(CALL, "boom", {"a": D(1)}, D(3), parse_duration("PT30S"))
    assert values.to_json(full)["retryBackoff"] == "PT30S" and full["retries"] == D(3)
    with pytest.raises(SuppressedFailure):
        connector.job_error(CALL, "boom", {}, D(3), parse_duration("P1M"))


def test_ignore_error():
    assert connector.ignore_error(CALL) == {"errorType": "ignoreError"}
    assert connector.ignore_error(CALL, {"x": D(1)}) == {"errorType": "ignoreError", "variables": {"x": D(1)}}


def test_backoff_without_jitter_is_exact():
    backoff = overload("backoff", "attempt", "minDelay", "factor", "maxDelay", "jitterFactor").impl
    ms = parse_duration
    assert backoff(CALL, D(1), ms("PT0.1S"), D(2), ms("PT10S"), D(0)) == ms("PT0.1S")
    assert backoff(CALL, D(4), ms("PT0.1S"), D(2), ms("PT10S"), D(0)) == ms("PT0.8S")
    assert backoff(CALL, D(20), ms("PT0.1S"), D(2), ms("PT10S"), D(0)) == ms("PT10S")
    assert backoff(CALL, D(3), ms("PT0.05S"), D("1.6"), ms("PT5S"), D(0)) == ms("PT0.128S")


def test_backoff_defaults_stay_within_the_jitter():
    backoff = overload("backoff", "attempt").impl
    for attempt, base in ((1, 50), (3, 128), (30, 5000)):
        delay = backoff(CALL, D(attempt)).millis
        # +-10% jitter, then rounded to whole milliseconds like Java's Math.round
        assert math.floor(base * 0.9 + 0.5) <= delay <= math.floor(base * 1.1 + 0.5)


def test_backoff_has_no_two_argument_form():
    assert sorted(len(o.params) for o in CONNECTOR_FUNCTIONS["backoff"]) == [1, 3, 4, 5]


@pytest.mark.parametrize("args, message", [
    ((D(0),), "'attempt' must be >= 1, but was 0"),
    ((D(1), parse_duration("PT1S"), D(0)), "'factor' must be > 0, but was 0"),
    ((D(1), parse_duration("PT10S"), D(2), parse_duration("PT1S")), "'minDelay' must be <= 'maxDelay'"),
    ((D(1), parse_duration("PT1S"), D(2), parse_duration("PT2S"), D(-1)), "'jitterFactor' must be >= 0"),
])
def test_backoff_argument_checks(args, message):
    names = ("attempt", "minDelay", "factor", "maxDelay", "jitterFactor")[:len(args)]
    with pytest.raises(SuppressedFailure, match=message):
        overload("backoff", *names).impl(CALL, *args)
