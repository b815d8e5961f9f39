"""The etk runtime: runs what an element template describes, as Camunda 8 would.

Steps, one module each: `engine` (Zeebe's input/output mappings), `secrets` (providers,
substitution, masking), `rest` (the REST connector: binding, request, authentication, response,
HTTP), `outcome` (result/error expressions, job commands), `runner` (the steps in order, the retry
loop, the dry run). The public API:

    with HttpClient() as http:
        outcome = run_task(task, {"x": 1}, secrets={"TOKEN": "..."}, http=http)
    attempts = run_until_done(task, variables, secrets=..., clock=ManualClock())
    request = dry_run(task, variables, secrets=...)
"""

from __future__ import annotations

from generator.runtime.clock import Clock, ManualClock, SystemClock
from generator.runtime.durations import DurationParseError, format_java_duration, parse_java_duration
from generator.runtime.errors import ConnectorError, ConnectorInputError, RuntimeUsageError
from generator.runtime.masking import SecretMask
from generator.runtime.outcome import BpmnError, Completed, Failed, Outcome, outcome_to_json
from generator.runtime.rest import (
    FETCH_VARIABLES,
    JOB_TYPE,
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
    "run_task",
    "run_until_done",
]
