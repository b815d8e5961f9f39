"""The fake of any OpenAPI-described API: request validation, answers from the spec, seeds, scripting."""

from __future__ import annotations

import json
import time
from pathlib import Path

import httpx
import pytest

from generator.testing.openapi import FakeOpenAPIService

from .spec import load_spec, response_validator, schema_errors

SPECS = Path(__file__).parent.parent / "openapi" / "specs"
TODO = SPECS / "todo.yaml"
SHOP = SPECS / "shop.json"
NOTES = SPECS / "notes.yaml"
AZURE = Path("upstream/azure-openai/2024-10-21/inference.json")
CHAT = "/openai/deployments/mydeployment/chat/completions"
KEY = {"X-Api-Key": "key-1"}


@pytest.fixture
def todo():
    with FakeOpenAPIService(TODO, api_keys=["key-1"]) as fake:
        yield fake


def test_a_body_that_breaks_the_schema_gets_400_naming_each_violation(todo: FakeOpenAPIService) -> None:
    response = httpx.post(f"{todo.url}/api/v1/items", headers=KEY, json={"title": "", "priority": 9})
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json() == {
        "type": "about:blank",
        "title": "Bad Request",
        "status": 400,
        "detail": "POST /api/v1/items does not match the API description: body/title: '' should be non-empty; "
                  "body/priority: 9 is greater than the maximum of 5",
        "violations": [
            {"where": "body/title", "message": "'' should be non-empty"},
            {"where": "body/priority", "message": "9 is greater than the maximum of 5"},
        ],
    }


@pytest.mark.parametrize(("method", "path", "params", "status", "violation"), [
    ("GET", "/api/v1/items/0", {}, 400, "path/itemId: 0 is less than the minimum of 1"),
    ("GET", "/api/v1/items", {"limit": "500"}, 400, "query/limit: 500 is greater than the maximum of 100"),
    ("GET", "/api/v1/items", {"status": "lost"}, 400, "query/status: 'lost' is not one of ['open', 'done']"),
    ("GET", "/api/v1/nothing", {}, 404, "path: no path of the API description matches /api/v1/nothing"),
    ("PUT", "/api/v1/items", {}, 405, "method: PUT is not an operation of this path (allowed: GET, POST)"),
])
def test_parameters_paths_and_methods_are_checked(todo: FakeOpenAPIService, method: str, path: str,
                                                   params: dict[str, str], status: int, violation: str) -> None:
    response = httpx.request(method, f"{todo.url}{path}", params=params, headers=KEY)
    assert response.status_code == status
    assert [f"{item['where']}: {item['message']}" for item in response.json()["violations"]] == [violation]


def test_a_missing_body_and_a_wrong_content_type_are_refused(todo: FakeOpenAPIService) -> None:
    missing = httpx.post(f"{todo.url}/api/v1/items", headers=KEY)
    assert (missing.status_code, missing.json()["violations"]) == (
        400, [{"where": "body", "message": "the request body is required"}])
    text = httpx.post(f"{todo.url}/api/v1/items", headers={**KEY, "Content-Type": "text/plain"}, content=b"hi")
    assert text.status_code == 415
    assert text.json()["violations"][0]["where"] == "body"


def test_credentials_are_checked_against_the_security_schemes(todo: FakeOpenAPIService) -> None:
    url = f"{todo.url}/api/v1/items"
    assert httpx.get(url, headers={"X-Api-Key": "key-1"}).status_code == 200
    assert httpx.get(url, headers={"Authorization": "Bearer key-1"}).status_code == 200
    wrong = httpx.get(url, headers={"X-Api-Key": "nope"})
    assert wrong.status_code == 401
    assert wrong.json()["violations"] == [{
        "where": "security",
        "message": "apiKey: invalid API key in header X-Api-Key or bearer: missing Authorization: Bearer token",
    }]
    assert "key-1" not in wrong.text
    assert httpx.get(url).status_code == 401


def test_a_valid_request_gets_the_spec_example_when_it_fits(todo: FakeOpenAPIService) -> None:
    response = httpx.post(f"{todo.url}/api/v1/items", headers=KEY, json={"title": "Buy milk"})
    assert response.status_code == 201
    assert response.json() == {"id": 7, "title": "Buy milk", "priority": 2, "kind": "errand"}
    assert response.headers["location"].startswith("https://")
    assert todo.last_request.json == {"title": "Buy milk"}
    assert httpx.delete(f"{todo.url}/api/v1/items/3", headers=KEY).status_code == 204


