"""What tests script the fake to do: replies to give, failures to answer with, words that trip the content filter."""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass
from typing import Any

CATEGORIES = ("hate", "self_harm", "sexual", "violence")
SEVERITIES = ("safe", "low", "medium", "high")


@dataclass(frozen=True)
class Reply:
    """The model's answer to one call (every choice of that call gets it).

    content: the assistant message / completion text; None with `filtered` means nothing was returned.
    finish_reason: forced finish reason; by default "stop", or "length" when `max_tokens` cuts the text.
    completion_tokens: `usage.completion_tokens` per choice; by default counted from the text.
    filtered: a content-filter category ("hate", "self_harm", "sexual", "violence") that filtered the
      output: HTTP 200 with `finish_reason: content_filter`, as Azure answers then.
    severity: the severity reported for `filtered`.
    citations: On-Your-Data citations (`{"content": ..., "title": ..., "url": ..., "filepath": ...,
      "chunk_id": ...}`); by default one per data source of the request.
    intent: On-Your-Data intent; by default the question as a JSON list.
    """

    content: str | None
    finish_reason: str | None = None
    completion_tokens: int | None = None
    filtered: str | None = None
    severity: str = "high"
    citations: tuple[dict[str, Any], ...] | None = None
    intent: str | None = None

    def __post_init__(self) -> None:
        if self.filtered is not None and self.filtered not in CATEGORIES:
            raise ValueError(f"filtered must be one of {', '.join(CATEGORIES)}, not {self.filtered!r}")
        if self.severity not in SEVERITIES:
            raise ValueError(f"severity must be one of {', '.join(SEVERITIES)}, not {self.severity!r}")
        if self.content is None and self.filtered is None:
            raise ValueError("a Reply needs content unless its output is filtered")


@dataclass(frozen=True)
class Failure:
    """A scripted error answer: `status`, the `retry-after` seconds of a 429, or a body to send verbatim."""

    status: int
    retry_after: int = 1
    body: bytes | None = None


@dataclass(frozen=True)
class BlockedWord:
    word: str
    category: str
    severity: str


class Script:
    """Thread-safe queues of scripted replies and failures, and the words the prompt filter blocks."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._replies: deque[Reply] = deque()
        self._failures: deque[Failure] = deque()
        self._blocked: list[BlockedWord] = []

    def add_replies(self, replies: list[Reply]) -> None:
        with self._lock:
            self._replies.extend(replies)

    def add_failures(self, failure: Failure, count: int) -> None:
        with self._lock:
            self._failures.extend([failure] * count)

    def block(self, words: list[BlockedWord]) -> None:
        with self._lock:
            self._blocked.extend(words)

    def next_failure(self) -> Failure | None:
        with self._lock:
            return self._failures.popleft() if self._failures else None

    def next_reply(self) -> Reply | None:
        with self._lock:
            return self._replies.popleft() if self._replies else None

    def blocked_word_in(self, text: str) -> BlockedWord | None:
        """The first blocked word found in `text` (case-insensitive substring match)."""
        lowered = text.lower()
        with self._lock:
            return next((blocked for blocked in self._blocked if blocked.word.lower() in lowered), None)

    def clear(self) -> None:
        with self._lock:
            self._replies.clear()
            self._failures.clear()
            self._blocked.clear()
