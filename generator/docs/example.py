"""Run a definition's usage example at docs time, so the page shows what the runtime produced.

The definition's `example` values are applied to the built template as the Modeler would
(`generator.apply`); the request they describe comes from the runtime's dry run (secrets
masked), and the result from running the task with the runtime against a loopback service
(`docs.example.service`): etk's fake Azure OpenAI service, or a server answering a scripted reply.
The connection for the request's host goes to that service (curl's `--connect-to`), over TLS
with a test CA when the URL is `https`. The page's result expression and error expression
examples are run the same way. Nothing here is typed by hand except what the service answers;
fields listed as volatile (ids, dates) are shown as `"..."`.

Which services exist is not this package's business: the caller passes `start_service`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from contextlib import AbstractContextManager, ExitStack
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path
from typing import Any, Protocol, Self
from urllib.parse import urlsplit

from generator.apply import ApplyError, apply_template
from generator.definition.model import (
    Definition,
    DocsExample,
    DocsExpression,
    ScriptedReply,
)
from generator.element_template import Property, Template
from generator.errors import EtkError
from generator.jsontext import array_index
from generator.problems import Location, Problem
from generator.runtime import (
    BpmnError,
    Completed,
    ConnectTo,
    HttpClient,
    Outcome,
    RuntimeUsageError,
    dry_run,
    outcome_to_json,
    run_task,
)
from generator.runtime.rest import CLIENT_HEADERS
from generator.task import AppliedTask

ELEMENT_ID = "Task_1"
RULE = "docs-example"  # the rule of every problem found running an example
VOLATILE = "..."
_SECRET = re.compile(r"\{\{\s*secrets\.([A-Za-z0-9_.-]+)\s*\}\}")


class LoopbackEndpoint(Protocol):
    """A started loopback service: where it listens, the CA it was issued by, what it is."""

    @property
    def port(self) -> int: ...

    @property
    def ca_file(self) -> Path | None: ...

    @property
    def description(self) -> str:  # e.g. "etk's fake Azure OpenAI service on loopback"
        ...


class StartService(Protocol):
    """Starts the service a docs example names (`azure-openai`, or a scripted reply) on loopback,
    accepting `credentials` (the secret values the example uses) and serving TLS for `host`."""

    def __call__(
        self, service: str | ScriptedReply, *, host: str, credentials: tuple[str, ...], tls: bool
    ) -> AbstractContextManager[LoopbackEndpoint]: ...


@dataclass(frozen=True)
class ExampleInput:
    """A value the example types into the panel."""

    label: str
    id: str
    value: str  # as typed; a dropdown's choice value
    shown: str  # as the panel shows it (a dropdown's choice name)
    dropdown: bool


@dataclass(frozen=True)
class ExampleRequest:
    """The HTTP request the example sends, secrets masked."""

    method: str
    url: str
    headers: tuple[tuple[str, str], ...]
    body: str | None  # JSON text, or the raw text


@dataclass(frozen=True)
class ExpressionRun:
    """A result or error expression run on the example: what the task then gives."""

    expression: str
    description: str | None
    changes: tuple[ExampleInput, ...]  # values changed from the example's for this run
    outcome: str  # JSON text of the outcome (`etk run`'s shape), volatile fields blanked


@dataclass(frozen=True)
class ExampleRun:
    """Everything the page's example section shows."""

    title: str | None
    description: str | None
    inputs: tuple[ExampleInput, ...]
    request: ExampleRequest
    result_variable: str | None
    result: str  # JSON text: the result variable's value, or every variable the task sets
    service: str  # what answered, e.g. "etk's fake Azure OpenAI service"
    result_expressions: tuple[ExpressionRun, ...]
    error_expressions: tuple[ExpressionRun, ...]
    secrets: tuple[str, ...]  # names of the connector secrets the example uses
    volatile: bool  # some fields of the result are shown as "..."
    reply: str | None  # the scripted reply of a `service: {reply: ...}`, as HTTP text


def run_documented_example(
    definition: Definition, template: Template, start_service: StartService
) -> tuple[ExampleRun | None, list[Problem]]:
    """Run the definition's example (and its docs expressions); `None` plus problems when the
    definition has no runnable example or a run fails."""
    docs = definition.docs
    if docs is None or docs.example is None:
        return None, []
    spec = docs.example
    if definition.example is None:
        return None, [Problem("error", RULE, "docs: the example needs values: add an `example:` section", spec.location)]
    values = definition.example.as_mapping()
    with _Runner(template, spec, start_service, credentials=tuple(_Runner.secrets(values).values())) as runner:
        return _run_all(definition, runner, values)


