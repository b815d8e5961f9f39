"""The HTTP layer under the REST connector: one reusable httpx client, injectable the httpx way.

- `HttpClient(transport=...)` takes any `httpx.BaseTransport` (tests and benchmarks inject one;
  nothing is patched). Its connection pool lives as long as the client (and so does the OAuth
  token cache the connector step keeps for it), so reuse one client across jobs.
- `connect_to=[ConnectTo(...)]` is curl's `--connect-to`: a request for `https://host:port/...`
  opens its TCP connection to another address while the URL, the Host header and TLS server-name
  verification stay those of `host`. `ca_file` / `ssl_context` let TLS trust a test CA (added to
  the system trust store). Together they run a template that names a real endpoint
  (`https://myresource.openai.azure.com`) against a loopback server over real TLS.
- Header text goes out as ISO-8859-1 (`?` for what it cannot hold), CR, LF, FF and VT in values
  as spaces: what Apache's line formatter writes.
- Transport failures become the REST connector's errors, with Camunda's exact messages: a read or
  write timeout is `408` "The request timed out. ...", any other I/O failure (connection refused,
  reset, connect timeout, which Apache reports as a plain I/O error, and a connection closed
  before the whole body arrived) is `408` "An error occurred while executing the request, or the
  connection was aborted", a malformed response or too many redirects is `500` "An error with the
  HTTP protocol occurred", a TLS failure is `SSL_HANDSHAKE_FAILED`. A request h11 refuses to
  write (a header name that is no HTTP token) is an input error naming it. Each of these also
  carries etk's own `cause` (refused, unknown host, untrusted certificate, timeout, with the
  address), which Camunda's generic messages do not tell.
"""

from __future__ import annotations

import re
import socket
import ssl
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

import httpcore
import httpx

from generator.errors import EtkError
from generator.runtime.errors import ConnectorError, ConnectorInputError
from generator.runtime.rest.request import PreparedRequest
from generator.runtime.rest.response import RawResponse

_E = TypeVar("_E", bound=BaseException)
TIMED_OUT = "The request timed out. Please try increasing the read and connection timeouts."
IO_FAILED = "An error occurred while executing the request, or the connection was aborted"
PROTOCOL_FAILED = "An error with the HTTP protocol occurred"
# BasicLineFormatter.formatHeader writes these control characters of a header value as spaces
_HEADER_VALUE_SPACES = str.maketrans("\r\n\f\v", "    ")
# httpx's words for a server that closed the connection early (Apache: an IOException)
_CLOSED_EARLY = ("disconnected", "peer closed connection")


@dataclass(frozen=True)
class ConnectTo:
    """Send connections for `host:port` to `to_host:to_port` (curl `--connect-to` semantics;
    an empty `host` or a port of 0 matches any)."""

    host: str
    port: int
    to_host: str
    to_port: int

    @classmethod
    def parse(cls, text: str) -> ConnectTo:
        """Parse `HOST:PORT:CONNECT-TO-HOST:CONNECT-TO-PORT` (IPv6 addresses in brackets)."""
        match = re.fullmatch(r"(\[[^\]]*\]|[^:]*):(\d*):(\[[^\]]*\]|[^:]*):(\d*)", text)
        if match is None:
            raise EtkError(f"--connect-to {text!r}: expected HOST:PORT:CONNECT-TO-HOST:CONNECT-TO-PORT")
        host, port, to_host, to_port = match.groups()
        return cls(host.strip("[]"), int(port or 0), to_host.strip("[]"), int(to_port or 0))

    def route(self, host: str, port: int) -> tuple[str, int] | None:
        if (self.host and self.host.lower() != host.lower()) or (self.port and self.port != port):
            return None
        return (self.to_host or host, self.to_port or port)


