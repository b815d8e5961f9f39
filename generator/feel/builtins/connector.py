"""The connector runtime's FEEL functions for result and error expressions: `bpmnError`,
`jobError`, `ignoreError` and `backoff`, with the shapes and defaults of the Camunda connector
runtime (`connector-feel`)."""

from __future__ import annotations

import math
import random
from decimal import Decimal
from typing import Any

from generator.feel import values
from generator.feel.builtins.registry import Family, InvalidArgument
from generator.feel.temporal import DayTimeDuration

FUNCTIONS = Family()
function = FUNCTIONS.function

ERROR_TYPE = "errorType"


def _bpmn_error(call: Any, code: str, message: str | None = None,
               variables: dict[str, Any] | None = None) -> dict[str, Any]:
    """`{errorType: "bpmnError", errorCode, errorMessage[, variables]}`; keys that were not
    passed are absent, as in the runtime."""
    error: dict[str, Any] = {ERROR_TYPE: "bpmnError", "errorCode": code}
    if message is not None:
        error["errorMessage"] = message
    if variables is not None:
        error["variables"] = variables
    return error


# the current parameter names, then the ones before connectors commit 5b2764b6fa (code/message),
# which older templates may still use as named arguments
for _names in (("errorCode", "errorMessage"), ("code", "message")):
    function("bpmnError", _names[0])(_bpmn_error)
    function("bpmnError", *_names)(_bpmn_error)
    function("bpmnError", *_names, "variables")(_bpmn_error)


@function("jobError", "errorMessage", "variables?", "retries?", "retryBackoff?")
def job_error(call: Any, message: str, variables: dict[str, Any] | None = None,
              retries: Decimal | None = None, backoff: DayTimeDuration | None = None) -> dict[str, Any]:
    """`{errorType: "jobError", errorMessage, variables: {}, retries: 0, retryBackoff: PT0S}`."""
    return {ERROR_TYPE: "jobError", "errorMessage": message,
            "variables": {} if variables is None else variables,
            "retries": Decimal(0) if retries is None else retries,
            "retryBackoff": DayTimeDuration(0) if backoff is None else backoff}


@function("ignoreError", "variables?")
def ignore_error(call: Any, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    """`{errorType: "ignoreError"[, variables]}`: complete the job despite the error."""
    error: dict[str, Any] = {ERROR_TYPE: "ignoreError"}
    if variables is not None:
        error["variables"] = variables
    return error


_MILLI = 1_000_000  # nanoseconds
_MIN_DELAY = DayTimeDuration(50 * _MILLI)
_FACTOR = Decimal("1.6")
_MAX_DELAY = DayTimeDuration(5000 * _MILLI)
_JITTER_FACTOR = Decimal("0.1")


def _backoff(call: Any, attempt: Decimal, min_delay: DayTimeDuration = _MIN_DELAY,
            factor: Decimal = _FACTOR, max_delay: DayTimeDuration = _MAX_DELAY,
            jitter_factor: Decimal = _JITTER_FACTOR) -> DayTimeDuration:
    """Exponential backoff for `jobError(..., retryBackoff)`: minDelay * factor^(attempt-1),
    clamped to [minDelay, maxDelay], plus or minus a random jitter of jitterFactor."""
    tries = values.int_value(attempt)
    low, high = min_delay.millis, max_delay.millis
    if tries < 1:
        raise InvalidArgument(f"backoff(): 'attempt' must be >= 1, but was {tries}")
    if factor <= 0:
        raise InvalidArgument(f"backoff(): 'factor' must be > 0, but was {factor}")
    if low > high:
        raise InvalidArgument(f"backoff(): 'minDelay' must be <= 'maxDelay', but {low}ms > {high}ms")
    if jitter_factor < 0:
        raise InvalidArgument(f"backoff(): 'jitterFactor' must be >= 0, but was {jitter_factor}")
    try:
        raw = low * math.pow(float(factor), tries - 1)
    except OverflowError:
        raw = math.inf
    delay = max(low, min(high, raw))
    spread = float(jitter_factor) * delay
    jitter = random.uniform(-spread, spread) if spread else 0.0
    if not math.isfinite(delay + jitter):  # a jitter factor beyond a double
        raise InvalidArgument(f"backoff(): 'jitterFactor' {jitter_factor} is out of range")
    return DayTimeDuration(math.floor(delay + jitter + 0.5) * _MILLI)  # Java's Math.round


_BACKOFF_PARAMS = ("attempt", "minDelay", "factor", "maxDelay", "jitterFactor")
for _count in (1, 3, 4, 5):  # the runtime has no two-argument form
    function("backoff", *_BACKOFF_PARAMS[:_count])(_backoff)
