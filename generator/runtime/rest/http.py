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
- Bodies are read in bounded memory (`TransferLimits`): gzip and deflate are decoded here, as
  Apache's content-compression step does (it then drops `Content-Encoding` and `Content-Length`),
  a chunk at a time; a body that decodes to more than `max_response_bytes`, or expands more than
  `max_decompression_ratio`-fold once past `DECOMPRESSION_RATIO_GRACE_BYTES`, fails the job with
  code `RESPONSE_TOO_LARGE`. The read timeout is per read, like Apache's socket timeout: a server
  that sends a byte now and then keeps the exchange alive; `max_seconds` bounds the whole exchange
  (connect, send, headers, body, redirects) and fails it with the timeout's `408`.
- Transport failures become the REST connector's errors, with Camunda's exact messages: a read or
  write timeout is `408` "The request timed out. ...", any other I/O failure (connection refused,
  reset, connect timeout, which Apache reports as a plain I/O error, and a connection closed
  before the whole body arrived) is `408` "An error occurred while executing the request, or the
  connection was aborted", a malformed response or too many redirects is `500` "An error with the
  HTTP protocol occurred", a TLS failure is `SSL_HANDSHAKE_FAILED`. A request h11 refuses to
  write (a header name that is no HTTP token) is an input error naming it. A host name that
  cannot be a DNS name (`a..b`, a label over 63 characters, a bad `xn--` label) fails like an
  unknown host (`408`), as Java's resolver does, and a body that does not decompress like a
  broken connection (`408`, Apache's `ZipException` is an I/O error). Each of these also carries
  etk's own `cause` (refused, unknown host, untrusted certificate, timeout, with the address),
  which Camunda's generic messages do not tell.
"""

from __future__ import annotations

import logging
import re
import socket
import ssl
import time
import zlib
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

import httpcore
import httpx

from generator import limits
from generator.errors import EtkError, abbreviated
from generator.runtime.errors import ConnectorError, ConnectorInputError
from generator.runtime.rest.request import PreparedRequest
from generator.runtime.rest.response import RawResponse

_E = TypeVar("_E", bound=BaseException)
TIMED_OUT = "The request timed out. Please try increasing the read and connection timeouts."
IO_FAILED = "An error occurred while executing the request, or the connection was aborted"
PROTOCOL_FAILED = "An error with the HTTP protocol occurred"
RESPONSE_TOO_LARGE = "RESPONSE_TOO_LARGE"
# BasicLineFormatter.formatHeader writes these control characters of a header value as spaces
_HEADER_VALUE_SPACES = str.maketrans("\r\n\f\v", "    ")
# httpx's words for a server that closed the connection early (Apache: an IOException)
_CLOSED_EARLY = ("disconnected", "peer closed connection")


@dataclass(frozen=True)
class TransferLimits:
    """Bounds on one HTTP exchange (see the module docstring); README's resource limits."""

    max_response_bytes: int = limits.MAX_RESPONSE_BYTES
    max_decompression_ratio: float = limits.MAX_DECOMPRESSION_RATIO
    max_seconds: float | None = limits.MAX_RESPONSE_SECONDS


class ResponseTooLarge(Exception):
    """A response body beyond the `TransferLimits`; the message says which limit and how to raise it."""


# When the exchange in progress on this thread must end (time.monotonic()), or None.
_DEADLINE: ContextVar[tuple[float, float] | None] = ContextVar("etk_exchange_deadline", default=None)


class _DeadlineExceeded(httpcore.ReadTimeout):
    """The whole exchange took longer than `TransferLimits.max_seconds` (a timeout, like Apache's)."""


def _remaining(timeout: float | None) -> float | None:
    """`timeout` shortened to the time left before the exchange's deadline."""
    deadline = _DEADLINE.get()
    if deadline is None:
        return timeout
    left = deadline[0] - time.monotonic()
    if left <= 0:
        raise _DeadlineExceeded(_past_deadline(deadline[1]))
    return left if timeout is None else min(timeout, left)


def _past_deadline(seconds: float) -> str:
    return f"the exchange took longer than its limit of {seconds:g} s (--max-time)"


def _deadline_passed() -> str | None:
    """Why a timeout happened when the exchange's deadline has passed (a read or connect
    shortened to the time left ran out), else None."""
    deadline = _DEADLINE.get()
    if deadline is None or time.monotonic() < deadline[0]:
        return None
    return _past_deadline(deadline[1])


class _DeadlineStream(httpcore.NetworkStream):
    """A network stream whose every read and write ends by the exchange's deadline."""

    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, _remaining(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, _remaining(timeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(self, ssl_context: ssl.SSLContext, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        return _DeadlineStream(self._stream.start_tls(ssl_context, server_hostname, _remaining(timeout)))

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class _AsyncDeadlineStream(httpcore.AsyncNetworkStream):
    """`_DeadlineStream` for the event loop."""

    def __init__(self, stream: httpcore.AsyncNetworkStream) -> None:
        self._stream = stream

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return await self._stream.read(max_bytes, _remaining(timeout))

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        await self._stream.write(buffer, _remaining(timeout))

    async def aclose(self) -> None:
        await self._stream.aclose()

    async def start_tls(self, ssl_context: ssl.SSLContext, server_hostname: str | None = None,
                        timeout: float | None = None) -> httpcore.AsyncNetworkStream:
        return _AsyncDeadlineStream(await self._stream.start_tls(ssl_context, server_hostname, _remaining(timeout)))

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


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
        match = re.fullmatch(r"(\[[^\]]*\]|[^:]*):([^:]*):(\[[^\]]*\]|[^:]*):([^:]*)", text)
        if match is None:
            raise EtkError(f"--connect-to {text!r}: expected HOST:PORT:CONNECT-TO-HOST:CONNECT-TO-PORT")
        host, port, to_host, to_port = match.groups()
        return cls(host.strip("[]"), _port(port, text), to_host.strip("[]"), _port(to_port, text))

    def route(self, host: str, port: int) -> tuple[str, int] | None:
        if (self.host and self.host.lower() != host.lower()) or (self.port and self.port != port):
            return None
        return (self.to_host or host, self.to_port or port)


def _port(text: str, connect_to: str) -> int:
    """A port of `--connect-to`: 1 to 65535, or 0 when left empty (any port, or the URL's own)."""
    if not text:
        return 0
    if re.fullmatch(r"[0-9]{1,5}", text) is None or not 1 <= int(text) <= 65535:
        raise EtkError(f"--connect-to {connect_to!r}: port {abbreviated(text)!r} is not a TCP port: give 1 to 65535, or leave it empty")
    return int(text)


def _route(overrides: tuple[ConnectTo, ...], host: str, port: int) -> tuple[str, int]:
    """Where a connection for `host:port` goes: the first matching override's target, or itself."""
    for override in overrides:
        target = override.route(host, port)
        if target is not None:
            return target
    return host, port


class _ConnectToBackend(httpcore.NetworkBackend):
    """Opens TCP connections to the overridden address (TLS still verifies the URL's host,
    because httpcore passes the origin's host to `start_tls` as the server name), with every
    network operation bounded by the exchange's deadline."""

    def __init__(self, overrides: tuple[ConnectTo, ...]) -> None:
        self._overrides = overrides
        self._backend = httpcore.SyncBackend()

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: Any = None) -> httpcore.NetworkStream:
        host, port = _route(self._overrides, host, port)
        return _DeadlineStream(self._backend.connect_tcp(host, port, timeout=_remaining(timeout),
                                                         local_address=local_address, socket_options=socket_options))

    def connect_unix_socket(self, path: str, timeout: float | None = None, socket_options: Any = None) -> httpcore.NetworkStream:
        return _DeadlineStream(self._backend.connect_unix_socket(path, timeout=_remaining(timeout), socket_options=socket_options))

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


class _AsyncConnectToBackend(httpcore.AsyncNetworkBackend):
    """`_ConnectToBackend` for the event loop (anyio: asyncio or trio)."""

    def __init__(self, overrides: tuple[ConnectTo, ...]) -> None:
        self._overrides = overrides
        self._backend = httpcore.AnyIOBackend()

    async def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                          socket_options: Any = None) -> httpcore.AsyncNetworkStream:
        host, port = _route(self._overrides, host, port)
        return _AsyncDeadlineStream(await self._backend.connect_tcp(
            host, port, timeout=_remaining(timeout), local_address=local_address, socket_options=socket_options))

    async def connect_unix_socket(self, path: str, timeout: float | None = None,
                                  socket_options: Any = None) -> httpcore.AsyncNetworkStream:
        return _AsyncDeadlineStream(await self._backend.connect_unix_socket(
            path, timeout=_remaining(timeout), socket_options=socket_options))

    async def sleep(self, seconds: float) -> None:
        await self._backend.sleep(seconds)


# The pool limits of an `httpx.Client` (`httpx.Limits()` itself is unbounded): at most 100
# connections, of which 20 are kept alive when idle. Unbounded, a burst of concurrent jobs leaves
# as many idle connections behind, and httpcore scans all of them for every request.
_LIMITS = httpx.Limits(max_connections=100, max_keepalive_connections=20)


class ConnectToTransport(httpx.HTTPTransport):
    """An `httpx.HTTPTransport` whose connection pool dials through `ConnectTo` overrides (none:
    the URL's own address) and ends every network operation by the exchange's deadline.

    httpx has no public switch for a network backend, so this replaces the transport's pool with
    an `httpcore.ConnectionPool(network_backend=...)` built with the same TLS context and limits.
    """

    def __init__(self, overrides: tuple[ConnectTo, ...] | list[ConnectTo], *, ssl_context: ssl.SSLContext,
                 limits: httpx.Limits = _LIMITS) -> None:
        super().__init__(verify=ssl_context, limits=limits)
        self._pool = httpcore.ConnectionPool(
            ssl_context=ssl_context,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=_ConnectToBackend(tuple(overrides)),
        )


class AsyncConnectToTransport(httpx.AsyncHTTPTransport):
    """`ConnectToTransport` for `httpx.AsyncClient`s and the `AsyncHttpClient`."""

    def __init__(self, overrides: tuple[ConnectTo, ...] | list[ConnectTo], *, ssl_context: ssl.SSLContext,
                 limits: httpx.Limits = _LIMITS) -> None:
        super().__init__(verify=ssl_context, limits=limits)
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=ssl_context,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=_AsyncConnectToBackend(tuple(overrides)),
        )


class _Decoder:
    """One content coding, decoded a bounded piece at a time (deflate: zlib or raw, as sent)."""

    def __init__(self, coding: str) -> None:
        self._raw_fallback = coding == "deflate"
        self._object = zlib.decompressobj(zlib.MAX_WBITS | 16 if coding in ("gzip", "x-gzip") else zlib.MAX_WBITS)

    def decode(self, data: bytes, piece: int) -> Iterator[bytes]:
        """The decoded bytes of `data`, in pieces of at most `piece` bytes."""
        while data:
            try:
                out = self._object.decompress(data, piece)
            except zlib.error as error:
                if not self._raw_fallback:
                    raise httpx.DecodingError(f"the response body does not decompress: {error}") from None
                self._raw_fallback = False  # servers that send raw deflate without the zlib wrapper
                self._object = zlib.decompressobj(-zlib.MAX_WBITS)
                continue
            self._raw_fallback = False
            data = self._object.unconsumed_tail
            if out:
                yield out

    def flush(self) -> bytes:
        """The last decoded bytes; a stream cut short does not decompress (Java: EOFException)."""
        tail = self._object.flush()
        if not self._object.eof:
            raise httpx.DecodingError("the compressed response body ends before its end of stream")
        return tail


_CODINGS = ("gzip", "x-gzip", "deflate")
_PIECE = 64 * 1024


class _BodyMeter:
    """Decodes a response body through `decoders` (outermost coding last) and bounds it by
    `limits`: fed the raw chunks as they arrive, it gives the decoded pieces."""

    def __init__(self, decoders: list[_Decoder], limits: TransferLimits) -> None:
        self._decoders, self._limits = decoders, limits
        self._received = self._decoded = 0

    def feed(self, chunk: bytes) -> Iterator[bytes]:
        """The decoded pieces of a raw `chunk`."""
        _remaining(None)  # a server dripping bytes meets the deadline between reads too
        self._received += len(chunk)
        limit, ratio = self._limits.max_response_bytes, self._limits.max_decompression_ratio
        for piece in self._decode(chunk, 0):
            self._decoded += len(piece)
            if self._decoded > limit:
                raise ResponseTooLarge(f"The response body is larger than {limit:,} bytes, the most etk reads "
                                       "(etk run --max-response-size)")
            if self._decoders and self._decoded > limits.DECOMPRESSION_RATIO_GRACE_BYTES and self._decoded > ratio * self._received:
                raise ResponseTooLarge(f"The response body expands more than {ratio:g}-fold when decompressed "
                                       "(a decompression bomb?; etk run --max-decompression-ratio)")
            yield piece

    def end(self) -> Iterator[bytes]:
        """The last decoded pieces, once the raw body has ended."""
        for index, decoder in enumerate(self._decoders):
            tail = decoder.flush()
            if tail:
                yield from self._decode(tail, index + 1)

    def _decode(self, data: bytes, start: int) -> Iterator[bytes]:
        """`data` through the decoders from `start` on (the last applied coding first)."""
        if start == len(self._decoders):
            yield data
            return
        for piece in self._decoders[start].decode(data, _PIECE):
            yield from self._decode(piece, start + 1)


class _BoundedBody(httpx.SyncByteStream):
    """A response body read through a `_BodyMeter`."""

    def __init__(self, raw: httpx.SyncByteStream, meter: _BodyMeter) -> None:
        self._raw, self._meter = raw, meter

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self._raw:
            yield from self._meter.feed(chunk)
        yield from self._meter.end()

    def close(self) -> None:
        self._raw.close()


class _AsyncBoundedBody(httpx.AsyncByteStream):
    """`_BoundedBody` for the event loop."""

    def __init__(self, raw: httpx.AsyncByteStream, meter: _BodyMeter) -> None:
        self._raw, self._meter = raw, meter

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self._raw:
            for piece in self._meter.feed(chunk):
                yield piece
        for piece in self._meter.end():
            yield piece

    async def aclose(self) -> None:
        await self._raw.aclose()


def _decoding(response: httpx.Response, limits: TransferLimits) -> tuple[list[tuple[bytes, bytes]], _BodyMeter, bool]:
    """The headers a response keeps once its body is decoded here, the meter that decodes it, and
    whether a `Content-Encoding` is left for httpx to decode: a decoded response loses
    `Content-Encoding` and `Content-Length`, as in Apache. Bodies in a coding other than gzip and
    deflate are passed on as they came (Apache ignores unknown codings; httpx decodes the codings
    it knows among them), bounded by size."""
    headers = response.headers.raw
    if "content-encoding" not in response.headers:  # the common case: nothing to decode
        return headers, _BodyMeter([], limits), False
    codings = [coding.strip().lower() for value in response.headers.get_list("content-encoding")
               for coding in value.split(",") if coding.strip()]
    decoded = [coding for coding in codings if coding != "identity"]
    if decoded and all(coding in _CODINGS for coding in decoded):
        headers = [(name, value) for name, value in headers if name.lower() not in (b"content-encoding", b"content-length")]
        return headers, _BodyMeter([_Decoder(coding) for coding in reversed(decoded)], limits), False
    return headers, _BodyMeter([], limits), True


def _read_bounded(response: httpx.Response, limits: TransferLimits) -> tuple[list[tuple[bytes, bytes]], bytes]:
    """The headers and the whole body of `response` (straight from the transport), decoded and
    bounded as `_BoundedTransport` and `Response.read()` would give them; the response is closed."""
    try:
        headers, meter, left = _decoding(response, limits)
        assert isinstance(response.stream, httpx.SyncByteStream)
        body = _BoundedBody(response.stream, meter)
        if left:
            return headers, httpx.Response(response.status_code, headers=headers, stream=body).read()
        return headers, b"".join(body)
    finally:
        response.close()


async def _aread_bounded(response: httpx.Response, limits: TransferLimits) -> tuple[list[tuple[bytes, bytes]], bytes]:
    """`_read_bounded` for the event loop."""
    try:
        headers, meter, left = _decoding(response, limits)
        assert isinstance(response.stream, httpx.AsyncByteStream)
        body = _AsyncBoundedBody(response.stream, meter)
        if left:
            return headers, await httpx.Response(response.status_code, headers=headers, stream=body).aread()
        return headers, b"".join([piece async for piece in body])
    finally:
        await response.aclose()


class _BoundedTransport(httpx.BaseTransport):
    """Wraps a transport so that every response body, redirects' included, is decoded and bounded
    (see `_decoding`)."""

    def __init__(self, inner: httpx.BaseTransport, limits: TransferLimits) -> None:
        self._inner, self._limits = inner, limits

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self._inner.handle_request(request)
        headers, meter, _ = _decoding(response, self._limits)
        assert isinstance(response.stream, httpx.SyncByteStream)
        return httpx.Response(status_code=response.status_code, headers=headers,
                              stream=_BoundedBody(response.stream, meter), extensions=response.extensions)

    def close(self) -> None:
        self._inner.close()


class _AsyncBoundedTransport(httpx.AsyncBaseTransport):
    """`_BoundedTransport` for the event loop."""

    def __init__(self, inner: httpx.AsyncBaseTransport, limits: TransferLimits) -> None:
        self._inner, self._limits = inner, limits

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self._inner.handle_async_request(request)
        headers, meter, _ = _decoding(response, self._limits)
        assert isinstance(response.stream, httpx.AsyncByteStream)
        return httpx.Response(status_code=response.status_code, headers=headers,
                              stream=_AsyncBoundedBody(response.stream, meter), extensions=response.extensions)

    async def aclose(self) -> None:
        await self._inner.aclose()


class _Kept(httpx.BaseTransport):
    """A transport lent to a per-request `httpx.Client`: closing that client leaves it open."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self._inner = inner

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self._inner.handle_request(request)


class _AsyncKept(httpx.AsyncBaseTransport):
    """`_Kept` for an `httpx.AsyncClient`."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self._inner = inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await self._inner.handle_async_request(request)


def make_ssl_context(ca_file: Path | str | None = None) -> ssl.SSLContext:
    """httpx's default trust store (certifi), plus `ca_file` (PEM) when given."""
    context = httpx.create_ssl_context()
    if ca_file is not None:
        try:
            context.load_verify_locations(cafile=str(ca_file))
        except (OSError, ssl.SSLError) as error:
            raise EtkError(f"{ca_file}: cannot load CA certificates: {error}") from None
    return context


_HTTPX_LOG = logging.getLogger("httpx")
_URLS_KEPT = 256


class _Exchanges:
    """What the sync and the async client share: turning a `PreparedRequest` into an
    `httpx.Request`, the exchange's deadline and the mapping of failures to the REST connector's
    errors, and the `RawResponse`.

    A request that follows no redirects and names no user in its URL goes straight to the
    transport: an `httpx.Client` would add nothing to it (its cookie jar, which Camunda's
    per-request Apache client does not share between requests, is emptied each time anyway).
    Any other request goes through a new `httpx.Client` over the same transport (and pool), as
    Camunda builds a new client for every request: cookies a response sets reach the redirects of
    that request only, and concurrent requests never see each other's.
    """

    def __init__(self, connect_to: tuple[ConnectTo, ...], limits: TransferLimits) -> None:
        self._connect_to = connect_to
        self.limits = limits
        self._urls: dict[str, httpx.URL] = {}

    def _request(self, prepared: PreparedRequest) -> httpx.Request:
        url, headers = _checked(prepared, self._urls)
        try:
            if isinstance(url, UnicodeError):
                raise url
            request = _httpx_request(prepared.method, url, headers, prepared.content)
        except UnicodeError as error:
            raise _no_dns_name(prepared, error) from error
        if len(self._urls) >= _URLS_KEPT:
            self._urls.clear()
        self._urls[prepared.url] = url
        request.extensions["timeout"] = _timeouts(prepared.connect_timeout, prepared.read_timeout)
        return request

    @staticmethod
    def _direct(request: httpx.Request, prepared: PreparedRequest) -> bool:
        """Whether `request` can skip `httpx.Client` (see the class docstring): a user in the URL
        makes httpx add Basic credentials, and redirects are the client's."""
        return not prepared.follow_redirects and not request.url.userinfo

    @staticmethod
    def _log(request: httpx.Request, response: httpx.Response) -> None:
        """httpx's own record of an exchange, which `httpx.Client` writes (masked for the job)."""
        if _HTTPX_LOG.isEnabledFor(logging.INFO):
            _HTTPX_LOG.info('HTTP Request: %s %s "%s %d %s"', request.method, request.url, response.http_version,
                            response.status_code, response.reason_phrase)

    @contextmanager
    def _exchange(self, request: httpx.Request, prepared: PreparedRequest) -> Iterator[None]:
        """The exchange's deadline, and its failures as the REST connector's errors."""
        seconds = self.limits.max_seconds
        deadline = _DEADLINE.set(None if seconds is None else (time.monotonic() + seconds, seconds))
        try:
            yield
        except ResponseTooLarge as error:
            raise ConnectorError(str(error), code=RESPONSE_TOO_LARGE) from error
        except _DeadlineExceeded as error:
            raise ConnectorError(TIMED_OUT, code="408", cause=str(error)) from error
        except (httpx.ReadTimeout, httpx.WriteTimeout, httpx.ConnectTimeout) as error:
            over = _chained(error, _DeadlineExceeded)
            cause = str(over) if over is not None else _deadline_passed()
            if cause is None and isinstance(error, httpx.ConnectTimeout):  # Apache: a plain I/O error
                raise ConnectorError(IO_FAILED, code="408", cause=self._cause(error, request, prepared)) from error
            raise ConnectorError(TIMED_OUT, code="408", cause=cause or self._cause(error, request, prepared)) from error
        except httpx.TooManyRedirects as error:
            raise ConnectorError(PROTOCOL_FAILED, code="500", cause=f"{error} (from {request.url.host})") from error
        except httpx.UnsupportedProtocol as error:
            raise ConnectorInputError(f"Invalid URL: {prepared.url}") from error
        except httpx.LocalProtocolError as error:  # a framing h11 refuses (two Content-Lengths)
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
        except UnicodeError as error:
            raise _no_dns_name(prepared, error) from error
        except httpx.DecodingError as error:  # Apache: a ZipException, an IOException
            raise ConnectorError(IO_FAILED, code="408", cause=str(error)) from error
        finally:
            _DEADLINE.reset(deadline)

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

    @staticmethod
    def _raw(response: httpx.Response, headers: list[tuple[bytes, bytes]], content: bytes) -> RawResponse:
        return RawResponse(
            status=response.status_code,
            reason=response.reason_phrase,
            headers=tuple((name.decode("latin-1"), value.decode("latin-1")) for name, value in headers),
            content=content,
        )


class HttpClient(_Exchanges):
    """The REST connector's HTTP client: a connection pool over an httpx transport.

    Use it as a context manager (or call `close()`); one instance serves many jobs, from one
    thread or several at once. `limits` bounds each exchange.
    """

    def __init__(
        self,
        *,
        transport: httpx.BaseTransport | None = None,
        connect_to: tuple[ConnectTo, ...] | list[ConnectTo] = (),
        ca_file: Path | str | None = None,
        ssl_context: ssl.SSLContext | None = None,
        limits: TransferLimits = TransferLimits(),
    ) -> None:
        super().__init__(tuple(connect_to) if transport is None else (), limits)
        if transport is None:
            transport = ConnectToTransport(connect_to, ssl_context=ssl_context or make_ssl_context(ca_file))
        self._inner = transport
        self._transport = _BoundedTransport(transport, limits)
        self._kept = _Kept(self._transport)

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._transport.close()

    def send(self, prepared: PreparedRequest) -> RawResponse:
        """Send `prepared` and read the whole response; failures become `ConnectorError`s."""
        request = self._request(prepared)
        with self._exchange(request, prepared):
            if self._direct(request, prepared):
                response = self._inner.handle_request(request)
                self._log(request, response)
                headers, content = _read_bounded(response, self.limits)
            else:
                with httpx.Client(transport=self._kept, trust_env=False) as client:
                    response = client.send(request, stream=True, follow_redirects=prepared.follow_redirects)
                    try:
                        headers, content = response.headers.raw, response.read()
                    finally:
                        response.close()
        return self._raw(response, headers, content)


class AsyncHttpClient(_Exchanges):
    """`HttpClient` for asyncio: many jobs in flight at once over one connection pool (an
    `httpx.AsyncBaseTransport`, which tests may inject). Use it with `async with` (or await
    `aclose()`)."""

    def __init__(
        self,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        connect_to: tuple[ConnectTo, ...] | list[ConnectTo] = (),
        ca_file: Path | str | None = None,
        ssl_context: ssl.SSLContext | None = None,
        limits: TransferLimits = TransferLimits(),
    ) -> None:
        super().__init__(tuple(connect_to) if transport is None else (), limits)
        if transport is None:
            transport = AsyncConnectToTransport(connect_to, ssl_context=ssl_context or make_ssl_context(ca_file))
        self._inner = transport
        self._transport = _AsyncBoundedTransport(transport, limits)
        self._kept = _AsyncKept(self._transport)

    async def __aenter__(self) -> AsyncHttpClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._transport.aclose()

    async def send(self, prepared: PreparedRequest) -> RawResponse:
        """Send `prepared` and read the whole response; failures become `ConnectorError`s."""
        request = self._request(prepared)
        with self._exchange(request, prepared):
            if self._direct(request, prepared):
                response = await self._inner.handle_async_request(request)
                self._log(request, response)
                headers, content = await _aread_bounded(response, self.limits)
            else:
                async with httpx.AsyncClient(transport=self._kept, trust_env=False) as client:
                    response = await client.send(request, stream=True, follow_redirects=prepared.follow_redirects)
                    try:
                        headers, content = response.headers.raw, await response.aread()
                    finally:
                        await response.aclose()
        return self._raw(response, headers, content)


_HEADERS_HTTPX_ADDS = frozenset({b"host", b"content-length", b"transfer-encoding"})


def _httpx_request(method: str, url: httpx.URL, headers: list[tuple[bytes, bytes]], content: bytes | None) -> httpx.Request:
    """`httpx.Request(method, url, headers=headers, content=content)`. With a body, and no header
    httpx would add itself, it is built as httpx builds it (`Host` first, `Content-Length` last:
    the same headers, in the same order) without a third of the work."""
    if not content or not url.host or any(name.lower() in _HEADERS_HTTPX_ADDS for name, _ in headers):
        return httpx.Request(method, url, headers=headers, content=content)
    request = httpx.Request(method, url, headers=[(b"Host", url.netloc), *headers, (b"Content-Length", b"%d" % len(content))],
                            stream=httpx.ByteStream(content))
    request.read()
    return request


def _no_dns_name(prepared: PreparedRequest, error: UnicodeError) -> ConnectorError:
    """A host name that cannot be a DNS name fails as an unknown host does (Java's resolver)."""
    host = urlsplit(prepared.url).hostname or ""
    return ConnectorError(IO_FAILED, code="408", cause=f"unknown host {host!r}: not a valid DNS name ({error})")


_HEADER_NAME = re.compile(rb"[-!#$%&'*+.^_`|~0-9a-zA-Z]+")


def check_sendable(prepared: PreparedRequest) -> list[tuple[bytes, bytes]]:
    """The request's headers as they go on the wire, or the `ConnectorInputError` of what cannot
    be sent (a URL httpx cannot parse, a header name that is no HTTP token, a NUL in a value).

    A value is written as Apache's line formatter writes it (CR, LF, FF, VT as spaces; ISO-8859-1,
    `?` for what it cannot hold), without leading or trailing spaces (HTTP ignores them; h11 will
    not send them). Messages name the header, never its value: it may hold a secret. A host name
    no resolver takes is no input error: it fails when sent, as an unknown host does.
    """
    return _checked(prepared, {})[1]


def _checked(prepared: PreparedRequest, urls: dict[str, httpx.URL]) -> tuple[httpx.URL | UnicodeError, list[tuple[bytes, bytes]]]:
    """`check_sendable`, with the parsed URL (from `urls` when known), or the `UnicodeError` of a
    host name that cannot be a DNS name."""
    url: httpx.URL | UnicodeError | None = urls.get(prepared.url)
    if url is None:
        try:
            url = httpx.URL(prepared.url)
        except UnicodeError as error:
            url = error
        except httpx.InvalidURL:
            raise ConnectorInputError(f"Invalid URL: {prepared.url}") from None
    headers = []
    for name, value in prepared.headers:
        raw_name = name.encode("latin-1", "replace")
        if _HEADER_NAME.fullmatch(raw_name) is None:
            raise ConnectorInputError(f"The request cannot be sent: Illegal header name {raw_name!r}")
        raw_value = value.translate(_HEADER_VALUE_SPACES).encode("latin-1", "replace").strip(b" \t")
        if b"\0" in raw_value:
            raise ConnectorInputError(f"The request cannot be sent: the value of header {name!r} holds a NUL "
                                      "character, which HTTP does not allow")
        headers.append((raw_name, raw_value))
    return url, headers


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
