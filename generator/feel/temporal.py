"""FEEL's temporal values as feel-scala models them: the duration and time types, parsing of
`date("...")`-style text and `@"..."` literals, feel-scala's text forms, and calendar arithmetic.

Dates and date-times are `dates.FeelDate` / `dates.FeelDateTime` (any year java.time holds);
`FeelTime` carries times; the two duration types are defined here. Precision is the microsecond
(Python's), where feel-scala keeps nanoseconds.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from generator.feel.dates import (
    DAY_MICROS,
    FeelDate,
    FeelDateTime,
    micros_of_day,
    time_of_micros,
)
from generator.feel.limits import abbreviated

if TYPE_CHECKING:  # zoneinfo loads when a zone is first parsed (see `parse_zone`)
    from zoneinfo import ZoneInfo

UTC = dt.UTC
_NANOS = 1_000_000_000
_MICROS = 1_000_000


class TemporalParseError(ValueError):
    """The text is not a valid temporal value (feel-scala's "Failed to parse ... from '...'")."""


# ---------------------------------------------------------------------------------------------
# value types


def java_div(a: int, b: int) -> int:
    """Integer division truncating toward zero, as Java's `/` on longs."""
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b > 0) else -q


def java_rem(a: int, b: int) -> int:
    """Remainder with the sign of the dividend, as Java's `%` on longs."""
    return a - b * java_div(a, b)


# java.time's ranges: a Duration holds a long of seconds, a Period an int of years (and the
# months beside them). Arithmetic beyond them fails in feel-scala, and here: without the bounds,
# repeated multiplication would grow the integers without end.
_MIN_NANOS, _MAX_NANOS = -(2**63) * _NANOS, (2**63 - 1) * _NANOS + _NANOS - 1
_MAX_MONTHS = (2**31 - 1) * 12 + 11


@dataclass(frozen=True, slots=True)
class DayTimeDuration:
    """A days-and-time duration (java.time.Duration): a signed number of nanoseconds."""

    nanoseconds: int

    def __post_init__(self) -> None:
        if not _MIN_NANOS <= self.nanoseconds <= _MAX_NANOS:
            raise OverflowError("the duration is out of range (java.time.Duration)")

    @classmethod
    def of(cls, days: int = 0, hours: int = 0, minutes: int = 0, seconds: int = 0,
           nanoseconds: int = 0) -> DayTimeDuration:
        total_seconds = ((days * 24 + hours) * 60 + minutes) * 60 + seconds
        return cls(total_seconds * _NANOS + nanoseconds)

    @classmethod
    def from_timedelta(cls, delta: dt.timedelta) -> DayTimeDuration:
        return cls((delta.days * 86400 + delta.seconds) * _NANOS + delta.microseconds * 1000)

    def to_timedelta(self) -> dt.timedelta:
        return dt.timedelta(microseconds=java_div(self.nanoseconds, 1000))

    @property
    def whole_seconds(self) -> int:
        """Java's `Duration.getSeconds()`: floor of the seconds (the nano part is never negative)."""
        return self.nanoseconds // _NANOS

    @property
    def nano_part(self) -> int:
        return self.nanoseconds % _NANOS

    @property
    def days(self) -> int:
        return java_div(self.whole_seconds, 86400)

    @property
    def hours(self) -> int:
        return java_rem(java_div(self.whole_seconds, 3600), 24)

    @property
    def minutes(self) -> int:
        return java_rem(java_div(self.whole_seconds, 60), 60)

    @property
    def seconds(self) -> int:
        return java_rem(self.whole_seconds, 60)

    @property
    def millis(self) -> int:
        """Java's `Duration.toMillis()`."""
        return self.whole_seconds * 1000 + self.nano_part // 1_000_000

    def __str__(self) -> str:
        return format_day_time_duration(self)


