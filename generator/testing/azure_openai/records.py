"""What the fake received: one record per HTTP request, in arrival order, for exact assertions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from generator.jsontext import JsonReadError, parse_json


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
