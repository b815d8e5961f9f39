"""The async API runs the same job steps as the sync one: every case below runs through
`run_task` / `run_until_done` with an `HttpClient` and through their async twins with an
`AsyncHttpClient`, against the same loopback servers, and must give the same outcome after the
same requests (method, target, headers and body bytes as received). Then what only concurrency
can show: jobs in flight at once never see each other's cookies, secrets or results, a batch
keeps its concurrency limit, and a cancelled job leaves the client usable."""

from __future__ import annotations

import asyncio
import gzip
import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from generator.runtime import (
    AsyncHttpClient,
    Completed,
    Failed,
    HttpClient,
    ManualClock,
    RuntimeUsageError,
    TransferLimits,
    run_task,
    run_task_async,
    run_tasks_async,
    run_until_done,
    run_until_done_async,
)
from generator.task import AppliedTask

from .conftest import rest_task
from .loopback import LoopbackServer, RecordedRequest, Reply, unused_port

SECRETS = {"KEY": "k3y-8d7c6b", "USER": "ada", "PASSWORD": "pä:ss", "CLIENT_SECRET": "cs-5e4f3a", "TOKEN": "t0k-1a2b3c"}


@dataclass
class Case:
    task: AppliedTask
    replies: list[Reply] = field(default_factory=list)
    token_replies: list[Reply] = field(default_factory=list)
    variables: dict[str, Any] = field(default_factory=dict)
    until_done: bool = False
    limits: TransferLimits = field(default_factory=TransferLimits)


def post_json(server: LoopbackServer, _: LoopbackServer) -> Case:
    return Case(rest_task({
        "method": "POST", "url": server.url("/orders/{{secrets.KEY}}"), "body": '={id: order, note: null, tags: ["a", "ü"]}',
        "headers": '={"X-Trace": "t-" + string(order)}', "authentication.type": "apiKey",
        "authentication.apiKeyLocation": "headers", "authentication.name": "x-api-key", "authentication.value": "{{secrets.KEY}}",
    }, {"resultExpression": "={id: response.body.id, status: status}"}), [Reply.json({"id": 42}, status=201)], variables={"order": 7})


def query_key(server: LoopbackServer, _: LoopbackServer) -> Case:
    return Case(rest_task({
        "method": "GET", "url": server.url("/search?q=a b&x=%20"), "queryParameters": '={"page": "2", "empty": null}',
        "authentication.type": "apiKey", "authentication.apiKeyLocation": "query", "authentication.name": "key",
        "authentication.value": "{{secrets.KEY}}",
    }, {"resultVariable": "r"}), [Reply(200, b"plain text")])


def basic(server: LoopbackServer, _: LoopbackServer) -> Case:
    return Case(rest_task({
        "method": "PUT", "url": server.url("/x"), "body": "plain body", "headers": '={"Content-Type": "text/plain; charset=ISO-8859-1"}',
        "authentication.type": "basic", "authentication.username": "{{secrets.USER}}", "authentication.password": "{{secrets.PASSWORD}}",
    }, {"resultVariable": "r"}), [Reply(204)])


def oauth(server: LoopbackServer, token_server: LoopbackServer) -> Case:
    inputs = {
        "method": "DELETE", "url": server.url("/items/1"), "authentication.type": "oauth-client-credentials-flow",
        "authentication.oauthTokenEndpoint": token_server.url("/token"), "authentication.clientId": "etk",
        "authentication.clientSecret": "{{secrets.CLIENT_SECRET}}", "authentication.audience": "api",
        "authentication.clientAuthentication": "basicAuthHeader", "authentication.scopes": "read write",
    }
    return Case(rest_task(inputs, {"resultVariable": "r"}), [Reply.json({"deleted": True})],
                [Reply.json({"access_token": "at-9", "expires_in": 3600})])


def oauth_failure(server: LoopbackServer, token_server: LoopbackServer) -> Case:
    case = oauth(server, token_server)
    case.replies, case.token_replies = [], [Reply(401, b'{"error": "invalid_client cs-5e4f3a"}', reason="Unauthorized")]
    return case


