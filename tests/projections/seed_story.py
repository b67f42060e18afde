"""Issue 12's records in the projection tests' World: a supervision arrangement with its
sessions, confidentiality markings and evaluations; a quarter's assurance cycle through its
five steps; the forward plan; a leader's self-evaluation; the peer-mentoring programme.

`seed_round(world)` runs once per `World.next_round`, so that every table of the arrangement,
cycle, plan, self-evaluation and scorecard read models fills, and later rounds change rows that
earlier catch-ups wrote.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from domain.term_calendar import TermCalendar
from domain.term_calendar_commands import HalfTerm, SetTermDates, SetUpTermCalendar
from domain.arrangement_commands import (
    CompleteLineManagementAction,
    MakeArrangement,
    MarkConfidentiality,
    MarkSessionMissed,
    RecordReported,
    RecordSupervisionSession,
    SessionAgenda,
    SubmitEvaluation,
)
from domain.assurance_commands import (
    AnswerQuery,
    ChaseEvidence,
    CycleAction,
    CycleRecommendation,
    EscalateEvidence,
    EvidenceRequest,
    FinaliseSpotlight,
    PlanAssuranceCycle,
    PublishAssuranceReport,
    RaiseQuery,
    RecommendationDecision,
    RecordPartnershipDecisions,
    RecordSubGroupDiscussion,
    SubmitEvidence,
)
from domain.evaluation_values import STATEMENTS
from domain.forward_plan import ForwardPlan
from domain.forward_plan_commands import (
    AddPlanItem,
    MarkActivityOverdue,
    NoteActivityStarted,
    OpenForwardPlan,
    RecordActivityDone,
)
from domain.forward_plan_values import Activity
from domain.panel_commands import LaunchMentoringProgramme
from domain.safeguarder import Safeguarder
from domain.safeguarder_commands import RecordMentoringImpact
from domain.self_evaluation import questions
from domain.self_evaluation_commands import (
    AnswerQuestion,
    CompleteSelfEvaluation,
    EvidenceLink,
    StartSelfEvaluation,
)

BUSINESS_UNIT, LEAD, LATE_LEAD = "bu-1", "lead-1", "police-1"
SUPERVISOR, LINE_MANAGER, DSL = "se-su-1", "se-lm-1", "se-dsl-1"
PLAN = "Safeguarding Effectiveness forward plan"


def seed_round(world: Any) -> None:
    r, app = world.round, world.app
    if r == 0:
        app.launch_mentoring_programme(LaunchMentoringProgramme(
            starts_on=world.day(0).date(), by="coordinator", at=world.day(0)))
        app.open_forward_plan(OpenForwardPlan(name=PLAN, by=BUSINESS_UNIT, at=world.day(0)))
    _term_calendar(world, r)
    _arrangement(world, r)
    _cycle(world, r)
    _plan(world, r)
    _self_evaluation(world, r)
    for sid in world.safeguarders:
        mentored = app.load(sid, Safeguarder)
        if mentored.mentor_id is None or mentored.support_manager is None:
            continue
        app.record_mentoring_impact(RecordMentoringImpact(
            record_id=sid, evidence=f"Round {r}: report writing is sharper",
            by=mentored.support_manager, at=world.day(25)))
        break


def _term_calendar(world: Any, r: int) -> None:
    """One calendar, set up in the first round; each round sets one more academic year."""
    app = world.app
    if r == 0:
        app.set_up_term_calendar(SetUpTermCalendar(name="Salford schools", nation="ENG",
                                                   by=BUSINESS_UNIT, at=world.day(0)))
    year = world.day(0).year + r
    app.set_term_dates(SetTermDates(
        record_id=TermCalendar.create_id("Salford schools"),
        academic_year=f"{year}/{(year + 1) % 100:02d}",
        half_terms=(HalfTerm(name="Autumn 1", starts_on=date(year, 9, 3),
                             ends_on=date(year, 10, 23)),),
        by=BUSINESS_UNIT, at=world.day(2)))


def _arrangement(world: Any, r: int) -> None:
    app = world.app
    supervisee = f"se-pr-{r}"
    made = app.make_arrangement(MakeArrangement(
        supervisor=SUPERVISOR, supervisee=supervisee, agency=f"Agency {r % 2}",
        contact="direct", frequency="monthly", duration_minutes=60,
        supervisor_responsibilities="Keep notes", supervisee_responsibilities="Bring cases",
        changes_notice="A week", agenda_setting="At the start", workload_escalation="Manager",
        differences_of_opinion="In the session", line_manager=LINE_MANAGER,
        safeguarding_lead=DSL, supervisee_started_on=world.day(0).date() - timedelta(days=400),
        review_on=world.day(200).date(), nation="ENG", by=SUPERVISOR, at=world.day(1)))
    rid = made.aggregate_id
    app.record_supervision_session(RecordSupervisionSession(
        record_id=rid, session_id="S-1", agenda=SessionAgenda(
            attendees=(SUPERVISOR, supervisee), matters_arising="None", successes="Some",
            frustrations=(), concerns_to_escalate=(), trends="Neglect", training="Toolkit"),
        next_session_on=world.day(30).date(), by=SUPERVISOR, at=world.day(2)))
    for marking, level in (("M-1", "duty_to_report"), ("M-2", "line_management")):
        app.mark_confidentiality(MarkConfidentiality(
            record_id=rid, marking_id=marking, session_id="S-1", level=level,
            issue=f"Round {r} {level}", by=SUPERVISOR, at=world.day(2.1)))
    app.record_reported(RecordReported(record_id=rid, marking_id="M-1", reported_to=DSL,
                                       channel="phone", by=SUPERVISOR, at=world.day(2.2)))
    app.complete_line_management_action(CompleteLineManagementAction(
        record_id=rid, marking_id="M-2", outcome="Plan agreed", by=LINE_MANAGER,
        at=world.day(3)))
    app.mark_session_missed(MarkSessionMissed(
        record_id=rid, period_opens_on=world.day(3).date(), period_ends_on=world.day(33).date(),
        requirement="monthly", by="process:supervision-arrangement", at=world.day(34)))
    app.submit_evaluation(SubmitEvaluation(
        record_id=rid, answers={name: ("yes", "no", "maybe")[r % 3] for name, _ in STATEMENTS},
        more_of="Reflection", less_of="Reading back", by=supervisee, at=world.day(4)))


def _cycle(world: Any, r: int) -> None:
    app, quarter = world.app, f"{2030 + r}Q1"
    made = app.plan_assurance_cycle(PlanAssuranceCycle(
        quarter=quarter, sub_group_meets_on=world.day(20).date(),
        partnership_meets_on=world.day(40).date(), requests=(
            EvidenceRequest(item="drift_cases", kind="measure", lead=LEAD),
            EvidenceRequest(item="Police", kind="agency", lead=LATE_LEAD)),
        by=BUSINESS_UNIT, at=world.day(1)))
    rid = made.aggregate_id
    app.submit_evidence(SubmitEvidence(record_id=rid, item="drift_cases", data="2 of 6",
                                       narrative=f"Round {r}: drift down", by=LEAD,
                                       at=world.day(5)))
    process = "process:assurance-cycle"
    app.chase_evidence(ChaseEvidence(record_id=rid, item="Police", by=process, at=world.day(11)))
    app.escalate_evidence(EscalateEvidence(record_id=rid, item="Police", by=process,
                                           at=world.day(15)))
    due = world.day(30).date()
    app.record_sub_group_discussion(RecordSubGroupDiscussion(
        record_id=rid, summary="Drift is falling", actions=(CycleAction(
            action_id="A-1", action="Audit drift", owner=LEAD, due_on=due),),
        recommendations=(CycleRecommendation(recommendation_id="R-1", text="Keep going"),),
        by=BUSINESS_UNIT, at=world.day(20)))
    app.raise_query(RaiseQuery(record_id=rid, query_id="Q-1", to=LEAD, question="Why?",
                               due_on=world.day(25).date(), by=BUSINESS_UNIT, at=world.day(21)))
    app.answer_query(AnswerQuery(record_id=rid, query_id="Q-1", answer="Because", by=LEAD,
                                 at=world.day(22)))
    app.finalise_spotlight(FinaliseSpotlight(record_id=rid, spotlight_id="SP-1",
                                             title="Neglect", summary="Seen across agencies",
                                             by=BUSINESS_UNIT, at=world.day(23)))
    app.record_partnership_decisions(RecordPartnershipDecisions(
        record_id=rid, decisions=(RecommendationDecision(recommendation_id="R-1",
                                                         decision="accepted"),),
        by=BUSINESS_UNIT, at=world.day(40)))
    app.publish_assurance_report(PublishAssuranceReport(
        record_id=rid, audiences=("executive", "other_boards", "sub_group_members"),
        next_actions=(CycleAction(action_id="N-1", action="Repeat", owner=LEAD,
                                  due_on=world.day(90).date()),),
        by=BUSINESS_UNIT, at=world.day(41)))


def _plan(world: Any, r: int) -> None:
    app, plan = world.app, ForwardPlan.create_id(PLAN)
    activity = list(Activity)[r % len(Activity)]
    app.add_plan_item(AddPlanItem(record_id=plan, activity=activity, owner=LEAD,
                                  first_due_on=world.day(10).date(), by=BUSINESS_UNIT,
                                  at=world.day(1)))
    process = "process:forward-plan"
    app.note_activity_started(NoteActivityStarted(record_id=plan, activity=activity,
                                                  due_on=world.day(10).date(), by=process,
                                                  at=world.day(2)))
    app.mark_activity_overdue(MarkActivityOverdue(record_id=plan, activity=activity,
                                                  due_on=world.day(10).date(), by=process,
                                                  at=world.day(11)))
    app.record_activity_done(RecordActivityDone(record_id=plan, activity=activity,
                                                evidence="Report to the sub-group", by=LEAD,
                                                at=world.day(14)))


def _self_evaluation(world: Any, r: int) -> None:
    app, leader = world.app, f"dcs-{r}"
    year = world.day(1).year
    made = app.start_self_evaluation(StartSelfEvaluation(audience="dcs", year=year, by=leader,
                                                         at=world.day(1)))
    for n, question in enumerate(questions("dcs")):
        app.answer_question(AnswerQuestion(
            record_id=made.aggregate_id, question_id=question.question_id,
            answer=f"Answer {n}", rating="AGR"[n % 3],
            evidence=(EvidenceLink(note="Minutes"),), by=leader, at=world.day(2)))
    if r % 2 == 0:
        app.complete_self_evaluation(CompleteSelfEvaluation(record_id=made.aggregate_id,
                                                            by=leader, at=world.day(3)))
