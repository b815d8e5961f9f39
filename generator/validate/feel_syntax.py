"""FEEL syntax check of template values with etk's FEEL parser (`generator.feel.parse`).

Templates repeat the same expressions across versions and properties (a connector file holds
every version of the template), so results are cached per expression text.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from generator.feel import FeelSyntaxError, parse


@dataclass(frozen=True)
class FeelProblem:
    """Why an expression does not parse: the parser's message and 1-based position in it."""

    message: str
    line: int
    column: int


@functools.lru_cache(maxsize=16384)
def syntax_problem(expression: str) -> FeelProblem | None:
    """None when `expression` parses as FEEL (one leading `=` is the FEEL marker and ignored),
    else what is wrong, with line and column in `expression`."""
    try:
        parse(expression)
    except FeelSyntaxError as problem:
        return FeelProblem(problem.message, problem.line, problem.column)
    except RecursionError:
        return FeelProblem("the expression is nested too deeply to parse", 1, 1)
    return None
