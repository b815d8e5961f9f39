"""Success bodies: the documented example verbatim, spec conformance, choices, limits, versions, headers, ids."""

from __future__ import annotations

import httpx
import pytest

from generator.testing.azure_openai import DOCUMENTED_ANSWER, FakeAzureOpenAI
from tests.azure_example import DOCUMENTED_MESSAGES

from .conftest import CREATED, USER_HI, call
from .spec import load_spec, response_validator, schema_errors

SAFE = {category: {"filtered": False, "severity": "safe"} for category in ("hate", "self_harm", "sexual", "violence")}


@pytest.fixture(scope="module")
def spec(shared_dir):
    return load_spec(shared_dir)


def test_the_documented_example_answers_as_documented(client):
    response = call(client, "chat/completions", {"messages": DOCUMENTED_MESSAGES}, api_version="2024-02-01")
    assert response.status_code == 200
    assert response.json() == {
        "choices": [{
            "content_filter_results": SAFE,
            "finish_reason": "stop",
            "index": 0,
            "logprobs": None,
            "message": {"content": DOCUMENTED_ANSWER, "role": "assistant"},
        }],
        "created": CREATED,
        "id": "chatcmpl-OLYConqz8vn4STqcclL7Lpd25ztTR",
        "model": "gpt-35-turbo",
        "object": "chat.completion",
        "prompt_filter_results": [{"prompt_index": 0, "content_filter_results": SAFE}],
        "system_fingerprint": "fp_0ef268bbb6",
        "usage": {"completion_tokens": 43, "prompt_tokens": 24, "total_tokens": 67},
    }


@pytest.mark.parametrize(("api_version", "relax_refusal"), [
    ("2024-10-21", False), ("2024-08-01-preview", False), ("2024-06-01", True), ("2024-02-01", True),
])
@pytest.mark.parametrize("body", [
    USER_HI,
    {**USER_HI, "n": 3, "max_tokens": 2},
    {"messages": DOCUMENTED_MESSAGES, "data_sources": [{"type": "azure_search", "parameters": {
        "endpoint": "https://s.example", "index_name": "docs",
        "authentication": {"type": "system_assigned_managed_identity"}}}]},
])
def test_chat_responses_match_the_spec(client, spec, api_version, relax_refusal, body):
    response = call(client, "chat/completions", body, api_version=api_version)
    validator = response_validator(spec, "createChatCompletionResponse", relax_refusal=relax_refusal)
    assert schema_errors(validator, response.json()) == []


def test_refusal_is_required_by_the_2024_10_21_spec_and_sent(client, spec):
    body = call(client, "chat/completions", USER_HI, api_version="2024-10-21").json()
    assert body["choices"][0]["message"] == {"content": "This is a fake reply to: Hi", "refusal": None,
                                             "role": "assistant"}
    older = call(client, "chat/completions", USER_HI, api_version="2024-02-01").json()
    strict = response_validator(spec, "createChatCompletionResponse")
    assert schema_errors(strict, older) == ["choices/0/message: 'refusal' is a required property"]


@pytest.mark.parametrize("api_version", ["2024-10-21", "2024-02-01", "2023-05-15"])
@pytest.mark.parametrize("body", [
    {"prompt": "tell me a joke about mango"},
    {"prompt": ["one", "two"], "n": 2, "echo": True},
])
def test_completion_responses_match_the_spec(client, spec, api_version, body):
    response = call(client, "completions", body, api_version=api_version)
    assert schema_errors(response_validator(spec, "createCompletionResponse"), response.json()) == []


def test_n_choices_and_usage(client):
    body = call(client, "chat/completions", {**USER_HI, "n": 3}).json()
    assert [choice["index"] for choice in body["choices"]] == [0, 1, 2]
    assert {choice["message"]["content"] for choice in body["choices"]} == {"This is a fake reply to: Hi"}
    assert body["usage"] == {"completion_tokens": 24, "prompt_tokens": 8, "total_tokens": 32}


def test_max_tokens_cuts_the_reply_with_finish_reason_length(client):
    body = call(client, "chat/completions", {**USER_HI, "max_tokens": 4}).json()
    assert body["choices"][0]["message"]["content"] == "This is a fake"
    assert body["choices"][0]["finish_reason"] == "length"
    assert body["usage"]["completion_tokens"] == 4


def test_max_completion_tokens_wins_over_max_tokens(client):
    body = call(client, "chat/completions", {**USER_HI, "max_tokens": 100, "max_completion_tokens": 2}).json()
    assert body["choices"][0]["message"]["content"] == "This is"


def test_chat_log_probabilities_when_asked_for(client, spec):
    body = call(client, "chat/completions", {**USER_HI, "max_tokens": 2, "logprobs": True, "top_logprobs": 2}).json()
    assert body["choices"][0]["logprobs"] == {
        "content": [
            {"token": "This", "logprob": -0.01, "bytes": [84, 104, 105, 115], "top_logprobs": [
                {"token": "This", "logprob": -0.01, "bytes": [84, 104, 105, 115]},
                {"token": " the", "logprob": -2.01, "bytes": [32, 116, 104, 101]}]},
            {"token": " is", "logprob": -0.02, "bytes": [32, 105, 115], "top_logprobs": [
                {"token": " is", "logprob": -0.02, "bytes": [32, 105, 115]},
                {"token": " the", "logprob": -2.02, "bytes": [32, 116, 104, 101]}]},
        ],
        "refusal": None,
    }
    assert schema_errors(response_validator(spec, "createChatCompletionResponse"), body) == []
    without_top = call(client, "chat/completions", {**USER_HI, "max_tokens": 1, "logprobs": True}).json()
    assert without_top["choices"][0]["logprobs"]["content"][0]["top_logprobs"] == []
    older = call(client, "chat/completions", {**USER_HI, "max_tokens": 1, "logprobs": True}, api_version="2024-06-01")
    assert list(older.json()["choices"][0]["logprobs"]) == ["content"]  # `refusal` came with 2024-08-01-preview
    not_asked = call(client, "chat/completions", {**USER_HI, "logprobs": False}).json()
    assert not_asked["choices"][0]["logprobs"] is None


