"""`etk run` says why a request failed (refused, unknown host, untrusted certificate, timeout) and
where it went, on stderr and in `-v`, while the job result keeps Camunda's code and message; a
missing secret says how to give one. Everything on loopback."""

from __future__ import annotations

import json
import socket
import ssl
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.runtime import HttpClient, run_task

from .conftest import rest_task
from .loopback import LoopbackServer, Reply, unused_port

REST_TEMPLATE = str(Path(__file__).resolve().parents[2] / "dist" / "rest.json")
IO_FAILED = "An error occurred while executing the request, or the connection was aborted"


def etk(*arguments: str):
    return CliRunner().invoke(main, ["run", REST_TEMPLATE, *arguments])


def error_of(result) -> dict:
    assert result.exit_code == 1, result.output
    return json.loads(result.stdout)["variables"]["error"]


def test_connection_refused_names_the_address():
    port = unused_port()
    result = etk("--set", f"url=http://127.0.0.1:{port}/orders")
    assert error_of(result) == {"type": "io.camunda.connector.api.error.ConnectorException", "message": IO_FAILED, "code": "408"}
    assert result.stderr == f"etk: connection refused by 127.0.0.1:{port} (nothing listens there)\n"


def test_verbose_shows_the_cause_among_the_steps():
    port = unused_port()
    result = etk("-v", "--set", f"url=http://127.0.0.1:{port}/orders")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "etk: job of type io.camunda:http-json:1 with 3 retries",
        f'etk: connector variables: {{"url":"http://127.0.0.1:{port}/orders","method":"GET","authentication":{{"type":"noAuth"}},'
        '"skipEncoding":"false","connectionTimeoutInSeconds":20,"readTimeoutInSeconds":20}',
        f"etk: connector failed with code 408: {IO_FAILED}",
        f"etk: connection refused by 127.0.0.1:{port} (nothing listens there)",
        f"etk: outcome: failed (2 retries left, backoff PT30S): {IO_FAILED} | Error variables: "
        f"{{error={{type=io.camunda.connector.api.error.ConnectorException, message={IO_FAILED}, code=408}}}}",
    ]


def test_a_connect_to_route_names_both_addresses():
    port = unused_port()
    result = etk("--set", "url=https://myresource.openai.azure.com/x",
                 "--connect-to", f"myresource.openai.azure.com:443:127.0.0.1:{port}")
    assert error_of(result)["code"] == "408"
    assert result.stderr == (f"etk: connection refused by 127.0.0.1:{port} (--connect-to for "
                             "myresource.openai.azure.com:443) (nothing listens there)\n")


def test_an_unknown_host_says_so(monkeypatch):
    # the resolver is the one thing not run for real: a DNS query would leave loopback
    real = socket.getaddrinfo

    def resolve(host, *args, **kwargs):
        if host == "no-such-host.invalid":
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    result = etk("--set", "url=https://no-such-host.invalid/x")
    assert error_of(result) == {"type": "io.camunda.connector.api.error.ConnectorException", "message": IO_FAILED, "code": "408"}
    assert result.stderr == "etk: unknown host 'no-such-host.invalid': Name or service not known\n"


@pytest.fixture
def tls_server(test_ca):
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    test_ca.issue_cert("localhost", "127.0.0.1").configure_cert(context)
    with LoopbackServer(ssl_context=context) as server:
        yield server


def test_an_untrusted_certificate_says_so_and_how_to_trust_it(tls_server):
    result = etk("--set", f"url=https://127.0.0.1:{tls_server.port}/x")
    assert error_of(result) == {"type": "io.camunda.connector.api.error.ConnectorException",
                                "message": "SSL handshake failed: CERTIFICATE_VERIFY_FAILED", "code": "SSL_HANDSHAKE_FAILED"}
    assert result.stderr == (f"etk: the TLS certificate of 127.0.0.1:{tls_server.port} is not trusted: unable to get "
                             "local issuer certificate (trust its CA with --ca-file)\n")
    assert tls_server.requests == []


def test_a_certificate_for_another_host_says_which(tls_server, test_ca, tmp_path):
    ca_file = tmp_path / "ca.pem"
    test_ca.cert_pem.write_to_path(str(ca_file))
    result = etk("--set", "url=https://api.example.com/x", "--ca-file", str(ca_file),
                 "--connect-to", f"api.example.com:443:127.0.0.1:{tls_server.port}")
    assert error_of(result)["code"] == "SSL_HANDSHAKE_FAILED"
    assert result.stderr == (f"etk: the TLS certificate of 127.0.0.1:{tls_server.port} (--connect-to for api.example.com:443) "
                             "is not trusted: Hostname mismatch, certificate is not valid for 'api.example.com'. "
                             "(trust its CA with --ca-file)\n")


def test_a_read_timeout_names_the_setting(server):
    server.reply(Reply(200, b"{}", delay=5))
    result = etk("--set", f"url={server.url('/slow')}", "--set", "readTimeoutInSeconds=1")
    assert error_of(result)["message"] == "The request timed out. Please try increasing the read and connection timeouts."
    assert result.stderr == f"etk: 127.0.0.1:{server.port} sent no response within 1 s (readTimeoutInSeconds)\n"


def test_the_cause_is_logged_for_library_users_too(caplog):
    port = unused_port()
    with HttpClient() as http, caplog.at_level("WARNING", logger="generator.runtime"):
        run_task(rest_task({"method": "GET", "url": f"http://127.0.0.1:{port}/"}), http=http)
    assert caplog.messages == [f"Task_1: connection refused by 127.0.0.1:{port} (nothing listens there)"]


def test_a_missing_secret_says_how_to_give_one():
    result = etk("--set", "url=https://api.example.com/x", "--set", "authentication.type=bearer",
                 "--set", "authentication.token={{secrets.API_TOKEN}}")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["variables"]["error"]["message"] == "Secret with name 'API_TOKEN' is not available"
    assert result.stderr == (
        "etk: secret 'API_TOKEN' is not set: give it with --secret API_TOKEN=VALUE, in a file given with "
        "--secrets-file (JSON or NAME=VALUE lines), or as the environment variable API_TOKEN\n")


def test_a_missing_secret_in_a_dry_run_says_how_to_give_one():
    result = etk("--dry-run", "--set", "url=https://api.example.com/{{secrets.PATH_KEY}}")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "etk: secret 'PATH_KEY' is not set: give it with --secret PATH_KEY=VALUE, in a file given with "
        "--secrets-file (JSON or NAME=VALUE lines), or as the environment variable PATH_KEY",
        "etk: error: the request cannot be built: Secret with name 'PATH_KEY' is not available",
    ]