def error_expression(server: LoopbackServer, _: LoopbackServer) -> Case:
    return Case(rest_task({"method": "GET", "url": server.url("/missing")}, {
        "errorExpression": '=if error.code = "404" then bpmnError("NOT_FOUND", error.message, {body: error.variables.response.body}) '
                           "else null"}), [Reply(404, b'{"detail": "no k3y-8d7c6b here"}', [("Content-Type", "application/json")])])


def retried(server: LoopbackServer, _: LoopbackServer) -> Case:
    return Case(rest_task({"method": "GET", "url": server.url("/flaky")}, {"resultVariable": "r", "retryBackoff": "PT30S"}),
                [Reply(429, b"slow down"), Reply(503, b"", reason="Busy"), Reply.json({"ok": 1})], until_done=True)


def incident(server: LoopbackServer, _: LoopbackServer) -> Case:
    return Case(rest_task({"method": "GET", "url": server.url("/down")}, {"retryBackoff": "PT1S"}, retries="2"),
                [Reply(500, b"x"), Reply(500, b"y")], until_done=True)


def redirects(server: LoopbackServer, _: LoopbackServer) -> Case:
    return Case(rest_task({"method": "GET", "url": server.url("/start"), "followRedirects": "=true"}, {"resultVariable": "r"}),
                [Reply(302, b"", [("Location", "/next"), ("Set-Cookie", "s=1; Path=/")]), Reply.json({"done": True})])


def redirect_kept(server: LoopbackServer, _: LoopbackServer) -> Case:
    return Case(rest_task({"method": "GET", "url": server.url("/start")}, {"resultVariable": "r"}),
                [Reply(301, b"moved", [("Location", "/next")])])


def gzip_body(server: LoopbackServer, _: LoopbackServer) -> Case:
    body = gzip.compress(json.dumps({"big": "z" * 5000}).encode())
    return Case(rest_task({"method": "GET", "url": server.url("/z")}, {"resultVariable": "r"}),
                [Reply(200, body, [("Content-Encoding", "gzip"), ("Content-Type", "application/json")])])


def too_large(server: LoopbackServer, _: LoopbackServer) -> Case:
    return Case(rest_task({"method": "GET", "url": server.url("/big")}, {"resultVariable": "r"}), [Reply(200, b"x" * 5000)],
                limits=TransferLimits(max_response_bytes=1000))


def refused(_: LoopbackServer, __: LoopbackServer) -> Case:
    return Case(rest_task({"method": "GET", "url": f"http://127.0.0.1:{unused_port()}/x"}, {"resultVariable": "r"}))


def bad_header(server: LoopbackServer, _: LoopbackServer) -> Case:
    return Case(rest_task({"method": "GET", "url": server.url("/x"), "headers": '={"Bad Name": "{{secrets.KEY}}"}'}))


def missing_secret(server: LoopbackServer, _: LoopbackServer) -> Case:
    return Case(rest_task({"method": "GET", "url": server.url("/x"), "headers": '={"X-Key": "{{secrets.NOPE}}"}'}))


CASES = [post_json, query_key, basic, oauth, oauth_failure, error_expression, retried, incident, redirects, redirect_kept,
         gzip_body, too_large, refused, bad_header, missing_secret]


def received(requests: list[RecordedRequest]) -> list[tuple[str, str, tuple[tuple[str, str], ...], bytes]]:
    return [(request.method, request.target, request.headers, request.body) for request in requests]


