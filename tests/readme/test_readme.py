"""README.md cannot drift from the CLI: every ```console block runs, in a fresh copy of the
checkout, and must print what README.md shows (see `examples.py` for the convention)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.readme.examples import BlockRun, console_blocks, lint

README = Path(__file__).resolve().parents[2] / "README.md"
BLOCKS = console_blocks(README.read_text(encoding="utf-8"))


def test_readme_follows_the_example_convention() -> None:
    assert lint(README.read_text(encoding="utf-8")) == []


def test_readme_has_console_examples() -> None:
    assert len(BLOCKS) >= 10
    assert all(block.commands for block in BLOCKS)


@pytest.mark.parametrize("block", BLOCKS, ids=[block.name for block in BLOCKS])
def test_console_example(block, repo_dir: Path) -> None:
    mismatch = BlockRun(block, repo_dir).run()
    if mismatch is not None:
        pytest.fail(str(mismatch), pytrace=False)
