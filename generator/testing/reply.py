"""`ReplyServer`: a loopback HTTP(S) server that answers every request with one scripted reply.

The stand-in for a service etk has no fake of (a documentation example's `service: {reply: ...}`).
Given `credentials`, it answers like an API that checks them: a request that carries none of
them (in a header value or the request target) gets `401 Unauthorized`.

    with ReplyServer(status=200, headers=[("Content-Type", "application/json")], body=b"[]",
                     tls_names=("api.github.com",)) as server:
        ... connect to 127.0.0.1:server.port, trusting server.ca_file ...
        server.requests[0].method, .target, .body
"""

from __future__ import annotations

import shutil
import ssl
import tempfile
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Self

from generator.testing.azure_openai.tls import create_certificates

MAX_REQUEST_BODY = 10 * 1024 * 1024


@dataclass(frozen=True)
class ReceivedRequest:
    method: str
    target: str
    headers: tuple[tuple[str, str], ...]
    body: bytes


class ReplyServer:
    """Answers every request on 127.0.0.1 with `status`, `headers` and `body` (401 to a request
    without one of `credentials`, when given); with `tls_names`, over HTTPS with a certificate for
    those names from a fresh test CA (`ca_file`)."""

    def __init__(
        self,
        *,
        status: int = 200,
        headers: Sequence[tuple[str, str]] = (),
        body: bytes = b"",
        tls_names: tuple[str, ...] | None = None,
        credentials: tuple[str, ...] = (),
    ) -> None:
        self.status = status
        self.credentials = credentials
        self.headers = tuple(headers)
        self.body = body
        self.tls_names = tls_names
        self.requests: list[ReceivedRequest] = []
        self.ca_file: Path | None = None
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._directory: Path | None = None

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("the reply server is not running")
        return int(self._server.server_address[1])

    def start(self) -> Self:
        server = _Server(("127.0.0.1", 0), _Handler)
        server.owner = self
        if self.tls_names:
            self._directory = Path(tempfile.mkdtemp(prefix="etk-reply-server-"))
            certificates = create_certificates(self._directory, self.tls_names)
            self.ca_file = certificates.ca_file
            server.tls_context = certificates.server_context
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        if self._directory is not None:
            shutil.rmtree(self._directory, ignore_errors=True)
            self._directory = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None, trace: TracebackType | None) -> None:
        self.stop()


def _carries_credential(request: ReceivedRequest, credentials: tuple[str, ...]) -> bool:
    texts = [request.target, *(value for _, value in request.headers)]
    return any(credential in text for credential in credentials for text in texts)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    owner: ReplyServer
    tls_context: ssl.SSLContext | None = None

    def get_request(self):  # type: ignore[no-untyped-def]
        connection, address = super().get_request()
        if self.tls_context is not None:
            connection = self.tls_context.wrap_socket(connection, server_side=True)
        return connection, address


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(min(length, MAX_REQUEST_BODY)) if length > 0 else b""
        owner = self.server.owner
        received = ReceivedRequest(self.command, self.path, tuple(self.headers.items()), body)
        owner.requests.append(received)
        if owner.credentials and not _carries_credential(received, owner.credentials):
            self._send(401, (("Content-Type", "application/json"),), b'{"message": "Unauthorized"}')
        else:
            self._send(owner.status, owner.headers, owner.body)

    def _send(self, status: int, headers: Sequence[tuple[str, str]], body: bytes) -> None:
        self.send_response_only(status)  # no Server or Date header: the reply is what was scripted
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _answer

    def log_message(self, format: str, *args: object) -> None:
        return
