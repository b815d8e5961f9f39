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
from typing import Any, NamedTuple

from generator import feel
from generator.feel import ast
from generator.runtime.errors import RuntimeUsageError
from generator.task import AppliedTask, InputMapping, OutputMapping

LOG = logging.getLogger("generator.runtime.engine")
DEFAULT_RETRIES = 3
_NO_VARIABLE = re.compile(r"No variable found with name '(.*)'")
_RESULT_TYPES = ((bool, "BOOLEAN"), (str, "STRING"), (list, "ARRAY"), (dict, "OBJECT"))


def evaluate_inputs(task: AppliedTask, variables: Mapping[str, Any], clock: Callable[[], datetime] | None = None) -> dict[str, Any]:
    """The task's local variables (JSON-like) after its input mappings, in mapping order."""
    plan = _input_plan(task.inputs)
    scope = _feel_variables(task, variables)  # converted once; every mapping reads it as it is
    # FEEL reads a variable name with a space or a dash in an expression that names it (Camunda's
    # escaping): without such a name, each source means what the plan made of it
    as_written = not plan.escaped_targets and not any(" " in name or "-" in name for name in scope)
    # warnings only matter to the debug log: without it, the engine need not record them
    debug = LOG.isEnabledFor(logging.DEBUG)
    local: dict[str, Any] = {}
    for mapping, path, kind, expression, value in plan.steps:
        if kind is _LITERAL or (as_written and (kind is _FOLDED or (kind is _READ and value in scope))):
            if kind is _READ:
                value = scope[value]
        else:
            if not as_written and isinstance(expression, feel.Expression):
                expression = expression.text  # parsed again for the job's names
            value = _evaluated(task, mapping, expression, scope, clock, debug)
        if path is None:
            target = mapping.target
            scope[target] = local[target] = value
            continue
        name, rest = path
        root = scope.get(name)
        scope[name] = _put(root if isinstance(root, dict) else {}, rest, value)
        nested = local.get(name)
        local[name] = _put(nested if isinstance(nested, dict) else {}, rest, value)
    evaluated: dict[str, Any] = _as_json(task, "input mappings", local)
    return evaluated


# What an input step's `value` is: its value in every job (a literal source, or none: null); the
# value its FEEL has in every job whose variables FEEL reads as written (deterministic FEEL that
# reads only targets of earlier constant mappings, or no variable at all); the name of the only
# variable its FEEL reads; nothing (its FEEL is evaluated in each job).
_LITERAL, _FOLDED, _READ, _EVALUATED = "literal", "folded", "read", "evaluated"


class _InputStep(NamedTuple):
    """One input mapping as the plan runs it (`kind`: see above). `path`: a dotted target's root
    name and the rest of its names; `expression`: the FEEL source parsed as written (its text
    when that is no valid FEEL: evaluating it reports the error in its turn)."""

    mapping: InputMapping
    path: tuple[str, list[str]] | None
    kind: str
    expression: feel.Expression | str
    value: Any


class _InputPlan(NamedTuple):
    """A task's input mappings prepared once: what each job only has to run."""

    steps: tuple[_InputStep, ...]
    escaped_targets: bool  # a target name needs FEEL's escaping (a space or a dash)


# Plans by the identity of the task's (immutable) mappings, each entry holding the mappings it was
# made from so that their identity stays theirs while it is kept; cleared when full.
_plans: dict[int, tuple[tuple[InputMapping, ...], _InputPlan]] = {}
_PLANS_KEPT = 256


def _input_plan(inputs: tuple[InputMapping, ...]) -> _InputPlan:
    known = _plans.get(id(inputs))
    if known is not None and known[0] is inputs:
        return known[1]
    constants = feel.Variables()  # the targets so far whose value is the same in every job
    steps = []
    for mapping in inputs:
        step = _input_step(mapping, constants)
        steps.append(step)
        root = mapping.target.split(".")[0]
        if step.path is None and step.kind in (_LITERAL, _FOLDED):
            constants[root] = step.value
        else:  # a dotted target merges into the process variable of its root's name
            constants.pop(root, None)
    plan = _InputPlan(tuple(steps), any(" " in mapping.target or "-" in mapping.target for mapping in inputs))
    if len(_plans) >= _PLANS_KEPT:
        _plans.clear()
    _plans[id(inputs)] = (inputs, plan)
    return plan


def _input_step(mapping: InputMapping, constants: feel.Variables) -> _InputStep:
    name, *rest = mapping.target.split(".")
    path = (name, rest) if rest else None
    source = mapping.source
    if source is None or not source.startswith("="):
        return _InputStep(mapping, path, _LITERAL, "", source)
    try:
        expression = feel.parse(source)
    except feel.FeelSyntaxError:
        return _InputStep(mapping, path, _EVALUATED, source, None)
    if _deterministic(expression.tree):
        # its value over the constants so far is its value in every job (whose names it reads as
        # written) when it read no variable they lack: a missing one is a warning
        warnings: list[feel.FeelWarning] = []
        try:
            value = feel.evaluate(expression, constants, warnings=warnings)
        except feel.FeelError:  # it fails in every job, in its turn
            warnings.append(feel.FeelWarning("", ""))
        if not warnings:
            return _InputStep(mapping, path, _FOLDED, expression, value)
    if type(expression.tree) is ast.Name:
        return _InputStep(mapping, path, _READ, expression, expression.tree.name)
    return _InputStep(mapping, path, _EVALUATED, expression, None)


def _deterministic(tree: ast.Node) -> bool:
    """Whether FEEL `tree` gives the same value whenever the variables it reads have the same
    values: it calls only `_PURE_FUNCTIONS` and defines or invokes no function of its own."""
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionCall):
            if node.target is not None or node.name not in _PURE_FUNCTIONS:
                return False
        elif type(node) in _FUNCTION_NODES:
            return False
    return True


# Built-ins whose result depends on their arguments only (no clock, no randomness, no regular
# expression whose time budget may run out), and the nodes that define or invoke a function.
_PURE_FUNCTIONS = frozenset({
    "abs", "append", "ceiling", "concatenate", "contains", "context", "context merge", "context put", "count",
    "decimal", "distinct values", "ends with", "flatten", "floor", "get entries", "get or else", "get value",
    "index of", "insert before", "is blank", "is defined", "is empty", "list contains", "lower case", "max", "min",
    "not", "number", "put", "put all", "remove", "reverse", "starts with", "string", "string join", "string length",
    "sublist", "substring", "substring after", "substring before", "sum", "to base64", "trim", "union", "upper case",
})
_FUNCTION_NODES = frozenset({ast.FunctionDefinition, ast.Invocation})


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
) -> Any:
    """The value of a mapping's source over `scope`."""
    if source is None:
        return None
    if not source.startswith("="):
        return source
    return _evaluated(task, what, source, scope, clock, LOG.isEnabledFor(logging.DEBUG))


def _evaluated(
    task: AppliedTask,
    what: str | InputMapping | OutputMapping,
    expression: str | feel.Expression,
    scope: feel.Variables,
    clock: Callable[[], datetime] | None,
    debug: bool,
) -> Any:
    """The value of FEEL `expression` (text, parsed for `scope`'s names, or parsed already) over
    `scope`; `debug`: its warnings are logged (without the debug log they are not recorded)."""
    warnings: list[feel.FeelWarning] | None = [] if debug else None
    try:
        value = feel.evaluate(expression, scope, warnings=warnings, clock=clock)
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
