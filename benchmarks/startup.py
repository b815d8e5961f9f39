"""Benchmark: whole-process time of `etk --help`, `etk --version` and `etk validate one.json`, beside
the official validator (node) on the same file and a bare `python -c pass`.

Every round runs each command once, in turn, so load on a shared machine hits all of them alike.
Reported per command: the best and the median wall time, and the median CPU time (user + system,
from `wait4`: on a busy machine wall time also counts waiting for a core). The ratio compares
`etk validate` with the official validator's whole process (`node tools/validate-zeebe.mjs FILE`:
node start-up, loading the validator, validating one file).

    .venv/bin/python benchmarks/startup.py [--rounds 20] [--file dist/rest.json]

For where the time of one command goes, run `python -X importtime -m generator validate FILE`.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
from pathlib import Path

from measure import measured_run

REPO = Path(__file__).resolve().parent.parent


def run_once(command: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of one process (its output discarded; a failure stops the benchmark)."""
    run = measured_run(command, cwd=REPO, keep_output=False)
    if run.code != 0:
        sys.exit(f"{' '.join(command)} failed (exit {run.code})")
    return run.wall, run.cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20, help="runs of each command (after one warm-up run)")
    parser.add_argument("--file", type=Path, default=REPO / "dist" / "rest.json", help="the template validated")
    options = parser.parse_args()
    etk = shutil.which("etk", path=str(Path(sys.executable).parent)) or shutil.which("etk")
    if etk is None:
        sys.exit("no `etk` command: install the package (pip install -e .) first")
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "etk --version": [etk, "--version"],
        "etk --help": [etk, "--help"],
        f"etk validate {options.file.name}": [etk, "validate", str(options.file)],
    }
    node_name = f"node validator {options.file.name}"
    if shutil.which("node") and (REPO / "tools" / "node_modules" / "@bpmn-io").is_dir():
        commands[node_name] = ["node", str(REPO / "tools" / "validate-zeebe.mjs"), str(options.file)]
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for command in commands.values():
        run_once(command)  # warm-up: file caches, .pyc files
    for _ in range(options.rounds):
        for name, command in commands.items():
            samples[name].append(run_once(command))

    load = os.getloadavg()
    print(f"start-up: {options.rounds} rounds, each command once per round; {os.cpu_count()} cores, "
          f"load average {load[0]:.1f} {load[1]:.1f}")
    print(f"{'command':34} {'best ms':>8} {'median ms':>10} {'CPU ms':>8}")
    medians = {}
    for name, runs in samples.items():
        walls = [wall for wall, _ in runs]
        medians[name] = statistics.median(walls), min(walls), statistics.median(cpu for _, cpu in runs)
        print(f"{name:34} {min(walls) * 1000:8.0f} {medians[name][0] * 1000:10.0f} {medians[name][2] * 1000:8.0f}")
    if node_name in medians:
        etk_validate, node = medians[f"etk validate {options.file.name}"], medians[node_name]
        print(f"\netk validate / node validator: median wall x{etk_validate[0] / node[0]:.2f}, "
              f"best wall x{etk_validate[1] / node[1]:.2f}, median CPU x{etk_validate[2] / node[2]:.2f}")


if __name__ == "__main__":
    main()
