"""The clients' connection pools are bounded like an `httpx.Client`'s: after a burst of concurrent
requests, at most 20 idle connections stay open (an unbounded pool kept every one, and httpcore
scans all of them for each request)."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from generator.runtime import AsyncHttpClient, HttpClient
from generator.runtime.rest.request import PreparedRequest

BURST = 30
KEPT_ALIVE = 20  # httpx.Client's max_keepalive_connections


class BurstServer:
    """HTTP/1.1 keep-alive server on 127.0.0.1 that answers no request until `BURST` are in
    flight (so the client needs `BURST` connections at once), and counts open connections."""

    def __init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._lock = threading.Lock()
        self._waiting = 0
        self._all_in = threading.Event()
        self.open = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(connection,), daemon=True).start()

    def _serve(self, connection: socket.socket) -> None:
        with self._lock:
            self.open += 1
        try:
            with connection:
                while self._read_request(connection):
                    with self._lock:
                        self._waiting += 1
                        if self._waiting >= BURST:
                            self._all_in.set()
                    self._all_in.wait(10)
                    connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: text/plain\r\n\r\nok")
        finally:
            with self._lock:
                self.open -= 1

    @staticmethod
    def _read_request(connection: socket.socket) -> bool:
        data = b""
        while b"\r\n\r\n" not in data:
            piece = connection.recv(65536)
            if not piece:
                return False
            data += piece
        return True

    def open_after_settling(self) -> int:
        """The open connections once the client's closes have arrived (or after 5 s)."""
        deadline = time.monotonic() + 5
        while self.open > KEPT_ALIVE and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(0.1)
        return self.open

    def close(self) -> None:
        self._listener.close()


@pytest.fixture
def burst_server() -> Iterator[BurstServer]:
    server = BurstServer()
    yield server
    server.close()


def _request(server: BurstServer) -> PreparedRequest:
    return PreparedRequest("GET", f"http://127.0.0.1:{server.port}/", (), None, connect_timeout=10, read_timeout=10)


def test_a_burst_on_threads_leaves_at_most_20_connections_open(burst_server):
    with HttpClient() as http, ThreadPoolExecutor(BURST) as pool:
        replies = list(pool.map(lambda _: http.send(_request(burst_server)), range(BURST)))
        assert [reply.content for reply in replies] == [b"ok"] * BURST
        assert burst_server.open_after_settling() == KEPT_ALIVE


def test_a_burst_on_asyncio_leaves_at_most_20_connections_open(burst_server):
    async def burst() -> None:
        async with AsyncHttpClient() as http:
            replies = await asyncio.gather(*(http.send(_request(burst_server)) for _ in range(BURST)))
            assert [reply.content for reply in replies] == [b"ok"] * BURST
            assert await asyncio.to_thread(burst_server.open_after_settling) == KEPT_ALIVE

    asyncio.run(burst())
