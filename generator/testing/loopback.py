"""The transport every etk fake service shares: a real threaded HTTP(S) server on a loopback port.

A service subclasses `LoopbackService` and implements `answer(request, length_missing=...)`: a
`RecordedRequest` in, an `Answer` out. The base class owns listening (loopback only unless allowed),
TLS with a throw-away CA, the background thread, clean shutdown and the one-line request log.

Robust as a server: a listen backlog of `LISTEN_BACKLOG` connections; every request answered (a
malformed body framing with 400, a body over `max_body_bytes` with 413 and unread, a bug of the
service with 500 and its traceback on stderr; an unreadable request line with a status line, not
as HTTP/0.9); idle connections closed after `IDLE_CONNECTION_SECONDS`.
"""

from __future__ import annotations

import ipaddress
import json
import re
import shutil
import socket
import ssl
import sys
import tempfile
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from generator.limits import LISTEN_BACKLOG, MAX_REQUEST_BODY_BYTES
from generator.testing.errors import FakeServiceError
from generator.testing.records import RecordedRequest
from generator.testing.tls import TestCertificates, create_certificates

IDLE_CONNECTION_SECONDS = 30
JSON = "application/json"


@dataclass(frozen=True)
class Answer:
    """One HTTP response: status, extra headers (besides Content-Type/Length) and the body bytes."""

    status: int
    body: bytes
    content_type: str = JSON
    headers: tuple[tuple[str, str], ...] = field(default=())

    def with_headers(self, *headers: tuple[str, str]) -> Answer:
        return Answer(self.status, self.body, self.content_type, self.headers + headers)


def error_answer(status: int) -> Answer:
    """An error in the `{"error": {"code", "message"}}` shape of API gateways (the fakes' own choice)."""
    body = json.dumps({"error": {"code": str(status), "message": HTTPStatus(status).phrase}}, separators=(",", ":"))
    return Answer(status, body.encode("utf-8"))


def is_loopback(host: str) -> bool:
    """Whether `host` is `localhost` or a loopback address (127.0.0.0/8, ::1)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class LoopbackService:
    """A fake service behind a threaded HTTP(S) server; use it as a context manager.

    `display_name` names the service in errors ("the fake Azure OpenAI service"); `server_names`
    are the host names its TLS certificate is valid for besides localhost and 127.0.0.1.
    """

    display_name = "the fake service"
    server_names: tuple[str, ...] = ()
    server_header = "etk-fake-service"

    def __init__(self, *, tls: bool = False, host: str = "127.0.0.1", port: int = 0, allow_remote: bool = False,
                 log: Callable[[str], None] | None = None, max_body_bytes: int = MAX_REQUEST_BODY_BYTES) -> None:
        if not allow_remote and not is_loopback(host):
            raise FakeServiceError(
                f"refusing to listen on {host}: {self.display_name} is a test double and listens on "
                "loopback addresses only (127.0.0.1, ::1, localhost); allow other hosts explicitly if you must"
            )
        self.tls = tls
        self.max_body_bytes = max_body_bytes
        self._host = host
        self._requested_port = port
        self._log = log
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._certificates: TestCertificates | None = None
        self._directory: Path | None = None

    def answer(self, request: RecordedRequest, *, length_missing: bool = False) -> Answer:
        """The answer to one received request (`length_missing`: a body without Content-Length)."""
        raise NotImplementedError

    # --- lifecycle ----------------------------------------------------------------------------------

    def start(self) -> Self:
        """Listen and serve in a background thread; returns self."""
        if self._server is not None:
            raise FakeServiceError(f"{self.display_name} is already running")
        if self.tls:
            self._directory = Path(tempfile.mkdtemp(prefix="etk-fake-service-"))
            self._certificates = create_certificates(
                self._directory, self.server_names, f"etk {self.display_name.removeprefix('the ')} test CA"
            )
        server_class = _Server6 if ":" in self._host else _Server
        try:
            server = server_class((self._host, self._requested_port), _Handler)
        except OSError as error:
            self._remove_certificates()
            raise FakeServiceError(f"cannot listen on {self._host}:{self._requested_port}: {error.strerror}; "
                                   "choose another port (0 picks a free one)") from None
        server.service = self
        server.tls_context = self._certificates.server_context if self._certificates else None
        self._server = server
        # A short poll interval makes stop() return quickly (serve_forever checks for shutdown that often).
        self._thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name=f"{self.server_header}-{self.port}", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and free the port (idempotent). Received requests stay readable."""
        server, thread = self._server, self._thread
        self._server, self._thread = None, None
        if server is not None:
            server.shutdown()
            server.server_close()
        if thread is not None:
            thread.join()
        self._remove_certificates()

    def _remove_certificates(self) -> None:
        if self._directory is not None:
            shutil.rmtree(self._directory, ignore_errors=True)
        self._directory, self._certificates = None, None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.stop()

    # --- where it listens ---------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._server is not None

    @property
    def host(self) -> str:
        return self._host

    @property
    def port(self) -> int:
        return self._running_server().server_address[1]

    @property
    def url(self) -> str:
        """`http://127.0.0.1:PORT` (or https with `tls`), without a trailing slash."""
        host = f"[{self._host}]" if ":" in self._host else self._host
        return f"{'https' if self.tls else 'http'}://{host}:{self.port}"

    @property
    def ca_file(self) -> Path:
        """The PEM file of the test CA that issued the server certificate (TLS only, while running)."""
        return self._running_certificates().ca_file

    def ssl_context(self) -> ssl.SSLContext:
        """A client `ssl.SSLContext` that trusts the test CA, e.g. `httpx.Client(verify=fake.ssl_context())`."""
        return self._running_certificates().client_context()

    def _running_server(self) -> _Server:
        if self._server is None:
            raise FakeServiceError(f"{self.display_name} is not running: call start() or use `with`")
        return self._server

    def _running_certificates(self) -> TestCertificates:
        self._running_server()
        if self._certificates is None:
            raise FakeServiceError(f"{self.display_name} serves plain HTTP: create it with tls=True")
        return self._certificates

    def _logged(self, method: str, target: str, status: int) -> None:
        if self._log is not None:
            self._log(f"{method} {target} {status}")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = LISTEN_BACKLOG
    block_on_close = False  # idle keep-alive connections must not hold up stop()
    service: LoopbackService
    tls_context: ssl.SSLContext | None

    def get_request(self) -> tuple[Any, Any]:
        connection, address = super().get_request()
        if self.tls_context is not None:
            # The handshake happens in the connection's own thread (see _Handler.setup), so a slow
            # or failing client never blocks the accepting thread.
            connection = self.tls_context.wrap_socket(connection, server_side=True, do_handshake_on_connect=False)
        return connection, address

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that drops the connection or rejects the certificate is not the fake's error;
        # anything else is a bug of the fake, reported with its traceback on stderr.
        if not isinstance(sys.exc_info()[1], OSError):
            super().handle_error(request, client_address)


