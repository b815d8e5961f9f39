"""pytest plugin of etk (entry point `pytest11: etk`): fixtures that start etk's fake services.

Installing etk makes these fixtures available in every pytest run:
- `azure_openai`: a started `FakeAzureOpenAI` over plain HTTP on 127.0.0.1 (api key `test-api-key`,
  deployment `mydeployment` running `gpt-35-turbo`), stopped after the test;
- `azure_openai_tls`: the same over HTTPS with a fresh test CA (`fake.ca_file`, `fake.ssl_context()`);
  needs the `trustme` package (`pip install 'element-template-kit[test]'`).
- `openapi_fake`: a factory, `openapi_fake("api.yaml", api_keys=["k"], seed=1)` starts a
  `FakeOpenAPIService` for that API description (needs the `openapi` extra); every fake it started
  is stopped after the test.
All are function-scoped, so every test starts with no recorded requests and nothing scripted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:  # imported lazily so that loading the plugin costs nothing for unrelated test runs
    from generator.testing.azure_openai import FakeAzureOpenAI
    from generator.testing.openapi import FakeOpenAPIService


@pytest.fixture
def azure_openai() -> Iterator[FakeAzureOpenAI]:
    """A running fake Azure OpenAI service over HTTP (`azure_openai.url`, `.requests`, `.reply_with(...)`)."""
    from generator.testing.azure_openai import FakeAzureOpenAI

    with FakeAzureOpenAI() as fake:
        yield fake


@pytest.fixture
def azure_openai_tls() -> Iterator[FakeAzureOpenAI]:
    """A running fake Azure OpenAI service over HTTPS; trust `azure_openai_tls.ca_file` or `.ssl_context()`."""
    from generator.testing.azure_openai import FakeAzureOpenAI

    with FakeAzureOpenAI(tls=True) as fake:
        yield fake


@pytest.fixture
def openapi_fake() -> Iterator[Callable[..., FakeOpenAPIService]]:
    """Start fakes of API descriptions: `fake = openapi_fake("api.yaml", api_keys=["k"])`, then call `fake.url`."""
    from generator.testing.openapi import FakeOpenAPIService

    started: list[FakeOpenAPIService] = []

    def start(spec: str | Path, **options: Any) -> FakeOpenAPIService:
        fake = FakeOpenAPIService(spec, **options).start()
        started.append(fake)
        return fake

    try:
        yield start
    finally:
        for fake in started:
            fake.stop()
