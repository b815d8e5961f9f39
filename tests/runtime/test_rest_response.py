"""How responses, HTTP errors and transport failures become connector results and job outcomes."""

from __future__ import annotations

import json

import pytest

from generator.runtime import Completed, Failed, run_task

from .conftest import rest_task
from .loopback import RawServer, Reply, unused_port


def run(server, http, reply, headers=None, **inputs):
    server.reply(reply)
    inputs = {"method": "GET", "url": server.url("/r"), **inputs}
    return run_task(rest_task(inputs, {"resultVariable": "r", **(headers or {})}), http=http)


def result(outcome):
    assert isinstance(outcome, Completed), outcome
    return outcome.variables["r"]


@pytest.mark.parametrize(
    ("content", "body"),
    [
        (b'{"a": [1, 2.5, null]}', {"a": [1, 2.5, None]}),
        (b"[1, 2]", [1, 2]),
        (b"42", "42"),  # a JSON scalar stays text
        (b'"quoted"', '"quoted"'),
        (b"true", "true"),
        (b"plain text", "plain text"),
        (b"<xml>1</xml>", "<xml>1</xml>"),
        (b"{not json", "{not json"),
        (b"", None),
        (b"  \n\t ", None),
        ("naïve ✓".encode(), "naïve ✓"),
        # read as Jackson reads JSON: a repeated key keeps the last value, a lone surrogate is
        # U+FFFD; NaN, Infinity and numbers over 1,000 digits are no JSON, so the body stays text
        (b'{"a": 1, "a": 2}', {"a": 2}),
        (b'["\\ud800x"]', ["\ufffdx"]),
        (b'{"t": NaN}', '{"t": NaN}'),
        (b"[-Infinity]", "[-Infinity]"),
        (b"[" + b"1" * 1001 + b"]", "[" + "1" * 1001 + "]"),
        # deeper than etk reads (Jackson: 1,000 levels): text, never a RecursionError
        (b"[" * 1000 + b"]" * 1000, "[" * 1000 + "]" * 1000),
        (b"[" * 100_000, "[" * 100_000),
    ],
)
def test_body_rules(server, http, content, body):
    # the Content-Type is not consulted: a JSON object labelled text/plain is still parsed
    assert result(run(server, http, Reply(200, content, [("Content-Type", "text/plain")])))["body"] == body


def test_the_result_holds_status_headers_body_and_reason(server, http):
    response = result(run(server, http, Reply(201, b'{"id": 1}', [("Content-Type", "application/json"), ("X-Request-Id", "abc")], reason="Created Fine")))
    assert response == {
        "status": 201,
        "headers": {"Content-Type": "application/json", "X-Request-Id": "abc", "Content-Length": "9"},
        "body": {"id": 1},
        "reason": "Created Fine",
    }


def test_repeated_headers_become_lists_and_names_keep_their_case(server, http):
    headers = [("Set-Cookie", "a=1"), ("set-cookie", "b=2"), ("Set-Cookie", "c=3"), ("X-Empty", "")]
    response = result(run(server, http, Reply(200, b"", headers)))
    assert response["headers"]["Set-Cookie"] == ["a=1", "c=3"]
    assert response["headers"]["set-cookie"] == "b=2"
    assert response["headers"]["X-Empty"] == ""


def test_a_large_response_is_read_whole(server, http):
    items = [{"index": i, "text": "x" * 100} for i in range(40_000)]  # about 5 MB
    content = json.dumps({"items": items}).encode()
    assert len(content) > 4_000_000
    assert result(run(server, http, Reply(200, content)))["body"] == {"items": items}


def test_a_status_of_400_or_more_fails_with_the_status_as_code_and_error_variables(server, http):
    outcome = run(server, http, Reply(404, b'{"error": "nope"}', [("Content-Type", "application/json")]))
    assert isinstance(outcome, Failed)
    assert outcome.retries == 2
    assert outcome.variables == {
        "error": {
            "type": "io.camunda.connector.api.error.ConnectorException",
            "message": "Not Found",
            "code": "404",
            "variables": {
                "response": {"headers": {"Content-Type": "application/json", "Content-Length": "17"}, "body": {"error": "nope"}}
            },
        }
    }
    assert outcome.message == (
        "Not Found | Error variables: {error={type=io.camunda.connector.api.error.ConnectorException, "
        "message=Not Found, code=404, variables={response={headers={Content-Type=application/json, "
        "Content-Length=17}, body={error=nope}}}}}"
    )


def test_an_error_without_reason_phrase_says_no_reason(server, http):
    outcome = run(server, http, Reply(503, b"busy", reason=""))
    assert outcome.variables["error"]["message"] == "[no reason]"
    assert outcome.variables["error"]["variables"]["response"]["body"] == "busy"


def test_redirects_are_not_followed_by_default(server, http):
    outcome = run(server, http, Reply(302, b"moved", [("Location", "/elsewhere")]))
    response = result(outcome)
    assert response["status"] == 302
    assert response["body"] == "moved"
    assert response["headers"]["Location"] == "/elsewhere"
    assert [request.target for request in server.requests] == ["/r"]


def test_a_redirect_without_body_gives_a_null_result(server, http):
    assert result(run(server, http, Reply(301, b"", [("Location", "/elsewhere")]))) is None


