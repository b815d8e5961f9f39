"""npm semver ranges (the syntax of a template's `engines`): parse, and test versions against them.

Grammar (node-semver's): a range is comparator sets joined by `||`; a set is space-separated
comparators (all must hold) or a hyphen range `A - B`; a comparator is `<`, `<=`, `>`, `>=`,
`=` or nothing before a version, or `~`/`^` before a partial version; a partial version may use
`x`, `X` or `*` for missing parts (`8`, `8.6`, `8.6.x`, `*`); a leading `v` is tolerated.
Everything is desugared into plain comparators with the same meaning as npm's, e.g.
`^8.6` -> `>=8.6.0 <9.0.0-0`, `~1.2` -> `>=1.2.0 <1.3.0-0`, `1.2 - 2` -> `>=1.2.0 <3.0.0-0`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from generator.errors import EtkError, abbreviated


class SemverError(EtkError):
    """The text is not a valid npm semver range (or version)."""


MAX_SAFE_INTEGER = 2**53 - 1
"""The largest major, minor or patch number npm's semver accepts (JavaScript's largest exact integer)."""


_NUMBER = r"0|[1-9][0-9]*"
_PART = rf"{_NUMBER}|[0-9]*[A-Za-z-][0-9A-Za-z-]*"
_IDENTIFIERS = rf"(?:{_PART})(?:\.(?:{_PART}))*"
_BUILD = r"[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*"
_X = rf"x|X|\*|{_NUMBER}"
_PARTIAL = re.compile(
    rf"v?(?P<major>{_X})(?:\.(?P<minor>{_X})(?:\.(?P<patch>{_X})"
    rf"(?:-(?P<prerelease>{_IDENTIFIERS}))?(?:\+{_BUILD})?)?)?"
)
_COMPARATOR = re.compile(r"(?P<operator><=|>=|<|>|=|~>|~|\^)?\s*(?P<version>\S*)")
_HYPHEN = re.compile(r"^\s*(?P<low>\S+)\s+-\s+(?P<high>\S+)\s*$")


@dataclass(frozen=True)
class Version:
    """A semantic version; `prerelease` holds its dot-separated identifiers (numbers as ints)."""

    major: int
    minor: int
    patch: int
    prerelease: tuple[int | str, ...] = ()

    def sort_key(self) -> tuple[Any, ...]:
        # A release sorts after its prereleases; numeric identifiers sort before textual ones.
        identifiers = tuple((0, part, "") if isinstance(part, int) else (1, 0, part) for part in self.prerelease)
        return (self.major, self.minor, self.patch, not self.prerelease, identifiers)

    def __str__(self) -> str:
        text = f"{self.major}.{self.minor}.{self.patch}"
        return text + ("-" + ".".join(map(str, self.prerelease)) if self.prerelease else "")


@dataclass(frozen=True)
class Comparator:
    """`operator` (`<`, `<=`, `>`, `>=`, `=`) applied to `version`."""

    operator: str
    version: Version

    def test(self, version: Version) -> bool:
        mine, theirs = self.version.sort_key(), version.sort_key()
        return {
            "<": theirs < mine, "<=": theirs <= mine, ">": theirs > mine,
            ">=": theirs >= mine, "=": theirs == mine,
        }[self.operator]

    def __str__(self) -> str:
        return f"{'' if self.operator == '=' else self.operator}{self.version}"


@dataclass(frozen=True)
class SemverRange:
    """Comparator sets (OR) of comparators (AND); an empty set matches every release."""

    sets: tuple[tuple[Comparator, ...], ...]

    def satisfied_by(self, version: str | Version) -> bool:
        """True when `version` is in the range (npm rules: a prerelease only matches a set that
        names a prerelease of the same major.minor.patch)."""
        candidate = parse_version(version) if isinstance(version, str) else version
        return any(_set_allows(comparators, candidate) for comparators in self.sets)

    def lowest_version(self) -> Version | None:
        """The lowest release the range admits (`^8.6` -> 8.6.0, `>8.6` -> 8.7.0, `<9` -> 0.0.0),
        or None when it admits no release."""
        admitted = [low for low in map(_lowest_of_set, self.sets) if low is not None]
        return min(admitted, key=Version.sort_key, default=None)

    def __str__(self) -> str:
        return " || ".join(" ".join(map(str, comparators)) or "*" for comparators in self.sets)


def parse_version(text: str) -> Version:
    """A full version such as `8.6.0` or `1.0.0-alpha.1` (a leading `v` is tolerated)."""
    match = _PARTIAL.fullmatch(text.strip())
    if not match or any(match[name] in (None, "x", "X", "*") for name in ("major", "minor", "patch")):
        raise SemverError(f'"{text}" is not a version like 1.2.3')
    return _version(match)


def parse_range(text: str) -> SemverRange:
    """Parse an npm range; raises `SemverError` saying which part is wrong."""
    if not isinstance(text, str):
        raise SemverError("a semver range must be a string")
    sets = []
    for alternative in text.split("||"):
        sets.append(tuple(_parse_set(alternative, text)))
    return SemverRange(tuple(sets))


def _parse_set(text: str, whole: str) -> list[Comparator]:
    hyphen = _HYPHEN.match(text)
    if hyphen:
        return _low_bound(_partial(hyphen["low"], whole)) + _high_bound(_partial(hyphen["high"], whole))
    comparators: list[Comparator] = []
    # `>= 8.6` is one comparator: glue an operator to the version that follows it.
    for token in re.findall(r"(?:<=|>=|~>|<|>|=|~|\^)?\s*[^\s<>=~^|]+|\S+", text):
        match = _COMPARATOR.fullmatch(token.strip())
        if not match or not match["version"]:
            raise SemverError(f'"{token.strip()}" in "{whole}" is not a comparator such as ^8.6, >=8.3 or 8.6.x')
        comparators += _desugar(match["operator"] or "", _partial(match["version"], whole))
    return comparators


def _partial(text: str, whole: str) -> re.Match[str]:
    match = _PARTIAL.fullmatch(text)
    if not match:
        raise SemverError(f'"{text}" in "{whole}" is not a version such as 8, 8.6, 8.6.x or 8.6.1')
    return match


def _number(value: str | None) -> int | None:
    return None if value is None or value in ("x", "X", "*") else _version_number(value)


def _version_number(digits: str) -> int:
    """A major, minor or patch number; npm's semver refuses one past `MAX_SAFE_INTEGER`."""
    if len(digits) > len(str(MAX_SAFE_INTEGER)) or int(digits) > MAX_SAFE_INTEGER:
        raise SemverError(f"the version number {abbreviated(digits, 'digits')} is larger than npm's semver allows ({MAX_SAFE_INTEGER})")
    return int(digits)


