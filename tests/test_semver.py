"""etk's npm semver-range parser: desugaring, errors, and agreement with npm's `semver` (node)."""

from __future__ import annotations

import json
import subprocess

import pytest

from generator.semver import SemverError, parse_range, parse_version


@pytest.mark.parametrize("text, desugared", [
    ("^8.6", ">=8.6.0 <9.0.0-0"),
    ("^0.2.3", ">=0.2.3 <0.3.0-0"),
    ("^0.0.3", ">=0.0.3 <0.0.4-0"),
    ("~1.2", ">=1.2.0 <1.3.0-0"),
    ("~1.2.3", ">=1.2.3 <1.3.0-0"),
    ("8.6.x", ">=8.6.0 <8.7.0-0"),
    ("8", ">=8.0.0 <9.0.0-0"),
    (">=8.3 <9", ">=8.3.0 <9.0.0-0"),
    (">1.2", ">=1.3.0"),
    ("<=1.2", "<1.3.0-0"),
    ("1.2.3 - 2.3", ">=1.2.3 <2.4.0-0"),
    ("^8.6 || ^9", ">=8.6.0 <9.0.0-0 || >=9.0.0 <10.0.0-0"),
    ("*", "*"),
    ("", "*"),
    ("v1.2.3", "1.2.3"),
    (">= 8.6", ">=8.6.0"),
])
def test_ranges_desugar_like_npm(text, desugared):
    assert str(parse_range(text)) == desugared


@pytest.mark.parametrize("text, message", [
    ("^8.x.y", '"8.x.y" in "^8.x.y" is not a version such as 8, 8.6, 8.6.x or 8.6.1'),
    ("banana", '"banana" in "banana" is not a version such as 8, 8.6, 8.6.x or 8.6.1'),
    (">=", '">=" in ">=" is not a comparator such as ^8.6, >=8.3 or 8.6.x'),
    ("1.2.3 -", '"-" in "1.2.3 -" is not a version such as 8, 8.6, 8.6.x or 8.6.1'),
    ("01.2", '"01.2" in "01.2" is not a version such as 8, 8.6, 8.6.x or 8.6.1'),
])
def test_invalid_ranges_say_which_part_is_wrong(text, message):
    with pytest.raises(SemverError) as raised:
        parse_range(text)
    assert str(raised.value) == message


def test_prereleases_only_match_ranges_that_name_one_of_the_same_version():
    assert parse_range(">=1.2.3-beta <2").satisfied_by("1.2.3-beta.2")
    assert not parse_range(">=1.2.3-beta <2").satisfied_by("1.2.4-beta")
    assert not parse_range("^8.6").satisfied_by("8.7.0-alpha")
    assert parse_range("^8.6").satisfied_by("8.8.1")


@pytest.mark.parametrize("text, lowest", [
    ("^8.6", "8.6.0"), (">=8.7.2", "8.7.2"), ("~8.8.1", "8.8.1"), (">8.6", "8.7.0"), (">8.6.1", "8.6.2"),
    ("^8.8 || ^8.6", "8.6.0"), ("8.6 - 8.9", "8.6.0"), ("<9", "0.0.0"), ("*", "0.0.0"),
    ("^8.9.0-alpha1", "8.9.0"), (">=1.2.3-beta <2", "1.2.3"),
])
def test_lowest_version_is_the_lowest_release_admitted(text, lowest):
    assert str(parse_range(text).lowest_version()) == lowest


@pytest.mark.parametrize("text", [">9 <8", "1.2.3-rc.1", ">=8.6.0 <8.6.0"])
def test_a_range_without_releases_has_no_lowest_version(text):
    assert parse_range(text).lowest_version() is None


def test_versions_must_be_complete():
    assert str(parse_version("8.6.0-alpha.1")) == "8.6.0-alpha.1"
    with pytest.raises(SemverError):
        parse_version("8.6")


RANGES = [
    "^8.6", "^8", "^0.2", "^0.0.3", "^0.0", "~8.6", "~8", "~>1.2", "8.6.x", "8.x", "8.X.x", "*", "x", "",
    ">=8.3 <9", ">= 8.3 < 9", ">8.6", ">8", "<8.6", "<=8.6", "=8.6.1", "8.6.1", "v8.6.1", "1.2.3 - 2.3.4",
    "1.2 - 2", "^8.6 || ^9", "||", ">=1.2.3-beta <2", "1.2.3-rc.1", "^8.6.0-alpha", "8.x.y", "banana",
    ">=", "1.2.3 -", "^8.6 ||| 9", "01.2", "8.6.01", "1.2.3+build.5", "~1.2.3-beta.2",
    # version numbers past JavaScript's exact integers (npm refuses them), prerelease numbers past them (text)
    "9007199254740992.0.0", "1.9007199254740992", ">=9007199254740991.0.0", "^" + "9" * 30, "~1.2." + "9" * 5000,
    ">=1.2.3-9007199254740992", ">=1.2.3-9007199254740990",
]
VERSIONS = ["0.0.3", "0.2.9", "1.2.3", "1.2.3-beta.2", "1.9.9", "2.3.4", "2.3.5", "8.0.0", "8.5.9", "8.6.0",
            "8.6.1", "8.6.2-alpha", "8.7.0", "8.99.0", "9.0.0", "9.0.0-0", "10.1.0", "1.2.3-9007199254740991",
            "1.2.3-9007199254740993", "1.2.3-a"]


def test_agrees_with_npm_semver(node_tools):
    request = json.dumps({"ranges": RANGES, "versions": VERSIONS})
    run = subprocess.run(["node", str(node_tools / "validate-semver.mjs")], input=request, capture_output=True,
                         text=True, check=True, cwd=node_tools)
    disagreements = []
    for answer in json.loads(run.stdout):
        try:
            parsed = parse_range(answer["range"])
        except SemverError:
            parsed = None
        if (parsed is not None) != answer["valid"]:
            disagreements.append((answer["range"], "valid", answer["valid"]))
            continue
        for version, satisfied in answer["satisfied"].items():
            if parsed is not None and parsed.satisfied_by(version) != satisfied:
                disagreements.append((answer["range"], version, satisfied))
        # etk's lowest_version names releases only; compare where npm's minVersion is a release.
        lowest = answer["lowest"]
        if parsed is not None and lowest is not None and "-" not in lowest and str(parsed.lowest_version()) != lowest:
            disagreements.append((answer["range"], "lowest", lowest))
    assert disagreements == []
