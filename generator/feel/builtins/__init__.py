"""FEEL's built-in function library: `BUILTINS` (name -> overloads, the single source of truth
for function names, multi-word ones included) and the connector runtime's `CONNECTOR_FUNCTIONS`.
Each family lives in its own module; `registry` holds the shared types and argument checks."""

from __future__ import annotations

from generator.feel.builtins import (
    boolean,
    camunda,
    connector,
    context,
    conversion,
    numeric,
    string,
    temporal,
)
from generator.feel.builtins import (
    list as list_family,
)
from generator.feel.builtins import (
    range as range_family,
)
from generator.feel.builtins.registry import Builtin, CallContext, Family, Param

__all__ = ["BUILTINS", "CONNECTOR_FUNCTIONS", "Builtin", "CallContext", "Param"]


def _by_name(*families: Family) -> dict[str, tuple[Builtin, ...]]:
    table: dict[str, list[Builtin]] = {}
    for family in families:
        for builtin in family.builtins:
            table.setdefault(builtin.name, []).append(builtin)
    return {name: tuple(overloads) for name, overloads in table.items()}


BUILTINS: dict[str, tuple[Builtin, ...]] = _by_name(
    conversion.FUNCTIONS, boolean.FUNCTIONS, string.FUNCTIONS, list_family.FUNCTIONS,
    numeric.FUNCTIONS, context.FUNCTIONS, range_family.FUNCTIONS, temporal.FUNCTIONS,
    camunda.FUNCTIONS,
)
CONNECTOR_FUNCTIONS: dict[str, tuple[Builtin, ...]] = _by_name(connector.FUNCTIONS)
