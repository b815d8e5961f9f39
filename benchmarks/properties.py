"""Benchmark: how `etk apply`, `etk diagram` and `etk run --dry-run` grow with the number of a
template's properties, beside `etk validate` on the same files (the reference: linear).

Templates of 1,000 to 50,000 String properties bound to `zeebe:input`s (plus a task type) are
written to a temporary folder; each command runs as its own process (`python -m generator`, so
start-up is included and equal for all) and the least CPU time (user + system, as the kernel
counts it for the child: wall time swings with the machine's load) of `--rounds` runs is kept.

    .venv/bin/python benchmarks/properties.py [--sizes 1000,4000,16000,50000] [--rounds 2]

Prints one row per size: CPU seconds per command, each command's time over validate's, and
microseconds per property; growth that is linear keeps the per-property figures flat as the
size grows (a quadratic step makes them grow with it).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from measure import measured_run

REPO = Path(__file__).resolve().parent.parent
DIAGRAM = REPO / "tests" / "bpmn" / "diagrams" / "task.bpmn"
BASE = REPO / "tests" / "apply" / "templates" / "basic.json"


def template(size: int) -> dict[str, object]:
    base = json.loads(BASE.read_text(encoding="utf-8"))
    properties = [prop for prop in base["properties"] if prop["binding"]["type"] == "zeebe:taskDefinition"]
    properties += [{"id": f"p{n}", "label": f"Property {n}", "type": "String", "value": f"value {n}",
                    "binding": {"type": "zeebe:input", "name": f"p{n}"}} for n in range(size)]
    return {**base, "properties": properties}


def commands(path: Path) -> dict[str, list[str]]:
    return {
        "validate": ["validate", str(path)],
        "apply": ["apply", str(path), str(DIAGRAM), "-e", "Task_1", "-o", "-"],
        "diagram": ["diagram", str(path), "-o", "-"],
        "run --dry-run": ["run", str(path), "--dry-run"],
    }


def best_time(arguments: list[str], rounds: int) -> float:
    """The least CPU seconds of `etk ARGUMENTS...` over `rounds` runs."""
    best = float("inf")
    for _ in range(rounds):
        run = measured_run([sys.executable, "-m", "generator", *arguments], cwd=REPO)
        if run.code not in (0, 1, 2):
            raise RuntimeError(f"etk {arguments[0]} failed: {run.output[-500:]}")
        best = min(best, run.cpu)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,4000,16000,50000", help="numbers of properties, comma-separated")
    parser.add_argument("--rounds", type=int, default=2, help="runs per command and size (the best is kept)")
    options = parser.parse_args()
    sizes = [int(size) for size in options.sizes.split(",")]
    names = list(commands(Path("x")))
    print(f"{'properties':>10}  " + "  ".join(f"{name:>14}" for name in names) + "  "
          + "  ".join(f"{name + ' / validate':>24}" for name in names[1:]) + "  "
          + "  ".join(f"{name + ' us/prop':>22}" for name in names))
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            path = Path(folder) / f"t{size}.json"
            path.write_text(json.dumps(template(size)), encoding="utf-8")
            seconds = {name: best_time(arguments, options.rounds) for name, arguments in commands(path).items()}
            ratios = [seconds[name] / seconds["validate"] for name in names[1:]]
            per_property = [seconds[name] / size * 1e6 for name in names]
            print(f"{size:>10,}  " + "  ".join(f"{seconds[name]:>13.2f}s" for name in names) + "  "
                  + "  ".join(f"{ratio:>23.2f}x" for ratio in ratios) + "  "
                  + "  ".join(f"{value:>22.0f}" for value in per_property), flush=True)


if __name__ == "__main__":
    main()
