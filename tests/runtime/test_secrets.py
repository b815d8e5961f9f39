"""Secret substitution, providers, and the guarantee that no secret value leaves the runtime."""

from __future__ import annotations

import json
import logging

import pytest

from generator.errors import EtkError
from generator.runtime import (
    BpmnError,
    ChainedSecrets,
    Completed,
    EnvironmentSecrets,
    Failed,
    MappingSecrets,
    SecretMask,
    dry_run,
    load_secrets_file,
    run_task,
    run_until_done,
)
from generator.runtime.secrets import shown_secrets, substitute_secrets

from .conftest import rest_task
from .loopback import Reply, unused_port

SECRET = 'p@ss"w\\rd-42'  # needs JSON escaping


def test_both_syntaxes_are_replaced_in_order_with_json_escaping():
    mask = SecretMask()
    provider = MappingSecrets({"A": SECRET, "B": "bee", "x/y.z-1": "path"})
    text = json.dumps({"h": "Bearer {{secrets.A}}", "k": "{{ secrets.B }}", "legacy": "secrets.x/y.z-1!"})
    sent, shown = substitute_secrets(text, provider, mask), shown_secrets(text)
    assert json.loads(sent) == {"h": f"Bearer {SECRET}", "k": "bee", "legacy": "path!"}
    assert json.loads(shown) == {"h": "Bearer ***", "k": "***", "legacy": "***!"}
    assert mask.text(f"a {SECRET} b bee; bee") == "a *** b bee; bee"  # "bee" is too short to search for
    assert mask.text("bee") == "***"  # ... but a whole value equal to it is masked


def test_the_bare_form_has_no_word_boundary_like_camunda():
    with pytest.raises(Exception) as raised:
        substitute_secrets('{"url": "https://api.secrets.io/x"}', MappingSecrets({}), SecretMask())
    assert str(raised.value) == "Secret with name 'io/x' is not available"


def test_a_missing_secret_is_an_input_error_with_zero_retries(http):
    outcome = run_task(rest_task({"method": "GET", "url": "http://127.0.0.1:1/", "headers": '={"X-Key": "{{secrets.NOPE}}"}'}), http=http)
    assert isinstance(outcome, Failed)
    assert outcome.retries == 0
    assert outcome.variables["error"] == {
        "type": "io.camunda.connector.api.error.ConnectorInputException",
        "message": "Secret with name 'NOPE' is not available",
    }


def test_providers(tmp_path):
    env = EnvironmentSecrets({"CAMUNDA_TOKEN": "e"}, prefix="CAMUNDA_")
    assert env.get("TOKEN") == "e" and env.get("OTHER") is None
    dotenv = tmp_path / "secrets.env"
    dotenv.write_text('# comment\nexport A=1\nB = "two words\\n"\nC=\'single\'\nD=plain # trailing\n\n', encoding="utf-8")
    loaded = load_secrets_file(dotenv)
    assert [loaded.get(name) for name in "ABCD"] == ["1", "two words\n", "single", "plain"]
    as_json = tmp_path / "secrets.json"
    as_json.write_text('{"A": "json"}', encoding="utf-8")
    chained = ChainedSecrets([load_secrets_file(as_json), loaded, env])
    assert chained.get("A") == "json" and chained.get("B") == "two words\n" and chained.get("TOKEN") == "e"


def test_bad_secrets_files_name_the_place_not_the_value(tmp_path):
    bad = tmp_path / "bad.env"
    bad.write_text("GOOD=x\nthis line has no equals sign s3cr3t\n", encoding="utf-8")
    with pytest.raises(EtkError) as raised:
        load_secrets_file(bad)
    assert str(raised.value) == f"{bad}:2: expected NAME=VALUE (a dotenv line)"
    not_strings = tmp_path / "bad.json"
    not_strings.write_text('{"A": 1}', encoding="utf-8")
    with pytest.raises(EtkError, match="must hold an object of strings"):
        load_secrets_file(not_strings)


