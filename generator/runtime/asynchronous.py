"""The runtime on asyncio: the job steps of `generator.runtime.runner` (its flows, so the same
bodies, secrets, retries and OAuth tokens), sent with an `AsyncHttpClient`, so that many jobs are
in flight at once on one event loop and one connection pool.

    async with AsyncHttpClient() as http:
        outcome = await run_task_async(task, {"x": 1}, secrets={"TOKEN": "..."}, http=http)
        outcomes = await run_tasks_async(task, [{"x": 1}, {"x": 2}], concurrency=8, http=http)
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterable, Mapping
from contextlib import asynccontextmanager
from typing import Any, TypeVar

from generator.runtime import rest
from generator.runtime.clock import Clock, SystemClock, sleep_async
from generator.runtime.masking import SecretMask
from generator.runtime.outcome import Outcome
from generator.runtime.rest.http import AsyncHttpClient
from generator.runtime.rest.response import RawResponse
from generator.runtime.runner import Attempts, Backoff, Exchange, Flow, Job, job_flow, task_flow
from generator.runtime.secrets import SecretProvider
from generator.task import AppliedTask

_T = TypeVar("_T")


async def drive_async(flow: Flow[_T] | Exchange[_T], http: AsyncHttpClient, clock: Clock) -> _T:
    """`runner.drive` on the event loop: each request the flow yields is sent with `http` while
    other jobs run, each backoff awaited with `sleep_async`."""
    reply: RawResponse | None = None
    failure: BaseException | None = None
    try:
        while True:
            # (None is sent only after a Backoff, which an Exchange never yields)
            step = flow.send(reply) if failure is None else flow.throw(failure)  # type: ignore[arg-type]
            reply = failure = None
            if isinstance(step, Backoff):
                await sleep_async(clock, step.seconds)
                continue
            try:
                reply = await http.send(step)
            except BaseException as error:  # the flow decides, cancellation included
                failure = error
    except StopIteration as done:
        result: _T = done.value
        return result


@asynccontextmanager
async def _client(http: AsyncHttpClient | None) -> AsyncIterator[AsyncHttpClient]:
    """`http`, or a client of its own for one call (closed after it)."""
    if http is not None:
        yield http
        return
    async with AsyncHttpClient() as client:
        yield client


async def run_job_async(
    job: Job,
    *,
    secrets: SecretProvider | Mapping[str, str] | None = None,
    http: AsyncHttpClient | None = None,
    clock: Clock | None = None,
    mask: SecretMask | None = None,
) -> Outcome:
    """`run_job` on asyncio."""
    clock = clock or SystemClock()
    async with _client(http) as client:
        flow = job_flow(job, secrets=secrets, clock=clock, mask=mask, tokens=rest.token_cache(client))
        return await drive_async(flow, client, clock)


async def run_task_async(
    task: AppliedTask,
    variables: Mapping[str, Any] | None = None,
    *,
    secrets: SecretProvider | Mapping[str, str] | None = None,
    http: AsyncHttpClient | None = None,
    clock: Clock | None = None,
    retries: int | None = None,
    mask: SecretMask | None = None,
) -> Outcome:
    """`run_task` on asyncio."""
    clock = clock or SystemClock()
    async with _client(http) as client:
        flow = task_flow(task, variables, secrets=secrets, clock=clock, mask=mask, tokens=rest.token_cache(client),
                         retries=retries, once=True)
        return (await drive_async(flow, client, clock)).outcome


async def run_until_done_async(
    task: AppliedTask,
    variables: Mapping[str, Any] | None = None,
    *,
    secrets: SecretProvider | Mapping[str, str] | None = None,
    http: AsyncHttpClient | None = None,
    clock: Clock | None = None,
    mask: SecretMask | None = None,
) -> Attempts:
    """`run_until_done` on asyncio: a backoff waits without blocking the other jobs."""
    clock = clock or SystemClock()
    async with _client(http) as client:
        flow = task_flow(task, variables, secrets=secrets, clock=clock, mask=mask, tokens=rest.token_cache(client))
        return await drive_async(flow, client, clock)


async def run_tasks_async(
    task: AppliedTask,
    variable_sets: Iterable[Mapping[str, Any] | None],
    *,
    concurrency: int = 8,
    secrets: SecretProvider | Mapping[str, str] | None = None,
    http: AsyncHttpClient | None = None,
    clock: Clock | None = None,
    retries: int | None = None,
) -> list[Outcome]:
    """Run `task` once over each of `variable_sets` (as `run_task`), at most `concurrency` at a
    time over one client; the outcomes in the order of `variable_sets`. An error that stops a
    task (a `RuntimeUsageError`: bad FEEL in an input mapping, ...) stops the batch: the tasks in
    flight are cancelled and the error raised."""
    if concurrency < 1:
        raise ValueError(f"concurrency must be at least 1, got {concurrency}")
    pending = enumerate(variable_sets)
    outcomes: dict[int, Outcome] = {}
    async with _client(http) as client:

        async def worker() -> None:
            for index, variables in pending:  # the iterator is shared: each set is taken once
                outcomes[index] = await run_task_async(task, variables, secrets=secrets, http=client, clock=clock,
                                                       retries=retries)

        workers = [asyncio.ensure_future(worker()) for _ in range(concurrency)]
        try:
            await asyncio.gather(*workers)
        finally:
            for running in workers:
                running.cancel()
            await asyncio.gather(*workers, return_exceptions=True)
    return [outcomes[index] for index in range(len(outcomes))]
