"""pytest plugin of etk (entry point `pytest11: etk`): fixtures that start a fake Azure OpenAI service.

Installing etk makes these fixtures available in every pytest run:
- `azure_openai`: a started `FakeAzureOpenAI` over plain HTTP on 127.0.0.1 (api key `test-api-key`,
  deployment `mydeployment` running `gpt-35-turbo`), stopped after the test;
- `azure_openai_tls`: the same over HTTPS with a fresh test CA (`fake.ca_file`, `fake.ssl_context()`);
  needs the `trustme` package (`pip install 'element-template-kit[test]'`).
Both are function-scoped, so every test starts with no recorded requests and nothing scripted.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:  # imported lazily so that loading the plugin costs nothing for unrelated test runs
    from generator.testing.azure_openai import FakeAzureOpenAI


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
