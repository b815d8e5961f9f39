"""Benchmark: the runtime's end-to-end job beside bare httpx sending the same request.

The Azure OpenAI template (chat completion, the documentation's example) is applied once; each
etk job then runs the engine step (FEEL input mappings), secret substitution, the REST connector
(binding, request, response mapping) and the outcome step. Every job asks a different question
(a process variable), so the request body differs each time. The reference, "bare httpx", sends
the identical request (same URL, headers and JSON body bytes, serialised per job) with one
reused httpx client and parses the JSON response. Both talk to the same fake Azure OpenAI
service, which runs in a separate process so it does not share the interpreter lock with the
measured client.

    .venv/bin/python benchmarks/runtime.py [--jobs 1000] [--rounds 5] [--threads 1,8,32]
                                           [--concurrency 8,32] [--instructions]

Modes, each run for `--rounds` rounds, etk and bare httpx alternating so that the load of a
shared machine hits both alike:

- sequential: one client per side, jobs alternating etk, bare, etk, ...;
- threads N: N threads share one client per side (`HttpClient` / `httpx.Client`);
- async N: N coroutines on one event loop share one client per side (`AsyncHttpClient` with
  `run_task_async` / `httpx.AsyncClient`).

Printed per mode and side: jobs per second, p50 and p99 latency of a job, and CPU time per job
of the client process (`time.process_time`: on a busy machine a job's wall time also counts
waiting for a core). The ratios (etk / bare) are computed within each round; their median and
range over the rounds are printed. `--instructions` also counts the instructions of one job of
each side with valgrind (callgrind) on an in-process transport: deterministic, whatever the load.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import platform
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from generator.apply import apply_template
from generator.definition import load_definition
from generator.runtime import AsyncHttpClient, Completed, HttpClient, run_task, run_task_async
from generator.task import AppliedTask

API_KEY = "bench-key"
QUESTION = "What is the age of the Universe? ({})"
# what the instruction count's in-process transport answers (a chat completion of the fake's size)
ANSWER = json.dumps({
    "id": "chatcmpl-etk", "object": "chat.completion", "created": 1700000000, "model": "gpt-4o",
    "choices": [{"index": 0, "message": {"role": "assistant", "content": "About 13.8 billion years."}, "finish_reason": "stop"}],
    "usage": {"prompt_tokens": 21, "completion_tokens": 8, "total_tokens": 29},
}).encode()


@dataclass(frozen=True)
class Workload:
    """The etk task and the bare request that sends the same bytes."""

    task: AppliedTask
    url: str
    headers: dict[str, str]
    secrets: dict[str, str]

    @staticmethod
    def body(i: int) -> bytes:
        return json.dumps({"messages": [
            {"role": "system", "content": "You are helpful assistant."},
            {"role": "user", "content": QUESTION.format(i)},
        ]}, separators=(",", ":")).encode()


def workload(endpoint: str) -> Workload:
    template = json.loads((REPO / "dist" / "azure-openai.json").read_text(encoding="utf-8"))
    # the definition's example is the documentation's chat completion; the endpoint is the fake's
    values = load_definition(REPO / "templates" / "azure-openai.yaml").example.as_mapping()
    del values["resourceName"]
    values.update(endpointType="custom", endpoint=endpoint, chatCompletion_messageContent="=question")
    return Workload(
        task=apply_template(template, values),
        url=f"{endpoint}/openai/deployments/mydeployment/chat/completions?api-version=2024-02-01",
        headers={"Content-Type": "application/json", "api-key": API_KEY},
        secrets={"AZURE_OAI_SECRET": API_KEY},
    )


def etk_job(work: Workload, http: HttpClient, i: int) -> None:
    outcome = run_task(work.task, {"question": QUESTION.format(i)}, secrets=work.secrets, http=http)
    assert isinstance(outcome, Completed) and outcome.variables["myOpenAIResponse"]["status"] == 200, outcome


def bare_job(work: Workload, client: httpx.Client, i: int) -> None:
    response = client.post(work.url, headers=work.headers, content=work.body(i))
    assert response.status_code == 200
    response.json()


async def etk_job_async(work: Workload, http: AsyncHttpClient, i: int) -> None:
    outcome = await run_task_async(work.task, {"question": QUESTION.format(i)}, secrets=work.secrets, http=http)
    assert isinstance(outcome, Completed) and outcome.variables["myOpenAIResponse"]["status"] == 200, outcome


async def bare_job_async(work: Workload, client: httpx.AsyncClient, i: int) -> None:
    response = await client.post(work.url, headers=work.headers, content=work.body(i))
    assert response.status_code == 200
    response.json()


@dataclass(frozen=True)
class Round:
    """One side's figures in one round: jobs/s, p50 and p99 latency (s), CPU seconds per job (of
    the jobs that succeeded), and the errors of jobs that raised (not counted in the figures)."""

    rate: float
    p50: float
    p99: float
    cpu: float
    errors: tuple[str, ...] = ()


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def summarise(latencies: list[float], wall: float, cpu: float, errors: list[str] | None = None) -> Round:
    return Round(len(latencies) / wall, percentile(latencies, 0.5), percentile(latencies, 0.99), cpu / len(latencies),
                 tuple(errors or ()))


def _error(error: Exception) -> str:
    return f"{type(error).__module__}.{type(error).__name__}: {error}"


def sequential(work: Workload, jobs: int, warmup: int) -> tuple[Round, Round]:
    """One round: jobs alternating etk, bare on one long-lived client each."""
    with HttpClient() as etk_http, httpx.Client() as bare_http:
        sides: dict[str, Callable[[int], None]] = {
            "etk": lambda i: etk_job(work, etk_http, i), "bare": lambda i: bare_job(work, bare_http, i)}
        for i in range(warmup):
            for job in sides.values():
                job(i)
        latencies: dict[str, list[float]] = {name: [] for name in sides}
        cpu = dict.fromkeys(sides, 0.0)
        for i in range(warmup, warmup + jobs):
            for name, job in sides.items():
                started, cpu_started = time.perf_counter(), time.thread_time()
                job(i)
                cpu[name] += time.thread_time() - cpu_started
                latencies[name].append(time.perf_counter() - started)
    etk, bare = (summarise(latencies[name], sum(latencies[name]), cpu[name]) for name in ("etk", "bare"))
    return etk, bare


def in_threads(job: Callable[[int], None], threads: int, jobs: int) -> Round:
    """`jobs` jobs spread over `threads` threads (a barrier starts them together)."""
    latencies: list[list[float]] = [[] for _ in range(threads)]
    errors: list[str] = []
    barrier = threading.Barrier(threads + 1)

    def work(index: int) -> None:
        barrier.wait()
        for i in range(index, jobs, threads):
            started = time.perf_counter()
            try:
                job(i)
            except Exception as error:  # a failed job is counted and reported, not timed
                errors.append(_error(error))
                continue
            latencies[index].append(time.perf_counter() - started)

    workers = [threading.Thread(target=work, args=(index,)) for index in range(threads)]
    for worker in workers:
        worker.start()
    cpu_started = time.process_time()
    barrier.wait()
    started = time.perf_counter()
    for worker in workers:
        worker.join()
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    return summarise([value for values in latencies for value in values], wall, cpu, errors)


def threaded(work: Workload, threads: int, jobs: int, warmup: int, etk_first: bool) -> tuple[Round, Round]:
    """One round: etk's and bare httpx's jobs on `threads` threads sharing one client each."""
    results = {}
    with HttpClient() as etk_http, httpx.Client() as bare_http:
        sides: dict[str, Callable[[int], None]] = {
            "etk": lambda i: etk_job(work, etk_http, i), "bare": lambda i: bare_job(work, bare_http, i)}
        for name in sides if etk_first else reversed(sides):
            in_threads(sides[name], threads, warmup)
            results[name] = in_threads(sides[name], threads, jobs)
    return results["etk"], results["bare"]


async def in_coroutines(job: Callable[[int], Coroutine[Any, Any, None]], concurrency: int, jobs: int) -> Round:
    latencies: list[float] = []
    errors: list[str] = []

    async def work(index: int) -> None:
        for i in range(index, jobs, concurrency):
            started = time.perf_counter()
            try:
                await job(i)
            except Exception as error:  # a failed job is counted and reported, not timed
                errors.append(_error(error))
                continue
            latencies.append(time.perf_counter() - started)

    cpu_started, started = time.process_time(), time.perf_counter()
    await asyncio.gather(*(work(index) for index in range(concurrency)))
    return summarise(latencies, time.perf_counter() - started, time.process_time() - cpu_started, errors)


def concurrent(work: Workload, concurrency: int, jobs: int, warmup: int, etk_first: bool) -> tuple[Round, Round]:
    """One round: etk's and bare httpx's jobs from `concurrency` coroutines sharing one client each."""

    async def side(name: str) -> Round:
        if name == "etk":
            async with AsyncHttpClient() as http:
                await in_coroutines(lambda i: etk_job_async(work, http, i), concurrency, warmup)
                return await in_coroutines(lambda i: etk_job_async(work, http, i), concurrency, jobs)
        async with httpx.AsyncClient() as client:
            await in_coroutines(lambda i: bare_job_async(work, client, i), concurrency, warmup)
            return await in_coroutines(lambda i: bare_job_async(work, client, i), concurrency, jobs)

    results = {name: asyncio.run(side(name)) for name in (("etk", "bare") if etk_first else ("bare", "etk"))}
    return results["etk"], results["bare"]


def report(mode: str, rounds: list[tuple[Round, Round]]) -> None:
    """The median of each side's figures over the rounds, and the per-round ratios' median and range."""
    for index, side in enumerate(("etk", "bare httpx")):
        figures = [pair[index] for pair in rounds]
        print(f"{mode:13} {side:10} {statistics.median(r.rate for r in figures):8.1f} "
              f"{statistics.median(r.p50 for r in figures) * 1000:8.3f} {statistics.median(r.p99 for r in figures) * 1000:8.3f} "
              f"{statistics.median(r.cpu for r in figures) * 1000:9.3f}")

    def ratio(name: str, of: Callable[[Round], float]) -> str:
        values = sorted(of(etk) / of(bare) for etk, bare in rounds)
        return f"{name} x{statistics.median(values):.3f} ({values[0]:.3f}-{values[-1]:.3f})"

    print(f"{mode:13} {'etk/bare':10} {ratio('p50', lambda r: r.p50)}, {ratio('p99', lambda r: r.p99)}, "
          f"{ratio('jobs/s', lambda r: r.rate)}, {ratio('CPU', lambda r: r.cpu)}")
    for index, side in enumerate(("etk", "bare httpx")):
        errors = [error for pair in rounds for error in pair[index].errors]
        if errors:
            print(f"{mode:13} {side:10} {len(errors)} job(s) failed (not timed), e.g. {errors[0]}")


def serve(port_queue: multiprocessing.Queue[int], stop: Any) -> None:
    """Run the fake Azure OpenAI service in its own process until `stop` is set."""
    from generator.testing.azure_openai import FakeAzureOpenAI

    with FakeAzureOpenAI(api_keys=[API_KEY]) as fake:
        port_queue.put(fake.port)
        stop.wait()


def count_instructions(jobs: int) -> None:
    """Per job and side: instructions (callgrind) on an in-process transport, the difference of
    two runs so that start-up cancels out."""
    if shutil.which("valgrind") is None or shutil.which("callgrind_control") is None:
        print("instructions: valgrind not found (apt-get install valgrind)")
        return
    counts = {}
    for side in ("etk", "bare"):
        totals = []
        for n in (jobs // 5, jobs // 5 + jobs):
            run = subprocess.run(
                ["valgrind", "--tool=callgrind", "--instr-atstart=no", "--callgrind-out-file=/dev/null", sys.executable,
                 __file__, "--count-child", side, str(n)], capture_output=True, text=True, check=True)
            totals.append(int(run.stderr.split("Collected : ")[1].split()[0]))
        counts[side] = (totals[1] - totals[0]) / jobs
    print(f"instructions per job (callgrind, in-process transport, {jobs} jobs): etk {counts['etk'] / 1e6:.3f} M, "
          f"bare httpx {counts['bare'] / 1e6:.3f} M, etk/bare x{counts['etk'] / counts['bare']:.3f}")


def count_child(side: str, jobs: int) -> None:
    """Under callgrind: warm up, then run `jobs` jobs with instrumentation switched on."""
    def answer(request: httpx.Request) -> httpx.Response:
        request.read()
        return httpx.Response(200, headers=[("Content-Type", "application/json")], content=ANSWER)

    work = workload("http://127.0.0.1:9")
    if side == "etk":
        etk_http = HttpClient(transport=httpx.MockTransport(answer))
        job: Callable[[int], None] = lambda i: etk_job(work, etk_http, i)  # noqa: E731
    else:
        bare_http = httpx.Client(transport=httpx.MockTransport(answer))
        job = lambda i: bare_job(work, bare_http, i)  # noqa: E731
    for i in range(50):
        job(i)

    def callgrind(switch: str) -> None:
        subprocess.run(["callgrind_control", "-i", switch, str(os.getpid())], check=True, stdout=subprocess.DEVNULL)

    callgrind("on")
    for i in range(jobs):
        job(i)
    callgrind("off")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=1000, help="measured jobs per side, mode and round")
    parser.add_argument("--warmup", type=int, default=100, help="unmeasured jobs per side first")
    parser.add_argument("--rounds", type=int, default=5, help="rounds per mode")
    parser.add_argument("--threads", default="1,8,32", help="thread counts (comma-separated; empty for none)")
    parser.add_argument("--concurrency", default="8,32", help="coroutine counts (comma-separated; empty for none)")
    parser.add_argument("--instructions", action="store_true", help="also count instructions per job with valgrind")
    parser.add_argument("--count-child", nargs=2, metavar=("SIDE", "JOBS"), help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.count_child:
        count_child(options.count_child[0], int(options.count_child[1]))
        return
    threads = [int(n) for n in options.threads.split(",") if n]
    concurrency = [int(n) for n in options.concurrency.split(",") if n]

    context = multiprocessing.get_context("spawn")
    ports: multiprocessing.Queue[int] = context.Queue()
    stop = context.Event()
    server = context.Process(target=serve, args=(ports, stop), daemon=True)
    server.start()
    try:
        work = workload(f"http://127.0.0.1:{ports.get(timeout=60)}")
        load = os.getloadavg()
        print(f"runtime benchmark: chat completion against the fake Azure OpenAI service (another process); "
              f"{options.rounds} rounds of {options.jobs} jobs per side and mode (after {options.warmup} warm-up)")
        print(f"machine: {os.cpu_count()} CPUs, load average {load[0]:.1f} at start; Python {platform.python_version()}, "
              f"httpx {httpx.__version__}")
        print(f"{'mode':13} {'side':10} {'jobs/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'CPU ms/job':>9}")
        report("sequential", [sequential(work, options.jobs, options.warmup) for _ in range(options.rounds)])
        for count in threads:
            report(f"threads {count}", [threaded(work, count, options.jobs, options.warmup, etk_first=index % 2 == 0)
                                        for index in range(options.rounds)])
        for count in concurrency:
            report(f"async {count}", [concurrent(work, count, options.jobs, options.warmup, etk_first=index % 2 == 0)
                                      for index in range(options.rounds)])
        print(f"load average {os.getloadavg()[0]:.1f} at the end")
    finally:
        stop.set()
        server.join(timeout=10)
    if options.instructions:
        count_instructions(200)


if __name__ == "__main__":
    main()
