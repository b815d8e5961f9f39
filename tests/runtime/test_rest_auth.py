"""Every authentication type of the REST connector, against loopback servers (the OAuth token
endpoint included)."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta

import pytest

from generator.runtime import Completed, ConnectorError, Failed, HttpClient, run_task
from generator.runtime.rest.auth import TokenCache, oauth_token
from generator.runtime.rest.binding import OAuthClientCredentials
from generator.runtime.rest.request import PreparedRequest
from generator.runtime.rest.response import RawResponse

from .conftest import rest_task
from .loopback import Reply

SECRETS = {"USER": "ada", "PASSWORD": "pä:ss", "TOKEN": "tok-123", "API_KEY": "k3y", "CLIENT_SECRET": "s3cr3t"}


def call(server, http, auth, clock=None, **extra):
    inputs = {"method": "GET", "url": server.url("/api"), **{f"authentication.{key}": value for key, value in auth.items()}, **extra}
    return run_task(rest_task(inputs, {"resultVariable": "r"}), secrets=SECRETS, http=http, clock=clock)


def test_no_auth_sends_no_authorization(server, http):
    assert isinstance(call(server, http, {"type": "noAuth"}), Completed)
    assert server.last.header("Authorization") is None


def test_basic_auth(server, http):
    call(server, http, {"type": "basic", "username": "{{secrets.USER}}", "password": "{{secrets.PASSWORD}}"})
    assert server.last.header("Authorization") == "Basic " + base64.b64encode("ada:pä:ss".encode()).decode()


def test_basic_auth_with_the_empty_password_placeholder(server, http):
    call(server, http, {"type": "basic", "username": "ada", "password": "SPEC_PASSWORD_EMPTY_PATTERN"})
    assert server.last.header("Authorization") == "Basic " + base64.b64encode(b"ada:").decode()


def test_bearer_token(server, http):
    call(server, http, {"type": "bearer", "token": "{{secrets.TOKEN}}"})
    assert server.last.header("Authorization") == "Bearer tok-123"


def test_api_key_in_a_header(server, http):
    call(server, http, {"type": "apiKey", "apiKeyLocation": "headers", "name": "api-key", "value": "{{secrets.API_KEY}}"})
    assert server.last.header("api-key") == "k3y"


def test_api_key_in_the_query_comes_after_the_query_parameters(server, http):
    call(
        server, http, {"type": "apiKey", "apiKeyLocation": "query", "name": "key", "value": "{{secrets.API_KEY}}"},
        queryParameters='={page: "1"}',
    )
    assert server.last.target == "/api?page=1&key=k3y"
    assert server.last.header("key") is None


def oauth(token_server, client_authentication="credentialsBody", **extra):
    return {
        "type": "oauth-client-credentials-flow",
        "oauthTokenEndpoint": token_server.url("/oauth/token"),
        "clientId": "my client",
        "clientSecret": "{{secrets.CLIENT_SECRET}}",
        "clientAuthentication": client_authentication,
        **extra,
    }


def test_oauth_client_credentials_in_the_body(server, token_server, http):
    token_server.reply(Reply.json({"access_token": "at-1", "token_type": "Bearer", "expires_in": 3600}))
    outcome = call(server, http, oauth(token_server, audience="https://api", scopes="read write"))
    assert isinstance(outcome, Completed)
    token_request = token_server.last
    assert token_request.method == "POST"
    assert token_request.target == "/oauth/token"
    assert token_request.header("Content-Type") == "application/x-www-form-urlencoded"
    assert token_request.header("Authorization") is None
    # java.util.HashMap order of the form fields
    assert token_request.body == (
        b"audience=https%3A%2F%2Fapi&grant_type=client_credentials&scope=read+write"
        b"&client_secret=s3cr3t&client_id=my+client"
    )
    assert server.last.header("Authorization") == "Bearer at-1"


def test_oauth_credentials_in_a_basic_header_and_a_null_audience(server, token_server, http):
    token_server.reply(Reply.json({"access_token": "at-2"}))
    call(server, http, oauth(token_server, "basicAuthHeader", scopes="  "))
    token_request = token_server.last
    # audience is always sent (bare, as it is null), a blank scope is not
    assert token_request.body == b"audience&grant_type=client_credentials"
    assert token_request.header("Authorization") == "Basic " + base64.b64encode(b"my client:s3cr3t").decode()
    assert server.last.header("Authorization") == "Bearer at-2"


def test_the_access_token_is_found_nested_depth_first(server, token_server, http):
    token_server.reply(Reply.json({"data": {"tokens": [{"access_token": "nested"}]}, "access_token": "top"}))
    call(server, http, oauth(token_server))
    assert server.last.header("Authorization") == "Bearer nested"


def test_a_token_response_without_access_token_is_oauth_token_error(server, token_server, http):
    token_server.reply(Reply.json({"token": "wrong-field"}))
    outcome = call(server, http, oauth(token_server))
    assert isinstance(outcome, Failed)
    assert outcome.variables["error"]["code"] == "OAUTH_TOKEN_ERROR"
    assert outcome.variables["error"]["message"] == (
        "OAuth client-credentials authentication failed: OAuth token response contains a blank access_token"
    )
    assert server.requests == []


def test_a_failing_token_endpoint_fails_with_its_status(server, token_server, http):
    token_server.reply(Reply.json({"error": "invalid_client"}, status=401))
    outcome = call(server, http, oauth(token_server))
    assert outcome.variables["error"]["code"] == "401"
    assert outcome.variables["error"]["message"] == "OAuth client-credentials authentication failed: Unauthorized"
    assert outcome.variables["error"]["variables"]["response"]["body"] == {"error": "invalid_client"}


def test_an_unknown_client_authentication_is_an_input_error(server, token_server, http):
    outcome = call(server, http, oauth(token_server, "jwt"))
    assert outcome.retries == 0
    assert outcome.variables["error"]["message"] == (
        "Unsupported client authentication method: jwt. Please use either 'basicAuthHeader' or 'credentialsBody'."
    )


def test_tokens_are_cached_until_expires_in_minus_ten_seconds(server, token_server, http, clock):
    token_server.reply(Reply.json({"access_token": "first", "expires_in": 60}), Reply.json({"access_token": "second", "expires_in": 60}))
    auth = oauth(token_server)
    call(server, http, auth, clock)
    call(server, http, auth, clock)
    assert len(token_server.requests) == 1  # two runs, one token request
    assert [r.header("Authorization") for r in server.requests] == ["Bearer first", "Bearer first"]
    clock.advance(49)
    call(server, http, auth, clock)
    assert len(token_server.requests) == 1
    clock.advance(1)  # 50 s = expires_in - 10 s of clock-skew buffer
    call(server, http, auth, clock)
    assert len(token_server.requests) == 2
    assert server.last.header("Authorization") == "Bearer second"


def test_a_token_without_expires_in_is_not_cached(server, token_server, http, clock):
    token_server.reply(Reply.json({"access_token": "a"}), Reply.json({"access_token": "b"}))
    call(server, http, oauth(token_server), clock)
    call(server, http, oauth(token_server), clock)
    assert len(token_server.requests) == 2


def test_the_cache_key_is_the_whole_configuration(server, token_server, http, clock):
    token_server.reply(Reply.json({"access_token": "a", "expires_in": 3600}), Reply.json({"access_token": "b", "expires_in": 3600}))
    call(server, http, oauth(token_server, scopes="read"), clock)
    call(server, http, oauth(token_server, scopes="write"), clock)
    assert len(token_server.requests) == 2


def test_an_html_token_response_is_oauth_token_error(server, token_server, http):
    token_server.reply(Reply(200, b"<html><body>Sign in</body></html>", [("Content-Type", "text/html")]))
    outcome = call(server, http, oauth(token_server))
    assert isinstance(outcome, Failed) and outcome.retries == 2
    assert outcome.variables["error"] == {
        "type": "io.camunda.connector.api.error.ConnectorException",
        "message": "OAuth client-credentials authentication failed: OAuth token response contains a blank access_token",
        "code": "OAUTH_TOKEN_ERROR",
    }
    assert server.requests == []


def test_an_expires_in_beyond_any_date_caches_the_token_for_good(server, token_server, http, clock):
    token_server.reply(Reply(200, b'{"access_token": "forever", "expires_in": 1e400}'), Reply(200, b'{"access_token": "long", "expires_in": 1e30}'))
    call(server, http, oauth(token_server), clock)
    call(server, http, oauth(token_server, scopes="other"), clock)
    clock.advance(10 * 365 * 86400)
    call(server, http, oauth(token_server), clock)
    call(server, http, oauth(token_server, scopes="other"), clock)
    assert len(token_server.requests) == 2
    assert [r.header("Authorization") for r in server.requests] == ["Bearer forever", "Bearer long", "Bearer forever", "Bearer long"]


def test_a_non_numeric_expires_in_is_not_cached(server, token_server, http, clock):
    token_server.reply(Reply(200, b'{"access_token": "a", "expires_in": NaN}'), Reply(200, b'{"access_token": "b", "expires_in": "soon"}'))
    call(server, http, oauth(token_server), clock)
    call(server, http, oauth(token_server), clock)
    assert len(token_server.requests) == 2


def test_the_token_flow_yields_its_request_and_is_sent_the_response():
    # The flow never holds an HTTP client (httpx's auth_flow cut): it yields the token request,
    # is sent the raw response, and returns the token; a cached token needs no request.
    auth = OAuthClientCredentials("https://login.example/token", "id", "secret", None, "credentialsBody", None)
    reply = RawResponse(200, "OK", (("Content-Type", "application/json"),), b'{"access_token": "t-1", "expires_in": 60}')
    tokens, now = TokenCache(), datetime(2025, 1, 1, tzinfo=UTC)
    flow = oauth_token(auth, tokens, now)
    request = next(flow)
    assert (request.method, request.url, request.content) == (
        "POST", "https://login.example/token", b"audience&grant_type=client_credentials&client_secret=secret&client_id=id")
    with pytest.raises(StopIteration) as done:
        flow.send(reply)
    assert done.value.value == "t-1"
    with pytest.raises(StopIteration) as cached:
        next(oauth_token(auth, tokens, now + timedelta(seconds=49)))
    assert cached.value.value == "t-1"
    assert isinstance(next(oauth_token(auth, tokens, now + timedelta(seconds=50))), PreparedRequest)  # expired
    assert isinstance(next(oauth_token(auth, TokenCache(), now)), PreparedRequest)  # another cache asks again


def test_a_failed_token_request_is_thrown_into_the_flow_and_named_there():
    auth = OAuthClientCredentials("https://login.example/token", "id", "secret", None, "credentialsBody", None)
    flow = oauth_token(auth, TokenCache(), datetime(2025, 1, 1, tzinfo=UTC))
    next(flow)
    with pytest.raises(ConnectorError) as raised:
        flow.throw(ConnectorError("An error occurred while executing the request, or the connection was aborted", code="408"))
    assert (raised.value.message, raised.value.code) == (
        "OAuth client-credentials authentication failed: An error occurred while executing the request, or the connection "
        "was aborted", "408")


def test_each_http_client_has_its_own_token_cache(server, token_server, clock):
    token_server.reply(Reply.json({"access_token": "a", "expires_in": 3600}), Reply.json({"access_token": "b", "expires_in": 3600}))
    with HttpClient() as first, HttpClient() as second:
        call(server, first, oauth(token_server), clock)
        call(server, second, oauth(token_server), clock)
        call(server, first, oauth(token_server), clock)
    assert len(token_server.requests) == 2
    assert [r.header("Authorization") for r in server.requests] == ["Bearer a", "Bearer b", "Bearer a"]