def _run_all(definition: Definition, runner: _Runner, values: dict[str, str]) -> tuple[ExampleRun | None, list[Problem]]:
    assert definition.docs is not None
    assert definition.docs.example is not None
    docs, spec = definition.docs, definition.docs.example
    try:
        request = runner.request(values)
        first = runner.run(values)
        if not isinstance(first, Completed):
            detail = json.dumps(outcome_to_json(first), ensure_ascii=False)
            return None, [Problem("error", RULE, f"docs: the example did not complete against {runner.service}: {detail}", spec.location)]
        result_variable = values.get("resultVariable")
        problems: list[Problem] = []
        variables = runner.blank(first.variables, result_variable, problems)
        result = variables[result_variable] if result_variable in variables and len(variables) == 1 else variables
        result_runs = tuple(runner.expression_run(values, item, "resultExpression") for item in docs.result_expressions)
        error_runs = tuple(runner.expression_run(values, item, "errorExpression") for item in docs.error_expressions)
    except _RunProblem as problem:
        return None, [problem.problem]
    if problems:
        return None, problems
    return (
        ExampleRun(
            title=spec.title,
            description=spec.description,
            inputs=tuple(runner.inputs(values)),
            request=request,
            result_variable=result_variable if result is not variables else None,
            result=_json(result),
            service=runner.service,
            result_expressions=result_runs,
            error_expressions=error_runs,
            secrets=tuple(runner.secrets(values)),
            volatile=bool(spec.volatile),
            reply=_reply_text(spec.service) if isinstance(spec.service, ScriptedReply) else None,
        ),
        [],
    )


