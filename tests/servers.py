"""Real servers the suite starts for itself, each stopped when its block ends: the Temporal dev
server, a workflow worker on its own thread, and the web application under uvicorn."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import uvicorn

from api.app import create_app
from domain.application import Assured
from infra.settings import Settings
from infra.temporal import ensure_dev_server
from infra.worker import run_worker


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def temporal_dev_server(data_dir: Path) -> Iterator[dict[str, object]]:
    """A Temporal dev server of the caller's own on free loopback ports; yields the settings
    that point at it. Commands that may belong to a process need Temporal (503 without)."""
    overrides: dict[str, object] = {"temporal_address": f"127.0.0.1:{free_port()}",
                                    "temporal_ui_port": free_port()}
    process = ensure_dev_server(Settings(data_dir=data_dir, **overrides))  # type: ignore[arg-type]
    assert process is not None, "the Temporal dev server should be this test's own"
    try:
        yield overrides
    finally:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


@contextmanager
def background_worker(settings: Settings, app: Assured) -> Iterator[Settings]:
    """A worker for `app` on a task queue of its own, in a thread with its own event loop;
    yields the settings that send processes to it."""
    mine = settings.model_copy(update={"task_queue": f"test-{uuid.uuid4().hex[:8]}"})
    ready, stopping = threading.Event(), threading.Event()
    loop = asyncio.new_event_loop()
    stop = asyncio.Event()
    failure: list[BaseException] = []

    def serve() -> None:
        try:
            loop.run_until_complete(run_worker(mine, app, stop=stop, ready=ready.set))
        except BaseException as error:  # noqa: BLE001 (reported to the test below)
            failure.append(error)
            ready.set()
        finally:
            stopping.set()

    thread = threading.Thread(target=serve, name="test-worker", daemon=True)
    thread.start()
    assert ready.wait(30) and not failure, failure
    try:
        yield mine
    finally:
        try:
            asyncio.run_coroutine_threadsafe(_end_processes(mine), loop).result(60)
        finally:
            loop.call_soon_threadsafe(stop.set)
            assert stopping.wait(30), "the worker did not stop"
            thread.join(5)
            loop.close()


RUNAWAY = 2_000
"""More events than any process in the suite takes: a history this long is a process going
round a loop that makes no progress (one did: a period planned, refused as missed, planned
again), which would otherwise pass unseen, slowing the suite and every worker stop."""


async def _end_processes(settings: Settings) -> None:
    """Terminate the processes left running on this worker's task queue: the next test's
    records may share their business ids, on the same dev server. Fails on a runaway."""
    from infra.temporal import connect

    client = await connect(settings)
    running = client.list_workflows(f"TaskQueue = '{settings.task_queue}' AND "
                                    "ExecutionStatus = 'Running'")
    runaway = []
    async for execution in running:
        handle = client.get_workflow_handle(execution.id, run_id=execution.run_id)
        length = (await handle.describe()).history_length
        if length > RUNAWAY:
            runaway.append(f"{execution.workflow_type} {execution.id}: {length} events")
        await handle.terminate("the test is over")
    assert not runaway, f"processes ran away: {runaway}"


@contextmanager
def web_server(settings: Settings, app: Assured) -> Iterator[str]:
    """The web application under uvicorn on a free loopback port; yields its base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(create_app(settings, app), log_level="warning", lifespan="on",
                            timeout_keep_alive=30, backlog=256, timeout_graceful_shutdown=5)
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not running.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        running.should_exit = True
        thread.join(20)
        sock.close()


@contextmanager
def projection_runner(app: Assured) -> Iterator[None]:
    """The projection runner following the log, as `assured projections run` does."""
    from projections.runner import Runner

    stop = threading.Event()
    follower = threading.Thread(target=Runner(app).follow,
                                kwargs={"stop_event": stop, "poll_interval": 0.2},
                                name="test-projections", daemon=True)
    follower.start()
    try:
        yield
    finally:
        stop.set()
        follower.join(15)
