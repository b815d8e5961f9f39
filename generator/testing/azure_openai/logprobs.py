"""Log probabilities for answers that asked for them: chat `logprobs`/`top_logprobs`, completion `logprobs`.

The fake has no model, so the numbers are invented, but they are deterministic and shaped as the
2024-10-21 spec describes: each token of the answer (a word or punctuation mark with the whitespace
before it, as OpenAI tokens carry it) was the most likely one at its position; the alternatives that
follow it are common English tokens, each much less likely than the one before.
"""

from __future__ import annotations

import re
from typing import Any

_TOKEN = re.compile(r"\s*(?:\w+|[^\w\s])")
_ALTERNATIVES = (" the", " a", " and", ",", ".", " of", " to", " in", " is", " it", " that", " for", " on",
                 " with", " as", " was", " be", " this", " by", " at", " or")


def _tokens(text: str) -> list[tuple[int, str]]:
    """(offset, token) for each token of `text`; whitespace at the end belongs to no token."""
    return [(match.start(), match.group()) for match in _TOKEN.finditer(text)]


def _ranked(token: str, position: int, count: int) -> list[tuple[str, float]]:
    """The `count` most likely tokens at `position`, most likely (the chosen `token`) first."""
    chosen = -0.01 * (1 + position % 7)
    ranked = [(token, round(chosen, 4))]
    alternatives = (candidate for candidate in _ALTERNATIVES if candidate != token)
    for rank, candidate in zip(range(1, count), alternatives, strict=False):
        ranked.append((candidate, round(chosen - 2.0 * rank, 4)))
    return ranked


def _entry(token: str, logprob: float) -> dict[str, Any]:
    return {"token": token, "logprob": logprob, "bytes": list(token.encode("utf-8"))}


def chat_logprobs(text: str | None, top_logprobs: int, refusal: bool) -> dict[str, Any] | None:
    """A chat choice's `logprobs`: `content` with one entry per token and `top_logprobs` alternatives
    each (the chosen token first); `refusal` (null) from the api-versions whose messages have it."""
    if text is None:
        return None
    content = []
    for position, (_, token) in enumerate(_tokens(text)):
        ranked = _ranked(token, position, max(top_logprobs, 1))
        content.append({**_entry(token, ranked[0][1]),
                        "top_logprobs": [_entry(candidate, logprob) for candidate, logprob in ranked[:top_logprobs]]})
    return {"content": content, "refusal": None} if refusal else {"content": content}


def completion_logprobs(text: str, generated_from: int, count: int) -> dict[str, Any]:
    """A completion choice's `logprobs` for the generated part of `text` (which starts at `generated_from`
    when the prompt is echoed): tokens, their log probabilities, the `count` most likely tokens per
    position (at least the chosen one, which the API always reports) and each token's offset in `text`."""
    tokens = [(offset + generated_from, token) for offset, token in _tokens(text[generated_from:])]
    ranked = [_ranked(token, position, max(count, 1)) for position, (_, token) in enumerate(tokens)]
    return {
        "tokens": [token for _, token in tokens],
        "token_logprobs": [options[0][1] for options in ranked],
        "top_logprobs": [dict(options) for options in ranked],
        "text_offset": [offset for offset, _ in tokens],
    }
