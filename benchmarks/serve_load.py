"""Benchmark: `etk serve azure-openai` under load, beside a stock Python HTTP server.

N clients (default 200) open their connections at the same moment and then send chat
completions back to back over keep-alive for S seconds (default 20). The server under test is
`etk serve azure-openai` in its own process; the reference is Python's stock
`http.server.ThreadingHTTPServer` (listen backlog 5) answering the same bytes, also in its own
process. Both get the same client, an asyncio loop of raw HTTP/1.1 connections on loopback.

    .venv/bin/python benchmarks/serve_load.py [--clients 200] [--seconds 20] [--body-kb 1] [--json]

Prints, per server: requests answered and per second, latency p50/p99/max, connection errors
(a connection that could not be opened, was reset or closed mid-answer), answers other than
200, and the server process's peak resident memory (VmHWM) before and after the load. With
`--json` one JSON object per server instead (the test suite runs a short version this way).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PATH = "/openai/deployments/mydeployment/chat/completions?api-version=2024-10-21"

_STOCK_SERVER = """
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
ANSWER = b'{"choices": [{"message": {"role": "assistant", "content": "ok"}}]}'
class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_POST(self):
        self.rfile.read(int(self.headers["Content-Length"]))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(ANSWER)))
        self.end_headers()
        self.wfile.write(ANSWER)
    def log_message(self, *args):
        pass
server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
print(f"listening on http://127.0.0.1:{server.server_address[1]}", flush=True)
server.serve_forever()
"""


@dataclass
class LoadResult:
    """What N clients saw against one server."""

    server: str
    clients: int
    seconds: float
    answered: int = 0
    connection_errors: int = 0
    not_ok: int = 0
    latencies_ms: list[float] = field(default_factory=list, repr=False)
    peak_rss_mb_before: float = 0.0
    peak_rss_mb_after: float = 0.0

    def summary(self) -> dict[str, object]:
        ordered = sorted(self.latencies_ms) or [0.0]
        pick = lambda fraction: ordered[min(len(ordered) - 1, int(fraction * (len(ordered) - 1)))]  # noqa: E731
        data = {key: value for key, value in asdict(self).items() if key != "latencies_ms"}
        data.update(per_second=round(self.answered / self.seconds, 1), p50_ms=round(pick(0.5), 2),
                    p99_ms=round(pick(0.99), 2), max_ms=round(ordered[-1], 2))
        return data


def request_bytes(body_kb: int) -> bytes:
    content = "What is the age of the Universe? " + "x" * max(0, body_kb * 1024 - 200)
    body = json.dumps({"messages": [{"role": "user", "content": content}]}).encode()
    return (f"POST {PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\napi-key: test-api-key\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n").encode() + body


async def one_client(host: str, port: int, payload: bytes, start: asyncio.Event, until: float,
                     result: LoadResult) -> None:
    await start.wait()
    try:
        reader, writer = await asyncio.open_connection(host, port)
    except OSError:
        result.connection_errors += 1
        return
    try:
        while time.monotonic() < until:
            sent = time.perf_counter()
            writer.write(payload)
            await writer.drain()
            head = await reader.readuntil(b"\r\n\r\n")
            length = int(re.search(rb"(?i)content-length:\s*(\d+)", head).group(1))  # type: ignore[union-attr]
            await reader.readexactly(length)
            result.latencies_ms.append((time.perf_counter() - sent) * 1000)
            result.answered += 1
            if not head.startswith(b"HTTP/1.1 200"):
                result.not_ok += 1
    except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
        result.connection_errors += 1
    finally:
        writer.close()


async def load(host: str, port: int, clients: int, seconds: float, body_kb: int, result: LoadResult) -> None:
    payload = request_bytes(body_kb)
    start = asyncio.Event()
    until = time.monotonic() + seconds
    tasks = [asyncio.create_task(one_client(host, port, payload, start, until, result)) for _ in range(clients)]
    await asyncio.sleep(0.1)  # every client waits at the gate: they connect at the same moment
    start.set()
    await asyncio.gather(*tasks)


def peak_rss_mb(pid: int) -> float:
    """The process's peak resident memory (VmHWM) in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def start_server(command: list[str]) -> tuple[subprocess.Popen[str], str, int]:
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=REPO)
    assert process.stdout is not None
    for line in process.stdout:
        found = re.search(r"(?:listening on )http://([\d.]+):(\d+)", line)
        if found:  # keep reading the log lines it prints per request, or the full pipe stalls it
            threading.Thread(target=process.stdout.read, daemon=True).start()
            return process, found.group(1), int(found.group(2))
    raise RuntimeError(f"the server did not start: {command}")


def measure(name: str, command: list[str], clients: int, seconds: float, body_kb: int) -> LoadResult:
    process, host, port = start_server(command)
    try:
        result = LoadResult(name, clients, seconds, peak_rss_mb_before=peak_rss_mb(process.pid))
        asyncio.run(load(host, port, clients, seconds, body_kb, result))
        result.peak_rss_mb_after = peak_rss_mb(process.pid)
        return result
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--body-kb", type=int, default=1, help="size of each request body")
    parser.add_argument("--no-reference", action="store_true", help="load etk serve only")
    parser.add_argument("--json", action="store_true", help="one JSON object per server")
    options = parser.parse_args()
    etk = [sys.executable, "-m", "generator", "serve", "azure-openai"]
    servers = [("etk serve azure-openai", etk)]
    if not options.no_reference:
        servers.append(("stock ThreadingHTTPServer", [sys.executable, "-c", _STOCK_SERVER]))
    results = [measure(name, command, options.clients, options.seconds, options.body_kb) for name, command in servers]
    if options.json:
        for result in results:
            print(json.dumps(result.summary()))
        return
    print(f"{options.clients} clients, {options.seconds:g} s, {options.body_kb} KB bodies, loopback, "
          f"{os.cpu_count()} CPUs")
    print(f"{'server':28} {'answered':>9} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} "
          f"{'conn err':>8} {'not 200':>8} {'peak RSS MB':>14}")
    for result in results:
        data = result.summary()
        print(f"{result.server:28} {data['answered']:>9} {data['per_second']:>8} {data['p50_ms']:>8} {data['p99_ms']:>8} "
              f"{data['max_ms']:>8} {data['connection_errors']:>8} {data['not_ok']:>8} "
              f"{data['peak_rss_mb_before']:>6.1f} -> {data['peak_rss_mb_after']:.1f}")


if __name__ == "__main__":
    main()
