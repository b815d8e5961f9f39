"""What tests script: replies, failures (429, 500, ...), prompt and output content filtering; the request record."""

from __future__ import annotations

import pytest

from generator.testing.azure_openai import FakeAzureOpenAI, Reply
from generator.testing.azure_openai.answers import CONTENT_FILTER_MESSAGE

from .conftest import USER_HI, call
from .spec import load_spec, response_validator, schema_errors


def content(response) -> str:
    return response.json()["choices"][0]["message"]["content"]


def test_scripted_replies_are_used_in_order_then_the_default_returns(fake, client):
    fake.reply_with("first", Reply("second", finish_reason="length", completion_tokens=99))
    one, two, three = (call(client, "chat/completions", USER_HI) for _ in range(3))
    assert content(one) == "first"
    assert (content(two), two.json()["choices"][0]["finish_reason"]) == ("second", "length")
    assert two.json()["usage"]["completion_tokens"] == 99
    assert content(three) == "This is a fake reply to: Hi"


def test_a_scripted_reply_serves_completions_too(fake, client):
    fake.reply_with("Once upon a time")
    assert call(client, "completions", {"prompt": "Tell"}).json()["choices"][0]["text"] == "Once upon a time"


def test_fail_next_429_with_retry_headers_then_recover(fake, client):
    fake.fail_next(status=429, count=2, retry_after=3)
    first, second, third = (call(client, "chat/completions", USER_HI, api_version="2024-02-01") for _ in range(3))
    for response in (first, second):
        assert response.status_code == 429
        assert response.headers["retry-after"] == "3"
        assert response.headers["retry-after-ms"] == "3000"
        assert response.json() == {"error": {"code": "429", "message": (
            "Requests to the ChatCompletions_Create Operation under Azure OpenAI API version 2024-02-01 have "
            "exceeded token rate limit of your current OpenAI S0 pricing tier. Please retry after 3 seconds. "
            "Please go here: https://aka.ms/oai/quotaincrease if you would like to further increase the default "
            "rate limit.")}}
    assert third.status_code == 200


def test_429_names_the_operation_and_says_one_second(fake, client):
    fake.fail_next(429)
    message = call(client, "completions", {"prompt": "x"}).json()["error"]["message"]
    assert message.startswith("Requests to the Completions_Create Operation under Azure OpenAI API version 2024-10-21")
    assert "Please retry after 1 second." in message


def test_fail_next_500_names_the_request_id(fake, client):
    fake.fail_next(500)
    response = call(client, "chat/completions", USER_HI)
    request_id = response.headers["apim-request-id"]
    assert response.status_code == 500
    assert response.json() == {"error": {"message": (
        "The server had an error while processing your request. Sorry about that! You can retry your request, or "
        "contact us through an Azure support request at: https://go.microsoft.com/fwlink/?linkid=2213926 if the "
        f"error persists. (Please include the request ID {request_id} in your message.)"),
        "type": "server_error", "param": None, "code": None}}


@pytest.mark.parametrize(("status", "body"), [
    (401, {"error": {"code": "401", "message": (
        "Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for "
        "an active subscription and use a correct regional API endpoint for your resource.")}}),
    (404, {"error": {"code": "DeploymentNotFound", "message": (
        "The API deployment for this resource does not exist. If you created the deployment within the last 5 "
        "minutes, please wait a moment and try again.")}}),
    (503, {"error": {"code": "503", "message": "Service Unavailable"}}),
])
def test_fail_next_other_statuses(fake, client, status, body):
    fake.fail_next(status)
    response = call(client, "chat/completions", USER_HI)
    assert (response.status_code, response.json()) == (status, body)


def test_fail_next_with_a_verbatim_body(fake, client):
    fake.fail_next(408, body=b'{"error":{"code":"Timeout","message":"The operation was timeout."}}')
    response = call(client, "chat/completions", USER_HI)
    assert (response.status_code, response.content) == (
        408, b'{"error":{"code":"Timeout","message":"The operation was timeout."}}')


def test_failures_apply_only_to_calls_that_reach_a_deployment(fake, client):
    fake.fail_next(500)
    assert call(client, "chat/completions", USER_HI, headers={}).status_code == 401
    assert call(client, "chat/completions", USER_HI, deployment="nope").status_code == 404
    assert call(client, "chat/completions", USER_HI).status_code == 500
    assert call(client, "chat/completions", USER_HI).status_code == 200