@pytest.mark.parametrize("scenario", CASES, ids=[case.__name__ for case in CASES])
def test_the_async_api_gives_the_same_outcome_after_the_same_requests(server, token_server, scenario):
    case = scenario(server, token_server)
    outcomes, requests, token_requests, sleeps = [], [], [], []
    for driver in ("sync", "async"):
        server.requests.clear()
        token_server.requests.clear()
        server.reply(*case.replies)
        token_server.reply(*case.token_replies)
        clock = ManualClock()
        if driver == "sync":
            with HttpClient(limits=case.limits) as http:
                if case.until_done:
                    outcome = run_until_done(case.task, case.variables, secrets=SECRETS, http=http, clock=clock).outcomes
                else:
                    outcome = run_task(case.task, case.variables, secrets=SECRETS, http=http, clock=clock)
        else:
            async def run_async(clock: ManualClock = clock) -> Any:
                async with AsyncHttpClient(limits=case.limits) as http:
                    if case.until_done:
                        return (await run_until_done_async(case.task, case.variables, secrets=SECRETS, http=http,
                                                           clock=clock)).outcomes
                    return await run_task_async(case.task, case.variables, secrets=SECRETS, http=http, clock=clock)

            outcome = asyncio.run(run_async())
        outcomes.append(outcome)
        requests.append(received(server.requests))
        token_requests.append(received(token_server.requests))
        sleeps.append(clock.sleeps)
    assert outcomes[1] == outcomes[0]
    assert requests[1] == requests[0]
    assert token_requests[1] == token_requests[0]
    assert sleeps[1] == sleeps[0]
    assert len(server.requests) == len(case.replies)  # every scripted reply was used: the case ran as meant


def test_the_async_api_sends_the_exact_request_and_returns_the_result(server):
    server.reply(Reply.json({"id": 42}, status=201))

    async def main() -> Any:
        async with AsyncHttpClient() as http:
            return await run_task_async(post_json(server, server).task, {"order": 7}, secrets=SECRETS, http=http)

    outcome = asyncio.run(main())
    assert outcome == Completed({"id": 42, "status": 201})
    assert server.last.method == "POST" and server.last.target == "/orders/k3y-8d7c6b"
    assert server.last.body == '{"id":7,"note":null,"tags":["a","ü"]}'.encode()
    assert server.last.headers == (
        ("Host", f"127.0.0.1:{server.port}"), ("Content-Type", "application/json"), ("X-Trace", "t-7"), ("x-api-key", "k3y-8d7c6b"),
        ("User-Agent", "etk-runtime"), ("Accept-Encoding", "gzip, deflate"), ("Content-Length", str(len(server.last.body))),
    )


def test_the_async_api_masks_secrets_in_failures_and_in_httpx_log_records(server, caplog):
    caplog.set_level(logging.INFO)
    server.reply(Reply(403, b'{"echo": "k3y-8d7c6b"}', [("Content-Type", "application/json")], reason="Denied k3y-8d7c6b"))
    task = query_key(server, server).task
    outcome = asyncio.run(run_task_async(task, secrets=SECRETS))  # a client of its own
    assert isinstance(outcome, Failed)
    assert outcome.variables["error"]["message"] == "Denied ***"
    assert outcome.variables["error"]["variables"]["response"]["body"] == {"echo": "***"}
    assert server.last.target == "/search?q=a%20b&x=%20&page=2&empty&key=k3y-8d7c6b"
    assert [record.getMessage() for record in caplog.records if record.name == "httpx"] == [
        f'HTTP Request: GET http://127.0.0.1:{server.port}/search?q=a%20b&x=%20&page=2&empty&key=*** "HTTP/1.1 403 Denied ***"']
    assert not any("k3y-8d7c6b" in record.getMessage() for record in caplog.records)


def echo_question(request: RecordedRequest) -> Reply:
    time.sleep(0.02)  # long enough for the jobs to overlap
    return Reply.json({"question": request.json()["q"], "cookie": request.header("cookie")})


class InFlight:
    """Counts the requests a server is answering at once (the most, over a run)."""

    def __init__(self, responder: Callable[[RecordedRequest], Reply]) -> None:
        self._responder, self._lock = responder, threading.Lock()
        self.now = self.most = 0

    def __call__(self, request: RecordedRequest) -> Reply:
        with self._lock:
            self.now += 1
            self.most = max(self.most, self.now)
        try:
            return self._responder(request)
        finally:
            with self._lock:
                self.now -= 1


