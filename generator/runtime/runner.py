"""Running a task end to end: engine step -> connector step -> outcome step (-> output mappings).

`run_job` is what the connector runtime does with one activated job (a job worker for a real
Zeebe cluster would enter here); `run_task` adds what Zeebe does around it (input mappings
before, output mappings after); `run_until_done` retries failed jobs like the engine, sleeping
the backoff on an injectable clock; `dry_run` stops before the network and shows the request.

The steps are written once, without I/O: `job_flow` and `task_flow` are generators that yield
each HTTP request to send (`PreparedRequest`) and each retry backoff to wait (`Backoff`), and
are sent the raw response (a failure to send is thrown in, where the request was yielded). This
module drives them with an `HttpClient` and the clock's `sleep`; `generator.runtime.concurrent`
drives the same flows on asyncio.
"""

from __future__ import annotations

import contextlib
import json
import logging
import math
from collections.abc import Generator, Mapping
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any, TypeVar
from urllib.parse import urlsplit

from generator import feel
from generator.runtime import engine, rest
from generator.runtime.clock import Clock, SystemClock
from generator.runtime.durations import DurationParseError, format_java_duration, parse_java_duration
from generator.runtime.errors import INVALID_BACKOFF_EXCEPTION, ConnectorError, ConnectorInputError, RuntimeUsageError
from generator.runtime.masking import MASK, MIN_ECHO_LENGTH, MaskedLog, SecretMask, masking_library_logs
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
from generator.runtime.rest.auth import TokenCache
from generator.runtime.rest.binding import OAuthClientCredentials, RestRequest
from generator.runtime.rest.http import HttpClient
from generator.runtime.rest.request import PreparedRequest, encoded_forms, to_json_text
from generator.runtime.rest.response import RawResponse
from generator.runtime.secrets import MappingSecrets, SecretProvider, shown_secrets, substitute_secrets
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


@dataclass(frozen=True)
class Backoff:
    """A step of a flow: wait `seconds` (a retry backoff) before the next attempt."""

    seconds: float


Step = PreparedRequest | Backoff
_T = TypeVar("_T")
# What the flows are: they yield steps and are sent the response to each request (None after a backoff).
Flow = Generator[Step, RawResponse | None, _T]
Exchange = Generator[PreparedRequest, RawResponse, _T]


class _ConnectorInput:
    """The fetched variables as the connector binds them (JSON text, secrets substituted), and
    their twin with `***` for each secret, what etk shows: worked out only when something is."""

    def __init__(self, text: str, sent: str) -> None:
        self._text = text
        self.has_secrets = sent is not text
        self.variables: dict[str, Any] = json.loads(sent)

    @cached_property
    def shown(self) -> dict[str, Any]:
        if not self.has_secrets:
            return self.variables
        shown: dict[str, Any] = json.loads(shown_secrets(self._text))
        return shown


def _connector_input(job: Job, secrets: SecretProvider, mask: SecretMask, log: MaskedLog) -> _ConnectorInput:
    fetched = {name: job.variables[name] for name in rest.FETCH_VARIABLES if name in job.variables}
    try:
        text = to_json_text(fetched)
    except ValueError:  # NaN or an infinity, which Python objects can hold and JSON cannot
        raise RuntimeUsageError(_not_json(job, fetched)) from None
    sent = substitute_secrets(text, secrets, mask)
    for name, length in mask.too_short():
        log.warning("secret %r has %d character(s): it is masked where etk places it and where a whole value "
                    "equals it, but text that merely contains it is not searched (secrets of %d characters or "
                    "more are)", name, length, MIN_ECHO_LENGTH)
    return _ConnectorInput(text, sent)


@dataclass(frozen=True)
class _Built:
    """A bound request and what goes on the wire for it (the token request first, for OAuth)."""

    rest: RestRequest  # (the field's name hides the module `rest` in these annotations)
    token_request: PreparedRequest | None
    request: PreparedRequest


_TOKEN_PLACEHOLDER = "<access token from the OAuth token endpoint>"


def _build(variables: dict[str, Any], clock: Clock) -> _Built:
    """Bind, build and check the request without sending it (the OAuth token as a placeholder)."""
    request = rest.bind_rest_request(variables, _relaxed_feel(clock))
    token_request = None
    if isinstance(request.authentication, OAuthClientCredentials):
        token_request = rest.token_request(request.authentication)
        rest.check_sendable(token_request)
    prepared = rest.prepare(request, _TOKEN_PLACEHOLDER if token_request else None)
    rest.check_sendable(prepared)
    return _Built(request, token_request, prepared)


