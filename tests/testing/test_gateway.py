"""Routing, api-versions, authentication and deployments: the answers Azure's gateway gives, byte for byte."""

from __future__ import annotations

import socket

import httpx
import pytest

from generator.testing.azure_openai import FakeAzureOpenAI

from .conftest import TOKEN, USER_HI, call

RESOURCE_NOT_FOUND = b'{"error":{"code":"404","message": "Resource not found"}}'
ACCESS_DENIED = (
    b'{"error":{"code":"401","message":"Access denied due to invalid subscription key or wrong API endpoint. '
    b'Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for '
    b'your resource."}}'
)
DEPLOYMENT_NOT_FOUND = (
    b'{"error":{"code":"DeploymentNotFound","message":"The API deployment for this resource does not exist. '
    b'If you created the deployment within the last 5 minutes, please wait a moment and try again."}}'
)


@pytest.mark.parametrize(("operation", "body"), [
    ("completions", {"prompt": "Hi"}),
    ("chat/completions", USER_HI),
])
def test_each_route_answers_200_with_json_and_request_id(client, operation, body):
    response = call(client, operation, body)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.headers["apim-request-id"] == "00000000-0000-0000-0000-000000000001"


def test_legacy_extensions_route_answers_for_2023_previews(client):
    response = call(client, "extensions/chat/completions", USER_HI, api_version="2023-12-01-preview")
    assert response.status_code == 200
    assert response.json()["object"] == "extensions.chat.completion"


@pytest.mark.parametrize("path", [
    "/",
    "/openai/deployments/mydeployment/embeddings",
    "/openai/deployments/mydeployment/chat/completions/",
    "/openai/deployments//chat/completions",
    "/openai/chat/completions",
])
def test_unknown_paths_answer_resource_not_found(client, path):
    response = client.post(path, params={"api-version": "2024-10-21"}, headers={"api-key": "test-api-key"},
                           json=USER_HI)
    assert (response.status_code, response.content) == (404, RESOURCE_NOT_FOUND)


@pytest.mark.parametrize("method", ["GET", "PUT", "PATCH", "DELETE"])
def test_other_methods_on_a_route_answer_405_with_allow(client, method):
    response = client.request(method, "/openai/deployments/mydeployment/chat/completions",
                              params={"api-version": "2024-10-21"})
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert response.json() == {"error": {"code": "405", "message": "Method not allowed"}}


def test_head_gets_405_without_body(client):
    response = client.head("/openai/deployments/mydeployment/chat/completions", params={"api-version": "2024-10-21"})
    assert response.status_code == 405
    assert response.content == b""


@pytest.mark.parametrize(("operation", "api_version"), [
    ("chat/completions", None),                          # missing
    ("chat/completions", ""),                            # empty
    ("chat/completions", "2024-10-22"),                  # no such version
    ("chat/completions", "2023-11-01-preview"),          # withdrawn preview
    ("chat/completions", "2022-12-01"),                  # chat did not exist yet
    ("extensions/chat/completions", "2024-02-01"),       # the old On-Your-Data route is gone
    ("extensions/chat/completions", "2024-02-15-preview"),
    ("extensions/chat/completions", "2023-05-15"),       # a GA version never had it
])
def test_missing_or_unsupported_api_version_answers_resource_not_found(client, operation, api_version):
    response = call(client, operation, USER_HI, api_version=api_version)
    assert (response.status_code, response.content) == (404, RESOURCE_NOT_FOUND)


def test_api_versions_can_be_restricted():
    with FakeAzureOpenAI(api_versions=["2024-10-21"]) as fake, httpx.Client(base_url=fake.url) as http:
        assert call(http, "chat/completions", USER_HI, api_version="2024-10-21").status_code == 200
        assert call(http, "chat/completions", USER_HI, api_version="2024-02-01").status_code == 404


def test_unknown_api_versions_are_rejected_when_configured():
    with pytest.raises(ValueError, match="unknown api-versions 2099-01-01"):
        FakeAzureOpenAI(api_versions=["2099-01-01"])