def test_no_secret_value_appears_in_any_output_log_or_exception(server, http, clock, caplog, capsys):
    """Servers echo the credentials back in error bodies and headers; expressions copy them into
    messages and variables; the URL carries one: every place must show *** instead."""
    secrets = {"TOKEN": SECRET, "KEY": "key-0123456789"}

    def echo(request):
        return Reply(
            401,
            json.dumps({"seen": request.header("Authorization"), "key": request.header("X-Key"), "url": request.target}),
            [("Content-Type", "application/json"), ("WWW-Authenticate", f"Bearer realm={request.header('X-Key')}")],
            reason=f"Denied {request.header('X-Key')}",
        )

    server.responder = echo
    inputs = {
        "method": "POST",
        "url": server.url("/x?key={{secrets.KEY}}"),
        "authentication.type": "bearer",
        "authentication.token": "{{secrets.TOKEN}}",
        "headers": '={"X-Key": "{{secrets.KEY}}"}',
        "body": '={"password": "{{secrets.TOKEN}}"}',
    }
    outcomes = []
    caplog.set_level(logging.DEBUG, logger="generator")
    for error_expression in (
        None,
        '=bpmnError("AUTH", error.message + " " + string(error.variables), error.variables)',
        '=jobError(error.message + response.error.variables.response.body.key, {copy: error.variables}, 1, @"PT1S")',
    ):
        headers = {"resultVariable": "r"} | ({"errorExpression": error_expression} if error_expression else {})
        outcomes.append(run_task(rest_task(inputs, headers), secrets=secrets, http=http, clock=clock))
    outcomes.extend(run_until_done(rest_task(inputs, {"retryBackoff": "PT1S"}), secrets=secrets, http=http, clock=clock).outcomes)
    unreachable = dict(inputs, url=f"http://127.0.0.1:{unused_port()}/{{{{secrets.KEY}}}}")
    outcomes.append(run_task(rest_task(unreachable), secrets=secrets, http=http))
    invalid = dict(inputs, url="http://[{{secrets.KEY}}/x")
    outcomes.append(run_task(rest_task(invalid), secrets=secrets, http=http))
    described = dry_run(rest_task(inputs), secrets=secrets)

    assert [type(outcome) for outcome in outcomes[:3]] == [Failed, BpmnError, Failed]
    assert all(not isinstance(outcome, Completed) for outcome in outcomes)
    # the requests really carried the secrets...
    assert server.requests[0].header("Authorization") == f"Bearer {SECRET}"
    assert server.requests[0].json() == {"password": SECRET}
    # ...but nothing the runtime reports does
    texts = [repr(outcome) for outcome in outcomes] + [json.dumps(described)] + [r.getMessage() for r in caplog.records]
    texts.append(capsys.readouterr().err)
    escaped = json.dumps(SECRET)[1:-1]
    for text in texts:
        for value in (SECRET, escaped, "key-0123456789"):
            assert value not in text
    assert "***" in repr(outcomes[0]) and "***" in repr(outcomes[1]) and "***" in json.dumps(described)
    assert outcomes[1].code == "AUTH"
    assert outcomes[0].variables["error"]["message"] == "Denied ***"
    assert described["headers"]["Authorization"] == "Bearer ***"


def test_each_pass_repeats_once_per_placeholder_it_found_like_camunda():
    # SecretUtil loops `while (matcher.find())` over the pass's input and replaces every match
    # each time: a value holding another placeholder is resolved again only when the text had
    # more than one placeholder; a bracket left over still yields its bare `secrets.B` inside
    provider = MappingSecrets({"A": "{{secrets.B}}", "B": "bee"})
    assert substitute_secrets('["{{secrets.A}}"]', provider, SecretMask()) == '["{{bee}}"]'
    assert shown_secrets('["{{secrets.A}}"]') == '["***"]'
    assert substitute_secrets('["{{secrets.A}}", "{{secrets.A}}"]', provider, SecretMask()) == '["bee", "bee"]'


