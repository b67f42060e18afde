"""Supervision arrangements on the real dev server (issue 12, items 1, 3 and 4): a school's
half-termly arrangement misses a half term (reminded, then the miss recorded and escalated to the
line manager, dated when the half term ended); a session on seed 002's agenda has two of the
supervisee's open cases chosen for its case-file audit, at random with the seed recorded; the
contract's review is reminded (with the evaluation invited) and recorded overdue; a level-1
confidentiality matter not reported within a working day is escalated to the safeguarding lead;
and each role sees only what the policy allows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from temporalio.client import WorkflowHandle

from api.auth import Principal
from api.policy import Action, Decision, decide, redact
from api.access import facts_of
from domain.accounts import Role
from domain.arrangement import SupervisionArrangement
from domain.arrangement_commands import (
    CompleteLineManagementAction,
    EndArrangement,
    MarkConfidentiality,
    RecordCaseFileAudit,
    ReviewArrangement,
)
from domain.audit import select_at_random
from domain.errors import RuleBroken
from domain.history import state_of
from domain.policy import DEFAULT_POLICY
from tests.commands import Commands
from tests.workflows.arrangements import (
    LINE_MANAGER,
    SAFEGUARDING_LEAD,
    SUPERVISEE,
    SUPERVISOR,
    cases_of,
    half_terms_around,
    make,
    session,
    start,
    term_calendar,
    today,
)
from tests.workflows.conftest import Running, eventually, events, now, step_names, steps
from workflows.acting import Acted
from workflows.arrangement.types import ArrangementStatus
from workflows.arrangement.workflow import SupervisionArrangementWorkflow as Arrangement
from workflows.common import Deadline, end_of, start_of

cmd = Commands(by=SUPERVISOR)


def status_where(handle: WorkflowHandle, check: Any) -> Any:
    async def found() -> ArrangementStatus | None:
        status = await handle.query(Arrangement.status)
        return status if check(status) else None
    return found


def sees(username: str, record: SupervisionArrangement, role: Role = Role.SUPERVISOR) -> Any:
    """The arrangement as `username` may read it, or None when it is hidden from them."""
    who = Principal(username, role)
    if decide(who, Action.READ, facts_of("arrangement", record)) != Decision.ALLOW:
        return None
    return redact(who, "arrangement", state_of(record))


async def test_a_school_half_term_missed_is_escalated_and_a_session_audits_two_cases(
        running: Running) -> None:
    app, day = running.app, today()
    began = datetime.now(UTC) - timedelta(minutes=1)
    halves = half_terms_around(day, [(-3, 9), (16, 45), (53, 90)])
    calendar = term_calendar(app, halves, began)
    school = make(app, began, frequency="half_termly", term_calendar_id=calendar.id)
    opened = cases_of(app, SUPERVISEE, began, open_=3, closed=1)
    cases_of(app, "pr-other", began, open_=2)
    handle = await start(running, school)
    first = await eventually(status_where(handle, lambda s: s.due == halves[0].ends_on))
    assert first.requirement == "half term Half term 1"
    assert await handle.query(Arrangement.deadlines) == [
        Deadline("next session", halves[0].ends_on, False),
        Deadline("arrangement review", school.review_on, False)]

    await running.env.fast_forward(handle, timedelta(days=11))  # past the half term's end
    missed = await eventually(status_where(handle, lambda s: s.missed))
    assert missed.missed == [f"half term Half term 1 (due {halves[0].ends_on})"]
    [gone] = events(app, school.id, "SessionMissed")
    assert (gone.period_opens_on, gone.period_ends_on) == (began.date(), halves[0].ends_on)
    assert gone.occurred_on == end_of(halves[0].ends_on)  # dated when the half term ended
    assert gone.escalated_to == LINE_MANAGER and gone.actor == "process:supervision-arrangement"
    reminder_on = DEFAULT_POLICY.reminder_lead.before(halves[0].ends_on, "ENG")
    [reminded] = steps(app, school.id, "session reminder sent")
    assert reminded.occurred_on == max(start_of(reminder_on), school.opened_on)
    assert reminded.details["to"] == "supervisor and supervisee"
    await eventually(status_where(handle, lambda s: s.due == halves[1].ends_on))

    held = await now(running, handle)  # in the break: it counts for the next half term
    acted: Acted = await handle.execute_update(Arrangement.record_session, session(school, held))
    [chosen] = events(app, school.id, "CaseFileAuditSelected")
    assert chosen.population == opened and chosen.occurred_on == held
    assert chosen.selection == select_at_random(opened, chosen.seed, 2)  # rerun from its seed
    assert acted.answer == f"Session S-1 recorded; case-file audit of: {', '.join(chosen.selection)}"
    await eventually(status_where(handle, lambda s: s.due == halves[2].ends_on))
    app.record_case_file_audit(cmd(  # the supervisor records the audit of a chosen case
        RecordCaseFileAudit, school, session_id="S-1", case_id=chosen.selection[0],
        strengths="Chronology up to date", learning_points="Record the child's voice",
        at=held + timedelta(minutes=30)))

    record = app.load(school.id, SupervisionArrangement)
    mine = sees(SUPERVISOR, record)
    assert mine["sessions"]["S-1"]["agenda"]["trends"] == "More online-safety disclosures"
    assert mine["sessions"]["S-1"]["audit"]["findings"][chosen.selection[0]]["strengths"]
    managers = sees(LINE_MANAGER, record)
    assert managers["missed"][0]["period_ends_on"] == halves[0].ends_on
    assert managers["sessions"]["S-1"] == {"session_id": "S-1", "held_on": held,
                                           "supervisor": SUPERVISOR}  # no agenda, no audit
    assert sees("su-other", record) is None
    assert step_names(app, school.id, "supervision-arrangement")[:5] == [
        "next session due", "session reminder sent",
        "session missed: escalated to the line manager", "next session due", "session recorded"]

    await handle.execute_update(Arrangement.end, cmd(EndArrangement, school, reason="left",
                                                     at=await now(running, handle)))
    final = await handle.result()
    assert final.state == "ended" and final.sessions == 1


async def test_a_contract_review_overdue_is_recorded_and_a_review_sets_the_next(
        running: Running) -> None:
    app = running.app
    began = datetime.now(UTC) - timedelta(minutes=1)
    review_on = began.date() + timedelta(days=10)
    contract = make(app, began, review_on=review_on)
    handle = await start(running, contract)
    await eventually(status_where(handle, lambda s: s.due is not None))
    await running.env.fast_forward(handle, timedelta(days=12))
    await eventually(lambda: _async(events(app, contract.id, "ReviewOverdue")))
    [overdue] = events(app, contract.id, "ReviewOverdue")
    assert overdue.review_on == review_on and overdue.occurred_on == end_of(review_on)
    reminder_on = DEFAULT_POLICY.reminder_lead.before(review_on, "ENG")
    [reminded] = steps(app, contract.id, "review reminder sent")
    [invited] = steps(app, contract.id, "evaluation invited")
    assert reminded.occurred_on == invited.occurred_on == max(start_of(reminder_on),
                                                              contract.opened_on)
    assert invited.details["to"] == "supervisee"
    # The parties' next session was due a month on: the supervisee is reminded of that too.
    assert [d.name for d in await handle.query(Arrangement.deadlines)] == [
        "next session", "arrangement review"]

    reviewed = await now(running, handle)
    acted = await handle.execute_update(Arrangement.review, cmd(
        ReviewArrangement, contract, notes="Frequency still right", at=reviewed,
        next_review_on=reviewed.date() + timedelta(days=180)))
    assert acted.answer == f"Arrangement reviewed; next review on {reviewed.date() + timedelta(days=180)}"
    record = app.load(contract.id, SupervisionArrangement)
    assert record.review_on == reviewed.date() + timedelta(days=180)
    assert record.overdue_reviews == [review_on]
    await handle.terminate("scenario over")


async def test_a_level_1_matter_not_reported_in_a_working_day_is_escalated(
        running: Running) -> None:
    app = running.app
    began = datetime.now(UTC) - timedelta(minutes=1)
    contract = make(app, began)
    handle = await start(running, contract)
    await eventually(status_where(handle, lambda s: s.due is not None))
    held = await now(running, handle)
    await handle.execute_update(Arrangement.record_session, session(contract, held))
    marked = held + timedelta(minutes=40)
    acted = await handle.execute_update(Arrangement.mark_confidentiality, cmd(
        MarkConfidentiality, contract, marking_id="M-1", session_id="S-1",
        level="duty_to_report", issue="A pupil disclosed harm at home", at=marked))
    due = DEFAULT_POLICY.confidentiality_report.after(marked.date(), "ENG")
    assert acted.answer == f"Marked duty_to_report: to be recorded as reported by {due}"
    await handle.execute_update(Arrangement.mark_confidentiality, cmd(
        MarkConfidentiality, contract, marking_id="M-2", session_id="S-1",
        level="line_management", issue="Capability: late safeguarding records", at=marked))
    await handle.execute_update(Arrangement.mark_confidentiality, cmd(
        MarkConfidentiality, contract, marking_id="M-3", session_id="S-1",
        level="may_need_reporting", issue="Staffing shortfall next term", at=marked))

    await running.env.fast_forward(handle, timedelta(days=5))
    await eventually(status_where(handle, lambda s: s.escalated == ["M-1"]))
    [escalated] = events(app, contract.id, "UnreportedEscalated")
    assert escalated.occurred_on == end_of(due) and escalated.escalated_to == SAFEGUARDING_LEAD

    # Level 2 is the line manager's to act on, and no one else's.
    record = app.load(contract.id, SupervisionArrangement)
    try:
        app.complete_line_management_action(cmd(CompleteLineManagementAction, contract,
                                                marking_id="M-2", outcome="done", at=marked
                                                + timedelta(hours=1)))
        raise AssertionError("the supervisor completed the line manager's action")
    except RuleBroken as refused:
        assert "Only the line manager" in refused.rule
    app.complete_line_management_action(CompleteLineManagementAction(
        record_id=contract.id, marking_id="M-2", outcome="Capability plan agreed",
        by=LINE_MANAGER, at=marked + timedelta(days=2)))

    record = app.load(contract.id, SupervisionArrangement)
    assert set(sees(SUPERVISOR, record)["markings"]) == {"M-1", "M-2", "M-3"}
    assert set(sees(SUPERVISEE, record, Role.PRACTITIONER)["markings"]) == {"M-1", "M-2", "M-3"}
    assert set(sees(SAFEGUARDING_LEAD, record)["markings"]) == {"M-1"}
    assert set(sees(LINE_MANAGER, record)["markings"]) == {"M-2", "M-3"}
    assert set(sees("au-1", record, Role.AUDITOR)["markings"]) == {"M-1", "M-2", "M-3"}
    assert sees("bu-1", record, Role.BUSINESS_UNIT) is None
    await handle.terminate("scenario over")


async def _async(value: Any) -> Any:
    return value
