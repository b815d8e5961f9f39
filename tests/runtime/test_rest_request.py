"""The HTTP request the REST connector sends, checked byte for byte on a real loopback server."""

from __future__ import annotations

import email.parser
import email.policy

import pytest

from generator.runtime import Completed, Failed, run_task

from .conftest import rest_task


def send(server, http, **inputs):
    outcome = run_task(rest_task(inputs, {"resultVariable": "r"}), http=http)
    assert isinstance(outcome, Completed), outcome
    return server.last


def user_headers(request):
    """The request's headers without those the HTTP layer adds (Host, Content-Length, client defaults)."""
    added = {"host", "content-length", "user-agent", "accept-encoding"}
    return [(name, value) for name, value in request.headers if name.lower() not in added]


def test_a_json_body_is_sent_compact_with_the_default_content_type(server, http):
    request = send(server, http, method="POST", url=server.url("/orders"), body='={id: 7, items: ["a", "b"], note: null}')
    assert request.method == "POST"
    assert request.body == b'{"id":7,"items":["a","b"],"note":null}'
    assert user_headers(request) == [("Content-Type", "application/json")]
    assert request.header("Content-Length") == str(len(request.body))


def test_ignore_null_values_drops_null_members_at_every_depth(server, http):
    request = send(
        server, http, method="PUT", url=server.url("/x"), ignoreNullValues="=true",
        body='={a: null, b: {c: null, d: 1}, e: [null, 2]}',
    )
    assert request.body == b'{"b":{"d":1},"e":[null,2]}'


def test_a_static_json_text_body_is_parsed_and_sent_as_json(server, http):
    # the relaxed deserializer parses a string that is JSON: a Text field typed without "="
    request = send(server, http, method="POST", url=server.url("/x"), body='{"a": 1,   "b": "two"}')
    assert request.body == b'{"a":1,"b":"two"}'
    assert request.header("Content-Type") == "application/json"


def test_a_plain_string_body_is_sent_verbatim_in_utf8(server, http):
    request = send(server, http, method="POST", url=server.url("/x"), body="héllo wörld")
    assert request.body == "héllo wörld".encode()
    # Camunda adds the default Content-Type whenever a body exists, a string body included
    assert request.header("Content-Type") == "application/json"


def test_a_string_body_uses_the_charset_of_the_given_content_type(server, http):
    request = send(
        server, http, method="POST", url=server.url("/x"), body="héllo",
        headers='={"Content-Type": "text/plain; charset=ISO-8859-1"}',
    )
    assert request.body == "héllo".encode("latin-1")
    assert request.header("Content-Type") == "text/plain; charset=ISO-8859-1"


def test_a_relaxed_feel_body_is_evaluated_with_an_empty_context(server, http):
    # the body arrives at the connector as the text "=..." (a string literal source), so the
    # connector evaluates it itself, without any process variable
    request = send(server, http, method="POST", url=server.url("/x"), body="={sum: 1 + 2, missing: processVar}")
    assert request.json() == {"sum": 3, "missing": None}


def test_form_urlencoded_bodies_use_java_string_values(server, http):
    request = send(
        server, http, method="POST", url=server.url("/form"),
        headers='={"Content-Type": "application/x-www-form-urlencoded"}',
        body='={name: "Ada Lovelace", "a&b": "x=y", n: 1.5, flag: true, list: [1, 2], none: null}',
    )
    assert request.header("Content-Type") == "application/x-www-form-urlencoded"
    assert request.body == b"name=Ada+Lovelace&a%26b=x%3Dy&n=1.5&flag=true&list=%5B1%2C+2%5D&none"


def test_multipart_bodies_get_a_boundary_and_one_part_per_entry(server, http):
    request = send(
        server, http, method="POST", url=server.url("/upload"),
        headers='={"Content-Type": "multipart/form-data"}',
        body='={title: "Report", count: 3, meta: {a: 1}}',
    )
    content_type = request.header("Content-Type")
    assert content_type.startswith("multipart/form-data; boundary=")
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + request.body
    )
    parts = [(part.get_param("name", header="content-disposition"), part.get_content()) for part in message.iter_parts()]
    assert parts == [("title", "Report"), ("count", "3"), ("meta", '{"a":1}')]


def test_a_multipart_content_type_with_a_boundary_is_kept(server, http):
    request = send(
        server, http, method="POST", url=server.url("/upload"),
        headers='={"Content-Type": "multipart/form-data; boundary=XyZ"}', body='={a: "1"}',
    )
    assert request.header("Content-Type") == "multipart/form-data; boundary=XyZ"
    assert request.body == (
        b'--XyZ\r\nContent-Disposition: form-data; name="a"\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n1\r\n--XyZ--\r\n'
    )


@pytest.mark.parametrize("method", ["GET", "DELETE"])
def test_get_and_delete_drop_the_body(server, http, method):
    request = send(server, http, method=method, url=server.url("/x"), body='={a: 1}')
    assert request.method == method
    assert request.body == b""
    assert request.header("Content-Type") is None
    assert request.header("Content-Length") is None


