"""The REST connector's authentication: the header or query parameter each type adds, and the
OAuth 2.0 client-credentials flow with Camunda HEAD's token cache.

- basic: `Authorization: Basic base64(username:password)` (UTF-8);
- bearer: `Authorization: Bearer <token>`;
- apiKey: header `<name>: <value>`, or query parameter `name=value` when the location is query;
- oauth-client-credentials-flow: POST to the token endpoint, `Content-Type:
  application/x-www-form-urlencoded`, form fields in `java.util.HashMap` order: `audience`
  (always, a bare `audience` when null), `grant_type=client_credentials`, `scope` (only when not
  blank), and `client_secret`/`client_id` for `credentialsBody`, or an `Authorization: Basic`
  header for `basicAuthHeader`. The token is the first `access_token` found in the JSON object
  response, depth-first in document order (Jackson's `findValue`); a blank or missing one fails
  with code `OAUTH_TOKEN_ERROR`. Tokens are cached per configuration until `expires_in` minus a
  10-second clock-skew buffer (one beyond any date never expires); a response without a numeric
  `expires_in` is not cached.

Like httpx's `Auth.auth_flow`, the flow never holds an HTTP client: `oauth_token` is a generator
that yields its token request and is sent the raw response (or has the send's `ConnectorError`
thrown in), so the sync and the async runner drive the same flow; it is given the `TokenCache` of
the connector step that runs it.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Generator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from generator.runtime.errors import ConnectorError, ConnectorInputError
from generator.runtime.javatext import java_hashmap_order
from generator.runtime.rest.binding import ApiKeyAuth, Authentication, BasicAuth, BearerAuth, OAuthClientCredentials
from generator.runtime.rest.request import PreparedRequest, encode_url, form_encode
from generator.runtime.rest.response import RawResponse, extract_body, map_response

CLOCK_SKEW = timedelta(seconds=10)
OAUTH_FAILED = "OAuth client-credentials authentication failed: "


@dataclass
class _CachedToken:
    token: str
    expires_at: datetime


class TokenCache:
    """OAuth access tokens by configuration (a SHA-256 of it, so credentials are not kept as keys)."""

    def __init__(self) -> None:
        self._tokens: dict[str, _CachedToken] = {}

    @staticmethod
    def key(auth: OAuthClientCredentials) -> str:
        fields = (auth.token_endpoint, auth.client_id, auth.client_secret, auth.audience, auth.scopes, auth.client_authentication)
        return hashlib.sha256("\0".join(field or "" for field in fields).encode("utf-8")).hexdigest()

    def get(self, auth: OAuthClientCredentials, now: datetime) -> str | None:
        cached = self._tokens.get(self.key(auth))
        if cached is None or now >= cached.expires_at:
            return None
        return cached.token

    def put(self, auth: OAuthClientCredentials, token: str, expires_in: float | None, now: datetime) -> None:
        if expires_in is None:
            return
        try:
            expires_at = now + max(timedelta(seconds=expires_in) - CLOCK_SKEW, timedelta(0))
        except OverflowError:  # beyond the year 9999
            expires_at = datetime.max.replace(tzinfo=now.tzinfo)
        self._tokens[self.key(auth)] = _CachedToken(token, expires_at)


def basic_header(username: str, password: str) -> tuple[str, str]:
    return ("Authorization", f"Basic {_basic_credentials(username, password)}")


def _basic_credentials(username: str, password: str) -> str:
    return base64.b64encode(f"{username}:{password}".encode()).decode("ascii")


def basic_credentials(auth: Authentication) -> list[str]:
    """The base64 `user:password` credentials `auth` sends in a Basic header (the request's for
    basic, the token request's for OAuth's basicAuthHeader), for masking."""
    if isinstance(auth, BasicAuth):
        return [_basic_credentials(auth.username, auth.password)]
    if isinstance(auth, OAuthClientCredentials) and auth.client_authentication == "basicAuthHeader":
        return [_basic_credentials(auth.client_id, auth.client_secret)]
    return []


def authorize(auth: Authentication, token: str | None = None) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(headers, query parameters) that `auth` adds; `token` is the OAuth access token."""
    if isinstance(auth, BasicAuth):
        return [basic_header(auth.username, auth.password)], []
    if isinstance(auth, BearerAuth):
        return [("Authorization", f"Bearer {auth.token}")], []
    if isinstance(auth, ApiKeyAuth):
        return ([], [(auth.name, auth.value)]) if auth.in_query else ([(auth.name, auth.value)], [])
    if isinstance(auth, OAuthClientCredentials):
        return [("Authorization", f"Bearer {token}")], []
    return [], []


