"""The multi-agency audit cycle on the real dev server: started once an audit is planned, its
cases chosen from the open cases, returns requested, an agency reminded, chased and escalated as
non-compliant (each dated when it fell due), the plan reviewed six-monthly, then moderated,
reported and closed; refused steps change nothing; one cycle per audit. The yearly plan makes
the year's audit and starts its cycle, on a yearly schedule."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest
from temporalio.client import ScheduleOverlapPolicy, WorkflowHandle
from temporalio.exceptions import WorkflowAlreadyStartedError

from domain.application import Assured
from domain.audit import AuditRecord, select_at_random
from domain.audit_commands import (
    AgreeActions,
    AuditAction,
    CloseAudit,
    Moderate,
    PlanAudit,
    RecordFindings,
    ReportAudit,
    ReviewPlan,
    SubmitReturn,
)
from domain.audit_values import ESCALATION_GROUP
from domain.case_commands import CloseCase, OpenCase
from domain.policy import DEFAULT_POLICY, add_months
from tests.commands import Commands
from tests.refusals import assert_input_refused
from tests.workflows.conftest import (
    Running,
    eventually,
    events,
    keep_history,
    now,
    refused,
    step_names,
    steps,
)
from workflows.acting import Acted
from workflows.audit_cycle.schedule import ensure_audit_schedule
from workflows.audit_cycle.types import (
    YEARLY,
    AuditCycleInput,
    AuditCycleStatus,
    YearlyAuditInput,
    audit_cycle_id,
    yearly_reference,
)
from workflows.audit_cycle.workflow import (
    AuditCycleWorkflow,
    YearlyAuditWorkflow,
    next_occurrence,
)
from workflows.common import Deadline, end_of, start_of
from workflows.routing import start_for

AGENCIES = ["children's social care", "health", "police"]
LEAD = "audit-lead"
CHAIR = "chair"
cmd = Commands(by=LEAD)


def open_cases(app: Assured) -> dict[str, str]:
    """Five cases: one of each risk level open, and a closed high-risk one. Ids by risk."""
    began = datetime.now(UTC) - timedelta(days=1)
    ids = {}
    for n, risk in enumerate(["high", "medium", "escalating", "low", "high"]):
        case = app.open_case(OpenCase(child_reference=f"CH-900{n}", agency="social-work",
                                      practitioner="pat", supervisor="sam",
                                      legal_status="child_in_need", risk=risk, nation="ENG",
                                      by="pat", at=began)).record
        if n == 4:
            app.close_case(CloseCase(record_id=case.id, reason="no further action", by="sam",
                                     at=began))
        else:
            ids[risk] = str(case.id)
    return ids


def planned(app: Assured, **changes: Any) -> AuditRecord:
    """An audit planned an hour ago, its returns due in 30 days."""
    at = datetime.now(UTC) - timedelta(hours=1)
    fields: dict[str, Any] = {
        "reference": f"MAPA-{uuid.uuid4().hex[:8]}", "theme": "supervision of child in need cases",
        "dimension": "multi_agency", "audit_type": "multi_agency_practice", "year": at.year,
        "agencies": AGENCIES, "sample_size": 3, "returns_due": at.date() + timedelta(days=30),
        "by": LEAD, "at": at}
    return app.plan_audit(PlanAudit(**(fields | changes))).record


async def start(running: Running, audit: AuditRecord) -> WorkflowHandle:
    """The audit's cycle, choosing by risk with seed 7; its clock held: the test moves it."""
    found = start_for("audit", audit)
    assert found is not None and found.workflow_id == audit_cycle_id(str(audit.id))
    with running.env.with_time_skipping_disabled():
        return await running.client.start_workflow(
            AuditCycleWorkflow.run, AuditCycleInput(str(audit.id), "risk", 7, "ENG"),
            id=found.workflow_id, task_queue=running.task_queue)


async def act(running: Running, handle: WorkflowHandle, update: Any, kind: type,
              audit: AuditRecord, **fields: Any) -> str:
    fields.setdefault("at", await now(running, handle))
    acted: Acted = await handle.execute_update(update, cmd(kind, audit, **fields))
    return acted.answer


