"""ISO-8601 durations exactly as Java's `Duration.parse` reads them (retry backoff, job errors).

The connector runtime parses the `retryBackoff` task header and a `jobError`'s backoff with
`java.time.Duration.parse`, so a value our runtime accepts must be one Java accepts and vice
versa: `PnDTnHnMn.nS` only (no years, months or weeks), each number may carry its own sign,
the seconds may have up to 9 fraction digits after `.` or `,`, letters are case-insensitive,
and `P` or `PT` alone are invalid.
"""

from __future__ import annotations

import re
from datetime import timedelta
from functools import lru_cache

from generator.feel.temporal import java_duration_text

_JAVA_DURATION = re.compile(
    r"([-+]?)P(?:([-+]?[0-9]+)D)?"
    r"(T(?:([-+]?[0-9]+)H)?(?:([-+]?[0-9]+)M)?(?:([-+]?[0-9]+)(?:[.,]([0-9]{0,9}))?S)?)?",
    re.IGNORECASE,
)
_LONG_MIN, _LONG_MAX = -(2**63), 2**63 - 1


class DurationParseError(ValueError):
    """The text is not a duration `java.time.Duration.parse` accepts."""


@lru_cache(maxsize=256)
def parse_java_duration(text: str) -> timedelta:
    """Parse `text` like `java.time.Duration.parse` (e.g. `PT30S`, `P1DT2H`, `-PT0.5S`).

    Raises `DurationParseError` for anything Java rejects, and for durations beyond what a
    `timedelta` holds (about 2.7 million years), which no retry backoff needs.
    """
    match = _JAVA_DURATION.fullmatch(text)
    if match is None or match.group(3) == "T" or not any(match.group(i) for i in (2, 4, 5, 6)):
        raise DurationParseError(f"Text cannot be parsed to a Duration: {text}")
    days, hours, minutes, seconds, fraction = (match.group(i) for i in (2, 4, 5, 6, 7))
    total = 0
    for number, factor in ((days, 86400), (hours, 3600), (minutes, 60), (seconds, 1)):
        if number is not None:
            value = int(number) * factor
            if not _LONG_MIN <= int(number) <= _LONG_MAX or not _LONG_MIN <= value <= _LONG_MAX:
                raise DurationParseError(f"Text cannot be parsed to a Duration: {text}")
            total += value
    nanos = int((fraction or "").ljust(9, "0")) if fraction else 0
    if seconds is not None and seconds.startswith("-"):
        nanos = -nanos
    if not _LONG_MIN <= total <= _LONG_MAX:
        raise DurationParseError(f"Text cannot be parsed to a Duration: {text}")
    negative = match.group(1) == "-"
    try:
        duration = timedelta(seconds=total, microseconds=nanos / 1000)
    except OverflowError:
        raise DurationParseError(f"Text cannot be parsed to a Duration: {text}") from None
    return -duration if negative else duration


def format_java_duration(duration: timedelta) -> str:
    """Format like Java's `Duration.toString()`: `PT30S`, `PT1H2M`, `PT0.5S`, `PT0S`, `PT-0.5S`."""
    total_micros = (duration.days * 86400 + duration.seconds) * 1_000_000 + duration.microseconds
    seconds, micros = divmod(total_micros, 1_000_000)  # Java keeps floor seconds + positive nanos
    return java_duration_text(seconds, micros * 1000)