@pytest.mark.parametrize("headers", [
    {},
    {"api-key": "wrong"},
    {"api-key": ""},
    {"Authorization": "Bearer wrong"},
    {"Authorization": f"Basic {TOKEN}"},
    {"Authorization": TOKEN},
    {"Api-Key-X": "test-api-key"},
])
def test_missing_or_wrong_credentials_answer_401(client, headers):
    response = call(client, "chat/completions", USER_HI, headers=headers)
    assert (response.status_code, response.content) == (401, ACCESS_DENIED)


@pytest.mark.parametrize("headers", [
    {"api-key": "test-api-key"},
    {"API-KEY": "test-api-key"},
    {"Authorization": f"Bearer {TOKEN}"},
    {"authorization": f"bearer {TOKEN}"},
    {"api-key": "wrong", "Authorization": f"Bearer {TOKEN}"},
])
def test_api_key_or_bearer_token_is_accepted(client, headers):
    assert call(client, "chat/completions", USER_HI, headers=headers).status_code == 200


def test_unknown_deployment_answers_deployment_not_found(client):
    response = call(client, "chat/completions", USER_HI, deployment="nosuchdeployment")
    assert (response.status_code, response.content) == (404, DEPLOYMENT_NOT_FOUND)


def test_gateway_checks_run_in_azure_order(client):
    # route/version before credentials, credentials before the deployment, the deployment before the body
    assert call(client, "chat/completions", USER_HI, api_version=None, headers={}).status_code == 404
    assert call(client, "chat/completions", USER_HI, deployment="nope", headers={}).status_code == 401
    assert call(client, "chat/completions", b"not json", deployment="nope").status_code == 404


def test_post_without_content_length_answers_411_html(fake):
    with socket.create_connection(("127.0.0.1", fake.port)) as connection:
        connection.sendall(b"POST /openai/deployments/mydeployment/chat/completions?api-version=2024-10-21 HTTP/1.1\r\n"
                           b"Host: localhost\r\napi-key: test-api-key\r\nConnection: close\r\n\r\n")
        reply = b""
        while chunk := connection.recv(65536):
            reply += chunk
    head, _, body = reply.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 411 ")
    assert b"Content-Type: text/html; charset=us-ascii" in head
    assert b"HTTP Error 411. The request must be chunked or have a content length." in body


def test_chunked_request_bodies_are_read(fake, client):
    def chunks():
        yield b'{"messages": [{"role": "user", '
        yield b'"content": "Hi"}]}'

    response = client.post("/openai/deployments/mydeployment/chat/completions", params={"api-version": "2024-10-21"},
                           headers={"api-key": "test-api-key"}, content=chunks())
    assert response.status_code == 200
    assert fake.last_request.headers["transfer-encoding"] == "chunked"
    assert fake.last_request.json == USER_HI


def test_non_loopback_hosts_are_refused_unless_allowed():
    from generator.testing.azure_openai import FakeServiceError

    with pytest.raises(FakeServiceError, match=r"refusing to listen on 0\.0\.0\.0: .* loopback addresses only"):
        FakeAzureOpenAI(host="0.0.0.0")
    FakeAzureOpenAI(host="0.0.0.0", allow_remote=True)  # allowed explicitly (not started)


def test_a_busy_port_is_reported(fake):
    from generator.testing.azure_openai import FakeServiceError

    with pytest.raises(FakeServiceError, match=f"cannot listen on 127.0.0.1:{fake.port}: .*choose another port"):
        FakeAzureOpenAI(port=fake.port).start()


def test_ipv6_loopback_and_stop_frees_the_port():
    fake = FakeAzureOpenAI(host="::1").start()
    try:
        assert fake.url == f"http://[::1]:{fake.port}"
        with httpx.Client(base_url=fake.url) as http:
            assert call(http, "chat/completions", USER_HI).status_code == 200
    finally:
        fake.stop()
    fake.stop()  # idempotent
    assert not fake.running
