"""The outcome step: what the connector runtime does with a connector's result or exception.

1. Output variables (`ConnectorResultHandler.createOutputVariables`): `resultVariable` gets the
   whole response; `resultExpression` is evaluated over the response's fields plus
   `response`, must give a context (its entries become variables) or null (none); anything else
   is an input error whose message is Java's text for `ConnectorInputException(new
   FeelEngineWrapperException(...))`: `io.camunda.connector.feel.FeelEngineWrapperException: Failed
   to evaluate expression '<expression>' in context '<json>'. Reason: Result expression must
   return a JSON object, but got ...`.
2. The error expression, evaluated after every execution over: on success the output variables
   when there are any, else the raw response (the documented gotcha: with `resultVariable` or
   `resultExpression` set, `response` is the map of output variables); on failure
   `{error: {type, message, code, variables}}`; always `response` (that same value) and
   `job: {retries}`. It may return null or `{}` (no error), `bpmnError(...)`, `jobError(...)`
   or `ignoreError(...)`; a bpmnError whose code is null is ignored.
3. The job command: complete, throw a BPMN error, or fail with retries (`job.retries - 1`, 0 for
   input errors and for a failing error expression), the `retryBackoff` header as backoff, the
   message `<message> | Error variables: {error={...}}` cut at 6000 characters, and the error
   variables (a jobError's are `new HashMap<>(variables)` plus `error`, shown in HashMap order).
   Secret values are masked as `***` in every message and variable of a failure or BPMN error
   (never in the error code, which boundary events match on).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from generator import feel
from generator.runtime.durations import DurationParseError, format_java_duration, parse_java_duration
from generator.runtime.errors import (
    FEEL_ENGINE_EXCEPTION,
    ConnectorError,
    ConnectorInputError,
    ExpressionError,
    ExpressionInputError,
)
from generator.runtime.javatext import java_hashmap_order, java_string
from generator.runtime.masking import SecretMask
from generator.runtime.rest.request import to_json_text

MAX_ERROR_MESSAGE_LENGTH = 6000
CONNECTOR_ERROR_CLASS = "io.camunda.connector.runtime.core.error.ConnectorError"
_JAVA_INT_MIN, _JAVA_INT_MAX = -(2**31), 2**31 - 1


@dataclass(frozen=True)
class Completed:
    """The job completed; `variables` are what the process receives."""

    variables: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class BpmnError:
    """The job threw a BPMN error (caught by an error boundary event matching `code`)."""

    code: str
    message: str | None
    variables: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Failed:
    """The job failed; the engine retries it after `backoff` while `retries` > 0, else raises
    an incident."""

    message: str
    retries: int
    backoff: timedelta | None
    variables: dict[str, Any] = field(default_factory=dict)

    @property
    def incident(self) -> bool:
        return self.retries <= 0


Outcome = Completed | BpmnError | Failed


@dataclass(frozen=True)
class Success:
    """The connector returned; `variables` are the output variables (result variable/expression)."""

    response: Any
    variables: dict[str, Any]

    @property
    def response_value(self) -> Any:
        return self.variables if self.variables else self.response


@dataclass(frozen=True)
class Failure:
    """The connector (or the output mapping) raised; already masked."""

    message: str
    error: dict[str, Any]
    retries: int
    backoff: timedelta | None

    @property
    def response_value(self) -> dict[str, Any]:
        return {"error": self.error}


FeelRunner = Callable[[str, dict[str, Any], str], Any]


def output_variables(response: Any, headers: dict[str, str], run_feel: FeelRunner) -> dict[str, Any]:
    """The variables `resultVariable` and `resultExpression` produce from the connector result."""
    variables: dict[str, Any] = {}
    result_variable = headers.get("resultVariable")
    if result_variable and result_variable.strip():
        variables[result_variable] = response
    expression = headers.get("resultExpression")
    if expression and expression.strip():
        mapped = run_feel(expression, response_context(response), "Result expression")
        if mapped is not None:
            if not isinstance(mapped, dict):
                raise _not_an_object(expression, "Result expression", mapped)
            variables.update(mapped)
    return variables


def response_context(response: Any, job_retries: int | None = None) -> dict[str, Any]:
    """The FEEL variables of result and error expressions: the response's own fields, then
    `response`, then (error expressions only) `job`."""
    context = dict(response) if isinstance(response, dict) else {}
    context["response"] = response
    if job_retries is not None:
        context["job"] = {"retries": job_retries}
    return context


def failure_from(error: ConnectorError, mask: SecretMask, job_retries: int, backoff: timedelta | None) -> Failure:
    """Camunda's ErrorResult for a connector exception (retries 0 for input errors)."""
    message = mask.text(error.message)
    details: dict[str, Any] = {"type": error.java_type, "message": message[:MAX_ERROR_MESSAGE_LENGTH]}
    if error.code is not None:
        details["code"] = error.code
    if error.variables is not None:
        details["variables"] = mask.value(error.variables)
    retries = 0 if isinstance(error, ConnectorInputError) else job_retries - 1
    return Failure(message, details, retries, backoff)


