"""The yearly multi-agency audit cycle on the real dev server: planned, its cases chosen from the
open cases, returns requested, an agency reminded, chased and escalated as non-compliant, the
plan reviewed six-monthly, then moderated, reported and closed; started by a yearly schedule."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest
from temporalio.client import ScheduleOverlapPolicy, WorkflowHandle, WorkflowUpdateFailedError
from temporalio.exceptions import WorkflowAlreadyStartedError

from domain.application import Assured
from domain.audit import AuditRecord, select_at_random
from domain.case import Case
from tests.workflows.conftest import Running, eventually, keep_history
from workflows.audit_cycle import AuditCycleWorkflow
from workflows.audit_cycle_types import (
    ActionsRequest,
    AgreedAuditAction,
    AuditCycleInput,
    CloseAuditRequest,
    FindingsRequest,
    NotesRequest,
    ReportRequest,
    ReturnRequest,
    audit_cycle_id,
)
from workflows.audit_schedule import ensure_audit_schedule
from workflows.common import Deadline

AGENCIES = ["children's social care", "health", "police"]


def open_cases(app: Assured) -> dict[str, str]:
    """Five cases: one of each risk level open, and a closed high-risk one. Ids by risk."""
    began = datetime.now(UTC) - timedelta(days=1)
    ids = {}
    for n, risk in enumerate(["high", "medium", "escalating", "low", "high"]):
        case = Case.open(child_reference=f"CH-900{n}", agency="social-work", practitioner="pat",
                         supervisor="sam", legal_status="child_in_need", risk=risk,
                         nation="ENG", by="pat", at=began)
        if n == 4:
            case.close("no further action", by="sam", at=began)
        else:
            ids[risk] = str(case.id)
        app.record(case)
    return ids


def audit_input(**changes: Any) -> AuditCycleInput:
    fields: dict[str, Any] = {
        "theme": "supervision of child in need cases", "dimension": "multi_agency",
        "audit_type": "multi_agency_practice", "agencies": AGENCIES, "sample_size": 3,
        "returns_due": date.today() + timedelta(days=30), "selection_method": "risk",
        "seed": 7, "year": date.today().year}
    return AuditCycleInput(**(fields | changes))


async def start(running: Running, cycle: AuditCycleInput) -> WorkflowHandle:
    """Start with its clock held: the test moves it with `fast_forward`."""
    with running.env.with_time_skipping_disabled():
        return await running.client.start_workflow(
            AuditCycleWorkflow.run, cycle, id=audit_cycle_id(cycle.year or 0),
            task_queue=running.task_queue)


async def at_stage(handle: WorkflowHandle, stage: str):  # type: ignore[no-untyped-def]
    status = await handle.query(AuditCycleWorkflow.status)
    return status if status.stage == stage else None


def events(app: Assured, audit_id: str | None) -> list[Any]:
    assert audit_id is not None
    return app.stored_events(UUID(audit_id))


def steps(app: Assured, audit_id: str | None) -> list[tuple[str, str | None]]:
    return [(e.step, e.details.get("agency")) for e in events(app, audit_id)
            if type(e).__name__ == "ProcessStepRecorded"]


def submission(agency: str, **changes: Any) -> ReturnRequest:
    fields = {"agency": agency, "supervision_grade": "good",
              "oversight_grade": "requires_improvement",
              "evidence": "three case files sampled", "by": "audit-lead"}
    return ReturnRequest(**(fields | changes))


async def test_an_audit_cycle_with_a_non_compliant_agency_runs_to_close(running: Running) -> None:
    cases = open_cases(running.app)
    handle = await start(running, audit_input())
    status = await eventually(lambda: at_stage(handle, "returns_requested"))
    assert sorted(status.selected_cases) == sorted(cases[r] for r in ("high", "medium",
                                                                      "escalating"))
    for agency in AGENCIES[:2]:
        assert await handle.execute_update(AuditCycleWorkflow.submit_return,
                                           submission(agency)) == f"Return of {agency} recorded"

    await running.env.fast_forward(handle, timedelta(days=32))  # past the returns due date
    status = await eventually(lambda: chased(handle))
    assert status.chased == ["police"] and status.non_compliant == []
    assert ("return reminder sent", "police") in steps(running.app, status.audit_id)
    assert await handle.query(AuditCycleWorkflow.deadlines) == [
        Deadline("returns", status.returns_due, False),
        Deadline("plan review", status.plan_review_due, False)]

    await running.env.fast_forward(handle, timedelta(days=25))  # 10 working days later
    status = await eventually(lambda: escalated(handle))
    audit = running.app.load(UUID(status.audit_id), AuditRecord)
    assert audit.non_compliant_agencies == ["police"]
    assert audit.returns["police"]["escalated_to"] == "Safeguarding Operational Sub-Group"
    assert [d.met for d in await handle.query(AuditCycleWorkflow.deadlines)] == [True, False]

    await reach_plan_review(running, handle)
    answer = await handle.execute_update(AuditCycleWorkflow.review_plan,
                                         NotesRequest("plan on track", "chair"))
    assert answer.startswith("Plan reviewed; next review due")
    await drive_to_close(handle)
    final = await handle.result()
    await keep_history(handle, "AuditCycleWorkflow-non-compliant-agency-escalated")

    assert final.stage == "closed" and final.plan_review_due > status.plan_review_due
    assert await handle.query(AuditCycleWorkflow.deadlines) == [
        Deadline("returns", status.returns_due, True),
        Deadline("plan review", status.plan_review_due, True)]  # the next one: closed, not due
    assert audit.reference == audit_cycle_id(date.today().year)
    assert UUID(final.audit_id) == AuditRecord.create_id(audit.reference)
    assert [type(e).__name__ for e in events(running.app, final.audit_id)
            if type(e).__name__ != "ProcessStepRecorded"] == [
        "Planned", "CasesSelectedByRisk", "ReturnsRequested", "ReturnSubmitted",
        "ReturnSubmitted", "ReturnChased", "NonComplianceEscalated", "PlanReviewed",
        "Moderated", "FindingsRecorded", "Reported", "ActionsAgreed", "Closed"]
    assert steps(running.app, final.audit_id) == [
        ("audit planned", None), ("cases selected", None), ("returns requested", None),
        ("return submitted", AGENCIES[0]), ("return submitted", "health"),
        ("return reminder sent", "police"), ("return chased", "police"),
        ("non-compliance escalated", "police"), ("plan review due", None),
        ("plan reviewed", None), ("moderated", None), ("findings recorded", None),
        ("reported", None), ("actions agreed", None), ("closed", None)]


async def chased(handle: WorkflowHandle):  # type: ignore[no-untyped-def]
    status = await handle.query(AuditCycleWorkflow.status)
    return status if status.chased else None


async def escalated(handle: WorkflowHandle):  # type: ignore[no-untyped-def]
    status = await handle.query(AuditCycleWorkflow.status)
    return status if status.non_compliant else None


async def reach_plan_review(running: Running, handle: WorkflowHandle) -> None:
    """Move the clock past the six-monthly plan review date.

    No timer follows the reminder, and a fast-forward completes only by reaching a timer or its
    target; so it runs in the background until the reminder is seen.
    """
    forward = asyncio.create_task(running.env.fast_forward(handle, timedelta(days=140)))
    try:
        await eventually(lambda: plan_review_reminded(handle))
    finally:
        forward.cancel()


async def plan_review_reminded(handle: WorkflowHandle) -> bool:
    status = await handle.query(AuditCycleWorkflow.status)
    return any(h.startswith("plan review due") for h in status.history)


async def drive_to_close(handle: WorkflowHandle) -> None:
    await handle.execute_update(AuditCycleWorkflow.moderate,
                                NotesRequest("grades agreed at moderation", "chair"))
    await handle.execute_update(AuditCycleWorkflow.record_findings, FindingsRequest(
        ["supervision is regular"], ["management oversight is not recorded"], "chair"))
    await handle.execute_update(AuditCycleWorkflow.report,
                                ReportRequest("Practice Review Sub-Group", "chair"))
    await handle.execute_update(AuditCycleWorkflow.agree_actions, ActionsRequest(
        [AgreedAuditAction("record oversight on file", "health",
                           date.today() + timedelta(days=400))], "chair"))
    assert await handle.execute_update(AuditCycleWorkflow.close,
                                       CloseAuditRequest("chair")) == "Audit closed"


async def test_an_update_that_breaks_a_rule_is_rejected_and_changes_nothing(
    running: Running,
) -> None:
    open_cases(running.app)
    handle = await start(running, audit_input())
    await eventually(lambda: at_stage(handle, "returns_requested"))
    await handle.execute_update(AuditCycleWorkflow.submit_return, submission("health"))
    before = await handle.query(AuditCycleWorkflow.status)
    count = len(events(running.app, before.audit_id))

    refusals: list[tuple[Any, Any, str]] = [
        (AuditCycleWorkflow.submit_return, submission("fire service"),
         "an agency taking part in the audit"),
        (AuditCycleWorkflow.submit_return, submission("health"), "submits one return"),
        (AuditCycleWorkflow.submit_return, submission("police", oversight_grade="fine"),
         "each graded"),
        (AuditCycleWorkflow.moderate, NotesRequest("early", "chair"),
         "neither submitted nor escalated"),
        (AuditCycleWorkflow.report, ReportRequest("Practice Review Sub-Group", "chair"),
         "Reporting must come after findings are recorded"),
        (AuditCycleWorkflow.close, CloseAuditRequest("chair"), "Closing must come after"),
    ]
    for update, request, rule in refusals:
        with pytest.raises(WorkflowUpdateFailedError) as refused:
            await handle.execute_update(update, request)
        assert rule in str(refused.value.cause), rule

    after = await handle.query(AuditCycleWorkflow.status)
    assert after == before
    assert len(events(running.app, before.audit_id)) == count
    await handle.terminate("test over")


async def test_a_second_audit_cycle_for_the_same_year_is_refused(running: Running) -> None:
    open_cases(running.app)
    handle = await start(running, audit_input())
    with pytest.raises(WorkflowAlreadyStartedError):
        await start(running, audit_input(theme="another theme"))
    await handle.terminate("test over")


async def test_the_yearly_schedule_starts_an_audit_cycle(running: Running) -> None:
    cases = open_cases(running.app)
    template = audit_input(year=None, seed=None, selection_method="random", sample_size=2,
                           returns_due=date.today() + timedelta(days=40))
    schedule_id = f"audit-cycle-yearly-{uuid.uuid4().hex[:8]}"
    schedule = await ensure_audit_schedule(running.client, template, month=4, day=1,
                                           schedule_id=schedule_id,
                                           task_queue=running.task_queue)
    described = await schedule.describe()
    calendar = described.schedule.spec.calendars[0]
    assert (calendar.month[0].start, calendar.day_of_month[0].start) == (4, 1)
    assert described.schedule.policy.overlap == ScheduleOverlapPolicy.ALLOW_ALL
    await ensure_audit_schedule(running.client, template, month=4, day=1,
                                schedule_id=schedule_id, task_queue=running.task_queue)

    await schedule.trigger()
    workflow_id = await eventually(lambda: started_by(schedule))
    assert workflow_id.startswith(f"audit-cycle-{date.today().year}-")
    handle = running.client.get_workflow_handle(workflow_id)
    status = await eventually(lambda: at_stage(handle, "returns_requested"))
    audit = running.app.load(UUID(status.audit_id), AuditRecord)
    assert audit.returns_due == template.returns_due and audit.year == date.today().year
    population = list(cases.values())
    assert audit.selection_seed is not None
    assert audit.selected_cases == select_at_random(population, audit.selection_seed, 2)
    await handle.terminate("test over")
    await schedule.delete()


async def started_by(schedule: Any) -> str | None:
    actions = (await schedule.describe()).info.recent_actions
    return actions[0].action.workflow_id if actions else None