@pytest.mark.parametrize(("arguments", "message"), [
    ({"status": 200}, "status must be an HTTP error status"),
    ({"count": 0}, "count must be at least 1"),
])
def test_fail_next_rejects_nonsense(fake, arguments, message):
    with pytest.raises(ValueError, match=message):
        fake.fail_next(**arguments)


def test_blocked_words_trip_the_prompt_filter_with_the_wire_shape(fake, client):
    fake.block_words("Forbidden", category="hate", severity="high")
    messages = [{"role": "system", "content": "this is forbidden"}, {"role": "user", "content": "Hi"}]
    response = call(client, "chat/completions", {"messages": messages})
    assert response.status_code == 400
    assert response.json() == {"error": {
        "message": CONTENT_FILTER_MESSAGE,
        "type": None,
        "param": "prompt",
        "code": "content_filter",
        "status": 400,
        "innererror": {"code": "ResponsibleAIPolicyViolation", "content_filter_result": {
            "hate": {"filtered": True, "severity": "high"},
            "self_harm": {"filtered": False, "severity": "safe"},
            "sexual": {"filtered": False, "severity": "safe"},
            "violence": {"filtered": False, "severity": "safe"},
        }},
    }}
    assert "inner_error" not in response.json()["error"]  # the spec's name; the service sends `innererror`


def test_blocked_words_apply_to_completion_prompts_and_text_parts(fake, client):
    fake.block_words("knife")
    assert call(client, "completions", {"prompt": ["fine", "a KNIFE"]}).status_code == 400
    parts = {"messages": [{"role": "user", "content": [{"type": "text", "text": "knife"}]}]}
    blocked = call(client, "chat/completions", parts)
    assert blocked.json()["error"]["innererror"]["content_filter_result"]["violence"] == {
        "filtered": True, "severity": "medium"}
    assert call(client, "chat/completions", USER_HI).status_code == 200


def test_output_filtered_at_generation_is_200_with_finish_reason_content_filter(fake, client, shared_dir):
    fake.reply_with(Reply(None, filtered="violence"))
    body = call(client, "chat/completions", USER_HI).json()
    choice = body["choices"][0]
    assert choice["finish_reason"] == "content_filter"
    assert choice["message"] == {"content": None, "refusal": None, "role": "assistant"}
    assert choice["content_filter_results"]["violence"] == {"filtered": True, "severity": "high"}
    assert body["prompt_filter_results"][0]["content_filter_results"]["violence"]["filtered"] is False
    validator = response_validator(load_spec(shared_dir), "createChatCompletionResponse")
    assert schema_errors(validator, body) == []


def test_reply_rejects_nonsense():
    with pytest.raises(ValueError, match="filtered must be one of"):
        Reply("x", filtered="rudeness")
    with pytest.raises(ValueError, match="needs content unless"):
        Reply(None)


def test_every_request_is_recorded_exactly(fake, client):
    call(client, "chat/completions", USER_HI, headers={"api-key": "wrong", "X-Custom": "1"})
    client.post("/openai/deployments/mydeployment/completions?api-version=2024-10-21&b=2&b=3",
                headers={"api-key": "test-api-key"}, content=b'{"prompt": "x"}')
    first, second = fake.requests
    assert (first.method, first.path, first.query, first.query_string) == (
        "POST", "/openai/deployments/mydeployment/chat/completions", {"api-version": "2024-10-21"},
        "api-version=2024-10-21")
    assert first.headers["api-key"] == "wrong"
    assert first.headers["x-custom"] == "1"
    assert first.json == USER_HI
    assert second.query == {"api-version": "2024-10-21", "b": "2"}
    assert second.query_string == "api-version=2024-10-21&b=2&b=3"
    assert (second.body, second.json) == (b'{"prompt": "x"}', {"prompt": "x"})
    assert fake.last_request == second


def test_reset_forgets_requests_and_scripts(fake, client):
    fake.reply_with("scripted")
    fake.fail_next(500)
    fake.block_words("Hi")
    call(client, "chat/completions", USER_HI)
    fake.reset()
    assert fake.requests == []
    with pytest.raises(LookupError, match="no request yet"):
        _ = fake.last_request
    assert content(call(client, "chat/completions", USER_HI)) == "This is a fake reply to: Hi"


def test_requests_stay_readable_after_stop():
    with FakeAzureOpenAI() as fake:
        import httpx

        httpx.post(f"{fake.url}/nowhere")
    assert [request.path for request in fake.requests] == ["/nowhere"]
