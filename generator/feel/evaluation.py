"""What compiled FEEL runs against: variable scopes, one evaluation's state (warnings, clock,
host functions, resource limits), user-defined function values, function lookup and invocation.

The compiler (`compiler.py`) turns syntax trees into closures that run against a `Scope`; this
module holds everything those closures share. Failures FEEL suppresses become null plus a
`FeelWarning` here; resource limits raise `FeelEvaluationError`.
"""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

from generator.feel import values
from generator.feel.errors import (
    FeelError,
    FeelEvaluationError,
    FeelWarning,
    SuppressedFailure,
)
from generator.feel.limits import (
    CALL_STEPS,
    CHARACTERS_PER_STEP,
    ITEMS_PER_STEP,
    LIMIT_EXCEEDED,
    MAX_CALL_DEPTH,
    MAX_LIST_LENGTH,
    MAX_STEPS,
    MAX_STRING_LENGTH,
    MAX_WARNINGS,
    REGEX_SECONDS,
    abbreviated,
    too_long,
    too_many_items,
    too_many_steps,
)

NO_VARIABLE_FOUND = "NO_VARIABLE_FOUND"
NO_FUNCTION_FOUND = "NO_FUNCTION_FOUND"
INVALID_TYPE = "INVALID_TYPE"
NOT_COMPARABLE = "NOT_COMPARABLE"
FUNCTION_INVOCATION_FAILURE = "FUNCTION_INVOCATION_FAILURE"

# Keys of the implicit input value of unary tests (feel-scala's `cellInput`) and of `?`. They are
# objects, not strings, so no FEEL name can shadow them.
INPUT = object()
QUESTION_MARK = object()
MISSING = object()


class Scope:
    """Variables visible at one point: this level's `vars`, then the enclosing levels'.
    Every scope of an evaluation shares its `evaluation`."""

    __slots__ = ("evaluation", "parent", "vars")

    def __init__(self, vars: Mapping[Any, Any], parent: Scope | None, evaluation: Evaluation) -> None:
        self.vars = vars
        self.parent = parent
        self.evaluation = evaluation

    def lookup(self, name: Any) -> Any:
        """The value of `name`, or `MISSING`."""
        scope: Scope | None = self
        while scope is not None:
            variables = scope.vars
            if name in variables:
                return variables[name]
            scope = scope.parent
        return MISSING


def _default_clock() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Evaluation:
    """The state of one evaluation; also the `CallContext` built-ins receive."""

    __slots__ = (
        "_dropped_warnings",
        "_now",
        "_recorded_warnings",
        "clock",
        "depth",
        "functions",
        "regex_seconds",
        "steps",
        "warnings",
    )

    def __init__(self, warnings: list[FeelWarning] | None,
                 functions: Mapping[str, tuple[Any, ...]],
                 clock: Callable[[], dt.datetime] | None) -> None:
        self.warnings = warnings  # None: nobody reads them, so they are not recorded
        self.functions = functions
        self.clock = clock or _default_clock
        self.steps = 0
        self.depth = 0
        self.regex_seconds = REGEX_SECONDS  # time regular expressions may still take
        self._now: dt.datetime | None = None
        self._recorded_warnings = 0
        self._dropped_warnings = 0

    # ---- CallContext ----------------------------------------------------------------------

    def now(self) -> dt.datetime:
        """The evaluation's current time (read once, so `now()` is stable within it)."""
        if self._now is None:
            now = self.clock()
            if not isinstance(now, dt.datetime) or now.tzinfo is None:
                raise FeelEvaluationError("the clock must return an aware datetime", "FATAL")
            self._now = now
        return self._now

    def call(self, function: values.FeelFunction, args: list[Any]) -> Any:
        """Invoke a function value (used by built-ins such as `sort`)."""
        return invoke_value(self, function, args, getattr(function, "name", "function"))

    def warn(self, failure_type: str, message: str) -> None:
        """Record a suppressed failure; beyond `MAX_WARNINGS` they are only counted, in one last
        warning, so a loop that fails on every item cannot fill the memory with warnings."""
        if self.warnings is None:
            return
        if self._recorded_warnings < MAX_WARNINGS:
            self._recorded_warnings += 1
            self.warnings.append(FeelWarning(failure_type, message))
            return
        self._dropped_warnings += 1
        if self._dropped_warnings == 1:
            self.warnings.append(FeelWarning(LIMIT_EXCEEDED, ""))
        self.warnings[-1] = FeelWarning(
            LIMIT_EXCEEDED, f"{self._dropped_warnings} more warnings were not recorded (at most "
                            f"{MAX_WARNINGS} are kept)")

    # ---- limits ---------------------------------------------------------------------------

    def spend(self, steps: int) -> None:
        """Account for `steps` units of work; fails the evaluation beyond `MAX_STEPS`."""
        self.steps += steps
        if self.steps > MAX_STEPS:
            raise too_many_steps()


