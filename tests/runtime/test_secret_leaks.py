"""The secret-leak matrix: every authentication type x every place etk reports something (dry run,
`-v` steps, the printed result, error variables, messages) x the forms a secret takes (raw,
encoded as the request writes it, echoed back by a server) x secrets of every shape (short, long,
numeric, multi-line, non-ASCII). A secret of 4 characters or more must not appear in any form
anywhere; a shorter one must be masked wherever etk placed it and wherever a whole value equals
it, and the text around it must stay intact (`etk-runtime`, `Unauthorized`)."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlsplit

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.runtime.masking import MIN_ECHO_LENGTH
from generator.runtime.rest.request import encoded_forms

from .loopback import LoopbackServer, Reply, unused_port

REST_TEMPLATE = str(Path(__file__).resolve().parents[2] / "dist" / "rest.json")

SECRETS = {
    "short": "k",
    "long": "s3cr3t-Value_0123456789",
    "numeric": "4711081542",
    "multiline": "first line\nsecond line",
    "non-ascii": "pässwörd-€-秘密",
}

# authentication type -> the --set values that place the secret S (and a username/client id)
AUTHENTICATIONS = {
    "noAuth": {"headers": '={"X-Key": "{{secrets.S}}"}'},
    "basic": {"authentication.type": "basic", "authentication.username": "user", "authentication.password": "{{secrets.S}}"},
    "bearer": {"authentication.type": "bearer", "authentication.token": "{{secrets.S}}"},
    "apiKey-header": {"authentication.type": "apiKey", "authentication.apiKeyLocation": "headers",
                      "authentication.name": "X-Api-Key", "authentication.value": "{{secrets.S}}"},
    "apiKey-query": {"authentication.type": "apiKey", "authentication.apiKeyLocation": "query",
                     "authentication.name": "key", "authentication.value": "{{secrets.S}}"},
    "oauth-body": {"authentication.type": "oauth-client-credentials-flow", "authentication.clientId": "client",
                   "authentication.clientSecret": "{{secrets.S}}", "authentication.clientAuthentication": "credentialsBody"},
    "oauth-basic": {"authentication.type": "oauth-client-credentials-flow", "authentication.clientId": "client",
                    "authentication.clientSecret": "{{secrets.S}}", "authentication.clientAuthentication": "basicAuthHeader"},
}


def echo(request) -> Reply:
    """Everything the server received, sent back: in the body (whole values and the raw texts),
    a response header, and the reason phrase."""
    query = dict(parse_qsl(urlsplit(request.target).query, keep_blank_values=True))
    form = dict(parse_qsl(request.body.decode("utf-8", "replace"), keep_blank_values=True))
    received = {
        "target": request.target,
        "query": query,
        "headers": dict(request.headers),
        "body": request.body.decode("utf-8", "replace"),
        "form": form,
        "number": int(query["n"]) if query.get("n", "").isdigit() else None,
    }
    status = 200 if request.path.startswith("/ok") else 401
    text = json.dumps(received, ensure_ascii=False)
    reason = "Unauthorized: " + query.get("q", "").encode("ascii", "replace").decode().replace("\n", " ") if status == 401 else "OK"
    return Reply(status, text.encode("utf-8"), [("Content-Type", "application/json"),
                                               ("X-Echo", quote(request.target, safe="/?=&%"))], reason=reason)


def token_endpoint(request) -> Reply:
    """An OAuth token endpoint that grants a token, or (under /deny) echoes the credentials."""
    if request.path.startswith("/deny"):
        body = {"error": "invalid_client", "received": request.body.decode("utf-8", "replace"),
                "authorization": dict(request.headers).get("Authorization")}
        return Reply(401, json.dumps(body).encode(), [("Content-Type", "application/json")])
    return Reply.json({"access_token": "granted-token", "expires_in": 60})


@dataclass
class Run:
    name: str
    output: str  # stdout and stderr


def etk(*arguments: str) -> Run:
    result = CliRunner().invoke(main, ["run", REST_TEMPLATE, *arguments])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return Run(" ".join(arguments[:2]), result.stdout + result.stderr)


def runs(secret: str, auth: str, server: LoopbackServer, tokens: LoopbackServer) -> Iterator[Run]:
    """Every place a secret could leak to, for one secret and authentication type."""
    values = dict(AUTHENTICATIONS[auth])
    if auth.startswith("oauth"):
        values["authentication.oauthTokenEndpoint"] = tokens.url("/token")
    base = ["--secret", f"S={secret}", "--set", "method=POST",
            "--set", 'body={"password": "{{secrets.S}}", "note": "etk-runtime"}',
            "--set", "queryParameters={q: \"{{secrets.S}}\", n: \"{{secrets.S}}\"}"]
    for name, value in values.items():
        base += ["--set", f"{name}={value}"]
    url = server.url("/ok/{{secrets.S}}")
    yield etk(*base, "--set", f"url={url}", "--dry-run")
    yield etk(*base, "--set", f"url={url}", "--set", "resultVariable=r", "-v")
    denied = server.url("/deny/{{secrets.S}}")
    yield etk(*base, "--set", f"url={denied}", "-v")
    yield etk(*base, "--set", f"url={denied}", "--set",
              'errorExpression=bpmnError("AUTH", error.message + " " + string(error.variables.response.body), '
              "error.variables.response.body)")
    yield etk(*base, "--set", f"url={denied}", "--set",
              "errorExpression=jobError(error.message, {echo: error.variables.response}, 1)")
    yield etk(*base, "--set", "url=http://[{{secrets.S}}/x")  # an invalid URL quotes it
    yield etk(*base, "--set", f"url={url}", "--set", 'body=="=x + \\"{{secrets.S}}"')  # FEEL quotes it
    if auth.startswith("oauth"):
        values["authentication.oauthTokenEndpoint"] = tokens.url("/deny")
        denied_token = ["--secret", f"S={secret}", "--set", f"url={url}", "-v"]
        for name, value in values.items():
            denied_token += ["--set", f"{name}={value}"]
        yield etk(*denied_token)


def forms(secret: str) -> set[str]:
    """Every form of `secret` that must not appear (for secrets long enough to search for)."""
    found = {secret, json.dumps(secret)[1:-1], json.dumps(secret, ensure_ascii=False)[1:-1], *encoded_forms(secret)}
    folded = secret.replace("\n", " ")
    found |= {folded, folded.encode("latin-1", "replace").decode("latin-1"), repr(secret.encode())[2:-1]}
    for user in ("user", "client"):
        found.add(base64.b64encode(f"{user}:{secret}".encode()).decode())
    return {form for form in found if form}


@pytest.fixture(scope="module")
def servers():
    with LoopbackServer(responder=echo) as server, LoopbackServer(responder=token_endpoint) as tokens:
        yield server, tokens


CASES = [(kind, auth) for kind in SECRETS for auth in AUTHENTICATIONS]


@pytest.mark.parametrize(("kind", "auth"), CASES, ids=[f"{kind}-{auth}" for kind, auth in CASES])
def test_no_secret_leaks_from_any_place_in_any_form(servers, kind, auth):
    server, tokens = servers
    secret = SECRETS[kind]
    outputs = list(runs(secret, auth, server, tokens))
    assert len(outputs) >= 7
    # the requests carried the secret...
    assert any(secret in request.target or secret.encode() in request.body
               or any(secret in value for _, value in request.headers) for request in server.requests + tokens.requests) \
        or auth in ("basic", "oauth-basic") or kind in ("non-ascii", "multiline")
    for run in outputs:
        assert "Traceback" not in run.output
        assert re.search(r"etk-runtime|etk: error|outcome", run.output), run.output
        if len(secret) >= MIN_ECHO_LENGTH:
            leaked = sorted(form for form in forms(secret) if form in run.output)
            assert not leaked, (run.name, leaked, run.output)
        if auth in ("basic", "oauth-basic"):  # echoed credentials: masked whole, not re-encoded from ***
            assert "Basic " not in run.output.replace("Basic ***", ""), run.output
        else:
            short_secret_is_masked_where_it_stands(secret, run.output)


def short_secret_is_masked_where_it_stands(secret: str, output: str) -> None:
    """A short secret: masked where etk placed it and where an echo is the whole value; the text
    around it intact."""
    assert "et***-runtime" not in output and "Un***uthorized" not in output
    for line in output.splitlines():
        # every place the request wrote it, and every echo of a whole value
        for pattern in (rf'"password": "{secret}"', rf'"q": "{secret}"', rf"Bearer {secret}\b", rf"key={secret}\b",
                        rf'"X-Key": "{secret}"', rf'"X-Api-Key": "{secret}"', rf"/ok/{secret}\b", rf"client_secret={secret}\b"):
            assert re.search(pattern, line) is None, (pattern, line)


def test_the_matrix_covers_every_authentication_type_and_secret_shape():
    assert len(CASES) == len(SECRETS) * len(AUTHENTICATIONS) == 35


def test_usage_errors_never_show_a_secret():
    for pair in ("=hunter2", "hunter2"):
        result = CliRunner().invoke(main, ["run", REST_TEMPLATE, "--dry-run", "--secret", "A=ok", "--secret", pair])
        assert (result.exit_code, result.stderr) == (2, "etk: error: --secret #2 (its text is not shown): expected NAME=VALUE\n")


def test_an_error_the_shown_twin_does_not_reproduce_withholds_its_reason():
    server_url = "http://127.0.0.1:9/x"
    # the secret's own quote ends the FEEL string early: the error would quote the rest of it
    result = CliRunner().invoke(main, ["run", REST_TEMPLATE, "--secret", 'S=ab"cd-0123456789', "--set", "method=POST",
                                       "--set", f"url={server_url}", "--set", 'body=="=\\"{{secrets.S}}\\""'])
    assert result.exit_code == 1, result.output
    printed = json.loads(result.stdout)
    assert printed["variables"]["error"]["message"] == (
        "The connector input is invalid once its secrets are substituted; the reason is not shown, as it would quote "
        "part of a secret")
    assert "cd-0123456789" not in result.output


def test_an_error_the_shown_twin_reproduces_keeps_its_reason_with_the_secret_masked():
    result = CliRunner().invoke(main, ["run", REST_TEMPLATE, "--secret", "S=s3cr3t-0123456789", "--set", "method=POST",
                                       "--set", "url=http://127.0.0.1:9/x", "--set", 'body=="={a: \\"{{secrets.S}}\\" +}"'])
    printed = json.loads(result.stdout)
    # the position is the shown twin's ({a: "***" +}), not the sent text's
    assert printed["variables"]["error"]["message"] == (
        "Json object contains an invalid field: body: 1:13: expected an expression after '+', found '}'")
    assert "s3cr3t" not in result.output


# shorter than MIN_ECHO_LENGTH and parts of the messages below; and one that a host name lowercases
SECRETS_IN_MESSAGES = ["k", "ss", "SSL", "ake", "HostSecret"]


@pytest.mark.parametrize("secret", SECRETS_IN_MESSAGES)
def test_connection_error_messages_stay_intact_and_mask_the_secret_where_etk_placed_it(secret):
    """Transport failures quote addresses and reasons that may contain a short secret's letters
    ("SSL handshake"): they stay as they are; where etk placed the secret (in the host name,
    which etk's account of the failure quotes in lower case) it is masked."""
    refused = unused_port()
    with LoopbackServer() as plain:
        tls_to_plain = run_short(secret, "--set", f"url=https://127.0.0.1:{plain.port}/x")
    assert tls_to_plain.variables["error"]["message"] == "SSL handshake failed: WRONG_VERSION_NUMBER"
    assert f"etk: TLS handshake with 127.0.0.1:{plain.port} failed: WRONG_VERSION_NUMBER\n" in tls_to_plain.stderr
    nothing_listens = run_short(secret, "--set", f"url=http://127.0.0.1:{refused}/x")
    assert f"etk: connection refused by 127.0.0.1:{refused} (nothing listens there)\n" in nothing_listens.stderr
    # the secret in the host name: masked in etk's account of the failure, as in the request
    routed = run_short(secret, "--set", "url=http://{{secrets.S}}.example/x", "--connect-to", f"::127.0.0.1:{refused}")
    assert (f"etk: connection refused by 127.0.0.1:{refused} (--connect-to for ***.example:80) (nothing listens there)\n"
            in routed.stderr)
    no_dns_name = run_short(secret, "--set", "url=http://{{secrets.S}}..example/x")
    assert ("etk: unknown host '***..example': not a valid DNS name (encoding with 'idna' codec failed "
            "(UnicodeError: label empty or too long))\n") in no_dns_name.stderr
    with LoopbackServer(responder=echo) as server:  # echoes the Host header, lower case
        echoed = run_short(secret, "--set", "url=http://{{secrets.S}}.example/deny", "--connect-to", f"::127.0.0.1:{server.port}")
    assert '"Host": "***.example"' in echoed.output.replace("\\", "")
    for run in (tls_to_plain, nothing_listens, routed, no_dns_name):
        assert run.variables["error"]["message"] in (
            "SSL handshake failed: WRONG_VERSION_NUMBER",
            "An error occurred while executing the request, or the connection was aborted")
        if len(secret) < MIN_ECHO_LENGTH:
            assert run.stderr.startswith(f"etk: secret 'S' has {len(secret)} character(s): it is masked where etk places it")
    for run in (tls_to_plain, nothing_listens, routed, no_dns_name, echoed):
        assert f"{secret.lower()}.example" not in run.output.lower()


@dataclass
class ShortRun:
    stderr: str
    output: str
    variables: dict


def run_short(secret: str, *arguments: str) -> ShortRun:
    """`etk run` with the secret as a bearer token (in a header, as sent) and `arguments`."""
    result = CliRunner().invoke(main, ["run", REST_TEMPLATE, "--secret", f"S={secret}", "--set", "authentication.type=bearer",
                                       "--set", "authentication.token={{secrets.S}}", *arguments])
    assert result.exit_code == 1, result.output
    return ShortRun(result.stderr, result.output, json.loads(result.stdout)["variables"])


@pytest.mark.parametrize("character", ["\x00", "\x01", "\x7f", "\t", "\r\n"])
@pytest.mark.parametrize("auth", ["bearer", "apiKey-header", "noAuth"])
def test_a_secret_a_header_cannot_carry_is_never_quoted(character, auth):
    """h11 refuses some header values ("Illegal header value b'Bearer ...'" quoted the whole
    secret): no part of such a secret reaches the output, its error variables or the -v log."""
    secret = f"first-part{character}second-part"
    arguments = ["run", REST_TEMPLATE, "--secret", f"S={secret}", "--set", "url=http://127.0.0.1:9/x", "-v"]
    for name, value in AUTHENTICATIONS[auth].items():
        arguments += ["--set", f"{name}={value}"]
    result = CliRunner().invoke(main, arguments)
    assert result.exit_code == 1, result.output
    assert json.loads(result.stdout)["outcome"] == "failed"
    assert "first-part" not in result.output and "second-part" not in result.output, result.output
    assert "Traceback" not in result.output
