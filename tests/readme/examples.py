"""Run the console examples of README.md and compare what they print with what README.md shows.

The convention (documented in README.md, "Development"):

* A ```` ```console ```` block is a terminal session. `$ ` starts a command (a line ending in `\\`
  continues it); the lines up to the next `$ ` are its expected output, stdout and stderr
  together as a terminal shows them.
* Volatile parts are marked with `...`: a line that is only `...` stands for any number of lines
  (none included), `...` inside a line for any text on that line.
* Each block runs top to bottom in its own fresh copy of the checkout (the files git tracks);
  each command runs in its own `bash` (`cd` and variables do not carry over to the next one).
* A command ending in ` &` runs in the background until the block ends; the test waits until
  the lines shown under it have appeared in its output.
* The example ports 8080 and 8443 are replaced by free ports, in commands and output alike.
* A fenced block whose info string carries `file=PATH` (```` ```json file=broken.json ````) is a
  file the next console block needs: it is written to PATH before that block runs.
* ```` ```sh ```` blocks are not run (installation, benchmarks): no line of one may start with
  `etk `, and `$ ` prompts belong in console blocks only.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ELLIPSIS = "..."
EXAMPLE_PORTS = ("8080", "8443")
COMMAND_TIMEOUT = 120.0
BACKGROUND_TIMEOUT = 30.0
_FENCE = re.compile(r"^(?P<indent> *)(?P<fence>```+)(?P<info>.*)$")
_BACKGROUND = re.compile(r"(?<![&|])&(\s+#[^\n]*)?\s*$")  # `cmd &` or `cmd &  # comment`


@dataclass(frozen=True)
class Command:
    """One `$ ` command of a console block and the output README.md shows for it."""

    line: int  # README line of the `$ `
    text: str  # the command as bash reads it (continuation lines joined with newlines)
    expected: tuple[str, ...]

    @property
    def background(self) -> bool:
        return _BACKGROUND.search(self.text) is not None

    @property
    def foreground_text(self) -> str:
        """The command without its final `&` (a comment after it stays)."""
        return _BACKGROUND.sub(r"\1", self.text)


@dataclass(frozen=True)
class ConsoleBlock:
    """A ```console block: its commands, and the files earlier `file=` blocks give it."""

    line: int
    commands: tuple[Command, ...]
    files: dict[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        first = self.commands[0].text.splitlines()[0] if self.commands else ""
        return f"README.md:{self.line} {first[:60]}"


@dataclass(frozen=True)
class Fenced:
    """Any fenced block of a Markdown file: its info string, first content line and content."""

    info: str
    line: int
    lines: tuple[str, ...]

    @property
    def language(self) -> str:
        return self.info.split()[0] if self.info.split() else ""

    @property
    def file(self) -> str | None:
        match = re.search(r"(?:^|\s)file=(\S+)", self.info)
        return match.group(1) if match else None


def fenced_blocks(markdown: str) -> list[Fenced]:
    """Every fenced block (``` at any indentation, content dedented by the fence's indentation)."""
    blocks: list[Fenced] = []
    lines = markdown.splitlines()
    index = 0
    while index < len(lines):
        opening = _FENCE.match(lines[index])
        if opening is None or "`" in opening.group("info"):  # CommonMark: then it is inline code
            index += 1
            continue
        indent, fence = len(opening.group("indent")), opening.group("fence")
        content: list[str] = []
        index += 1
        start = index + 1
        while index < len(lines) and not re.match(rf"^ *{fence}\s*$", lines[index]):
            line = lines[index]
            content.append(line[indent:] if line[:indent].strip() == "" else line)
            index += 1
        blocks.append(Fenced(opening.group("info").strip(), start, tuple(content)))
        index += 1
    return blocks