def submission(audit: AuditRecord, agency: str, at: datetime, **changes: Any) -> SubmitReturn:
    fields: dict[str, Any] = {
        "agency": agency, "supervision_grade": "good", "oversight_grade": "requires_improvement",
        "evidence": "three case files sampled"}
    return cmd(SubmitReturn, audit, at=at, **(fields | changes))


def at_stage(handle: WorkflowHandle, stage: str) -> Any:
    async def check() -> AuditCycleStatus | None:
        status = await handle.query(AuditCycleWorkflow.status)
        return status if status.stage == stage else None
    return check


def kinds(app: Assured, audit_id: UUID) -> list[str]:
    return [type(e).__name__ for e in events(app, audit_id)
            if type(e).__name__ != "ProcessStepRecorded"]


async def test_an_audit_cycle_with_a_non_compliant_agency_runs_to_close(running: Running) -> None:
    app, cases = running.app, open_cases(running.app)
    audit = planned(app)
    handle = await start(running, audit)
    status = await eventually(at_stage(handle, "returns_requested"))
    assert sorted(status.selected_cases) == sorted(cases[r] for r in ("high", "medium",
                                                                      "escalating"))
    [selected] = events(app, audit.id, "CasesSelectedByRisk")
    [requested] = events(app, audit.id, "ReturnsRequested")
    assert selected.occurred_on == requested.occurred_on == audit.opened_on  # as planned
    for agency in AGENCIES[:2]:
        answer = await handle.execute_update(
            AuditCycleWorkflow.submit_return,
            submission(audit, agency, await now(running, handle)))
        assert answer.answer == f"Audit return of {agency} submitted"

    await running.env.fast_forward(handle, timedelta(days=32))  # past the returns due date
    status = await eventually(lambda: chased(handle))
    assert status.chased == ["police"] and status.non_compliant == []
    reminder_on = DEFAULT_POLICY.reminder_lead.before(audit.returns_due, "ENG")
    assert status.reminder_on == reminder_on
    [reminded] = steps(app, audit.id, "return reminder sent")
    assert (reminded.details["agency"], reminded.occurred_on) == ("police",
                                                                 start_of(reminder_on))
    [chase] = events(app, audit.id, "ReturnChased")
    assert (chase.agency, chase.occurred_on) == ("police", end_of(audit.returns_due))
    assert await handle.query(AuditCycleWorkflow.deadlines) == [
        Deadline("returns", audit.returns_due, False),
        Deadline("plan review", audit.plan_review_due, False)]

    await running.env.fast_forward(handle, timedelta(days=25))  # 10 working days later
    status = await eventually(lambda: escalated(handle))
    record = app.load(audit.id, AuditRecord)
    assert record.non_compliant_agencies == ["police"]
    assert record.returns["police"]["escalated_to"] == ESCALATION_GROUP
    escalate_on = DEFAULT_POLICY.audit_non_compliance.after(audit.returns_due, "ENG")
    [escalation] = events(app, audit.id, "NonComplianceEscalated")
    assert (escalation.agency, escalation.occurred_on) == ("police", end_of(escalate_on))
    assert [d.met for d in await handle.query(AuditCycleWorkflow.deadlines)] == [True, False]

    await reach_plan_review(running, handle)
    [falls_due] = steps(app, audit.id, "plan review due")
    assert falls_due.occurred_on == start_of(audit.plan_review_due)
    assert audit.plan_review_due == add_months(audit.opened_on.date(), 6)
    reviewed_on = await now(running, handle)
    answer = await act(running, handle, AuditCycleWorkflow.review_plan, ReviewPlan, audit,
                       notes="plan on track", by=CHAIR, at=reviewed_on)
    assert answer == f"Plan reviewed; next review due {add_months(reviewed_on.date(), 6)}"
    await drive_to_close(running, handle, audit)
    final = await handle.result()
    await keep_history(handle, "AuditCycleWorkflow-non-compliant-agency-escalated")

    assert final.stage == "closed" and final.plan_review_due > audit.plan_review_due
    assert await handle.query(AuditCycleWorkflow.deadlines) == [
        Deadline("returns", audit.returns_due, True),
        Deadline("plan review", audit.plan_review_due, True)]  # the next one: closed, not due
    assert handle.id == f"audit-{audit.id}"
    assert kinds(app, audit.id) == [
        "Planned", "CasesSelectedByRisk", "ReturnsRequested", "ReturnSubmitted",
        "ReturnSubmitted", "ReturnChased", "NonComplianceEscalated", "PlanReviewed",
        "Moderated", "FindingsRecorded", "Reported", "ActionsAgreed", "Closed"]
    assert step_names(app, audit.id) == [
        "cases selected", "returns requested", f"return of {AGENCIES[0]} submitted",
        "return of health submitted", "return reminder sent", "return chased",
        "non-compliance escalated", "plan review due", "plan reviewed", "moderated",
        "findings recorded", "reported", "actions agreed", "closed"]
    assert [e.details.get("agency") for e in steps(app, audit.id)][4:7] == ["police"] * 3
    for case_id in status.selected_cases:  # each chosen case notes it, dated as chosen
        [noted] = events(app, UUID(case_id), "SelectedForAudit")
        assert (noted.audit_id, noted.occurred_on) == (str(audit.id), audit.opened_on)


