"""`FakeAzureOpenAI`: the fake service behind a real threaded HTTP(S) server on a loopback port."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping

from generator.limits import MAX_RECORDED_BYTES, MAX_RECORDED_REQUESTS, MAX_REQUEST_BODY_BYTES
from generator.testing.azure_openai.service import (
    DEFAULT_API_KEY,
    DEFAULT_DEPLOYMENTS,
    DEFAULT_REQUESTS_PER_MINUTE,
    DEFAULT_TOKENS_PER_MINUTE,
    AzureOpenAIService,
)
from generator.testing.azure_openai.versions import KNOWN_VERSIONS
from generator.testing.loopback import LoopbackService


class FakeAzureOpenAI(AzureOpenAIService, LoopbackService):
    """A fake Azure OpenAI data-plane service on 127.0.0.1, for tests. Use it as a context manager::

        with FakeAzureOpenAI(deployments={"mydeployment": "gpt-35-turbo"}) as fake:
            httpx.post(f"{fake.url}/openai/deployments/mydeployment/chat/completions",
                       params={"api-version": "2024-02-01"}, headers={"api-key": "test-api-key"},
                       json={"messages": [{"role": "user", "content": "Hi"}]})
            assert fake.requests[0].json["messages"][0]["content"] == "Hi"

    Keyword arguments: `api_keys` and `tokens` accepted as `api-key` header or `Authorization: Bearer`;
    `deployments` maps deployment ids to model names; `tls` serves HTTPS with a fresh test CA;
    `clock` gives `created` and the quota minute; `host`/`port` where to listen (port 0: any free one),
    a non-loopback host only with `allow_remote`; `api_versions` restricts the accepted versions;
    `log` receives one line per answered request; `tokens_per_minute`/`requests_per_minute` set the
    quota reported in `x-ratelimit-remaining-*` headers; `max_records` and `max_recorded_bytes` bound
    the ring `requests` keeps; `max_body_bytes` is the largest body read (a larger one gets 413).
    """

    display_name = "the fake Azure OpenAI service"
    server_names = ("*.openai.azure.com",)
    server_header = "etk-fake-azure-openai"

    def __init__(
        self,
        *,
        api_keys: Iterable[str] = (DEFAULT_API_KEY,),
        tokens: Iterable[str] = (),
        deployments: Mapping[str, str] = DEFAULT_DEPLOYMENTS,
        tls: bool = False,
        clock: Callable[[], float] = time.time,
        host: str = "127.0.0.1",
        port: int = 0,
        allow_remote: bool = False,
        api_versions: Iterable[str] = KNOWN_VERSIONS,
        log: Callable[[str], None] | None = None,
        tokens_per_minute: int = DEFAULT_TOKENS_PER_MINUTE,
        requests_per_minute: int = DEFAULT_REQUESTS_PER_MINUTE,
        max_records: int = MAX_RECORDED_REQUESTS,
        max_recorded_bytes: int = MAX_RECORDED_BYTES,
        max_body_bytes: int = MAX_REQUEST_BODY_BYTES,
    ) -> None:
        AzureOpenAIService.__init__(self, api_keys=api_keys, tokens=tokens, deployments=deployments, clock=clock,
                                    api_versions=api_versions, tokens_per_minute=tokens_per_minute,
                                    requests_per_minute=requests_per_minute, max_records=max_records,
                                    max_recorded_bytes=max_recorded_bytes)
        LoopbackService.__init__(self, tls=tls, host=host, port=port, allow_remote=allow_remote, log=log,
                                 max_body_bytes=max_body_bytes)
