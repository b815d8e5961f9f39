"""Runs every FEEL conformance case of `../shared/feel-cases/` against etk's engine.

* `feel-scala-public.json`: cases from feel-scala's own test-suite (the truth for Camunda).
  Results are compared as FEEL values: same type, equal value (numbers by value, durations by
  value, contexts ignoring key order, lists in order); `{"@type": ..., "value": ...}` expected
  values are decoded with the engine's temporal parsers.
* `connector-probe.json`: connector-style expressions with the JSON Camunda's connector runtime
  produces; the result is compared after `to_json`, strictly (booleans are not numbers).

`expect_failure` cases must raise a `FeelError` whose message contains `failure_message` when
one is given. Every case runs with the connector functions available (as in the connector
runtime) and with a fixed clock (2026-11-26T10:00:00Z), which makes `now()`/`today()` cases
exact; cases marked `nondeterministic` (e.g. `uuid()`) are checked for the result's type only.

A case listed in `known_deviations.txt` must fail, any other case must pass: the list is kept
honest in both directions. The pass rates are printed (`pytest -s`) and checked against the
targets: 100% of the probe, at least 99.8% of the feel-scala cases.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from generator.feel import (
    CONNECTOR_FUNCTIONS,
    FeelError,
    evaluate,
    evaluate_unary_tests,
    temporal,
    to_json,
    values,
)

CASES_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "feel-cases"
DEVIATIONS_FILE = Path(__file__).with_name("known_deviations.txt")
CASE_FILES = {"feel-scala-public.json": 0.998, "connector-probe.json": 1.0}
FIXED_NOW = dt.datetime(2026, 11, 26, 10, 0, 0, tzinfo=dt.UTC)


def _load(file_name: str) -> list[dict[str, Any]]:
    path = CASES_DIR / file_name
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else []


def known_deviations() -> dict[str, str]:
    """`<case id> <reason>` lines of known_deviations.txt (blank lines and `#` comments skipped)."""
    deviations: dict[str, str] = {}
    for line in DEVIATIONS_FILE.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            case_id, _, reason = line.partition(" ")
            assert reason.strip(), f"known_deviations.txt: {case_id} has no reason"
            deviations[case_id] = reason.strip()
    return deviations


# ---- expected values ------------------------------------------------------------------------

_ZONED = re.compile(r"(.*?)(?:[+-]\d\d:\d\d|Z)\[(.+)\]")


def decode_expected(value: Any) -> Any:
    """JSON with typed values (`{"@type": "date", "value": "2024-01-02"}`) -> FEEL values."""
    if isinstance(value, dict):
        if set(value) == {"@type", "value"}:
            return _decode_typed(value["@type"], value["value"])
        return {key: decode_expected(item) for key, item in value.items()}
    if isinstance(value, list):
        return [decode_expected(item) for item in value]
    return values.from_python(value)


def _decode_typed(type_name: str, text: str) -> Any:
    if type_name == "number":
        return Decimal(text)
    zoned = _ZONED.fullmatch(text)
    if zoned:  # Java's `2012-12-24T23:59:00+01:00[Europe/Berlin]` = FEEL's `...@Europe/Berlin`
        text = f"{zoned.group(1)}@{zoned.group(2)}"
    parsers = {"date": temporal.parse_date, "time": temporal.parse_time,
               "date and time": temporal.parse_date_time,
               "days and time duration": temporal.parse_duration,
               "years and months duration": temporal.parse_duration}
    return parsers[type_name](text)


def feel_equal(actual: Any, expected: Any) -> bool:
    """Same FEEL type and equal value (recursively; context keys in any order)."""
    if actual is None or expected is None:
        return actual is None and expected is None
    if values.kind(actual) != values.kind(expected):
        return False
    if isinstance(expected, list):
        return len(actual) == len(expected) and all(map(feel_equal, actual, expected))
    if isinstance(expected, dict):
        return actual.keys() == expected.keys() and all(
            feel_equal(actual[key], expected[key]) for key in expected)
    if isinstance(actual, values.FeelTime) and actual.zone is not None and expected.zone is None:
        # the case file writes feel-scala's ZonedTime (a time with a zone id) as its offset
        # text, since a time's text cannot carry a zone id: compare what it could write
        return actual.local == expected.local and actual.offset == expected.offset
    return values.equal(actual, expected)


def json_equal(actual: Any, expected: Any) -> bool:
    """JSON equality that does not confuse booleans with numbers (`True == 1` in Python)."""
    if isinstance(expected, bool) or isinstance(actual, bool):
        return type(actual) is type(expected) and actual == expected
    if isinstance(expected, (int, float)):
        return isinstance(actual, (int, float)) and actual == expected
    if isinstance(expected, list):
        return isinstance(actual, list) and len(actual) == len(expected) and all(
            map(json_equal, actual, expected))
    if isinstance(expected, dict):
        return isinstance(actual, dict) and actual.keys() == expected.keys() and all(
            json_equal(actual[key], expected[key]) for key in expected)
    return type(actual) is type(expected) and actual == expected


# ---- running one case -----------------------------------------------------------------------

def run_case(case: dict[str, Any], probe: bool) -> tuple[bool, str]:
    """(passed, what happened) for one case."""
    variables = {name: decode_expected(value) for name, value in case.get("context", {}).items()}
    options = {"functions": CONNECTOR_FUNCTIONS, "clock": lambda: FIXED_NOW}
    try:
        if case.get("kind") == "unary-tests":
            result = evaluate_unary_tests(case["expression"], decode_expected(case.get("input")),
                                          variables, **options)
        else:
            result = evaluate(case["expression"], variables, **options)
    except FeelError as error:
        if not case.get("expect_failure"):
            return False, f"raised {type(error).__name__}: {error}"
        expected_message = case.get("failure_message")
        if expected_message and expected_message not in str(error):
            return False, f"failed with {error!s}, expected a message containing {expected_message!r}"
        return True, "failed as expected"
    if case.get("expect_failure"):
        return False, f"returned {result!r} instead of failing"
    if case.get("nondeterministic"):
        expected = decode_expected(case["expected"])
        return values.kind(result) == values.kind(expected), f"returned {result!r}"
    if probe:
        actual_json = to_json(result)
        return json_equal(actual_json, case["expected"]), (
            f"returned {json.dumps(actual_json)}, expected {json.dumps(case['expected'])}")
    expected = decode_expected(case["expected"])
    return feel_equal(result, expected), f"returned {result!r}, expected {expected!r}"


@pytest.fixture(scope="module")
def results(shared_dir: Path) -> dict[str, tuple[bool, str]]:
    """Every case's outcome, keyed by case id (each case runs once)."""
    outcomes = {}
    for file_name in CASE_FILES:
        for case in _load(file_name):
            outcomes[case["id"]] = run_case(case, probe=file_name == "connector-probe.json")
    return outcomes


