"""The engine step: what Zeebe does with a task's variable mappings.

Input mappings (`zeebe:input`) are evaluated in document order over the process variables; each
target becomes a local variable of the task that later mappings can read. A source starting with
`=` is FEEL, any other source a string literal, and a mapping without a source maps null. A
dotted target such as `authentication.type` puts the value at that path: the job receives a
context built from the mappings only, while later mappings see the root variable merged into the
process variable of the same name (Zeebe's `context(get or else(get entries(root), []))` then
`context put`).

The job's retries come from `zeebe:taskDefinition retries`, an expression like the mappings' (a
number, or FEEL after `=`) that Zeebe evaluates over the element's variables when it creates the
job; anything but a number raises an incident.

Output mappings (`zeebe:output`) are evaluated over the process variables, the task's locals and
the job's completion variables; the result replaces the top-level process variables it names.
Without output mappings the completion variables propagate to the process, except those whose
name is a local variable of the task (an input mapping target): Zeebe sets those on the task's
own scope, so the process never sees them.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping
from datetime import datetime
from itertools import chain
from typing import Any

from generator import feel
from generator.runtime.errors import RuntimeUsageError
from generator.task import AppliedTask, InputMapping, OutputMapping

LOG = logging.getLogger("generator.runtime.engine")
DEFAULT_RETRIES = 3
_NO_VARIABLE = re.compile(r"No variable found with name '(.*)'")
_RESULT_TYPES = ((bool, "BOOLEAN"), (str, "STRING"), (list, "ARRAY"), (dict, "OBJECT"))


def evaluate_inputs(task: AppliedTask, variables: Mapping[str, Any], clock: Callable[[], datetime] | None = None) -> dict[str, Any]:
    """The task's local variables (JSON-like) after its input mappings, in mapping order."""
    scope = _feel_variables(task, variables)  # converted once; every mapping reads it as it is
    # FEEL reads a variable name with a space or a dash in an expression that names it (Camunda's
    # escaping): without such a name, each source is parsed (once, cached) as it is written
    as_written = not any(" " in name or "-" in name for name in chain(scope, (mapping.target for mapping in task.inputs)))
    local: dict[str, Any] = {}
    for mapping in task.inputs:
        value = _source_value(task, mapping, mapping.source, scope, clock, as_written)
        target = mapping.target
        if "." not in target:
            scope[target] = local[target] = value
            continue
        name, *path = target.split(".")
        root = scope.get(name)
        scope[name] = _put(root if isinstance(root, dict) else {}, path, value)
        nested = local.get(name)
        local[name] = _put(nested if isinstance(nested, dict) else {}, path, value)
    evaluated: dict[str, Any] = _as_json(task, "input mappings", local)
    return evaluated


def job_variables(process_variables: Mapping[str, Any], local_variables: Mapping[str, Any]) -> dict[str, Any]:
    """All variables a job of the task can fetch: the process variables, shadowed by the task's."""
    return {**process_variables, **local_variables}


def task_retries(task: AppliedTask, variables: Mapping[str, Any], clock: Callable[[], datetime] | None = None) -> int:
    """The retries of the task's job: `zeebe:taskDefinition retries` evaluated over the element's
    `variables` (3 when absent); a number with a fraction is truncated, as Zeebe's `longValue()`."""
    text = (task.retries or "").strip()
    if not text:
        return DEFAULT_RETRIES
    if text.startswith("="):
        what = "zeebe:taskDefinition retries"
        value = _as_json(task, what, _source_value(task, what, text, _feel_variables(task, variables), clock))
        expression = text[1:].strip()
    else:
        try:
            return int(text)
        except ValueError:
            value, expression = text, text
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return int(value)
    kind = "NULL" if value is None else next((name for python_type, name in _RESULT_TYPES if isinstance(value, python_type)), "UNKNOWN")
    raise RuntimeUsageError(
        f"{_where(task)}zeebe:taskDefinition retries: Expected result of the expression '{expression}' to be 'NUMBER', "
        f"but was '{kind}'. (Zeebe raises an incident on the element)"
    )