def _shown_error(error: ConnectorInputError, connector_input: _ConnectorInput, clock: Clock) -> ConnectorInputError:
    """`error` (about the request as sent) told from the request as shown: building the shown
    twin fails the same way, with the same message but `***` where the secrets are. When it does
    not (a secret's own characters broke the input), the reason is withheld: it would quote part
    of a secret."""
    if not connector_input.has_secrets:
        return error
    try:
        _build(connector_input.shown, clock)
    except ConnectorInputError as shown:
        if type(shown) is type(error):
            return shown
    return type(error)("The connector input is invalid once its secrets are substituted; the reason is not shown, "
                       "as it would quote part of a secret")


def _request_pairs(connector_input: _ConnectorInput, clock: Clock) -> list[tuple[str, str]]:
    """The texts of the job's requests as sent and as shown: URL, request target, header values
    and body, for lines that quote them (a library's log, a server's echo)."""
    if not connector_input.has_secrets:
        return []
    try:
        sent, shown = _build(connector_input.variables, clock), _build(connector_input.shown, clock)
    except ConnectorError:
        return []
    pairs: list[tuple[str, str]] = []
    for sent_request, shown_request in ((sent.request, shown.request), (sent.token_request, shown.token_request)):
        if sent_request is None or shown_request is None or len(sent_request.headers) != len(shown_request.headers):
            continue
        pairs += [(sent_request.url, shown_request.url), (_target(sent_request.url), _target(shown_request.url))]
        pairs += _host_pairs(sent_request.url, shown_request.url)
        headers = zip(sent_request.headers, shown_request.headers, strict=False)
        pairs += [(value, _shown_header(value, twin)) for (_, value), (_, twin) in headers]
        if sent_request.content and shown_request.content:
            pairs.append((sent_request.content.decode("utf-8", "replace"), shown_request.content.decode("utf-8", "replace")))
    return pairs


def _host_pairs(sent: str, shown: str) -> list[tuple[str, str]]:
    """The host of `sent` as etk's account of a transport failure quotes it (lower case, alone,
    with its port, or quoted: `unknown host 'k.example'`), paired with its shown twin's."""
    try:
        real, twin = urlsplit(sent), urlsplit(shown)
        port = real.port or (443 if real.scheme == "https" else 80)
    except ValueError:
        return []
    if not real.hostname or twin.hostname is None or real.hostname == twin.hostname:
        return []
    return [(f"{real.hostname}:{port}", f"{twin.hostname}:{port}"), (f"host {real.hostname!r}", f"host {twin.hostname!r}"),
            (real.hostname, twin.hostname)]


def _target(url: str) -> str:
    """The request target of `url` (path and query), as the request line carries it."""
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


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


def _relaxed_feel(clock: Clock) -> rest.FeelEvaluator:
    """The relaxed binding's FEEL: a failure names the field and quotes the expression, so it is
    reported through `_shown_error` (the shown twin's expression holds `***`, not the secret)."""
    def evaluate(text: str, path: str) -> Any:
        try:
            return feel.to_json(feel.evaluate(text, {}, clock=clock.now))
        except feel.FeelError as error:
            raise ConnectorInputError(f"Json object contains an invalid field: {path}: {error}") from None

    return evaluate