async def chased(handle: WorkflowHandle) -> AuditCycleStatus | None:
    status = await handle.query(AuditCycleWorkflow.status)
    return status if status.chased else None


async def escalated(handle: WorkflowHandle) -> AuditCycleStatus | None:
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


async def drive_to_close(running: Running, handle: WorkflowHandle, audit: AuditRecord) -> None:
    assert await act(running, handle, AuditCycleWorkflow.moderate, Moderate, audit,
                     notes="grades agreed at moderation", by=CHAIR) == "Audit moderated"
    await act(running, handle, AuditCycleWorkflow.record_findings, RecordFindings, audit,
              strengths=["supervision is regular"],
              areas_for_development=["management oversight is not recorded"], by=CHAIR)
    await act(running, handle, AuditCycleWorkflow.report, ReportAudit, audit,
              group="Practice Review Sub-Group", by=CHAIR)
    due = (await now(running, handle)).date() + timedelta(days=400)
    await act(running, handle, AuditCycleWorkflow.agree_actions, AgreeActions, audit,
              actions=[AuditAction(action="record oversight on file", owner="health",
                                   due_on=due)], by=CHAIR)
    assert await act(running, handle, AuditCycleWorkflow.close, CloseAudit, audit,
                     by=CHAIR) == "Audit closed"


async def test_an_update_that_breaks_a_rule_is_rejected_and_changes_nothing(
    running: Running,
) -> None:
    open_cases(running.app)
    audit, other = planned(running.app), planned(running.app)
    handle = await start(running, audit)
    await eventually(at_stage(handle, "returns_requested"))
    at = await now(running, handle)
    await handle.execute_update(AuditCycleWorkflow.submit_return,
                                submission(audit, "health", at))
    before = await handle.query(AuditCycleWorkflow.status)
    count = len(events(running.app, audit.id))

    # A grade that is no grade is refused as the command is made, before any record.
    assert_input_refused(lambda: submission(audit, "police", at, oversight_grade="fine"),
                         "oversight_grade", "is not one of")
    refusals: list[tuple[Any, Any, str]] = [
        (AuditCycleWorkflow.submit_return, submission(audit, "fire service", at),
         "an agency taking part in the audit"),
        (AuditCycleWorkflow.submit_return, submission(audit, "health", at),
         "submits one return"),
        (AuditCycleWorkflow.moderate, cmd(Moderate, audit, notes="early", at=at),
         "neither submitted nor escalated"),
        (AuditCycleWorkflow.report, cmd(ReportAudit, audit, group="Practice Review Sub-Group",
                                        at=at),
         "Reporting must come after findings are recorded"),
        (AuditCycleWorkflow.close, cmd(CloseAudit, audit, at=at), "Closing must come after"),
        (AuditCycleWorkflow.submit_return, submission(other, "police", at),
         "another record than this process's"),
    ]
    for update, command, rule in refusals:
        assert rule in await refused(handle, update, command), rule

    assert await handle.query(AuditCycleWorkflow.status) == before
    assert len(events(running.app, audit.id)) == count
    await handle.terminate("test over")


async def test_a_second_audit_cycle_for_the_same_audit_is_refused(running: Running) -> None:
    open_cases(running.app)
    audit = planned(running.app)
    handle = await start(running, audit)
    with pytest.raises(WorkflowAlreadyStartedError):
        await start(running, audit)
    await handle.terminate("test over")


