"""HTTPS with a generated test CA: trusted through the CA file or `ssl_context()`, under Azure's host names."""

from __future__ import annotations

import json
import socket
import ssl

import httpx
import pytest

from generator.testing.azure_openai import FakeAzureOpenAI, FakeServiceError

from .conftest import USER_HI, call


@pytest.fixture
def tls_fake():
    with FakeAzureOpenAI(tls=True) as fake:
        yield fake


def test_https_with_the_client_context(tls_fake):
    assert tls_fake.url == f"https://127.0.0.1:{tls_fake.port}"
    with httpx.Client(base_url=tls_fake.url, verify=tls_fake.ssl_context()) as http:
        assert call(http, "chat/completions", USER_HI).status_code == 200


def test_https_with_the_ca_file(tls_fake):
    assert tls_fake.ca_file.read_text().startswith("-----BEGIN CERTIFICATE-----")
    context = ssl.create_default_context(cafile=str(tls_fake.ca_file))
    with httpx.Client(base_url=f"https://localhost:{tls_fake.port}", verify=context) as http:
        assert call(http, "chat/completions", USER_HI).status_code == 200


def test_clients_that_do_not_trust_the_test_ca_fail(tls_fake):
    with httpx.Client(base_url=tls_fake.url) as http, \
            pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
        call(http, "chat/completions", USER_HI)
    with httpx.Client(base_url=tls_fake.url, verify=tls_fake.ssl_context()) as http:
        assert call(http, "chat/completions", USER_HI).status_code == 200  # the server survived the failed handshake


def https_exchange(fake: FakeAzureOpenAI, server_name: str, request: bytes) -> bytes:
    """Connect to the fake's port but present `server_name` (SNI, certificate check), as a connect-to override does."""
    with socket.create_connection(("127.0.0.1", fake.port)) as raw, \
            fake.ssl_context().wrap_socket(raw, server_hostname=server_name) as connection:
        connection.sendall(request)
        reply = b""
        while chunk := connection.recv(65536):
            reply += chunk
        return reply


def test_the_certificate_is_valid_for_any_openai_azure_com_resource(tls_fake):
    body = json.dumps(USER_HI).encode()
    reply = https_exchange(tls_fake, "myresource.openai.azure.com", (
        b"POST /openai/deployments/mydeployment/chat/completions?api-version=2024-02-01 HTTP/1.1\r\n"
        b"Host: myresource.openai.azure.com\r\napi-key: test-api-key\r\nContent-Type: application/json\r\n"
        b"Connection: close\r\nContent-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body))
    assert reply.startswith(b"HTTP/1.1 200 ")
    assert tls_fake.last_request.headers["host"] == "myresource.openai.azure.com"


def test_other_host_names_are_not_covered(tls_fake):
    with pytest.raises(ssl.SSLCertVerificationError, match="Hostname mismatch"):
        https_exchange(tls_fake, "myresource.openai.example.com", b"")


def test_the_ca_file_lives_only_while_running():
    fake = FakeAzureOpenAI(tls=True).start()
    ca_file = fake.ca_file
    fake.stop()
    assert not ca_file.exists()
    with pytest.raises(FakeServiceError, match="not running"):
        _ = fake.ca_file


def test_plain_http_has_no_ca(fake):
    with pytest.raises(FakeServiceError, match="serves plain HTTP: create it with tls=True"):
        fake.ssl_context()