def decide(
    result: Success | Failure,
    headers: dict[str, str],
    job_retries: int,
    mask: SecretMask,
    run_feel: FeelRunner,
) -> Outcome:
    """Examine the error expression and turn the connector result into the job's outcome."""
    try:
        error = examine_error_expression(result.response_value, headers, job_retries, run_feel)
    except ConnectorError as failure:
        # a failing error expression fails the job without retries
        final = failure_from(failure, mask, job_retries, None)
        return _fail(Failure(final.message, final.error, 0, None))
    if error is None:
        if isinstance(result, Success):
            return Completed(result.variables)
        return _fail(result)
    kind = error.get("errorType")
    if kind == "bpmnError":
        message = error.get("errorMessage", error.get("message"))
        return BpmnError(
            code=str(error.get("errorCode", error.get("code"))),
            message=None if message is None else mask.text(str(message))[:MAX_ERROR_MESSAGE_LENGTH],
            variables=mask.value(error.get("variables") or {}),
        )
    if kind == "jobError":
        message = mask.text(java_string(error.get("errorMessage")))
        given = mask.value(error.get("variables") or {})
        variables = {**given, "error": message}  # JobError.variablesWithErrorMessage()
        shown = {key: variables[key] for key in java_hashmap_order(variables, copied_entries=len(given))}
        return Failed(
            message=_truncate(f"{message} | Error variables: {java_string(shown)}"),
            retries=max(int(error.get("retries") or 0), 0),
            backoff=_job_error_backoff(error.get("retryBackoff")),
            variables=variables,
        )
    # ignoreError: complete with its variables only
    return Completed(dict(error.get("variables") or {}))


def examine_error_expression(
    response_value: Any, headers: dict[str, str], job_retries: int, run_feel: FeelRunner
) -> dict[str, Any] | None:
    """The connector error the error expression asks for, or None (no error handling)."""
    expression = headers.get("errorExpression")
    if not expression or not expression.strip():
        return None
    value = run_feel(expression, response_context(response_value, job_retries), "Error expression")
    if value is None:
        return None
    if not isinstance(value, dict):
        raise _not_an_object(expression, "Error expression", value)
    if not value:
        return None
    kind = value.get("errorType")
    if kind not in ("bpmnError", "jobError", "ignoreError") or (kind == "jobError" and not _is_java_int(value.get("retries", 0))):
        text = to_json_text(value)
        raise _expression_input_error(expression, text, f"Cannot parse '{text}' as '{CONNECTOR_ERROR_CLASS}'.")
    if kind == "bpmnError" and value.get("errorCode", value.get("code")) is None:
        return None  # BpmnError.hasCode() is `code != null`: a blank code is still thrown
    return value


def _is_java_int(value: Any) -> bool:
    """Whether Jackson binds `value` to JobError's `Integer retries` (a float is truncated)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and _JAVA_INT_MIN <= value < _JAVA_INT_MAX + 1


def _job_error_backoff(value: Any) -> timedelta:
    if value is None:
        return timedelta(0)
    try:
        return parse_java_duration(str(value))
    except DurationParseError:
        raise ExpressionInputError(f"jobError retryBackoff {value!r} is not an ISO-8601 duration such as PT30S") from None


def _fail(failure: Failure) -> Failed:
    variables = failure.response_value
    return Failed(
        message=_truncate(f"{failure.message} | Error variables: {java_string(variables)}"),
        retries=max(failure.retries, 0),
        backoff=failure.backoff,
        variables=variables,
    )


def _truncate(message: str) -> str:
    return message[:MAX_ERROR_MESSAGE_LENGTH]


def _not_an_object(expression: str, what: str, value: Any) -> ExpressionInputError:
    kinds = {bool: "boolean", str: "string", list: "array", int: "number", float: "number"}
    kind = next((name for python_type, name in kinds.items() if isinstance(value, python_type)), "object")
    text = to_json_text(value)
    return _expression_input_error(expression, text, f"{what} must return a JSON object, but got {kind}. Evaluated value: {text}")


def _expression_input_error(expression: str, json_text: str, reason: str) -> ExpressionInputError:
    """Camunda's `ConnectorInputException(new FeelEngineWrapperException(reason, expression,
    json))`: an exception built from a cause takes the cause's `toString()` as its message."""
    return ExpressionInputError(
        f"{FEEL_ENGINE_EXCEPTION}: Failed to evaluate expression '{expression}' in context '{json_text}'. Reason: {reason}"
    )


def make_feel_runner(mask: SecretMask, clock: Callable[[], datetime] | None, log: Any) -> FeelRunner:
    """Evaluates result/error expressions like the connector runtime's local FEEL engine (one
    leading `=` stripped, connector functions available), returning JSON-like Python."""

    def run(expression: str, context: dict[str, Any], what: str) -> Any:
        text = expression.strip()
        text = text[1:] if text.startswith("=") else text
        warnings: list[feel.FeelWarning] = []
        try:
            value = feel.evaluate(
                text, feel.Variables.from_python(context),
                functions=feel.CONNECTOR_FUNCTIONS, warnings=warnings, clock=clock,
            )
            # a value too large for JSON (shared parts count each time) fails like an evaluation
            result = feel.to_json(value)
        except feel.FeelError as error:
            raise ExpressionError(f"{what} failed to evaluate: {mask.text(str(error))}") from None
        for warning in warnings:
            log.debug("%s: FEEL warning %s: %s", what, warning.failure_type, warning.message)
        return result

    return run


def outcome_to_json(outcome: Outcome) -> dict[str, Any]:
    """A JSON-ready description of `outcome` (what `etk run` prints)."""
    if isinstance(outcome, Completed):
        return {"outcome": "completed", "variables": outcome.variables}
    if isinstance(outcome, BpmnError):
        return {"outcome": "bpmnError", "code": outcome.code, "message": outcome.message, "variables": outcome.variables}
    return {
        "outcome": "failed",
        "message": outcome.message,
        "retries": outcome.retries,
        "backoff": None if outcome.backoff is None else format_java_duration(outcome.backoff),
        "incident": outcome.incident,
        "variables": outcome.variables,
    }