@dataclass(frozen=True, slots=True)
class YearMonthDuration:
    """A years-and-months duration (a normalized java.time.Period): a signed number of months."""

    months: int

    def __post_init__(self) -> None:
        if abs(self.months) > _MAX_MONTHS:
            raise OverflowError("the duration is out of range (java.time.Period)")

    @property
    def years_part(self) -> int:
        return java_div(self.months, 12)

    @property
    def months_part(self) -> int:
        return java_rem(self.months, 12)

    def __str__(self) -> str:
        return format_year_month_duration(self)


@dataclass(frozen=True, slots=True)
class FeelTime:
    """A FEEL time: a local time, or a time with an offset, or a time with a zone id (then `offset`
    is the zone's standard offset, as feel-scala's `ZonedTime` fixes it)."""

    local: dt.time  # naive
    offset: dt.timezone | None = None
    zone: ZoneInfo | None = None

    @property
    def is_local(self) -> bool:
        return self.offset is None

    @property
    def offset_seconds(self) -> int:
        return int(self.offset.utcoffset(None).total_seconds()) if self.offset else 0

    def sort_key(self) -> int:
        """Microseconds since midnight, shifted to UTC when the time has an offset."""
        return micros_of_day(self.local) - self.offset_seconds * _MICROS

    def __str__(self) -> str:
        return format_time(self)


def standard_offset(zone: ZoneInfo, at: dt.datetime | None = None) -> dt.timezone:
    """The zone's standard (non daylight-saving) offset now, as feel-scala's `ZonedTime` uses."""
    moment = (at or dt.datetime.now(UTC)).astimezone(zone)
    offset = moment.utcoffset() or dt.timedelta(0)
    return dt.timezone(offset - (moment.dst() or dt.timedelta(0)))


# ---------------------------------------------------------------------------------------------
# parsing (patterns and rules from feel-scala's package object and conversion functions)

_DATE = r"(?P<year>-?(?:[1-9]\d{0,4})?\d{4})-(?P<month>[01]\d)-(?P<day>[0-3]\d)"
_FRACTION = r"(?:\.(?P<fraction>\d{1,9}))?"
_DATE_RE = re.compile(_DATE)
_OFFSET_TIME_RE = re.compile(
    r"T?(?P<hour>\d{2}):(?P<minute>\d{2}):(?P<second>\d{2})" + _FRACTION
    + r"(?P<zone>[+-]\d{2}:\d{2}|Z|@.*)", re.DOTALL)
_LOCAL_TIME_RE = re.compile(
    r"T?(?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?" + _FRACTION)
_DATE_TIME_RE = re.compile(
    _DATE + r"T(?P<hour>[0-2]\d):(?P<minute>[0-5]\d)(?::(?P<second>[0-5]\d))?" + _FRACTION
    + r"(?P<zone>[+-][01]\d:[0-5]\d|Z|@.*)?(?:\[(?P<region>[^\]]+)\])?", re.DOTALL)
_YEAR_MONTH_RE = re.compile(r"(?P<sign>-?)P(?:(?P<years>-?\d+)Y)?(?:(?P<months>-?\d+)M)?")
_DAY_TIME_RE = re.compile(
    r"(?P<sign>-?)P(?:(?P<days>-?\d+)D)?"
    r"(?:T(?:(?P<hours>-?\d+)H)?(?:(?P<minutes>-?\d+)M)?"
    r"(?:(?P<seconds>-?\d+)(?:[.,](?P<fraction>\d{0,9}))?S)?)?")
_OFFSET_RE = re.compile(r"(?P<sign>[+-])(?P<hours>\d{2}):(?P<minutes>\d{2})(?::(?P<seconds>\d{2}))?")


def _micro(fraction: str | None) -> int:
    return int((fraction or "").ljust(6, "0")[:6])


def _local_time(match: re.Match[str]) -> tuple[dt.time, int]:
    """The time of day a match spells and the days it carries: `24:00:00` is the midnight that
    ends the day (the next day's 00:00:00, as the DMN TCK reads it)."""
    hour, minute, second = int(match["hour"]), int(match["minute"]), int(match["second"] or 0)
    micro = _micro(match["fraction"])
    if hour == 24 and minute == second == micro == 0:
        return dt.time(), 1
    try:
        return dt.time(hour, minute, second, micro), 0
    except ValueError as exc:
        raise TemporalParseError(str(exc)) from None


