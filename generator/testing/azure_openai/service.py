"""The fake Azure OpenAI service without its transport: a received request in, the answer Azure would give out.

Checks run in the order a request meets them at Azure: the front end (Content-Length), the gateway
(route, method, `api-version`, key or token), the deployment lookup, the rate limiter (scripted
failures), request validation, the prompt content filter, then the model.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Mapping
from typing import Any
from urllib.parse import unquote

from generator.limits import MAX_RECORDED_BYTES, MAX_RECORDED_REQUESTS
from generator.testing.azure_openai import answers, responses
from generator.testing.azure_openai.answers import compact_json
from generator.testing.azure_openai.generation import (
    Choice,
    chat_question,
    default_citations,
    default_intent,
    default_reply,
    generate,
    prompt_texts,
)
from generator.testing.azure_openai.logprobs import chat_logprobs, completion_logprobs
from generator.testing.azure_openai.script import CATEGORIES, SEVERITIES, BlockedWord, Failure, Reply, Script
from generator.testing.azure_openai.tokens import chat_prompt_tokens, content_text, count_tokens
from generator.testing.azure_openai.validation import CheckedRequest, check_request
from generator.testing.azure_openai.versions import (
    COMPLETIONS,
    EXTENSIONS,
    KNOWN_VERSIONS,
    OPERATION_IDS,
    ApiVersion,
    lookup_version,
)
from generator.testing.loopback import Answer
from generator.testing.records import ReceivesRequests, RecordedRequest, RequestLog

DEFAULT_API_KEY = "test-api-key"
DEFAULT_DEPLOYMENTS: Mapping[str, str] = {"mydeployment": "gpt-35-turbo"}
# Azure's default quota for a gpt-35-turbo deployment: 120K tokens per minute, 6 requests per 1K tokens.
DEFAULT_TOKENS_PER_MINUTE = 120_000
DEFAULT_REQUESTS_PER_MINUTE = 720

_ROUTE = re.compile(r"^/openai/deployments/(?P<deployment>[^/]+)/(?P<operation>completions|chat/completions|"
                    r"extensions/chat/completions)$")
_BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


class AzureOpenAIService(ReceivesRequests):
    """Configured keys, tokens and deployments; the record of requests; what tests scripted."""

    def __init__(
        self,
        *,
        api_keys: Iterable[str] = (DEFAULT_API_KEY,),
        tokens: Iterable[str] = (),
        deployments: Mapping[str, str] = DEFAULT_DEPLOYMENTS,
        clock: Callable[[], float] = time.time,
        api_versions: Iterable[str] = KNOWN_VERSIONS,
        tokens_per_minute: int = DEFAULT_TOKENS_PER_MINUTE,
        requests_per_minute: int = DEFAULT_REQUESTS_PER_MINUTE,
        max_records: int = MAX_RECORDED_REQUESTS,
        max_recorded_bytes: int = MAX_RECORDED_BYTES,
    ) -> None:
        self.api_keys = frozenset(api_keys)
        self.tokens = frozenset(tokens)
        self.deployments = dict(deployments)
        unknown = sorted(set(api_versions) - set(KNOWN_VERSIONS))
        if unknown:
            raise ValueError(f"unknown api-versions {', '.join(unknown)}; known: {', '.join(KNOWN_VERSIONS)}")
        self.api_versions = frozenset(api_versions)
        self._clock = clock
        self._tokens_per_minute = tokens_per_minute
        self._requests_per_minute = requests_per_minute
        self._script = Script()
        self._lock = threading.Lock()
        self._received = RequestLog("the fake Azure OpenAI service", max_records=max_records,
                                    max_bytes=max_recorded_bytes)
        self._usage: dict[tuple[str, int], tuple[int, int]] = {}

    # --- what was received ------------------------------------------------------------------------

    def reset(self) -> None:
        """Forget received requests, scripted replies and failures, blocked words and quota usage."""
        self._received.clear()
        with self._lock:
            self._usage.clear()
        self._script.clear()

    # --- scripting ----------------------------------------------------------------------------------

    def reply_with(self, *replies: str | Reply) -> None:
        """Queue replies for the next successful calls, one per call (strings become `Reply(text)`);
        when the queue is empty the default reply is used again."""
        self._script.add_replies([Reply(reply) if isinstance(reply, str) else reply for reply in replies])

    def fail_next(self, status: int = 429, count: int = 1, retry_after: int = 1, body: bytes | None = None) -> None:
        """Answer the next `count` calls that reach a deployment with `status` instead of a completion.

        429 carries Azure's rate-limit message and `retry-after`/`retry-after-ms` headers, 500 Azure's
        server error, 401 and 404 the gateway's answers; `body` replaces the body verbatim.
        """
        if not 400 <= status <= 599:
            raise ValueError(f"status must be an HTTP error status (400-599), not {status}")
        if count < 1 or retry_after < 0:
            raise ValueError("count must be at least 1 and retry_after not negative")
        self._script.add_failures(Failure(status, retry_after, body), count)

    def block_words(self, *words: str, category: str = "violence", severity: str = "medium") -> None:
        """Make prompts containing any of `words` (case-insensitive) fail with Azure's content-filter 400,
        reporting `category` filtered at `severity`."""
        if category not in CATEGORIES or severity not in SEVERITIES:
            raise ValueError(f"category must be one of {CATEGORIES} and severity one of {SEVERITIES}")
        self._script.block([BlockedWord(word, category, severity) for word in words])

    # --- answering ----------------------------------------------------------------------------------

    def answer(self, request: RecordedRequest, *, length_missing: bool = False) -> Answer:
        """Record `request` and return Azure's answer to it (always with an `apim-request-id` header)."""
        sequence = self._received.add(request)
        request_id = str(uuid.UUID(int=sequence))
        return self._answer(request, length_missing, sequence, request_id).with_headers(
            ("apim-request-id", request_id)
        )

    def _answer(self, request: RecordedRequest, length_missing: bool, sequence: int, request_id: str) -> Answer:
        if length_missing and request.method == "POST":
            return answers.length_required()
        route = _ROUTE.match(request.path)
        if route is None:
            return answers.resource_not_found()
        if request.method != "POST":
            return answers.method_not_allowed()
        operation = route["operation"]
        version = lookup_version(request.query.get("api-version", ""), self.api_versions)
        if version is None or not version.has_operation(operation):
            return answers.resource_not_found()
        if not self._authorized(request.headers):
            return answers.access_denied()
        deployment = unquote(route["deployment"])
        if deployment not in self.deployments:
            return answers.deployment_not_found()
        failure = self._script.next_failure()
        if failure is not None:
            return _failure_answer(failure, operation, version, request_id)
        checked = check_request(operation, version, request.body, request_id)
        if isinstance(checked, Answer):
            return checked
        blocked = self._script.blocked_word_in("\n".join(_prompt_texts(operation, checked.body)))
        if blocked is not None:
            return answers.prompt_filtered(responses.filter_results(blocked.category, blocked.severity))
        body = self._completion(operation, version, checked, deployment, sequence)
        return Answer(200, compact_json(body)).with_headers(*self._quota_headers(deployment, body["usage"]))

    def _authorized(self, headers: Mapping[str, str]) -> bool:
        if headers.get("api-key") in self.api_keys:
            return True
        scheme, _, token = headers.get("authorization", "").partition(" ")
        return scheme.lower() == "bearer" and token.strip() in self.tokens

    def _completion(self, operation: str, version: ApiVersion, checked: CheckedRequest, deployment: str,
                    sequence: int) -> dict[str, Any]:
        body = checked.body
        model = self.deployments[deployment]
        common: dict[str, Any] = {
            "response_id": ("cmpl-" if operation == COMPLETIONS else "chatcmpl-") + _identifier(sequence),
            "created": int(self._clock()),
            "model": model,
        }
        fingerprint = "fp_" + hashlib.sha256(model.encode("utf-8")).hexdigest()[:10]
        scripted = self._script.next_reply()
        if operation == COMPLETIONS:
            return self._text_completion(version, body, scripted, common, fingerprint)
        question = chat_question(body["messages"])
        reply = scripted or default_reply(question)
        limit = body.get("max_completion_tokens") or body.get("max_tokens")
        choices = [generate(reply, body.get("stop"), limit) for _ in range(body.get("n") or 1)]
        prompt_tokens = chat_prompt_tokens(body["messages"])
        if operation == EXTENSIONS:
            sources = body.get("dataSources") or []
            citations = reply.citations if reply.citations is not None else default_citations(sources, "indexName")
            choices = _cite(choices, citations, scripted)
            return responses.legacy_extension_completion(
                **common, choices=choices, prompt_tokens=prompt_tokens, citations=list(citations),
                intent=reply.intent or default_intent(question))
        context = None
        if checked.on_your_data:
            citations = (reply.citations if reply.citations is not None
                         else default_citations(body["data_sources"], "index_name"))
            choices = _cite(choices, citations, scripted)
            context = {"citations": list(citations), "intent": reply.intent or default_intent(question)}
        if body.get("logprobs") is True:
            choices = [dataclasses.replace(choice, logprobs=chat_logprobs(
                choice.text, body.get("top_logprobs") or 0, version.refusal)) for choice in choices]
        return responses.chat_completion(version, **common, fingerprint=fingerprint, choices=choices,
                                         prompt_tokens=prompt_tokens, context=context)

    def _text_completion(self, version: ApiVersion, body: dict[str, Any], scripted: Reply | None,
                         common: dict[str, Any], fingerprint: str) -> dict[str, Any]:
        prompts = prompt_texts(body.get("prompt"))
        limit = body["max_tokens"] if body.get("max_tokens") is not None else 16  # the spec's default
        choices: list[Choice] = []
        for prompt in prompts:
            reply = scripted or default_reply(prompt)
            for _ in range(body.get("n") or 1):
                choice = generate(reply, body.get("stop"), limit)
                echoed = prompt if body.get("echo") and choice.text is not None else ""
                if echoed:
                    choice = dataclasses.replace(choice, text=echoed + (choice.text or ""))
                if body.get("logprobs") is not None:
                    choice = dataclasses.replace(choice, logprobs=completion_logprobs(
                        choice.text or "", len(echoed), body["logprobs"]))
                choices.append(choice)
        return responses.text_completion(version, **common, fingerprint=fingerprint, choices=choices,
                                         prompt_count=len(prompts),
                                         prompt_tokens=sum(count_tokens(prompt) for prompt in prompts))

    def _quota_headers(self, deployment: str, usage: Mapping[str, int]) -> tuple[tuple[str, str], ...]:
        """Remaining requests and tokens of the deployment's quota in the current clock minute
        (informational: the fake throttles only when scripted with `fail_next`)."""
        window = (deployment, int(self._clock() // 60))
        with self._lock:
            used_requests, used_tokens = self._usage.get(window, (0, 0))
            used_requests, used_tokens = used_requests + 1, used_tokens + usage["total_tokens"]
            self._usage[window] = (used_requests, used_tokens)
        return (
            ("x-ratelimit-remaining-requests", str(max(0, self._requests_per_minute - used_requests))),
            ("x-ratelimit-remaining-tokens", str(max(0, self._tokens_per_minute - used_tokens))),
        )


def _failure_answer(failure: Failure, operation: str, version: ApiVersion, request_id: str) -> Answer:
    if failure.body is not None:
        return Answer(failure.status, failure.body)
    if failure.status == 429:
        return answers.rate_limited(OPERATION_IDS[operation], version.name, failure.retry_after)
    builders: dict[int, Callable[[], Answer]] = {
        401: answers.access_denied,
        404: answers.deployment_not_found,
        500: lambda: answers.server_error(request_id),
    }
    return builders.get(failure.status, lambda: answers.generic_error(failure.status))()


def _prompt_texts(operation: str, body: dict[str, Any]) -> list[str]:
    """All prompt text the content filter reads: every message's text, or every completion prompt."""
    if operation == COMPLETIONS:
        return prompt_texts(body.get("prompt"))
    return [content_text(message.get("content")) for message in body["messages"]]


def _cite(choices: list[Choice], citations: Iterable[dict[str, Any]], scripted: Reply | None) -> list[Choice]:
    """Default On-Your-Data answers refer to their first document as Azure's do (`[doc1]`)."""
    if scripted is not None or not list(citations):
        return choices
    marker = " [doc1]"
    return [dataclasses.replace(choice, text=choice.text + marker, tokens=choice.tokens + count_tokens(marker))
            if choice.text else choice for choice in choices]


def _identifier(sequence: int) -> str:
    """A 29-character id like Azure's (`chatcmpl-7R1nGnsXO8n4oi9UPz2f3UHdgAYMn`), fixed per sequence number."""
    number = int.from_bytes(hashlib.sha256(f"etk-fake-azure-openai-{sequence}".encode()).digest(), "big")
    characters = []
    for _ in range(29):
        number, digit = divmod(number, 62)
        characters.append(_BASE62[digit])
    return "".join(characters)
