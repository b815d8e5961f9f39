"""Run `etk` in a child process and measure its peak resident memory (for resource-limit tests).

The child reports its own peak when the command ends: `VmHWM` of /proc/self/status, the high-water
mark of this process's memory. (`resource.getrusage(RUSAGE_SELF).ru_maxrss` is no good after a
fork: Linux carries the forking parent's peak over the exec into it.)
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

_DRIVER = """
import re, sys
from generator.cli import main
try:
    main(sys.argv[1:], prog_name="etk")
    code = 0
except SystemExit as stop:
    code = stop.code if isinstance(stop.code, int) else 1
with open("/proc/self/status") as status:
    peak = re.search(r"VmHWM:\\s+(\\d+) kB", status.read()).group(1)
sys.stderr.write("\\nPEAK_RSS_KB=%s\\n" % peak)
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
