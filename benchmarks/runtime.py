"""Benchmark: the runtime's end-to-end job vs bare httpx sending the same request.

The Azure OpenAI template (chat completion, the documentation's example) is applied once; each
etk job then runs the engine step (FEEL input mappings), secret substitution, the REST connector
(binding, request, response mapping) and the outcome step. The reference sends the identical
request (same URL, headers and JSON body bytes) with one reused `httpx.Client` and parses the
JSON response. Both talk to the same fake Azure OpenAI service, which runs in a separate process
so it does not share the interpreter lock with the measured client; both reuse one pooled
connection. Jobs alternate (etk, bare, etk, ...) so drift hits both sides alike.

    .venv/bin/python benchmarks/runtime.py [--jobs 2000] [--warmup 200]

Prints jobs/second and p50/p99 latency for each side and the overhead ratios. The headline is
the realistic scenario: every job asks a different question (a per-job process variable, so the
request body differs each time; the bare side serialises its body per job too). A second line
runs identical jobs (the same inputs every time); the runtime caches nothing keyed on job data,
so both scenarios do the same work.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import statistics
import sys
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from generator.apply import apply_template
from generator.definition import load_definition
from generator.runtime import Completed, HttpClient, run_task

API_KEY = "bench-key"


def serve(port_queue: multiprocessing.Queue, stop: multiprocessing.Event) -> None:
    """Run the fake Azure OpenAI service in its own process until `stop` is set."""
    from generator.testing.azure_openai import FakeAzureOpenAI

    with FakeAzureOpenAI(api_keys=[API_KEY]) as fake:
        port_queue.put(fake.port)
        stop.wait()


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2000, help="measured jobs per side")
    parser.add_argument("--warmup", type=int, default=200, help="unmeasured jobs per side first")
    options = parser.parse_args()

    context = multiprocessing.get_context("spawn")
    ports: multiprocessing.Queue = context.Queue()
    stop = context.Event()
    server = context.Process(target=serve, args=(ports, stop), daemon=True)
    server.start()
    try:
        port = ports.get(timeout=60)
        run(port, options.jobs, options.warmup)
    finally:
        stop.set()
        server.join(timeout=10)


def run(port: int, jobs: int, warmup: int) -> None:
    endpoint = f"http://127.0.0.1:{port}"
    template = json.loads((REPO / "dist" / "azure-openai.json").read_text(encoding="utf-8"))
    # the definition's example is the documentation's chat completion; the endpoint is the fake's
    values = load_definition(REPO / "templates" / "azure-openai.yaml").example.as_mapping()
    del values["resourceName"]
    values.update(endpointType="custom", endpoint=endpoint)
    # varying question (the headline): the message comes from a process variable that differs per
    # job; identical jobs: the same inputs every time (a check that nothing depends on repetition)
    scenarios = {
        "varying question": (
            apply_template(template, {**values, "chatCompletion_messageContent": "=question"}),
            lambda i: ({"question": f"What is the age of the Universe? ({i})"}, f"What is the age of the Universe? ({i})"),
        ),
        "identical jobs": (apply_template(template, values), lambda i: ({}, "What is the age of the Universe?")),
    }
    secrets = {"AZURE_OAI_SECRET": API_KEY}
    url = f"{endpoint}/openai/deployments/mydeployment/chat/completions?api-version=2024-02-01"
    headers = {"Content-Type": "application/json", "api-key": API_KEY}

    print(f"runtime benchmark: chat completion against the fake Azure OpenAI service, {jobs} jobs per side "
          f"and scenario (after {warmup} warm-up), etk and bare httpx alternating")
    print(f"{'scenario':18} {'side':11} {'jobs/s':>8} {'p50 ms':>8} {'p99 ms':>8}")
    with HttpClient() as etk_http, httpx.Client() as bare_http:
        for scenario, (task, inputs) in scenarios.items():
            def etk_job(i: int) -> None:
                variables, _ = inputs(i)
                outcome = run_task(task, variables, secrets=secrets, http=etk_http)
                assert isinstance(outcome, Completed) and outcome.variables["myOpenAIResponse"]["status"] == 200, outcome

            def bare_job(i: int) -> None:
                _, question = inputs(i)
                body = json.dumps({"messages": [
                    {"role": "system", "content": "You are helpful assistant."},
                    {"role": "user", "content": question},
                ]}, separators=(",", ":")).encode()
                response = bare_http.post(url, headers=headers, content=body)
                assert response.status_code == 200
                response.json()

            for i in range(warmup):
                etk_job(i)
                bare_job(i)
            timings: dict[str, list[float]] = {"etk": [], "bare httpx": []}
            for i in range(warmup, warmup + jobs):
                for name, job in (("etk", etk_job), ("bare httpx", bare_job)):
                    start = time.perf_counter()
                    job(i)
                    timings[name].append(time.perf_counter() - start)
            summary = {}
            for name, samples in timings.items():
                rate = len(samples) / sum(samples)
                p50, p99 = percentile(samples, 0.50) * 1000, percentile(samples, 0.99) * 1000
                summary[name] = (rate, p50, p99)
                print(f"{scenario:18} {name:11} {rate:8.1f} {p50:8.3f} {p99:8.3f}")
            etk, bare = summary["etk"], summary["bare httpx"]
            extra = statistics.fmean(timings["etk"]) - statistics.fmean(timings["bare httpx"])
            print(f"{scenario:18} overhead    p50 x{etk[1] / bare[1]:.3f} ({(etk[1] / bare[1] - 1) * 100:+.1f}%), "
                  f"p99 x{etk[2] / bare[2]:.3f}, throughput x{bare[0] / etk[0]:.3f}, "
                  f"etk's extra work {extra * 1000:.3f} ms per job")


if __name__ == "__main__":
    main()