def test_completion_log_probabilities_cover_the_generated_text(client, spec):
    body = call(client, "completions", {"prompt": "Hi", "max_tokens": 3, "logprobs": 2, "echo": True}).json()
    choice = body["choices"][0]
    assert choice["text"] == "HiThis is a"
    assert choice["logprobs"] == {
        "tokens": ["This", " is", " a"],
        "token_logprobs": [-0.01, -0.02, -0.03],
        "top_logprobs": [{"This": -0.01, " the": -2.01}, {" is": -0.02, " the": -2.02}, {" a": -0.03, " the": -2.03}],
        "text_offset": [2, 6, 9],
    }
    assert schema_errors(response_validator(spec, "createCompletionResponse"), body) == []
    sampled_only = call(client, "completions", {"prompt": "Hi", "max_tokens": 1, "logprobs": 0}).json()
    assert sampled_only["choices"][0]["logprobs"]["top_logprobs"] == [{"This": -0.01}]


def test_completions_default_to_16_tokens(fake, client):
    fake.reply_with("one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
                    "sixteen seventeen")
    choice = call(client, "completions", {"prompt": "Count"}).json()["choices"][0]
    assert choice["text"].endswith("sixteen")
    assert choice["finish_reason"] == "length"


def test_stop_sequences_cut_the_reply(client):
    choice = call(client, "chat/completions", {**USER_HI, "stop": ["reply", "zzz"]}).json()["choices"][0]
    assert (choice["message"]["content"], choice["finish_reason"]) == ("This is a fake ", "stop")


def test_echo_and_several_prompts(client):
    body = call(client, "completions", {"prompt": ["Hi", "Yo"], "echo": True}).json()
    assert [choice["text"] for choice in body["choices"]] == ["HiThis is a fake reply to: Hi",
                                                               "YoThis is a fake reply to: Yo"]
    assert [entry["prompt_index"] for entry in body["prompt_filter_results"]] == [0, 1]
    assert body["usage"] == {"completion_tokens": 16, "prompt_tokens": 2, "total_tokens": 18}


@pytest.mark.parametrize(("api_version", "keys", "choice_keys", "message_keys"), [
    ("2023-05-15", ["choices", "created", "id", "model", "object", "usage"],
     ["finish_reason", "index", "message"], ["content", "role"]),
    ("2023-07-01-preview", ["choices", "created", "id", "model", "object", "prompt_annotations", "usage"],
     ["content_filter_results", "finish_reason", "index", "message"], ["content", "role"]),
    ("2024-02-01", ["choices", "created", "id", "model", "object", "prompt_filter_results", "system_fingerprint",
                    "usage"],
     ["content_filter_results", "finish_reason", "index", "logprobs", "message"], ["content", "role"]),
    ("2024-10-21", ["choices", "created", "id", "model", "object", "prompt_filter_results", "system_fingerprint",
                    "usage"],
     ["content_filter_results", "finish_reason", "index", "logprobs", "message"], ["content", "refusal", "role"]),
])
def test_response_fields_follow_the_api_version(client, api_version, keys, choice_keys, message_keys):
    body = call(client, "chat/completions", USER_HI, api_version=api_version).json()
    assert list(body) == keys
    assert list(body["choices"][0]) == choice_keys
    assert list(body["choices"][0]["message"]) == message_keys


def test_model_is_the_deployments_model(client):
    assert call(client, "chat/completions", USER_HI, deployment="gpt4o").json()["model"] == "gpt-4o"


def test_ids_are_deterministic_per_request_number(fake, client):
    first = [call(client, operation, body).json()["id"]
             for operation, body in [("chat/completions", USER_HI), ("completions", {"prompt": "x"})]]
    assert first[0].startswith("chatcmpl-") and len(first[0]) == len("chatcmpl-") + 29
    assert first[1].startswith("cmpl-")
    fake.reset()
    again = [call(client, operation, body).json()["id"]
             for operation, body in [("chat/completions", USER_HI), ("completions", {"prompt": "x"})]]
    assert again == first


def test_quota_headers_count_down_per_deployment_and_clock_minute():
    now = [60.0 * 1000]
    with FakeAzureOpenAI(clock=lambda: now[0], tokens_per_minute=1000, requests_per_minute=3) as fake, \
            httpx.Client(base_url=fake.url) as http:
        def remaining():
            response = call(http, "chat/completions", USER_HI)
            headers = response.headers
            return headers["x-ratelimit-remaining-requests"], headers["x-ratelimit-remaining-tokens"]

        assert [remaining() for _ in range(4)] == [("2", "984"), ("1", "968"), ("0", "952"), ("0", "936")]
        now[0] += 60
        assert remaining() == ("2", "984")
