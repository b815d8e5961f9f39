"""Benchmark: etk's FEEL engine against @bpmn-io/feelin on the connector-probe expressions.

    .venv/bin/python benchmarks/feel.py [--seconds 3] [--cases ../shared/feel-cases/connector-probe.json]

Both engines evaluate the same expressions with the same variables, in the same run:
* etk warm: each expression parsed (and compiled to closures) once, then evaluated repeatedly,
  the way the runtime evaluates a template's mappings for every job;
* etk cold: the parse cache is cleared before every evaluation, so each one tokenizes, parses,
  compiles and evaluates;
* feelin (tools/feelin-bench.mjs, node): `evaluate()` parses and interprets on every call (it has
  no compile step), timed after a JIT warm-up.
Expressions feelin throws on are left out of both engines' timing. Prints evaluations per second
and the ratios to feelin.

Then the scaling cases (`SCALING_CASES`: large inputs, long loops, `partial`), each timed cold in
both engines: the expression text and a plain dict of variables on every call, as a caller that
evaluates a template's expression against fresh job data does.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from generator.feel import CONNECTOR_FUNCTIONS, clear_parse_cache, evaluate, parse

DEFAULT_CASES = REPO.parent / "shared" / "feel-cases" / "connector-probe.json"
TARGETS = {"warm": 2.0, "cold": 0.5, "scaling": 1.0}
NUMBERS = list(range(10_000))
ORDERS = [{"id": index, "amount": index % 100, "status": "open" if index % 3 else "closed"}
          for index in range(1_000)]
SCALING_CASES: list[tuple[str, str, dict[str, Any]]] = [
    ("sum over 10k numbers", "sum(xs)", {"xs": NUMBERS}),
    ("filter 10k numbers", "count(xs[item > 5000])", {"xs": NUMBERS}),
    ("for over 10k numbers", "for x in xs return x * 2", {"xs": NUMBERS}),
    ("partial in for, 1,000 items", "for i in 1..1000 return if i = 1 then 1 else partial[-1] + i", {}),
    ("filter 1,000 contexts", 'orders[status = "open" and amount > 50].id', {"orders": ORDERS}),
    ("string join of 1,000 strings", 'string join(for o in orders return string(o.id), ",")',
     {"orders": ORDERS}),
]


def load_items(path: Path) -> list[tuple[str, dict[str, Any]]]:
    cases = json.loads(path.read_text(encoding="utf-8"))
    return [(case["expression"], case.get("context", {})) for case in cases]


def run_feelin(items: list[tuple[str, dict[str, Any]]], seconds: float) -> dict[str, Any] | None:
    """feelin's figures (see tools/feelin-bench.mjs), or None when node or the npm tools are
    missing."""
    script = REPO / "tools" / "feelin-bench.mjs"
    if shutil.which("node") is None or not (REPO / "tools" / "node_modules" / "@bpmn-io" / "feelin").is_dir():
        return None
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as file:
        json.dump([{"expression": text, "context": context} for text, context in items], file)
    try:
        output = subprocess.run(["node", str(script), file.name, str(seconds)], check=True,
                                capture_output=True, text=True, cwd=REPO).stdout
    finally:
        Path(file.name).unlink()
    return json.loads(output)


def throughput(round_of_evaluations: Callable[[], int], seconds: float) -> float:
    """Evaluations per second of repeated rounds over all expressions (after one warm-up round)."""
    round_of_evaluations()
    evaluations = 0
    start = time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        evaluations += round_of_evaluations()
    return evaluations / elapsed


def etk_warm(items: list[tuple[str, dict[str, Any]]]) -> Callable[[], int]:
    parsed = [(parse(text), context) for text, context in items]

    def one_round() -> int:
        for expression, context in parsed:
            evaluate(expression, context, functions=CONNECTOR_FUNCTIONS)
        return len(parsed)

    return one_round


def etk_cold(items: list[tuple[str, dict[str, Any]]]) -> Callable[[], int]:
    def one_round() -> int:
        for text, context in items:
            clear_parse_cache()
            evaluate(text, context, functions=CONNECTOR_FUNCTIONS)
        return len(items)

    return one_round


def etk_scaling(text: str, variables: dict[str, Any]) -> Callable[[], int]:
    def one_round() -> int:
        clear_parse_cache()
        evaluate(text, variables)
        return 1

    return one_round


def print_scaling(seconds: float) -> None:
    print("\nScaling cases, cold in both engines (text and plain variables on every call):")
    print(f"{'case':<34}{'etk evals/s':>13}{'feelin evals/s':>16}{'etk / feelin':>14}")
    for label, text, variables in SCALING_CASES:
        etk = throughput(etk_scaling(text, variables), seconds)
        feelin = run_feelin([(text, variables)], seconds)
        if feelin is None or not feelin["usable"]:
            print(f"{label:<34}{etk:>13,.1f}{'n/a':>16}{'n/a':>14}")
            continue
        reference = feelin["per_second"]
        print(f"{label:<34}{etk:>13,.1f}{reference:>16,.1f}{etk / reference:>13.2f}x"
              f"   (target >= {TARGETS['scaling']}x)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="timing per measurement")
    parser.add_argument("--cases", type=Path, default=DEFAULT_CASES, help="connector-probe.json")
    parser.add_argument("--no-scaling", action="store_true", help="skip the scaling cases")
    options = parser.parse_args()

    if not options.cases.is_file():
        sys.exit(f"benchmarks/feel.py: cases not found: {options.cases} (is ../shared there?)")
    items = load_items(options.cases)
    feelin = run_feelin(items, options.seconds)
    left_out = 0
    if feelin is not None:
        left_out = len(items) - len(feelin["usable"])
        items = [items[index] for index in feelin["usable"]]

    warm = throughput(etk_warm(items), options.seconds)
    cold = throughput(etk_cold(items), options.seconds)

    print(f"FEEL throughput on {len(items)} connector-probe expressions, same expressions and "
          f"variables for both engines" + (f" ({left_out} left out: feelin throws on them)" if left_out else ""))
    rows = [("etk warm   (parsed + compiled once, evaluated repeatedly)", warm, "warm"),
            ("etk cold   (parse cache cleared: parse + compile + evaluate)", cold, "cold")]
    reference = feelin["per_second"] if feelin else None
    print(f"{'engine / mode':<64}{'evaluations/s':>14}{'vs feelin':>11}")
    for label, rate, mode in rows:
        ratio = f"{rate / reference:.2f}x" if reference else "n/a"
        print(f"{label:<64}{rate:>14,.0f}{ratio:>11}   (target >= {TARGETS[mode]}x)")
    if feelin is None:
        print("feelin: not measured (node or tools/node_modules missing: run `npm ci --prefix tools`)")
    else:
        label = f"feelin {feelin['version']} (evaluate() parses every call, JIT warmed up)"
        print(f"{label:<64}{reference:>14,.0f}{'1.00x':>11}")
        print("feelin has no separate compile step, so its one figure is compared with both etk modes.")
    if not options.no_scaling:
        print_scaling(options.seconds)


if __name__ == "__main__":
    main()
