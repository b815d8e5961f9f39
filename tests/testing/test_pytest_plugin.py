"""The `etk` pytest plugin, loaded from the installed package's pytest11 entry point in a separate pytest run."""

from __future__ import annotations

pytest_plugins = ["pytester"]

USER_TEST = '''
import httpx

def test_http(azure_openai):
    response = httpx.post(
        f"{azure_openai.url}/openai/deployments/mydeployment/chat/completions",
        params={"api-version": "2024-02-01"}, headers={"api-key": "test-api-key"},
        json={"messages": [{"role": "user", "content": "What is the age of the Universe?"}]})
    assert response.status_code == 200
    assert response.json()["usage"]["completion_tokens"] == 43
    assert azure_openai.requests[0].json["messages"][0]["role"] == "user"

def test_fresh_per_test(azure_openai):
    assert azure_openai.requests == []

def test_https(azure_openai_tls):
    assert azure_openai_tls.url.startswith("https://127.0.0.1:")
    azure_openai_tls.reply_with("scripted")
    response = httpx.post(
        f"{azure_openai_tls.url}/openai/deployments/mydeployment/completions",
        params={"api-version": "2024-10-21"}, headers={"api-key": "test-api-key"}, json={"prompt": "x"},
        verify=azure_openai_tls.ssl_context())
    assert response.json()["choices"][0]["text"] == "scripted"
'''


def test_fixtures_work_in_a_users_test_run(pytester):
    pytester.makepyfile(test_user=USER_TEST)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=3)


def test_the_plugin_is_registered_and_documents_its_fixtures(pytester):
    result = pytester.runpytest_subprocess("--fixtures", "-p", "no:cacheprovider")
    result.stdout.fnmatch_lines([
        "*fixtures defined from generator.testing.pytest_plugin*",
        "azure_openai*",
        "*A running fake Azure OpenAI service over HTTP*",
        "azure_openai_tls*",
        "*A running fake Azure OpenAI service over HTTPS*",
    ])
