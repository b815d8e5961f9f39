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
and the ratios to feelin. The engines take turns in 0.25 s slices (feelin's node process waits
for its turn), so both are timed under the same load on a shared machine, and each figure is the
engine's best slice (as timeit takes the best of its repeats). Each slice is measured in wall
time and in the CPU time of the engine's process (user + system; node's JIT and GC threads
included): on a busy machine a process also waits for a core, which the wall time counts and the
CPU time does not, so the CPU figures are the ones to compare there.

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
from typing import Any, NamedTuple

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


SLICE_SECONDS = 0.25


class Rates(NamedTuple):
    """Evaluations per second of wall time and per second of the process's CPU time."""

    wall: float
    cpu: float


class Feelin:
    """@bpmn-io/feelin in a node process beside this one (tools/feelin-bench.mjs), evaluating the
    same items for a slice of time whenever asked."""

    def __init__(self, items: list[tuple[str, dict[str, Any]]]) -> None:
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as file:
            json.dump([{"expression": text, "context": context} for text, context in items], file)
        self._items_file = Path(file.name)
        self._process = subprocess.Popen(
            ["node", str(REPO / "tools" / "feelin-bench.mjs"), str(self._items_file)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=REPO)
        assert self._process.stdin is not None and self._process.stdout is not None
        self._input, self._output = self._process.stdin, self._process.stdout
        header = json.loads(self._output.readline())
        self.usable: list[int] = header["usable"]
        self.version: str = header["version"]

    @staticmethod
    def available() -> bool:
        return shutil.which("node") is not None and (
            REPO / "tools" / "node_modules" / "@bpmn-io" / "feelin").is_dir()

    def __call__(self) -> Rates:
        """Evaluations per wall and per CPU second over one slice."""
        self._input.write(f"{SLICE_SECONDS}\n")
        self._input.flush()
        figures = json.loads(self._output.readline())
        evaluations = figures["evaluations"]
        return Rates(evaluations / figures["seconds"], evaluations / figures["cpuSeconds"])

    def close(self) -> None:
        self._input.close()
        self._process.wait()
        self._items_file.unlink()


def etk_slice(round_of_evaluations: Callable[[], int]) -> Callable[[], Rates]:
    """A timer of one slice of repeated rounds."""

    def timed() -> Rates:
        evaluations, start, cpu_start = 0, time.perf_counter(), time.process_time()
        while (elapsed := time.perf_counter() - start) < SLICE_SECONDS:
            evaluations += round_of_evaluations()
        return Rates(evaluations / elapsed, evaluations / (time.process_time() - cpu_start))

    return timed


def best_rates(timers: dict[str, Callable[[], Rates]], seconds: float) -> dict[str, Rates]:
    """Each timer's best slice (by wall and by CPU time), the timers taking turns for `seconds`
    each (after a warm-up slice each), so that all of them meet the same load."""
    for timer in timers.values():
        timer()
    best = dict.fromkeys(timers, Rates(0.0, 0.0))
    for _ in range(max(1, round(seconds / SLICE_SECONDS))):
        for name, timer in timers.items():
            rates = timer()
            best[name] = Rates(max(best[name].wall, rates.wall), max(best[name].cpu, rates.cpu))
    return best


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


def ratio(rates: Rates, reference: Rates | None) -> str:
    """`rates` over `reference`, by CPU and by wall time."""
    if reference is None:
        return f"{'n/a':>10}{'n/a':>10}"
    return f"{rates.cpu / reference.cpu:>9.2f}x{rates.wall / reference.wall:>9.2f}x"


def print_scaling(seconds: float) -> None:
    print("\nScaling cases, cold in both engines (text and plain variables on every call):")
    print(f"{'case':<32}{'etk evals/CPU s':>17}{'feelin evals/CPU s':>20}"
          f"{'etk / feelin: CPU':>19}{'wall':>6}")
    for label, text, variables in SCALING_CASES:
        timers = {"etk": etk_slice(etk_scaling(text, variables))}
        feelin = Feelin([(text, variables)]) if Feelin.available() else None
        if feelin is not None and feelin.usable:
            timers["feelin"] = feelin
        rates = best_rates(timers, seconds)
        if feelin is not None:
            feelin.close()
        reference = rates.get("feelin")
        feelin_cpu = f"{reference.cpu:,.1f}" if reference else "n/a"
        print(f"{label:<32}{rates['etk'].cpu:>17,.1f}{feelin_cpu:>20}{ratio(rates['etk'], reference):>24}"
              f"   (target >= {TARGETS['scaling']}x)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="timing per engine and measurement")
    parser.add_argument("--cases", type=Path, default=DEFAULT_CASES, help="connector-probe.json")
    parser.add_argument("--no-scaling", action="store_true", help="skip the scaling cases")
    options = parser.parse_args()

    if not options.cases.is_file():
        sys.exit(f"benchmarks/feel.py: cases not found: {options.cases} (is ../shared there?)")
    items = load_items(options.cases)
    feelin = Feelin(items) if Feelin.available() else None
    left_out = 0
    if feelin is not None:
        left_out = len(items) - len(feelin.usable)
        items = [items[index] for index in feelin.usable]
    timers = {"warm": etk_slice(etk_warm(items)), "cold": etk_slice(etk_cold(items))}
    if feelin is not None:
        timers["feelin"] = feelin
    rates = best_rates(timers, options.seconds)

    print(f"FEEL throughput on {len(items)} connector-probe expressions, same expressions and "
          f"variables for both engines" + (f" ({left_out} left out: feelin throws on them)" if left_out else ""))
    rows = [("etk warm   (parsed + compiled once, evaluated repeatedly)", rates["warm"], "warm"),
            ("etk cold   (parse cache cleared: parse + compile + evaluate)", rates["cold"], "cold")]
    reference = rates.get("feelin")
    print(f"{'engine / mode':<62}{'evals/CPU s':>12}{'vs feelin: CPU':>16}{'wall':>6}")
    for label, rate, mode in rows:
        print(f"{label:<62}{rate.cpu:>12,.0f}{ratio(rate, reference):>22}   (target >= {TARGETS[mode]}x)")
    if feelin is None or reference is None:
        print("feelin: not measured (node or tools/node_modules missing: run `npm ci --prefix tools`)")
    else:
        feelin.close()
        label = f"feelin {feelin.version} (evaluate() parses every call, JIT warmed up)"
        print(f"{label:<62}{reference.cpu:>12,.0f}{ratio(reference, reference):>22}")
        print("feelin has no separate compile step, so its one figure is compared with both etk modes.")
    if not options.no_scaling:
        print_scaling(options.seconds)


if __name__ == "__main__":
    main()
