"""The Temporal dev server is killed (SIGKILL) while supervision cadences wait on their timers,
and started again on the same state file: the same workflow runs are there, their timers still
pending, and the timers fire.

Every timer in Assured waits for a date (midnight UTC: `workflows.common.start_of`/`end_of`),
so none can be made to fall a few seconds after the restart. After the restart the test moves
each workflow's own clock on past its reminder date instead, with the dev server's per-workflow
time skipping (`temporalio.testing.TimeSkipper`, enabled on the server by a dynamic-config
flag); the timer the server kept in its state file then fires, and the reminder is recorded.
"""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from temporalio.client import WorkflowExecutionStatus, WorkflowHandle
from temporalio.testing import TimeSkipper

from domain.application import Assured
from domain.case_commands import OpenCase
from infra.settings import Settings
from infra.temporal import connect
from tests.faults.conftest import TemporalServer, WorkerProcess
from workflows.cadence.types import CadenceInput, cadence_id
from workflows.cadence.workflow import SupervisionCadenceWorkflow
from workflows.common import start_of

CASES = 5


async def timers(handle: WorkflowHandle[Any, Any]) -> tuple[set[int], set[int]]:
    """The timers the workflow's history shows started, and those that fired (by event id)."""
    started, fired = set(), set()
    async for event in handle.fetch_history_events():
        if event.HasField("timer_started_event_attributes"):
            started.add(event.event_id)
        if event.HasField("timer_fired_event_attributes"):
            fired.add(event.timer_fired_event_attributes.started_event_id)
    return started, fired


async def reminded(app: Assured, handle: WorkflowHandle[Any, Any], case_id: Any) -> bool:
    status = await handle.query(SupervisionCadenceWorkflow.status)
    steps = [e.step for e in app.stored_events(case_id)
             if type(e).__name__ == "ProcessStepRecorded"]
    return status.state == "reminded" and steps.count("discussion reminder sent") == 1


async def test_a_killed_dev_server_restarted_on_its_state_file_keeps_and_fires_the_timers(
    app: Assured, worker: WorkerProcess, temporal: TemporalServer, cipher_key: str
) -> None:
    began = time.monotonic()
    settings = Settings(encryption_key=cipher_key,  # type: ignore[arg-type]
                        temporal_address=temporal.address)
    client = await connect(settings)
    worker.launch()  # its start-up overlaps the opening of the cases
    # Opened 60 days ago: the next discussion is due in about a month, its reminder a week
    # before; the cadence waits on a timer for the reminder.
    opened = datetime.now(UTC) - timedelta(days=60)
    handles = []
    for n in range(CASES):
        case = app.open_case(OpenCase(
            child_reference=f"TIMER-{n:03d}", agency="school", practitioner="pat",
            supervisor="sam", legal_status="child_in_need", risk="medium", nation="ENG",
            by="sam", at=opened)).record
        handles.append((case.id, await client.start_workflow(
            SupervisionCadenceWorkflow.run, CadenceInput(str(case.id)),
            id=cadence_id(str(case.id)), task_queue=worker.task_queue)))
    worker.wait_until_polling()
    for _, handle in handles:
        await _until(lambda h=handle: _waiting_on_a_timer(h), 30, "a timer pending")
    runs = {handle.id: (await handle.describe()).run_id for _, handle in handles}

    temporal.kill()
    temporal.start()  # the same file, the same address; the worker reconnects by itself

    client = await connect(settings)
    for _, handle in handles:
        again = client.get_workflow_handle(handle.id)
        described = await again.describe()
        assert (described.run_id, described.status) == (runs[handle.id],
                                                        WorkflowExecutionStatus.RUNNING)
        started, fired = await timers(again)
        assert started and not started <= fired, "the pending timer was lost"
        status = await again.query(SupervisionCadenceWorkflow.status)
        assert status.state == "awaiting discussion"
        assert status.reminder_on is not None
        ahead = start_of(status.reminder_on) - datetime.now(UTC) + timedelta(hours=1)
        await TimeSkipper(client).fast_forward(again, ahead)
    for case_id, handle in handles:
        again = client.get_workflow_handle(handle.id)
        await _until(lambda a=again, c=case_id: reminded(app, a, c), 60, "the reminder")
        started, fired = await timers(again)
        assert min(started) in fired, "the timer set before the kill did not fire"
    print(f"\n{CASES} timers kept and fired after the kill; {time.monotonic() - began:.1f} s")


async def _waiting_on_a_timer(handle: WorkflowHandle[Any, Any]) -> bool:
    started, fired = await timers(handle)
    status = await handle.query(SupervisionCadenceWorkflow.status)
    return bool(started - fired) and status.state == "awaiting discussion"


async def _until(check: Any, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not await check():
        assert time.monotonic() < deadline, f"{what}: not within {seconds} s"
        await asyncio.sleep(0.2)

