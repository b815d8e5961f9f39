"""Description text as the properties panel shows it: Markdown to the panel's HTML, repaired encodings,
bounded length, labels with the usual capitals."""

from __future__ import annotations

from generator.openapi.text import MAX_TOOLTIP, field_label, first_sentence, repair_mojibake, tooltip_text
from generator.preview.audit import intended_text
from generator.validate.panel import PANEL_HTML_TAGS


def test_markdown_becomes_the_html_the_panel_keeps() -> None:
    text = ("The maximum number of [tokens](https://platform.openai.com/tokenizer?view=bpe&x=1) in a **single** "
            "answer; see [the guide](/docs/guide). `max_tokens` < 5 & more.")
    assert tooltip_text(text, "API default: 16.") == (
        'The maximum number of <a href="https://platform.openai.com/tokenizer?view=bpe&amp;x=1">tokens</a> in a '
        "<strong>single</strong> answer; see the guide. <code>max_tokens</code> &lt; 5 &amp; more. API default: 16.")


def test_tooltips_are_one_paragraph_cut_at_the_limit_without_breaking_a_tag() -> None:
    assert tooltip_text("  Line one\n\n  line two ", None, "") == "Line one line two"
    assert tooltip_text(None, " ") is None
    long = "word " * 200
    cut = tooltip_text(long)
    assert cut is not None and cut.endswith("…") and len(cut) <= MAX_TOOLTIP
    # a link that does not fit is left out whole, with the ellipsis
    linked = tooltip_text("x" * (MAX_TOOLTIP - 3) + " [a link](https://example.com/page)")
    assert linked == "x" * (MAX_TOOLTIP - 3) + " …"
    shown = intended_text(tooltip_text("a `b` [c](https://c.example) **d**") or "")
    assert shown == "a b c d"
    assert {"a", "code", "strong"} <= PANEL_HTML_TAGS


def test_utf8_read_as_windows_1252_is_repaired() -> None:
    assert repair_mojibake("how many to return â€“ `best_of` must be") == "how many to return \u2013 `best_of` must be"
    assert repair_mojibake("CafÃ© naÃ¯ve") == "Caf\u00e9 na\u00efve"
    assert repair_mojibake("Caf\u00e9\u2122 stays") == "Caf\u00e9\u2122 stays"  # not a UTF-8 sequence


def test_labels_have_the_usual_capitals() -> None:
    assert [field_label(name) for name in ("deployment-id", "api-version", "maxTokens", "ttl_seconds", "WWW-Authenticate",
                                           "userIds", "n")] == [
        "Deployment ID", "API version", "Max tokens", "TTL seconds", "WWW authenticate", "User IDs", "N"]


def test_first_sentence_without_markdown() -> None:
    assert first_sentence("Gets the [item](https://x.example). More text.") == "Gets the item."
    assert first_sentence("") is None
