"""A Safeguarder's appointment on the real dev server, time moved on explicitly so that people's
actions arrive at the right virtual dates: three appointment years with one missed requirement
and a re-appointment into term 2, a term that ends without re-appointment, refused actions,
a concern with its escalation ladder, and a resignation."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from temporalio.client import WorkflowExecutionStatus, WorkflowHandle, WorkflowUpdateFailedError
from temporalio.exceptions import WorkflowAlreadyStartedError

from domain.application import Assured
from domain.panel import PanelRegion
from domain.policy import add_months
from domain.safeguarder import Safeguarder
from tests.workflows.conftest import Running, eventually, keep_history
from workflows.appointment import AppointmentWorkflow, appointment_id
from workflows.appointment_types import (
    Allocation,
    Appointment,
    AppointmentInput,
    AppointmentStatus,
    Concern,
    Decision,
    Leaving,
    Outcome,
    Recommendation,
    SampledReport,
    SupportSession,
)
from workflows.common import Deadline
from workflows.escalation import EscalationWorkflow, escalation_id

MANAGER = "sm-east-a"  # support managers are named by role code in tests


def applicant(app: Assured) -> Safeguarder:
    """An applicant in the East region, whose two support managers are on record."""
    began = datetime.now(UTC) - timedelta(hours=1)
    region = PanelRegion.establish("East", by="spt-lead", at=began)
    for manager in (MANAGER, "sm-east-b"):
        region.add_support_manager(manager, by="spt-lead", at=began)
    safeguarder = Safeguarder.apply_to_panel(name="Applicant", contact={}, region="East",
                                             by="spt", at=began)
    app.record(region, safeguarder)
    return safeguarder


async def start(running: Running, safeguarder: Safeguarder) -> WorkflowHandle:
    """Started without free time skipping: the test moves the clock itself."""
    with running.env.with_time_skipping_disabled():
        return await running.client.start_workflow(
            AppointmentWorkflow.run, AppointmentInput(str(safeguarder.id)),
            id=appointment_id(str(safeguarder.id)), task_queue=running.task_queue)


async def appointed(handle: WorkflowHandle) -> date:
    """Interview and assessment passed, appointed from the virtual today; the term's start."""
    today = datetime.now(UTC).date()
    await handle.execute_update(AppointmentWorkflow.record_interview,
                                Outcome(True, "clear motivation", "spt-interviewer"))
    await handle.execute_update(AppointmentWorkflow.record_assessment,
                                Outcome(True, "assessment passed", "spt-assessor"))
    answer = await handle.execute_update(AppointmentWorkflow.appoint,
                                         Appointment(today, "scottish-ministers"))
    assert answer == f"Appointed from {today}"
    return today


async def advance_to(running: Running, handle: WorkflowHandle, day: date) -> None:
    """Move the workflow's virtual clock on to noon of `day`."""
    info = await running.env.get_time_skipping_info(handle)
    now = (info.current_time.ToDatetime().replace(tzinfo=UTC)
           if info is not None and info.HasField("current_time") else datetime.now(UTC))
    await running.env.fast_forward(handle, datetime.combine(day, time(12), UTC) - now)


def steps(app: Assured, safeguarder: Safeguarder, name: str) -> list[dict[str, Any]]:
    """The details of every step `name` the appointment recorded on the Safeguarder."""
    return [e.details for e in app.stored_events(safeguarder.id)
            if type(e).__name__ == "ProcessStepRecorded" and e.step == name]


def events(app: Assured, safeguarder: Safeguarder, kind: str) -> list[Any]:
    return [e for e in app.stored_events(safeguarder.id) if type(e).__name__ == kind]


async def status(handle: WorkflowHandle) -> AppointmentStatus:
    return await handle.query(AppointmentWorkflow.status)


async def a_year_of_support(handle: WorkflowHandle, session_id: str) -> None:
    """The year's individual support session with its two sampled reports."""
    await handle.execute_update(AppointmentWorkflow.record_support_session,
                                SupportSession(session_id, "reflective discussion", MANAGER))
    for report in ("R1", "R2"):
        await handle.execute_update(
            AppointmentWorkflow.record_sampled_report,
            SampledReport(f"{session_id}-{report}", session_id, "report discussed", MANAGER))


