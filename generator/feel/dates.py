"""FEEL's dates and date-times over java.time's whole range: the years -999,999,999 to
999,999,999 of the proleptic Gregorian calendar (year 0 is 1 BC), where Python's `datetime`
stops at 1..9999.

`FeelDate` is java.time's `LocalDate`. `FeelDateTime` is a `LocalDateTime` (no offset), a
date-time with a fixed offset, or one in a region zone (a `ZonedDateTime`: the offset is then
the zone's offset at that moment). Calendar arithmetic is integer arithmetic on epoch days (days
since 1970-01-01). Region zones are looked up with `zoneinfo`, which only answers for years
1..9999: a moment outside 100..9900 is moved by whole 400-year cycles (146,097 days, which repeat
weekdays and leap years and so every rule of a zone) into that span. Before the year 100 that
reads a zone's first offset (its local mean time, as java.time uses before the first
transition); after 9900 the zone's last rules, which java.time also applies to every later year.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # zoneinfo loads when a zone is first parsed (see `temporal.parse_zone`)
    from zoneinfo import ZoneInfo

MIN_YEAR, MAX_YEAR = -999_999_999, 999_999_999  # java.time's Year.MIN_VALUE / MAX_VALUE
DAY_MICROS = 86_400_000_000
_CYCLE_YEARS, _CYCLE_DAYS = 400, 146_097
_DAYS_BEFORE_EPOCH = 719_468  # days from 0000-03-01 to 1970-01-01
_UTC_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_LOCAL_EPOCH = dt.datetime(1970, 1, 1)

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")


def is_leap_year(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def days_in_month(year: int, month: int) -> int:
    if month == 2:
        return 29 if is_leap_year(year) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def epoch_day(year: int, month: int, day: int) -> int:
    """Days from 1970-01-01 to the date (negative before), for any year: the year is counted
    from March, so that the leap day ends it (Python's `//` floors, as the cycles need)."""
    march_year = year - 1 if month <= 2 else year
    cycle, year_of_cycle = divmod(march_year, _CYCLE_YEARS)
    day_of_year = (153 * ((month + 9) % 12) + 2) // 5 + day - 1
    day_of_cycle = year_of_cycle * 365 + year_of_cycle // 4 - year_of_cycle // 100 + day_of_year
    return cycle * _CYCLE_DAYS + day_of_cycle - _DAYS_BEFORE_EPOCH


def civil_date(days: int) -> tuple[int, int, int]:
    """(year, month, day) of an epoch day: the inverse of `epoch_day`."""
    cycle, day_of_cycle = divmod(days + _DAYS_BEFORE_EPOCH, _CYCLE_DAYS)
    year_of_cycle = (day_of_cycle - day_of_cycle // 1460 + day_of_cycle // 36524
                     - day_of_cycle // 146096) // 365
    day_of_year = day_of_cycle - (365 * year_of_cycle + year_of_cycle // 4 - year_of_cycle // 100)
    month_from_march = (5 * day_of_year + 2) // 153
    day = day_of_year - (153 * month_from_march + 2) // 5 + 1
    month = month_from_march + 3 if month_from_march < 10 else month_from_march - 9
    year = cycle * _CYCLE_YEARS + year_of_cycle + (1 if month <= 2 else 0)
    return year, month, day


@dataclass(frozen=True, slots=True, order=True)
class FeelDate:
    """A date (java.time `LocalDate`). Constructing one beyond java.time's years raises
    OverflowError (as arithmetic past them does), an invalid one (`FeelDate(2023, 2, 29)`)
    ValueError."""

    year: int
    month: int
    day: int

    def __post_init__(self) -> None:
        if not MIN_YEAR <= self.year <= MAX_YEAR:
            raise OverflowError(f"the year {self.year} is out of range ({MIN_YEAR} to {MAX_YEAR})")
        if not (1 <= self.month <= 12 and 1 <= self.day <= days_in_month(self.year, self.month)):
            raise ValueError(f"no such date: year {self.year}, month {self.month}, day {self.day}")

    @classmethod
    def from_epoch_day(cls, days: int) -> FeelDate:
        return cls(*civil_date(days))

    @classmethod
    def from_python(cls, value: dt.date) -> FeelDate:
        return cls(value.year, value.month, value.day)

    @property
    def epoch_day(self) -> int:
        return epoch_day(self.year, self.month, self.day)

    @property
    def weekday(self) -> int:
        """ISO day of the week: Monday 1 .. Sunday 7 (1970-01-01 was a Thursday)."""
        return (self.epoch_day + 3) % 7 + 1

    @property
    def day_of_year(self) -> int:
        return self.epoch_day - epoch_day(self.year, 1, 1) + 1

    @property
    def week_of_year(self) -> int:
        """The ISO-8601 week (weeks start on Monday; week 1 holds the year's first Thursday)."""
        week = (self.day_of_year - self.weekday + 10) // 7
        if week < 1:
            return _weeks_in_year(self.year - 1)
        return 1 if week > _weeks_in_year(self.year) else week

    def plus_days(self, days: int) -> FeelDate:
        return FeelDate.from_epoch_day(self.epoch_day + days)

    def plus_months(self, months: int) -> FeelDate:
        """java.time's `plusMonths`: the day is clamped to the target month's last day."""
        year, month = divmod(self.year * 12 + self.month - 1 + months, 12)
        return FeelDate(year, month + 1, min(self.day, days_in_month(year, month + 1)))

    def last_day_of_month(self) -> FeelDate:
        return FeelDate(self.year, self.month, days_in_month(self.year, self.month))


def _weeks_in_year(year: int) -> int:
    """53 when the year starts on a Thursday, or on a Wednesday in a leap year; else 52."""
    first = FeelDate(year, 1, 1).weekday
    return 53 if first == 4 or (first == 3 and is_leap_year(year)) else 52


def micros_of_day(value: dt.time) -> int:
    return ((value.hour * 60 + value.minute) * 60 + value.second) * 1_000_000 + value.microsecond


def time_of_micros(micros: int) -> dt.time:
    """The time of day `micros` after midnight (any integer: whole days are dropped)."""
    seconds, micro = divmod(micros % DAY_MICROS, 1_000_000)
    minutes, second = divmod(seconds, 60)
    hour, minute = divmod(minutes, 60)
    return dt.time(hour, minute, second, micro)


@dataclass(frozen=True, slots=True)
class FeelDateTime:
    """A date-time: local (`offset` None), with a fixed offset, or in a region `zone` (then
    `offset` is the zone's offset at that moment). Build zoned ones with `in_zone` or
    `from_instant`, which resolve the zone's offset as java.time does."""

    date: FeelDate
    time: dt.time  # the local time of day (naive, microseconds)
    offset: dt.timezone | None = None
    zone: ZoneInfo | None = None

    @classmethod
    def of_local(cls, local_micros: int, offset: dt.timezone | None = None) -> FeelDateTime:
        """The date-time `local_micros` after 1970-01-01T00:00 local time, at a fixed offset."""
        days, micros = divmod(local_micros, DAY_MICROS)
        return cls(FeelDate.from_epoch_day(days), time_of_micros(micros), offset)

    @classmethod
    def in_zone(cls, date: FeelDate, time: dt.time, zone: ZoneInfo,
                prefer: dt.timezone | None = None) -> FeelDateTime:
        """A local date-time placed in a region zone the way java.time resolves it: a time in a
        gap moves forward by the gap's length; in an overlap the earlier offset wins unless
        `prefer` (the offset before an arithmetic step) is one of the two."""
        local = date.epoch_day * DAY_MICROS + micros_of_day(time)
        shift = _cycles_to_zoneinfo_range(date.year) * _CYCLE_DAYS * DAY_MICROS
        naive = _LOCAL_EPOCH + dt.timedelta(microseconds=local + shift)
        resolved = _resolve(naive, zone, prefer)
        moved = (resolved.replace(tzinfo=None) - _LOCAL_EPOCH) // dt.timedelta(microseconds=1)
        offset = dt.timezone(resolved.utcoffset() or dt.timedelta(0))
        value = cls.of_local(moved - shift, offset)
        return cls(value.date, value.time, value.offset, zone)

    @classmethod
    def from_instant(cls, instant_micros: int, zone: dt.timezone | ZoneInfo) -> FeelDateTime:
        """The date-time at an instant (microseconds since 1970-01-01T00:00Z) in a fixed offset
        or a region zone."""
        if isinstance(zone, dt.timezone):
            return cls.of_local(instant_micros + _offset_micros(zone), zone)
        year = civil_date(instant_micros // DAY_MICROS)[0]
        shift = _cycles_to_zoneinfo_range(year) * _CYCLE_DAYS * DAY_MICROS
        moment = (_UTC_EPOCH + dt.timedelta(microseconds=instant_micros + shift)).astimezone(zone)
        offset = dt.timezone(moment.utcoffset() or dt.timedelta(0))
        value = cls.of_local(instant_micros + _offset_micros(offset), offset)
        return cls(value.date, value.time, offset, zone)

    @classmethod
    def from_python(cls, value: dt.datetime) -> FeelDateTime:
        """A Python datetime: naive is local; a `ZoneInfo` is a region zone, any other tzinfo
        its fixed offset at that moment."""
        date, time = FeelDate.from_python(value), value.time()
        offset = value.utcoffset()
        if offset is None:
            return cls(date, time)
        from zoneinfo import ZoneInfo

        zone = value.tzinfo if isinstance(value.tzinfo, ZoneInfo) else None
        return cls(date, time, dt.timezone(offset), zone)

    @property
    def offset_seconds(self) -> int:
        return 0 if self.offset is None else _offset_micros(self.offset) // 1_000_000

    @property
    def local_micros(self) -> int:
        """Microseconds since 1970-01-01T00:00 on the local clock."""
        return self.date.epoch_day * DAY_MICROS + micros_of_day(self.time)

    @property
    def instant_micros(self) -> int:
        """Microseconds since 1970-01-01T00:00Z (for a local value: as if it were UTC)."""
        return self.local_micros - self.offset_seconds * 1_000_000

    @property
    def identity(self) -> int:
        """What orders date-times and makes them equal: the local clock of a local value, the
        instant of one with an offset or a zone, so `2018-10-08T00:00:00+02:00` equals
        `2018-10-08T00:00:00@Europe/Paris` (the DMN TCK's rule; feel-scala's comparator uses
        Java's `ZonedDateTime.equals`, which also compares the zone id)."""
        return self.local_micros if self.offset is None else self.instant_micros


def _offset_micros(offset: dt.timezone) -> int:
    return (offset.utcoffset(None) // dt.timedelta(microseconds=1))


def _cycles_to_zoneinfo_range(year: int) -> int:
    """Whole 400-year cycles to add to `year` to bring it into 100..9900 (0 when it is there)."""
    if year < 100:
        return (100 - year + _CYCLE_YEARS - 1) // _CYCLE_YEARS
    if year > 9900:
        return -((year - 9900 + _CYCLE_YEARS - 1) // _CYCLE_YEARS)
    return 0


def _resolve(naive: dt.datetime, zone: ZoneInfo, prefer: dt.timezone | None) -> dt.datetime:
    first = naive.replace(tzinfo=zone, fold=0)
    second = naive.replace(tzinfo=zone, fold=1)
    if first.utcoffset() == second.utcoffset():
        return first
    if first.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None) != naive:
        # a gap: fold=0 uses the offset before the transition, which java.time also uses to shift
        return first.astimezone(dt.UTC).astimezone(zone)
    if prefer is not None and second.utcoffset() == prefer.utcoffset(None):
        return second
    return first
