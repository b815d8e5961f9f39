"""Turning a bound REST request into the exact HTTP request the REST connector sends.

Reproduced from the connector's Apache request builders:
- URL: re-encoded by default (each path segment and query pair decoded once and encoded again,
  so `a b` becomes `a%20b`, `%20` stays `%20`, `ä` becomes `%C3%A4`); `skipEncoding` equal to the
  string "true" sends it as written. It must have an http(s) scheme and a host (`Invalid URL ...`).
  `queryParameters` (values as text) and then a query API key are appended.
- Headers: `Content-Type: application/json` first when a body-carrying method has a body and no
  Content-Type was given; then the user's headers in `java.util.HashMap` order (values as given,
  null as empty; a `Content-Type` whose value is null is dropped); then the authentication header.
  A multipart Content-Type without a boundary is replaced by one with the boundary used.
- Body: GET and DELETE send none. POST/PUT/PATCH without a body send an empty entity (which
  Apache labels `Content-Type: text/plain; charset=ISO-8859-1` when no Content-Type was given).
  A map with a multipart Content-Type becomes multipart/form-data, with a form-urlencoded one
  `k=v&...` of `String.valueOf(value)`; a string is sent as is; anything else as compact JSON
  (`ignoreNullValues` drops null members of objects). Text is encoded in the Content-Type's
  charset, UTF-8 by default.
"""

from __future__ import annotations

import codecs
import hashlib
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import quote, unquote, unquote_plus, urlsplit

from generator.runtime.errors import ConnectorInputError
from generator.runtime.javatext import java_hashmap_order, java_string
from generator.runtime.rest.binding import RestRequest

# Characters Google's GenericUrl leaves unescaped, per URL component (besides letters and digits)
_PATH_SAFE = "-_.!~*'()@:$&,;=+"
_QUERY_SAFE = "-_.!~*'()@:$,;/?"
_USERINFO_SAFE = "-_.!~*'()$&,;=:"
# application/x-www-form-urlencoded as Apache's WWWFormCodec writes it
_FORM_SAFE = "-_.*"
_NOT_URI_CHARS = re.compile(r"[^A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]")


@dataclass(frozen=True)
class PreparedRequest:
    """An HTTP request ready to send: what goes on the wire, and how long to wait."""

    method: str
    url: str
    headers: tuple[tuple[str, str], ...]
    content: bytes | None
    connect_timeout: int
    read_timeout: int
    follow_redirects: bool = False

    def header(self, name: str) -> str | None:
        """The first value of header `name` (case-insensitive), or None."""
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None


def build_request(
    rest: RestRequest,
    auth_headers: list[tuple[str, str]],
    auth_query: list[tuple[str, str]],
    default_headers: tuple[tuple[str, str], ...] = (),
) -> PreparedRequest:
    """The HTTP request for `rest`, with the authentication's header(s) and query parameter(s),
    and last the `default_headers` whose names it does not have yet (what the HTTP client adds)."""
    url = encode_url(rest.url, rest.skip_encoding)
    query = [(name, value) for name, value in rest.query_parameters.items()] + list(auth_query)
    if query:
        url += ("&" if "?" in url else "?") + "&".join(_query_pair(name, value) for name, value in query)
    user_headers = {name: value for name, value in rest.headers.items() if not (name == "Content-Type" and value is None)}
    content_type = next((value for name, value in user_headers.items() if name.lower() == "content-type"), None)
    has_content_type = any(name.lower() == "content-type" for name in user_headers)
    headers: list[tuple[str, str]] = []
    content: bytes | None = None
    entity_content_type: str | None = None
    if rest.sends_body:
        if rest.body is not None and not has_content_type:
            headers.append(("Content-Type", "application/json"))
            content_type = "application/json"
        content, entity_content_type = _encode_body(rest.body, content_type, rest.ignore_null_values)
    for name in java_hashmap_order(user_headers) if user_headers else ():
        value = user_headers[name]
        if name.lower() == "content-type" and value is not None and _is_multipart_without_boundary(value):
            continue  # Apache writes the multipart type with its boundary instead
        headers.append((name, "" if value is None else value))
    headers.extend(auth_headers)
    if entity_content_type is not None and not any(name.lower() == "content-type" for name, _ in headers):
        headers.append(("Content-Type", entity_content_type))
    if default_headers:
        present = {name.lower() for name, _ in headers}
        headers.extend(header for header in default_headers if header[0].lower() not in present)
    return PreparedRequest(
        method=rest.method,
        url=url,
        headers=tuple(headers),
        content=content,
        connect_timeout=rest.connect_timeout,
        read_timeout=rest.read_timeout,
        follow_redirects=rest.follow_redirects,
    )


