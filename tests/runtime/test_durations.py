"""Java `Duration.parse` / `Duration.toString` semantics for retry backoffs."""

from __future__ import annotations

from datetime import timedelta

import pytest

from generator.runtime import DurationParseError, format_java_duration, parse_java_duration


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("PT30S", timedelta(seconds=30)),
        ("PT0S", timedelta(0)),
        ("pt1m", timedelta(minutes=1)),
        ("P2D", timedelta(days=2)),
        ("P1DT2H3M4.5S", timedelta(days=1, hours=2, minutes=3, seconds=4.5)),
        ("PT0,25S", timedelta(seconds=0.25)),
        ("-PT6H3M", -timedelta(hours=6, minutes=3)),
        ("PT-6H3M", timedelta(hours=-6, minutes=3)),
        ("PT-0.5S", timedelta(seconds=-0.5)),
        ("+P-1DT+1H", timedelta(days=-1, hours=1)),
        ("PT1.123456789S", timedelta(seconds=1, microseconds=123457)),
    ],
)
def test_accepted(text, expected):
    assert parse_java_duration(text) == expected


@pytest.mark.parametrize("text", ["", "P", "PT", "30s", "PT30", "P1W", "P1Y", "P1M", "PT1.5M", "PT1S ", "PT1.1234567890S", "PTS", "P1DT"])
def test_rejected(text):
    with pytest.raises(DurationParseError, match="Text cannot be parsed to a Duration"):
        parse_java_duration(text)


@pytest.mark.parametrize(
    ("duration", "text"),
    [
        (timedelta(0), "PT0S"),
        (timedelta(seconds=30), "PT30S"),
        (timedelta(days=1, hours=2), "PT26H"),
        (timedelta(hours=1, minutes=2), "PT1H2M"),
        (timedelta(seconds=0.5), "PT0.5S"),
        (timedelta(seconds=-0.5), "PT-0.5S"),
        (timedelta(seconds=-60.5), "PT-1M-0.5S"),
    ],
)
def test_formatted_like_java(duration, text):
    assert format_java_duration(duration) == text