def parse_offset(text: str) -> dt.timezone | None:
    """`Z`, `+01:00`, `-05:30` -> a fixed offset; None when the text is no offset."""
    if text == "Z":
        return UTC
    match = _OFFSET_RE.fullmatch(text)
    if not match:
        return None
    delta = dt.timedelta(hours=int(match["hours"]), minutes=int(match["minutes"]),
                         seconds=int(match["seconds"] or 0))
    if delta > dt.timedelta(hours=18):
        raise TemporalParseError(f"invalid offset '{abbreviated(text)}'")
    return UTC if not delta else dt.timezone(-delta if match["sign"] == "-" else delta)


def parse_zone(text: str) -> dt.timezone | ZoneInfo:
    """A zone id as Java's `ZoneId.of` reads it: an offset (`Z`, `+01:00`) or a region
    (`Europe/Berlin`, `UTC`)."""
    offset = parse_offset(text)
    if offset is not None:
        return offset
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9~/._+-]+", text):
        raise TemporalParseError(f"unknown time zone '{abbreviated(text)}'")
    from zoneinfo import (
        ZoneInfo,  # its import reads the platform's configuration: on first use
    )

    try:
        return ZoneInfo(text)
    except (ValueError, OSError, KeyError):
        raise TemporalParseError(f"unknown time zone '{abbreviated(text)}'") from None


def _zone_of(text: str) -> dt.timezone | ZoneInfo:
    return parse_zone(text[1:]) if text.startswith("@") else parse_zone(text)


def _date(match: re.Match[str]) -> FeelDate:
    """The date a match of `_DATE` spells (ValueError for an invalid one): years of 4 to 9
    digits, a minus for negative ones; `-0000` is refused, as Java's strict parsing does."""
    year = match["year"]
    if year == "-0000":
        raise ValueError("minus zero")
    return FeelDate(int(year), int(match["month"]), int(match["day"]))


def parse_date(text: str) -> FeelDate:
    """`2019-01-31`, `-2017-12-31`, `10000-01-01` -> date; invalid calendar dates (2023-02-29)
    are errors."""
    match = _DATE_RE.fullmatch(text)
    try:
        if match:
            return _date(match)
    except (ValueError, OverflowError):
        pass
    raise TemporalParseError(f"Failed to parse date from '{abbreviated(text)}'")


def parse_time(text: str) -> FeelTime:
    """`10:30:00`, `T10:30`, `10:30:00.5+01:00`, `10:30:00Z`, `10:30:00@Europe/Paris`."""
    match = _OFFSET_TIME_RE.fullmatch(text)
    if match:
        zone = _zone_of(match["zone"])
        local, _ = _local_time(match)
        if isinstance(zone, dt.timezone):
            return FeelTime(local, zone)
        return FeelTime(local, standard_offset(zone), zone)
    match = _LOCAL_TIME_RE.fullmatch(text)
    if not match:
        raise TemporalParseError(f"Failed to parse time from '{abbreviated(text)}'")
    return FeelTime(_local_time(match)[0])


def at_zone(date: FeelDate, time: dt.time, zone: dt.timezone | ZoneInfo,
            prefer: dt.timezone | None = None) -> FeelDateTime:
    """A local date and time in a fixed offset or a region zone (java.time's `atZone`; see
    `FeelDateTime.in_zone` for gaps, overlaps and `prefer`)."""
    if isinstance(zone, dt.timezone):
        return FeelDateTime(date, time, zone)
    return FeelDateTime.in_zone(date, time, zone, prefer)