async def test_three_years_with_a_missed_requirement_then_reappointment_into_term_2(
    running: Running,
) -> None:
    app, safeguarder = running.app, applicant(running.app)
    handle = await start(running, safeguarder)
    first_run = (await handle.describe()).run_id
    starts = await appointed(handle)
    await eventually(lambda: has_step(app, safeguarder, "allocation requested"))
    await handle.execute_update(AppointmentWorkflow.allocate, Allocation(MANAGER, "", "spt-lead"))
    await a_year_of_support(handle, "S-1")

    await advance_to(running, handle, add_months(starts, 12))  # year 2 has begun
    await eventually(lambda: has_step(app, safeguarder, "support due dates set", 2))
    assert [d["year"] for d in steps(app, safeguarder, "annual requirement met")] == [1]
    assert len(steps(app, safeguarder, "peer mentoring session due")) == 4
    assert not steps(app, safeguarder, "support reminder sent")  # year 1 was met in time
    deadlines = await handle.query(AppointmentWorkflow.deadlines)
    assert [(d.name, d.met) for d in deadlines] == [
        ("support manager allocation", True), ("support year 1", True),
        ("support year 2", False), ("recommendation", False)]
    assert deadlines[2].due == add_months(starts, 24) - timedelta(days=1)

    await advance_to(running, handle, add_months(starts, 24))  # year 2 passed without support
    await eventually(lambda: has_step(app, safeguarder, "shortfall escalated to panel team lead"))
    assert [e.year for e in events(app, safeguarder, "AnnualShortfallRecorded")] == [2]
    assert [d["year"] for d in steps(app, safeguarder, "support reminder sent")] == [2]
    assert (await status(handle)).unmet_years == [2]
    await a_year_of_support(handle, "S-3")

    await advance_to(running, handle, add_months(starts, 30))  # the review opens
    await eventually(lambda: stage_is(handle, "in re-appointment review"))
    with pytest.raises(WorkflowUpdateFailedError) as refused:
        await handle.execute_update(AppointmentWorkflow.recommend,
                                    Recommendation(True, "sound practice", "", MANAGER))
    assert "unless an exception reason is given" in str(refused.value.cause)
    await handle.execute_update(
        AppointmentWorkflow.recommend,
        Recommendation(True, "sound practice", "year 2 support manager on leave", MANAGER))
    assert await handle.execute_update(AppointmentWorkflow.record_ministers_decision,
                                       Decision(True, "scottish-ministers")) == \
        "Re-appointed for a further term"

    await advance_to(running, handle, add_months(starts, 36))  # term 1 ends: continue as new
    term_2 = await eventually(lambda: term_is(handle, 2))
    assert (term_2.stage, term_2.term_starts_on) == ("appointed", add_months(starts, 36))
    assert (await handle.describe()).run_id != first_run
    assert [d["year"] for d in steps(app, safeguarder, "annual requirement met")] == [1, 3]
    assert [d["year"] for d in steps(app, safeguarder, "support due dates set")] == [1, 2, 3, 4]
    assert [e.reappoint for e in events(app, safeguarder, "MinistersDecided")] == [True]
    await handle.terminate("test over")
    await keep_history(running.client.get_workflow_handle(handle.id, run_id=first_run),
                       "AppointmentWorkflow-three-years-then-reappointed")


async def has_step(app: Assured, safeguarder: Safeguarder, name: str,
                   year: int | None = None) -> bool:
    return any(year is None or d.get("year") == year for d in steps(app, safeguarder, name))


async def stage_is(handle: WorkflowHandle, stage: str) -> AppointmentStatus | None:
    current = await status(handle)
    return current if current.stage == stage else None


async def term_is(handle: WorkflowHandle, term: int) -> AppointmentStatus | None:
    current = await status(handle)
    return current if current.term == term and current.history else None


