"""The assurance side of the projection tests' World: a round of case reviews, audits, the
appointment workflow's steps, a re-appointment, late entries and the scorecard's narratives.

`assurance_round(world)` runs once per `World.next_round`, after the panel and caseload have
moved on, so that every table of the caseload, evidence pack, register and scorecard read
models fills, and later rounds change rows that earlier catch-ups wrote.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from uuid import UUID

from domain.accounts import RecordView
from domain.audit import AuditRecord
from domain.audit_commands import (
    AgreeActions,
    AuditAction,
    ChaseReturn,
    CloseAudit,
    EscalateNonCompliance,
    Moderate,
    PlanAudit,
    RecordFindings,
    ReportAudit,
    RequestReturns,
    ReviewPlan,
    SelectCasesAtRandom,
    SubmitReturn,
)
from domain.audit_values import AuditDimension, AuditType, Grade
from domain.handling import Step
from domain.panel import Region
from domain.policy import DEFAULT_POLICY
from domain.review import Review
from domain.review_commands import (
    AddRecommendation,
    AssessRecommendationImpact,
    CloseReview,
    CompleteRapidReview,
    CompleteRecommendation,
    DecideLcspr,
    NotifyPanel,
    ReceiveAgencyInformation,
    RecordBreach,
    RecordPanelResponse,
    Refer,
    RequestAgencyInformation,
    UpdateRecommendation,
    WithdrawBreach,
)
from domain.review_values import ReferralCategory, ReviewType
from domain.review_values import Step as Deadline
from domain.safeguarder import Safeguarder
from domain.safeguarder_commands import (
    Allocate,
    ApplyToPanel,
    Appoint,
    OpenReappointmentReview,
    Recommend,
    RecordAnnualShortfall,
    RecordAssessment,
    RecordInterview,
    RecordMinistersDecision,
    RecordSampledReport,
    RecordSupportSession,
    WithdrawAnnualShortfall,
)
from domain.safeguarder_values import year_starts_on
from domain.scorecard import WriteNarrative
from projections.quarters import Quarter
from tests.commands import Commands
from tests.refusals import at

CHAIR, AUDITOR, LEAD, MANAGER = "chair-prg", "audit-lead", "team-lead", "sm-east-1"
APPOINTMENT, RAPID_REVIEW = "appointment", "rapid-review"
SHORT_TERM = DEFAULT_POLICY.with_overrides(safeguarder_term=1, reappointment_review_lead=11)
AGENCIES = ["school", "health", "police"]

chair, auditor, lead = Commands(by=CHAIR), Commands(by=AUDITOR), Commands(by=LEAD)
process = {name: Commands(by=f"process:{name}") for name in (APPOINTMENT, RAPID_REVIEW)}


def end_of(day: date) -> datetime:
    """When a process acts on a passed due date: the next midnight (workflows/common.py)."""
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=UTC)


def step(record_id: UUID, key: str, name: str, command: str | None = None,
         process_name: str = APPOINTMENT, **details: Any) -> Step:
    """A step of the appointment (or another) process, as its workflow names it: a step that
    comes with a command names the command."""
    return Step(f"{process_name}-{record_id}:{key}", process_name, name,
                {**({"command": command} if command else {}), **details})


def assurance_round(world: Any) -> None:
    r = world.round
    _workflow_steps(world)
    _review(world, r)
    _late_notification(world, r)
    if r >= 1:
        _follow_review(world, r - 1)
    if r >= 2:
        world.app.close_review(chair(
            CloseReview, record_id=Review.create_id(f"R-{r - 2}"),
            carried_over={"rec-2": "Waits for the new multi-agency protocol"}, at=world.day(30)))
    _audit(world, r)
    if r >= 1:
        _conclude_audit(world, r - 1)
    _reappointment(world, r)
    _late_support(world, r)
    # A recorded read of the review, so the access log has rows too.
    world.app.record_view(RecordView(viewed=Review.create_id(f"R-{r}"),
                                     route="/reviews/{review_id}", by=CHAIR, at=world.day(20)))
    world.app.write_narrative(WriteNarrative(
        quarter=str(Quarter.of(world.day(1).date())), measure="support_on_time",
        text=f"Round {r}: sessions booked for every year", by=LEAD, at=world.day(1)))


def _workflow_steps(world: Any) -> None:
    """The appointment workflow's 'support due dates set' step, on every serving Safeguarder."""
    for sid in world.safeguarders:
        s = world.app.load(sid, Safeguarder)
        if s.first_appointed_on is None:
            continue
        year = s.year_of(world.day(14).date())
        due = year_starts_on(s.first_appointed_on, year + 1) - timedelta(days=1)
        world.app.note_step(sid, step(sid, f"year-{year}:due-dates", "support due dates set",
                                      year=year, support_session_due=due.isoformat(),
                                      sampled_reports_due=due.isoformat(),
                                      reminder_on=(due - timedelta(days=60)).isoformat(),
                                      support_sessions_required=1,
                                      sampled_reports_required=2),
                            at=world.day(14))


