"""Masking secrets as `***` in what the runtime reports: where they were placed, and echoes.

Two rules, one for text etk builds itself and one for text that comes from elsewhere:

1. **Where etk placed a secret, it knows where it is.** Secrets are substituted twice, once with
   their values (what is sent) and once with `***` (what is shown), so the dry run, the `-v`
   log of the connector's variables and every error about the request are built from the shown
   copy: masked exactly where a secret stands, in whatever form the request writes it (URL- or
   form-encoded, in Basic credentials), and nowhere else. `add_pairs` also gives this mask the
   request's texts as sent and as shown, for log lines of libraries (httpx logs each URL).
2. **Echoes are found by search.** Text from a server (error bodies and headers, reason phrases,
   what error expressions build from them) is searched for every secret value the job used, in
   every form the request may have written it: raw, JSON-escaped (with and without `\\u`
   escapes), URL-encoded as sent, form-encoded, as a header value is sent (line breaks folded to
   spaces, characters beyond Latin-1 as `?`), in Python's `b'...'` notation, and the base64 of
   Basic credentials that hold a secret. To keep unrelated text intact, a form is masked only as
   a whole occurrence (not inside a longer run of letters and digits), and only when the secret
   has at least `MIN_ECHO_LENGTH` characters; a shorter secret is masked only where a whole value
   equals it (a JSON string, a number such as an echoed `12345`, a whole message), and the runtime
   warns that it is too short to find reliably.
"""

from __future__ import annotations

import base64
import json
import logging
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from contextvars import ContextVar
from typing import Any

MASK = "***"
MIN_ECHO_LENGTH = 4
_ALNUM = "0-9A-Za-z"
_HEADER_SPACES = str.maketrans("\r\n\f\v", "    ")

PairSupplier = Callable[[], Iterable[tuple[str, str]]]


class SecretMask:
    """The secret values one job used, and how to mask them (see the module docstring).

    `encodings(value)` gives further forms a value is written in by the request (URL and form
    encodings); they are searched for too.
    """

    def __init__(self, values: Iterable[str] = (), *, encodings: Callable[[str], Iterable[str]] | None = None) -> None:
        self._values: dict[str, str | None] = {}  # value -> the name it was substituted for
        self._derived: set[str] = set()
        self._encodings = encodings
        self._pair_suppliers: list[PairSupplier] = []
        self._pairs: list[tuple[str, str, re.Pattern[str]]] | None = []
        self._pattern: re.Pattern[str] | None = None
        self._stale = False
        for value in values:
            self.add(value)

    def add(self, value: str, name: str | None = None) -> None:
        """Remember a secret value the job used (`name`: the secret's name, for warnings)."""
        if value and value not in self._values:
            self._values[value] = name
            self._stale = True

    def add_derived(self, text: str) -> None:
        """Remember a text that carries secrets in a form search cannot reconstruct (base64)."""
        if text and text not in self._derived:
            self._derived.add(text)
            self._stale = True

    def add_basic_credentials(self, credentials: str) -> None:
        """Remember the base64 of Basic `user:password` credentials when they hold a secret."""
        try:
            decoded = base64.b64decode(credentials, validate=True).decode("utf-8", "replace")
        except ValueError:
            return
        if any(value in decoded for value in self._values):
            self.add_derived(credentials)

    def add_pairs(self, supplier: PairSupplier) -> None:
        """Texts of the request as sent and as shown, worked out by `supplier` when a text is
        first masked; each `real` text is then replaced by its `shown` twin wherever it occurs."""
        self._pair_suppliers.append(supplier)
        self._pairs = None

    def __bool__(self) -> bool:
        return bool(self._values)

    def too_short(self) -> list[tuple[str | None, int]]:
        """(name, length) of each secret too short to be found by search."""
        return [(name, len(value)) for value, name in self._values.items() if len(value) < MIN_ECHO_LENGTH]

    # --- masking ---------------------------------------------------------------------------------

    def text(self, text: str) -> str:
        """`text` with the job's secrets masked: the request's own texts by their shown twins,
        echoes by search (see the module docstring)."""
        if not self._values:
            return text
        for real, shown, whole in self._known_pairs():
            if real in text:
                text = whole.sub(_replacement(shown), text)
        echo = self._echo_pattern()
        if echo is not None:
            text = echo.sub(MASK, text)
        return MASK if text in self._values else text

    def value(self, value: Any) -> Any:
        """A copy of a JSON-like value with secrets masked in every string (keys included) and
        numbers that are a secret's digits replaced by `***`."""
        if not self._values:
            return value
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {self.text(str(key)): self.value(item) for key, item in value.items()}
        if isinstance(value, (list, tuple)):
            return [self.value(item) for item in value]
        if isinstance(value, (int, float)) and not isinstance(value, bool) and _number_text(value) in self._values:
            return MASK
        return value

    def _known_pairs(self) -> list[tuple[str, str, re.Pattern[str]]]:
        if self._pairs is None:
            pairs = {real: shown for supplier in self._pair_suppliers for real, shown in supplier()
                     if real != shown and len(real) >= MIN_ECHO_LENGTH}
            ordered = sorted(pairs.items(), key=lambda pair: -len(pair[0]))  # a longer text first
            self._pairs = [(real, shown, re.compile(_whole(real))) for real, shown in ordered]
        return self._pairs

    def _echo_pattern(self) -> re.Pattern[str] | None:
        if self._stale:
            forms = set(self._derived)
            for value in self._values:
                if len(value) >= MIN_ECHO_LENGTH:
                    forms.update(self._forms(value))
            ordered = sorted((form for form in forms if form), key=lambda form: (-len(form), form))
            self._pattern = re.compile("|".join(map(_whole, ordered))) if ordered else None
            self._stale = False
        return self._pattern

    def _forms(self, value: str) -> Iterator[str]:
        """Every form in which the request may carry `value`, or a server echo it."""
        yield value
        yield json.dumps(value, ensure_ascii=False)[1:-1]
        yield json.dumps(value)[1:-1]
        if self._encodings is not None:
            yield from self._encodings(value)
        sent = value.translate(_HEADER_SPACES)
        yield sent
        yield sent.encode("latin-1", "replace").decode("latin-1")
        yield repr(sent.encode("latin-1", "replace"))[2:-1]
        yield repr(value.encode("utf-8"))[2:-1]


