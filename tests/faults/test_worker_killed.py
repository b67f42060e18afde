"""The worker is killed (SIGKILL) while 20 supervision cadences are mid-step, and started again:
every process reaches the state its dates call for, and each step is recorded exactly once.

Each case was opened 200 days ago and never discussed, so its cadence has every step of a
missed cycle to take at once: the next discussion's due date, the reminder, the overdue notice,
the drift flag and its concern, then the escalation ladder's three stages. The kill is aimed
between a command activity's save and its report to Temporal: the worker is paused (SIGSTOP)
as the store announces a commit (its NOTIFY), until some step is in the store while Temporal
still has its activity open, and killed there. Temporal
then runs that activity again once its start-to-close timeout (30 s, `workflows.common.ACTIVITY`)
passes, and the command activity finds its step on the record (`Assured.change`/`note_step`
check `has_process_step` before saving; the step is saved with the command), so it records
nothing twice.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import psycopg
from psycopg import sql
from temporalio.api.common.v1 import Payloads
from temporalio.client import Client, WorkflowHandle
from temporalio.service import RPCError

from domain.application import Assured
from domain.case_commands import OpenCase
from domain.commands import REGISTRY
from infra.settings import Settings
from infra.temporal import connect
from tests.faults.conftest import WorkerProcess
from workflows.cadence.types import CadenceInput, cadence_id
from workflows.cadence.workflow import SupervisionCadenceWorkflow
from workflows.escalation.types import escalation_id
from workflows.escalation.workflow import EscalationWorkflow

CASES = 20
STEPS = ["next discussion due", "discussion reminder sent", "discussion overdue",
         "drift flagged", "drift concern raised", "stage 1 opened", "escalated to stage 2",
         "stage 2 opened", "escalated to stage 3", "stage 3 opened"]
"""What a cadence and its ladder record on a case opened 200 days ago, never discussed."""
FACTS = {"Case.Opened": 1, "Case.DriftFlagged": 1, "Case.ConcernRaised": 1,
         "Case.ConcernEscalated": 2}
"""The case's other events once every step is taken."""
COMMAND_ACTIVITIES = {"note_step", *(kind.__name__ for kind in REGISTRY.values())}
"""The activities that carry out commands and record steps (workflows/command_activities.py)."""
SETTLE_SECONDS = 90  # after the restart: the retried activities wait out their 30 s timeout


def processes(client: Client, case_id: UUID) -> list[WorkflowHandle[Any, Any]]:
    return [client.get_workflow_handle(cadence_id(str(case_id))),
            client.get_workflow_handle(escalation_id(str(case_id), "drift-1"))]


async def step_of(client: Client, payloads: Payloads) -> str | None:
    """The step id an activity was given, if it carries one (its first argument)."""
    if not payloads.payloads:
        return None
    first = (await client.data_converter.decode(payloads.payloads[:1], [dict]))[0]
    if isinstance(first, dict) and isinstance(first.get("step"), dict):
        first = first["step"]
    return first.get("step_id") if isinstance(first, dict) else None


async def open_activities(client: Client, handle: WorkflowHandle[Any, Any]) -> dict[int, str]:
    """The command activities (workflows/command_activities.py) Temporal has scheduled and not
    yet seen finish: event id -> step id."""
    try:
        history = await handle.fetch_history()
    except RPCError:  # the ladder is not started yet
        return {}
    scheduled: dict[int, str] = {}
    for event in history.events:
        if event.HasField("activity_task_scheduled_event_attributes"):
            attributes = event.activity_task_scheduled_event_attributes
            step = await step_of(client, attributes.input)
            if step and attributes.activity_type.name in COMMAND_ACTIVITIES:
                scheduled[event.event_id] = step
        for ended in ("completed", "failed", "timed_out", "canceled"):
            name = f"activity_task_{ended}_event_attributes"
            if event.HasField(name):
                scheduled.pop(getattr(event, name).scheduled_event_id, None)
    return scheduled


def recorded_steps(app: Assured, case_id: UUID) -> list[str]:
    return [e.step_id for e in app.stored_events(case_id)
            if type(e).__name__ == "ProcessStepRecorded"]