def test_a_post_without_body_sends_an_empty_entity_labelled_as_apache_does(server, http):
    request = send(server, http, method="POST", url=server.url("/x"))
    assert request.body == b""
    assert request.header("Content-Length") == "0"
    assert request.header("Content-Type") == "text/plain; charset=ISO-8859-1"


def test_method_names_are_case_insensitive(server, http):
    assert send(server, http, method="patch", url=server.url("/x"), body='={a: 1}').method == "PATCH"


def test_headers_are_sent_in_java_hashmap_order_with_values_as_text(server, http):
    request = send(
        server, http, method="GET", url=server.url("/x"),
        headers='={"X-Trace": "t-1", "Accept": "application/json", "X-Count": 5, "X-Empty": null}',
    )
    # java.util.HashMap iteration order of these four names, not insertion order
    assert user_headers(request) == [("X-Count", "5"), ("X-Trace", "t-1"), ("Accept", "application/json"), ("X-Empty", "")]


def test_a_null_content_type_is_removed_and_the_default_applies(server, http):
    request = send(
        server, http, method="POST", url=server.url("/x"), headers='={"Content-Type": null}', body='={a: 1}'
    )
    assert request.header_values("Content-Type") == ["application/json"]


def test_query_parameters_are_appended_as_text(server, http):
    request = send(
        server, http, method="GET", url=server.url("/search?fixed=1"),
        queryParameters='={q: "café au lait", page: 2, exact: true, empty: ""}',
    )
    assert request.target == "/search?fixed=1&q=caf%C3%A9%20au%20lait&page=2&exact=true&empty="


def test_the_url_is_re_encoded_by_default(server, http):
    request = send(server, http, method="GET", url=server.url("/a b/ä/already%20encoded?x=1 2&y=%41"))
    assert request.target == "/a%20b/%C3%A4/already%20encoded?x=1%202&y=A"


def test_skip_encoding_true_sends_the_url_as_written(server, http):
    request = send(server, http, method="GET", url=server.url("/a%2Fb?x=%41"), skipEncoding="true")
    assert request.target == "/a%2Fb?x=%41"


def test_skip_encoding_is_a_string_and_only_true_counts(server, http):
    request = send(server, http, method="GET", url=server.url("/a%2fb?x=%41"), skipEncoding="TRUE")
    assert request.target == "/a%2Fb?x=A"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://example.com/x", "jakarta.validation.ValidationException: Found constraints violated while validating input: \n - url: Must be a http(s) URL"),
        ("", "jakarta.validation.ValidationException: Found constraints violated while validating input: \n - url: must not be blank"),
        ("http:///no-host", "Invalid URL: The URL 'http:///no-host' cannot be parsed as a valid HTTP request. Please ensure the URL includes a valid hostname."),
        ("http://[::1", "Invalid URL: http://[::1"),
    ],
)
def test_invalid_urls_are_input_errors_without_retries(http, url, message):
    outcome = run_task(rest_task({"method": "GET", "url": url}), http=http)
    assert isinstance(outcome, Failed)
    assert outcome.retries == 0
    assert outcome.variables["error"]["message"] == message
    assert outcome.variables["error"]["type"] == "io.camunda.connector.api.error.ConnectorInputException"


def test_validation_reports_every_violation(http):
    outcome = run_task(rest_task({"url": "", "authentication.type": "bearer"}), http=http)
    assert outcome.variables["error"]["message"] == (
        "jakarta.validation.ValidationException: Found constraints violated while validating input: \n"
        " - authentication.token: must not be empty\n - method: must not be null\n - url: must not be blank"
    )


def test_an_unknown_method_is_a_binding_error(http):
    outcome = run_task(rest_task({"method": "TRACE", "url": "http://127.0.0.1:1/"}), http=http)
    assert isinstance(outcome, Failed) and outcome.retries == 0
    # JobHandlerContext.translateJsonException of Jackson's InvalidFormatException: the path's
    # field names, then the target type's simple name
    assert outcome.variables["error"]["message"] == "Json object contains an invalid field: method. It Must be `HttpMethod`"


def test_headers_must_be_a_map_of_strings(http):
    outcome = run_task(rest_task({"method": "GET", "url": "http://127.0.0.1:1/", "headers": '={a: {b: 1}}'}), http=http)
    assert outcome.variables["error"]["message"] == "Json object contains an invalid field: headers.a: expected a string, got an object"


def test_only_the_fetched_variables_reach_the_connector(server, http):
    # `body` exists as a process variable; the task maps no body, so the connector (which fetches
    # `body`) sends it, while `prompt` (not fetched) never influences the request
    outcome = run_task(
        rest_task({"method": "POST", "url": server.url("/x")}, {"resultVariable": "r"}),
        {"body": {"from": "process"}, "prompt": "ignored"}, http=http,
    )
    assert isinstance(outcome, Completed)
    assert server.last.json() == {"from": "process"}


