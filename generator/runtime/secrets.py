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

Every value substituted for a job is remembered by that job's `SecretMask`; `shown_secrets` makes
the twin of the text with `***` for each placeholder, what etk shows (see
`generator.runtime.masking`), only when something is shown.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Mapping
from json.encoder import encode_basestring
from pathlib import Path
from typing import Protocol

from generator.errors import EtkError
from generator.jsontext import read_json_file, read_text_file
from generator.runtime.errors import ConnectorInputError
from generator.runtime.masking import MASK, SecretMask

BRACKET_SECRET = re.compile(r"\{\{\s*secrets\.(?P<secret>\S+?\s*)}}", re.ASCII)
BARE_SECRET = re.compile(r"secrets\.(?P<secret>([a-zA-Z0-9]+[/._-])*[a-zA-Z0-9]+)", re.ASCII)


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
    if path.suffix.lower() == ".json":
        loaded, _ = read_json_file(path, what="secrets file", reveal=False)
        if not isinstance(loaded, dict) or not all(isinstance(v, str) for v in loaded.values()):
            raise EtkError(f"{path}: a JSON secrets file must hold an object of strings (name -> value)")
        return MappingSecrets(loaded)
    return MappingSecrets(_parse_dotenv(read_text_file(path, what="secrets file"), path))


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


def substitute_secrets(json_text: str, provider: SecretProvider, mask: SecretMask) -> str:
    """Replace secret placeholders in the JSON text of the job variables, Camunda's way: the
    text to send (`json_text` itself when it has no placeholder).

    Every value used is added to `mask`. Raises `ConnectorInputError` for an unknown name.
    """
    if "secrets." not in json_text:  # the common fast path: no placeholder at all
        return json_text
    return _substitute(json_text, _replacer(provider, mask))


def shown_secrets(json_text: str) -> str:
    """`json_text` with `***` for each secret placeholder, where `substitute_secrets` puts the
    value: the twin of the text sent, which is what etk shows."""
    if "secrets." not in json_text:
        return json_text
    return _substitute(json_text, _shown)


def _substitute(json_text: str, replace: Callable[[re.Match[str]], str]) -> str:
    text = _substitute_pass(BRACKET_SECRET, replace, json_text)
    return _substitute_pass(BARE_SECRET, replace, text) if "secrets." in text else text


def _shown(match: re.Match[str]) -> str:
    return MASK


def _substitute_pass(pattern: re.Pattern[str], replace: Callable[[re.Match[str]], str], text: str) -> str:
    """One of SecretUtil's passes: as many rounds as the pass's input has placeholders, each
    replacing every placeholder of the text so far."""
    for _ in range(len(pattern.findall(text))):
        text = pattern.sub(replace, text)
    return text


def _replacer(provider: SecretProvider, mask: SecretMask) -> Callable[[re.Match[str]], str]:
    def replace(match: re.Match[str]) -> str:
        name = match.group("secret").strip()
        value = provider.get(name)
        if value is None:
            raise ConnectorInputError(f"Secret with name '{name}' is not available")
        mask.add(value, name)
        return encode_basestring(value)[1:-1]  # json.dumps(value, ensure_ascii=False), without its set-up

    return replace