def test_url_encoded_secrets_are_masked_in_urls_echoes_and_dry_runs(server, http):
    secrets = {"K": "p@ss w/ord"}
    server.responder = lambda request: Reply(400, json.dumps({"target": request.target}), [("Content-Type", "application/json")])
    inputs = {"method": "GET", "url": server.url("/a/{{secrets.K}}?q={{secrets.K}}"), "queryParameters": '={p: "{{secrets.K}}"}'}
    outcome = run_task(rest_task(inputs), secrets=secrets, http=http)
    # sent encoded...
    assert server.last.target == "/a/p@ss%20w/ord?q=p@ss%20w/ord&p=p@ss%20w/ord"
    # ...and masked in every encoded form
    assert outcome.variables["error"]["variables"]["response"]["body"] == {"target": "/a/***?q=***&p=***"}
    assert dry_run(rest_task(inputs), secrets=secrets)["url"] == server.url("/a/***?q=***&p=***")
    form = {"method": "POST", "url": server.url("/f"), "headers": '={"Content-Type": "application/x-www-form-urlencoded"}', "body": '={k: "{{secrets.K}}"}'}
    assert dry_run(rest_task(form), secrets=secrets)["body"] == "k=***"


def test_a_one_letter_secret_is_masked_where_it_stands_and_unrelated_text_stays(server, http, caplog):
    # Camunda masks by String.replace, so secret "a" turns "Unauthorized" into "Un***uthorized";
    # etk masks an echo of a short secret only where a whole value equals it, and warns
    server.reply(Reply(401, b'{"echo": "a", "note": "bad key a"}', [("Content-Type", "application/json")]))
    caplog.set_level(logging.WARNING, logger="generator.runtime")
    outcome = run_task(rest_task({"method": "GET", "url": server.url("/x"), "headers": '={"X-K": "{{secrets.K}}"}'}), secrets={"K": "a"}, http=http)
    assert server.last.header("X-K") == "a"
    assert outcome.variables["error"]["message"] == "Unauthorized"
    assert outcome.variables["error"]["variables"]["response"]["body"] == {"echo": "***", "note": "bad key a"}
    assert outcome.message == (
        "Unauthorized | Error variables: {error={type=io.camunda.connector.api.error.ConnectorException, "
        "message=Unauthorized, code=401, variables={response={headers={Content-Type=application/json, "
        "Content-Length=34}, body={echo=***, note=bad key a}}}}}"
    )
    assert [record.getMessage() for record in caplog.records] == [
        "secret 'K' has 1 character(s): it is masked where etk places it and where a whole value equals it, but "
        "text that merely contains it is not searched (secrets of 4 characters or more are)"]
    described = dry_run(rest_task({"method": "GET", "url": server.url("/x?k={{secrets.K}}"), "headers": '={"X-K": "{{secrets.K}}"}'}),
                        secrets={"K": "a"})
    assert described["url"] == server.url("/x?k=***") and described["headers"]["X-K"] == "***"
    assert described["headers"]["User-Agent"] == "etk-runtime"


def test_library_log_records_are_masked(server, http, caplog):
    # httpx logs every request's URL at INFO: an API key in the query must not appear there
    caplog.set_level(logging.DEBUG)
    inputs = {
        "method": "GET", "url": server.url("/x"), "authentication.type": "apiKey", "authentication.apiKeyLocation": "query",
        "authentication.name": "key", "authentication.value": "{{secrets.KEY}}",
    }
    outcome = run_task(rest_task(inputs, {"resultVariable": "r"}), secrets={"KEY": "k-9f8e7d"}, http=http)
    assert isinstance(outcome, Completed)
    assert server.last.target == "/x?key=k-9f8e7d"
    messages = [record.getMessage() for record in caplog.records]
    assert any(record.name == "httpx" and "/x?key=***" in record.getMessage() for record in caplog.records)
    assert not any("k-9f8e7d" in message for message in messages)
