"""Camunda's conversion extensions: `from json`, `to json`. (Its other extensions live with
their families: `assert` in boolean, `context put/merge` in context, `string join`,
`duplicate values`, `partition`, `is empty` in list, `uuid`, `to base64`, `is blank` in string,
`last day of month` in temporal, `random number` in numeric.)"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from generator.feel import temporal, values
from generator.feel.builtins.registry import Family, InvalidArgument
from generator.feel.dates import FeelDate, FeelDateTime
from generator.feel.limits import MAX_STRING_LENGTH, abbreviated, too_long
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
        raise InvalidArgument(
            f"failed to parse JSON from '{abbreviated(text)}': {abbreviated(str(error))}") from None


def _write_json(text: values.TextBuilder, value: Any) -> None:
    if value is None or isinstance(value, bool):
        text.add(json.dumps(value))
    elif isinstance(value, Decimal):
        text.add(str(value))  # Jackson writes BigDecimal.toString()
    elif isinstance(value, list):
        text.items(len(value))
        text.add("[")
        for index, item in enumerate(value):
            if index:
                text.add(",")
            _write_json(text, item)
        text.add("]")
    elif isinstance(value, dict):
        text.items(len(value))
        text.add("{")
        for index, (key, item) in enumerate(value.items()):
            text.add(("," if index else "") + json.dumps(key, ensure_ascii=False) + ":")
            _write_json(text, item)
        text.add("}")
    else:
        text.add(json.dumps(_temporal_text(value), ensure_ascii=False))


def _temporal_text(value: Any) -> str:
    """The ISO text feel-scala's `to json` writes for non-JSON values."""
    if isinstance(value, FeelDateTime):
        return temporal.iso_date_time(value, with_zone_id=True)
    if isinstance(value, FeelDate):
        return temporal.iso_date(value)
    if isinstance(value, FeelTime):
        return temporal.iso_time(value)
    if isinstance(value, DayTimeDuration):
        return temporal.iso_day_time_duration(value)
    if isinstance(value, YearMonthDuration):
        return temporal.iso_year_month_duration(value)
    return values.to_string(value)


@function("to json", "value")
def to_json(call: Any, value: Any) -> str:
    """Compact JSON text of a value: `to json({a: [1, "x"]})` = `{"a":[1,"x"]}`. Each list item
    and context entry is a step; the text may not exceed `MAX_STRING_LENGTH`."""
    text = values.TextBuilder(MAX_STRING_LENGTH, call)
    try:
        _write_json(text, value)
    except values.TextTooLong:
        raise too_long() from None
    return text.text()
