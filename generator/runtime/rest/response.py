"""Mapping an HTTP response to the REST connector's result or error (`HttpCommonResult`).

- result: `{status, headers, body, reason}` (Camunda's `document` field is left out: this runtime
  never stores responses as documents);
- `body`: the bytes decoded as UTF-8; blank -> null; valid JSON whose top level is an object or
  array -> parsed; anything else (including a bare JSON scalar like `42`) -> the text itself;
  the Content-Type is not consulted. JSON is read as Jackson reads it (a repeated key keeps its
  last value, a lone surrogate escape becomes U+FFFD) and refused where Jackson refuses it
  (`NaN`, a number over 1,000 digits) or etk's reader does (nesting over 500 levels, where
  Jackson allows 1,000; more than `MAX_RESPONSE_JSON_VALUES` values): such a body stays text;
- `headers`: one entry per header name as the server spelled it; one value -> a string,
  several -> a list in arrival order (Camunda HEAD's `HeadersHelper.flattenHeaders`);
- status >= 400 -> `ConnectorError(code="<status>", message=reason or "[no reason]",
  variables={"response": {"headers", "body"}})`;
- a 3xx that is not followed and has no body gives a null result (Camunda maps the missing entity
  to a null connector result); with a body it maps like any other response.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from generator.jsontext import JsonReadError, parse_json
from generator.limits import MAX_RESPONSE_JSON_VALUES
from generator.runtime.errors import ConnectorError


@dataclass(frozen=True)
class RawResponse:
    """What came back on the wire."""

    status: int
    reason: str
    headers: tuple[tuple[str, str], ...]
    content: bytes


def extract_body(content: bytes) -> Any:
    """The response body the connector reports (see the module docstring)."""
    text = content.decode("utf-8", errors="replace")
    if not text.strip():
        return None
    first = text.lstrip()[:1]
    if first in ("{", "[") and not _too_many_values(text):
        try:
            return parse_json(text, as_jackson=True)
        except JsonReadError:
            pass
    return text


_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)


def _too_many_values(text: str) -> bool:
    """Whether JSON `text` holds more than `MAX_RESPONSE_JSON_VALUES` values (each value but the
    first follows a `,`, `[` or `:`): counted in the text outside strings, without parsing it."""
    def count(json_text: str) -> int:
        return json_text.count(",") + json_text.count("[") + json_text.count(":")

    return count(text) >= MAX_RESPONSE_JSON_VALUES and count(_STRING.sub('""', text)) >= MAX_RESPONSE_JSON_VALUES


def flatten_headers(headers: tuple[tuple[str, str], ...]) -> dict[str, Any]:
    """One entry per header name: a string, or a list when the name came several times."""
    flat: dict[str, Any] = {}
    for name, value in headers:
        if name not in flat:
            flat[name] = value
        elif isinstance(flat[name], list):
            flat[name].append(value)
        else:
            flat[name] = [flat[name], value]
    return flat


def map_response(raw: RawResponse, *, follow_redirects: bool) -> dict[str, Any] | None:
    """The connector result for `raw`, or raise the `ConnectorError` of an HTTP error status."""
    headers = flatten_headers(raw.headers)
    body = extract_body(raw.content)
    if raw.status >= 400:
        raise ConnectorError(
            raw.reason or "[no reason]",
            code=str(raw.status),
            variables={"response": {"headers": headers, "body": body}},
        )
    if 300 <= raw.status < 400 and not follow_redirects and not raw.content:
        return None
    return {"status": raw.status, "headers": headers, "body": body, "reason": raw.reason}