def job_flow(
    job: Job,
    *,
    secrets: SecretProvider | Mapping[str, str] | None,
    clock: Clock,
    mask: SecretMask | None,
    tokens: TokenCache,
) -> Exchange[Outcome]:
    """`run_job` as a flow (see the module docstring); `tokens` is the OAuth token cache of the
    client that sends."""
    provider = _provider(secrets)
    mask = mask if mask is not None else SecretMask(encodings=encoded_forms)
    log = MaskedLog(LOG, mask)
    run_feel = make_feel_runner(mask, clock.now, log)
    headers = dict(job.headers)
    log.info("job %sof type %s with %d retries", f"{job.element_id} " if job.element_id else "", job.type, job.retries)
    if job.type != rest.JOB_TYPE:
        raise RuntimeUsageError(
            f"job type {job.type!r} is not supported: this runtime executes the REST connector ({rest.JOB_TYPE}) only"
        )
    backoff = None
    with masking_library_logs(mask):
        try:
            backoff = _retry_backoff(headers)
            connector_input = _connector_input(job, provider, mask, log)
            mask.add_pairs(lambda: _request_pairs(connector_input, clock))
            log.debug("connector variables: %s", lambda: to_json_text(connector_input.shown))
            try:
                request = rest.bind_rest_request(connector_input.variables, _relaxed_feel(clock))
                for credentials in rest.basic_credentials(request.authentication):
                    mask.add_basic_credentials(credentials)
                response = yield from rest.execute(request, tokens, clock.now())
            except ConnectorInputError as error:
                raise _shown_error(error, connector_input, clock) from None
            log.debug("connector result: %s", lambda: _short(to_json_text(response)))
            result: Success | Failure = Success(response, output_variables(response, headers, run_feel))
        except ConnectorError as error:
            result = failure_from(error, mask, job.retries, None if isinstance(error, InvalidBackoffError) else backoff)
            log.info("connector failed with code %s: %s", error.code, result.message)
            if error.cause:
                log.warning("%s%s", f"{job.element_id}: " if job.element_id else "", error.cause)
        outcome = decide(result, headers, job.retries, mask, run_feel)
    log.info("outcome: %s", lambda: _summary(outcome))
    return outcome


def run_job(
    job: Job,
    *,
    secrets: SecretProvider | Mapping[str, str] | None = None,
    http: HttpClient | None = None,
    clock: Clock | None = None,
    mask: SecretMask | None = None,
) -> Outcome:
    """What the connector runtime does with one REST-connector job: secrets, request, response,
    result and error expressions, and the resulting job command. The secrets the job used are
    added to `mask` when one is given (to mask what the caller prints)."""
    clock = clock or SystemClock()
    with _client(http) as client:
        return drive(job_flow(job, secrets=secrets, clock=clock, mask=mask, tokens=rest.token_cache(client)), client, clock)


def drive(flow: Flow[_T] | Exchange[_T], http: HttpClient, clock: Clock) -> _T:
    """Run `flow` to its end: send each request it yields with `http` (a failure is thrown into
    the flow where it yielded the request), sleep each backoff on `clock`; its return value."""
    reply: RawResponse | None = None
    failure: BaseException | None = None
    try:
        while True:
            # (None is sent only after a Backoff, which an Exchange never yields)
            step = flow.send(reply) if failure is None else flow.throw(failure)  # type: ignore[arg-type]
            reply = failure = None
            if isinstance(step, Backoff):
                clock.sleep(step.seconds)
                continue
            try:
                reply = http.send(step)
            except BaseException as error:  # the flow decides, as if it had sent the request itself
                failure = error
    except StopIteration as done:
        result: _T = done.value
        return result


def _client(http: HttpClient | None) -> AbstractContextManager[HttpClient]:
    """`http` (left open), or a client of its own for one call (closed after it)."""
    return nullcontext(http) if http is not None else HttpClient()


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
    mask: SecretMask | None = None,
) -> Outcome:
    """Run `task` once over the process `variables`: input mappings, the connector job (with
    `retries` left, default the task's), output mappings. A `Completed` holds what the process
    receives (secrets a server echoed included, as in Camunda; `mask` collects the job's secrets
    for a caller that prints it)."""
    clock = clock or SystemClock()
    with _client(http) as client:
        flow = task_flow(task, variables, secrets=secrets, clock=clock, mask=mask, tokens=rest.token_cache(client),
                         retries=retries, once=True)
        return drive(flow, client, clock).outcome


def run_until_done(
    task: AppliedTask,
    variables: Mapping[str, Any] | None = None,
    *,
    secrets: SecretProvider | Mapping[str, str] | None = None,
    http: HttpClient | None = None,
    clock: Clock | None = None,
    mask: SecretMask | None = None,
) -> Attempts:
    """Run `task` and retry its failed job like the engine: after each `Failed` with retries
    left, sleep its backoff on `clock` and run the same job again with those retries; stop at a
    completion, a BPMN error or an incident (a failure with 0 retries)."""
    clock = clock or SystemClock()
    with _client(http) as client:
        return drive(task_flow(task, variables, secrets=secrets, clock=clock, mask=mask, tokens=rest.token_cache(client)),
                     client, clock)


