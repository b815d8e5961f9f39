"""Regular expressions that accept exactly the numbers of a range, for the panel's `pattern` constraint.

The properties panel can only check text against a pattern, so `minimum`/`maximum` of an API
parameter become a regex: `integer_range(1, 128)` accepts `1` ... `128`, `decimal_range(0, 2)`
accepts `0`, `1.5`, `2.0` but not `2.1`. Bounds must be whole numbers (other bounds get no pattern;
the tooltip still says the range). The expressions are plain enough for both JavaScript (the
Modeler) and Python (etk apply).
"""

from __future__ import annotations


def _digits_range(low: int, high: int) -> list[str]:
    """Alternatives matching the decimal forms of every integer in [low, high] (0 <= low <= high)."""
    if low > high:
        return []
    low_text, high_text = str(low), str(high)
    if len(low_text) < len(high_text):
        return _digits_range(low, 10 ** len(low_text) - 1) + _digits_range(10 ** len(low_text), high)
    return _same_length(low_text, high_text)


def _same_length(low: str, high: str) -> list[str]:
    """Alternatives for integers written with the same number of digits, from `low` to `high`."""
    if not low:
        return [""]
    if low[0] == high[0]:
        return [low[0] + rest for rest in _same_length(low[1:], high[1:])]
    tail = len(low) - 1
    any_tail = r"\d" * tail if tail < 3 else rf"\d{{{tail}}}"
    parts: list[str] = []
    low_rest_is_zero = set(low[1:]) <= {"0"}
    high_rest_is_nine = set(high[1:]) <= {"9"}
    first_full = int(low[0]) + (0 if low_rest_is_zero else 1)
    last_full = int(high[0]) - (0 if high_rest_is_nine else 1)
    if not low_rest_is_zero:
        parts += [low[0] + rest for rest in _same_length(low[1:], "9" * tail)]
    if first_full <= last_full:
        digit = str(first_full) if first_full == last_full else f"[{first_full}-{last_full}]"
        parts.append(digit + any_tail)
    if not high_rest_is_nine:
        parts += [high[0] + rest for rest in _same_length("0" * tail, high[1:])]
    return parts


def _non_negative(low: int, high: int | None) -> list[str]:
    """Alternatives for the integers from `low` (>= 0) to `high` (None: unbounded)."""
    if high is None:
        width = len(str(low))
        return _digits_range(low, 10**width - 1) + [rf"[1-9]\d{{{width},}}"]
    return _digits_range(low, high)


def _alternation(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else "(" + "|".join(parts) + ")"


def integer_alternatives(low: int | None, high: int | None) -> list[str]:
    """Alternatives (without anchors) for the integers in [low, high]; None bounds are open."""
    parts: list[str] = []
    if low is None or low < 0:
        # negative numbers -n with n from max(1, -high) to -low
        negative_low = 1 if high is None or high >= 0 else -high
        negative_high = None if low is None else -low
        parts += ["-" + _alternation(_non_negative(negative_low, negative_high))]
    if high is None or high >= 0:
        parts += _non_negative(max(low or 0, 0), high)
    return parts


def integer_range(low: int | None, high: int | None) -> str:
    """A full-match pattern for whole numbers in [low, high]; the empty text is accepted too."""
    return "^(" + "|".join(integer_alternatives(low, high)) + ")?$"


def decimal_range(low: int, high: int) -> str:
    """A full-match pattern for decimal numbers in [low, high] (whole-number bounds); empty accepted."""
    fraction = r"(\.\d+)?"
    zeros = r"(\.0+)?"
    parts: list[str] = []
    if low < 0:
        # -x.f in [low, high]  <=>  x.f in [-high, -low]: x from max(0, -high) to -low-1 with any
        # fraction, or x = -low exactly
        first = max(0, -high)
        below = integer_alternatives(first, -low - 1) if -low - 1 >= first else []
        if below:
            parts.append("-" + _alternation(below) + fraction)
        parts.append(f"-{-low}{zeros}")
    if high >= 0:
        start = max(low, 0)
        whole = integer_alternatives(start, high - 1) if high - 1 >= start else []
        if whole:
            parts.append(_alternation(whole) + fraction)
        parts.append(f"{high}{zeros}")
    return "^(" + "|".join(parts) + ")?$"
