"""Text from an API description as the properties panel should show it: labels, tooltips, sentences.

Descriptions are Markdown more often than not, and the panel renders a tooltip as sanitised HTML:
`tooltip_text` turns links to web pages into `<a href>`, `` `code` `` into `<code>`, `**bold**` into
`<strong>` (tags the panel keeps), escapes everything else, joins the parts into one paragraph and
cuts it at `MAX_TOOLTIP` visible characters without breaking a tag. Text that was UTF-8 read as
Windows-1252 (`â€“` for an en dash, as in Azure OpenAI's own description) is repaired first.
`field_label` writes names as words with the usual capitals (`deployment-id` -> `Deployment ID`).
"""

from __future__ import annotations

import html
import re
from typing import Any

MAX_TOOLTIP = 600

_MARKDOWN = re.compile(
    r"\[(?P<text>[^\]\n]{1,300})\]\((?P<url>[^()\s]{1,1000})\)"
    r"|`(?P<code>[^`\n]{1,300})`"
    r"|\*\*(?P<strong>[^*\n]{1,300})\*\*"
)
# a lead byte of a multi-byte UTF-8 sequence, then continuation bytes, each as Windows-1252 shows them
_MOJIBAKE = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]{1,3}"
)
#: Words written in capitals (or their own way) in a label.
_WORDS = {word.lower(): word for word in (
    "ID", "IDs", "URL", "URLs", "URI", "API", "APIs", "HTTP", "HTTPS", "JSON", "XML", "HTML", "CSV", "PDF", "IP",
    "UUID", "SKU", "TTL", "SQL", "DNS", "SSL", "TLS", "SSH", "SMS", "UTC", "ISO", "WWW", "OAuth", "IBAN", "VAT",
    "CVC", "OTP", "MFA", "AI", "CPU", "GPU", "VM", "CIDR", "ETag", "MIME", "TOTP",
)}


def repair_mojibake(text: str) -> str:
    """`text` with UTF-8 sequences that were decoded as Windows-1252 decoded again (`â€“` -> an en dash)."""

    def decoded(match: re.Match[str]) -> str:
        try:
            return match.group().encode("cp1252").decode("utf-8")
        except UnicodeError:
            return match.group()

    return _MOJIBAKE.sub(decoded, text)


def tooltip_text(*parts: str | None) -> str | None:
    """Description text for the panel: one paragraph of panel-safe HTML, at most `MAX_TOOLTIP` visible characters."""
    text = " ".join(re.sub(r"\s+", " ", part).strip() for part in parts if part and part.strip())
    if not text:
        return None
    text = repair_mojibake(text)
    pieces: list[str] = []
    budget = MAX_TOOLTIP

    def add(visible: str, markup: str | None = None) -> bool:
        """Append a piece; False (and the ellipsis) once the visible text would pass the budget."""
        nonlocal budget
        if len(visible) <= budget:
            pieces.append(markup if markup is not None else html.escape(visible, quote=False))
            budget -= len(visible)
            return True
        if markup is None:
            pieces.append(html.escape(visible[: max(0, budget - 1)].rstrip(), quote=False))
        pieces.append("…")
        return False

    position = 0
    for match in _MARKDOWN.finditer(text):
        if not add(text[position:match.start()]):
            break
        position = match.end()
        if match["code"] is not None:
            kept = add(match["code"], f"<code>{html.escape(match['code'], quote=False)}</code>")
        elif match["strong"] is not None:
            kept = add(match["strong"], f"<strong>{html.escape(match['strong'], quote=False)}</strong>")
        elif re.match(r"^https?://", match["url"], re.IGNORECASE):
            kept = add(match["text"], f'<a href="{html.escape(match["url"], quote=True)}">'
                                      f"{html.escape(match['text'], quote=False)}</a>")
        else:
            kept = add(match["text"])  # a link relative to a site the description does not name
        if not kept:
            break
    else:
        add(text[position:])
    return "".join(pieces).strip()


def field_label(name: str) -> str:
    """`deployment-id` -> `Deployment ID`, `maxTokens` -> `Max tokens`, `ttl_seconds` -> `TTL seconds`."""
    spaced = re.sub(r"[^A-Za-z0-9]+", " ", name).strip() or name
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", spaced).split()
    written = [_WORDS.get(word.lower(), word.lower()) for word in words]
    if not written:
        return name
    return written[0][:1].upper() + written[0][1:] + "".join(" " + word for word in written[1:])


def sentence(text: str | None) -> str | None:
    """`text` ending with a full stop (so joined texts read as sentences)."""
    if not text or not text.strip():
        return None
    text = text.strip()
    return text if text[-1] in ".!?…:" else text + "."


def first_sentence(text: Any, limit: int = 200) -> str | None:
    """The first sentence of a description, without Markdown marks, at most `limit` characters."""
    if not isinstance(text, str) or not text.strip():
        return None
    first = re.split(r"(?<=[.!?])\s|\n\s*\n", repair_mojibake(text.strip()), maxsplit=1)[0]
    first = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", first)
    first = re.sub(r"\s+", " ", re.sub(r"[#*`<>\[\]]", "", first)).strip()
    return first[:limit] or None