def token_request(auth: OAuthClientCredentials) -> PreparedRequest:
    """The token request of the client-credentials flow (see the module docstring)."""
    form: dict[str, str | None] = {"grant_type": "client_credentials", "audience": auth.audience}
    if auth.scopes and auth.scopes.strip():
        form["scope"] = auth.scopes
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if auth.client_authentication == "basicAuthHeader":
        headers["Authorization"] = basic_header(auth.client_id, auth.client_secret)[1]
    elif auth.client_authentication == "credentialsBody":
        form["client_id"] = auth.client_id
        form["client_secret"] = auth.client_secret
    else:
        raise ConnectorInputError(
            f"Unsupported client authentication method: {auth.client_authentication}. "
            "Please use either 'basicAuthHeader' or 'credentialsBody'."
        )
    body = "&".join(
        form_encode(name) + ("" if (value := form[name]) is None else "=" + form_encode(value))
        for name in java_hashmap_order(form, copied=False)
    )
    return PreparedRequest(
        method="POST",
        url=encode_url(auth.token_endpoint, skip_encoding=False),
        headers=tuple((name, headers[name]) for name in java_hashmap_order(headers, copied=False)),
        content=body.encode("ascii"),
        connect_timeout=20,
        read_timeout=20,
    )


def oauth_token(auth: OAuthClientCredentials, tokens: TokenCache, now: datetime) -> Generator[PreparedRequest, RawResponse, str]:
    """An access token from `tokens`, or a fresh one from the token endpoint (the flow yields the
    token request and is sent its response), then cached in `tokens`."""
    cached = tokens.get(auth, now)
    if cached is not None:
        return cached
    try:
        raw = yield token_request(auth)
        map_response(raw, follow_redirects=False)  # raises the HTTP error of a failed request
        body = extract_body(raw.content)
        token = find_value(body, "access_token") if isinstance(body, dict) else None
        if token is None or not _as_text(token).strip():
            raise ConnectorError("OAuth token response contains a blank access_token", code="OAUTH_TOKEN_ERROR")
    except ConnectorInputError:
        raise
    except ConnectorError as error:
        raise ConnectorError(OAUTH_FAILED + error.message, code=error.code, variables=error.variables) from error
    text = _as_text(token)
    tokens.put(auth, text, _expires_in(body.get("expires_in")), now)
    return text


_MISSING = object()


def find_value(node: Any, name: str) -> Any:
    """Jackson's `JsonNode.findValue`: the first member called `name`, depth-first; None if absent."""
    found = _find(node, name)
    return None if found is _MISSING else found


def _find(node: Any, name: str) -> Any:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == name:
                return value
            found = _find(value, name)
            if found is not _MISSING:
                return found
    elif isinstance(node, list):
        for item in node:
            found = _find(item, name)
            if found is not _MISSING:
                return found
    return _MISSING


def _as_text(value: Any) -> str:
    """Jackson's `asText()`: strings as they are, scalars as JSON text, containers as ""."""
    if isinstance(value, str):
        return value
    if isinstance(value, (dict, list)):
        return ""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _expires_in(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    try:
        seconds = float(value)
    except (ValueError, OverflowError):
        return None
    return None if seconds != seconds else seconds  # NaN (Python's JSON reads it) is no number
