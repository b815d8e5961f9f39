"""Errors a user of a fake service can cause (a bad host, a missing package, a port in use)."""

from __future__ import annotations

from generator.errors import EtkError


class FakeServiceError(EtkError):
    """A fake service cannot start as configured; the message says why and what to do."""