def parse_console(block: Fenced) -> tuple[Command, ...]:
    """The commands of a console block; lines before the first `$ ` are an error."""
    commands: list[Command] = []
    lines = list(block.lines)
    index = 0
    while index < len(lines):
        line = lines[index]
        if not line.startswith("$ "):
            raise ValueError(f"README.md:{block.line + index}: console output before any `$ ` command")
        number = block.line + index
        parts = [line[2:]]
        while parts[-1].endswith("\\") and index + 1 < len(lines):
            index += 1
            parts.append(lines[index])
        index += 1
        expected: list[str] = []
        while index < len(lines) and not lines[index].startswith("$ "):
            expected.append(lines[index])
            index += 1
        commands.append(Command(number, "\n".join(parts), tuple(expected)))
    return tuple(commands)


def console_blocks(markdown: str) -> list[ConsoleBlock]:
    """The console blocks in file order, each with the `file=` blocks written before it."""
    result: list[ConsoleBlock] = []
    pending: dict[str, str] = {}
    for block in fenced_blocks(markdown):
        if block.file is not None:
            pending[block.file] = "\n".join(block.lines) + "\n"
        elif block.language == "console":
            result.append(ConsoleBlock(block.line, parse_console(block), pending))
            pending = {}
    return result


def lint(markdown: str) -> list[str]:
    """Breaches of the convention: `$ ` prompts outside console blocks, `etk` commands in blocks
    that are not run, and `file=` blocks that no console block follows."""
    problems: list[str] = []
    blocks = fenced_blocks(markdown)
    for position, block in enumerate(blocks):
        if block.language == "console":
            try:
                parse_console(block)
            except ValueError as error:
                problems.append(str(error))
            continue
        if block.file is not None:
            if not any(later.language == "console" for later in blocks[position + 1:]):
                problems.append(f"README.md:{block.line}: file={block.file} is not followed by a console block")
            continue
        for offset, line in enumerate(block.lines):
            where = f"README.md:{block.line + offset}"
            if line.startswith("$ "):
                problems.append(f"{where}: a `$ ` prompt outside a ```console block (it would not be tested)")
            elif block.language in ("sh", "bash", "shell") and re.match(r"\s*etk\s", line):
                problems.append(f"{where}: an etk command in a ```{block.language} block: "
                                "put it in a ```console block with its output, so it is tested")
    return problems


# ---- matching -----------------------------------------------------------------------------------


def output_pattern(expected: tuple[str, ...] | list[str]) -> re.Pattern[str]:
    """A regular expression for the whole output: `...` lines match any lines, `...` in a line any
    text; trailing whitespace is ignored."""
    parts: list[str] = []
    for line in expected:
        line = line.rstrip()
        if line == ELLIPSIS:
            parts.append(r"(?:[^\n]*\n)*?")
        else:
            parts.append("[^\n]*".join(re.escape(piece) for piece in line.split(ELLIPSIS)) + r"\n")
    return re.compile("".join(parts))


def normalise(output: str) -> str:
    """Output as compared: trailing whitespace of each line dropped, a final newline."""
    lines = [line.rstrip() for line in output.splitlines()]
    return "".join(line + "\n" for line in lines)


def matches(expected: tuple[str, ...] | list[str], output: str) -> bool:
    return output_pattern(expected).fullmatch(normalise(output)) is not None


def contains(expected: tuple[str, ...] | list[str], output: str) -> bool:
    """The expected lines appear in `output` from its start (more output may follow)."""
    return output_pattern([*expected, ELLIPSIS]).fullmatch(normalise(output)) is not None


# ---- running ------------------------------------------------------------------------------------


_NOT_CHECKED_IN = {".git", ".venv", "node_modules", "__pycache__", ".pytest_cache", ".hypothesis", ".mypy_cache", ".ruff_cache"}


