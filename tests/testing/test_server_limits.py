"""The fake Azure OpenAI service as a server under stress: a bounded ring of records, a body-size
cap, an answer to every malformed request, Azure's refusal of non-JSON numbers, and 200
concurrent clients without a connection error in bounded memory."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from generator.limits import LISTEN_BACKLOG
from generator.testing.azure_openai import FakeAzureOpenAI
from generator.testing.azure_openai.answers import UNPARSABLE_JSON
from generator.testing.records import RecordedRequest

from .conftest import call
from .test_serve_cli import start

REPO = Path(__file__).resolve().parents[2]
PATH = "/openai/deployments/mydeployment/chat/completions?api-version=2024-10-21"
QUESTION = {"messages": [{"role": "user", "content": "What is the age of the Universe?"}]}


def raw_exchange(fake: FakeAzureOpenAI, data: bytes, timeout: float = 10) -> bytes:
    """Send `data` on a fresh connection and read until the server closes it or goes quiet."""
    with socket.create_connection(("127.0.0.1", fake.port), timeout=timeout) as connection:
        connection.sendall(data)
        connection.shutdown(socket.SHUT_WR)
        received = b""
        try:
            while chunk := connection.recv(65536):
                received += chunk
        except TimeoutError:
            pass
        return received


def post_head(*headers: str) -> bytes:
    return (f"POST {PATH} HTTP/1.1\r\nHost: x\r\napi-key: test-api-key\r\n" + "".join(f"{h}\r\n" for h in headers)
            + "\r\n").encode()


def test_records_are_kept_in_a_bounded_ring_while_ids_keep_counting(client, fake):
    ringed = FakeAzureOpenAI(max_records=3)
    for number in range(5):
        answer = ringed.answer(RecordedRequest.build("POST", f"/n{number}", [], b""))
    assert [request.path for request in ringed.requests] == ["/n2", "/n3", "/n4"]
    assert dict(answer.headers)["apim-request-id"] == "00000000-0000-0000-0000-000000000005"


def test_the_ring_holds_a_bounded_number_of_body_bytes():
    ringed = FakeAzureOpenAI(max_recorded_bytes=25 * 1024 * 1024)
    body = b"x" * (10 * 1024 * 1024)
    for number in range(30):  # 300 MB received, as in the report that found the leak
        ringed.answer(RecordedRequest.build("POST", f"/n{number}", [], body))
    kept = ringed.requests
    assert [request.path for request in kept] == ["/n28", "/n29"]
    assert sum(len(request.body) for request in kept) <= 25 * 1024 * 1024
    # a JSON body is kept twice, as bytes and parsed: it counts twice
    as_json = b'"' + body + b'"'
    for number in range(3):
        ringed.answer(RecordedRequest.build("POST", f"/j{number}", [], as_json))
    assert [request.path for request in ringed.requests] == ["/j2"]
    huge = FakeAzureOpenAI(max_recorded_bytes=1)
    huge.answer(RecordedRequest.build("POST", "/only", [], body))
    assert [request.path for request in huge.requests] == ["/only"]  # the newest is always kept


def test_a_body_over_the_cap_gets_413_without_being_read():
    with FakeAzureOpenAI(max_body_bytes=1000) as fake:
        answer = raw_exchange(fake, post_head("Content-Type: application/json", "Content-Length: 50000000"))
        assert answer.startswith(b"HTTP/1.1 413 ")
        assert b"Connection: close" in answer
        assert json.loads(answer.split(b"\r\n\r\n", 1)[1]) == {"error": {"code": "413", "message": "Request Entity Too Large"}}
        chunked = post_head("Transfer-Encoding: chunked") + b"400\r\n" + b"x" * 1024 + b"\r\n" + b"400\r\n" + b"x" * 1024
        assert raw_exchange(fake, chunked).startswith(b"HTTP/1.1 413 ")
        assert fake.requests == []


@pytest.mark.parametrize(("request_bytes", "status"), [
    (post_head("Transfer-Encoding: chunked") + b"zz\r\nabc\r\n0\r\n\r\n", 400),  # a chunk size that is no number
    (post_head("Transfer-Encoding: chunked") + b"3\r\nabcXY0\r\n\r\n", 400),  # no CRLF after the chunk
    (post_head("Content-Length: 12", "Content-Length: 13") + b"{}", 400),  # two different lengths
    (post_head("Content-Length: -5"), 400),
    (post_head("Content-Length: ten"), 400),
    (b"POST\r\n\r\n", 400),
    (b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + bytes(range(256)), 400),  # a TLS hello to plain HTTP
    (b"GET / HTTP/9.9\r\n\r\n", 505),
    (b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\n\r\n", 414),
    (b"GET / HTTP/1.1\r\n" + b"X: y\r\n" * 200 + b"\r\n", 431),
    (b"BREW /pot HTTP/1.1\r\nHost: x\r\n\r\n", 501),
])
def test_every_malformed_request_gets_an_http_answer(fake, request_bytes, status):
    answer = raw_exchange(fake, request_bytes)
    assert answer.startswith(f"HTTP/1.1 {status} ".encode()), answer[:200]
    assert b"\r\nConnection: close\r\n" in answer  # the rest of the stream cannot be trusted


def test_nan_in_a_body_is_refused_as_azure_refuses_non_json(client):
    response = call(client, "chat/completions", b'{"messages": [{"role": "user", "content": "Hi"}], "temperature": NaN}',
                    headers={"api-key": "test-api-key", "Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.json()["error"]["message"] == UNPARSABLE_JSON


def test_the_listen_backlog_takes_a_burst_of_connections(fake):
    from generator.testing import loopback

    assert loopback._Server.request_queue_size == LISTEN_BACKLOG >= 128


def test_200_concurrent_clients_get_every_answer_in_bounded_memory():
    # a short run of the load benchmark (the full run: benchmarks/serve_load.py, 200 clients for 20 s)
    done = subprocess.run([sys.executable, "benchmarks/serve_load.py", "--clients", "200", "--seconds", "2",
                           "--no-reference", "--json"], capture_output=True, text=True, timeout=240, cwd=REPO)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["connection_errors"] == 0 and result["not_ok"] == 0, result
    assert result["answered"] >= 200
    assert result["peak_rss_mb_after"] < 300


def vm_hwm_mb(pid: int) -> float:
    """The peak resident memory of process `pid` so far, in MB (VmHWM)."""
    status = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
    return int(re.search(r"VmHWM:\s+(\d+) kB", status)[1]) / 1024


def test_etk_serve_keeps_its_records_in_a_bounded_ring():
    # issue 14: 30 bodies of 10 MB took `etk serve` from 51 MB to 671 MB (every body kept forever)
    process, lines = start()
    try:
        url = lines[0].rsplit(" ", 1)[1]
        body = b'{"messages": [{"role": "user", "content": "' + b"a" * (10 * 1024 * 1024) + b'"}], "n": "x"}'
        with httpx.Client(timeout=60) as client:
            for _ in range(30):
                answer = client.post(url + PATH, content=body, headers={"api-key": "test-api-key",
                                                                        "Content-Type": "application/json"})
                assert answer.status_code == 400
        peak = vm_hwm_mb(process.pid)
    finally:
        process.terminate()
        process.communicate(timeout=30)
    assert peak < 300, f"etk serve peaked at {peak:.0f} MB"


def test_etk_serve_takes_its_body_cap_and_ring_size_from_the_command_line():
    process, lines = start("--max-body-size", "1K", "--max-records", "2")
    try:
        url = lines[0].rsplit(" ", 1)[1]
        headers = {"api-key": "test-api-key", "Content-Type": "application/json"}
        assert httpx.post(url + PATH, content=b"x" * 1025, headers=headers).status_code == 413
        assert httpx.post(url + PATH, json=QUESTION, headers=headers).status_code == 200
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=30)
    assert output.splitlines()[-3:] == [f"POST {PATH} 413", f"POST {PATH} 200", "Stopped."]

