"""Responses are read in bounded memory and time: gzip bombs, endless bodies and dripping servers
fail the job cleanly (the CLI cases measure the child process's peak memory), compressed bodies
are decoded as Apache does, and host names no resolver takes fail like an unknown host."""

from __future__ import annotations

import json
import time
import zlib
from collections.abc import Iterator

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.runtime import Completed, Failed, HttpClient, TransferLimits, run_task
from tests.feel.test_limits import DOUBLED
from tests.peak_memory import run_etk_measured

from .conftest import rest_task
from .loopback import LoopbackServer, Reply, StreamingServer

MEMORY_BOUND_MB = 300
MIB = 1024 * 1024


def chunked(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """`chunks` in HTTP/1.1 chunked framing (the last chunk only when they end)."""
    for chunk in chunks:
        if chunk:
            yield b"%x\r\n%s\r\n" % (len(chunk), chunk)
    yield b"0\r\n\r\n"


def gzip_of_zeros(total: int) -> Iterator[bytes]:
    """`total` zero bytes gzip-compressed, produced as sent (3 GB of zeros are about 3 MB)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = bytes(MIB)
    for _ in range(total // MIB):
        yield compressor.compress(block) + compressor.flush(zlib.Z_SYNC_FLUSH)
    yield compressor.flush()


def head(*headers: str) -> bytes:
    return ("HTTP/1.1 200 OK\r\n" + "".join(f"{header}\r\n" for header in headers) + "\r\n").encode()


def failed_json(result) -> dict:
    assert result.exit_code == 1, (result.exit_code, result.stdout, result.stderr)
    printed = json.loads(result.stdout)
    assert printed["outcome"] == "failed"
    return printed


def test_a_gzip_bomb_fails_the_job_on_its_ratio_in_bounded_memory():
    bomb = StreamingServer(head("Content-Type: application/json", "Content-Encoding: gzip",
                                "Transfer-Encoding: chunked"), lambda: chunked(gzip_of_zeros(3 * 1024 * MIB)))
    with bomb:
        result = run_etk_measured("run", "dist/rest.json", "--set", f"url={bomb.url()}", "--set", "resultVariable=r")
    printed = failed_json(result)
    assert printed["variables"]["error"] == {
        "type": "io.camunda.connector.api.error.ConnectorException",
        "message": "The response body expands more than 100-fold when decompressed (a decompression bomb?; "
                   "etk run --max-decompression-ratio)",
        "code": "RESPONSE_TOO_LARGE",
    }
    assert printed["retries"] == 2  # a connector failure like any other: the engine retries it
    assert result.peak_mb < MEMORY_BOUND_MB
    assert bomb.sent < 3 * MIB  # stopped early, not after 3 GB


def test_a_gzip_bomb_within_the_ratio_stops_at_the_size_limit_in_bounded_memory():
    bomb = StreamingServer(head("Content-Encoding: gzip", "Transfer-Encoding: chunked"),
                           lambda: chunked(gzip_of_zeros(3 * 1024 * MIB)))
    with bomb:
        result = run_etk_measured("run", "dist/rest.json", "--set", f"url={bomb.url()}",
                                  "--max-decompression-ratio", "1000000")
    assert failed_json(result)["variables"]["error"]["message"] == (
        "The response body is larger than 33,554,432 bytes, the most etk reads (etk run --max-response-size)")
    assert result.peak_mb < MEMORY_BOUND_MB


def test_a_1_gb_chunked_body_fails_the_job_in_bounded_memory():
    block = b"x" * (64 * 1024)
    endless = StreamingServer(head("Content-Type: text/plain", "Transfer-Encoding: chunked"),
                              lambda: chunked(block for _ in range(16 * 1024)))
    with endless:
        result = run_etk_measured("run", "dist/rest.json", "--set", f"url={endless.url()}")
    printed = failed_json(result)
    assert printed["variables"]["error"]["code"] == "RESPONSE_TOO_LARGE"
    assert result.peak_mb < MEMORY_BOUND_MB
    assert endless.sent < 200 * MIB


@pytest.mark.parametrize(("header", "expression", "retries"), [
    ("resultExpression", "=" + DOUBLED, 2),
    ("errorExpression", "={doubled: " + DOUBLED + "}", 0),  # a failing error expression is not retried
])
def test_an_expression_that_doubles_a_shared_value_fails_the_job_in_bounded_memory(header, expression, retries):
    """A short FEEL expression whose value, shared 2^15 times, is 3.3 GB as JSON: the job fails
    with the FEEL size limit's message, as any expression that fails to evaluate does."""
    with LoopbackServer() as server:
        server.reply(Reply(200, b"{}", [("Content-Type", "application/json")]))
        result = run_etk_measured("run", "dist/rest.json", "--set", f"url={server.url()}", "--set", f"{header}={expression}")
    printed = failed_json(result)
    what = "Result" if header == "resultExpression" else "Error"
    assert printed["variables"]["error"] == {
        "type": "io.camunda.connector.feel.FeelEngineWrapperException",
        "message": f"{what} expression failed to evaluate: the value is too large for JSON: more than 64 MB (list items "
                   "and context entries count 16 bytes, strings their length, shared parts each time)",
    }
    assert printed["retries"] == retries
    assert result.peak_mb < MEMORY_BOUND_MB


def test_an_input_mapping_that_doubles_a_shared_value_is_an_incident_in_bounded_memory():
    result = run_etk_measured("run", "dist/rest.json", "--set", "url=http://127.0.0.1:9/", "--set", "method=POST",
                              "--set", "body==" + DOUBLED)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", (
        "etk: error: input mappings: the value is too large for JSON: more than 64 MB (list items and context entries "
        "count 16 bytes, strings their length, shared parts each time) (Zeebe raises an incident on the element)"))
    assert result.peak_mb < MEMORY_BOUND_MB