def task_flow(
    task: AppliedTask,
    variables: Mapping[str, Any] | None,
    *,
    secrets: SecretProvider | Mapping[str, str] | None,
    clock: Clock,
    mask: SecretMask | None,
    tokens: TokenCache,
    retries: int | None = None,
    once: bool = False,
) -> Flow[Attempts]:
    """`run_task` (`once`, with `retries` left) or `run_until_done` as a flow (see the module
    docstring): the task's input mappings, its job (retried after each backoff unless `once`),
    its output mappings."""
    process_variables = dict(variables or {})
    local = engine.evaluate_inputs(task, process_variables, clock.now)
    job = _job_for(task, engine.job_variables(process_variables, local), retries, clock)
    outcomes: list[Outcome] = []
    while True:
        outcome = yield from job_flow(job, secrets=secrets, clock=clock, mask=mask, tokens=tokens)
        if isinstance(outcome, Completed):
            outcome = Completed(engine.apply_outputs(task, outcome.variables, process_variables, local, clock.now))
        outcomes.append(outcome)
        if once or not isinstance(outcome, Failed) or outcome.incident:
            return Attempts(tuple(outcomes))
        if outcome.backoff is not None and outcome.backoff.total_seconds() > 0:
            yield Backoff(outcome.backoff.total_seconds())
        job = replace(job, retries=outcome.retries)


def dry_run(
    task: AppliedTask,
    variables: Mapping[str, Any] | None = None,
    *,
    secrets: SecretProvider | Mapping[str, str] | None = None,
    clock: Clock | None = None,
) -> dict[str, Any]:
    """The HTTP request `task` would send, without sending it, with `***` where a secret stands:
    method, url, headers, body, timeouts (and the OAuth token request that would come first)."""
    clock = clock or SystemClock()
    mask = SecretMask(encodings=encoded_forms)
    process_variables = dict(variables or {})
    local = engine.evaluate_inputs(task, process_variables, clock.now)
    job = _job_for(task, engine.job_variables(process_variables, local), None, clock)
    try:
        connector_input = _connector_input(job, _provider(secrets), mask, MaskedLog(LOG, mask))
        try:
            sent = _build(connector_input.variables, clock)
        except ConnectorInputError as error:
            raise _shown_error(error, connector_input, clock) from None
    except ConnectorError as error:
        raise RuntimeUsageError(f"the request cannot be built: {mask.text(error.message)}") from None
    try:
        shown = _build(connector_input.shown, clock)
    except ConnectorError:  # a secret's own characters changed what the input means: search instead
        shown = None
    description = _describe(sent.request, shown.request if shown else None, mask)
    if sent.token_request is not None:
        description["oauthTokenRequest"] = _describe(sent.token_request, shown.token_request if shown else None, mask)
    return description


def _describe(sent: PreparedRequest, shown: PreparedRequest | None, mask: SecretMask) -> dict[str, Any]:
    """A request as the dry run prints it: the shown twin where it has the sent one's shape, else
    the sent one masked by search. A header the shown twin writes differently without `***`
    carries a secret in a derived form (Basic credentials): it is shown as `<scheme> ***`."""
    exact = shown is not None and [name for name, _ in shown.headers] == [name for name, _ in sent.headers]
    headers: dict[str, Any] = {}
    for index, (name, value) in enumerate(sent.headers):
        if exact:
            assert shown is not None
            value = _shown_header(value, shown.headers[index][1])
        else:
            value = mask.text(value)
        headers[name] = value if name not in headers else [*(headers[name] if isinstance(headers[name], list) else [headers[name]]), value]
    source = shown if exact and shown is not None else sent
    body: Any = None
    if source.content is not None:
        text = source.content.decode("utf-8", errors="replace")
        body = text if exact else mask.text(text)
        if "json" in (source.header("Content-Type") or "").lower():
            with contextlib.suppress(ValueError):
                body = json.loads(body)
    return {
        "method": sent.method,
        "url": source.url if exact else mask.text(sent.url),
        "headers": headers,
        "body": body,
        "timeouts": {"connectionTimeoutInSeconds": sent.connect_timeout, "readTimeoutInSeconds": sent.read_timeout},
    }


def _shown_header(value: str, twin: str) -> str:
    """How a header value is shown, from its shown twin: as it is, or (a secret in a form the twin
    cannot show, such as Basic credentials) as `<scheme> ***`."""
    if twin == value or MASK in twin:
        return twin
    scheme, space, _ = twin.partition(" ")
    return f"{scheme} {MASK}" if space else MASK


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
