"""A Safeguarder's appointment on the real dev server.

Live scenarios move the workflow's clock on explicitly, and people date what they did by it:
three appointment years with one missed requirement and a re-appointment into term 2, a term
that ends without re-appointment, refused actions, a failed interview, a concern with its own
escalation ladder and a resignation. Two scenarios lie wholly in the past, recorded on the
record before any process followed it: the appointment catches up, every step dated when it
fell due (not by the clock), and a year's shortfall is withdrawn when its support session and
two sampled reports are entered late.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from temporalio.client import WorkflowExecutionStatus, WorkflowHandle
from temporalio.exceptions import WorkflowAlreadyStartedError

from domain.application import Assured
from domain.panel import Mentor, Region
from domain.panel_commands import (
    AccreditMentor,
    AddSupportManager,
    EstablishRegion,
    RecordMentorTraining,
    RecruitMentor,
)
from domain.policy import DEFAULT_POLICY, add_months
from domain.safeguarder import Safeguarder
from domain.safeguarder_commands import (
    Allocate,
    ApplyToPanel,
    Appoint,
    AssignMentor,
    RaiseSafeguarderConcern,
    Recommend,
    RecordAssessment,
    RecordInterview,
    RecordMentoringSession,
    RecordMinistersDecision,
    RecordSampledReport,
    RecordSupportSession,
    Resign,
)
from tests.commands import Commands
from tests.workflows.conftest import (
    Running,
    advance_to,
    eventually,
    events,
    keep_history,
    noon,
    now,
    refused,
    steps,
)
from workflows.acting import Acted
from workflows.appointment.types import AppointmentStatus
from workflows.appointment.workflow import AppointmentWorkflow, appointment_id
from workflows.common import Deadline, end_of, start_of
from workflows.escalation.types import escalation_id
from workflows.escalation.workflow import EscalationWorkflow
from workflows.routing import route, start_for

LEAD = "spt-lead"  # the panel team lead
MANAGER = "sm-east-a"  # support managers are named by role code in tests
MINISTERS = "scottish-ministers"
SCT = "SCT"  # the appointment counts Scotland's working days
POLICY = DEFAULT_POLICY

cmd = Commands(by=LEAD)


# --- the people and the records ----------------------------------------------------------------


def applicant(app: Assured, applied: datetime) -> Safeguarder:
    """An applicant in the East region, whose two support managers are on record."""
    region = app.establish_region(EstablishRegion(region=Region.EAST, by=LEAD, at=applied))
    for manager in (MANAGER, "sm-east-b"):
        app.add_support_manager(AddSupportManager(record_id=region.aggregate_id,
                                                  manager=manager, by=LEAD, at=applied))
    return app.apply_to_panel(ApplyToPanel(name="Applicant", region=Region.EAST, by="spt",
                                           at=applied)).record


def a_week_ago() -> datetime:
    return datetime.now(UTC) - timedelta(days=7)


def accredited_mentor(app: Assured, at: datetime) -> Mentor:
    mentor = app.recruit_mentor(RecruitMentor(name="Experienced Safeguarder", by=LEAD,
                                              at=at)).record
    app.record_mentor_training(RecordMentorTraining(record_id=mentor.id, by=LEAD, at=at))
    app.accredit_mentor(AccreditMentor(record_id=mentor.id, by=LEAD, at=at))
    return mentor


async def start(running: Running, safeguarder: Safeguarder) -> WorkflowHandle:
    """The process the application started, its clock held: the test moves it itself."""
    found = start_for("safeguarder", safeguarder)
    assert found is not None and found.workflow_id == appointment_id(str(safeguarder.id))
    with running.env.with_time_skipping_disabled():
        return await running.client.start_workflow(
            found.run, found.argument, id=found.workflow_id, task_queue=running.task_queue)


async def act(running: Running, handle: WorkflowHandle, update: Any, kind: type,
              safeguarder: Safeguarder, **fields: Any) -> Acted:
    """A person's command on the Safeguarder, dated by the workflow's clock unless told."""
    fields.setdefault("at", await now(running, handle))
    acted: Acted = await handle.execute_update(update, cmd(kind, safeguarder, **fields))
    return acted


async def appointed(running: Running, handle: WorkflowHandle, s: Safeguarder) -> datetime:
    """Interview and assessment passed, appointed from the virtual today; the appointment's
    instant (the term starts that day)."""
    await act(running, handle, AppointmentWorkflow.record_interview, RecordInterview, s,
              passed=True, notes="clear motivation", by="spt-interviewer")
    await act(running, handle, AppointmentWorkflow.record_assessment, RecordAssessment, s,
              passed=True, notes="assessment passed", by="spt-assessor")
    at = await now(running, handle)
    answer = await act(running, handle, AppointmentWorkflow.appoint, Appoint, s,
                       term_starts_on=at.date(), by=MINISTERS, at=at)
    assert answer.answer == "Appointed; status: appointed"
    assert answer.receipt is not None and answer.receipt.aggregate_id == s.id
    return at


async def a_year_of_support(running: Running, handle: WorkflowHandle, s: Safeguarder,
                            session_id: str, at: datetime | None = None) -> None:
    """The year's individual support session with its two sampled reports."""
    when = {"at": at} if at is not None else {}
    await act(running, handle, AppointmentWorkflow.record_support_session, RecordSupportSession,
              s, session_id=session_id, notes="reflective discussion", by=MANAGER, **when)
    for report in ("R1", "R2"):
        await act(running, handle, AppointmentWorkflow.record_sampled_report,
                  RecordSampledReport, s, report_ref=f"{session_id}-{report}",
                  session_id=session_id, discussion="report discussed", by=MANAGER, **when)


