"""The built-in function registry's building blocks: parameters, `Builtin`, the call context the
evaluator passes, and `Family`, which registers a module's functions with the one shared
argument check (argument types come from the impl's type hints)."""

from __future__ import annotations

import datetime as dt
import decimal
import inspect
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from generator.feel import values
from generator.feel.errors import SuppressedFailure
from generator.feel.limits import REGEX_SECONDS, StandaloneMeter

FUNCTION_INVOCATION_FAILURE = "FUNCTION_INVOCATION_FAILURE"


@dataclass(frozen=True)
class Param:
    """One formal parameter of a built-in."""

    name: str  # FEEL name, e.g. "start position"
    optional: bool = False
    variadic: bool = False  # last param only: collects the remaining positional args into a list


@dataclass(frozen=True)
class Builtin:
    """One overload of a built-in function; `impl(call, *args)` gets a `CallContext` first."""

    name: str
    params: tuple[Param, ...]
    impl: Callable[..., Any]


class CallContext(Protocol):
    """What the evaluator hands to every built-in."""

    regex_seconds: float  # the time regular expressions may still take (see `limits`)

    def now(self) -> dt.datetime: ...  # the injectable clock (aware datetime)

    def call(self, function: values.FeelFunction, args: list[Any]) -> Any: ...

    def warn(self, failure_type: str, message: str) -> None: ...

    def spend(self, steps: int) -> None: ...  # account for work (see `limits`)


class InvalidArgument(Exception):
    """Raised by an impl for arguments it cannot use; becomes null plus a
    FUNCTION_INVOCATION_FAILURE warning naming the function."""


def illegal(args: tuple[Any, ...] | list[Any]) -> InvalidArgument:
    """feel-scala's generic failure for arguments no case of the function matches."""
    return InvalidArgument("Illegal arguments: " + values.describe(list(args)))


def _param(spec: str) -> Param:
    """`"name"`, `"name?"` (optional) or `"*name"` (variadic) -> Param."""
    if spec.startswith("*"):
        return Param(spec[1:], optional=True, variadic=True)
    if spec.endswith("?"):
        return Param(spec[:-1], optional=True)
    return Param(spec)


def _accepted_types(hint: Any) -> tuple[type, ...] | None:
    """The classes a type hint admits (None admits everything). `None` in a union admits null."""
    if hint is Any or hint is inspect.Parameter.empty:
        return None
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        accepted: list[type] = []
        for member in typing.get_args(hint):
            member_types = _accepted_types(member)
            if member_types is None:
                return None
            accepted.extend(member_types)
        return tuple(accepted)
    if hint is None or hint is type(None):
        return (type(None),)
    origin = typing.get_origin(hint)
    return (origin,) if origin is not None else (hint,)


def _matches(value: Any, accepted: tuple[type, ...] | None) -> bool:
    if accepted is None:
        return True
    if isinstance(value, bool):  # bool is an int subclass; FEEL booleans are only booleans
        return bool in accepted
    return isinstance(value, accepted)


def _argument_types(func: Callable[..., Any]) -> list[tuple[type, ...] | None]:
    hints = typing.get_type_hints(func)
    names = list(inspect.signature(func).parameters)[1:]  # skip the call context
    return [_accepted_types(hints.get(name, Any)) for name in names]


def _unwrap_single_list(args: tuple[Any, ...]) -> tuple[Any, ...]:
    # feel-scala: a function whose only parameter is variadic takes `f([1, 2])` like `f(1, 2)`
    (items,) = args
    if isinstance(items, list) and len(items) == 1 and isinstance(items[0], list):
        return (items[0],)
    return args


class Family:
    """The built-ins of one module, in registration order."""

    def __init__(self) -> None:
        self.builtins: list[Builtin] = []

    def function(self, name: str, *specs: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """Register `func(call, *args)` as the FEEL function `name` with parameters `specs`
        and return the checked impl: arguments whose type does not match the impl's hints, and
        `InvalidArgument` raised by the impl, become `SuppressedFailure(FUNCTION_INVOCATION_FAILURE,
        ...)`."""

        def register(func: Callable[..., Any]) -> Callable[..., Any]:
            params = tuple(_param(spec) for spec in specs)
            impl = _checked(name, params, func)
            self.builtins.append(Builtin(name, params, impl))
            return impl

        return register


def _checked(name: str, params: tuple[Param, ...], func: Callable[..., Any]) -> Callable[..., Any]:
    # (position, accepted types) of the parameters whose type is checked
    checks = tuple((index, types_) for index, types_ in enumerate(_argument_types(func))
                   if types_ is not None)
    only_variadic = len(params) == 1 and params[0].variadic

    def impl(call: CallContext, *args: Any) -> Any:
        if only_variadic and len(args) == 1:
            args = _unwrap_single_list(args)
        try:
            for index, types_ in checks:
                if index < len(args) and not _matches(args[index], types_):
                    raise illegal(args)
            return func(call, *args)
        except (InvalidArgument, SuppressedFailure, decimal.DecimalException, OverflowError) as failure:
            # a failed value operation inside a built-in fails the invocation, as in feel-scala
            reason = failure if isinstance(failure, (InvalidArgument, SuppressedFailure)) else (
                "the result is out of range")
            raise SuppressedFailure(
                FUNCTION_INVOCATION_FAILURE, f"Failed to invoke function '{name}': {reason}"
            ) from None

    impl.__name__ = func.__name__
    impl.__doc__ = func.__doc__
    impl.__wrapped__ = func  # type: ignore[attr-defined]
    return impl


class StandaloneCallContext(StandaloneMeter):
    """A call context for using built-ins outside an evaluation (host code, tests): a fixed or
    real clock, function values invoked directly, warnings collected in `warnings`, its own step
    and regular-expression budgets."""

    def __init__(self, clock: Callable[[], dt.datetime] | None = None) -> None:
        super().__init__()
        self._clock = clock or (lambda: dt.datetime.now(dt.UTC))
        self.warnings: list[tuple[str, str]] = []
        self.regex_seconds = REGEX_SECONDS

    def now(self) -> dt.datetime:
        return self._clock()

    def call(self, function: values.FeelFunction, args: list[Any]) -> Any:
        return function.invoke(self, args)

    def warn(self, failure_type: str, message: str) -> None:
        self.warnings.append((failure_type, message))