def fresh_checkout(repo: Path, target: Path) -> None:
    """Copy the files git tracks (as they are in the working tree) from `repo` into `target`;
    outside a git checkout (an unpacked sdist), every file but caches and environments."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=repo, capture_output=True, check=False)
    if listed.returncode == 0:
        names = [name for name in listed.stdout.decode().split("\0") if name]
    else:
        names = [str(path.relative_to(repo)) for path in repo.rglob("*")
                 if path.is_file() and not _NOT_CHECKED_IN.intersection(path.relative_to(repo).parts)]
    for name in names:
        source = repo / name
        if source.is_file():
            destination = target / name
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _with_ports(text: str, ports: dict[str, str]) -> str:
    for example, real in ports.items():
        text = re.sub(rf"(?<!\d){example}(?!\d)", real, text)
    return text


def environment(home: Path) -> dict[str, str]:
    """A small, predictable environment: this Python's scripts first on PATH (so `etk` is the
    installed one), UTF-8, no secrets or settings of the developer's shell."""
    scripts = str(Path(sys.executable).parent)
    return {
        "PATH": os.pathsep.join([scripts, os.environ.get("PATH", "/usr/bin:/bin")]),
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "TMPDIR": str(home),
        "NO_COLOR": "1",
    }


@dataclass
class Mismatch:
    command: Command
    expected: str
    actual: str

    def __str__(self) -> str:
        return (f"README.md:{self.command.line}: `$ {self.command.text}` printed\n{self.actual}"
                f"---- README.md shows ----\n{self.expected}")


class BlockRun:
    """Runs one console block in a fresh checkout; `run()` returns the first mismatch or None."""

    def __init__(self, block: ConsoleBlock, repo: Path) -> None:
        self.block = block
        self.repo = repo
        self.ports = {example: str(free_port()) for example in EXAMPLE_PORTS}
        self._background: list[tuple[subprocess.Popen[bytes], Path]] = []

    def run(self) -> Mismatch | None:
        with tempfile.TemporaryDirectory(prefix="etk-readme-") as temporary:
            root = Path(temporary)
            checkout, home = root / "checkout", root / "home"
            checkout.mkdir()
            home.mkdir()
            fresh_checkout(self.repo, checkout)
            for name, text in self.block.files.items():
                path = checkout / name
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
            env = environment(home)
            try:
                for command in self.block.commands:
                    mismatch = self._run(command, checkout, env, root)
                    if mismatch is not None:
                        return mismatch
            finally:
                self._stop_background()
        return None

    def _run(self, command: Command, cwd: Path, env: dict[str, str], root: Path) -> Mismatch | None:
        text = _with_ports(command.foreground_text, self.ports)
        expected = [_with_ports(line, self.ports) for line in command.expected]
        if command.background:
            log = root / f"background-{len(self._background)}.log"
            with log.open("wb") as sink:
                process = subprocess.Popen(["bash", "-c", text], cwd=cwd, env=env, stdout=sink,
                                           stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
            self._background.append((process, log))
            deadline = time.monotonic() + BACKGROUND_TIMEOUT
            while True:
                output = log.read_text(encoding="utf-8", errors="replace")
                if contains(expected, output):
                    return None
                if process.poll() is not None or time.monotonic() > deadline:
                    return Mismatch(command, "\n".join(expected) + "\n...\n", output)
                time.sleep(0.1)
        try:
            completed = subprocess.run(["bash", "-c", text], cwd=cwd, env=env, stdout=subprocess.PIPE,
                                       stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, timeout=COMMAND_TIMEOUT)
        except subprocess.TimeoutExpired as error:
            output = (error.output or b"").decode("utf-8", errors="replace")
            return Mismatch(command, "\n".join(expected), output + f"\n(still running after {COMMAND_TIMEOUT:.0f} s)\n")
        output = completed.stdout.decode("utf-8", errors="replace")
        crashed = "Traceback (most recent call last)" in output and not any("Traceback" in line for line in expected)
        if crashed or not matches(expected, output):
            return Mismatch(command, "".join(line + "\n" for line in expected), normalise(output))
        return None

    def _stop_background(self) -> None:
        for process, _ in self._background:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()


def readme_blocks(readme: Path) -> Iterator[ConsoleBlock]:
    yield from console_blocks(readme.read_text(encoding="utf-8"))
