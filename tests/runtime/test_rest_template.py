"""dist/rest.json end to end for each authentication type: template -> apply -> engine ->
connector -> outcome, against loopback servers."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from generator.apply import apply_template
from generator.runtime import Completed, run_task

from .loopback import Reply

REST_TEMPLATE = Path(__file__).resolve().parents[2] / "dist" / "rest.json"
SECRETS = {"USER": "ada", "PASSWORD": "pw", "TOKEN": "t0k", "KEY": "k3y", "CLIENT_SECRET": "cs"}


@pytest.fixture(scope="module")
def template():
    return json.loads(REST_TEMPLATE.read_text(encoding="utf-8"))


def run(template, server, http, clock=None, **values):
    base = {"method": "POST", "url": server.url("/orders"), "body": '={id: 1, note: null}', "resultVariable": "result"}
    task = apply_template(template, {**base, **values})
    return run_task(task, secrets=SECRETS, http=http, clock=clock)


@pytest.mark.parametrize(
    ("values", "header"),
    [
        ({}, None),
        ({"authentication.type": "basic", "authentication.username": "{{secrets.USER}}", "authentication.password": "{{secrets.PASSWORD}}"},
         "Basic " + base64.b64encode(b"ada:pw").decode()),
        ({"authentication.type": "bearer", "authentication.token": "{{secrets.TOKEN}}"}, "Bearer t0k"),
    ],
)
def test_header_authentications(template, server, http, values, header):
    server.reply(Reply.json({"created": True}, status=201))
    outcome = run(template, server, http, **values)
    assert isinstance(outcome, Completed)
    assert outcome.variables["result"]["status"] == 201
    assert outcome.variables["result"]["body"] == {"created": True}
    assert server.last.header("Authorization") == header
    # the template's defaults: ignoreNullValues false (nulls are sent), 20 s timeouts
    assert server.last.body == b'{"id":1,"note":null}'


@pytest.mark.parametrize("location", ["headers", "query"])
def test_api_key(template, server, http, location):
    outcome = run(template, server, http, **{
        "authentication.type": "apiKey", "authentication.apiKeyLocation": location,
        "authentication.name": "x-api-key", "authentication.value": "{{secrets.KEY}}",
    })
    assert isinstance(outcome, Completed)
    if location == "headers":
        assert server.last.header("x-api-key") == "k3y" and server.last.target == "/orders"
    else:
        assert server.last.target == "/orders?x-api-key=k3y" and server.last.header("x-api-key") is None


def test_oauth_client_credentials(template, server, token_server, http, clock):
    token_server.reply(Reply.json({"access_token": "oauth-token", "expires_in": 300}))
    values = {
        "authentication.type": "oauth-client-credentials-flow",
        "authentication.oauthTokenEndpoint": token_server.url("/token"),
        "authentication.clientId": "client",
        "authentication.clientSecret": "{{secrets.CLIENT_SECRET}}",
        "authentication.audience": "orders-api",
        "authentication.scopes": "orders.write",
    }
    first = run(template, server, http, clock, **values)
    second = run(template, server, http, clock, **values)
    assert isinstance(first, Completed) and isinstance(second, Completed)
    assert len(token_server.requests) == 1
    assert token_server.last.body == b"audience=orders-api&grant_type=client_credentials&scope=orders.write&client_secret=cs&client_id=client"
    assert [request.header("Authorization") for request in server.requests] == ["Bearer oauth-token"] * 2


def test_ignore_null_values_from_the_checkbox(template, server, http):
    run(template, server, http, ignoreNullValues="true")
    assert server.last.body == b'{"id":1}'
