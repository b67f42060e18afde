"""The escalation ladder on the real dev server: it climbs by timeout, resolves at any stage,
refuses bad updates and second starts, and its retried steps record nothing twice."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from temporalio import activity
from temporalio.client import WorkflowHandle, WorkflowUpdateFailedError
from temporalio.exceptions import WorkflowAlreadyStartedError

from domain.application import Assured
from domain.case import Case
from tests.workflows.conftest import Running, eventually, keep_history
from workflows.activities.escalation import Escalation, EscalationActivities
from workflows.common import Deadline
from workflows.escalation import (
    EscalateRequest,
    EscalationInput,
    EscalationWorkflow,
    ResolveRequest,
    escalation_id,
)
from workflows.worker import ACTIVITY_CLASSES, build_worker


def case_with_concern(app: Assured) -> Case:
    began = datetime.now(UTC) - timedelta(days=1)
    case = Case.open(child_reference="CH-7001", agency="social-work", practitioner="pat",
                     supervisor="sam", legal_status="child_in_need", risk="high", nation="ENG",
                     by="pat", at=began)
    case.raise_concern("drift-1", "no change in three discussions", by="sam", at=began)
    app.record(case)
    return case


async def start(running: Running, case: Case, **options: object) -> WorkflowHandle:
    return await running.client.start_workflow(
        EscalationWorkflow.run,
        EscalationInput(str(case.id), "case-concern", "drift-1", "ENG"),
        id=escalation_id(str(case.id), "drift-1"), task_queue=running.task_queue, **options,
    )


def steps(app: Assured, case: Case) -> list[str]:
    return [e.step for e in app.stored_events(case.id) if type(e).__name__ == "ProcessStepRecorded"]


async def test_an_unanswered_ladder_climbs_to_stage_3_by_itself(running: Running) -> None:
    case = case_with_concern(running.app)
    handle = await start(running, case)

    status = await eventually(lambda: at_stage_3_unanswered(handle))
    climbs = [h for h in status.history if h.startswith("escalated")]
    assert [c.split(":")[0] for c in climbs] == ["escalated to stage 2", "escalated to stage 3"]
    assert "no response at stage 1" in climbs[0]
    assert running.app.load(case.id, Case).concerns["drift-1"]["stage"] == 3
    assert steps(running.app, case) == ["stage 1 opened", "escalated to stage 2", "stage 2 opened",
                                       "escalated to stage 3", "stage 3 opened"]

    answer = await handle.execute_update(EscalationWorkflow.resolve,
                                         ResolveRequest("partnership review agreed", "chair"))
    assert answer == "Resolved at stage 3 (senior manager or partnership)"
    assert (await handle.result()).resolved
    await keep_history(handle, "EscalationWorkflow-climbs-by-timeout")
    assert running.app.load(case.id, Case).concerns["drift-1"]["outcome"] == \
        "partnership review agreed"


async def at_stage_3_unanswered(handle: WorkflowHandle):  # type: ignore[no-untyped-def]
    status = await handle.query(EscalationWorkflow.status)
    return status if status.stage == 3 and "unanswered" in status.history[-1] else None


async def test_a_ladder_resolved_at_stage_2(running: Running) -> None:
    case = case_with_concern(running.app)
    with running.env.with_time_skipping_disabled():
        handle = await start(running, case)
    await eventually(lambda: stage_is(handle, 1))
    await running.env.fast_forward(handle, timedelta(days=10))
    status = await eventually(lambda: stage_is(handle, 2))
    assert status.response_due > datetime.now(UTC).date()
    assert await handle.query(EscalationWorkflow.deadlines) == [
        Deadline("stage 2 response", status.response_due, False)]

    answer = await handle.execute_update(EscalationWorkflow.resolve,
                                         ResolveRequest("manager agreed a new plan", "manager"))
    assert answer == "Resolved at stage 2 (manager)"
    concern = running.app.load(case.id, Case).concerns["drift-1"]
    assert concern["stage"] == 2 and concern["outcome"] == "manager agreed a new plan"
    assert steps(running.app, case)[-1] == "resolved at stage 2"
    await handle.result()
    assert await handle.query(EscalationWorkflow.deadlines) == [
        Deadline("stage 2 response", status.response_due, True)]
    await keep_history(handle, "EscalationWorkflow-resolved-at-stage-2")


async def stage_is(handle: WorkflowHandle, stage: int):  # type: ignore[no-untyped-def]
    status = await handle.query(EscalationWorkflow.status)
    return status if status.stage == stage and status.response_due else None


async def test_an_update_that_breaks_a_rule_is_rejected_and_changes_nothing(
    running: Running,
) -> None:
    case = case_with_concern(running.app)
    with running.env.with_time_skipping_disabled():
        handle = await start(running, case)
    await eventually(lambda: stage_is(handle, 1))
    before = len(running.app.stored_events(case.id))
    with pytest.raises(WorkflowUpdateFailedError) as refused:
        await handle.execute_update(EscalationWorkflow.resolve, ResolveRequest("  ", "sam"))
    assert "records its outcome" in str(refused.value.cause)
    with pytest.raises(WorkflowUpdateFailedError):
        await handle.execute_update(EscalationWorkflow.escalate, EscalateRequest("", "sam"))
    status = await handle.query(EscalationWorkflow.status)
    assert (status.stage, status.resolved) == (1, False)
    assert len(running.app.stored_events(case.id)) == before
    await handle.terminate("test over")


async def test_a_second_start_for_the_same_concern_is_refused(running: Running) -> None:
    case = case_with_concern(running.app)
    with running.env.with_time_skipping_disabled():
        handle = await start(running, case)
        with pytest.raises(WorkflowAlreadyStartedError):
            await start(running, case)
    await handle.terminate("test over")


class FailsAfterEscalating(EscalationActivities):
    """Fault injection: the command succeeds, then the first attempt fails as if the worker
    crashed before reporting back."""

    @activity.defn(name="escalate")
    def escalate(self, escalation: Escalation) -> None:
        super().escalate(escalation)
        if activity.info().attempt == 1:
            raise RuntimeError("worker lost after the command was saved")


async def test_a_retried_step_records_no_second_event(running: Running) -> None:
    case = case_with_concern(running.app)
    task_queue = f"flaky-{uuid.uuid4().hex[:8]}"
    classes = [FailsAfterEscalating if c is EscalationActivities else c for c in ACTIVITY_CLASSES]
    flaky = build_worker(running.client, running.app, task_queue, classes)
    async with flaky:
        with running.env.with_time_skipping_disabled():
            handle = await running.client.start_workflow(
                EscalationWorkflow.run,
                EscalationInput(str(case.id), "case-concern", "drift-1", "ENG"),
                id=escalation_id(str(case.id), "drift-1"), task_queue=task_queue)
        await eventually(lambda: stage_is(handle, 1))
        await handle.execute_update(EscalationWorkflow.escalate,
                                    EscalateRequest("no reply from supervisor", "pat"))
        await eventually(lambda: stage_is(handle, 2))
        await handle.terminate("test over")
    assert steps(running.app, case).count("escalated to stage 2") == 1
    assert running.app.load(case.id, Case).concerns["drift-1"]["stage"] == 2
