"""Time for the runtime, injectable: FEEL's `now()`, OAuth token expiry and retry backoff sleeps.

Production code uses `SystemClock`; tests (ours and users') pass a `ManualClock`, whose `sleep`
advances its time instead of waiting, so a retry backoff of PT30S costs nothing.
"""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """What the runtime needs from time."""

    def now(self) -> datetime:
        """The current instant as an aware datetime."""

    def sleep(self, seconds: float) -> None:
        """Wait `seconds` (a retry backoff)."""


class SystemClock:
    """The real clock: UTC now, `time.sleep`."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds)


class ManualClock:
    """A clock that moves only when told to, or when something sleeps on it.

    `sleeps` records every requested sleep in seconds, so tests can assert the backoffs taken.
    """

    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or datetime(2024, 1, 1, tzinfo=UTC)
        self.sleeps: list[float] = []

    def now(self) -> datetime:
        return self._now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.advance(seconds)

    def advance(self, seconds: float) -> None:
        """Move the clock forward by `seconds`."""
        self._now += timedelta(seconds=max(seconds, 0))


async def sleep_async(clock: Clock, seconds: float) -> None:
    """`clock.sleep` on an event loop: the system clock waits with `asyncio.sleep`, never blocking
    the loop; any other clock sleeps its own way (a `ManualClock` only moves its time)."""
    if isinstance(clock, SystemClock):
        if seconds > 0:
            await asyncio.sleep(seconds)
    else:
        clock.sleep(seconds)
