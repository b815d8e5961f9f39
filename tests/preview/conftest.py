"""Where the browser tests of the preview put what they make (the browser rule is `browser_available`
in tests/conftest.py)."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "build" / "panel-screenshots"  # git-ignored