# --- what the process did ----------------------------------------------------------------------


def done(app: Assured, s: Safeguarder, name: str) -> list[tuple[Any, datetime]]:
    """Each step `name` the appointment recorded: its year (if any) and when it is dated."""
    return [(e.details.get("year"), e.occurred_on) for e in steps(app, s.id, name)]


def years(app: Assured, s: Safeguarder, name: str) -> list[int]:
    return [year for year, _ in done(app, s, name)]


def has_step(app: Assured, s: Safeguarder, name: str, year: int | None = None) -> Any:
    async def check() -> bool:
        return any(year is None or y == year for y, _ in done(app, s, name))
    return check


async def status(handle: WorkflowHandle) -> AppointmentStatus:
    return await handle.query(AppointmentWorkflow.status)


def stage_is(handle: WorkflowHandle, stage: str) -> Any:
    async def check() -> AppointmentStatus | None:
        current = await status(handle)
        return current if current.stage == stage else None
    return check


def term_is(handle: WorkflowHandle, term: int) -> Any:
    async def check() -> AppointmentStatus | None:
        current = await status(handle)
        return current if current.term == term and current.history else None
    return check


def year_starts(first: date, year: int) -> date:
    return add_months(first, 12 * (year - 1))


def year_due(first: date, year: int) -> date:
    """A year's support session and two sampled reports are due by its last day."""
    return year_starts(first, year + 1) - timedelta(days=1)


def mentoring_due(first: date) -> list[date]:
    """A peer mentoring session is due by the end of each quarter of the first year."""
    found, quarter = [], first
    for _ in range(4):
        quarter = add_months(quarter, 3)
        found.append(quarter - timedelta(days=1))
    return found


# --- live scenarios ----------------------------------------------------------------------------