def _review(world: Any, r: int) -> None:
    aware = world.day(0).date()
    review = Review.refer(Refer(
        reference=f"R-{r}", referrer="Head teacher", category=ReferralCategory.SERIOUS_INCIDENT,
        summary=f"Serious incident {r}", nation="ENG", review_type=ReviewType.RAPID_REVIEW,
        became_aware_on=aware, by=CHAIR, at=world.day(1)))
    review.request_agency_information(chair(RequestAgencyInformation, review,
                                            request_id="info-1", agency="health",
                                            due_on=world.day(8).date(), at=world.day(2)))
    if r % 2:
        review.record_breach(process[RAPID_REVIEW](
            RecordBreach, review, step=Deadline.PANEL_NOTIFICATION, reason="Chair on leave",
            at=world.day(10)))
        review.notify_panel(chair(NotifyPanel, review, late_reason="Chair on leave",
                                  at=world.day(12)))
    else:
        review.notify_panel(chair(NotifyPanel, review, at=world.day(3)))
    review.receive_agency_information(chair(ReceiveAgencyInformation, review,
                                            request_id="info-1", at=world.day(12)))
    review.complete_rapid_review(chair(
        CompleteRapidReview, review, findings="Chronologies were late",
        learning=["Share chronologies earlier", "Name a lead agency"], recommend_lcspr=True,
        rationale="Multi-agency learning", at=world.day(13)))
    review.record_panel_response(chair(RecordPanelResponse, review,
                                       response="Agrees with the rapid review",
                                       at=world.day(14)))
    review.add_recommendation(chair(AddRecommendation, review, recommendation_id="rec-1",
                                    text="Chronology template for all agencies",
                                    owner_agency="health", due_on=world.day(40).date(),
                                    at=world.day(15)))
    review.add_recommendation(chair(AddRecommendation, review, recommendation_id="rec-2",
                                    text="Joint training on thresholds", owner_agency="school",
                                    due_on=world.day(80).date(), at=world.day(15)))
    world.app.record(review)


def _late_notification(world: Any, r: int) -> None:
    """A Panel notification made in time but entered after the process recorded the missed
    deadline: the process withdraws the breach."""
    app, rapid = world.app, process[RAPID_REVIEW]
    made = app.refer(Refer(
        reference=f"L-{r}", referrer="Social worker", category=ReferralCategory.SERIOUS_INCIDENT,
        summary=f"Serious incident L-{r}", nation="ENG", review_type=ReviewType.RAPID_REVIEW,
        became_aware_on=world.day(0).date(), by=CHAIR, at=world.day(1)))
    review = made.record
    due = review.panel_notification_due
    app.record_breach(rapid(RecordBreach, review, step=Deadline.PANEL_NOTIFICATION,
                            reason="No notification recorded by the deadline", at=end_of(due)),
                      step=step(review.id, "panel-notification-breach", "breach recorded",
                                "RecordBreach", RAPID_REVIEW, due_on=due.isoformat()))
    app.notify_panel(chair(NotifyPanel, review, at=world.day(3)))
    app.withdraw_breach(rapid(WithdrawBreach, review, step=Deadline.PANEL_NOTIFICATION,
                              entered_late=f"Panel notification dated {world.day(3).date()}, "
                              "entered after the deadline", at=world.day(11)),
                        step=step(review.id, "panel-notification-withdrawn", "breach withdrawn",
                                  "WithdrawBreach", RAPID_REVIEW))


