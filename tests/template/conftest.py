"""Fixtures for template tests: the definition writer of the definition tests."""

from __future__ import annotations

from tests.definition.conftest import write_definition  # noqa: F401 (a fixture, used by name)
