"""Deterministic, approximate token counting for `usage` (no tokenizer data is shipped).

A token is a run of word characters or one punctuation character, which matches OpenAI's tokenizer
on plain English (`"What is the age of the Universe?"` is 8 tokens for both) and undercounts rare
words and whitespace runs. Chat prompts add OpenAI's documented framing overhead: 3 tokens per
message, 1 per role, 1 extra when a name is given, and 3 to prime the reply, so the documentation's
example prompt counts the 24 tokens the documentation shows.
"""

from __future__ import annotations

import re
from typing import Any

_TOKEN = re.compile(r"\w+|[^\w\s]")
IMAGE_TOKENS = 85  # what a low-detail image part costs at OpenAI; every image part counts this much


def count_tokens(text: str) -> int:
    return len(_TOKEN.findall(text))


def truncate_tokens(text: str, limit: int) -> str:
    """`text` cut right after its `limit`-th token."""
    if limit <= 0:
        return ""
    for index, match in enumerate(_TOKEN.finditer(text), start=1):
        if index == limit:
            return text[: match.end()]
    return text


def content_text(content: Any) -> str:
    """The text of a message's content: a string, or the `text` parts of a part list, joined by newlines."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "\n".join(part["text"] for part in content if isinstance(part, dict) and part.get("type") == "text")
    return ""


def _image_parts(content: Any) -> int:
    if not isinstance(content, list):
        return 0
    return sum(1 for part in content if isinstance(part, dict) and part.get("type") == "image_url")


def chat_prompt_tokens(messages: list[dict[str, Any]]) -> int:
    total = 3
    for message in messages:
        total += 3 + count_tokens(message.get("role", "")) + count_tokens(content_text(message.get("content")))
        total += IMAGE_TOKENS * _image_parts(message.get("content"))
        if isinstance(message.get("name"), str):
            total += 1 + count_tokens(message["name"])
    return total
