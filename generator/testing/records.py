"""What the fake received: one record per HTTP request, in arrival order, for exact assertions."""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from generator.jsontext import JsonReadError, parse_json
from generator.limits import MAX_RECORDED_BYTES, MAX_RECORDED_REQUESTS


@dataclass(frozen=True)
class RecordedRequest:
    """One received request.

    method: as sent (`"POST"`); path: without the query, not percent-decoded; query_string: the raw
    query; query: its parameters (first value of each name); headers: names lower-cased, in arrival
    order, repeated headers joined with ", "; body: the raw bytes; json: the parsed body, or None when
    the body is not JSON.
    """

    method: str
    path: str
    query_string: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes
    json: Any

    @classmethod
    def build(cls, method: str, target: str, headers: list[tuple[str, str]], body: bytes) -> RecordedRequest:
        path, _, query_string = target.partition("?")
        query: dict[str, str] = {}
        for name, value in parse_qsl(query_string, keep_blank_values=True):
            query.setdefault(name, value)
        merged: dict[str, str] = {}
        for name, value in headers:
            key = name.lower()
            merged[key] = f"{merged[key]}, {value}" if key in merged else value
        try:
            parsed = parse_json(body.decode("utf-8"), as_jackson=True) if body else None
        except (UnicodeDecodeError, JsonReadError):
            parsed = None
        return cls(method, path, query_string, query, merged, body, parsed)


class RequestLog:
    """The requests a fake received, oldest first; safe to use from the server's threads.

    A ring: it keeps the newest `max_records` requests with at most `max_bytes` of bodies in all
    (a JSON body counts twice: it is kept parsed too; the newest is always kept), so a fake that
    runs for days keeps bounded memory.
    """

    def __init__(self, service_name: str, *, max_records: int = MAX_RECORDED_REQUESTS,
                 max_bytes: int = MAX_RECORDED_BYTES) -> None:
        if max_records < 1:
            raise ValueError("max_records must be at least 1")
        self._service_name = service_name
        self._lock = threading.Lock()
        self._records: deque[RecordedRequest] = deque(maxlen=max_records)
        self._max_bytes = max_bytes
        self._bytes = 0
        self._count = 0

    def add(self, request: RecordedRequest) -> int:
        """Record `request`; returns its number (1 for the first since the last `clear`), which
        keeps counting when older requests leave the ring."""
        with self._lock:
            if len(self._records) == self._records.maxlen:
                self._bytes -= _kept_bytes(self._records[0])
            self._records.append(request)
            self._bytes += _kept_bytes(request)
            while self._bytes > self._max_bytes and len(self._records) > 1:
                self._bytes -= _kept_bytes(self._records.popleft())
            self._count += 1
            return self._count

    def all(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._records)

    def last(self) -> RecordedRequest:
        with self._lock:
            if not self._records:
                raise LookupError(f"{self._service_name} has received no request yet")
            return self._records[-1]

    def clear(self) -> None:
        with self._lock:
            self._records.clear()
            self._bytes = self._count = 0


def _kept_bytes(request: RecordedRequest) -> int:
    """About what keeping `request` costs: its body, twice when it is also kept parsed."""
    return len(request.body) * (1 if request.json is None else 2)


class ReceivesRequests:
    """What every fake offers tests about received requests (`requests`, `last_request`); it keeps
    them in `self._received`."""

    _received: RequestLog

    @property
    def requests(self) -> list[RecordedRequest]:
        """The requests received since the start or the last `reset()`, oldest first (the newest
        of them: see `RequestLog`)."""
        return self._received.all()

    @property
    def last_request(self) -> RecordedRequest:
        """The most recent request (LookupError when none arrived yet)."""
        return self._received.last()
