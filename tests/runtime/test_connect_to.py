"""curl-like --connect-to over real TLS: the URL, Host header and certificate check stay those of
the original host while the TCP connection goes to a loopback server."""

from __future__ import annotations

import ssl

import pytest

from generator.errors import EtkError
from generator.runtime import Completed, ConnectTo, Failed, HttpClient, run_task

from .conftest import rest_task
from .loopback import LoopbackServer, Reply


def tls_server(test_ca, *names):
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    test_ca.issue_cert(*names).configure_cert(context)
    return LoopbackServer(ssl_context=context)


@pytest.fixture
def ca_file(tmp_path, test_ca):
    path = tmp_path / "ca.pem"
    test_ca.cert_pem.write_to_path(str(path))
    return path


def test_a_request_for_the_real_host_reaches_the_loopback_server(test_ca, ca_file):
    with tls_server(test_ca, "myresource.openai.azure.com") as server:
        server.reply(Reply.json({"ok": True}))
        route = ConnectTo("myresource.openai.azure.com", 443, "127.0.0.1", server.port)
        with HttpClient(connect_to=[route], ca_file=ca_file) as http:
            outcome = run_task(
                rest_task({"method": "GET", "url": "https://myresource.openai.azure.com/openai/x?api-version=1"}, {"resultVariable": "r"}),
                http=http,
            )
    assert isinstance(outcome, Completed)
    assert outcome.variables["r"]["body"] == {"ok": True}
    assert server.last.header("Host") == "myresource.openai.azure.com"
    assert server.last.target == "/openai/x?api-version=1"


def test_the_certificate_is_checked_against_the_original_host(test_ca, ca_file):
    with tls_server(test_ca, "someone-else.example") as server:
        route = ConnectTo("myresource.openai.azure.com", 443, "127.0.0.1", server.port)
        with HttpClient(connect_to=[route], ca_file=ca_file) as http:
            outcome = run_task(rest_task({"method": "GET", "url": "https://myresource.openai.azure.com/"}), http=http)
    assert isinstance(outcome, Failed)
    assert outcome.variables["error"]["code"] == "SSL_HANDSHAKE_FAILED"
    assert outcome.variables["error"]["message"] == "SSL handshake failed: CERTIFICATE_VERIFY_FAILED"
    assert server.requests == []


def test_an_untrusted_ca_fails_the_handshake(test_ca):
    with tls_server(test_ca, "myresource.openai.azure.com") as server:
        route = ConnectTo("myresource.openai.azure.com", 443, "127.0.0.1", server.port)
        with HttpClient(connect_to=[route]) as http:
            outcome = run_task(rest_task({"method": "GET", "url": "https://myresource.openai.azure.com/"}), http=http)
    assert outcome.variables["error"]["code"] == "SSL_HANDSHAKE_FAILED"


def test_other_hosts_and_ports_are_not_rerouted():
    route = ConnectTo("a.example", 443, "127.0.0.1", 1)
    assert route.route("b.example", 443) is None
    assert route.route("a.example", 8443) is None
    assert route.route("A.EXAMPLE", 443) == ("127.0.0.1", 1)
    assert ConnectTo("", 0, "127.0.0.1", 0).route("x", 80) == ("127.0.0.1", 80)


@pytest.mark.parametrize(
    ("text", "route"),
    [
        ("myresource.openai.azure.com:443:127.0.0.1:8443", ConnectTo("myresource.openai.azure.com", 443, "127.0.0.1", 8443)),
        ("::127.0.0.1:", ConnectTo("", 0, "127.0.0.1", 0)),
        ("[::1]:443:[::1]:9", ConnectTo("::1", 443, "::1", 9)),
    ],
)
def test_connect_to_syntax(text, route):
    assert ConnectTo.parse(text) == route


def test_a_bad_connect_to_is_a_clear_error():
    with pytest.raises(EtkError, match="expected HOST:PORT:CONNECT-TO-HOST:CONNECT-TO-PORT"):
        ConnectTo.parse("myresource:443")
