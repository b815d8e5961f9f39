"""Run `etk` commands in-process for tests, and snapshot the files they leave behind."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner, Result

from generator.cli import main


def etk(*args: str) -> Result:
    """`etk ARGS...` in-process; an unexpected exception propagates instead of hiding in the result."""
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file below `folder` with its bytes (empty when the folder does not exist)."""
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}