def apply_outputs(
    task: AppliedTask,
    completion: Mapping[str, Any],
    process_variables: Mapping[str, Any],
    local_variables: Mapping[str, Any],
    clock: Callable[[], datetime] | None = None,
) -> dict[str, Any]:
    """The variables the process receives when the job completes with `completion`."""
    if not task.outputs:
        return {name: value for name, value in completion.items() if name not in local_variables}
    scope = _feel_variables(task, {**process_variables, **local_variables, **completion})
    result: dict[str, Any] = {}
    for mapping in task.outputs:
        value = _source_value(task, mapping, mapping.source, scope, clock)
        path = mapping.target.split(".")
        scope[path[-1]] = value  # Zeebe assigns output sources to the target's last segment
        result = _put(result, path, value)
    outputs: dict[str, Any] = _as_json(task, "output mappings", result)
    return outputs


def _feel_variables(task: AppliedTask, variables: Mapping[str, Any]) -> feel.Variables:
    try:
        return feel.Variables.from_python(variables)
    except feel.FeelError as error:
        raise RuntimeUsageError(f"{_where(task)}process variables: {error}") from None


def _as_json(task: AppliedTask, what: str, value: Any) -> Any:
    """`value` as JSON-like Python; a value too large or too deep for JSON is an incident."""
    try:
        return feel.to_json(value)
    except feel.FeelError as error:
        raise RuntimeUsageError(f"{_where(task)}{what}: {error} (Zeebe raises an incident on the element)") from None


def _where(task: AppliedTask) -> str:
    return f"element {task.element_id!r}: " if task.element_id else ""


def _source_value(
    task: AppliedTask,
    what: str | InputMapping | OutputMapping,
    source: str | None,
    scope: feel.Variables,
    clock: Callable[[], datetime] | None,
    as_written: bool = False,
) -> Any:
    """The value of a mapping's source over `scope`; `as_written`: no variable name in scope
    needs FEEL's escaping, so the source is parsed as written."""
    if source is None:
        return None
    if not source.startswith("="):
        return source
    # warnings only matter to the debug log: without it, the engine need not record them
    warnings: list[feel.FeelWarning] | None = [] if LOG.isEnabledFor(logging.DEBUG) else None
    try:
        value = feel.evaluate(feel.parse(source) if as_written else source, scope, warnings=warnings, clock=clock)
    except feel.FeelSyntaxError as error:
        raise RuntimeUsageError(
            f"{_where(task)}{_describe(what)}: invalid FEEL at {error.line}:{error.column}: "
            f"{error.message} (Zeebe rejects this diagram at deployment; fix the source expression)"
        ) from None
    except feel.FeelError as error:
        raise RuntimeUsageError(
            f"{_where(task)}{_describe(what)}: evaluation failed: {error} (Zeebe raises an incident on the element)"
        ) from None
    if warnings:
        _log_warnings(what, warnings)
    return value


def _log_warnings(what: str | InputMapping | OutputMapping, warnings: list[feel.FeelWarning]) -> None:
    """The FEEL warnings of one mapping, with the names that had no value in one line: a
    template's optional fields left empty are not mapped, so a body reads many of them."""
    missing: list[str] = []
    for warning in warnings:
        unset = _NO_VARIABLE.fullmatch(warning.message) if warning.failure_type == "NO_VARIABLE_FOUND" else None
        if unset is None:
            LOG.debug("%s: FEEL warning %s: %s", _describe(what), warning.failure_type, warning.message)
        elif unset.group(1) not in missing:
            missing.append(unset.group(1))
    if missing:
        LOG.debug("%s: no value, taken as null (optional fields left empty are not mapped): %s",
                  _describe(what), ", ".join(missing))


def _describe(what: str | InputMapping | OutputMapping) -> str:
    """How messages name what was evaluated: `input mapping 'url'` (built only for a message)."""
    if isinstance(what, str):
        return what
    return f"{'input' if isinstance(what, InputMapping) else 'output'} mapping {what.target!r}"


def _put(context: dict[str, Any], path: list[str], value: Any) -> dict[str, Any]:
    """FEEL `context put(context, path, value)`: a copy with `value` at `path`, creating (or
    replacing non-context) intermediate entries."""
    result = dict(context)
    if len(path) == 1:
        result[path[0]] = value
        return result
    child = result.get(path[0])
    result[path[0]] = _put(child if isinstance(child, dict) else {}, path[1:], value)
    return result
