"""Connector secrets: providers, substitution into the job's JSON text, and masking as `***`.

Camunda's connector runtime replaces secret placeholders by plain text substitution in the JSON
text of the job variables, after Zeebe evaluated the FEEL input mappings and before the variables
are bound to the connector's input. Two syntaxes, in this order:

1. `{{secrets.NAME}}` (regex `\\{\\{\\s*secrets\\.(?<secret>\\S+?\\s*)}}`, name trimmed);
2. the deprecated bare `secrets.NAME` (regex `secrets\\.(?<secret>([a-zA-Z0-9]+[/._-])*[a-zA-Z0-9]+)`),
   applied to the text the first pass produced.

Each value is JSON-string-escaped, because it lands inside JSON text. A name no provider knows is
an input error (`Secret with name 'X' is not available`, no retries). Quirks kept on purpose: the
bare form has no word boundary, so a URL such as `https://api.secrets.io/x` asks for a secret
named `io/x`; and each pass runs once per placeholder it found (Camunda's `while
(matcher.find())` over the pass's input), so a value that holds another placeholder is resolved
again only when the text had more than one.

Every value substituted for a job is remembered by that job's `SecretMask`, which replaces it by
`***` (also in its JSON-escaped form and in the encoded forms the request writes it in) in error
messages, error variables, log lines and exceptions; `masking_library_logs` extends that to the
log records of httpx, which logs every request's URL.
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any, Protocol

from generator.errors import EtkError
from generator.files import invalid_json
from generator.runtime.errors import ConnectorInputError

BRACKET_SECRET = re.compile(r"\{\{\s*secrets\.(?P<secret>\S+?\s*)}}", re.ASCII)
BARE_SECRET = re.compile(r"secrets\.(?P<secret>([a-zA-Z0-9]+[/._-])*[a-zA-Z0-9]+)", re.ASCII)
MASK = "***"


class SecretProvider(Protocol):
    """Where secret values come from: `get` returns the value, or None when unknown."""

    def get(self, name: str) -> str | None: ...


class MappingSecrets:
    """Secrets from an in-memory mapping (tests, `--secret NAME=VALUE`)."""

    def __init__(self, values: Mapping[str, str]) -> None:
        self._values = dict(values)

    def get(self, name: str) -> str | None:
        return self._values.get(name)


class EnvironmentSecrets:
    """Secrets from environment variables, as Camunda Self-Managed's default provider reads them;
    `prefix` is prepended to the secret name to form the variable name."""

    def __init__(self, environ: Mapping[str, str] | None = None, prefix: str = "") -> None:
        self._environ = os.environ if environ is None else environ
        self._prefix = prefix

    def get(self, name: str) -> str | None:
        return self._environ.get(self._prefix + name)


class ChainedSecrets:
    """Asks each provider in turn; the first that knows the name wins."""

    def __init__(self, providers: Iterable[SecretProvider]) -> None:
        self._providers = tuple(providers)

    def get(self, name: str) -> str | None:
        for provider in self._providers:
            value = provider.get(name)
            if value is not None:
                return value
        return None


def load_secrets_file(path: Path) -> MappingSecrets:
    """Secrets from a JSON object file (`*.json`) or a dotenv file (`NAME=VALUE` lines).

    Dotenv lines: blank lines and `#` comments are skipped, an `export ` prefix is allowed, and a
    value in matching single or double quotes is unquoted (double quotes also read `\\n`, `\\"`,
    `\\\\`). Errors name the file and line, never a value.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise EtkError(f"{path}: cannot read secrets file: {error.strerror}") from None
    if path.suffix.lower() == ".json":
        try:
            loaded = json.loads(text)
        except json.JSONDecodeError as error:
            raise EtkError(invalid_json(path, error)) from None
        if not isinstance(loaded, dict) or not all(isinstance(v, str) for v in loaded.values()):
            raise EtkError(f"{path}: a JSON secrets file must hold an object of strings (name -> value)")
        return MappingSecrets(loaded)
    return MappingSecrets(_parse_dotenv(text, path))


_DOTENV_LINE = re.compile(r"(?:export\s+)?(?P<name>[A-Za-z_][A-Za-z0-9_.\-/]*)\s*=\s*(?P<value>.*)")


def _parse_dotenv(text: str, path: Path) -> dict[str, str]:
    values: dict[str, str] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        match = _DOTENV_LINE.fullmatch(line)
        if match is None:
            raise EtkError(f"{path}:{number}: expected NAME=VALUE (a dotenv line)")
        value = match.group("value")
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            quote, value = value[0], value[1:-1]
            if quote == '"':
                value = re.sub(r"\\([n\"\\])", lambda m: "\n" if m.group(1) == "n" else m.group(1), value)
        elif " #" in value:
            value = value.split(" #", 1)[0].rstrip()
        values[match.group("name")] = value
    return values