def yearly_template(**changes: Any) -> YearlyAuditInput:
    """The yearly audit as the settings describe it: its returns due each 15 May."""
    fields: dict[str, Any] = {
        "theme": "supervision and management oversight", "dimension": "multi_agency",
        "audit_type": "multi_agency_practice", "agencies": AGENCIES, "sample_size": 2,
        "returns_due": date(2000, 5, 15)}
    return YearlyAuditInput(**(fields | changes))


async def test_the_yearly_audit_workflow_plans_the_years_audit_and_starts_its_cycle(
    running: Running,
) -> None:
    app, cases = running.app, open_cases(running.app)
    with running.env.with_time_skipping_disabled():
        yearly = await running.client.start_workflow(
            YearlyAuditWorkflow.run, yearly_template(), id=f"{YEARLY}-{uuid.uuid4().hex[:8]}",
            task_queue=running.task_queue)
    audit_id = await yearly.result()
    started = (await yearly.describe()).start_time
    assert started is not None
    cycle = running.client.get_workflow_handle_for(AuditCycleWorkflow.run,
                                                   audit_cycle_id(audit_id))
    try:
        status = await eventually(at_stage(cycle, "returns_requested"))
        audit = app.load(UUID(audit_id), AuditRecord)
        assert UUID(audit_id) == AuditRecord.create_id(yearly_reference(started.year))
        assert (audit.reference, audit.year, audit.theme) == (
            f"audit-cycle-{started.year}", started.year, "supervision and management oversight")
        assert audit.returns_due == next_occurrence(date(2000, 5, 15), started.date())
        assert audit.returns_due.timetuple()[1:3] == (5, 15) and audit.returns_due > started.date()
        [plan] = events(app, audit.id, "Planned")
        assert plan.occurred_on == started  # when the plan fell due: the workflow's start
        [step] = steps(app, audit.id, "audit planned")
        assert step.details == {"command": "PlanAudit", "year": started.year,
                                "returns_due": audit.returns_due.isoformat()}
        assert audit.selection_seed is not None  # drawn by the cycle, and recorded
        assert audit.selected_cases == select_at_random(list(cases.values()),
                                                        audit.selection_seed, 2)
        assert status.selected_cases == audit.selected_cases
        [requested] = events(app, audit.id, "ReturnsRequested")
        assert requested.occurred_on == started  # the cycle follows the plan's date
    finally:
        await cycle.terminate("test over")
    await keep_history(yearly, "YearlyAuditWorkflow-plans-and-starts-a-cycle")


async def test_the_yearly_schedule_starts_the_yearly_audit(running: Running) -> None:
    app, cases = running.app, open_cases(running.app)
    template = yearly_template()
    schedule_id = f"audit-cycle-yearly-{uuid.uuid4().hex[:8]}"
    schedule = await ensure_audit_schedule(running.client, template, month=4, day=1,
                                           schedule_id=schedule_id,
                                           task_queue=running.task_queue)
    try:
        described = await schedule.describe()
        calendar = described.schedule.spec.calendars[0]
        assert (calendar.month[0].start, calendar.day_of_month[0].start) == (4, 1)
        assert described.schedule.policy.overlap == ScheduleOverlapPolicy.ALLOW_ALL
        await ensure_audit_schedule(running.client, template, month=4, day=1,
                                    schedule_id=schedule_id, task_queue=running.task_queue)

        await schedule.trigger()
        workflow_id = await eventually(lambda: started_by(schedule))
        assert workflow_id.startswith(f"{YEARLY}-")
        yearly = running.client.get_workflow_handle_for(YearlyAuditWorkflow.run, workflow_id)
        audit_id = await yearly.result()
        cycle = running.client.get_workflow_handle(audit_cycle_id(audit_id))
        try:
            await eventually(at_stage(cycle, "returns_requested"))
            audit = app.load(UUID(audit_id), AuditRecord)
            started = (await yearly.describe()).start_time
            assert started is not None and audit.year == started.year
            assert audit.selection_seed is not None
            assert audit.selected_cases == select_at_random(list(cases.values()),
                                                            audit.selection_seed, 2)
        finally:
            await cycle.terminate("test over")
    finally:
        await schedule.delete()


async def started_by(schedule: Any) -> str | None:
    actions = (await schedule.describe()).info.recent_actions
    return actions[0].action.workflow_id if actions else None
