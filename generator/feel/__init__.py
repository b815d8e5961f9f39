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

from typing import TYPE_CHECKING

from generator.feel.api import (
    Expression,
    Variables,
    clear_parse_cache,
    evaluate,
    evaluate_unary_tests,
    parse,
    parse_unary_tests,
)
from generator.feel.errors import (
    FeelError,
    FeelEvaluationError,
    FeelSyntaxError,
    FeelWarning,
    SuppressedFailure,
)
from generator.feel.values import from_python, to_json

if TYPE_CHECKING:  # loaded lazily below; named here so type checkers know them
    from generator.feel.builtins import BUILTINS, CONNECTOR_FUNCTIONS


def __getattr__(name: str) -> object:
    # The built-in registry loads lazily: importing the engine stays cheap for callers that only
    # parse (the validator) and independent of the library's import order.
    if name in ("CONNECTOR_FUNCTIONS", "BUILTINS"):
        from generator.feel import builtins

        return getattr(builtins, name)
    raise AttributeError(f"module 'generator.feel' has no attribute {name!r}")


__all__ = [
    "BUILTINS", "CONNECTOR_FUNCTIONS", "Expression", "FeelError", "FeelEvaluationError",
    "FeelSyntaxError", "FeelWarning", "SuppressedFailure", "Variables", "clear_parse_cache", "evaluate",
    "evaluate_unary_tests", "from_python", "parse", "parse_unary_tests", "to_json",
]