def check_size(value: Any) -> Any:
    """Fail the evaluation for a string or list beyond the size limits; else return `value`."""
    if type(value) is str:
        if len(value) > MAX_STRING_LENGTH:
            raise too_long()
    elif type(value) is list and len(value) > MAX_LIST_LENGTH:
        raise too_many_items()
    return value




# ---- function values ------------------------------------------------------------------------

class UserFunction(values.FeelFunction):
    """A function defined in FEEL (`function(a, b) a + b`): its body runs in a scope holding the
    arguments on top of the scope the definition was evaluated in (so a context entry can call
    itself recursively and see the entries around it)."""

    __slots__ = ("body", "name", "params", "scope")

    def __init__(self, params: tuple[str, ...], body: Callable[[Scope], Any], scope: Scope) -> None:
        self.params = params
        self.body = body
        self.scope = scope
        self.name = "function"

    def invoke(self, call_context: Any, args: list[Any]) -> Any:
        evaluation = call_context if isinstance(call_context, Evaluation) else self.scope.evaluation
        evaluation.spend(CALL_STEPS)
        if evaluation.depth >= MAX_CALL_DEPTH:
            raise FeelEvaluationError(
                f"functions call each other more than {MAX_CALL_DEPTH} levels deep "
                "(unbounded recursion?)", LIMIT_EXCEEDED)
        evaluation.depth += 1
        try:
            arguments = dict(zip(self.params, args, strict=False))
            for name in self.params[len(args):]:
                arguments[name] = None
            return self.body(Scope(arguments, self.scope, evaluation))
        finally:
            evaluation.depth -= 1


# ---- built-ins and host functions -----------------------------------------------------------

def builtin_registry() -> tuple[Mapping[str, tuple[Any, ...]], Mapping[str, tuple[Any, ...]]]:
    """A2's registry: (BUILTINS, CONNECTOR_FUNCTIONS)."""
    from generator.feel.builtins import BUILTINS, CONNECTOR_FUNCTIONS

    return BUILTINS, CONNECTOR_FUNCTIONS


def fits_positional(builtin: Any, count: int) -> bool:
    """Whether a built-in overload accepts `count` positional arguments."""
    params = builtin.params
    required = sum(1 for param in params if not param.optional)
    if params and params[-1].variadic:
        # feel-scala: a function of variadic arguments only (`all`, `min`, `mode`...) needs at
        # least one, so `all()` finds no function and is null
        return count >= max(required, 1 if len(params) == 1 else 0)
    return required <= count <= len(params)


def fits_named(builtin: Any, names: frozenset[str]) -> bool:
    """Whether a built-in overload accepts arguments with these `names`."""
    params = builtin.params
    known = {param.name for param in params}
    required = {param.name for param in params if not param.optional}
    return names <= known and required <= names


def positional_from_named(builtin: Any, named: Mapping[str, Any]) -> list[Any]:
    """Named arguments in parameter order; omitted optional parameters at the end are left out
    (the impl's defaults apply), omitted ones in the middle become null."""
    args = [named.get(param.name, MISSING) for param in builtin.params]
    while args and args[-1] is MISSING:
        args.pop()
    return [None if arg is MISSING else arg for arg in args]


def pack_variadic(builtin: Any, args: list[Any]) -> list[Any]:
    """Positional arguments as the impl takes them: those for a variadic last parameter are
    collected into one list (`max(1, 2, 3)` -> `impl(call, [1, 2, 3])`)."""
    params = builtin.params
    if params and params[-1].variadic:
        fixed = len(params) - 1
        return args[:fixed] + [args[fixed:]]
    return args


def invoke_builtin(evaluation: Evaluation, builtin: Any, args: list[Any]) -> Any:
    """Call a built-in or host function with its positional arguments (variadic ones already
    packed); suppressed failures become null plus a warning."""
    return guarded_call(evaluation, builtin.name, builtin.impl, evaluation, *args)