def _whole(form: str) -> str:
    """A regular expression for `form` where it is not part of a longer run of letters and digits."""
    pattern = re.escape(form)
    if form[0].isascii() and form[0].isalnum():
        pattern = f"(?<![{_ALNUM}])" + pattern
    if form[-1].isascii() and form[-1].isalnum():
        pattern += f"(?![{_ALNUM}])"
    return pattern


def _number_text(number: int | float) -> str:
    return json.dumps(number) if isinstance(number, int) or number == number else "NaN"


_ACTIVE_MASK: ContextVar[SecretMask | None] = ContextVar("etk_active_secret_mask", default=None)


class _LibraryLogMasking(logging.Filter):
    """Masks the running job's secrets in a library's log records (httpx logs each URL at INFO)."""

    def filter(self, record: logging.LogRecord) -> bool:
        mask = _ACTIVE_MASK.get()
        if mask:
            record.msg, record.args = mask.text(record.getMessage()), None
        return True


logging.getLogger("httpx").addFilter(_LibraryLogMasking())


def masking_library_logs(mask: SecretMask) -> AbstractContextManager[None]:
    """Within this block, httpx's log records of this thread (context) are masked with `mask`."""
    return _LibraryLogsMasked(mask)


class _LibraryLogsMasked:
    """`masking_library_logs` (a class: cheaper to enter than a generator, on every job)."""

    __slots__ = ("_mask", "_token")

    def __init__(self, mask: SecretMask) -> None:
        self._mask = mask

    def __enter__(self) -> None:
        self._token = _ACTIVE_MASK.set(self._mask)

    def __exit__(self, *exc_info: object) -> None:
        _ACTIVE_MASK.reset(self._token)


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


def _replacement(shown: str) -> Callable[[re.Match[str]], str]:
    """A `re.sub` replacement that inserts `shown` as it is (no backslash escapes)."""
    return lambda _match: shown
