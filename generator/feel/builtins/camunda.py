"""Camunda's conversion extensions: `from json`, `to json`. (Its other extensions live with
their families: `assert` in boolean, `context put/merge` in context, `string join`,
`duplicate values`, `partition`, `is empty` in list, `uuid`, `to base64`, `is blank` in string,
`last day of month` in temporal, `random number` in numeric.)"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from generator.feel import temporal, values
from generator.feel.builtins.registry import Family, InvalidArgument
from generator.feel.temporal import DayTimeDuration, FeelTime, YearMonthDuration

FUNCTIONS = Family()
function = FUNCTIONS.function


def _reject_constant(name: str) -> Any:
    raise ValueError(f"'{name}' is not JSON")


@function("from json", "value")
def from_json(call: Any, text: str) -> Any:
    """Parse JSON text into FEEL values (strings stay strings, even ISO dates)."""
    try:
        return json.loads(text, parse_float=values.DECIMAL.create_decimal,
                          parse_int=Decimal, parse_constant=_reject_constant)
    except (ValueError, RecursionError) as error:
        raise InvalidArgument(f"failed to parse JSON from '{text}': {error}") from None


def _json_text(value: Any) -> str:
    if value is None or isinstance(value, bool):
        return json.dumps(value)
    if isinstance(value, Decimal):
        return str(value)  # Jackson writes BigDecimal.toString()
    if isinstance(value, list):
        return "[" + ",".join(_json_text(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ",".join(f"{json.dumps(key, ensure_ascii=False)}:{_json_text(item)}"
                              for key, item in value.items()) + "}"
    return json.dumps(_temporal_text(value), ensure_ascii=False)


def _temporal_text(value: Any) -> str:
    """The ISO text feel-scala's `to json` writes for non-JSON values."""
    if isinstance(value, dt.datetime):
        return temporal.iso_date_time(value, with_zone_id=True)
    if isinstance(value, dt.date):
        return temporal.format_date(value)
    if isinstance(value, FeelTime):
        return temporal.iso_time(value)
    if isinstance(value, DayTimeDuration):
        return temporal.iso_day_time_duration(value)
    if isinstance(value, YearMonthDuration):
        return temporal.iso_year_month_duration(value)
    return values.to_string(value)


@function("to json", "value")
def to_json(call: Any, value: Any) -> str:
    """Compact JSON text of a value: `to json({a: [1, "x"]})` = `{"a":[1,"x"]}`."""
    return _json_text(value)