def question_task(server: LoopbackServer) -> AppliedTask:
    return rest_task({"method": "POST", "url": server.url("/ask"), "body": "={q: question, key: \"{{secrets.KEY}}\"}"},
                     {"resultExpression": "={answer: response.body}"})


def test_a_batch_keeps_its_concurrency_limit_and_each_job_its_own_data(server):
    in_flight = InFlight(echo_question)
    server.responder = in_flight
    questions = [{"question": f"q{index}"} for index in range(40)]

    async def main() -> Any:
        async with AsyncHttpClient() as http:
            return await run_tasks_async(question_task(server), questions, concurrency=6, secrets=SECRETS, http=http)

    outcomes = asyncio.run(main())
    assert outcomes == [Completed({"answer": {"question": f"q{index}", "cookie": None}}) for index in range(40)]
    assert sorted(request.json()["q"] for request in server.requests) == sorted(f"q{index}" for index in range(40))
    assert all(request.json()["key"] == "k3y-8d7c6b" for request in server.requests)
    assert 1 < in_flight.most <= 6


def test_a_batch_stops_at_an_error_that_stops_a_task(server):
    task = rest_task({"method": "GET", "url": server.url("/x"), "body": "=if n = 3 then (1 +) else n"})
    with pytest.raises(RuntimeUsageError, match="invalid FEEL"):
        asyncio.run(run_tasks_async(task, [{"n": n} for n in range(10)], concurrency=2))
    with pytest.raises(ValueError, match="concurrency must be at least 1"):
        asyncio.run(run_tasks_async(task, [{}], concurrency=0))


def cookie_echo(request: RecordedRequest) -> Reply:
    if request.path == "/login":  # each job is given its own session cookie on its redirect
        user = request.json()["q"]
        return Reply(302, b"", [("Location", f"/home?user={user}"), ("Set-Cookie", f"session={user}; Path=/")])
    time.sleep(0.02)
    return Reply.json({"cookie": request.header("cookie")})


def test_concurrent_jobs_never_see_each_others_cookies(server):
    server.responder = cookie_echo
    task = rest_task({"method": "POST", "url": server.url("/login"), "body": "={q: question}", "followRedirects": "=true"},
                     {"resultExpression": "={cookie: response.body.cookie}"})
    questions = [{"question": f"u{index}"} for index in range(24)]
    outcomes = asyncio.run(run_tasks_async(task, questions, concurrency=8))
    assert outcomes == [Completed({"cookie": f"session=u{index}"}) for index in range(24)]


def test_one_http_client_serves_threads_at_once_without_cross_talk(server):
    # HttpClient sends straight to its pool, or through a new httpx.Client per redirecting request
    server.responder = cookie_echo
    task = rest_task({"method": "POST", "url": server.url("/login"), "body": "={q: question}", "followRedirects": "=true"},
                     {"resultExpression": "={cookie: response.body.cookie}"})
    results: dict[int, Any] = {}
    with HttpClient() as http:
        def work(index: int) -> None:
            results[index] = run_task(task, {"question": f"u{index}"}, http=http)

        threads = [threading.Thread(target=work, args=(index,)) for index in range(16)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert results == {index: Completed({"cookie": f"session=u{index}"}) for index in range(16)}


def test_a_cancelled_job_leaves_the_client_usable(server):
    server.reply(Reply(200, b"late", delay=5))

    async def main() -> Any:
        async with AsyncHttpClient() as http:
            slow = asyncio.ensure_future(run_task_async(question_task(server), {"question": "slow"}, secrets=SECRETS, http=http))
            await asyncio.sleep(0.3)
            slow.cancel()
            with pytest.raises(asyncio.CancelledError):
                await slow
            return await run_task_async(question_task(server), {"question": "next"}, secrets=SECRETS, http=http)

    server.responder = echo_question
    assert asyncio.run(main()) == Completed({"answer": {"question": "next", "cookie": None}})