class SecretMask:
    """The secret values one job used; masks them as `***` wherever text leaves the runtime.

    `encodings(value)` gives further forms a value is written in (the REST request's URL and
    form encodings); they are masked too.
    """

    def __init__(self, values: Iterable[str] = (), *, encodings: Callable[[str], Iterable[str]] | None = None) -> None:
        self._values: set[str] = set()
        self._ordered: tuple[str, ...] | None = ()
        self._encodings = encodings
        for value in values:
            self.add(value)

    def add(self, value: str) -> None:
        """Remember `value`; it is masked with its JSON-escaped form (how it appears in JSON text)
        and its encodings, worked out when text is first masked (most jobs never mask any)."""
        if value and value not in self._values:
            self._values.add(value)
            self._ordered = None

    def __bool__(self) -> bool:
        return bool(self._values)

    def _forms(self) -> tuple[str, ...]:
        if self._ordered is None:
            forms = set(self._values)
            for value in self._values:
                forms.add(json.dumps(value, ensure_ascii=False)[1:-1])
                if self._encodings is not None:
                    forms.update(form for form in self._encodings(value) if form)
            # longest first, so a secret that contains another one is masked whole
            self._ordered = tuple(sorted(forms, key=lambda v: (-len(v), v)))
        return self._ordered

    def text(self, text: str) -> str:
        """`text` with every known secret value replaced by `***`."""
        for value in self._forms():
            if value in text:
                text = text.replace(value, MASK)
        return text

    def value(self, value: Any) -> Any:
        """A copy of a JSON-like value with secrets masked in every string (keys included);
        numbers and booleans are kept as they are."""
        if not self._values:
            return value
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {self.text(str(key)): self.value(item) for key, item in value.items()}
        if isinstance(value, (list, tuple)):
            return [self.value(item) for item in value]
        return value


def substitute_secrets(json_text: str, provider: SecretProvider, mask: SecretMask) -> str:
    """Replace secret placeholders in the JSON text of the job variables, Camunda's way.

    Every value used is added to `mask`. Raises `ConnectorInputError` for an unknown name.
    """
    if "secrets." not in json_text:  # the common fast path: no placeholder at all
        return json_text
    replace = _replacer(provider, mask)
    text = _substitute_pass(BRACKET_SECRET, replace, json_text)
    return _substitute_pass(BARE_SECRET, replace, text) if "secrets." in text else text


def _substitute_pass(pattern: re.Pattern[str], replace: Callable[[re.Match[str]], str], text: str) -> str:
    """One of SecretUtil's passes: as many rounds as the pass's input has placeholders, each
    replacing every placeholder of the text so far."""
    for _ in range(sum(1 for _ in pattern.finditer(text))):
        text = pattern.sub(replace, text)
    return text


def _replacer(provider: SecretProvider, mask: SecretMask) -> Callable[[re.Match[str]], str]:
    def replace(match: re.Match[str]) -> str:
        name = match.group("secret").strip()
        value = provider.get(name)
        if value is None:
            raise ConnectorInputError(f"Secret with name '{name}' is not available")
        mask.add(value)
        return json.dumps(value, ensure_ascii=False)[1:-1]

    return replace


_ACTIVE_MASK: ContextVar[SecretMask | None] = ContextVar("etk_active_secret_mask", default=None)


class _LibraryLogMasking(logging.Filter):
    """Masks the running job's secrets in a library's log records (httpx logs each URL at INFO)."""

    def filter(self, record: logging.LogRecord) -> bool:
        mask = _ACTIVE_MASK.get()
        if mask:
            record.msg, record.args = mask.text(record.getMessage()), None
        return True


logging.getLogger("httpx").addFilter(_LibraryLogMasking())


@contextmanager
def masking_library_logs(mask: SecretMask) -> Iterator[None]:
    """Within this block, httpx's log records of this thread (context) are masked with `mask`."""
    token = _ACTIVE_MASK.set(mask)
    try:
        yield
    finally:
        _ACTIVE_MASK.reset(token)


class MaskedLog:
    """A step log whose every line goes through the job's `SecretMask` before `logging` sees it.

    Arguments may be zero-argument callables: they are called only when the line is logged, so
    describing a large response costs nothing when the log level hides it.
    """

    def __init__(self, logger: logging.Logger, mask: SecretMask) -> None:
        self._logger = logger
        self.mask = mask

    def debug(self, message: str, *args: Any) -> None:
        self._log(logging.DEBUG, message, args)

    def info(self, message: str, *args: Any) -> None:
        self._log(logging.INFO, message, args)

    def warning(self, message: str, *args: Any) -> None:
        self._log(logging.WARNING, message, args)

    def _log(self, level: int, message: str, args: tuple[Any, ...]) -> None:
        if self._logger.isEnabledFor(level):
            values = tuple(arg() if callable(arg) else arg for arg in args)
            self._logger.log(level, "%s", self.mask.text(message % values if values else message))
