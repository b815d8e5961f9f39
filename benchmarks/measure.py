"""One process measured as the kernel counts it: the one helper the benchmark scripts share.

`wait4` gives the child's own CPU time (user + system) and peak RSS; on a shared machine wall time
also counts waiting for a core, so the scripts compare CPU times.
"""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Measured:
    """Exit code, output (stdout and stderr together, empty when discarded), wall and CPU seconds
    and peak RSS (KiB) of one finished process."""

    code: int
    output: str
    wall: float
    cpu: float
    peak_kib: int


def measured_run(command: list[str], *, cwd: Path, env: Mapping[str, str] | None = None,
                 keep_output: bool = True) -> Measured:
    """Run `command` to its end in `cwd` and measure it."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env,
                               stdout=subprocess.PIPE if keep_output else subprocess.DEVNULL,
                               stderr=subprocess.STDOUT)
    output = process.stdout.read().decode(errors="replace") if process.stdout is not None else ""
    _, status, usage = os.wait4(process.pid, 0)
    if process.stdout is not None:
        process.stdout.close()
    process.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen must not wait again
    return Measured(process.returncode, output, time.perf_counter() - started,
                    usage.ru_utime + usage.ru_stime, usage.ru_maxrss)
