"""etk's FEEL engine: parse and evaluate FEEL expressions the way Camunda 8 (feel-scala) does.

    >>> from generator.feel import evaluate, to_json
    >>> to_json(evaluate('"Bearer " + token', {"token": "abc"}))
    'Bearer abc'

Public API: `parse`, `parse_unary_tests`, `evaluate`, `evaluate_unary_tests`, `Expression`,
`to_json` / `from_python` (FEEL <-> JSON-like Python values), `Variables` (variables converted
once for several evaluations), `CONNECTOR_FUNCTIONS` (the connector runtime's `bpmnError`,
`jobError`, ... to pass as `functions=`), and the error types.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from generator.feel.errors import (
    FeelError,
    FeelEvaluationError,
    FeelSyntaxError,
    FeelWarning,
    SuppressedFailure,
)
from generator.feel.parsing import Expression, clear_parse_cache, parse, parse_unary_tests

if TYPE_CHECKING:  # loaded on first use below; named here so type checkers know them
    from generator.feel.api import Variables, evaluate, evaluate_unary_tests
    from generator.feel.builtins import BUILTINS, CONNECTOR_FUNCTIONS
    from generator.feel.values import from_python, to_json

# The evaluation side (compiler, values, built-ins) loads on first use, so that a caller that only
# parses (`etk validate`'s syntax checks) does not pay for importing it.
_LAZY = {
    "Variables": "generator.feel.api", "evaluate": "generator.feel.api",
    "evaluate_unary_tests": "generator.feel.api", "from_python": "generator.feel.values",
    "to_json": "generator.feel.values", "BUILTINS": "generator.feel.builtins",
    "CONNECTOR_FUNCTIONS": "generator.feel.builtins",
}


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'generator.feel' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # found directly from now on
    return value


__all__ = [
    "BUILTINS", "CONNECTOR_FUNCTIONS", "Expression", "FeelError", "FeelEvaluationError",
    "FeelSyntaxError", "FeelWarning", "SuppressedFailure", "Variables", "clear_parse_cache", "evaluate",
    "evaluate_unary_tests", "from_python", "parse", "parse_unary_tests", "to_json",
]
