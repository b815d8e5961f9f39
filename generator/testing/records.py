"""What the fake received: one record per HTTP request, in arrival order, for exact assertions."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl


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
            parsed = json.loads(body.decode("utf-8")) if body else None
        except (UnicodeDecodeError, json.JSONDecodeError):
            parsed = None
        return cls(method, path, query_string, query, merged, body, parsed)


class RequestLog:
    """The requests a fake received, oldest first; safe to use from the server's threads."""

    def __init__(self, service_name: str) -> None:
        self._service_name = service_name
        self._lock = threading.Lock()
        self._records: list[RecordedRequest] = []

    def add(self, request: RecordedRequest) -> int:
        """Record `request`; returns its number (1 for the first since the last `clear`)."""
        with self._lock:
            self._records.append(request)
            return len(self._records)

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


class ReceivesRequests:
    """What every fake offers tests about received requests (`requests`, `last_request`); it keeps
    them in `self._received`."""

    _received: RequestLog

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request received since the start or the last `reset()`, oldest first."""
        return self._received.all()

    @property
    def last_request(self) -> RecordedRequest:
        """The most recent request (LookupError when none arrived yet)."""
        return self._received.last()