def test_follow_redirects_follows_them(server, http):
    server.reply(Reply(302, b"", [("Location", "/final")]))
    outcome = run(server, http, Reply.json({"done": True}), followRedirects="=true")
    assert result(outcome)["body"] == {"done": True}
    assert [request.target for request in server.requests] == ["/r", "/final"]


def test_cookies_live_for_one_request_like_camundas_client_built_per_request(server, http):
    # Camunda builds a new Apache client (with its own cookie store) for every request: a cookie set
    # on a redirect reaches the redirect's target, but never a later job's request.
    server.reply(Reply(302, b"", [("Location", "/final"), ("Set-Cookie", "session=job1; Path=/")]))
    result(run(server, http, Reply.json({"first": True}), followRedirects="=true"))
    assert server.requests[1].header("cookie") == "session=job1"
    server.reply(Reply(302, b"", [("Location", "/again")]))
    result(run(server, http, Reply.json({"second": True}), followRedirects="=true"))
    assert [request.target for request in server.requests] == ["/r", "/final", "/r", "/again"]
    assert [request.header("cookie") for request in server.requests[2:]] == [None, None]


def test_a_stalled_server_times_out_with_camundas_message(server, http):
    outcome = run(server, http, Reply(200, b"late", delay=30), readTimeoutInSeconds="1")
    assert isinstance(outcome, Failed)
    assert outcome.variables["error"]["code"] == "408"
    assert outcome.variables["error"]["message"] == "The request timed out. Please try increasing the read and connection timeouts."
    assert outcome.retries == 2


def test_a_refused_connection_is_a_408_io_error(http):
    url = f"http://127.0.0.1:{unused_port()}/x"
    outcome = run_task(rest_task({"method": "GET", "url": url}), http=http)
    assert isinstance(outcome, Failed)
    assert outcome.variables["error"] == {
        "type": "io.camunda.connector.api.error.ConnectorException",
        "message": "An error occurred while executing the request, or the connection was aborted",
        "code": "408",
    }


def test_a_dropped_connection_is_a_408_io_error(server, http):
    outcome = run(server, http, Reply(drop=True))
    assert outcome.variables["error"]["code"] == "408"
    assert outcome.variables["error"]["message"] == "An error occurred while executing the request, or the connection was aborted"


def test_the_connection_pool_is_reused_across_jobs(server, http):
    for _ in range(3):
        run(server, http, Reply.json({}))
    # one HttpClient serves many jobs over one kept-alive TCP connection
    assert len(server.requests) == 3
    assert len({request.peer for request in server.requests}) == 1


def test_a_connection_closed_mid_body_is_a_408_io_error(http):
    # Apache reads the body inside the request execution: the premature end of a
    # Content-Length body is a ConnectionClosedException, an IOException
    payload = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"a\":"
    with RawServer(payload) as raw:
        outcome = run_task(rest_task({"method": "GET", "url": raw.url("/x")}, {"resultVariable": "r"}), http=http)
    assert isinstance(outcome, Failed) and outcome.retries == 2
    assert outcome.variables["error"] == {
        "type": "io.camunda.connector.api.error.ConnectorException",
        "message": "An error occurred while executing the request, or the connection was aborted",
        "code": "408",
    }


def test_a_malformed_response_is_a_500_protocol_error(http):
    with RawServer(b"garbage\r\n\r\n") as raw:
        outcome = run_task(rest_task({"method": "GET", "url": raw.url("/x")}), http=http)
    assert isinstance(outcome, Failed) and outcome.retries == 2
    assert outcome.variables["error"] == {
        "type": "io.camunda.connector.api.error.ConnectorException",
        "message": "An error with the HTTP protocol occurred",
        "code": "500",
    }


def test_a_redirect_loop_with_follow_redirects_is_a_500_protocol_error(server, http):
    server.responder = lambda request: Reply(302, b"", [("Location", "/loop")])
    outcome = run(server, http, Reply(302, b"", [("Location", "/loop")]), followRedirects="=true")
    assert isinstance(outcome, Failed) and outcome.retries == 2
    assert outcome.variables["error"]["code"] == "500"
    assert outcome.variables["error"]["message"] == "An error with the HTTP protocol occurred"
    # httpx gives up after 20 redirects (Apache stops at the first circular one)
    assert len(server.requests) == 21


def test_invalid_utf8_in_a_body_is_replaced_like_javas_decoder(server, http):
    body = result(run(server, http, Reply(200, b'{"a": "x\xff\xfey"}', [("Content-Type", "application/json")])))["body"]
    assert body == {"a": "x\ufffd\ufffdy"}
    text = result(run(server, http, Reply(200, b"caf\xe9")))["body"]
    assert text == "caf\ufffd"


def test_a_10_mb_json_response_reaches_the_result_expression(server, http):
    content = json.dumps({"items": ["x" * 1000] * 10_500}).encode()
    assert len(content) > 10_000_000
    server.reply(Reply(200, content, [("Content-Type", "application/json")]))
    task = rest_task({"method": "GET", "url": server.url("/big")}, {"resultExpression": "={n: count(body.items), first: string length(body.items[1])}"})
    assert run_task(task, http=http) == Completed({"n": 10_500, "first": 1000})


def test_a_timeout_of_0_waits_forever_like_apache():
    from generator.runtime.rest.http import _timeouts

    assert _timeouts(0, 0) == {"connect": None, "read": None, "write": None, "pool": None}
    assert _timeouts(5, 7) == {"connect": 5.0, "read": 7.0, "write": 7.0, "pool": None}