# How many cases each file holds (checked below while ../shared is there): without ../shared each
# case still becomes one test, skipped, so the run reports how many conformance cases it did not run.
CASE_COUNTS = {"feel-scala-public.json": 852, "connector-probe.json": 136}
ALL_IDS = [case["id"] for file_name in CASE_FILES for case in _load(file_name)] or [
    f"{file_name}#{number}" for file_name, count in CASE_COUNTS.items() for number in range(1, count + 1)]


@pytest.mark.parametrize("file_name", list(CASE_FILES))
def test_case_counts_are_known(file_name: str, shared_dir: Path) -> None:
    assert len(_load(file_name)) == CASE_COUNTS[file_name], f"update CASE_COUNTS[{file_name!r}]"


@pytest.mark.parametrize("case_id", ALL_IDS)
def test_case(case_id: str, results: dict[str, tuple[bool, str]]) -> None:
    passed, detail = results[case_id]
    deviation = known_deviations().get(case_id)
    if deviation is not None:
        assert not passed, (f"{case_id} passes now: remove it from known_deviations.txt "
                            f"(listed as: {deviation})")
    else:
        assert passed, f"{case_id}: {detail}"


def test_known_deviations_name_real_cases(results: dict[str, tuple[bool, str]]) -> None:
    unknown = sorted(set(known_deviations()) - set(results))
    assert not unknown, f"known_deviations.txt lists ids that are no cases: {unknown}"


@pytest.mark.parametrize("file_name", list(CASE_FILES))
def test_pass_rate(file_name: str, results: dict[str, tuple[bool, str]]) -> None:
    ids = [case["id"] for case in _load(file_name)]
    passed = sum(1 for case_id in ids if results[case_id][0])
    rate = passed / len(ids)
    print(f"\nFEEL conformance {file_name}: {passed}/{len(ids)} = {rate:.1%}")
    assert rate >= CASE_FILES[file_name], f"{file_name}: {passed}/{len(ids)} = {rate:.1%}"