def parse_date_time(text: str) -> FeelDateTime:
    """`2019-08-12T22:22:22`, `...+02:00`, `...Z`, `...@Europe/Berlin`, Java's
    `...+02:00[Europe/Berlin]`, `-2021-01-01T10:10:10`; a bare date means midnight, `T24:00:00`
    the next day's."""
    if _DATE_RE.fullmatch(text):
        return FeelDateTime(parse_date(text), dt.time())
    match = _DATE_TIME_RE.fullmatch(text)
    failed = f"Failed to parse date-time from '{abbreviated(text)}'"
    if not match or (match["region"] and not (match["zone"] or "@").startswith(("+", "-", "Z"))):
        raise TemporalParseError(failed)
    try:
        clock, days = _local_time(match)
        date = _date(match)
        if days:
            date = date.plus_days(days)
    except (ValueError, OverflowError):
        raise TemporalParseError(failed) from None
    if not match["zone"]:
        return FeelDateTime(date, clock)
    zone = _zone_of(match["zone"])
    prefer = None
    if match["region"]:  # Java's ZonedDateTime text: the offset picks the side of an overlap
        prefer = zone if isinstance(zone, dt.timezone) else None
        zone = parse_zone(match["region"])
    try:
        return at_zone(date, clock, zone, prefer)
    except OverflowError:  # beyond java.time's years once the zone's offset is applied
        raise TemporalParseError(failed) from None


def _signed(value: str | None) -> int:
    return int(value) if value else 0


def parse_duration(text: str) -> DayTimeDuration | YearMonthDuration:
    """`P1Y2M`, `-P3M` -> years-and-months; `P1DT2H`, `PT-5M`, `PT1.5S` -> days-and-time.
    Numbers beyond java.time's ranges are parse errors, as in Java."""
    try:
        return _parse_duration(text)
    except TemporalParseError:
        raise
    except (OverflowError, ValueError):  # also int() of more than 4300 digits
        raise TemporalParseError(f"Failed to parse duration from '{abbreviated(text)}'") from None


def _parse_duration(text: str) -> DayTimeDuration | YearMonthDuration:
    match = _YEAR_MONTH_RE.fullmatch(text)
    if match:
        if match["years"] is None and match["months"] is None:
            raise TemporalParseError(f"Failed to parse year-month-duration from '{abbreviated(text)}'")
        months = _signed(match["years"]) * 12 + _signed(match["months"])
        return YearMonthDuration(-months if match["sign"] else months)
    match = _DAY_TIME_RE.fullmatch(text)
    if not match or text.endswith("T") or not any(
            match[name] is not None for name in ("days", "hours", "minutes", "seconds")):
        raise TemporalParseError(f"Failed to parse duration from '{abbreviated(text)}'")
    seconds = ((_signed(match["days"]) * 24 + _signed(match["hours"])) * 60
               + _signed(match["minutes"])) * 60 + _signed(match["seconds"])
    nanos = int((match["fraction"] or "").ljust(9, "0"))
    if (match["seconds"] or "").startswith("-"):
        nanos = -nanos
    total = seconds * _NANOS + nanos
    return DayTimeDuration(-total if match["sign"] else total)


def parse_literal(text: str) -> object:
    """The value of a temporal literal `@"text"`: a date, time, date-time or duration, or None
    when the text is no valid temporal value (feel-scala yields null then, without a failure)."""
    try:
        if _DATE_RE.fullmatch(text):
            return parse_date(text)
        if text.lstrip("-").startswith("P"):
            return parse_duration(text)
        if "T" in text and _DATE_RE.match(text):
            return parse_date_time(text)
        return parse_time(text)
    except TemporalParseError:
        return None


# ---------------------------------------------------------------------------------------------
# text (feel-scala's string() forms and the ISO forms JSON output uses)


def _fraction_text(microsecond: int) -> str:
    return f".{microsecond:06d}".rstrip("0") if microsecond else ""


def format_local_time(value: dt.time) -> str:
    return f"{value.hour:02d}:{value.minute:02d}:{value.second:02d}" + _fraction_text(value.microsecond)


