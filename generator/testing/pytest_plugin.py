"""pytest plugin registered as the `etk` pytest11 entry point: fixtures for the loopback fake services."""

from __future__ import annotations