class _RunProblem(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


class _Runner:
    """Runs value sets of one template against one service, started at the first run and
    stopped when the runner closes."""

    def __init__(
        self, template: Template, spec: DocsExample, start_service: StartService, *, credentials: tuple[str, ...]
    ) -> None:
        self.template = template
        self.credentials = credentials  # what the service accepts: the example's secrets
        self.spec = spec
        self.start_service = start_service
        self.service = "a loopback server"
        self.properties = [prop for prop in template.get("properties", ()) if "id" in prop]
        self._tasks: dict[tuple[tuple[str, str], ...], AppliedTask] = {}
        self._services = ExitStack()
        self._http: HttpClient | None = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._services.close()

    def http(self, host: str, tls: bool) -> HttpClient:
        """A client whose every connection goes to the service, started for the first request's
        `host` (its TLS certificate names that host)."""
        if self._http is None:
            try:
                endpoint = self._services.enter_context(
                    self.start_service(self.spec.service, host=host, credentials=self.credentials, tls=tls)
                )
            except EtkError as error:
                raise self.fail(self.spec.location, f"cannot start the example's service: {error}") from None
            self.service = endpoint.description
            self._http = self._services.enter_context(
                HttpClient(connect_to=[ConnectTo("", 0, "127.0.0.1", endpoint.port)], ca_file=endpoint.ca_file)
            )
        return self._http

    def fail(self, location: Location, message: str) -> _RunProblem:
        return _RunProblem(Problem("error", RULE, f"docs: {message}", location))

    def task(self, values: Mapping[str, str], location: Location) -> AppliedTask:
        """The task the Modeler writes for `values` (applied once per value set)."""
        key = tuple(values.items())
        if key not in self._tasks:
            try:
                self._tasks[key] = apply_template(self.template, values, element_id=ELEMENT_ID)
            except ApplyError as error:
                raise self.fail(location, f"the Modeler would not accept these example values: {error}") from None
        return self._tasks[key]

    @staticmethod
    def secrets(values: Mapping[str, str]) -> dict[str, str]:
        """A stand-in value for every secret the values use (the service accepts them)."""
        names = sorted({name for value in values.values() for name in _SECRET.findall(value)})
        return {name: f"etk-docs-example-{name.lower()}" for name in names}

    def request(self, values: Mapping[str, str]) -> ExampleRequest:
        task = self.task(values, self.spec.location)
        try:
            described = dry_run(task, {}, secrets=self.secrets(values))
        except (RuntimeUsageError, EtkError) as error:
            raise self.fail(self.spec.location, f"the example's request cannot be built: {error}") from None
        skipped = {name.lower() for name, _ in CLIENT_HEADERS}
        headers = tuple(
            (name, str(item))
            for name, value in described["headers"].items()
            if name.lower() not in skipped
            for item in (value if isinstance(value, list) else [value])
        )
        body = described["body"]
        return ExampleRequest(
            method=described["method"],
            url=described["url"],
            headers=headers,
            body=None if body is None else body if isinstance(body, str) else _json(body),
        )

    def run(self, values: Mapping[str, str], location: Location | None = None) -> Outcome:
        location = location or self.spec.location
        task = self.task(values, location)
        secrets = self.secrets(values)
        try:
            url = urlsplit(dry_run(task, {}, secrets=secrets)["url"])
        except (RuntimeUsageError, EtkError) as error:
            raise self.fail(location, f"the request cannot be built: {error}") from None
        http = self.http(url.hostname or "", url.scheme == "https")
        try:
            outcome = run_task(task, {}, secrets=secrets, http=http)
        except EtkError as error:
            raise self.fail(location, f"cannot run the example: {error}") from None
        return _mask_values(outcome, secrets)

    def blank(self, variables: Mapping[str, Any], result_variable: str | None, problems: list[Problem]) -> dict[str, Any]:
        """`variables` with the volatile fields of the response (in `result_variable`) as "..."."""
        blanked: dict[str, Any] = json.loads(json.dumps(variables))
        response = blanked.get(result_variable) if result_variable else None
        for path, location in self.spec.volatile:
            if not _blank_path(response, path.split(".")):
                where = f"the response in '{result_variable}'" if result_variable else "the example's result (set resultVariable)"
                problems.append(Problem("error", RULE, f"docs: volatile field '{path}' is not in {where}", location))
        return blanked

    def expression_run(self, values: Mapping[str, str], item: DocsExpression, header: str) -> ExpressionRun:
        changed = {**values, **{change.property: change.value for change in item.values}, header: item.expression}
        if header == "resultExpression":
            changed.pop("resultVariable", None)
        outcome = self.run(changed, item.location)
        if header == "resultExpression" and not isinstance(outcome, Completed):
            raise self.fail(item.location, f"the result expression example did not complete: {_json(outcome_to_json(outcome))}")
        if header == "errorExpression" and isinstance(outcome, Completed):
            raise self.fail(
                item.location,
                "the error expression example completed: change the example's `values` so that the request fails",
            )
        shown = outcome_to_json(outcome)
        return ExpressionRun(
            expression=item.expression,
            description=item.description,
            changes=tuple(self.inputs({change.property: change.value for change in item.values})),
            outcome=_json(shown["variables"] if isinstance(outcome, Completed) else shown),
        )

    def inputs(self, values: Mapping[str, str]) -> list[ExampleInput]:
        """The values in the panel's order, labelled as the panel labels them."""
        rows: list[tuple[int, ExampleInput]] = []
        for key, value in values.items():
            index, prop = self._property(key)
            choices = {str(choice.get("value")): str(choice.get("name")) for choice in prop.get("choices", ())}
            rows.append(
                (
                    index,
                    ExampleInput(
                        label=str(prop.get("label") or key),
                        id=str(prop.get("id", key)),
                        value=value,
                        shown=choices.get(value, value),
                        dropdown=bool(choices),
                    ),
                )
            )
        return [row for _, row in sorted(rows, key=lambda item: item[0])]

    def _property(self, key: str) -> tuple[int, Property]:
        for index, prop in enumerate(self.properties):
            if prop["id"] == key:
                return index, prop
        for index, prop in enumerate(self.properties):
            binding = prop.get("binding", {})
            if key in (binding.get("name"), binding.get("key"), binding.get("property")) and prop.get("type") != "Hidden":
                return index, prop
        return len(self.properties), {}


def _reply_text(reply: ScriptedReply) -> str:
    """A scripted reply as HTTP text: status line, headers, body."""
    lines = [f"HTTP/1.1 {reply.status} {_reason(reply.status)}".rstrip()]
    lines += [f"{name}: {value}" for name, value in reply.headers]
    if reply.body is not None:
        lines += ["", reply.body if isinstance(reply.body, str) else _json(reply.body)]
    return "\n".join(lines)


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def _blank_path(value: Any, keys: list[str]) -> bool:
    """Replace what `keys` points at in `value` by "..."; whether anything matched. `*` matches
    every list item or key; keys match case-insensitively (HTTP header names)."""
    if not keys:
        return False
    key, rest = keys[0], keys[1:]
    if isinstance(value, list):
        index = array_index(key, len(value))
        slots: list[Any] = list(range(len(value))) if key == "*" else [] if index is None else [index]
    elif isinstance(value, dict):
        slots = list(value) if key == "*" else [name for name in value if name.lower() == key.lower()]
    else:
        return False
    matched = False
    for slot in slots:
        if rest:
            matched = _blank_path(value[slot], rest) or matched
        else:
            value[slot], matched = VOLATILE, True
    return matched


def _mask_values(outcome: Outcome, secrets: Mapping[str, str]) -> Outcome:
    """The outcome with the stand-in secret values masked, should a service echo one."""
    text = json.dumps(outcome_to_json(outcome), ensure_ascii=False)
    if not any(value in text for value in secrets.values()):
        return outcome
    def masked(data: Any) -> Any:
        return json.loads(_replace_all(json.dumps(data, ensure_ascii=False), secrets.values()))

    if isinstance(outcome, Completed):
        return Completed(masked(outcome.variables))
    if isinstance(outcome, BpmnError):
        return BpmnError(outcome.code, _replace_all(outcome.message or "", secrets.values()) or None, masked(outcome.variables))
    return type(outcome)(
        message=_replace_all(outcome.message, secrets.values()),
        retries=outcome.retries,
        backoff=outcome.backoff,
        variables=masked(outcome.variables),
    )


def _replace_all(text: str, values: Any) -> str:
    for value in values:
        text = text.replace(value, "***")
    return text


def _json(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)


__all__ = [
    "ExampleInput",
    "ExampleRequest",
    "ExampleRun",
    "ExpressionRun",
    "LoopbackEndpoint",
    "StartService",
    "run_documented_example",
]