def invoke_value(evaluation: Evaluation, function: Any, args: list[Any], name: str) -> Any:
    """Call a function value (a user function or any other `FeelFunction`)."""
    if isinstance(function, UserFunction):
        return function.invoke(evaluation, args)
    return guarded_call(evaluation, name, function.invoke, evaluation, args)


def guarded_call(evaluation: Evaluation, name: str, function: Callable[..., Any], *args: Any) -> Any:
    """`function(*args)` for the function `name`: a suppressed failure (or a host function's own
    bug) becomes null plus a warning, and a new string, list or context costs steps (memory is
    work too) and may not exceed the size limits."""
    try:
        result = function(*args)
    except SuppressedFailure as failure:
        evaluation.warn(failure.failure_type, failure.message)
        return None
    except (FeelError, RecursionError, MemoryError):
        raise
    except Exception as error:  # a host function's own bug must not escape as a traceback
        evaluation.warn(FUNCTION_INVOCATION_FAILURE, f"Failed to invoke function '{name}': "
                                                     f"{type(error).__name__}: {abbreviated(str(error))}")
        return None
    kind = type(result)
    if kind is str:
        steps = len(result) // CHARACTERS_PER_STEP
    elif kind is list or kind is dict:
        steps = len(result) // ITEMS_PER_STEP
    else:
        return result
    if steps and not any(result is arg for arg in args):  # an argument handed back costs nothing
        check_size(result)
        evaluation.spend(steps)
    return result


class _HostBuiltin:
    """A plain Python callable offered as a FEEL function (`evaluate(functions={...})`)."""

    __slots__ = ("impl", "name", "params")

    def __init__(self, name: str, function: Callable[..., Any]) -> None:
        from generator.feel.builtins.registry import Param

        params = []
        for parameter in inspect.signature(function).parameters.values():
            if parameter.kind is inspect.Parameter.VAR_POSITIONAL:
                params.append(Param(parameter.name, optional=True, variadic=True))
            elif parameter.kind in (inspect.Parameter.POSITIONAL_ONLY,
                                    inspect.Parameter.POSITIONAL_OR_KEYWORD):
                params.append(Param(parameter.name,
                                    optional=parameter.default is not inspect.Parameter.empty))
        self.name = name
        self.params = tuple(params)
        variadic = bool(params) and params[-1].variadic

        def impl(call: Any, *args: Any) -> Any:
            if variadic:  # the evaluator packs the variadic arguments into one list
                args = (*args[:-1], *args[-1])
            return values.from_python(function(*args))

        self.impl = impl


NO_FUNCTIONS: Mapping[str, tuple[Any, ...]] = MappingProxyType({})


def host_functions(functions: Mapping[str, Any] | None) -> Mapping[str, tuple[Any, ...]]:
    """Normalise `evaluate(functions=...)`: each value a `Builtin`, a sequence of `Builtin`
    overloads, or a plain Python callable (parameters from its signature)."""
    if not functions:
        return NO_FUNCTIONS
    table: dict[str, tuple[Any, ...]] = {}
    for name, function in functions.items():
        if isinstance(function, (tuple, list)):
            table[name] = tuple(function)
        elif hasattr(function, "impl") and hasattr(function, "params"):
            table[name] = (function,)
        elif callable(function):
            table[name] = (_HostBuiltin(name, function),)
        else:
            raise TypeError(f"function {name!r} is neither a Builtin nor callable: {function!r}")
    return table


def find_builtin_positional(overloads: tuple[Any, ...], count: int) -> Any | None:
    for builtin in overloads:
        if fits_positional(builtin, count):
            return builtin
    return None


def find_builtin_named(overloads: tuple[Any, ...], names: frozenset[str]) -> Any | None:
    for builtin in overloads:
        if fits_named(builtin, names):
            return builtin
    return None


def no_function(evaluation: Evaluation, name: str, detail: str) -> None:
    evaluation.warn(NO_FUNCTION_FOUND, f"No function found with name '{name}' and {detail}")


def user_function_fits(function: Any, count: int | None, names: frozenset[str] | None) -> bool:
    """Whether a function value (not a built-in) accepts the arguments of a call."""
    if not isinstance(function, values.FeelFunction):
        return False
    params = tuple(function.params)
    if names is not None:
        return names <= set(params)
    return len(params) == count
