"""Benchmark: `etk build` time per definition and peak memory at 10, 100 and 1,000 definitions.

The synthetic definitions are copies of the shipped ones, alternating `templates/azure-openai.yaml`
(a large connector: 3 operations, ~70 fields) and `templates/rest.yaml` (a small one), each with its
own file name, `id` and `name`, so every copy renders its own template. Each size is built in a
fresh process (`etk build DIR -o DIST`, then `etk build --check` on the result, and `etk build
--diagrams` into an empty folder); the reference in the same run is the time of the fresh process
that only starts `etk --version` (interpreter and start-up), and the per-definition figures come
from the slope between sizes, so start-up does not flatter the large sizes.

    .venv/bin/python benchmarks/build.py [--sizes 10,100,1000] [--rounds 3]

Prints, per size and command: the best and worst wall time of the rounds, milliseconds per
definition (best wall time less the start-up reference), the best CPU time (user + system: on a
shared machine, wall time also counts waiting for a core) and the peak RSS (maximum resident set
size of the process). Both come from the kernel (`wait4`).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

from measure import measured_run

REPO = Path(__file__).resolve().parent.parent
TEMPLATES = REPO / "templates"
SOURCES = ("azure-openai", "rest")


def write_definitions(folder: Path, count: int) -> None:
    """`count` definitions in `folder`, alternating the shipped ones, each with its own id and name."""
    folder.mkdir(parents=True)
    texts = {name: (TEMPLATES / f"{name}.yaml").read_text(encoding="utf-8") for name in SOURCES}
    for name in SOURCES:
        shutil.copy(TEMPLATES / f"{name}.svg", folder / f"{name}.svg")
    for index in range(count):
        source = SOURCES[index % len(SOURCES)]
        text = re.sub(r"^id: (\S+)\.v1$", rf"id: \1N{index}.v1", texts[source], count=1, flags=re.MULTILINE)
        text = re.sub(r"^name: (.+)$", rf"name: \1 {index}", text, count=1, flags=re.MULTILINE)
        (folder / f"{source}-{index:04d}.yaml").write_text(text, encoding="utf-8")


def timed(arguments: list[str], cwd: Path) -> tuple[float, int, str, float]:
    """Wall seconds, peak RSS (KiB), output and CPU seconds (user + system) of one `etk` process."""
    run = measured_run([sys.executable, "-m", "generator", *arguments], cwd=cwd)
    if run.code != 0:
        sys.exit(f"etk {' '.join(arguments)} exited {run.code}:\n{run.output[-2000:]}")
    return run.wall, run.peak_kib, run.output, run.cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,100,1000", help="numbers of definitions, comma-separated")
    parser.add_argument("--rounds", type=int, default=3, help="fresh processes per size and command")
    options = parser.parse_args()
    sizes = [int(size) for size in options.sizes.split(",")]

    load = os.getloadavg()  # the machine may be shared: say how busy it was
    print(f"etk build: synthetic definitions (alternating {' and '.join(SOURCES)}), best/worst of "
          f"{options.rounds} fresh processes; {os.cpu_count()} cores, load average {load[0]:.1f} {load[1]:.1f}")
    with tempfile.TemporaryDirectory(prefix="etk-build-bench-") as scratch:
        root = Path(scratch)
        startup = [timed(["--version"], root)[0] for _ in range(max(options.rounds, 5))]
        print(f"reference: `etk --version` (start-up only) {min(startup) * 1000:.0f}-{max(startup) * 1000:.0f} ms\n")
        print(f"{'definitions':>11} {'command':18} {'best s':>7} {'worst s':>7} {'ms/def':>7} {'CPU s':>7} {'peak RSS MB':>11}")
        best: dict[str, dict[int, float]] = {}
        for size in sizes:
            templates = root / f"templates-{size}"
            write_definitions(templates, size)
            commands = {
                "build": lambda run: ["build", str(templates), "-o", str(root / f"dist-{size}-{run}")],
                "build --check": lambda run: ["build", str(templates), "-o", str(root / f"dist-{size}-0"), "--check"],
                "build --diagrams": lambda run: ["build", str(templates), "-o", str(root / f"diagrams-{size}-{run}"), "--diagrams"],
            }
            for name, arguments in commands.items():
                runs = [timed(arguments(run), root) for run in range(options.rounds)]
                seconds = [run[0] for run in runs]
                peak = max(run[1] for run in runs) / 1024
                cpu = min(run[3] for run in runs)
                best.setdefault(name, {})[size] = min(seconds)
                per = (min(seconds) - min(startup)) / size * 1000
                print(f"{size:11} {name:18} {min(seconds):7.2f} {max(seconds):7.2f} {per:7.1f} {cpu:7.2f} {peak:11.0f}")
        if len(sizes) > 1:
            low, high = sizes[0], sizes[-1]
            print(f"\nslope between {low} and {high} definitions (best runs), ms per definition:")
            for name, by_size in best.items():
                print(f"  {name:18} {(by_size[high] - by_size[low]) / (high - low) * 1000:.1f}")


if __name__ == "__main__":
    main()
