"""The fake model: the text each choice gets, after a scripted or default reply meets `stop` and `max_tokens`."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from generator.testing.azure_openai.script import Reply
from generator.testing.azure_openai.tokens import content_text, count_tokens, truncate_tokens

# The Camunda 8.6 documentation's example (facts/azure-openai-connector.md): this question gets this
# answer, which the documentation reports as 43 completion tokens.
DOCUMENTED_QUESTION = "What is the age of the Universe?"
DOCUMENTED_ANSWER = (
    "The age of the universe is estimated to be around 13.8 billion years. This age is determined through "
    "various scientific methods, such as measuring the cosmic microwave background radiation and studying "
    "the expansion rate of the universe."
)
DOCUMENTED_ANSWER_TOKENS = 43


@dataclass(frozen=True)
class Choice:
    """One generated choice: its text (None when the filter withheld it), finish reason and token count,
    and its log probabilities when the request asked for them."""

    text: str | None
    finish_reason: str
    tokens: int
    filtered: str | None = None
    severity: str = "safe"
    logprobs: dict[str, Any] | None = None


def default_reply(question: str) -> Reply:
    """The documentation's answer to its question; otherwise a reply that repeats the question."""
    if question.strip() == DOCUMENTED_QUESTION:
        return Reply(DOCUMENTED_ANSWER, completion_tokens=DOCUMENTED_ANSWER_TOKENS)
    return Reply(f"This is a fake reply to: {question}")


def generate(reply: Reply, stop: Any, max_tokens: int | None) -> Choice:
    """Apply the request's `stop` sequences and token limit to `reply`, as the model would."""
    if reply.filtered is not None:
        text = reply.content
        return Choice(text, reply.finish_reason or "content_filter",
                      reply.completion_tokens if reply.completion_tokens is not None else count_tokens(text or ""),
                      filtered=reply.filtered, severity=reply.severity)
    text = reply.content or ""
    finish_reason = "stop"
    tokens = reply.completion_tokens
    for sequence in [stop] if isinstance(stop, str) else (stop or []):
        if sequence and sequence in text:
            text = text[: text.index(sequence)]
            tokens = None
    if max_tokens is not None and count_tokens(text) > max_tokens:
        text = truncate_tokens(text, max_tokens)
        finish_reason = "length"
        tokens = None
    return Choice(text, reply.finish_reason or finish_reason, tokens if tokens is not None else count_tokens(text))


def chat_question(messages: list[dict[str, Any]]) -> str:
    """The text the reply answers: the last user message (or the last message when no user spoke)."""
    for message in reversed(messages):
        if message.get("role") == "user":
            return content_text(message.get("content"))
    return content_text(messages[-1].get("content")) if messages else ""


def prompt_texts(prompt: Any) -> list[str]:
    """A completion request's prompts as a list (a missing or null prompt is one empty prompt)."""
    if isinstance(prompt, list):
        return [str(item) for item in prompt] or [""]
    return [prompt if isinstance(prompt, str) else ""]


def default_citations(data_sources: list[dict[str, Any]], index_key: str) -> tuple[dict[str, Any], ...]:
    """One citation per data source, named after its index, so tests can tell sources apart."""
    citations = []
    for number, source in enumerate(data_sources, start=1):
        index = (source.get("parameters") or {}).get(index_key) or "index"
        citations.append({
            "content": f"Fake document {number} from search index {index}.",
            "title": f"Document {number}",
            "url": f"https://fake-search.invalid/{index}/doc{number}.txt",
            "filepath": f"doc{number}.txt",
            "chunk_id": "0",
        })
    return tuple(citations)


def default_intent(question: str) -> str:
    """Azure reports the search queries it derived as a JSON list in a string."""
    return json.dumps([question])