def format_offset(offset: dt.timedelta) -> str:
    """Java's `appendOffsetId`: `Z` for zero, else `+HH:MM` (`+HH:MM:SS` with seconds)."""
    seconds = int(offset.total_seconds())
    if seconds == 0:
        return "Z"
    sign = "-" if seconds < 0 else "+"
    hours, rest = divmod(abs(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{sign}{hours:02d}:{minutes:02d}" + (f":{secs:02d}" if secs else "")


def format_date(value: FeelDate) -> str:
    """feel-scala's text (its formatter: a year of 4 to 9 digits, signed only when negative):
    `2019-01-31`, `-2017-12-31`, `10000-01-01`."""
    sign = "-" if value.year < 0 else ""
    return f"{sign}{abs(value.year):04d}-{value.month:02d}-{value.day:02d}"


def iso_date(value: FeelDate) -> str:
    """Java's ISO text (`LocalDate.toString()`, what Jackson writes): as `format_date`, but a
    year beyond 9999 has a plus sign: `+10000-01-01`."""
    return ("+" if value.year > 9999 else "") + format_date(value)


def format_time(value: FeelTime) -> str:
    """feel-scala's text: `10:30:00`, `10:30:00+01:00`, `10:30:00Z`, `10:30:00@Europe/Paris`."""
    text = format_local_time(value.local)
    if value.zone is not None:
        return f"{text}@{value.zone.key}"
    if value.offset is not None:
        return text + format_offset(value.offset.utcoffset(None))
    return text


def format_date_time(value: FeelDateTime) -> str:
    """feel-scala's text: `2019-08-12T22:22:22`, `...+02:00`, `...Z`, `...@Europe/Berlin`."""
    text = format_date(value.date) + "T" + format_local_time(value.time)
    if value.zone is not None:
        return f"{text}@{value.zone.key}"
    if value.offset is not None:
        return text + format_offset(value.offset.utcoffset(None))
    return text


def format_day_time_duration(value: DayTimeDuration) -> str:
    """feel-scala's text: `P1DT2H3M4S`, `-PT2M30S`, `P0D` for zero (whole seconds only)."""
    parts = (value.days, value.hours, value.minutes, value.seconds)
    if not any(parts):
        return "P0D"
    sign = ""
    if all(part <= 0 for part in parts):
        sign, parts = "-", (-value.days, -value.hours, -value.minutes, -value.seconds)
    day, hour, minute, second = parts
    text = sign + "P" + (f"{day}D" if day else "")
    clock = "".join(f"{n}{unit}" for n, unit in ((hour, "H"), (minute, "M"), (second, "S")) if n)
    return text + ("T" + clock if clock else "")


def format_year_month_duration(value: YearMonthDuration) -> str:
    """feel-scala's text: `P1Y2M`, `-P1Y`, `P0Y` for zero."""
    years, months = value.years_part, value.months_part
    if years == 0 and months == 0:
        return "P0Y"
    sign = ""
    if years <= 0 and months <= 0:
        sign, years, months = "-", -years, -months
    return sign + "P" + (f"{years}Y" if years else "") + (f"{months}M" if months else "")


def iso_day_time_duration(value: DayTimeDuration) -> str:
    """Java's `Duration.toString()` (what Jackson writes): `PT0S`, `PT24H`, `PT-1H-30M`, `PT1.5S`."""
    return java_duration_text(value.whole_seconds, value.nano_part)


def java_duration_text(seconds: int, nanos: int) -> str:
    """Java's `Duration.toString()` of a duration held as Java holds it: whole `seconds` (floor)
    plus `nanos` in 0..999,999,999."""
    if seconds == 0 and nanos == 0:
        return "PT0S"
    effective = seconds + 1 if seconds < 0 and nanos > 0 else seconds
    hours = java_div(effective, 3600)
    minutes = java_div(java_rem(effective, 3600), 60)
    secs = java_rem(effective, 60)
    text = "PT" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "")
    if secs == 0 and nanos == 0 and len(text) > 2:
        return text
    text += "-0" if seconds < 0 and nanos > 0 and secs == 0 else str(secs)
    if nanos:
        digits = str(2 * _NANOS - nanos if seconds < 0 else nanos + _NANOS)[1:].rstrip("0")
        text += "." + digits
    return text + "S"


def iso_year_month_duration(value: YearMonthDuration) -> str:
    """Java's `Period.toString()`: `P1Y2M`, `P-1Y-2M`, `P0D` for zero."""
    years, months = value.years_part, value.months_part
    if years == 0 and months == 0:
        return "P0D"
    return "P" + (f"{years}Y" if years else "") + (f"{months}M" if months else "")


def iso_time(value: FeelTime) -> str:
    """ISO text of a time (Jackson's `LocalTime`/`OffsetTime` form)."""
    text = format_local_time(value.local)
    return text if value.offset is None else text + format_offset(value.offset.utcoffset(None))


def iso_date_time(value: FeelDateTime, with_zone_id: bool = False) -> str:
    """ISO text of a date-time: `...+02:00`; with `with_zone_id`, `...+02:00[Europe/Berlin]`
    (Java's `ZonedDateTime.toString()`)."""
    text = iso_date(value.date) + "T" + format_local_time(value.time)
    if value.offset is None:
        return text
    text += format_offset(value.offset.utcoffset(None))
    if with_zone_id and value.zone is not None:
        text += f"[{value.zone.key}]"
    return text


# ---------------------------------------------------------------------------------------------
# arithmetic


def add_months(value: FeelDate | FeelDateTime, months: int) -> FeelDate | FeelDateTime:
    """java.time's `plusMonths(n)`: the day is clamped to the last day of the target month; a
    zoned date-time keeps its offset when it is still valid there."""
    if isinstance(value, FeelDate):
        return value.plus_months(months)
    date = value.date.plus_months(months)
    if value.zone is not None:
        return FeelDateTime.in_zone(date, value.time, value.zone, value.offset)
    return FeelDateTime(date, value.time, value.offset)


def add_duration(value: FeelDate | FeelDateTime, duration: DayTimeDuration) -> FeelDate | FeelDateTime:
    """date-time + days-and-time duration: exact time for zoned values (across DST changes); a
    date moves by the whole days from its start (feel-scala: `date.atStartOfDay().plus(d)`)."""
    if isinstance(value, FeelDate):
        return value.plus_days(duration.nanoseconds // (DAY_MICROS * 1000))
    micros = java_div(duration.nanoseconds, 1000)
    if value.zone is not None:
        return FeelDateTime.from_instant(value.instant_micros + micros, value.zone)
    return FeelDateTime.of_local(value.local_micros + micros, value.offset)


def add_to_time(value: FeelTime, duration: DayTimeDuration) -> FeelTime:
    """time + duration wraps around midnight and keeps the offset/zone."""
    micros = micros_of_day(value.local) + java_div(duration.nanoseconds, 1000)
    return FeelTime(time_of_micros(micros), value.offset, value.zone)


def between_times(later: FeelTime, earlier: FeelTime) -> DayTimeDuration:
    """`later - earlier`: signed for local times; feel-scala makes it absolute for offset times."""
    if later.is_local:
        micros = micros_of_day(later.local) - micros_of_day(earlier.local)
    else:
        micros = abs(later.sort_key() - earlier.sort_key())
    return DayTimeDuration(micros * 1000)


def between_dates(later: FeelDate, earlier: FeelDate) -> DayTimeDuration:
    """`later - earlier` in whole days."""
    return DayTimeDuration.of(days=later.epoch_day - earlier.epoch_day)


def between_date_times(later: FeelDateTime, earlier: FeelDateTime) -> DayTimeDuration:
    """`later - earlier` as an exact duration (instants for zoned values)."""
    return DayTimeDuration((later.identity - earlier.identity) * 1000)


def months_between(start: FeelDate, end: FeelDate) -> int:
    """Whole months from start to end (java.time `Period.between(...).toTotalMonths()`)."""
    months = (end.year * 12 + end.month) - (start.year * 12 + start.month)
    days = end.day - start.day
    if months > 0 and days < 0:
        months -= 1
    elif months < 0 and days > 0:
        months += 1
    return months
