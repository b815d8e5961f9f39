"""Success bodies in Azure's wire shape, per operation and api-version (keys in the order Azure sends them)."""

from __future__ import annotations

import json
from typing import Any

from generator.testing.azure_openai.generation import Choice
from generator.testing.azure_openai.script import CATEGORIES
from generator.testing.azure_openai.versions import ApiVersion


def filter_results(filtered: str | None = None, severity: str = "safe") -> dict[str, Any]:
    """`{hate, self_harm, sexual, violence: {filtered, severity}}`, all safe except `filtered`."""
    return {
        category: {"filtered": category == filtered, "severity": severity if category == filtered else "safe"}
        for category in CATEGORIES
    }


def usage(prompt_tokens: int, choices: list[Choice]) -> dict[str, int]:
    completion_tokens = sum(choice.tokens for choice in choices)
    return {"completion_tokens": completion_tokens, "prompt_tokens": prompt_tokens,
            "total_tokens": prompt_tokens + completion_tokens}


def _prompt_filter(version: ApiVersion, prompt_count: int) -> dict[str, Any]:
    if version.prompt_filter_key is None:
        return {}
    entries = [{"prompt_index": index, "content_filter_results": filter_results()} for index in range(prompt_count)]
    return {version.prompt_filter_key: entries}


def chat_completion(version: ApiVersion, *, response_id: str, created: int, model: str, fingerprint: str,
                    choices: list[Choice], prompt_tokens: int, context: dict[str, Any] | None) -> dict[str, Any]:
    """`object: chat.completion`; `context` (citations, intent) is On-Your-Data's addition to the message."""
    rendered = []
    for index, choice in enumerate(choices):
        message: dict[str, Any] = {"content": choice.text}
        if context is not None:
            message["context"] = context
        if version.refusal:
            message["refusal"] = None
        message["role"] = "assistant"
        item: dict[str, Any] = {}
        if version.choice_filter_results:
            item["content_filter_results"] = filter_results(choice.filtered, choice.severity)
        item["finish_reason"] = choice.finish_reason
        item["index"] = index
        if version.chat_logprobs:
            item["logprobs"] = choice.logprobs
        item["message"] = message
        rendered.append(item)
    body: dict[str, Any] = {"choices": rendered, "created": created, "id": response_id, "model": model,
                            "object": "chat.completion", **_prompt_filter(version, 1)}
    if version.system_fingerprint:
        body["system_fingerprint"] = fingerprint
    body["usage"] = usage(prompt_tokens, choices)
    return body


def text_completion(version: ApiVersion, *, response_id: str, created: int, model: str, fingerprint: str,
                    choices: list[Choice], prompt_count: int, prompt_tokens: int) -> dict[str, Any]:
    """`object: text_completion`; a withheld (filtered) text is sent as an empty string."""
    rendered = []
    for index, choice in enumerate(choices):
        item: dict[str, Any] = {}
        if version.choice_filter_results:
            item["content_filter_results"] = filter_results(choice.filtered, choice.severity)
        item.update({"finish_reason": choice.finish_reason, "index": index, "logprobs": choice.logprobs,
                     "text": choice.text or ""})
        rendered.append(item)
    body: dict[str, Any] = {"choices": rendered, "created": created, "id": response_id, "model": model,
                            "object": "text_completion", **_prompt_filter(version, prompt_count)}
    if version.system_fingerprint:
        body["system_fingerprint"] = fingerprint
    body["usage"] = usage(prompt_tokens, choices)
    return body


def legacy_extension_completion(*, response_id: str, created: int, model: str, choices: list[Choice],
                                prompt_tokens: int, citations: list[dict[str, Any]], intent: str) -> dict[str, Any]:
    """The 2023 `extensions/chat/completions` answer: citations and intent travel as a JSON string in a
    `tool` message inside the assistant message's `context` (2023-08-01/2023-12-01-preview specs)."""
    tool_message = {"content": json.dumps({"citations": citations, "intent": intent}), "end_turn": False,
                    "role": "tool"}
    rendered = [
        {"finish_reason": choice.finish_reason, "index": index,
         "message": {"content": choice.text, "context": {"messages": [tool_message]}, "end_turn": True,
                     "role": "assistant"}}
        for index, choice in enumerate(choices)
    ]
    return {"choices": rendered, "created": created, "id": response_id, "model": model,
            "object": "extensions.chat.completion", "usage": usage(prompt_tokens, choices)}
