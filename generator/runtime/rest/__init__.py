"""The Camunda REST connector (`io.camunda:http-json:1`): bind its variables, build and send the
HTTP request, map the response. `binding`, `request`, `auth`, `response` and `http` hold the
rules; this module runs them in the connector's order and keeps the OAuth token cache, one per
HTTP client, for as long as the caller keeps that client (Camunda's connector keeps its cache
for the runtime's life).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Generator
from datetime import datetime
from typing import Any

from generator.runtime.rest.auth import TokenCache, authorize, basic_credentials, oauth_token, token_request
from generator.runtime.rest.binding import OAuthClientCredentials, RestRequest, bind_rest_request
from generator.runtime.rest.http import (
    AsyncConnectToTransport,
    AsyncHttpClient,
    ConnectTo,
    ConnectToTransport,
    HttpClient,
    TransferLimits,
    check_sendable,
    make_ssl_context,
)
from generator.runtime.rest.request import PreparedRequest, build_request
from generator.runtime.rest.response import RawResponse, map_response

JOB_TYPE = "io.camunda:http-json:1"

# The variables the REST connector's job worker fetches (`@OutboundConnector.inputVariables`
# at Camunda HEAD); any other variable of the job never reaches the connector.
FETCH_VARIABLES = (
    "url",
    "method",
    "authentication",
    "clientTls",
    "headers",
    "queryParameters",
    "skipEncoding",
    "connectionTimeoutInSeconds",
    "readTimeoutInSeconds",
    "body",
    "storeResponse",
    "documentReturnFormat",
    "groupSetCookieHeaders",
    "ignoreNullValues",
    "followRedirects",
    "authenticationConfiguration",
)

# Headers the HTTP client adds to every request unless the user set them (Apache adds its own).
CLIENT_HEADERS = (("User-Agent", "etk-runtime"), ("Accept-Encoding", "gzip, deflate"))

FeelEvaluator = Callable[[str, str], Any]

_TOKEN_CACHES: weakref.WeakKeyDictionary[HttpClient | AsyncHttpClient, TokenCache] = weakref.WeakKeyDictionary()


def prepare(rest: RestRequest, token: str | None) -> PreparedRequest:
    """The request that goes on the wire for `rest` (`token`: the OAuth access token, if any)."""
    auth_headers, auth_query = authorize(rest.authentication, token)
    return build_request(rest, auth_headers, auth_query, CLIENT_HEADERS)


def token_cache(http: HttpClient | AsyncHttpClient) -> TokenCache:
    """The OAuth token cache of the connector steps that send with `http`."""
    return _TOKEN_CACHES.setdefault(http, TokenCache())


def execute(rest: RestRequest, tokens: TokenCache, now: datetime) -> Generator[PreparedRequest, RawResponse, dict[str, Any] | None]:
    """The exchange for the bound request `rest` (`bind_rest_request` of the secret-substituted
    variables), as a flow that yields each request to send (the OAuth token request first, unless
    `tokens` has one) and is sent its response; it returns the connector's result or raises a
    `ConnectorError`."""
    token = None
    if isinstance(rest.authentication, OAuthClientCredentials):
        token = yield from oauth_token(rest.authentication, tokens, now)
    raw = yield prepare(rest, token)
    return map_response(raw, follow_redirects=rest.follow_redirects)


__all__ = [
    "CLIENT_HEADERS",
    "FETCH_VARIABLES",
    "JOB_TYPE",
    "AsyncConnectToTransport",
    "AsyncHttpClient",
    "ConnectTo",
    "ConnectToTransport",
    "HttpClient",
    "PreparedRequest",
    "RawResponse",
    "RestRequest",
    "TransferLimits",
    "basic_credentials",
    "bind_rest_request",
    "check_sendable",
    "execute",
    "make_ssl_context",
    "prepare",
    "token_cache",
    "token_request",
]