class _Refused(Exception):
    """A request answered without reading on (`answer`: 400 or 413); the connection then closes."""

    def __init__(self, answer: Answer) -> None:
        super().__init__(answer.status)
        self.answer = answer


class _Server6(_Server):
    address_family = socket.AF_INET6


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # http.server answers an unreadable request line as HTTP/0.9, with a body and no status line;
    # a client of this century needs the status line to see the 400.
    default_request_version = "HTTP/1.0"
    sys_version = ""
    timeout = IDLE_CONNECTION_SECONDS
    # Headers and body leave in separate writes; without TCP_NODELAY, Nagle's algorithm and the
    # client's delayed ACK add ~40 ms to every answer.
    disable_nagle_algorithm = True
    server: _Server

    def setup(self) -> None:
        super().setup()
        if isinstance(self.request, ssl.SSLSocket):
            self.request.do_handshake()

    def version_string(self) -> str:
        return self.server.service.server_header

    def _serve(self) -> None:
        service = self.server.service
        try:
            body, length_missing = self._read_body()
        except _Refused as refused:
            self.close_connection = True  # the rest of the stream cannot be trusted or is not wanted
            self._send(refused.answer)
            return
        record = RecordedRequest.build(self.command, self.path, list(self.headers.items()), body)
        try:
            answer = service.answer(record, length_missing=length_missing)
        except Exception:  # a bug of the fake: still answer, and show it
            traceback.print_exc()
            answer = error_answer(500)
        self._send(answer)

    def _send(self, answer: Answer) -> None:
        self.send_response(answer.status)
        self.send_header("Content-Type", answer.content_type)
        self.send_header("Content-Length", str(len(answer.body)))
        for name, value in answer.headers:
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(answer.body)
        self.server.service._logged(self.command, self.path, answer.status)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _serve

    def _read_body(self) -> tuple[bytes, bool]:
        """The request body, and whether its length was unknown (no Content-Length, not chunked);
        `_Refused` for framing no server accepts or a body over the limit."""
        limit = self.server.service.max_body_bytes
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return self._read_chunked(limit), False
        lengths = self.headers.get_all("Content-Length") or []
        if not lengths:
            return b"", True
        if len(set(lengths)) != 1 or re.fullmatch(r"[0-9]{1,18}", lengths[0].strip()) is None:
            raise _Refused(error_answer(400))
        length = int(lengths[0])
        if length > limit:
            raise _Refused(error_answer(413))
        return self.rfile.read(length), False

    def _read_chunked(self, limit: int) -> bytes:
        chunks: list[bytes] = []
        total = 0
        while True:
            line = self.rfile.readline(1026)
            size = line.split(b";")[0].strip()
            if not line.endswith(b"\n") or not size or size.strip(b"0123456789abcdefABCDEF"):
                raise _Refused(error_answer(400))
            total += int(size, 16)
            if total > limit:
                raise _Refused(error_answer(413))
            if int(size, 16) == 0:
                while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                    pass  # trailers
                return b"".join(chunks)
            chunks.append(self.rfile.read(int(size, 16)))
            if self.rfile.readline(3) not in (b"\r\n", b"\n"):
                raise _Refused(error_answer(400))

    def log_message(self, format: str, *args: Any) -> None:
        pass  # requests are reported through the service's `log` instead