async def test_a_late_recommendation_not_to_reappoint_ends_the_appointment(
    running: Running,
) -> None:
    app, safeguarder = running.app, applicant(running.app)
    handle = await start(running, safeguarder)
    starts = await appointed(handle)

    await advance_to(running, handle, starts + timedelta(days=21))  # no allocation yet
    await eventually(lambda: has_step(app, safeguarder, "allocation reminder sent"))
    assert steps(app, safeguarder, "allocation reminder sent")[0]["to"] == "panel team lead"
    await handle.execute_update(AppointmentWorkflow.allocate, Allocation(MANAGER, "", "spt-lead"))

    due = (await status(handle)).recommendation_due
    assert due is not None
    await advance_to(running, handle, due + timedelta(days=1))  # the recommendation is late
    await eventually(lambda: has_step(app, safeguarder,
                                      "recommendation escalated to panel team lead"))
    assert len(steps(app, safeguarder, "recommendation reminder sent")) == 1
    assert [e.year for e in events(app, safeguarder, "AnnualShortfallRecorded")] == [1, 2]

    await handle.execute_update(AppointmentWorkflow.recommend,
                                Recommendation(False, "requirements not met", "", MANAGER))
    assert (await handle.query(AppointmentWorkflow.deadlines))[-1] == \
        Deadline("recommendation", due, True)
    assert await handle.execute_update(AppointmentWorkflow.record_ministers_decision,
                                       Decision(False, "scottish-ministers")) == \
        "Appointment ended"
    result = await handle.result()
    assert result.stage == "appointment ended" and result.reappointed is False
    assert app.load(safeguarder.id, Safeguarder).status == "appointment ended"
    await keep_history(handle, "AppointmentWorkflow-not-reappointed")


async def test_an_update_that_breaks_a_rule_is_rejected_and_changes_nothing(
    running: Running,
) -> None:
    app, safeguarder = running.app, applicant(running.app)
    handle = await start(running, safeguarder)
    before = len(app.stored_events(safeguarder.id))
    with pytest.raises(WorkflowUpdateFailedError) as refused:
        await handle.execute_update(AppointmentWorkflow.record_assessment,
                                    Outcome(True, "too early", "spt-assessor"))
    assert "follows a passed interview" in str(refused.value.cause)
    assert (await status(handle)).stage == "applicant"
    assert len(app.stored_events(safeguarder.id)) == before

    await appointed(handle)
    await eventually(lambda: has_step(app, safeguarder, "peer mentoring due dates set"))
    before = len(app.stored_events(safeguarder.id))
    with pytest.raises(WorkflowUpdateFailedError) as refused:  # the record's rule, via activity
        await handle.execute_update(AppointmentWorkflow.allocate,
                                    Allocation("sm-north-a", "", "spt-lead"))
    assert "support manager of their region" in str(refused.value.cause)
    with pytest.raises(WorkflowUpdateFailedError) as refused:
        await handle.execute_update(AppointmentWorkflow.recommend,
                                    Recommendation(True, "early", "", MANAGER))
    assert "open re-appointment review" in str(refused.value.cause)
    current = await status(handle)
    assert (current.stage, current.support_manager) == ("appointed", None)
    assert len(app.stored_events(safeguarder.id)) == before
    await handle.terminate("test over")


async def test_an_applicant_who_fails_the_interview_is_not_appointed(running: Running) -> None:
    safeguarder = applicant(running.app)
    handle = await start(running, safeguarder)
    await handle.execute_update(AppointmentWorkflow.record_interview,
                                Outcome(False, "not suitable", "spt-interviewer"))
    assert (await handle.result()).stage == "not appointed"
    assert running.app.load(safeguarder.id, Safeguarder).status == "not appointed"


async def test_a_second_start_for_the_same_safeguarder_is_refused(running: Running) -> None:
    safeguarder = applicant(running.app)
    handle = await start(running, safeguarder)
    with pytest.raises(WorkflowAlreadyStartedError):
        await start(running, safeguarder)
    await handle.terminate("test over")


async def test_a_concern_climbs_its_own_ladder_and_a_resignation_ends_the_appointment(
    running: Running,
) -> None:
    app, safeguarder = running.app, applicant(running.app)
    handle = await start(running, safeguarder)
    await appointed(handle)
    await handle.execute_update(AppointmentWorkflow.allocate, Allocation(MANAGER, "", "spt-lead"))
    await handle.execute_update(AppointmentWorkflow.raise_concern,
                                Concern("C-1", "behaviour", "late to hearings", "reporter"))
    assert app.load(safeguarder.id, Safeguarder).concerns["C-1"]["about"] == "behaviour"
    ladder = running.client.get_workflow_handle(escalation_id(str(safeguarder.id), "C-1"))
    opened = await eventually(lambda: ladder.query(EscalationWorkflow.status))
    assert opened.stage == 1

    await handle.execute_update(AppointmentWorkflow.resign,
                                Leaving("moving abroad", str(safeguarder.id)))
    assert (await handle.result()).stage == "resigned"
    await keep_history(handle, "AppointmentWorkflow-concern-then-resignation")
    assert (await ladder.describe()).status == WorkflowExecutionStatus.RUNNING  # it outlives
    await ladder.terminate("test over")