class _ConnectToBackend(httpcore.NetworkBackend):
    """Opens TCP connections to the overridden address; TLS still verifies the URL's host,
    because httpcore passes the origin's host to `start_tls` as the server name."""

    def __init__(self, overrides: tuple[ConnectTo, ...]) -> None:
        self._overrides = overrides
        self._backend = httpcore.SyncBackend()

    def connect_tcp(
        self, host: str, port: int, timeout: float | None = None, local_address: str | None = None, socket_options: Any = None
    ) -> httpcore.NetworkStream:
        for override in self._overrides:
            target = override.route(host, port)
            if target is not None:
                host, port = target
                break
        return self._backend.connect_tcp(host, port, timeout=timeout, local_address=local_address, socket_options=socket_options)

    def connect_unix_socket(self, path: str, timeout: float | None = None, socket_options: Any = None) -> httpcore.NetworkStream:
        return self._backend.connect_unix_socket(path, timeout=timeout, socket_options=socket_options)

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


_LIMITS = httpx.Limits()  # httpx's defaults


class ConnectToTransport(httpx.HTTPTransport):
    """An `httpx.HTTPTransport` whose connection pool dials through `ConnectTo` overrides.

    httpx has no public switch for a network backend, so this replaces the transport's pool with
    an `httpcore.ConnectionPool(network_backend=...)` built with the same TLS context and limits.
    """

    def __init__(
        self, overrides: tuple[ConnectTo, ...] | list[ConnectTo], *, ssl_context: ssl.SSLContext, limits: httpx.Limits = _LIMITS
    ) -> None:
        super().__init__(verify=ssl_context, limits=limits)
        self._pool = httpcore.ConnectionPool(
            ssl_context=ssl_context,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=_ConnectToBackend(tuple(overrides)),
        )


def make_ssl_context(ca_file: Path | str | None = None) -> ssl.SSLContext:
    """httpx's default trust store (certifi), plus `ca_file` (PEM) when given."""
    context = httpx.create_ssl_context()
    if ca_file is not None:
        try:
            context.load_verify_locations(cafile=str(ca_file))
        except (OSError, ssl.SSLError) as error:
            raise EtkError(f"{ca_file}: cannot load CA certificates: {error}") from None
    return context


