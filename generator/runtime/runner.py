"""Running a task end to end: engine step -> connector step -> outcome step (-> output mappings).

`run_job` is what the connector runtime does with one activated job (a job worker for a real
Zeebe cluster would enter here); `run_task` adds what Zeebe does around it (input mappings
before, output mappings after); `run_until_done` retries failed jobs like the engine, sleeping
the backoff on an injectable clock; `dry_run` stops before the network and shows the request.
"""

from __future__ import annotations

import contextlib
import json
import logging
import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from generator import feel
from generator.runtime import engine, rest
from generator.runtime.clock import Clock, SystemClock
from generator.runtime.durations import DurationParseError, format_java_duration, parse_java_duration
from generator.runtime.errors import INVALID_BACKOFF_EXCEPTION, ConnectorError, ConnectorInputError, RuntimeUsageError
from generator.runtime.outcome import (
    Completed,
    Failed,
    Failure,
    Outcome,
    Success,
    decide,
    failure_from,
    make_feel_runner,
    output_variables,
)
from generator.runtime.rest.binding import OAuthClientCredentials
from generator.runtime.rest.http import HttpClient
from generator.runtime.rest.request import encoded_forms, to_json_text
from generator.runtime.secrets import (
    MappingSecrets,
    MaskedLog,
    SecretMask,
    SecretProvider,
    masking_library_logs,
    substitute_secrets,
)
from generator.task import AppliedTask

LOG = logging.getLogger("generator.runtime")
LOG.addHandler(logging.NullHandler())  # a library logs; the application decides where it goes
DEFAULT_RETRIES = engine.DEFAULT_RETRIES


class InvalidBackoffError(ConnectorInputError):
    java_type = INVALID_BACKOFF_EXCEPTION


@dataclass(frozen=True)
class Job:
    """An activated job: every variable it can fetch, its custom headers, its retries."""

    variables: Mapping[str, Any]
    headers: Mapping[str, str] = field(default_factory=dict)
    retries: int = DEFAULT_RETRIES
    type: str = rest.JOB_TYPE
    element_id: str | None = None


@dataclass(frozen=True)
class Attempts:
    """Every outcome of a job run until done; `outcome` is the last one."""

    outcomes: tuple[Outcome, ...]

    @property
    def outcome(self) -> Outcome:
        return self.outcomes[-1]


def _provider(secrets: SecretProvider | Mapping[str, str] | None) -> SecretProvider:
    if secrets is None:
        return MappingSecrets({})
    if isinstance(secrets, Mapping):
        return MappingSecrets(secrets)
    return secrets


def _connector_variables(job: Job, secrets: SecretProvider, mask: SecretMask) -> dict[str, Any]:
    """The fetched variables as the connector binds them: JSON text, secrets substituted."""
    fetched = {name: job.variables[name] for name in rest.FETCH_VARIABLES if name in job.variables}
    try:
        text = to_json_text(fetched)
    except ValueError:  # NaN or an infinity, which Python objects can hold and JSON cannot
        raise RuntimeUsageError(_not_json(job, fetched)) from None
    substituted: dict[str, Any] = json.loads(substitute_secrets(text, secrets, mask))
    return substituted


def _not_json(job: Job, fetched: dict[str, Any]) -> str:
    where = f"element {job.element_id!r}: " if job.element_id else ""
    for name, value in fetched.items():
        number = _first_non_finite(value)
        if number is not None:
            return f"{where}variable {name!r}: {number} is not a JSON number (Zeebe stores variables as JSON)"
    return f"{where}the job's variables are not JSON"


def _first_non_finite(value: Any) -> float | None:
    if isinstance(value, float) and not math.isfinite(value):
        return value
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    return next((found for found in map(_first_non_finite, items) if found is not None), None)


def _relaxed_feel(clock: Clock, mask: SecretMask) -> rest.FeelEvaluator:
    def evaluate(text: str, path: str) -> Any:
        try:
            return feel.to_json(feel.evaluate(text, {}, clock=clock.now))
        except feel.FeelError as error:
            raise ConnectorInputError(f"Json object contains an invalid field: {path}: {mask.text(str(error))}") from None

    return evaluate