def test_the_timeouts_default_to_20_seconds_and_read_follows_connect(http):
    from generator.runtime import dry_run

    default = dry_run(rest_task({"method": "GET", "url": "http://example.com/"}))
    assert default["timeouts"] == {"connectionTimeoutInSeconds": 20, "readTimeoutInSeconds": 20}
    connect_only = dry_run(rest_task({"method": "GET", "url": "http://example.com/", "connectionTimeoutInSeconds": "=45"}))
    assert connect_only["timeouts"] == {"connectionTimeoutInSeconds": 45, "readTimeoutInSeconds": 45}
    both = dry_run(rest_task({"method": "GET", "url": "http://example.com/", "connectionTimeoutInSeconds": "5", "readTimeoutInSeconds": "0"}))
    assert both["timeouts"] == {"connectionTimeoutInSeconds": 5, "readTimeoutInSeconds": 0}


@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        ({"connectionTimeoutInSeconds": "twenty"}, "Json object contains an invalid field: connectionTimeoutInSeconds. It Must be `Integer`"),
        ({"readTimeoutInSeconds": "99999999999999999999999"}, "Json object contains an invalid field: readTimeoutInSeconds. It Must be `Integer`"),
        ({"connectionTimeoutInSeconds": "=99999999999"}, "Numeric value (99999999999) out of range of int (-2147483648 - 2147483647)"),
        ({"readTimeoutInSeconds": "=2147483648"}, "Numeric value (2147483648) out of range of int (-2147483648 - 2147483647)"),
        ({"ignoreNullValues": "yes"}, "Json object contains an invalid field: ignoreNullValues. It Must be `boolean`"),
        ({"followRedirects": "=1.5"}, "Json object contains an invalid field: followRedirects. It Must be `boolean`"),
        ({"authentication.type": "digest"}, "Json object contains an invalid field: authentication"),
        ({"authentication.token": "t"}, "Json object contains an invalid field: authentication"),
        (
            {"authentication.type": "apiKey", "authentication.apiKeyLocation": "cookie", "authentication.name": "k", "authentication.value": "v"},
            "Json object contains an invalid field: authentication, apiKeyLocation. It Must be `ApiKeyLocation`",
        ),
    ],
)
def test_binding_failures_use_camundas_messages_and_are_not_retried(http, inputs, message):
    outcome = run_task(rest_task({"method": "GET", "url": "http://127.0.0.1:1/", **inputs}), http=http)
    assert isinstance(outcome, Failed) and outcome.retries == 0
    assert outcome.variables["error"] == {"type": "io.camunda.connector.api.error.ConnectorInputException", "message": message}


def test_the_largest_java_int_timeout_is_accepted(http):
    from generator.runtime import dry_run

    # (a number with a fraction is truncated, as Jackson binds it to an Integer)
    described = dry_run(rest_task({"method": "GET", "url": "http://example.com/", "connectionTimeoutInSeconds": "=2147483647", "readTimeoutInSeconds": "=1.9"}))
    assert described["timeouts"] == {"connectionTimeoutInSeconds": 2147483647, "readTimeoutInSeconds": 1}


def test_line_breaks_in_header_values_are_sent_as_spaces_like_apache(server, http):
    outcome = run_task(
        rest_task({"method": "GET", "url": server.url("/x"), "headers": "=h"}, {"resultVariable": "r"}),
        {"h": {"X-Folded": "a\r\nb\u000bc\u000cd\te"}}, http=http,
    )
    assert isinstance(outcome, Completed)
    assert server.last.header("X-Folded") == "a  b c d\te"


@pytest.mark.parametrize(("name", "shown"), [("X Y:", "b'X Y:'"), ("", "b''")])
def test_an_illegal_header_name_is_an_input_error_that_names_it(server, http, name, shown):
    outcome = run_task(rest_task({"method": "GET", "url": server.url("/x"), "headers": "=h"}), {"h": {name: "v"}}, http=http)
    assert isinstance(outcome, Failed) and outcome.retries == 0
    assert outcome.variables["error"] == {
        "type": "io.camunda.connector.api.error.ConnectorInputException",
        "message": f"The request cannot be sent: Illegal header name {shown}",
    }
    assert server.requests == []


@pytest.mark.parametrize("content", [b'{"a":1}', b"x", b"", None])
@pytest.mark.parametrize("method", ["POST", "PUT", "GET", "DELETE"])
@pytest.mark.parametrize("extra", [[], [(b"host", b"other.example")], [(b"Content-Length", b"1")], [(b"Transfer-Encoding", b"chunked")]])
def test_the_request_handed_to_httpx_is_the_one_httpx_builds(content, method, extra):
    import httpx

    from generator.runtime.rest.http import _httpx_request

    url = httpx.URL("http://127.0.0.1:8080/a?b=c")
    headers = [(b"Content-Type", b"application/json"), *extra, (b"User-Agent", b"etk-runtime")]
    built, reference = _httpx_request(method, url, headers, content), httpx.Request(method, url, headers=headers, content=content)
    assert (built.method, built.url, built.headers.raw, built.content, built.extensions) == (
        reference.method, reference.url, reference.headers.raw, reference.content, reference.extensions)
    assert list(built.stream) == list(reference.stream)