@lru_cache(maxsize=1024)
def encode_url(url: str, skip_encoding: bool) -> str:
    """Check `url` and re-encode it the REST connector's way (or keep it, with skipEncoding)."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError:
        raise ConnectorInputError(f"Invalid URL: {url}") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise ConnectorInputError(f"Invalid URL: {url}")
    if not parts.hostname:
        raise ConnectorInputError(
            f"Invalid URL: The URL '{url}' cannot be parsed as a valid HTTP request. "
            "Please ensure the URL includes a valid hostname."
        )
    if skip_encoding:
        if _NOT_URI_CHARS.search(url):
            raise ConnectorInputError("Provided URL must be valid, when setting skipEncoding to true")
        return url.split("#", 1)[0]
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, host = netloc.rsplit("@", 1)
        netloc = quote(unquote(userinfo), safe=_USERINFO_SAFE) + "@" + host
    path = "/".join(quote(unquote(segment), safe=_PATH_SAFE) for segment in parts.path.split("/"))
    text = f"{parts.scheme.lower()}://{netloc}{path}"
    if parts.query:
        pairs = []
        for pair in parts.query.split("&"):
            name, separator, value = pair.partition("=")
            encoded = quote(unquote_plus(name), safe=_QUERY_SAFE)
            pairs.append(encoded + (("=" + quote(unquote_plus(value), safe=_QUERY_SAFE)) if separator else ""))
        text += "?" + "&".join(pairs)
    return text


def form_encode(text: str) -> str:
    """One name or value of an application/x-www-form-urlencoded body (UTF-8, space as `+`)."""
    out = []
    for byte in text.encode("utf-8"):
        char = chr(byte)
        if char.isascii() and (char.isalnum() or char in _FORM_SAFE):
            out.append(char)
        elif char == " ":
            out.append("+")
        else:
            out.append(f"%{byte:02X}")
    return "".join(out)


def encoded_forms(text: str) -> tuple[str, ...]:
    """Every form in which a request may write `text` besides as it is: in a path or a query
    (encoded, or decoded and encoded again as `encode_url` does to what the user wrote), fully
    percent-encoded, and in a form-urlencoded body."""
    return (
        quote(text, safe=_PATH_SAFE + "/"),
        quote(text, safe=_QUERY_SAFE),
        quote(unquote(text), safe=_PATH_SAFE),
        quote(unquote_plus(text), safe=_QUERY_SAFE),
        quote(text, safe=""),
        form_encode(text),
    )


def _query_pair(name: str, value: str | None) -> str:
    encoded = _query_quote(name)
    return encoded if value is None else f"{encoded}={_query_quote(value)}"


# what `quote` leaves as it is in a query: letters, digits, `_.-~` and `_QUERY_SAFE`
_QUERY_AS_IS = re.compile("[A-Za-z0-9_.~" + re.escape(_QUERY_SAFE) + "]*")


def _query_quote(text: str) -> str:
    return text if _QUERY_AS_IS.fullmatch(text) else quote(text, safe=_QUERY_SAFE)


def _media_type(content_type: str | None) -> tuple[str, dict[str, str]]:
    """(lowercase mime type, parameters) of a Content-Type value such as `text/plain; charset=UTF-8`."""
    if not content_type:
        return "", {}
    mime, *parameters = content_type.split(";")
    params = {}
    for parameter in parameters:
        name, separator, value = parameter.partition("=")
        if separator:
            params[name.strip().lower()] = value.strip().strip('"')
    return mime.strip().lower(), params


def _charset(params: dict[str, str]) -> str:
    """The charset of a Content-Type's parameters (UTF-8 when absent or unknown)."""
    charset = params.get("charset", "utf-8")
    try:
        codecs.lookup(charset)
    except LookupError:
        return "utf-8"
    return charset


def _is_multipart_without_boundary(content_type: str) -> bool:
    return "multipart/form-data" in content_type and "boundary" not in content_type


def _encode_body(body: Any, content_type: str | None, ignore_nulls: bool) -> tuple[bytes, str | None]:
    """(bytes, the entity's own content type) for a body-carrying method."""
    if body is None:
        return b"", "text/plain; charset=ISO-8859-1"
    mime, params = _media_type(content_type)
    if isinstance(body, dict) and mime == "multipart/form-data":
        return _multipart(body, params.get("boundary"))
    if isinstance(body, dict) and mime == "application/x-www-form-urlencoded":
        pairs = [
            form_encode(str(key)) + ("" if value is None else "=" + form_encode(java_string(value)))
            for key, value in body.items()
        ]
        return "&".join(pairs).encode("ascii"), None
    if isinstance(body, str):
        return body.encode(_charset(params), errors="replace"), None
    return to_json_text(body, ignore_nulls).encode(_charset(params), errors="replace"), None


_COMPACT_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False)  # built once: cheaper


def to_json_text(value: Any, ignore_nulls: bool = False) -> str:
    """Compact JSON as Jackson writes it; with `ignore_nulls`, null object members are left out.
    NaN and infinities are no JSON: they raise ValueError."""
    if ignore_nulls:
        value = _without_nulls(value)
    return _COMPACT_JSON.encode(value)


def _without_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _without_nulls(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [_without_nulls(item) for item in value]
    return value


def _multipart(fields: dict[str, Any], boundary: str | None) -> tuple[bytes, str | None]:
    parts = []
    for name, value in fields.items():
        if value is None:
            continue
        text = value if isinstance(value, str) else to_json_text(value)
        quoted_name = str(name).replace('"', "%22").replace("\r", "%0D").replace("\n", "%0A")
        parts.append(
            f'Content-Disposition: form-data; name="{quoted_name}"\r\n'
            f"Content-Type: text/plain; charset=UTF-8\r\n\r\n".encode() + text.encode("utf-8")
        )
    entity_type = None
    if boundary is None:
        # deterministic, and cannot occur in the parts it is derived from
        boundary = "etk-" + hashlib.sha256(b"\0".join(parts)).hexdigest()[:32]
        entity_type = f"multipart/form-data; boundary={boundary}"
    delimiter = f"--{boundary}\r\n".encode("ascii")
    content = b"".join(delimiter + part + b"\r\n" for part in parts) + f"--{boundary}--\r\n".encode("ascii")
    return content, entity_type
