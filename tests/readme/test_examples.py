"""The README example runner itself: parsing, matching with `...`, the lint, running blocks."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.readme.examples import (
    BlockRun,
    Command,
    ConsoleBlock,
    Fenced,
    console_blocks,
    fenced_blocks,
    lint,
    matches,
)

MARKDOWN = '''# Title

```console
$ etk build \\
    --check
dist is up to date
$ etk validate dist/
...
2 file(s)
```

  ```json file=data/x.json
  {"a": 1}
  ```

```console
$ cat data/x.json
{"a": 1}
```
'''


def test_console_blocks_hold_commands_with_continuations_and_their_output() -> None:
    first, second = console_blocks(MARKDOWN)
    assert first.commands == (
        Command(4, "etk build \\\n    --check", ("dist is up to date",)),
        Command(7, "etk validate dist/", ("...", "2 file(s)")),
    )
    assert first.files == {}
    assert second.files == {"data/x.json": '{"a": 1}\n'}  # indented fences are dedented
    assert second.commands == (Command(17, "cat data/x.json", ('{"a": 1}',)),)


def test_fenced_blocks_know_their_language_and_file() -> None:
    blocks = fenced_blocks(MARKDOWN)
    assert [(block.language, block.file, block.line) for block in blocks] == [
        ("console", None, 4), ("json", "data/x.json", 13), ("console", None, 17)]


@pytest.mark.parametrize(("expected", "output"), [
    (["a", "b"], "a\nb\n"),
    (["a", "b"], "a  \nb"),                        # trailing whitespace and final newline ignored
    (["a", "...", "b"], "a\nb\n"),                  # `...` line: no lines
    (["a", "...", "b"], "a\nx\ny\nb\n"),            # `...` line: several lines
    (["...", "end"], "x\nend\n"),
    (['{"id": "...", "n": 1}'], '{"id": "chatcmpl-42", "n": 1}\n'),   # `...` inside a line
    ([], ""),
])
def test_matching_output(expected: list[str], output: str) -> None:
    assert matches(expected, output)


@pytest.mark.parametrize(("expected", "output"), [
    (["a", "b"], "a\nc\n"),
    (["a"], "a\nb\n"),                               # more output than shown
    (["a", "b"], "a\n"),                             # less output than shown
    (['{"n": ...}'], '{"n": 1}\n{"m": 2}\n'),        # `...` in a line never spans lines
    ([], "unexpected\n"),                            # a command shown without output must print nothing
])
def test_mismatching_output(expected: list[str], output: str) -> None:
    assert not matches(expected, output)


def test_lint_finds_untested_commands_and_stray_files() -> None:
    markdown = '''
```sh
pip install element-template-kit && etk --version
etk build
```

```
$ etk validate x.json
```

```yaml file=t.yaml
a: 1
```
'''
    assert lint(markdown) == [
        "README.md:4: an etk command in a ```sh block: put it in a ```console block with its output, so it is tested",
        "README.md:8: a `$ ` prompt outside a ```console block (it would not be tested)",
        "README.md:12: file=t.yaml is not followed by a console block",
    ]


def test_lint_refuses_output_before_the_first_command() -> None:
    assert lint("```console\nhello\n$ echo hello\n```\n") == [
        "README.md:2: console output before any `$ ` command"]


@pytest.mark.parametrize(("text", "background", "foreground"), [
    ("etk serve azure-openai &", True, "etk serve azure-openai "),
    ("etk serve azure-openai &   # a fake service", True, "etk serve azure-openai    # a fake service"),
    ("make && etk build", False, "make && etk build"),
    ("etk run x > out.json 2>&1", False, "etk run x > out.json 2>&1"),
])
def test_background_commands_end_with_an_ampersand(text: str, background: bool, foreground: str) -> None:
    command = Command(1, text, ())
    assert (command.background, command.foreground_text) == (background, foreground)


def run_block(repo_dir: Path, *commands: tuple[str, tuple[str, ...]], files: dict[str, str] | None = None):
    block = ConsoleBlock(1, tuple(Command(n, text, expected) for n, (text, expected) in enumerate(commands, 1)), files or {})
    return BlockRun(block, repo_dir).run()


def test_a_block_runs_in_a_fresh_checkout_with_its_files(repo_dir: Path) -> None:
    assert run_block(
        repo_dir,
        ("ls pyproject.toml README.md", ("README.md", "pyproject.toml")),
        ("cat notes/x.txt; echo more >> notes/x.txt", ("hello",)),
        ("cat notes/x.txt", ("hello", "more")),               # commands share the folder
        ("ls .venv tools/node_modules 2>&1 | head -n 1", ("ls: cannot access '.venv': No such file or directory",)),
        files={"notes/x.txt": "hello\n"},
    ) is None


def test_a_wrong_output_is_a_mismatch_naming_the_command(repo_dir: Path) -> None:
    mismatch = run_block(repo_dir, ("echo one", ("one",)), ("echo two; echo three >&2", ("two", "four")))
    assert mismatch is not None
    assert str(mismatch) == "README.md:2: `$ echo two; echo three >&2` printed\ntwo\nthree\n---- README.md shows ----\ntwo\nfour\n"


def test_a_traceback_fails_even_where_dots_allow_any_output(repo_dir: Path) -> None:
    mismatch = run_block(repo_dir, ("python -c 'import json; json.loads(\"x\")'", ("...",)))
    assert mismatch is not None and "Traceback (most recent call last)" in mismatch.actual


def test_example_ports_are_replaced_by_free_ones(repo_dir: Path) -> None:
    block = ConsoleBlock(1, (Command(1, "echo 8080 8443 18080", ("8080 8443 18080",)),))
    run = BlockRun(block, repo_dir)
    assert set(run.ports) == {"8080", "8443"} and "8080" not in run.ports.values()
    assert run.run() is None


def test_a_background_command_is_waited_for_and_stopped(repo_dir: Path, tmp_path: Path) -> None:
    marker = tmp_path / "stopped"
    assert run_block(
        repo_dir,
        (f"trap 'touch {marker}; exit 0' TERM; sleep 1; echo ready; while true; do sleep 0.1; done &", ("ready",)),
        ("echo after", ("after",)),
    ) is None
    assert marker.exists()  # stopped when the block ended


def test_a_background_command_that_never_prints_its_lines_fails(repo_dir: Path) -> None:
    mismatch = run_block(repo_dir, ("echo something else &", ("ready",)))
    assert mismatch is not None and mismatch.actual == "something else\n"


def test_backticks_in_an_info_string_make_inline_code_not_a_fence() -> None:
    markdown = "- put it in ```` ```json file=x.json ````: written first\n\n```console\n$ true\n```\n"
    assert fenced_blocks(markdown) == [Fenced("console", 4, ("$ true",))]