class HttpClient:
    """The REST connector's HTTP client: a pooled httpx client.

    Use it as a context manager (or call `close()`); one instance serves many jobs, one at a time
    (cookies are scoped to one request, as in Camunda).
    """

    def __init__(
        self,
        *,
        transport: httpx.BaseTransport | None = None,
        connect_to: tuple[ConnectTo, ...] | list[ConnectTo] = (),
        ca_file: Path | str | None = None,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        self._connect_to = tuple(connect_to) if transport is None else ()
        if transport is None:
            context = ssl_context or make_ssl_context(ca_file)
            transport = ConnectToTransport(connect_to, ssl_context=context) if connect_to else httpx.HTTPTransport(verify=context)
        self._client = httpx.Client(transport=transport, trust_env=False)

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def send(self, prepared: PreparedRequest) -> RawResponse:
        """Send `prepared` and read the whole response; failures become `ConnectorError`s."""
        headers = [
            (name.encode("latin-1", "replace"), value.translate(_HEADER_VALUE_SPACES).encode("latin-1", "replace"))
            for name, value in prepared.headers
        ]
        request = httpx.Request(prepared.method, prepared.url, headers=headers, content=prepared.content)
        request.extensions["timeout"] = _timeouts(prepared.connect_timeout, prepared.read_timeout)
        # Camunda builds a new Apache client, with its own cookie store, for every request: cookies
        # set by a response reach the redirects of that request only, never another job.
        self._client.cookies.clear()
        try:
            response = self._client.send(request, follow_redirects=prepared.follow_redirects)
            try:
                content = response.read()
            finally:
                response.close()
        except (httpx.ReadTimeout, httpx.WriteTimeout) as error:
            raise ConnectorError(TIMED_OUT, code="408", cause=self._cause(error, request, prepared)) from error
        except httpx.TooManyRedirects as error:
            raise ConnectorError(PROTOCOL_FAILED, code="500", cause=f"{error} (from {request.url.host})") from error
        except (httpx.UnsupportedProtocol, httpx.InvalidURL) as error:
            raise ConnectorInputError(f"Invalid URL: {prepared.url}") from error
        except httpx.LocalProtocolError as error:
            raise ConnectorInputError(f"The request cannot be sent: {error}") from error
        except httpx.RemoteProtocolError as error:
            cause = self._cause(error, request, prepared)
            if any(words in str(error).lower() for words in _CLOSED_EARLY):
                raise ConnectorError(IO_FAILED, code="408", cause=cause) from error
            raise ConnectorError(PROTOCOL_FAILED, code="500", cause=cause) from error
        except httpx.TransportError as error:
            cause = self._cause(error, request, prepared)
            tls_failure = _chained(error, ssl.SSLError)
            if tls_failure is not None:
                reason = getattr(tls_failure, "reason", None) or str(tls_failure)
                raise ConnectorError(f"SSL handshake failed: {reason}", code="SSL_HANDSHAKE_FAILED", cause=cause) from error
            raise ConnectorError(IO_FAILED, code="408", cause=cause) from error
        return RawResponse(
            status=response.status_code,
            reason=response.reason_phrase,
            headers=tuple((name.decode("latin-1"), value.decode("latin-1")) for name, value in response.headers.raw),
            content=content,
        )


    def _cause(self, error: httpx.TransportError, request: httpx.Request, prepared: PreparedRequest) -> str:
        """What failed, in words, with the address: `connection refused by 127.0.0.1:8443`."""
        url = request.url
        port = url.port or (443 if url.scheme == "https" else 80)
        address = f"{url.host}:{port}"
        for route in self._connect_to:
            target = route.route(url.host, port)
            if target is not None:
                address = f"{target[0]}:{target[1]} (--connect-to for {url.host}:{port})"
                break
        return describe_transport_failure(error, address, url.host, prepared)


def describe_transport_failure(error: httpx.TransportError, address: str, host: str, prepared: PreparedRequest) -> str:
    """The cause of a transport failure as a user would say it: refused, unknown host, untrusted
    certificate, timeout, ... (`address` is where the connection went)."""
    certificate = _chained(error, ssl.SSLCertVerificationError)
    if certificate is not None:
        reason = certificate.verify_message or certificate.reason or str(certificate)
        return f"the TLS certificate of {address} is not trusted: {reason} (trust its CA with --ca-file)"
    tls = _chained(error, ssl.SSLError)
    if tls is not None:
        return f"TLS handshake with {address} failed: {tls.reason or tls}"
    if isinstance(error, httpx.ConnectTimeout):
        return f"connecting to {address} timed out after {prepared.connect_timeout} s (connectionTimeoutInSeconds)"
    if isinstance(error, (httpx.ReadTimeout, httpx.WriteTimeout)):
        return f"{address} sent no response within {prepared.read_timeout} s (readTimeoutInSeconds)"
    if _chained(error, ConnectionRefusedError) is not None:
        return f"connection refused by {address} (nothing listens there)"
    unknown = _chained(error, socket.gaierror)
    if unknown is not None:
        return f"unknown host {host!r}: {unknown.strerror or unknown}"
    if _chained(error, ConnectionResetError) is not None:
        return f"{address} reset the connection"
    if isinstance(error, httpx.RemoteProtocolError):
        return f"{address} broke the HTTP protocol: {error}"
    return f"{address}: {error or type(error).__name__}"


@lru_cache(maxsize=64)
def _timeouts(connect: int, read: int) -> dict[str, float | None]:
    """httpx's per-request timeout extension; 0 means "no timeout" (Apache's infinite)."""
    return httpx.Timeout(connect=connect or None, read=read or None, write=read or None, pool=None).as_dict()


def _chained(error: BaseException, kind: type[_E]) -> _E | None:
    """The first exception of type `kind` in `error`'s chain of causes, if any."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        if isinstance(current, kind):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None
