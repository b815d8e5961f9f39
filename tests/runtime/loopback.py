"""A real HTTP(S) server on 127.0.0.1 for tests: records every request exactly as it arrived and
answers with scripted replies (status, reason, headers, body, a stall, or a dropped connection).

    with LoopbackServer() as server:
        server.reply(Reply(201, body=b'{"id": 1}', headers=[("Content-Type", "application/json")]))
        ... send to server.url("/path") ...
        server.requests[0].method, .target, .headers, .body
"""

from __future__ import annotations

import http.server
import json
import socket
import ssl
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlsplit


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the server read it off the socket."""

    method: str
    target: str  # the raw request target: path and query as sent
    headers: tuple[tuple[str, str], ...]  # in arrival order, names as sent
    body: bytes
    peer: tuple[str, int] = ("", 0)  # the client's address: one per TCP connection

    @property
    def path(self) -> str:
        return urlsplit(self.target).path

    @property
    def query(self) -> list[tuple[str, str]]:
        return parse_qsl(urlsplit(self.target).query, keep_blank_values=True)

    def header(self, name: str) -> str | None:
        values = self.header_values(name)
        return values[0] if values else None

    def header_values(self, name: str) -> list[str]:
        return [value for key, value in self.headers if key.lower() == name.lower()]

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass(frozen=True)
class Reply:
    """A scripted answer. `delay` stalls before answering; `drop` closes the connection unanswered."""

    status: int = 200
    body: bytes | str | Any = b""
    headers: tuple[tuple[str, str], ...] | list[tuple[str, str]] = ()
    reason: str | None = None
    delay: float = 0.0
    drop: bool = False

    @classmethod
    def json(cls, value: Any, status: int = 200, headers: list[tuple[str, str]] | None = None) -> Reply:
        return cls(status, json.dumps(value).encode(), [("Content-Type", "application/json"), *(headers or [])])

    def content(self) -> bytes:
        return self.body.encode("utf-8") if isinstance(self.body, str) else self.body


Responder = Callable[[RecordedRequest], Reply]


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
        pass

    def _handle(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        recorded = RecordedRequest(self.command, self.path, tuple(self.headers.items()), body, tuple(self.client_address))
        owner = self.server.owner
        with owner.lock:
            owner.requests.append(recorded)
        reply = owner.next_reply(recorded)
        if reply.delay and owner.stopping.wait(reply.delay):
            return
        if reply.drop:
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        content = reply.content()
        self.send_response_only(reply.status, reply.reason if reply.reason is not None else None)
        names = {name.lower() for name, _ in reply.headers}
        for name, value in reply.headers:
            self.send_header(name, value)
        if "content-length" not in names:
            self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        self.wfile.write(content)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _handle


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    owner: LoopbackServer


class LoopbackServer:
    """A threaded HTTP server on 127.0.0.1:<free port>; `ssl_context` makes it HTTPS."""

    def __init__(self, ssl_context: ssl.SSLContext | None = None, responder: Responder | None = None) -> None:
        self.requests: list[RecordedRequest] = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self._replies: deque[Reply] = deque()
        self.responder = responder
        self.default = Reply.json({})
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.owner = self
        if ssl_context is not None:
            self._server.socket = ssl_context.wrap_socket(self._server.socket, server_side=True)
        self.scheme = "https" if ssl_context is not None else "http"
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def __enter__(self) -> LoopbackServer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stopping.set()
        self._server.shutdown()
        self._server.server_close()

    def url(self, path: str = "/", host: str = "127.0.0.1") -> str:
        return f"{self.scheme}://{host}:{self.port}{path}"

    def reply(self, *replies: Reply) -> None:
        """Queue replies, used in order; when none is left, `responder` or `default` answers."""
        with self.lock:
            self._replies.extend(replies)

    def next_reply(self, request: RecordedRequest) -> Reply:
        with self.lock:
            if self._replies:
                return self._replies.popleft()
        return self.responder(request) if self.responder else self.default

    @property
    def last(self) -> RecordedRequest:
        return self.requests[-1]


def unused_port() -> int:
    """A port on 127.0.0.1 where nothing listens (connections are refused)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class StreamingServer:
    """A TCP server on 127.0.0.1 that answers every connection with `head` (status line and
    headers, raw) and then the chunks `body()` yields, `pause` seconds apart, until they end or
    the client hangs up: for bodies too large to build (a 1 GB stream, a gzip bomb) or too slow."""

    def __init__(self, head: bytes, body: Callable[[], Any], pause: float = 0.0) -> None:
        self.head, self.body, self.pause = head, body, pause
        self.sent = 0  # body bytes written, over all connections
        self._stop = threading.Event()
        self._socket = socket.create_server(("127.0.0.1", 0))
        self._socket.settimeout(0.05)  # accept() wakes up to see `_stop`
        self.port = self._socket.getsockname()[1]
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self) -> StreamingServer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._thread.join()
        self._socket.close()

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self._socket.accept()
            except TimeoutError:
                continue
            connection.settimeout(None)
            threading.Thread(target=self._answer, args=(connection,), daemon=True).start()

    def _answer(self, connection: socket.socket) -> None:
        with connection:
            try:
                connection.recv(65536)
                connection.sendall(self.head)
                for chunk in self.body():
                    if self._stop.wait(self.pause) if self.pause else self._stop.is_set():
                        return
                    connection.sendall(chunk)
                    self.sent += len(chunk)
            except OSError:  # the client hung up: what a bounded reader does
                return


class RawServer(StreamingServer):
    """Answers every connection with the same raw bytes, then closes it: for responses no HTTP
    server would write (truncated bodies, garbage)."""

    def __init__(self, payload: bytes) -> None:
        super().__init__(payload, lambda: ())
