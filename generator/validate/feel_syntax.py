"""FEEL syntax check of template values with etk's FEEL parser (`generator.feel.parse`).

Templates repeat the same expressions across versions and properties (a connector file holds
every version of the template), so results are cached per expression text.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from generator.feel import FeelSyntaxError, parse
from generator.problems import Location, Problem


def feel_value(prop: Mapping[str, Any]) -> str | None:
    """The property's value when the Modeler writes it as FEEL: it starts with "=", or the
    property is `feel: required` (the "=" is then prepended); else None."""
    value = prop.get("value")
    if isinstance(value, str) and (value.startswith("=") or (prop.get("feel") == "required" and value)):
        return value
    return None


@functools.lru_cache(maxsize=16384)
def syntax_problem(expression: str) -> Problem | None:
    """None when `expression` parses as FEEL (one leading `=` is the FEEL marker and ignored),
    else what is wrong, located at line and column in `expression`."""
    try:
        parse(expression)
    except FeelSyntaxError as error:
        return error.problem
    except RecursionError:
        return Problem("error", "feel-syntax", "the expression is nested too deeply to parse", Location(line=1, column=1))
    return None