def _prerelease_identifier(text: str) -> int | str:
    """A prerelease identifier: a number when it is digits below `MAX_SAFE_INTEGER`, else text (as npm's semver)."""
    if text.isdigit() and len(text) <= len(str(MAX_SAFE_INTEGER)) and int(text) < MAX_SAFE_INTEGER:
        return int(text)
    return text


def _version(match: re.Match[str]) -> Version:
    prerelease = tuple(map(_prerelease_identifier, match["prerelease"].split("."))) if match["prerelease"] else ()
    return Version(_version_number(match["major"]), _version_number(match["minor"]), _version_number(match["patch"]),
                   prerelease)


def _parts(match: re.Match[str]) -> tuple[int | None, int | None, int | None]:
    major, minor, patch = (_number(match[name]) for name in ("major", "minor", "patch"))
    # Anything after a wildcard is a wildcard too (`1.x.3` means `1.x`).
    if major is None:
        return None, None, None
    if minor is None:
        return major, None, None
    return major, minor, patch


def _upper(major: int, minor: int | None) -> Version:
    """The exclusive upper bound of the x-range `major.minor.x` (or `major.x`)."""
    return Version(major + 1, 0, 0, (0,)) if minor is None else Version(major, minor + 1, 0, (0,))


def _low_bound(match: re.Match[str]) -> list[Comparator]:
    major, minor, patch = _parts(match)
    if major is None:
        return []
    if patch is None:
        return [Comparator(">=", Version(major, minor or 0, 0))]
    return [Comparator(">=", _version(match))]


def _high_bound(match: re.Match[str]) -> list[Comparator]:
    major, minor, patch = _parts(match)
    if major is None:
        return []
    if patch is None:
        return [Comparator("<", _upper(major, minor))]
    return [Comparator("<=", _version(match))]


def _desugar(operator: str, match: re.Match[str]) -> list[Comparator]:
    major, minor, patch = _parts(match)
    if operator in ("", "="):
        if patch is not None:
            return [Comparator("=", _version(match))]
        return _low_bound(match) + _high_bound(match)
    if operator in ("~", "~>"):
        if major is None:
            return []
        low = _version(match) if patch is not None else Version(major, minor or 0, 0)
        return [Comparator(">=", low), Comparator("<", _upper(major, minor))]
    if operator == "^":
        if major is None:
            return []
        low = _version(match) if patch is not None else Version(major, minor or 0, 0)
        if major > 0 or minor is None:
            high = Version(major + 1, 0, 0, (0,))
        elif minor > 0 or patch is None:
            high = Version(0, minor + 1, 0, (0,))
        else:
            high = Version(0, 0, patch + 1, (0,))
        return [Comparator(">=", low), Comparator("<", high)]
    return _primitive(operator, match, major, minor, patch)


def _primitive(operator: str, match: re.Match[str], major: int | None, minor: int | None, patch: int | None) -> list[Comparator]:
    if patch is not None:
        return [Comparator(operator, _version(match))]
    if major is None:  # `>*` and `<*` match nothing, `>=*` and `<=*` everything
        return [Comparator("<", Version(0, 0, 0, (0,)))] if operator in ("<", ">") else []
    if operator == ">":  # `>1.2` means past every 1.2.x
        return [Comparator(">=", _release(_upper(major, minor)))]
    if operator == "<=":  # `<=1.2` includes every 1.2.x
        return [Comparator("<", _upper(major, minor))]
    if operator == ">=":
        return [Comparator(">=", Version(major, minor or 0, 0))]
    return [Comparator("<", Version(major, minor or 0, 0, (0,)))]  # `<1.2` excludes 1.2.0-0 and up


def _release(version: Version) -> Version:
    return Version(version.major, version.minor, version.patch)


def _lowest_of_set(comparators: tuple[Comparator, ...]) -> Version | None:
    # The greatest lower bound, as a release: `>=1.2.0-0` first admits 1.2.0, `>1.2.3` 1.2.4.
    lowest = Version(0, 0, 0)
    for comparator in comparators:
        bound = _release(comparator.version)
        if comparator.operator == ">" and not comparator.version.prerelease:
            bound = Version(bound.major, bound.minor, bound.patch + 1)
        if comparator.operator in (">", ">=", "=") and bound.sort_key() > lowest.sort_key():
            lowest = bound
    return lowest if _set_allows(comparators, lowest) else None


def _set_allows(comparators: tuple[Comparator, ...], version: Version) -> bool:
    if not all(comparator.test(version) for comparator in comparators):
        return False
    if not version.prerelease:
        return True
    return any(
        comparator.version.prerelease
        and (comparator.version.major, comparator.version.minor, comparator.version.patch)
        == (version.major, version.minor, version.patch)
        for comparator in comparators
    )
