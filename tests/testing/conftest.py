"""Fixtures for the tests of `generator.testing`: a started fake with a fixed clock, and an httpx client."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from generator.testing.azure_openai import DEFAULT_API_KEY, FakeAzureOpenAI

CREATED = 1_700_000_000
DEPLOYMENTS = {"mydeployment": "gpt-35-turbo", "gpt4o": "gpt-4o"}
TOKEN = "entra-id-token"


@pytest.fixture
def fake() -> Iterator[FakeAzureOpenAI]:
    with FakeAzureOpenAI(deployments=DEPLOYMENTS, tokens=(TOKEN,), clock=lambda: CREATED) as service:
        yield service


@pytest.fixture
def client(fake: FakeAzureOpenAI) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=fake.url) as http:
        yield http


def call(client: httpx.Client, operation: str, body: Any, api_version: str | None = "2024-10-21",
         deployment: str = "mydeployment", headers: dict[str, str] | None = None) -> httpx.Response:
    """POST `body` (JSON, or raw bytes) to an operation path with the default key unless `headers` are given."""
    params = {} if api_version is None else {"api-version": api_version}
    sent_headers = {"api-key": DEFAULT_API_KEY} if headers is None else headers
    path = f"/openai/deployments/{deployment}/{operation}"
    if isinstance(body, bytes):
        return client.post(path, params=params, headers=sent_headers, content=body)
    return client.post(path, params=params, headers=sent_headers, json=body)


USER_HI = {"messages": [{"role": "user", "content": "Hi"}]}
