"""Benchmark: the same etk workloads against two checkouts (before/after a change), CPU time.

Each checkout runs with its own interpreter (`CHECKOUT/.venv/bin/python`, or --before-python /
--after-python) and `PYTHONPATH=CHECKOUT`, so its own `generator` package is imported whatever the
venv has installed. Every round runs every workload once on each side, in turns (the side that goes
first alternates between rounds), so load on a shared machine hits both alike. The figure is CPU
time (user + system, `resource.getrusage(RUSAGE_CHILDREN)` around each process): on a loaded
machine wall time mostly measures waiting for a core.

    python benchmarks/structure.py BEFORE AFTER [--rounds 10] [--jobs 300]

Workloads, all on one set of inputs copied to a scratch folder (AFTER's `templates/*.yaml` without
their top-level `docs:` section, which only `etk build --docs` reads and older revisions refuse,
and AFTER's `dist/` element templates and example diagram):
- `etk --version`: interpreter and CLI start-up, the floor of every command below;
- `etk build --check --diagrams`: each side checks the `dist/` it built from the same definitions;
- `etk validate` of the `dist/` templates, and of the `@camunda/connectors-element-templates`
  corpus when `AFTER/tools/node_modules` has it;
- `etk apply` of the Azure OpenAI template onto its example diagram with two typed values;
- `etk run --dry-run` of that example (the README tour's request);
- `etk feel` of a small expression over a variables file;
- runtime: in one process, `apply_template` then `run_task` of the chat completion against the
  fake Azure OpenAI service (`etk serve azure-openai`, one server process for both sides); the
  figure is that process's own CPU per job over the measured jobs (after a warm-up), not start-up.

Prints per workload the median CPU milliseconds of each side with their range, the ratio of the
medians (after/before), the range of the per-round ratios (the spread), a verdict (`noise` when the
per-round ratios fall on both sides of 1), and whether both sides printed the same output.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from measure import measured_run

API_KEY = "bench-key"
SECRET = f"--secret=AZURE_OAI_SECRET={API_KEY}"
CORPUS = Path("tools", "node_modules", "@camunda", "connectors-element-templates", "src", "element-templates")

# Run by each side's interpreter: apply the Azure template once, then time run_task jobs in-process.
RUNTIME_DRIVER = '''
import json, resource, sys
from generator.apply import apply_template
from generator.definition import load_definition
from generator.runtime import Completed, HttpClient, run_task

port, jobs, warmup = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
template = json.loads(open("dist/azure-openai.json", encoding="utf-8").read())
values = load_definition("templates/azure-openai.yaml").example.as_mapping()
del values["resourceName"]
values.update(endpointType="custom", endpoint=f"http://127.0.0.1:{port}",
              chatCompletion_messageContent="=question")
task = apply_template(template, values)
with HttpClient() as http:
    def job(i):
        outcome = run_task(task, {"question": f"What is the age of the Universe? ({i})"},
                           secrets={"AZURE_OAI_SECRET": sys.argv[4]}, http=http)
        assert isinstance(outcome, Completed), outcome
    for i in range(warmup):
        job(i)
    before = resource.getrusage(resource.RUSAGE_SELF)
    for i in range(warmup, warmup + jobs):
        job(i)
    after = resource.getrusage(resource.RUSAGE_SELF)
cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
print(f"{cpu / jobs!r}")
'''


@dataclass
class Side:
    """One checkout under test: its name in the table, folder, interpreter and scratch folder."""

    name: str
    checkout: Path
    python: Path
    scratch: Path
    revision: str = ""

    def command(self, arguments: list[str]) -> list[str]:
        return [str(self.python), "-m", "generator", *arguments]

    def environment(self) -> dict[str, str]:
        return {**os.environ, "PYTHONPATH": str(self.checkout)}


@dataclass
class Workload:
    """A command run on both sides; `per_job` when the process prints its own CPU seconds per job."""

    name: str
    arguments: list[str]
    codes: tuple[int, ...] = (0,)
    output_file: str | None = None
    per_job: bool = False
    samples: dict[str, list[float]] = field(default_factory=dict)
    outputs: dict[str, str] = field(default_factory=dict)


def run_once(side: Side, workload: Workload) -> tuple[float, str]:
    """CPU seconds of one run of `workload` on `side` and its output (or the file it writes).

    An etk command is measured from outside (children's user + system); the runtime driver
    reports its own CPU seconds per job.
    """
    if workload.per_job:
        command = [str(side.python), "runtime_driver.py", *workload.arguments]
    else:
        command = side.command(workload.arguments)
    run = measured_run(command, cwd=side.scratch, env=side.environment())
    output = run.output
    if run.code not in workload.codes:
        sys.exit(f"{side.name}: {' '.join(command)} exited {run.code}:\n{output[-3000:]}")
    if workload.per_job:
        return float(output.strip().splitlines()[-1]), ""
    if workload.output_file is not None:
        output = (side.scratch / workload.output_file).read_text(encoding="utf-8")
    return run.cpu, output


def copy_inputs(after: Path, scratch: Path) -> None:
    """The shared inputs: definitions without `docs:`, dist templates, the example diagram, variables."""
    (scratch / "templates").mkdir(parents=True)
    for source in sorted((after / "templates").iterdir()):
        if source.suffix == ".yaml":
            text = source.read_text(encoding="utf-8")
            text = re.sub(r"^docs:.*?(?=^\S|\Z)", "", text, flags=re.MULTILINE | re.DOTALL)
            (scratch / "templates" / source.name).write_text(text, encoding="utf-8")
        elif source.is_file():
            shutil.copy(source, scratch / "templates" / source.name)
    (scratch / "dist" / "examples").mkdir(parents=True)
    for template in (after / "dist").glob("*.json"):
        shutil.copy(template, scratch / "dist" / template.name)
    shutil.copy(after / "dist" / "examples" / "azure-openai.bpmn", scratch / "dist" / "examples")
    (scratch / "response.json").write_text(
        '{"response": {"status": 200, "body": {"choices": [{"message": {"content": "13.8 billion years"}}]}}}',
        encoding="utf-8",
    )
    (scratch / "runtime_driver.py").write_text(RUNTIME_DRIVER, encoding="utf-8")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_fake_service(side: Side) -> tuple[subprocess.Popen[bytes], int]:
    """`etk serve azure-openai` from `side` on a free loopback port, once it accepts connections."""
    port = free_port()
    server = subprocess.Popen(
        side.command(["serve", "azure-openai", "--port", str(port), "--api-key", API_KEY]),
        cwd=side.scratch, env=side.environment(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server, port
        except OSError:
            time.sleep(0.2)
    server.kill()
    sys.exit("the fake Azure OpenAI service did not start")


def workloads(corpus: Path | None, port: int, jobs: int, warmup: int) -> list[Workload]:
    message = "--set=chatCompletion_messageContent=How old is the Sun?"
    listed = [
        Workload("etk --version", ["--version"]),
        Workload("etk build --check --diagrams", ["build", "--check", "--diagrams", "templates", "-o", "own-dist"]),
        Workload("etk validate dist/*.json", ["validate", "dist/azure-openai.json", "dist/rest.json"]),
        Workload("etk apply azure-openai", [
            "apply", "dist/azure-openai.json", "dist/examples/azure-openai.bpmn", "--element", "Task_1",
            message, "--set=deploymentId=other", "-o", "applied.bpmn",
        ], output_file="applied.bpmn"),
        Workload("etk run --dry-run (tour)", [
            "run", "dist/examples/azure-openai.bpmn", "--element", "Task_1", SECRET, "--dry-run",
        ]),
        Workload("etk feel", ["feel", "{answer: response.body.choices[1].message.content}",
                              "--vars-file", "response.json"]),
        Workload(f"runtime job (ms/job, {jobs} jobs)", [str(port), str(jobs), str(warmup), API_KEY], per_job=True),
    ]
    if corpus is not None:
        listed.insert(3, Workload(f"etk validate corpus ({len(list(corpus.glob('*.json')))} files)",
                                  ["validate", str(corpus)], codes=(0, 1)))
    return listed


def describe(side: Side) -> str:
    revision = subprocess.run(["git", "-C", str(side.checkout), "log", "-1", "--format=%h %s"],
                              capture_output=True, text=True, check=False).stdout.strip()
    found = subprocess.run([str(side.python), "-c", "import generator; print(generator.__file__)"],
                           cwd=side.scratch, env=side.environment(), capture_output=True, text=True, check=True).stdout.strip()
    if not Path(found).resolve().is_relative_to(side.checkout.resolve()):
        sys.exit(f"{side.name}: {side.python} imports generator from {found}, not from {side.checkout}")
    side.revision = revision
    return f"{side.name}: {revision[:100]}"


def print_table(listed: list[Workload], rounds: int) -> None:
    print(f"\n{'workload':38} {'before ms':>20} {'after ms':>20} {'after/before':>12} "
          f"{'round ratios':>13}  verdict  same output")
    for workload in listed:
        before, after = workload.samples["before"], workload.samples["after"]
        ratios = sorted(a / b for a, b in zip(after, before, strict=True))
        ratio = statistics.median(after) / statistics.median(before)
        verdict = "noise" if ratios[0] <= 1 <= ratios[-1] else ("slower" if ratio > 1 else "faster")
        same = "-" if workload.per_job else ("yes" if workload.outputs["before"] == workload.outputs["after"] else "no")

        def cell(samples: list[float]) -> str:
            digits = 3 if max(samples) < 0.01 else 0  # per-job figures are fractions of a millisecond
            low, middle, high = (value * 1000 for value in (min(samples), statistics.median(samples), max(samples)))
            return f"{middle:.{digits or 1}f} ({low:.{digits}f}-{high:.{digits}f})"

        print(f"{workload.name:38} {cell(before):>20} {cell(after):>20} {ratio:12.3f} "
              f"{ratios[0]:6.2f}-{ratios[-1]:<6.2f}  {verdict:7}  {same}")
    print(f"\nms: median CPU (user + system) of {rounds} rounds, (min-max); round ratios: after/before per "
          "round, lowest-highest; noise: the round ratios fall on both sides of 1")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path, help="checkout of the revision before the change")
    parser.add_argument("after", type=Path, help="checkout of the revision after the change")
    parser.add_argument("--before-python", type=Path, help="interpreter for BEFORE [BEFORE/.venv/bin/python]")
    parser.add_argument("--after-python", type=Path, help="interpreter for AFTER [AFTER/.venv/bin/python]")
    parser.add_argument("--rounds", type=int, default=10, help="runs of each workload per side (after a warm-up)")
    parser.add_argument("--jobs", type=int, default=300, help="measured runtime jobs per round")
    parser.add_argument("--warmup", type=int, default=50, help="unmeasured runtime jobs first, per round")
    options = parser.parse_args()

    corpus = options.after / CORPUS
    with tempfile.TemporaryDirectory(prefix="etk-structure-bench-") as scratch:
        sides = []
        for name, checkout, python in (("before", options.before, options.before_python),
                                       ("after", options.after, options.after_python)):
            folder = Path(scratch, name)
            copy_inputs(options.after, folder)
            # absolute, not resolved: the processes run in the scratch folder, and resolving a venv's
            # python symlink would lead to the base interpreter outside the venv
            interpreter = (python or checkout / ".venv" / "bin" / "python").absolute()
            sides.append(Side(name, checkout.resolve(), interpreter, folder))
        load = os.getloadavg()
        print(f"etk workloads, before vs after; {os.cpu_count()} cores, load average {load[0]:.1f} {load[1]:.1f} "
              f"{load[2]:.1f}; {sys.platform}, Python {sys.version.split()[0]}")
        for side in sides:
            print(describe(side))
            setup = Workload("setup", ["build", "--diagrams", "templates", "-o", "own-dist"])
            run_once(side, setup)  # each side checks the dist/ it writes itself
        server, port = start_fake_service(sides[-1])
        try:
            listed = workloads(corpus if corpus.is_dir() else None, port, options.jobs, options.warmup)
            for workload in listed:  # warm-up: .pyc files, file caches
                for side in sides:
                    _, workload.outputs[side.name] = run_once(side, workload)
                    workload.samples[side.name] = []
            for round_number in range(options.rounds):
                order = sides if round_number % 2 == 0 else sides[::-1]
                for workload in listed:
                    for side in order:
                        workload.samples[side.name].append(run_once(side, workload)[0])
                print(f"round {round_number + 1}/{options.rounds} done", file=sys.stderr, flush=True)
        finally:
            server.terminate()
            server.wait(timeout=10)
        print_table(listed, options.rounds)
    load = os.getloadavg()
    print(f"load average at the end {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")


if __name__ == "__main__":
    main()