def run(url: str, limits: TransferLimits | None = None, **inputs: str):
    task = rest_task({"method": "GET", "url": url, **inputs}, {"resultVariable": "r"})
    with HttpClient(limits=limits if limits is not None else TransferLimits()) as http:
        return run_task(task, http=http)


def test_the_size_limit_is_the_users_to_change(server):
    server.reply(Reply(200, b"y" * 2048), Reply(200, b"y" * 1024))
    small = TransferLimits(max_response_bytes=1024)
    failed = run(server.url("/big"), small)
    assert isinstance(failed, Failed) and failed.variables["error"]["message"] == (
        "The response body is larger than 1,024 bytes, the most etk reads (etk run --max-response-size)")
    assert run(server.url("/fits"), small).variables["r"]["body"] == "y" * 1024


@pytest.mark.parametrize(("coding", "encode"), [
    ("gzip", lambda data: zlib.compress(data, wbits=31)),
    ("x-gzip", lambda data: zlib.compress(data, wbits=31)),
    ("deflate", zlib.compress),
    ("deflate", lambda data: zlib.compress(data, wbits=-15)),  # raw deflate, as some servers send it
    ("gzip, gzip", lambda data: zlib.compress(zlib.compress(data, wbits=31), wbits=31)),
    ("identity", lambda data: data),
])
def test_compressed_bodies_are_decoded_and_lose_their_encoding_headers_like_apache(server, coding, encode):
    body = json.dumps({"items": list(range(2000))}).encode()
    server.reply(Reply(200, encode(body), [("Content-Type", "application/json"), ("Content-Encoding", coding)]))
    result = run(server.url("/z")).variables["r"]
    assert result["body"] == {"items": list(range(2000))}
    names = {name.lower() for name in result["headers"]}
    assert ("content-encoding" in names) == (coding == "identity")
    assert ("content-length" in names) == (coding == "identity")


