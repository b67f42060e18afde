"""The supervision cadence of a case on the real dev server: reminders before the next
discussion, drift (a child in need past three months, a discussion rated R) flagged, raised as a
concern and escalated, rule-breaking updates refused, one cadence per case, closing ends it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from temporalio.client import WorkflowExecutionStatus, WorkflowHandle, WorkflowUpdateFailedError
from temporalio.exceptions import WorkflowAlreadyStartedError

from domain.application import Assured
from domain.case import Case
from domain.policy import add_months
from tests.workflows.conftest import Running, eventually, keep_history
from workflows.cadence import SupervisionCadenceWorkflow, cadence_id
from workflows.cadence_types import (
    CadenceInput,
    CloseRequest,
    DiscussionNotice,
    DiscussionRequest,
)
from workflows.common import Deadline
from workflows.escalation import EscalationWorkflow, ResolveRequest, escalation_id


def child_in_need(app: Assured) -> Case:
    case = Case.open(child_reference="CH-8001", agency="social-work", practitioner="pat",
                     supervisor="sam", legal_status="child_in_need", risk="medium",
                     nation="ENG", by="pat", at=datetime.now(UTC) - timedelta(minutes=1))
    app.record(case)
    return case


def discussion(rag: str = "G", next_on: date | None = None, **changes: Any) -> DiscussionRequest:
    fields: dict[str, Any] = {
        "discussion_id": "d-1", "supervisor": "sam", "supervisee": "pat",
        "needs": "needs noted", "risks": "risks noted", "engagement": "engaging",
        "capacity_for_change": "some", "plan": "plan kept", "rag": rag,
        "next_discussion_on": next_on or date.today() + timedelta(days=30), "by": "sam"}
    return DiscussionRequest(**(fields | changes))


async def start(running: Running, case: Case, skipping: bool = False) -> WorkflowHandle:
    """Start the cadence; with `skipping`, its clock jumps to each timer whenever it is idle."""
    if skipping:
        return await running.client.start_workflow(
            SupervisionCadenceWorkflow.run, CadenceInput(str(case.id)),
            id=cadence_id(str(case.id)), task_queue=running.task_queue)
    with running.env.with_time_skipping_disabled():
        return await start(running, case, skipping=True)


def steps(app: Assured, case: Case) -> list[str]:
    return [e.step for e in app.stored_events(case.id)
            if type(e).__name__ == "ProcessStepRecorded" and e.process == "supervision-cadence"]


def kinds(app: Assured, case: Case) -> list[str]:
    return [type(e).__name__ for e in app.stored_events(case.id)]


async def waiting(handle: WorkflowHandle, discussions: int = 0):  # type: ignore[no-untyped-def]
    status = await handle.query(SupervisionCadenceWorkflow.status)
    ready = status.state in ("awaiting discussion", "reminded") and status.due
    return status if ready and status.discussions == discussions else None


async def persisting(handle: WorkflowHandle):  # type: ignore[no-untyped-def]
    status = await handle.query(SupervisionCadenceWorkflow.status)
    return status if any(h.startswith("drift persists") for h in status.history) else None


async def drifted(handle: WorkflowHandle, flags: int = 1):  # type: ignore[no-untyped-def]
    status = await handle.query(SupervisionCadenceWorkflow.status)
    return status if status.drift_flags == flags else None


async def test_a_child_in_need_not_discussed_for_three_months_is_escalated_as_drift(
    running: Running,
) -> None:
    case = child_in_need(running.app)
    handle = await start(running, case, skipping=True)  # no one discusses the child

    status = await eventually(lambda: drifted(handle))
    assert status.legal_status == "child_in_need"
    assert status.due == add_months(case.opened_on.date(), 3)
    assert status.reminder_on < status.due
    assert steps(running.app, case) == ["next discussion due", "discussion reminder sent",
                                       "discussion overdue", "drift flagged"]
    stored = running.app.load(case.id, Case)
    assert "more than 3 months without a supervision discussion" in \
        stored.drift_flags[0]["reasons"][0]
    assert stored.concerns["drift-1"]["stage"] >= 1
    assert status.escalations == [escalation_id(str(case.id), "drift-1")]
    ladder = running.client.get_workflow_handle(status.escalations[0])
    assert (await ladder.query(EscalationWorkflow.status)).stage >= 1
    assert await handle.query(SupervisionCadenceWorkflow.deadlines) == [
        Deadline("next discussion", status.due, False)]

    await handle.execute_update(SupervisionCadenceWorkflow.close,
                                CloseRequest("family moved away", "sam"))
    assert (await handle.result()).state == "closed"
    assert await handle.query(SupervisionCadenceWorkflow.deadlines) == []
    await keep_history(handle, "SupervisionCadenceWorkflow-child-in-need-drifts")
    assert running.app.load(case.id, Case).closed
    assert await eventually(lambda: ended_as(ladder, WorkflowExecutionStatus.CANCELED))


async def ended_as(handle: WorkflowHandle, wanted: WorkflowExecutionStatus) -> bool:
    return (await handle.describe()).status == wanted


async def test_a_discussion_rated_worse_raises_a_concern_and_escalates(running: Running) -> None:
    case = child_in_need(running.app)
    handle = await start(running, case)
    await eventually(lambda: waiting(handle))

    answer = await handle.execute_update(SupervisionCadenceWorkflow.record_discussion,
                                         discussion("R"))
    assert answer.startswith("Discussion d-1 recorded")
    status = await eventually(lambda: drifted(handle))
    stored = running.app.load(case.id, Case)
    assert stored.discussions["d-1"]["rag"] == "R"
    assert "getting worse (R)" in stored.drift_flags[0]["reasons"][0]
    assert stored.concerns["drift-1"]["summary"].startswith("Drift: ")
    raised = ["DiscussionRecorded", "DriftFlagged", "ConcernRaised"]
    assert [k for k in kinds(running.app, case) if k in raised] == raised
    ladder = running.client.get_workflow_handle(status.escalations[0])
    assert (await ladder.describe()).status == WorkflowExecutionStatus.RUNNING

    status = await eventually(lambda: waiting(handle, discussions=1))
    assert status.due == discussion().next_discussion_on  # the date the discussion set
    assert await handle.query(SupervisionCadenceWorkflow.deadlines) == [
        Deadline("next discussion", status.due, False)]
    await drift_persists_while_the_concern_is_open(running, handle, case)
    await handle.execute_update(SupervisionCadenceWorkflow.close,
                                CloseRequest("plan complete", "sam"))
    await handle.result()
    await keep_history(handle, "SupervisionCadenceWorkflow-discussion-rated-worse")


async def drift_persists_while_the_concern_is_open(running: Running, handle: WorkflowHandle,
                                                   case: Case) -> None:
    """A second discussion rated R while drift-1 is open: no second concern or ladder, a step
    "drift persists"; once drift-1 is resolved, a discussion still showing drift raises drift-2."""
    await handle.execute_update(SupervisionCadenceWorkflow.record_discussion,
                                discussion("R", discussion_id="d-2"))
    status = await eventually(lambda: persisting(handle))
    assert (status.discussions, status.drift_flags, len(status.escalations)) == (2, 1, 1)
    assert steps(running.app, case)[-2:] == ["next discussion due", "drift persists"]
    assert list(running.app.load(case.id, Case).concerns) == ["drift-1"]

    ladder = running.client.get_workflow_handle(status.escalations[0])
    await ladder.execute_update(EscalationWorkflow.resolve,
                                ResolveRequest("supervisor agreed a new plan", "sam"))
    await handle.execute_update(SupervisionCadenceWorkflow.record_discussion,
                                discussion("A", discussion_id="d-3"))
    status = await eventually(lambda: drifted(handle, flags=2))
    assert status.escalations[1] == escalation_id(str(case.id), "drift-2")
    assert list(running.app.load(case.id, Case).concerns) == ["drift-1", "drift-2"]


async def test_a_discussion_recorded_elsewhere_is_seen_by_signal(running: Running) -> None:
    case = child_in_need(running.app)
    handle = await start(running, case)
    await eventually(lambda: waiting(handle))
    next_on = date.today() + timedelta(days=20)
    running.app.change(case.id, lambda c: c.record_discussion(
        "d-api", supervisor="sam", supervisee="pat", needs="n", risks="r", engagement="e",
        capacity_for_change="c", plan="p", rag="G", actions=[], next_discussion_on=next_on,
        by="sam", at=datetime.now(UTC)))

    await handle.signal(SupervisionCadenceWorkflow.discussion_recorded, DiscussionNotice("d-api"))
    status = await eventually(lambda: waiting(handle, discussions=1))
    assert status.due == next_on and status.drift_flags == 0
    assert any(h.startswith("no drift") for h in status.history)
    await handle.terminate("test over")


async def test_an_update_that_breaks_a_rule_is_rejected_and_changes_nothing(
    running: Running,
) -> None:
    case = child_in_need(running.app)
    handle = await start(running, case)
    before = await eventually(lambda: waiting(handle))
    count = len(running.app.stored_events(case.id))

    refusals = {
        "A RAG rating is G": discussion("X"),
        "needs a supervisee other than": discussion(supervisee="sam"),
        "no more than 3 months apart": discussion(next_on=date.today() + timedelta(days=120)),
        "held by the case's current supervisor": discussion(supervisor="kim", by="kim"),
    }
    for rule, request in refusals.items():
        with pytest.raises(WorkflowUpdateFailedError) as refused:
            await handle.execute_update(SupervisionCadenceWorkflow.record_discussion, request)
        assert rule in str(refused.value.cause), rule
    with pytest.raises(WorkflowUpdateFailedError):
        await handle.execute_update(SupervisionCadenceWorkflow.close, CloseRequest(" ", "sam"))

    after = await handle.query(SupervisionCadenceWorkflow.status)
    assert (after.state, after.discussions, after.due, after.history) == \
        (before.state, 0, before.due, before.history)
    assert len(running.app.stored_events(case.id)) == count
    await handle.terminate("test over")


async def test_a_second_cadence_for_the_same_case_is_refused(running: Running) -> None:
    case = child_in_need(running.app)
    handle = await start(running, case)
    with pytest.raises(WorkflowAlreadyStartedError):
        await start(running, case)
    await handle.terminate("test over")
