"""Template values as the Modeler (JavaScript) sees them: FEEL casting, truthiness, text form.

The Modeler computes property values in JavaScript, so a default may be a string, a boolean or
a number, and whether it is written depends on JavaScript truthiness (`0` and `false` are
falsy, `"0"` is not). Values here are therefore `JsValue`s (`str | bool | int | float | None`,
None standing for `undefined`) until they are written as XML attribute text by `js_string`.
"""

from __future__ import annotations

import math
import re
import uuid
from collections.abc import Callable
from decimal import Decimal

from generator.element_template import Property

JsValue = str | bool | int | float | None

# Bindings whose Boolean/Number values are FEEL by default (`feel: static`), schema 0.22.3.
ALWAYS_CAST_BINDINGS = ("zeebe:input", "zeebe:output")


def feel_mode(prop: Property) -> str | None:
    """The property's effective `feel` mode; inputs and outputs default to `static`."""
    if prop["binding"]["type"] in ALWAYS_CAST_BINDINGS:
        return prop.get("feel") or "static"
    return prop.get("feel")


def should_cast_to_feel(prop: Property) -> bool:
    """Whether the Modeler persists the property's value as a FEEL expression (`=...`)."""
    mode = feel_mode(prop)
    if mode == "required":
        return True
    return mode in ("optional", "static") and prop.get("type") in ("Boolean", "Number")


def to_feel_expression(value: JsValue, prop_type: str | None) -> JsValue:
    """The FEEL form of `value`: `=` prefixed; Booleans become `=true`/`=false`."""
    if isinstance(value, str) and value.startswith("="):
        return value
    if prop_type == "Boolean":
        if value == "false":
            value = False
        return "=" + ("true" if js_truthy(value) else "false")
    if value is None:
        return None
    return "=" + js_string(value)


def from_feel_expression(value: JsValue, prop_type: str | None) -> JsValue:
    """Undo `to_feel_expression` for comparisons: `=42` -> 42 (Number), `=true` -> True."""
    if value is None:
        return None
    if isinstance(value, str) and value.startswith("="):
        value = value[1:]
    if prop_type == "Number":
        return js_number(value)
    if prop_type == "Boolean":
        return value != "false"
    return value


def default_fixed_value(prop: Property) -> JsValue:
    """The value the Modeler writes for `prop` by default, disregarding generated values."""
    value = prop.get("value")
    if should_cast_to_feel(prop) or prop.get("feel") == "required":
        return to_feel_expression(value, prop.get("type"))
    return value


def default_value(prop: Property, new_uuid: Callable[[], str] | None = None) -> JsValue:
    """`default_fixed_value`, or a fresh UUID for `generatedValue: {type: uuid}` properties."""
    value = default_fixed_value(prop)
    if value is not None:
        return value
    generated = prop.get("generatedValue")
    if isinstance(generated, dict) and generated.get("type") == "uuid":
        return (new_uuid or (lambda: str(uuid.uuid4())))()
    return None


def js_truthy(value: JsValue) -> bool:
    """JavaScript truthiness: `""`, `0`, `NaN`, `false` and undefined are falsy."""
    if value is None or value is False or value == "":
        return False
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value != 0 and not math.isnan(value)
    return True


def js_strict_equals(left: JsValue, right: JsValue) -> bool:
    """JavaScript `===`: no conversion between strings, numbers and booleans."""
    if isinstance(left, bool) or isinstance(right, bool):
        return isinstance(left, bool) and isinstance(right, bool) and left == right
    if isinstance(left, (int, float)) and isinstance(right, (int, float)):
        return left == right
    return type(left) is type(right) and left == right


def js_number(value: JsValue) -> float:
    """JavaScript `Number(value)` for the values templates and XML hold (NaN when not numeric)."""
    if value is None:
        return math.nan
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, (int, float)):
        return float(value)
    text = value.strip()
    if text == "":
        return 0.0
    try:
        if re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", text):
            return float(text)
        if re.fullmatch(r"0[xX][0-9a-fA-F]+", text):
            return float(int(text, 16))
        if text in ("Infinity", "+Infinity"):
            return math.inf
        if text == "-Infinity":
            return -math.inf
    except (ValueError, OverflowError):
        pass
    return math.nan


def js_string(value: JsValue) -> str:
    """`String(value)` as JavaScript writes it (`true`, `42`, `0.7`, `1e-7`)."""
    if value is None:
        return "undefined"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _js_number_string(value)
    return value


def _js_number_string(number: float) -> str:
    """ECMAScript Number::toString (radix 10) from Python's shortest round-trip digits."""
    if math.isnan(number):
        return "NaN"
    if math.isinf(number):
        return "Infinity" if number > 0 else "-Infinity"
    if number == 0:
        return "0"
    sign = "-" if number < 0 else ""
    digits_tuple = Decimal(repr(abs(number))).normalize().as_tuple()
    digits = "".join(str(d) for d in digits_tuple.digits)
    assert isinstance(digits_tuple.exponent, int)  # a finite number
    k = len(digits)
    n = digits_tuple.exponent + k  # the decimal point sits after n digits
    if k <= n <= 21:
        return sign + digits + "0" * (n - k)
    if 0 < n <= 21:
        return sign + digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return sign + "0." + "0" * (-n) + digits
    exponent = n - 1
    mantissa = digits[0] + ("." + digits[1:] if k > 1 else "")
    return f"{sign}{mantissa}e{'+' if exponent >= 0 else '-'}{abs(exponent)}"