def run_job(
    job: Job,
    *,
    secrets: SecretProvider | Mapping[str, str] | None = None,
    http: HttpClient | None = None,
    clock: Clock | None = None,
) -> Outcome:
    """What the connector runtime does with one REST-connector job: secrets, request, response,
    result and error expressions, and the resulting job command."""
    clock = clock or SystemClock()
    provider = _provider(secrets)
    mask = SecretMask(encodings=encoded_forms)
    log = MaskedLog(LOG, mask)
    run_feel = make_feel_runner(mask, clock.now, log)
    headers = dict(job.headers)
    log.info("job %sof type %s with %d retries", f"{job.element_id} " if job.element_id else "", job.type, job.retries)
    if job.type != rest.JOB_TYPE:
        raise RuntimeUsageError(
            f"job type {job.type!r} is not supported: this runtime executes the REST connector ({rest.JOB_TYPE}) only"
        )
    owned = http is None
    client = http or HttpClient()
    backoff = None
    try:
        with masking_library_logs(mask):
            try:
                backoff = _retry_backoff(headers)
                variables = _connector_variables(job, provider, mask)
                log.debug("connector variables: %s", lambda: to_json_text(variables))
                response = rest.execute(variables, client, clock.now(), _relaxed_feel(clock, mask))
                log.debug("connector result: %s", lambda: _short(to_json_text(response)))
                result: Success | Failure = Success(response, output_variables(response, headers, run_feel))
            except ConnectorError as error:
                result = failure_from(error, mask, job.retries, None if isinstance(error, InvalidBackoffError) else backoff)
                log.info("connector failed with code %s: %s", error.code, result.message)
                if error.cause:
                    log.warning("%s%s", f"{job.element_id}: " if job.element_id else "", error.cause)
            outcome = decide(result, headers, job.retries, mask, run_feel)
    finally:
        if owned:
            client.close()
    log.info("outcome: %s", lambda: _summary(outcome))
    return outcome


def _retry_backoff(headers: dict[str, str]) -> Any:
    text = headers.get("retryBackoff")
    if text is None:
        return None
    try:
        return parse_java_duration(text)
    except DurationParseError:
        raise InvalidBackoffError(
            f"Failed to parse retry backoff header. Expected ISO-8601 duration, e.g. PT5M, got: {text}"
        ) from None


def _job_for(task: AppliedTask, job_variables: dict[str, Any], retries: int | None, clock: Clock) -> Job:
    if retries is None:
        retries = engine.task_retries(task, job_variables, clock.now)
    return Job(
        variables=job_variables,
        headers=task.headers_dict(),
        retries=retries,
        type=task.job_type or "",
        element_id=task.element_id,
    )


def run_task(
    task: AppliedTask,
    variables: Mapping[str, Any] | None = None,
    *,
    secrets: SecretProvider | Mapping[str, str] | None = None,
    http: HttpClient | None = None,
    clock: Clock | None = None,
    retries: int | None = None,
) -> Outcome:
    """Run `task` once over the process `variables`: input mappings, the connector job (with
    `retries` left, default the task's), output mappings. A `Completed` holds what the process
    receives."""
    return _run_attempts(task, variables, secrets=secrets, http=http, clock=clock, retries=retries, once=True).outcome


def run_until_done(
    task: AppliedTask,
    variables: Mapping[str, Any] | None = None,
    *,
    secrets: SecretProvider | Mapping[str, str] | None = None,
    http: HttpClient | None = None,
    clock: Clock | None = None,
) -> Attempts:
    """Run `task` and retry its failed job like the engine: after each `Failed` with retries
    left, sleep its backoff on `clock` and run the same job again with those retries; stop at a
    completion, a BPMN error or an incident (a failure with 0 retries)."""
    return _run_attempts(task, variables, secrets=secrets, http=http, clock=clock, retries=None, once=False)


