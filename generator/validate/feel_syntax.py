"""FEEL syntax check of template values with etk's FEEL parser (`generator.feel.parse`).

Templates repeat the same expressions across versions and properties (a connector file holds
every version of the template), so results are cached per expression text.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class FeelProblem:
    """Why an expression does not parse: the parser's message and 1-based position in it."""

    message: str
    line: int
    column: int


@functools.cache
def feel_parser() -> Callable[[str], Any] | None:
    """`generator.feel.parse`, or None while the FEEL package does not provide it yet."""
    try:
        return importlib.import_module("generator.feel").parse
    except (ImportError, AttributeError):
        return None


def available() -> bool:
    """True when FEEL values can be checked."""
    return feel_parser() is not None


@functools.lru_cache(maxsize=16384)
def syntax_problem(expression: str) -> FeelProblem | None:
    """None when `expression` (without the leading `=`) parses, else what is wrong."""
    parse = feel_parser()
    if parse is None:
        return None
    from generator.feel.errors import FeelSyntaxError

    try:
        parse(expression)
    except FeelSyntaxError as problem:
        return FeelProblem(problem.message, problem.line, problem.column)
    return None