async def test_three_years_with_a_missed_requirement_then_reappointment_into_term_2(
    running: Running,
) -> None:
    app, s = running.app, applicant(running.app, a_week_ago())
    handle = await start(running, s)
    first_run = (await handle.describe()).run_id
    appointment = await appointed(running, handle, s)
    starts = appointment.date()
    await eventually(has_step(app, s, "peer mentoring due dates set"))  # year 1 has begun
    assert done(app, s, "allocation requested") == [(None, appointment)]
    # Year 1's due dates are set as it begins, but not before the appointment they follow.
    assert done(app, s, "support due dates set") == [(1, appointment)]
    assert done(app, s, "peer mentoring due dates set") == [(1, appointment)]
    await act(running, handle, AppointmentWorkflow.allocate, Allocate, s, manager=MANAGER)
    mentor = accredited_mentor(app, appointment)
    assignment = cmd(AssignMentor, s, mentor_id=mentor.id, at=await now(running, handle))
    assert route(assignment) is None  # no process follows it: it runs directly
    app.assign_mentor(assignment)
    await act(running, handle, AppointmentWorkflow.record_mentoring_session,
              RecordMentoringSession, s, notes="first quarter's session")
    await a_year_of_support(running, handle, s, "S-1")

    await advance_to(running, handle, noon(year_starts(starts, 2)))  # year 2 has begun
    await eventually(has_step(app, s, "support due dates set", 2))
    assert done(app, s, "annual requirement met") == [(1, end_of(year_due(starts, 1)))]
    assert end_of(year_due(starts, 1)) == start_of(year_starts(starts, 2))
    assert done(app, s, "support due dates set")[1] == (2, start_of(year_starts(starts, 2)))
    assert [at for _, at in done(app, s, "peer mentoring session due")] == [
        start_of(due) for due in mentoring_due(starts)]
    assert not steps(app, s.id, "support reminder sent")  # year 1 was met in time
    allocation_due = POLICY.allocation_reminder.after(starts, SCT)
    assert await handle.query(AppointmentWorkflow.deadlines) == [
        Deadline("support manager allocation", allocation_due, True),
        Deadline("support year 1", year_due(starts, 1), True),
        Deadline("support year 2", year_due(starts, 2), False),
        *(Deadline(f"peer mentoring session {n}", due, n == 1)
          for n, due in enumerate(mentoring_due(starts), start=1))]

    await advance_to(running, handle, noon(year_starts(starts, 3)))  # year 2 passed unmet
    await eventually(has_step(app, s, "shortfall escalated to panel team lead"))
    shortfalls = events(app, s.id, "AnnualShortfallRecorded")
    assert [(e.year, e.occurred_on) for e in shortfalls] == [(2, end_of(year_due(starts, 2)))]
    assert done(app, s, "shortfall escalated to panel team lead") == [
        (2, end_of(year_due(starts, 2)))]
    assert done(app, s, "support reminder sent") == [
        (2, start_of(add_months(year_due(starts, 2), -1)))]
    assert (await status(handle)).unmet_years == [2]
    await a_year_of_support(running, handle, s, "S-3")

    ends = add_months(starts, 36)
    review_opens = add_months(ends, -6)
    await advance_to(running, handle, noon(review_opens))  # the review opens
    await eventually(stage_is(handle, "in re-appointment review"))
    [opened] = events(app, s.id, "ReappointmentReviewOpened")
    assert opened.occurred_on == start_of(review_opens)
    rule = await refused(handle, AppointmentWorkflow.recommend, cmd(
        Recommend, s, reappoint=True, rationale="sound practice", by=MANAGER,
        at=await now(running, handle)))
    # The refusal names the unmet year once (the process once kept its own list of unmet
    # years, appended to on top of the record's: "years [1, 2, 3, 1, 2, 3]").
    assert rule == ("A recommendation to re-appoint is refused while an annual requirement is "
                    "unmet (year 2), unless an exception reason is given")
    await act(running, handle, AppointmentWorkflow.recommend, Recommend, s, reappoint=True,
              rationale="sound practice", exception_reason="year 2 support manager on leave",
              by=MANAGER)
    decided = await act(running, handle, AppointmentWorkflow.record_ministers_decision,
                        RecordMinistersDecision, s, reappoint=True, by=MINISTERS)
    assert decided.answer == "Ministers' decision recorded; status: appointed"

    await advance_to(running, handle, noon(ends))  # term 1 ends: continue as new
    term_2 = await eventually(term_is(handle, 2))
    assert (term_2.stage, term_2.term_starts_on) == ("appointed", ends)
    assert (await handle.describe()).run_id != first_run
    assert done(app, s, "annual requirement met") == [
        (1, end_of(year_due(starts, 1))), (3, end_of(year_due(starts, 3)))]
    assert done(app, s, "support due dates set") == [
        (1, appointment), (2, start_of(year_starts(starts, 2))),
        (3, start_of(year_starts(starts, 3))), (4, start_of(ends))]
    assert [e.reappoint for e in events(app, s.id, "MinistersDecided")] == [True]
    await handle.terminate("test over")
    await keep_history(running.client.get_workflow_handle(handle.id, run_id=first_run),
                       "AppointmentWorkflow-three-years-then-reappointed")