def test_a_body_in_an_unknown_coding_is_passed_on_as_it_came(server):
    server.reply(Reply(200, b"\x1b\x00\x00", [("Content-Encoding", "br")]))
    result = run(server.url("/br")).variables["r"]
    assert result["headers"]["Content-Encoding"] == "br" and result["body"] == "\x1b\x00\x00"


def test_a_body_that_does_not_decompress_is_a_408_io_error_like_apaches_zip_exception(server):
    server.reply(Reply(200, b"\x1f\x8b\x08\x00garbage", [("Content-Encoding", "gzip")]))
    failed = run(server.url("/broken"))
    assert isinstance(failed, Failed)
    assert failed.variables["error"]["code"] == "408"
    assert failed.variables["error"]["message"] == "An error occurred while executing the request, or the connection was aborted"


def test_a_redirect_body_is_bounded_too(server):
    bomb = StreamingServer(b"HTTP/1.1 302 Found\r\nLocation: /next\r\nContent-Encoding: gzip\r\n"
                           b"Transfer-Encoding: chunked\r\n\r\n", lambda: chunked(gzip_of_zeros(1024 * MIB)))
    with bomb:
        failed = run(bomb.url(), followRedirects="=true")
    assert isinstance(failed, Failed) and failed.variables["error"]["code"] == "RESPONSE_TOO_LARGE"


def dripping(count: int) -> Iterator[bytes]:
    return (b"x" for _ in range(count))


def test_the_read_timeout_is_per_read_so_a_dripping_server_outlives_it():
    drip = StreamingServer(head("Content-Length: 6"), lambda: dripping(6), pause=0.35)
    with drip:
        started = time.monotonic()
        outcome = run(drip.url(), readTimeoutInSeconds="=1")
    assert isinstance(outcome, Completed) and outcome.variables["r"]["body"] == "xxxxxx"
    assert time.monotonic() - started > 1.5  # longer than the read timeout, yet no timeout


def test_max_time_bounds_the_whole_exchange_with_the_timeout_error():
    drip = StreamingServer(head("Content-Length: 100"), lambda: dripping(100), pause=0.2)
    with drip:
        started = time.monotonic()
        failed = run(drip.url(), TransferLimits(max_seconds=1.0), readTimeoutInSeconds="=1")
        took = time.monotonic() - started
    assert isinstance(failed, Failed)
    assert failed.variables["error"]["code"] == "408"
    assert failed.variables["error"]["message"] == "The request timed out. Please try increasing the read and connection timeouts."
    assert 0.9 < took < 5


def test_max_time_is_an_option_of_etk_run():
    drip = StreamingServer(head("Content-Length: 100"), lambda: dripping(100), pause=0.2)
    with drip:
        result = CliRunner().invoke(main, ["run", "dist/rest.json", "--set", f"url={drip.url()}", "--max-time", "1"])
    printed = failed_json(result)
    assert printed["variables"]["error"] == {
        "type": "io.camunda.connector.api.error.ConnectorException",
        "message": "The request timed out. Please try increasing the read and connection timeouts.", "code": "408"}
    assert result.stderr == "etk: the exchange took longer than its limit of 1 s (--max-time)\n"


def test_max_time_also_bounds_a_server_that_never_answers():
    silent = StreamingServer(b"", lambda: dripping(0))
    with silent:
        started = time.monotonic()
        failed = run(silent.url(), TransferLimits(max_seconds=0.5))
        took = time.monotonic() - started
    assert isinstance(failed, Failed) and failed.variables["error"]["code"] == "408"
    assert took < 5


@pytest.mark.parametrize("host", ["a..b", "a" * 64 + ".example", ".", "xn--zz", "xn--ls8h-"])
def test_a_host_no_resolver_takes_fails_like_an_unknown_host(host):
    failed = run(f"http://{host}/x")
    assert isinstance(failed, Failed), failed
    assert failed.variables["error"]["code"] == "408"
    assert failed.variables["error"]["message"] == "An error occurred while executing the request, or the connection was aborted"
