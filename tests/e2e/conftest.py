"""Fixtures for end-to-end runs of the Azure OpenAI template against the fake service."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.apply import apply_template
from generator.runtime import ConnectTo, HttpClient
from generator.task import AppliedTask
from generator.testing.azure_openai import FakeAzureOpenAI

REPO = Path(__file__).resolve().parents[2]
AZURE_TEMPLATE = REPO / "dist" / "azure-openai.json"
API_KEY = "azure-key-7f3c9e1d"  # what the AZURE_OAI_SECRET secret holds in these tests


@pytest.fixture(scope="session")
def azure_template() -> dict:
    return json.loads(AZURE_TEMPLATE.read_text(encoding="utf-8"))


def apply(template: dict, **values: str) -> AppliedTask:
    return apply_template(template, values)


@pytest.fixture
def fake() -> Iterator[FakeAzureOpenAI]:
    """The fake service over TLS, accepting API key `API_KEY` and the bearer token `entra-token`."""
    with FakeAzureOpenAI(api_keys=[API_KEY], tokens=["entra-token"], tls=True) as running:
        yield running


@pytest.fixture
def azure_http(fake: FakeAzureOpenAI) -> Iterator[HttpClient]:
    """An HTTP client that sends https://myresource.openai.azure.com to the fake, trusting its CA."""
    route = ConnectTo("myresource.openai.azure.com", 443, "127.0.0.1", fake.port)
    with HttpClient(connect_to=[route], ca_file=fake.ca_file) as client:
        yield client