async def test_a_late_recommendation_not_to_reappoint_ends_the_appointment(
    running: Running,
) -> None:
    app, s = running.app, applicant(running.app, a_week_ago())
    handle = await start(running, s)
    starts = (await appointed(running, handle, s)).date()

    await advance_to(running, handle, noon(starts + timedelta(days=21)))  # no allocation yet
    await eventually(has_step(app, s, "allocation reminder sent"))
    allocation_due = POLICY.allocation_reminder.after(starts, SCT)  # 10 working days
    [reminder] = steps(app, s.id, "allocation reminder sent")
    assert (reminder.details["to"], reminder.occurred_on) == ("panel team lead",
                                                             end_of(allocation_due))
    await act(running, handle, AppointmentWorkflow.allocate, Allocate, s, manager=MANAGER)

    due = (await status(handle)).recommendation_due
    assert due == add_months(add_months(starts, 36), -3)  # three months before the term ends
    await advance_to(running, handle, noon(due + timedelta(days=1)))  # it is late
    await eventually(has_step(app, s, "recommendation escalated to panel team lead"))
    assert done(app, s, "recommendation escalated to panel team lead") == [(None, end_of(due))]
    assert done(app, s, "recommendation reminder sent") == [
        (None, start_of(POLICY.reminder_lead.before(due, SCT)))]
    assert [(e.year, e.occurred_on) for e in events(app, s.id, "AnnualShortfallRecorded")] == [
        (1, end_of(year_due(starts, 1))), (2, end_of(year_due(starts, 2)))]

    await act(running, handle, AppointmentWorkflow.recommend, Recommend, s, reappoint=False,
              rationale="requirements not met", by=MANAGER)
    assert (await handle.query(AppointmentWorkflow.deadlines))[-1] == \
        Deadline("recommendation", due, True)
    decided = await act(running, handle, AppointmentWorkflow.record_ministers_decision,
                        RecordMinistersDecision, s, reappoint=False, by=MINISTERS)
    assert decided.answer == "Ministers' decision recorded; status: appointment ended"
    result = await handle.result()
    assert result.stage == "appointment ended" and result.reappointed is False
    assert app.load(s.id, Safeguarder).status == "appointment ended"
    await keep_history(handle, "AppointmentWorkflow-not-reappointed")


