"""Fixtures for the runtime tests: loopback servers, an HTTP client, a manual clock, and a
builder for REST-connector tasks as the Modeler would write them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import trustme

from generator.runtime import HttpClient, ManualClock
from generator.task import AppliedTask, InputMapping, TaskHeader

from .loopback import LoopbackServer


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    with LoopbackServer() as running:
        yield running


@pytest.fixture
def token_server() -> Iterator[LoopbackServer]:
    """A second server, playing an OAuth token endpoint."""
    with LoopbackServer() as running:
        yield running


@pytest.fixture
def http() -> Iterator[HttpClient]:
    with HttpClient() as client:
        yield client


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture(scope="session")
def test_ca() -> trustme.CA:
    return trustme.CA(organization_name="etk runtime test CA")


def rest_task(inputs: dict[str, str | None], headers: dict[str, str] | None = None, retries: str | None = "3") -> AppliedTask:
    """A REST connector task: `inputs` are target -> source as written in the XML."""
    return AppliedTask(
        job_type="io.camunda:http-json:1",
        retries=retries,
        inputs=tuple(InputMapping(target, source) for target, source in inputs.items()),
        headers=tuple(TaskHeader(key, value) for key, value in (headers or {}).items()),
        element_id="Task_1",
    )
