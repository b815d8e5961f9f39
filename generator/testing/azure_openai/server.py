"""`FakeAzureOpenAI`: the fake service behind a real threaded HTTP(S) server on a loopback port."""

from __future__ import annotations

import ipaddress
import shutil
import socket
import ssl
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any

from generator.limits import LISTEN_BACKLOG, MAX_RECORDED_BYTES, MAX_RECORDED_REQUESTS, MAX_REQUEST_BODY_BYTES
from generator.testing.azure_openai import answers
from generator.testing.azure_openai.answers import Answer
from generator.testing.azure_openai.errors import FakeServiceError
from generator.testing.azure_openai.records import RecordedRequest
from generator.testing.azure_openai.service import (
    DEFAULT_API_KEY,
    DEFAULT_DEPLOYMENTS,
    DEFAULT_REQUESTS_PER_MINUTE,
    DEFAULT_TOKENS_PER_MINUTE,
    AzureOpenAIService,
)
from generator.testing.azure_openai.tls import TestCertificates, create_certificates
from generator.testing.azure_openai.versions import KNOWN_VERSIONS

IDLE_CONNECTION_SECONDS = 30


class FakeAzureOpenAI(AzureOpenAIService):
    """A fake Azure OpenAI data-plane service on 127.0.0.1, for tests. Use it as a context manager::

        with FakeAzureOpenAI(deployments={"mydeployment": "gpt-35-turbo"}) as fake:
            httpx.post(f"{fake.url}/openai/deployments/mydeployment/chat/completions",
                       params={"api-version": "2024-02-01"}, headers={"api-key": "test-api-key"},
                       json={"messages": [{"role": "user", "content": "Hi"}]})
            assert fake.requests[0].json["messages"][0]["content"] == "Hi"

    Keyword arguments: `api_keys` and `tokens` accepted as `api-key` header or `Authorization: Bearer`;
    `deployments` maps deployment ids to model names; `tls` serves HTTPS with a fresh test CA;
    `clock` gives `created` and the quota minute; `host`/`port` where to listen (port 0: any free one),
    a non-loopback host only with `allow_remote`; `api_versions` restricts the accepted versions;
    `log` receives one line per answered request; `tokens_per_minute`/`requests_per_minute` set the
    quota reported in `x-ratelimit-remaining-*` headers; `max_records` how many of the newest requests
    `requests` keeps (a ring, with at most `max_recorded_bytes` of bodies); `max_body_bytes` the largest request body read (a larger one gets 413
    unread).

    Robust as a server: a listen backlog of `LISTEN_BACKLOG` connections, every request answered
    (malformed framing with 400, an oversized body with 413, a bug of the fake with 500 and its
    traceback on stderr), idle connections closed after `IDLE_CONNECTION_SECONDS`.
    """

    def __init__(
        self,
        *,
        api_keys: Iterable[str] = (DEFAULT_API_KEY,),
        tokens: Iterable[str] = (),
        deployments: Mapping[str, str] = DEFAULT_DEPLOYMENTS,
        tls: bool = False,
        clock: Callable[[], float] = time.time,
        host: str = "127.0.0.1",
        port: int = 0,
        allow_remote: bool = False,
        api_versions: Iterable[str] = KNOWN_VERSIONS,
        log: Callable[[str], None] | None = None,
        tokens_per_minute: int = DEFAULT_TOKENS_PER_MINUTE,
        requests_per_minute: int = DEFAULT_REQUESTS_PER_MINUTE,
        max_records: int = MAX_RECORDED_REQUESTS,
        max_recorded_bytes: int = MAX_RECORDED_BYTES,
        max_body_bytes: int = MAX_REQUEST_BODY_BYTES,
    ) -> None:
        super().__init__(api_keys=api_keys, tokens=tokens, deployments=deployments, clock=clock,
                         api_versions=api_versions, tokens_per_minute=tokens_per_minute,
                         requests_per_minute=requests_per_minute, max_records=max_records,
                         max_recorded_bytes=max_recorded_bytes)
        self.max_body_bytes = max_body_bytes
        if not allow_remote and not is_loopback(host):
            raise FakeServiceError(
                f"refusing to listen on {host}: the fake Azure OpenAI service is a test double and listens on "
                "loopback addresses only (127.0.0.1, ::1, localhost); allow other hosts explicitly if you must"
            )
        self.tls = tls
        self._host = host
        self._requested_port = port
        self._log = log
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._certificates: TestCertificates | None = None
        self._directory: Path | None = None

    # --- lifecycle ----------------------------------------------------------------------------------

    def start(self) -> FakeAzureOpenAI:
        """Listen and serve in a background thread; returns self."""
        if self._server is not None:
            raise FakeServiceError("the fake Azure OpenAI service is already running")
        if self.tls:
            self._directory = Path(tempfile.mkdtemp(prefix="etk-fake-azure-openai-"))
            self._certificates = create_certificates(self._directory)
        server_class = _Server6 if ":" in self._host else _Server
        try:
            server = server_class((self._host, self._requested_port), _Handler)
        except OSError as error:
            self._remove_certificates()
            raise FakeServiceError(f"cannot listen on {self._host}:{self._requested_port}: {error.strerror}; "
                                   "choose another port (0 picks a free one)") from None
        server.fake = self
        server.tls_context = self._certificates.server_context if self._certificates else None
        self._server = server
        # A short poll interval makes stop() return quickly (serve_forever checks for shutdown that often).
        self._thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name=f"fake-azure-openai-{self.port}", daemon=True)
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

    def __enter__(self) -> FakeAzureOpenAI:
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
            raise FakeServiceError("the fake Azure OpenAI service is not running: call start() or use `with`")
        return self._server

    def _running_certificates(self) -> TestCertificates:
        self._running_server()
        if self._certificates is None:
            raise FakeServiceError("the fake Azure OpenAI service serves plain HTTP: create it with tls=True")
        return self._certificates

    def _logged(self, method: str, target: str, status: int) -> None:
        if self._log is not None:
            self._log(f"{method} {target} {status}")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = LISTEN_BACKLOG
    block_on_close = False  # idle keep-alive connections must not hold up stop()
    fake: FakeAzureOpenAI
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
    """A request the fake answers without reading on (`answer`: 400 or 413), closing the connection."""

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
    server_version = "etk-fake-azure-openai"
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

    def _serve(self) -> None:
        try:
            body, length_missing = self._read_body()
        except _Refused as refused:
            self.close_connection = True  # the rest of the stream cannot be trusted or is not wanted
            self._send(refused.answer)
            return
        record = RecordedRequest.build(self.command, self.path, list(self.headers.items()), body)
        try:
            answer = self.server.fake.answer(record, length_missing=length_missing)
        except Exception:  # a bug of the fake: still answer, and show it
            traceback.print_exc()
            answer = answers.generic_error(500)
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
        self.server.fake._logged(self.command, self.path, answer.status)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _serve

    def _read_body(self) -> tuple[bytes, bool]:
        """The request body, and whether its length was unknown (no Content-Length, not chunked);
        `_Refused` for framing no server accepts or a body over the limit."""
        limit = self.server.fake.max_body_bytes
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return self._read_chunked(limit), False
        lengths = self.headers.get_all("Content-Length") or []
        if not lengths:
            return b"", True
        if len(set(lengths)) != 1 or not lengths[0].strip().isdigit():
            raise _Refused(answers.generic_error(400))
        length = int(lengths[0])
        if length > limit:
            raise _Refused(answers.generic_error(413))
        return self.rfile.read(length), False

    def _read_chunked(self, limit: int) -> bytes:
        chunks = []
        total = 0
        while True:
            line = self.rfile.readline(1026)
            size_text = line.split(b";")[0].strip()
            if not line.endswith(b"\n") or not size_text or any(c not in b"0123456789abcdefABCDEF" for c in size_text):
                raise _Refused(answers.generic_error(400))
            size = int(size_text, 16)
            if size == 0:
                while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                    pass  # trailers
                return b"".join(chunks)
            total += size
            if total > limit:
                raise _Refused(answers.generic_error(413))
            chunks.append(self.rfile.read(size))
            if self.rfile.readline(3) not in (b"\r\n", b"\n"):
                raise _Refused(answers.generic_error(400))

    def log_message(self, format: str, *args: Any) -> None:
        pass  # requests are reported through FakeAzureOpenAI's `log` instead