async def test_an_update_that_breaks_a_rule_is_rejected_and_changes_nothing(
    running: Running,
) -> None:
    app, s = running.app, applicant(running.app, a_week_ago())
    other = app.apply_to_panel(ApplyToPanel(name="Another applicant", region=Region.EAST,
                                            by="spt", at=a_week_ago())).record
    handle = await start(running, s)
    before = len(app.stored_events(s.id))
    at = await now(running, handle)
    assert "follows a passed interview" in await refused(
        handle, AppointmentWorkflow.record_assessment,
        cmd(RecordAssessment, s, passed=True, notes="too early", at=at))
    assert "another record than this process's" in await refused(
        handle, AppointmentWorkflow.record_interview,
        cmd(RecordInterview, other, passed=True, at=at))
    assert (await status(handle)).stage == "applicant"
    assert len(app.stored_events(s.id)) == before

    appointment = await appointed(running, handle, s)
    await eventually(has_step(app, s, "peer mentoring due dates set"))  # year 1 has begun
    before = len(app.stored_events(s.id))
    at = await now(running, handle)
    refusals = {  # each the record's rule, refused by the activity
        "support manager of their region": (AppointmentWorkflow.allocate, cmd(
            Allocate, s, manager="sm-north-a", at=at)),
        "open re-appointment review": (AppointmentWorkflow.recommend, cmd(
            Recommend, s, reappoint=True, rationale="early", by=MANAGER, at=at)),
        "cannot be dated before the appointment": (AppointmentWorkflow.record_support_session,
                                                   cmd(RecordSupportSession, s, session_id="S-0",
                                                       by=MANAGER,
                                                       at=appointment - timedelta(days=1))),
    }
    for rule, (update, command) in refusals.items():
        assert rule in await refused(handle, update, command), rule
    current = await status(handle)
    assert (current.stage, current.support_manager) == ("appointed", None)
    assert len(app.stored_events(s.id)) == before
    await handle.terminate("test over")


async def test_an_applicant_who_fails_the_interview_is_not_appointed(running: Running) -> None:
    s = applicant(running.app, a_week_ago())
    handle = await start(running, s)
    await act(running, handle, AppointmentWorkflow.record_interview, RecordInterview, s,
              passed=False, notes="not suitable", by="spt-interviewer")
    assert (await handle.result()).stage == "not appointed"
    assert running.app.load(s.id, Safeguarder).status == "not appointed"


async def test_a_second_start_for_the_same_safeguarder_is_refused(running: Running) -> None:
    s = applicant(running.app, a_week_ago())
    handle = await start(running, s)
    with pytest.raises(WorkflowAlreadyStartedError):
        await start(running, s)
    await handle.terminate("test over")


async def test_a_concern_climbs_its_own_ladder_and_a_resignation_ends_the_appointment(
    running: Running,
) -> None:
    app, s = running.app, applicant(running.app, a_week_ago())
    handle = await start(running, s)
    await appointed(running, handle, s)
    await act(running, handle, AppointmentWorkflow.allocate, Allocate, s, manager=MANAGER)
    raised = await now(running, handle)
    answer = await act(running, handle, AppointmentWorkflow.raise_concern,
                       RaiseSafeguarderConcern, s, concern_id="C-1", about="behaviour",
                       summary="late to hearings", by="reporter", at=raised)
    assert answer.answer == "Concern C-1 raised and escalated to stage 1"
    assert app.load(s.id, Safeguarder).concerns["C-1"]["about"] == "behaviour"
    ladder = running.client.get_workflow_handle(escalation_id(str(s.id), "C-1"))
    opened = await eventually(lambda: stage_opened(ladder))
    assert (opened.stage, opened.stage_name) == (1, "supervisor")
    assert opened.response_due == POLICY.escalation_stage_response.after(raised.date(), SCT)
    await eventually(has_step(app, s, "stage 1 opened"))
    assert [e.occurred_on for e in steps(app, s.id, "stage 1 opened")] == [raised]

    await act(running, handle, AppointmentWorkflow.resign, Resign, s, reason="moving abroad",
              by=str(s.id))
    assert (await handle.result()).stage == "resigned"
    await keep_history(handle, "AppointmentWorkflow-concern-then-resignation")
    assert (await ladder.describe()).status == WorkflowExecutionStatus.RUNNING  # it outlives
    await ladder.terminate("test over")


async def stage_opened(ladder: WorkflowHandle) -> Any:
    current = await ladder.query(EscalationWorkflow.status)
    return current if current.response_due is not None else None


# --- scenarios wholly in the past --------------------------------------------------------------

TERM_1 = date(2021, 3, 1)  # to 1 March 2024: every date of the term has passed


def on(day: date) -> datetime:
    """A fact of the past scenarios, on `day` at ten in the morning."""
    return datetime(day.year, day.month, day.day, 10, tzinfo=UTC)