def _follow_review(world: Any, r: int) -> None:
    review = world.app.load(Review.create_id(f"R-{r}"), Review)
    review.update_recommendation(chair(UpdateRecommendation, review, recommendation_id="rec-1",
                                       progress="Template drafted", at=world.day(5)))
    review.complete_recommendation(chair(CompleteRecommendation, review,
                                         recommendation_id="rec-1", at=world.day(6)))
    review.assess_recommendation_impact(chair(AssessRecommendationImpact, review,
                                              recommendation_id="rec-1",
                                              impact="Chronologies now arrive in time",
                                              at=world.day(7)))
    commissioned = r % 2 == 0
    review.decide_lcspr(chair(DecideLcspr, review, commission=commissioned,
                              rationale="Learning is system-wide", **(
                                  {"reviewer": "Independent reviewer",
                                   "scope": "Multi-agency threshold decisions"}
                                  if commissioned else {}), at=world.day(8)))
    world.app.record(review)


def _audit(world: Any, r: int) -> None:
    app = world.app
    audit = app.plan_audit(PlanAudit(
        reference=f"A-{r}", theme="Supervision of children in need",
        dimension=AuditDimension.MULTI_AGENCY, audit_type=AuditType.MULTI_AGENCY_PRACTICE,
        year=world.day(1).year, agencies=AGENCIES, sample_size=2,
        returns_due=world.day(20).date(), by=AUDITOR, at=world.day(1))).record
    # The cases each audit selects note it, so the sub-group may read them.
    app.select_cases_at_random(auditor(SelectCasesAtRandom, audit,
                                       population=[str(c.id) for c in world.cases], seed=r,
                                       at=world.day(2)))
    audit = app.load(audit.id, AuditRecord)
    audit.request_returns(auditor(RequestReturns, audit, at=world.day(3)))
    audit.submit_return(Commands(by="dsl-1")(
        SubmitReturn, audit, agency="school", supervision_grade=Grade.GOOD,
        oversight_grade=Grade.GOOD, evidence="Evidence of supervision notes", at=world.day(5)))
    audit.chase_return(auditor(ChaseReturn, audit, agency="health", at=world.day(15)))
    audit.submit_return(Commands(by="nurse-1")(
        SubmitReturn, audit, agency="health", supervision_grade=Grade.REQUIRES_IMPROVEMENT,
        oversight_grade=Grade.GOOD, evidence="Gaps in oversight", at=world.day(25)))
    app.record(audit)


def _conclude_audit(world: Any, r: int) -> None:
    audit = world.app.load(AuditRecord.create_id(f"A-{r}"), AuditRecord)
    audit.review_plan(auditor(ReviewPlan, audit, notes="On track", at=world.day(1)))
    audit.escalate_non_compliance(auditor(EscalateNonCompliance, audit, agency="police",
                                          at=world.day(1)))
    audit.moderate(auditor(Moderate, audit, notes="Grades agreed", at=world.day(2)))
    audit.record_findings(auditor(RecordFindings, audit,
                                  strengths=["Supervision is regular"],
                                  areas_for_development=["Oversight is not recorded"],
                                  at=world.day(3)))
    audit.report(auditor(ReportAudit, audit, group="Safeguarding Effectiveness Sub-Group",
                         at=world.day(4)))
    audit.agree_actions(auditor(AgreeActions, audit, actions=[AuditAction(
        action="Record oversight in the case file", owner="health",
        due_on=world.day(60).date())], at=world.day(5)))
    audit.close(auditor(CloseAudit, audit, at=world.day(6)))
    world.app.record(audit)


