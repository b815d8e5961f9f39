"""The engine step: what Zeebe does with a task's variable mappings.

Input mappings (`zeebe:input`) are evaluated in document order over the process variables; each
target becomes a local variable of the task that later mappings can read. A source starting with
`=` is FEEL, any other source a string literal, and a mapping without a source maps null. A
dotted target such as `authentication.type` puts the value at that path: the job receives a
context built from the mappings only, while later mappings see the root variable merged into the
process variable of the same name (Zeebe's `context(get or else(get entries(root), []))` then
`context put`).

Output mappings (`zeebe:output`) are evaluated over the process variables, the task's locals and
the job's completion variables; the result replaces the top-level process variables it names.
Without output mappings the completion variables propagate to the process, except those whose
name is a local variable of the task (an input mapping target): Zeebe sets those on the task's
own scope, so the process never sees them.
"""

from __future__ import annotations

import logging
import re
from collections import OrderedDict
from collections.abc import Callable, Mapping
from datetime import datetime
from functools import lru_cache
from typing import Any

from generator import feel
from generator.apply.model import AppliedTask, InputMapping, OutputMapping
from generator.runtime.errors import RuntimeUsageError

LOG = logging.getLogger("generator.runtime.engine")


def evaluate_inputs(task: AppliedTask, variables: Mapping[str, Any], clock: Callable[[], datetime] | None = None) -> dict[str, Any]:
    """The task's local variables (JSON-like) after its input mappings, in mapping order."""
    scope = {name: feel.from_python(value) for name, value in variables.items()}
    local: dict[str, Any] = {}
    for mapping in task.inputs:
        value = _source_value(task, mapping, mapping.source, scope, clock)
        path = mapping.target.split(".")
        if len(path) == 1:
            scope[mapping.target] = value
        else:
            root = scope.get(path[0])
            scope[path[0]] = _put(dict(root) if isinstance(root, dict) else {}, path[1:], value)
        local = _put(local, path, value)
    return feel.to_json(local)


def job_variables(process_variables: Mapping[str, Any], local_variables: Mapping[str, Any]) -> dict[str, Any]:
    """All variables a job of the task can fetch: the process variables, shadowed by the task's."""
    return {**process_variables, **local_variables}


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
    scope = {
        name: feel.from_python(value)
        for name, value in {**process_variables, **local_variables, **completion}.items()
    }
    result: dict[str, Any] = {}
    for mapping in task.outputs:
        value = _source_value(task, mapping, mapping.source, scope, clock)
        path = mapping.target.split(".")
        scope[path[-1]] = value  # Zeebe assigns output sources to the target's last segment
        result = _put(result, path, value)
    return feel.to_json(result)


def _source_value(
    task: AppliedTask,
    mapping: InputMapping | OutputMapping,
    source: str | None,
    scope: dict[str, Any],
    clock: Callable[[], datetime] | None,
) -> Any:
    if source is None:
        return None
    if not source.startswith("="):
        return source
    kind = "input" if isinstance(mapping, InputMapping) else "output"
    where = f"element {task.element_id!r}: " if task.element_id else ""
    key = _memo_key(source, scope)
    if key is not None and key in _MEMO:
        _MEMO.move_to_end(key)
        value, warnings = _MEMO[key]
        _log_warnings(kind, mapping.target, warnings)
        return value
    warnings: list[feel.FeelWarning] = []
    try:
        value = feel.evaluate(source, scope, warnings=warnings, clock=clock)
    except feel.FeelSyntaxError as error:
        raise RuntimeUsageError(
            f"{where}{kind} mapping {mapping.target!r}: invalid FEEL at {error.line}:{error.column}: "
            f"{error.message} (Zeebe rejects this diagram at deployment; fix the source expression)"
        ) from None
    except feel.FeelError as error:
        raise RuntimeUsageError(
            f"{where}{kind} mapping {mapping.target!r}: evaluation failed: {error} "
            "(Zeebe raises an incident on the element)"
        ) from None
    _log_warnings(kind, mapping.target, warnings)
    if key is not None:
        _MEMO[key] = (value, tuple(warnings))
        if len(_MEMO) > _MEMO_SIZE:
            _MEMO.popitem(last=False)
    return value


def _log_warnings(kind: str, target: str, warnings: Any) -> None:
    if warnings and LOG.isEnabledFor(logging.DEBUG):
        for warning in warnings:
            LOG.debug("%s mapping %s: FEEL warning %s: %s", kind, target, warning.failure_type, warning.message)


# Results of pure mapping expressions, by source and the values of the variables it can read.
# A task's mappings mostly read values that are the same for every job of the task (the
# template's own fields), so most evaluations repeat. An expression is pure unless it names a
# clock or random function; it can read only variables whose names are words of its source
# (backtick names excepted: such sources are never memoised).
_MEMO: OrderedDict[tuple[str, tuple[tuple[str, str], ...]], tuple[Any, tuple[Any, ...]]] = OrderedDict()
_MEMO_SIZE = 1024
_MEMO_KEY_LIMIT = 4096  # characters of variable text; larger inputs are evaluated every time
_IMPURE_WORDS = frozenset({"now", "today", "random", "uuid"})
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@lru_cache(maxsize=4096)
def _words(source: str) -> frozenset[str] | None:
    """The identifier-like words of `source`, or None when it must not be memoised."""
    words = frozenset(_WORD.findall(source))
    return None if "`" in source or words & _IMPURE_WORDS else words


def _memo_key(source: str, scope: dict[str, Any]) -> tuple[str, tuple[tuple[str, str], ...]] | None:
    words = _words(source)
    if words is None:
        return None
    values = tuple(sorted((name, repr(scope[name])) for name in words if name in scope))
    if sum(len(text) for _, text in values) > _MEMO_KEY_LIMIT:
        return None
    return (source, values)


def clear_evaluation_cache() -> None:
    """Forget memoised mapping results (benchmarks measure evaluation without them)."""
    _MEMO.clear()


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
