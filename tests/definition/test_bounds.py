"""Hostile definitions end in `etk: error: file:line:column: ...` and exit 2, in bounded memory and time.

Alias bombs, huge or endless files, deep nesting and values of the wrong type anywhere the
reader looks. The memory tests run `etk build` in a subprocess and read its peak resident set
size from the kernel (`wait4`), so they measure the real process, not the test's.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from generator.definition import MAX_NAME_BYTES
from generator.definition.source import MAX_DEFINITION_BYTES, MAX_DEPTH, MAX_VALUES, load_yaml
from tests.definition.conftest import MINIMAL
from tests.etk_cli import etk

REPO = Path(__file__).resolve().parents[2]
REST = (REPO / "templates" / "rest.yaml").read_text(encoding="utf-8")


def _alias_bomb() -> str:
    """About 430 bytes that expand to 10^9 strings when every alias is copied out."""
    lines = ["id: io.etk.test.Bomb.v1", "name: Bomb", 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for previous, name in zip("abcdefgh", "bcdefghi", strict=False):
        lines.append(f"{name}: &{name} [{','.join([f'*{previous}'] * 10)}]")
    return "\n".join(lines) + "\n"


# runs etk in a child of its own and prints the exit code and the child's peak RSS in KiB
_MEASURE = """
import resource, subprocess, sys
code = subprocess.run(sys.argv[1:], stderr=subprocess.STDOUT, timeout=120).returncode
print(code, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)
"""


def run_build(templates: Path, tmp_path: Path) -> tuple[int, str, int]:
    """Exit code, output and peak RSS in MiB of `etk build TEMPLATES` in a fresh process (the
    120 s timeout guards against a hang; it is not a timing check)."""
    measured = subprocess.run(
        [sys.executable, "-c", _MEASURE, sys.executable, "-m", "generator", "build", str(templates), "-o", "dist"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=True,
    )
    code, peak_kib = measured.stderr.split()[-2:]
    return int(code), measured.stdout, int(peak_kib) // 1024


def test_the_alias_bomb_is_small():
    assert 400 <= len(_alias_bomb()) <= 460


def test_a_yaml_alias_bomb_fails_cleanly_in_bounded_memory(tmp_path: Path):
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "bomb.yaml").write_text(_alias_bomb(), encoding="utf-8")
    code, output, peak_mib = run_build(templates, tmp_path)
    assert (code, output) == (
        2,
        "etk: error: 1 problem in the definition\n"
        f"templates/bomb.yaml:7:1: the definition expands to more than {MAX_VALUES:,} values "
        "(aliases and merges count at every use)\n",
    )
    assert peak_mib < 300, f"peak RSS {peak_mib} MiB"


def test_a_definition_that_links_to_dev_zero_is_refused_without_reading(tmp_path: Path):
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "zero.yaml").symlink_to("/dev/zero")
    code, output, peak_mib = run_build(templates, tmp_path)
    assert (code, output) == (
        2,
        "etk: error: 1 problem in the definition\ntemplates/zero.yaml:1:1: cannot read the definition: not a regular file\n",
    )
    assert peak_mib < 300


def test_a_named_pipe_is_refused_without_waiting_for_a_writer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    Path("templates").mkdir()
    os.mkfifo("templates/pipe.yaml")
    result = etk("build", "templates")
    assert (result.exit_code, result.output) == (
        2,
        "etk: error: 1 problem in the definition\ntemplates/pipe.yaml:1:1: cannot read the definition: not a regular file\n",
    )


def test_a_definition_over_the_size_cap_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    Path("templates").mkdir()
    padding = "# " + "x" * 98 + "\n"
    Path("templates/big.yaml").write_text(REST + padding * (MAX_DEFINITION_BYTES // len(padding) + 1))
    result = etk("build", "templates")
    assert (result.exit_code, result.output) == (
        2,
        "etk: error: 1 problem in the definition\ntemplates/big.yaml:1:1: the definition is larger than 1 MiB\n",
    )


def test_an_icon_that_links_to_dev_zero_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    Path("templates").mkdir()
    Path("templates/rest.yaml").write_text(REST)
    Path("templates/rest.svg").symlink_to("/dev/zero")
    result = etk("build", "templates")
    assert (result.exit_code, result.output) == (
        2,
        "etk: error: 1 problem in the definition\n"
        "templates/rest.yaml:11:7: cannot read icon file 'rest.svg': not a regular file\n",
    )


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 5_000])
def test_deep_nesting_is_refused_at_its_place(depth: int):
    _located, problems = load_yaml("a: " + "[" * depth + "]" * depth + "\n", "f.yaml")
    assert [problem.message for problem in problems] == [f"invalid YAML: nested more than {MAX_DEPTH} levels deep"]


def test_nesting_up_to_the_limit_reads():
    depth = MAX_DEPTH - 1
    located, problems = load_yaml("a: " + "[" * depth + "]" * depth + "\n", "f.yaml")
    assert problems == []
    assert located is not None


def test_a_merge_that_merges_itself_and_long_merge_chains_stay_bounded():
    located, problems = load_yaml("a: &a {x: 1, <<: *a}\n", "f.yaml")
    assert problems == [] and located is not None and located.data == {"a": {"x": 1}}
    chain = ["m0: &m0 {k0: 0}"] + [f"m{i}: &m{i} {{k{i}: {i}, <<: *m{i - 1}}}" for i in range(1, 250)]
    located, problems = load_yaml("\n".join(chain) + "\n", "f.yaml")
    assert problems == [] and located is not None
    assert len(located.data["m249"]) == 250


def test_merging_the_same_mapping_many_times_stays_linear():
    lines = ["a: &a {" + ", ".join(f"k{i}: {i}" for i in range(10)) + "}"]
    for previous, name in zip("abcdefgh", "bcdefghi", strict=False):
        lines.append(f"{name}: &{name} [" + ", ".join(["{<<: *" + previous + "}"] * 10) + "]")
    located, problems = load_yaml("\n".join(lines) + "\n", "f.yaml")
    # each mapping is merged once per merge key, however many paths lead to it
    assert problems == [] and located is not None
    assert located.data["i"][9] == {f"k{i}": i for i in range(10)}


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (r"version: \d+", "version: " + "9" * 5000, "rest.yaml:8:10: the number is too long (5,000 characters)"),
        (r"keywords: \[.*\]", "keywords: true", "rest.yaml:12:11: expected a list, got a boolean (true)"),
        (r"appliesTo: \[bpmn:Task\]", "appliesTo: 5", "rest.yaml:14:12: expected a list, got an integer (5)"),
        (r"oneOf: \[POST, PUT, PATCH\]}", "oneOf: null}", "rest.yaml:158:42: expected a list, got nothing (null)"),
        (r"oneOf: \[POST, PUT, PATCH\]}", "isActive: [1]}", "rest.yaml:158:45: expected a boolean (true or false), got a list"),
        (
            r"description: .*",
            "description: " + "[" * 150 + "]" * 150,
            "rest.yaml:9:114: invalid YAML: nested more than 100 levels deep",
        ),
    ],
)
def test_values_of_the_wrong_kind_are_problems_not_tracebacks(
    old: str, new: str, message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.chdir(tmp_path)
    assert re.search(old, REST)
    Path("rest.yaml").write_text(re.sub(old, lambda _: new, REST, count=1))
    Path("rest.svg").write_bytes((REPO / "templates" / "rest.svg").read_bytes())
    result = etk("build", ".")
    assert result.exit_code == 2
    assert message in result.output.splitlines(), result.output


@pytest.mark.parametrize("name", ["r" * 201, "\u00e9" * 101])  # 202 bytes in UTF-8
def test_a_name_longer_than_etk_can_write_files_for_is_refused(problems_of, name: str):
    size = len(name.encode())
    assert problems_of(MINIMAL, name=name) == [
        f"{name}.yaml: the name before .yaml is {size} bytes long; etk names the files it writes after it "
        "(dist/versioned/<name>-<version>.json, and a temporary file beside each), so it may be at most 200 bytes: "
        "rename the file"]


def test_a_name_of_the_longest_length_builds_and_archives_its_old_version(tmp_path: Path):
    """The longest temporary file a build writes, beside an archived template with the largest
    version, fits the file system."""
    templates = tmp_path / "templates"
    templates.mkdir()
    definition = templates / f"{'r' * MAX_NAME_BYTES}.yaml"
    definition.write_text(MINIMAL.replace("version: 1", "version: 9007199254740990"), encoding="utf-8")
    assert etk("build", str(templates), "-o", str(tmp_path / "dist")).exit_code == 0
    definition.write_text(MINIMAL.replace("version: 1", "version: 9007199254740991").replace("name: Minimal", "name: Next"),
                          encoding="utf-8")
    built = etk("build", str(templates), "-o", str(tmp_path / "dist"))
    assert (built.exit_code, built.stderr) == (0, "")
    assert (tmp_path / "dist" / "versioned" / f"{'r' * MAX_NAME_BYTES}-9007199254740990.json").is_file()
