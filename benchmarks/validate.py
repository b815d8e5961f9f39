"""Benchmark: etk's element-template validator against the official node validator, same run.

Corpus: every template of `@camunda/connectors-element-templates` (installed in
tools/node_modules; 693 templates in 131 files for 1.0.29). Both sides start from the files'
text in memory and time the best of N rounds after a warm-up, so start-up is excluded:

* official: `validateZeebe` of @bpmn-io/element-templates-validator on every template after
  `JSON.parse` (tools/validate-zeebe.mjs --bench, timed inside node). It computes a JSON
  source map for every template and runs the official schema (ajv, precompiled).
* etk: `validate_text` per file: JSON parse with duplicate-key detection, etk's schema
  (jsonschema-rs), the semantic rules, FEEL syntax of every FEEL value, and line:column of
  every finding. The caches validating keeps per text (`generator.validate.clear_caches`: the
  properties read, FEEL expressions, syntax findings, names read, regular expressions, engines
  ranges) are cleared before each round.
* etk (in memory): `validate_template` on already parsed templates, no positions.
* etk (folder): `validate_files` on the paths: reading each file from disk, everything above,
  and the rules across the files (unique id+version, versioned copies, hybrid parity) -- what
  `etk validate DIR` runs with every rule on.

Each side reports its best wall time and its best CPU time (node: the process's, every thread);
the ratios of both are printed, with the load average: on a loaded machine the CPU ratio moves less.

    .venv/bin/python benchmarks/validate.py [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from generator.validate import clear_caches, validate_files, validate_template, validate_text

CORPUS = REPO / "tools" / "node_modules" / "@camunda" / "connectors-element-templates" / "src" / "element-templates"


def best_seconds(run, rounds: int) -> tuple[float, float]:
    """The fastest wall time and the fastest CPU time of `rounds` timed runs of `run()` (after
    one warm-up run), validation's caches cold."""
    run()
    best, best_cpu = float("inf"), float("inf")
    for _ in range(rounds):
        clear_caches()
        started, started_cpu = time.perf_counter(), time.process_time()
        run()
        best, best_cpu = min(best, time.perf_counter() - started), min(best_cpu, time.process_time() - started_cpu)
    return best, best_cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds per validator (best is reported)")
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="folder of element-template files")
    options = parser.parse_args()

    files = sorted(options.corpus.glob("*.json"))
    if not files:
        sys.exit(f"no templates in {options.corpus}: run `npm ci --prefix tools` first")
    texts = [(str(file), file.read_text(encoding="utf-8")) for file in files]
    parsed = [json.loads(text) for _, text in texts]
    count = sum(len(each) if isinstance(each, list) else 1 for each in parsed)

    load_before = " ".join(f"{each:.2f}" for each in os.getloadavg())
    findings = [finding for name, text in texts for finding in validate_text(text, file=name)]
    counts = {level: sum(finding.severity == level for finding in findings) for level in ("error", "warning", "info")}

    etk_files = best_seconds(lambda: [validate_text(text, file=name) for name, text in texts], options.rounds)
    etk_memory = best_seconds(lambda: [validate_template(each) for each in parsed], options.rounds)
    etk_folder = best_seconds(lambda: validate_files(files), options.rounds)
    node = subprocess.run(
        ["node", str(REPO / "tools" / "validate-zeebe.mjs"), "--bench", "--rounds", str(options.rounds), *map(str, files)],
        cwd=REPO, capture_output=True, text=True, check=True,
    )
    official = json.loads(node.stdout)
    if official["templates"] != count:
        sys.exit(f"the validators saw different corpora: etk {count}, official {official['templates']}")

    rows = [
        ("official validateZeebe (node)", (official["bestSeconds"], official["bestCpuSeconds"])),
        ("etk validate_text (files)", etk_files),
        ("etk validate_template (parsed)", etk_memory),
        ("etk validate_files (folder, all rules)", etk_folder),
    ]
    print(f"corpus: {count} templates in {len(files)} files ({options.corpus})")
    print(f"etk findings on the corpus (every rule): {counts['error']} errors, {counts['warning']} warnings, {counts['info']} info")
    print(f"best of {options.rounds} rounds after a warm-up; load average {load_before} before, "
          f"{' '.join(f'{each:.2f}' for each in os.getloadavg())} after ({os.cpu_count()} CPUs)\n")
    official_wall, official_cpu = rows[0][1]
    print(f"{'validator':40} {'seconds':>9} {'templates/s':>12} {'vs official':>12} {'CPU seconds':>12} {'CPU vs official':>16}")
    for name, (seconds, cpu) in rows:
        print(f"{name:40} {seconds:9.3f} {count / seconds:12.0f} {official_wall / seconds:11.2f}x {cpu:12.3f} "
              f"{official_cpu / cpu:15.2f}x")


if __name__ == "__main__":
    main()
