"""Run `etk` in a child process and measure its peak resident memory (for resource-limit tests).

The child reports `resource.getrusage(RUSAGE_SELF).ru_maxrss` of itself when the command ends,
so the figure is that one command's peak, not the test process's or another child's.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

_DRIVER = """
import resource, sys
from generator.cli import main
try:
    main(sys.argv[1:], prog_name="etk")
    code = 0
except SystemExit as stop:
    code = stop.code if isinstance(stop.code, int) else 1
sys.stderr.write("\\nPEAK_RSS_KB=%d\\n" % resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
sys.exit(code)
"""


@dataclass(frozen=True)
class Measured:
    """What an `etk` child process did: exit code, output, and its peak resident memory."""

    exit_code: int
    stdout: str
    stderr: str
    peak_mb: float


def run_etk_measured(*arguments: str, timeout: float = 300, cwd: Path = REPO) -> Measured:
    """`etk ARGUMENTS...` in a fresh Python process, with its peak RSS in MB."""
    done = subprocess.run([sys.executable, "-c", _DRIVER, *arguments], capture_output=True, text=True,
                          timeout=timeout, cwd=cwd)
    stderr, _, peak = done.stderr.rpartition("PEAK_RSS_KB=")
    assert peak.strip().isdigit(), done.stderr
    return Measured(done.returncode, done.stdout, stderr.rstrip("\n"), int(peak) / 1024)