def served_from_2021(app: Assured) -> Safeguarder:
    """A Safeguarder whose first term, March 2021 to March 2024, lies wholly in the past, every
    fact on the record before any process followed it: allocated on time, years 1 and 3 each
    with a support session and two sampled reports, year 2 with none, and no recommendation."""
    s = applicant(app, on(date(2021, 1, 11)))
    app.record_interview(cmd(RecordInterview, s, passed=True, at=on(date(2021, 1, 25))))
    app.record_assessment(cmd(RecordAssessment, s, passed=True, at=on(date(2021, 2, 8))))
    app.appoint(cmd(Appoint, s, term_starts_on=TERM_1, by=MINISTERS, at=on(date(2021, 2, 22))))
    app.allocate(cmd(Allocate, s, manager=MANAGER, at=on(date(2021, 3, 3))))
    for session, day in (("S-1", date(2021, 9, 13)), ("S-3", date(2023, 10, 9))):
        app.record_support_session(cmd(RecordSupportSession, s, session_id=session,
                                       by=MANAGER, at=on(day)))
        for report in ("R1", "R2"):
            app.record_sampled_report(cmd(RecordSampledReport, s,
                                          report_ref=f"{session}-{report}", session_id=session,
                                          by=MANAGER, at=on(day)))
    return s


def written(moment: datetime) -> str:
    """A date as people write it: 1 December 2026."""
    return f"{moment:%d %B %Y}".lstrip("0")


def midnight(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, tzinfo=UTC)


async def test_an_appointment_recorded_in_the_past_catches_up_each_step_dated_when_it_fell_due(
    running: Running,
) -> None:
    app, s = running.app, served_from_2021(running.app)
    started = datetime.now(UTC)
    handle = await start(running, s)
    await eventually(has_step(app, s, "annual requirement met", 3))

    assert [(e.step, e.details.get("year"), e.occurred_on) for e in steps(app, s.id)] == [
        ("support due dates set", 1, midnight(2021, 3, 1)),
        ("peer mentoring due dates set", 1, midnight(2021, 3, 1)),
        ("peer mentoring session due", None, midnight(2021, 5, 31)),
        ("peer mentoring session due", None, midnight(2021, 8, 31)),
        ("peer mentoring session due", None, midnight(2021, 11, 30)),
        ("peer mentoring session due", None, midnight(2022, 2, 28)),
        ("annual requirement met", 1, midnight(2022, 3, 1)),  # as 28 February 2022 ends
        ("support due dates set", 2, midnight(2022, 3, 1)),
        ("support reminder sent", 2, midnight(2023, 1, 28)),  # a month before it is due
        ("annual shortfall recorded", 2, midnight(2023, 3, 1)),
        ("shortfall escalated to panel team lead", 2, midnight(2023, 3, 1)),
        ("support due dates set", 3, midnight(2023, 3, 1)),
        ("re-appointment review opened", None, midnight(2023, 9, 1)),
        # Five Scottish working days before 1 December 2023: St Andrew's Day is a holiday.
        ("recommendation reminder sent", None, midnight(2023, 11, 23)),
        ("recommendation escalated to panel team lead", None, midnight(2023, 12, 2)),
        ("annual requirement met", 3, midnight(2024, 3, 1)),
    ]
    assert all(e.occurred_on < started for e in steps(app, s.id)), "none dated by the clock"
    assert [(e.year, e.occurred_on) for e in events(app, s.id, "AnnualShortfallRecorded")] == [
        (2, midnight(2023, 3, 1))]
    assert [e.occurred_on for e in events(app, s.id, "ReappointmentReviewOpened")] == [
        midnight(2023, 9, 1)]
    current = await status(handle)
    assert (current.stage, current.unmet_years, current.recommended) == (
        "in re-appointment review", [2], False)
    assert await handle.query(AppointmentWorkflow.deadlines) == [
        Deadline("support manager allocation", date(2021, 3, 8), True),  # 10 working days
        Deadline("support year 1", date(2022, 2, 28), True),
        Deadline("support year 2", date(2023, 2, 28), False),
        Deadline("support year 3", date(2024, 2, 29), True),
        *(Deadline(f"peer mentoring session {n}", due, False) for n, due in enumerate(
            [date(2021, 5, 31), date(2021, 8, 31), date(2021, 11, 30), date(2022, 2, 28)],
            start=1)),
        Deadline("recommendation", date(2023, 12, 1), False)]
    await handle.terminate("test over")


