"""The etk runtime: runs what an element template describes, as Camunda 8 would.

Steps, one module each: `engine` (Zeebe's input/output mappings), `secrets` (providers,
substitution, masking), `rest` (the REST connector: binding, request, authentication, response,
HTTP), `outcome` (result/error expressions, job commands), `runner` (the steps in order as flows
without I/O, the retry loop, the dry run, the sync driver), `asynchronous` (the same flows on
asyncio). The public API:

    with HttpClient() as http:
        outcome = run_task(task, {"x": 1}, secrets={"TOKEN": "..."}, http=http)
    attempts = run_until_done(task, variables, secrets=..., clock=ManualClock())
    request = dry_run(task, variables, secrets=...)
    async with AsyncHttpClient() as http:
        outcome = await run_task_async(task, {"x": 1}, secrets=..., http=http)
        outcomes = await run_tasks_async(task, [{"x": 1}, {"x": 2}], concurrency=8, http=http)
"""

from __future__ import annotations

from generator.runtime.asynchronous import run_job_async, run_task_async, run_tasks_async, run_until_done_async
from generator.runtime.clock import Clock, ManualClock, SystemClock
from generator.runtime.durations import DurationParseError, format_java_duration, parse_java_duration
from generator.runtime.errors import ConnectorError, ConnectorInputError, RuntimeUsageError
from generator.runtime.masking import SecretMask
from generator.runtime.outcome import BpmnError, Completed, Failed, Outcome, outcome_to_json
from generator.runtime.rest import (
    FETCH_VARIABLES,
    JOB_TYPE,
    AsyncConnectToTransport,
    AsyncHttpClient,
    ConnectTo,
    ConnectToTransport,
    HttpClient,
    TransferLimits,
    make_ssl_context,
)
from generator.runtime.runner import Attempts, Job, dry_run, run_job, run_task, run_until_done
from generator.runtime.secrets import ChainedSecrets, EnvironmentSecrets, MappingSecrets, SecretProvider, load_secrets_file

__all__ = [
    "FETCH_VARIABLES",
    "JOB_TYPE",
    "AsyncConnectToTransport",
    "AsyncHttpClient",
    "Attempts",
    "BpmnError",
    "ChainedSecrets",
    "Clock",
    "Completed",
    "ConnectTo",
    "ConnectToTransport",
    "ConnectorError",
    "ConnectorInputError",
    "DurationParseError",
    "EnvironmentSecrets",
    "Failed",
    "HttpClient",
    "Job",
    "ManualClock",
    "MappingSecrets",
    "Outcome",
    "RuntimeUsageError",
    "SecretMask",
    "SecretProvider",
    "SystemClock",
    "TransferLimits",
    "dry_run",
    "format_java_duration",
    "load_secrets_file",
    "make_ssl_context",
    "outcome_to_json",
    "parse_java_duration",
    "run_job",
    "run_job_async",
    "run_task",
    "run_task_async",
    "run_tasks_async",
    "run_until_done",
    "run_until_done_async",
]