def _run_attempts(
    task: AppliedTask,
    variables: Mapping[str, Any] | None,
    *,
    secrets: SecretProvider | Mapping[str, str] | None,
    http: HttpClient | None,
    clock: Clock | None,
    retries: int | None,
    once: bool,
) -> Attempts:
    clock = clock or SystemClock()
    process_variables = dict(variables or {})
    local = engine.evaluate_inputs(task, process_variables, clock.now)
    job = _job_for(task, engine.job_variables(process_variables, local), retries, clock)
    owned = http is None
    client = http or HttpClient()
    outcomes: list[Outcome] = []
    try:
        while True:
            outcome = run_job(job, secrets=secrets, http=client, clock=clock)
            if isinstance(outcome, Completed):
                outcome = Completed(engine.apply_outputs(task, outcome.variables, process_variables, local, clock.now))
            outcomes.append(outcome)
            if once or not isinstance(outcome, Failed) or outcome.incident:
                return Attempts(tuple(outcomes))
            if outcome.backoff is not None and outcome.backoff.total_seconds() > 0:
                clock.sleep(outcome.backoff.total_seconds())
            job = replace(job, retries=outcome.retries)
    finally:
        if owned:
            client.close()


def dry_run(
    task: AppliedTask,
    variables: Mapping[str, Any] | None = None,
    *,
    secrets: SecretProvider | Mapping[str, str] | None = None,
    clock: Clock | None = None,
) -> dict[str, Any]:
    """The HTTP request `task` would send, without sending it, secrets masked: method, url,
    headers, body, timeouts (and the OAuth token request that would come first)."""
    clock = clock or SystemClock()
    mask = SecretMask(encodings=encoded_forms)
    process_variables = dict(variables or {})
    local = engine.evaluate_inputs(task, process_variables, clock.now)
    job = _job_for(task, engine.job_variables(process_variables, local), None, clock)
    try:
        connector_variables = _connector_variables(job, _provider(secrets), mask)
        request = rest.bind_rest_request(connector_variables, _relaxed_feel(clock, mask))
        token = None
        description: dict[str, Any] = {}
        if isinstance(request.authentication, OAuthClientCredentials):
            description["oauthTokenRequest"] = _describe(rest.token_request(request.authentication), mask)
            token = "<access token from the OAuth token endpoint>"
        prepared = rest.prepare(request, token)
    except ConnectorError as error:
        raise RuntimeUsageError(f"the request cannot be built: {mask.text(error.message)}") from None
    return {**_describe(prepared, mask), **description}


def _describe(prepared: rest.PreparedRequest, mask: SecretMask) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    for name, value in prepared.headers:
        value = mask.text(value)
        headers[name] = value if name not in headers else [*(headers[name] if isinstance(headers[name], list) else [headers[name]]), value]
    body: Any = None
    if prepared.content is not None:
        text = mask.text(prepared.content.decode("utf-8", errors="replace"))
        body = text
        if "json" in (prepared.header("Content-Type") or "").lower():
            with contextlib.suppress(ValueError):
                body = json.loads(text)
    return {
        "method": prepared.method,
        "url": mask.text(prepared.url),
        "headers": headers,
        "body": body,
        "timeouts": {"connectionTimeoutInSeconds": prepared.connect_timeout, "readTimeoutInSeconds": prepared.read_timeout},
    }


def _short(text: str, limit: int = 2000) -> str:
    return text if len(text) <= limit else text[:limit] + "..."


def _summary(outcome: Outcome) -> str:
    """One line for the step log (the full outcome is what the caller gets)."""
    if isinstance(outcome, Completed):
        return f"completed with variables {', '.join(outcome.variables) or '(none)'}"
    if isinstance(outcome, Failed):
        backoff = format_java_duration(outcome.backoff) if outcome.backoff is not None else "none"
        after = "an incident" if outcome.incident else f"{outcome.retries} retries left, backoff {backoff}"
        return f"failed ({after}): {_short(outcome.message, 300)}"
    return f"BPMN error {outcome.code!r}: {_short(outcome.message or '', 300)}"