async def test_a_session_and_two_reports_entered_late_withdraw_the_years_shortfall(
    running: Running,
) -> None:
    app, s = running.app, served_from_2021(running.app)
    handle = await start(running, s)
    await eventually(has_step(app, s, "annual requirement met", 3))
    assert (await status(handle)).unmet_years == [2]

    # Year 2's session and reports were held on 14 November 2022, and entered only now.
    await a_year_of_support(running, handle, s, "S-2", at=on(date(2022, 11, 14)))
    [recorded] = events(app, s.id, "AnnualShortfallRecorded")
    [withdrawn] = events(app, s.id, "AnnualShortfallWithdrawn")
    entered = steps(app, s.id, "sampled report recorded")[-1].timestamp  # R2 entered then
    assert (recorded.year, recorded.occurred_on) == (2, midnight(2023, 3, 1))
    assert (withdrawn.year, withdrawn.occurred_on) == (2, entered)
    assert withdrawn.entered_late == (
        f"sampled report S-2-R2 dated 14 November 2022, entered on {written(entered)}, "
        "met year 2's requirement")
    assert done(app, s, "annual shortfall withdrawn") == [(2, entered)]
    current = await status(handle)
    assert current.unmet_years == []
    assert f"{entered.date()}: year 2 shortfall withdrawn" in current.history[-1]
    assert await handle.query(AppointmentWorkflow.deadlines) == [
        Deadline("support manager allocation", date(2021, 3, 8), True),
        Deadline("support year 1", date(2022, 2, 28), True),
        Deadline("support year 2", date(2023, 2, 28), True),
        Deadline("support year 3", date(2024, 2, 29), True),
        *(Deadline(f"peer mentoring session {n}", due, False) for n, due in enumerate(
            [date(2021, 5, 31), date(2021, 8, 31), date(2021, 11, 30), date(2022, 2, 28)],
            start=1)),
        Deadline("recommendation", date(2023, 12, 1), False)]

    # With every year met, a recommendation to re-appoint needs no exception reason.
    answer = await act(running, handle, AppointmentWorkflow.recommend, Recommend, s,
                       reappoint=True, rationale="sound practice throughout", by=MANAGER)
    assert answer.answer == "Recommendation recorded; status: in re-appointment review"
    [recommended] = events(app, s.id, "ReappointmentRecommended")
    assert recommended.unmet_years == []
    await handle.terminate("test over")
    await keep_history(handle, "AppointmentWorkflow-shortfall-withdrawn-by-a-late-entry")


def test_a_record_closed_before_the_process_first_plans_has_no_term_to_plan(
        memory_app: Assured) -> None:
    """An applicant removed at once (before the process's first plan ran): the plan is empty
    and the run ends, instead of failing the workflow with "no term 1"."""
    from domain.safeguarder_commands import ApplyToPanel, RemoveFromPanel
    from workflows.appointment.activities import AppointmentActivities

    moment = datetime(2025, 1, 6, 10, tzinfo=UTC)
    made = memory_app.apply_to_panel(ApplyToPanel(name="Lee Late", region="East", by="pa-1",
                                                  at=moment))
    memory_app.remove_from_panel(RemoveFromPanel(record_id=made.aggregate_id,
                                                 reason="references not given", by="pa-1",
                                                 at=moment + timedelta(days=1)))
    plan = AppointmentActivities(memory_app).plan_term(str(made.aggregate_id), 1)
    assert (plan.term, plan.starts_on, plan.years) == (1, None, [])