async def kill_between_save_and_report(worker: WorkerProcess, client: Client, app: Assured,
                                       cases: list[UUID], database_url: str) -> tuple[set[str], int]:
    """Pause the worker the moment the store says it committed an event (its NOTIFY), and
    look: kill it if a step is saved whose command activity Temporal still has open; else let
    it go on until the next commit. The step ids caught so, and how many looks it took."""
    deadline, looks = time.monotonic() + 60, 0
    handles = [handle for case_id in cases for handle in processes(client, case_id)]
    with psycopg.connect(database_url, autocommit=True) as listener:
        listener.execute(sql.SQL("LISTEN {}").format(sql.Identifier(app.recorder.channel_name)))
        while time.monotonic() < deadline:
            if not any(True for _ in listener.notifies(timeout=0.5, stop_after=1)):
                continue
            worker.pause()
            looks += 1
            await asyncio.sleep(0.2)  # what it sent before the pause reaches the server
            open_now = await asyncio.gather(*(open_activities(client, h) for h in handles))
            saved = {step for case_id in cases for step in recorded_steps(app, case_id)}
            caught = {step for found in open_now for step in found.values()} & saved
            if caught:
                worker.kill()
                return caught, looks
            for _ in listener.notifies(timeout=0.01):  # commits made before the pause
                pass
            worker.resume()
    raise AssertionError("the worker was never caught between a save and its report")


async def retried(client: Client, case_id: UUID, steps: set[str]) -> set[str]:
    """Of `steps`, those whose activity on this case's processes ran more than once."""
    found = set()
    for handle in processes(client, case_id):
        history = await handle.fetch_history()
        by_event = {}
        for event in history.events:
            if event.HasField("activity_task_scheduled_event_attributes"):
                by_event[event.event_id] = await step_of(
                    client, event.activity_task_scheduled_event_attributes.input)
            if event.HasField("activity_task_started_event_attributes"):
                started = event.activity_task_started_event_attributes
                if started.attempt > 1 and by_event.get(started.scheduled_event_id) in steps:
                    found.add(by_event[started.scheduled_event_id])
    return found


async def test_a_worker_killed_mid_step_and_restarted_records_every_step_once(
    app: Assured, worker: WorkerProcess, cipher_key: str, database_url: str
) -> None:
    began = time.monotonic()
    worker.launch()  # its start-up overlaps the opening of the cases
    client = await connect(Settings(encryption_key=cipher_key,  # type: ignore[arg-type]
                                    temporal_address=worker.env["ASSURED_TEMPORAL_ADDRESS"]))
    opened = datetime.now(UTC) - timedelta(days=200)
    cases = [app.open_case(OpenCase(
        child_reference=f"FAULT-{n:03d}", agency="school", practitioner="pat", supervisor="sam",
        legal_status="child_in_need", risk="medium", nation="ENG", by="sam", at=opened)).record.id
        for n in range(CASES)]
    for case_id in cases:
        await client.start_workflow(SupervisionCadenceWorkflow.run, CadenceInput(str(case_id)),
                                    id=cadence_id(str(case_id)), task_queue=worker.task_queue)

    worker.wait_until_polling()
    first_start = time.monotonic()
    caught, looks = await kill_between_save_and_report(worker, client, app, cases, database_url)
    killed = time.monotonic()
    done_before = sum(len(recorded_steps(app, c)) for c in cases)
    assert done_before < CASES * len(STEPS), "the kill came after every step was taken"
    worker.start()
    second_start = time.monotonic()

    def settled() -> bool:
        return all(len(recorded_steps(app, c)) >= len(STEPS) for c in cases)

    while not settled():
        assert time.monotonic() - second_start < SETTLE_SECONDS, "the processes did not settle"
        await asyncio.sleep(0.5)
    all_steps = time.monotonic()
    for case_id in cases:  # nothing more to come: no activity is open on any process
        for handle in processes(client, case_id):
            while (await handle.describe()).raw_description.pending_activities:
                assert time.monotonic() - second_start < SETTLE_SECONDS, "an activity stayed open"
                await asyncio.sleep(0.2)

    for case_id in cases:
        events = app.stored_events(case_id)
        steps = [e for e in events if type(e).__name__ == "ProcessStepRecorded"]
        assert sorted(e.step for e in steps) == sorted(STEPS), case_id
        assert len({e.step_id for e in steps}) == len(steps), case_id
        facts = Counter(type(e).__qualname__ for e in events
                        if type(e).__name__ != "ProcessStepRecorded")
        assert facts == FACTS, case_id
        cadence, ladder = processes(client, case_id)
        status = await cadence.query(SupervisionCadenceWorkflow.status)
        assert (status.state, status.drift_flags) == ("discussion overdue", 1)
        standing = await ladder.query(EscalationWorkflow.status)
        assert (standing.stage, standing.resolved) == (3, False)
    # The steps caught between their save and their report were run again, and found done.
    again = set()
    for case_id in cases:
        again |= await retried(client, case_id, caught)
    assert again == caught
    print(f"\n{len(caught)} activities caught between save and report at look {looks}; "
          f"{done_before} of {CASES * len(STEPS)} steps done at the kill; "
          f"{time.monotonic() - began:.1f} s (worker up {first_start - began:.1f}, killed "
          f"{killed - began:.1f}, up again {second_start - began:.1f}, every step "
          f"{all_steps - began:.1f})")