def _reappointment(world: Any, r: int) -> None:
    """One Safeguarder on a one-year term: appointed, reviewed, recommended, re-appointed."""
    app = world.app
    if r == 0:
        s = Safeguarder.apply_to_panel(ApplyToPanel(
            name="Robin Review", contact={"phone": "0131 000"}, region=Region.EAST, by=LEAD,
            at=world.day(2)))
        s.record_interview(lead(RecordInterview, s, passed=True, notes="clear", at=world.day(3)))
        s.record_assessment(lead(RecordAssessment, s, passed=True, notes="ready",
                                 at=world.day(4)))
        s.appoint(lead(Appoint, s, term_starts_on=world.day(5).date(), by="ministers",
                       at=world.day(5)), policy=SHORT_TERM)
        app.record(s)
        world.reviewed = s.id
        app.note_step(s.id, step(s.id, "term-1:allocation-requested", "allocation requested",
                                 to="panel team lead",
                                 remind_on=world.day(19).date().isoformat()), at=world.day(5))
        app.allocate(lead(Allocate, s, manager=MANAGER, at=world.day(6)),
                     step=step(s.id, "allocate", "support manager allocated", "Allocate"))
        return
    sid = world.reviewed
    s = app.load(sid, Safeguarder)
    if r == 1:
        app.open_reappointment_review(
            process[APPOINTMENT](OpenReappointmentReview, s, at=world.day(1)),
            step=step(sid, "term-1:review", "re-appointment review opened",
                      "OpenReappointmentReview",
                      recommendation_due=world.day(30).date().isoformat(),
                      reminder_on=world.day(20).date().isoformat()))
        app.note_step(sid, step(sid, "term-1:recommendation-reminder",
                                "recommendation reminder sent", to="support manager",
                                due_on=world.day(30).date().isoformat()), at=world.day(20))
    elif r == 2:
        app.recommend(Commands(by=MANAGER)(Recommend, s, reappoint=True,
                                           rationale="Reflective practice", at=world.day(2)),
                      step=step(sid, "recommend", "recommendation recorded", "Recommend"))
    elif r == 3:
        s.record_ministers_decision(Commands(by="ministers")(
            RecordMinistersDecision, s, reappoint=True, at=world.day(3)), policy=SHORT_TERM)
        app.record(s)


def _late_support(world: Any, r: int) -> None:
    """A Safeguarder whose first year ended with its shortfall recorded; a round later, the
    session and reports held in that year are entered, and the shortfall is withdrawn."""
    app, appointment = world.app, process[APPOINTMENT]
    if r == 0:
        s = Safeguarder.apply_to_panel(ApplyToPanel(
            name="Lee Late", contact={"email": "lee@example.org"}, region=Region.EAST, by=LEAD,
            at=at(-400)))
        s.record_interview(lead(RecordInterview, s, passed=True, notes="clear", at=at(-399)))
        s.record_assessment(lead(RecordAssessment, s, passed=True, notes="ready",
                                 at=at(-398)))
        s.appoint(lead(Appoint, s, term_starts_on=at(-397).date(), by="ministers",
                       at=at(-397)))
        s.allocate(lead(Allocate, s, manager=MANAGER, at=at(-396)), world.region)
        app.record(s)
        world.late = s.id
        due = year_starts_on(at(-397).date(), 2) - timedelta(days=1)
        app.record_annual_shortfall(
            appointment(RecordAnnualShortfall, s, year=1, at=end_of(due)),
            step=step(s.id, "year-1:closed", "annual shortfall recorded",
                      "RecordAnnualShortfall", year=1, due_on=due.isoformat()))
        app.note_step(s.id, step(s.id, "year-1:shortfall-escalated",
                                 "shortfall escalated to panel team lead",
                                 to="panel team lead", year=1), at=end_of(due))
    elif r == 1:
        s = app.load(world.late, Safeguarder)
        manager = Commands(by=MANAGER)
        held = at(-200)
        app.record_support_session(
            manager(RecordSupportSession, s, session_id="late-1", notes="reflection", at=held),
            step=step(s.id, "late-session", "support session recorded",
                      "RecordSupportSession"))
        for ref in ("L-R1", "L-R2"):
            app.record_sampled_report(
                manager(RecordSampledReport, s, report_ref=ref, session_id="late-1",
                        discussion="discussed", at=held),
                step=step(s.id, f"late-{ref}", "sampled report recorded",
                          "RecordSampledReport"))
        app.withdraw_annual_shortfall(
            appointment(WithdrawAnnualShortfall, s, year=1, at=world.day(3),
                        entered_late=f"support session late-1 dated {held.date()}, entered "
                        "late, met year 1's requirement"),
            step=step(s.id, "year-1:shortfall-withdrawn", "annual shortfall withdrawn",
                      "WithdrawAnnualShortfall", year=1))