def test_generated_answers_fit_the_schema_and_depend_only_on_the_seed_and_request(shared_dir: Path) -> None:
    spec = load_spec(shared_dir)
    validator = response_validator(spec, "createChatCompletionResponse")
    body = {"messages": [{"role": "user", "content": "What is the age of the Universe?"}]}

    def ask(seed: int, question: dict) -> dict:
        with FakeOpenAPIService(shared_dir / AZURE, seed=seed) as fake:
            response = httpx.post(f"{fake.url}{CHAT}", params={"api-version": "2024-10-21"},
                                  headers={"api-key": "any"}, json=question)
            assert response.status_code == 200, response.text
            return response.json()

    first = ask(1, body)
    # The spec's own chat example lacks required members (NOTE.md defect 2): the answer is generated.
    assert schema_errors(validator, first) == []
    assert ask(1, body) == first
    assert ask(2, body) != first
    other = {"messages": [{"role": "user", "content": "And its size?"}]}
    assert schema_errors(validator, ask(1, other)) == []
    assert ask(1, other) != first


def test_swagger_2_and_openapi_3_1_descriptions_are_served() -> None:
    with FakeOpenAPIService(SHOP, api_keys=["k"]) as shop:
        placed = httpx.post(f"{shop.url}/v2/orders", params={"key": "k"}, json={"sku": "A-1", "quantity": 2})
        assert (placed.status_code, placed.json()) == (201, {"id": "o-1", "sku": "A-100", "quantity": 2})
        refused = httpx.post(f"{shop.url}/v2/orders", auth=("me", "k"), json={"sku": "A-1", "quantity": 0})
        assert refused.json()["violations"] == [{"where": "body/quantity",
                                                 "message": "0 is less than the minimum of 1"}]
        noted = httpx.post(f"{shop.url}/v2/orders/o-1/notes", auth=("me", "k"), data={"text": "gift"})
        assert noted.status_code == 200
    with FakeOpenAPIService(NOTES) as notes:
        written = httpx.post(f"{notes.url}/v3/notes", headers={"Authorization": "Bearer t"},
                             json={"text": "milk", "color": None})
        assert written.status_code == 200
        assert set(written.json()) >= {"id", "text"}
        wrong = httpx.post(f"{notes.url}/v3/notes", headers={"Authorization": "Bearer t"},
                           json={"text": "milk", "kind": "memo", "weight": 0})
        assert [item["where"] for item in wrong.json()["violations"]] == ["body/kind", "body/weight"]


def test_scripted_replies_faults_and_delays(todo: FakeOpenAPIService) -> None:
    url = f"{todo.url}/api/v1/items"
    todo.fail_next(429, retry_after=2)
    todo.reply(200, [{"id": 1, "title": "scripted"}], operation="listItems")
    todo.reply(503, {"error": "down"}, operation="createItem")
    limited = httpx.get(url, headers=KEY)
    assert (limited.status_code, limited.headers["retry-after"]) == (429, "2")
    assert limited.json()["detail"] == "scripted failure: Too Many Requests"
    assert httpx.get(url, headers=KEY).json() == [{"id": 1, "title": "scripted"}]
    assert httpx.post(url, headers=KEY, json={"title": "x"}).status_code == 503
    # an invalid request is refused before any script is used
    todo.fail_next(500)
    assert httpx.get(f"{url}/0", headers=KEY).status_code == 400
    assert httpx.get(url, headers=KEY).status_code == 500
    todo.delay_next(0.3)
    started = time.monotonic()
    assert httpx.get(url, headers=KEY).status_code == 200
    assert time.monotonic() - started >= 0.3
    assert len(todo.requests) == 6
    todo.reset()
    assert todo.requests == []


def test_the_pytest_fixture_starts_and_stops_fakes(openapi_fake) -> None:
    fake = openapi_fake(TODO, api_keys=["k"], seed=5)
    response = httpx.get(f"{fake.url}/api/v1/items", headers={"X-Api-Key": "k"})
    assert response.status_code == 200
    assert isinstance(json.loads(response.text), list)
