"""The built-in registry: parameter specs, the shared argument check, variadic arguments and
the registry tables the parser relies on for multi-word names."""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any

import pytest

from generator.feel.builtins import BUILTINS, CONNECTOR_FUNCTIONS, Builtin, Param
from generator.feel.builtins.registry import (
    Family,
    InvalidArgument,
    StandaloneCallContext,
)
from generator.feel.errors import SuppressedFailure

CALL = StandaloneCallContext()


def make_family() -> Family:
    family = Family()

    @family.function("pick", "list", "*rest")
    def pick(call: Any, items: list, rest: list) -> Any:
        return [items, rest]

    @family.function("only variadic", "*items")
    def only_variadic(call: Any, items: list) -> list:
        return items

    @family.function("typed", "number", "text?")
    def typed(call: Any, number: D, text: str | None = None) -> str:
        if number < 0:
            raise InvalidArgument("negative")
        return f"{number}:{text}"

    return family


def test_parameter_specs():
    family = make_family()
    assert family.builtins[0].params == (Param("list"), Param("rest", optional=True, variadic=True))
    assert family.builtins[2].params == (Param("number"), Param("text", optional=True))
    assert all(isinstance(b, Builtin) for b in family.builtins)


def test_argument_types_come_from_the_type_hints():
    typed = make_family().builtins[2].impl
    assert typed(CALL, D(1)) == "1:None"
    assert typed(CALL, D(1), "x") == "1:x"
    assert typed(CALL, D(1), None) == "1:None"
    for args in ((True,), ("1",), (None,), (D(1), D(2))):
        with pytest.raises(SuppressedFailure) as caught:
            typed(CALL, *args)
        assert caught.value.failure_type == "FUNCTION_INVOCATION_FAILURE"
        assert caught.value.message.startswith("Failed to invoke function 'typed': Illegal arguments: [")
    with pytest.raises(SuppressedFailure, match="^Failed to invoke function 'typed': negative$"):
        typed(CALL, D(-1))


def test_a_single_list_for_a_lone_variadic_parameter_is_the_argument_list():
    only = make_family().builtins[1].impl
    assert only(CALL, [[D(1), D(2)]]) == [D(1), D(2)]
    assert only(CALL, [D(1), D(2)]) == [D(1), D(2)]
    assert only(CALL, [[D(1)], [D(2)]]) == [[D(1)], [D(2)]]
    # with other parameters before it, a list argument stays one item
    assert make_family().builtins[0].impl(CALL, [D(1)], [[D(2)]]) == [[D(1)], [[D(2)]]]


def test_registry_tables():
    multi_word = {name for name in BUILTINS if " " in name}
    assert {"get or else", "string join", "is defined", "date and time", "years and months duration",
            "day of week", "last day of month", "context put", "overlaps before"} <= multi_word
    assert set(CONNECTOR_FUNCTIONS) == {"bpmnError", "jobError", "ignoreError", "backoff"}
    assert not set(CONNECTOR_FUNCTIONS) & set(BUILTINS)
    for name, overloads in {**BUILTINS, **CONNECTOR_FUNCTIONS}.items():
        for overload in overloads:
            assert overload.name == name
            variadic = [p for p in overload.params if p.variadic]
            assert not variadic or overload.params[-1].variadic
            optional = [p.optional for p in overload.params]
            assert optional == sorted(optional), f"{name}: a required parameter after an optional one"
