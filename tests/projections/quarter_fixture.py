"""A small, hand-countable year of records around the fixture quarter 2026Q3 (1 Jul - 30 Sep).

Every fact is dated so that the scorecard's figures for 2026Q3 can be counted by hand; the
counting is written out in test_scorecard.py. Each fact is entered the moment it happened (so
none counts as entered late). Names of people here are invented.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from uuid import UUID

from domain.application import Assured
from domain.audit import AuditRecord
from domain.audit_commands import (
    AgreeActions,
    EscalateNonCompliance,
    Moderate,
    PlanAudit,
    RecordFindings,
    ReportAudit,
    RequestReturns,
    SelectCasesAtRandom,
    SubmitReturn,
)
from domain.case import Case
from domain.case_commands import (
    ChangeLegalStatus,
    CloseCase,
    EscalateCaseConcern,
    FlagDrift,
    OpenCase,
    RaiseCaseConcern,
    RecordDiscussion,
    ResolveCaseConcern,
)
from domain.panel import PanelRegion
from domain.panel_commands import AddSupportManager, EstablishRegion
from domain.record import Record
from domain.review import Review
from domain.review_commands import (
    AddRecommendation,
    AssessRecommendationImpact,
    CompleteRapidReview,
    CompleteRecommendation,
    NotifyPanel,
    RecordBreach,
    Refer,
    WithdrawBreach,
)
from domain.review_values import Step
from domain.safeguarder import Safeguarder
from domain.safeguarder_commands import (
    Allocate,
    ApplyToPanel,
    Appoint,
    OpenReappointmentReview,
    Recommend,
    RecordAnnualShortfall,
    RecordAssessment,
    RecordFeedback,
    RecordInterview,
    RecordSampledReport,
    RecordSupportSession,
    Resign,
    WithdrawAnnualShortfall,
)
from domain.scorecard import WriteNarrative
from tests.commands import Commands
from tests.projections.clock import as_it_happened, entered_on

LEAD, MANAGER, CHAIR, AUDITOR, DSL = "panel-lead", "sm-1", "chair-prg", "audit-lead", "dsl-1"
CANARY = "Canary-7f3e: Mrs Example said the Safeguarder listened"

lead, manager, chair = Commands(by=LEAD), Commands(by=MANAGER), Commands(by=CHAIR)
auditor, dsl, teacher = Commands(by=AUDITOR), Commands(by=DSL), Commands(by="teacher-1")


def on(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def d(text: str) -> date:
    return date.fromisoformat(text)


@dataclass
class Fixture:
    safeguarders: dict[str, UUID] = field(default_factory=dict)
    cases: dict[str, UUID] = field(default_factory=dict)


def record(app: Assured, *records: Record) -> None:
    """Save the records, each fact entered when it happened."""
    app.record(*as_it_happened(*records))


def record_fixture_year(app: Assured) -> Fixture:
    fixture = Fixture()
    region = PanelRegion.establish(EstablishRegion(region="East", by=LEAD,
                                                   at=on(d("2023-01-02"))))
    region.add_support_manager(lead(AddSupportManager, region, manager=MANAGER,
                                    at=on(d("2023-01-02"))))
    record(app, region)
    _safeguarders(app, fixture)
    _reviews(app)
    _audits(app)
    _cases(app, fixture)
    app.write_narrative(WriteNarrative(
        quarter="2026Q3", measure="support_on_time",
        text="Two reports were sampled late; booked for October.", by=LEAD,
        at=on(d("2026-10-02"))))
    return fixture


def appointed(app: Assured, name: str, starts: str, **contact: str) -> Safeguarder:
    start = d(starts)
    s = Safeguarder.apply_to_panel(ApplyToPanel(
        name=name, contact=contact or {"email": "x@example.org"}, region="East", by=LEAD,
        at=on(start, 7)))
    s.record_interview(lead(RecordInterview, s, passed=True, notes="clear", at=on(start, 8)))
    s.record_assessment(lead(RecordAssessment, s, passed=True, notes="ready", at=on(start, 9)))
    s.appoint(lead(Appoint, s, term_starts_on=start, by="ministers", at=on(start, 10)),
              policy=app.policy)
    s.allocate(lead(Allocate, s, manager=MANAGER, at=on(start, 11)), region_of(app))
    return s


def region_of(app: Assured) -> PanelRegion:
    return app.load(PanelRegion.create_id("East"), PanelRegion)


def session(s: Safeguarder, session_id: str, day: str) -> None:
    s.record_support_session(manager(RecordSupportSession, s, session_id=session_id,
                                     notes="reflection", at=on(d(day))))


def sampled(s: Safeguarder, report_ref: str, session_id: str, day: str) -> None:
    s.record_sampled_report(manager(RecordSampledReport, s, report_ref=report_ref,
                                    session_id=session_id, discussion="discussed",
                                    at=on(d(day))))


def _safeguarders(app: Assured, fixture: Fixture) -> None:
    s1 = appointed(app, "Sam One", "2025-07-15")
    session(s1, "s1-1", "2026-07-10")
    for ref in ("R-11", "R-12"):
        sampled(s1, ref, "s1-1", "2026-07-11")
    s1.record_feedback(lead(RecordFeedback, s1, source="family", tone="positive",
                            summary=CANARY, at=on(d("2026-08-03"))))
    s2 = appointed(app, "Sam Two", "2025-09-01")
    session(s2, "s2-1", "2026-03-01")
    sampled(s2, "R-21", "s2-1", "2026-03-02")
    session(s2, "s2-2", "2026-09-15")
    s3 = appointed(app, "Sam Three", "2026-08-01")
    session(s3, "s3-1", "2026-09-20")
    s4 = appointed(app, "Sam Four", "2025-08-10")
    s4.resign(lead(Resign, s4, reason="moving away", at=on(d("2026-08-01"))))
    s5 = appointed(app, "Sam Five", "2023-11-01")
    s5.open_reappointment_review(Commands(by="process:appointment")(
        OpenReappointmentReview, s5, at=on(d("2026-05-05"))))
    s5.recommend(manager(Recommend, s5, reappoint=True,
                         rationale="Reflective, child-centred reports",
                         exception_reason="Sessions held, not recorded",
                         at=on(d("2026-07-20"))))
    s6 = appointed(app, "Sam Six", "2023-12-20")
    s6.open_reappointment_review(Commands(by="process:appointment")(
        OpenReappointmentReview, s6, at=on(d("2026-06-25"))))
    s6.recommend(manager(Recommend, s6, reappoint=True, rationale="Good feedback",
                         exception_reason="Sessions held, not recorded",
                         at=on(d("2026-10-05"))))
    record(app, s1, s2, s3, s4, s5, s6)
    fixture.safeguarders.update(s1=s1.id, s2=s2.id, s3=s3.id, s4=s4.id, s5=s5.id, s6=s6.id)


def refer(reference: str, aware: str) -> Review:
    return Review.refer(Refer(
        reference=reference, referrer="Head teacher", category="serious_incident",
        summary=f"Serious incident {reference}", nation="ENG", review_type="rapid_review",
        became_aware_on=d(aware), by=CHAIR, at=on(d(aware), 16)))


def complete(review: Review, findings: str, learning: str, lcspr: bool, rationale: str,
             day: str, **late: Any) -> None:
    review.complete_rapid_review(chair(CompleteRapidReview, review, findings=findings,
                                       learning=[learning], recommend_lcspr=lcspr,
                                       rationale=rationale, at=on(d(day)), **late))


def _reviews(app: Assured) -> None:
    rv0 = refer("RV0", "2026-06-26")
    rv0.record_breach(Commands(by="process:rapid-review")(
        RecordBreach, rv0, step=Step.PANEL_NOTIFICATION, reason="Chair on leave",
        at=on(d("2026-07-06"))))
    complete(rv0, "Late information", "Agree a single chronology", False,
             "Learning is single-agency", "2026-07-24", late_reason="Police file late")
    rv1 = refer("RV1", "2026-07-01")
    rv1.notify_panel(chair(NotifyPanel, rv1, at=on(d("2026-07-06"))))
    complete(rv1, "Thresholds applied unevenly", "Joint threshold training", True,
             "System learning", "2026-07-20")
    for rec, due in (("rec-a", "2026-08-31"), ("rec-b", "2026-09-30"), ("rec-c", "2026-09-15"),
                     ("rec-d", "2026-11-30")):
        rv1.add_recommendation(chair(AddRecommendation, rv1, recommendation_id=rec,
                                     text=f"Recommendation {rec}", owner_agency="health",
                                     due_on=d(due), at=on(d("2026-07-21"))))
    rv1.complete_recommendation(chair(CompleteRecommendation, rv1, recommendation_id="rec-a",
                                      at=on(d("2026-08-25"))))
    rv1.assess_recommendation_impact(chair(AssessRecommendationImpact, rv1,
                                           recommendation_id="rec-a",
                                           impact="Referrals now name the lead agency",
                                           at=on(d("2026-09-20"))))
    rv1.complete_recommendation(chair(CompleteRecommendation, rv1, recommendation_id="rec-b",
                                      at=on(d("2026-10-02"))))
    rv2 = refer("RV2", "2026-08-20")
    rv2.notify_panel(chair(NotifyPanel, rv2, late_reason="Bank holiday cover",
                           at=on(d("2026-09-01"))))
    complete(rv2, "Good information sharing", "Keep the daily huddle", False, "No LCSPR needed",
             "2026-09-10")
    rv3 = refer("RV3", "2026-09-25")
    good = Review.refer(Refer(reference="GO-1", referrer="School nurse",
                              category="good_practice", summary="Early help that worked",
                              nation="ENG", review_type="good_outcome", by=CHAIR,
                              at=on(d("2026-08-12"))))
    record(app, rv0, rv1, rv2, rv3, good)


def _audits(app: Assured) -> None:
    au1 = AuditRecord.plan(PlanAudit(
        reference="AU1", theme="Supervision of children in need", dimension="multi_agency",
        audit_type="multi_agency_practice", year=2026, agencies=["school", "health", "police"],
        sample_size=2, returns_due=d("2026-08-15"), by=AUDITOR, at=on(d("2026-07-01"))))
    au1.select_cases_at_random(auditor(SelectCasesAtRandom, au1,
                                       population=["CH-101", "CH-102", "CH-103"], seed=7,
                                       at=on(d("2026-07-02"))))
    au1.request_returns(auditor(RequestReturns, au1, at=on(d("2026-07-05"))))
    au1.submit_return(Commands(by="dsl-1")(SubmitReturn, au1, agency="school",
                                           supervision_grade="good", oversight_grade="good",
                                           evidence="Notes seen", at=on(d("2026-08-10"))))
    au1.submit_return(Commands(by="nurse-1")(SubmitReturn, au1, agency="health",
                                             supervision_grade="good",
                                             oversight_grade="requires_improvement",
                                             evidence="Gaps", at=on(d("2026-08-20"))))
    au1.escalate_non_compliance(auditor(EscalateNonCompliance, au1, agency="police",
                                        at=on(d("2026-08-30"))))
    au1.moderate(auditor(Moderate, au1, notes="Agreed", at=on(d("2026-09-02"))))
    au1.record_findings(auditor(RecordFindings, au1, strengths=["Supervision is regular"],
                                areas_for_development=["Oversight is not written down"],
                                at=on(d("2026-09-03"))))
    au1.report(auditor(ReportAudit, au1, group="Safeguarding Effectiveness Sub-Group",
                       at=on(d("2026-09-04"))))
    au1.agree_actions(auditor(AgreeActions, au1, actions=[{
        "action": "Record oversight in every file", "owner": "health",
        "due_on": d("2026-11-30")}], at=on(d("2026-09-05"))))
    au2 = AuditRecord.plan(PlanAudit(
        reference="AU2", theme="Section 11 self-assessment", dimension="single_agency",
        audit_type="section_11", year=2026, agencies=["school"], sample_size=1,
        returns_due=d("2026-10-10"), by=AUDITOR, at=on(d("2026-09-01"))))
    au2.select_cases_at_random(auditor(SelectCasesAtRandom, au2, population=["CH-104"], seed=1,
                                       at=on(d("2026-09-01"))))
    au2.request_returns(auditor(RequestReturns, au2, at=on(d("2026-09-02"))))
    au2.submit_return(Commands(by="dsl-1")(SubmitReturn, au2, agency="school",
                                           supervision_grade="good", oversight_grade="good",
                                           evidence="Self-assessment", at=on(d("2026-09-05"))))
    record(app, au1, au2)


def open_case(ref: str, status: str, opened: str) -> Case:
    return Case.open(OpenCase(child_reference=ref, agency="school", practitioner="teacher-1",
                              supervisor=DSL, legal_status=status, risk="medium", nation="ENG",
                              by=DSL, at=on(d(opened))))


def discuss(case: Case, n: int, held: str, next_on: str) -> None:
    case.record_discussion(dsl(RecordDiscussion, case, discussion_id=f"d{n}", supervisor=DSL,
                               supervisee="teacher-1", needs="n", risks="r", engagement="e",
                               capacity_for_change="c", plan="p", rag="A", actions=[],
                               next_discussion_on=d(next_on), at=on(d(held))))


def raise_concern(case: Case, concern_id: str, summary: str, day: str) -> None:
    case.raise_concern(teacher(RaiseCaseConcern, case, concern_id=concern_id, summary=summary,
                               at=on(d(day))))


def escalate(case: Case, concern_id: str, reason: str, day: str) -> None:
    case.escalate_concern(teacher(EscalateCaseConcern, case, concern_id=concern_id,
                                  reason=reason, at=on(d(day))))


def resolve(case: Case, concern_id: str, outcome: str, day: str, by: str = DSL) -> None:
    case.resolve_concern(Commands(by=by)(ResolveCaseConcern, case, concern_id=concern_id,
                                         outcome=outcome, at=on(d(day))))


def flag_drift(case: Case, day: str) -> None:
    case.flag_drift(dsl(FlagDrift, case, on=d(day), at=on(d(day))))


def _cases(app: Assured, fixture: Fixture) -> None:
    cin, cp = "child_in_need", "child_protection"
    c1 = open_case("CH-201", cin, "2026-05-01")
    discuss(c1, 1, "2026-07-15", "2026-10-01")
    raise_concern(c1, "k1", "Plan not followed", "2026-07-02")
    raise_concern(c1, "k2", "Visits missed", "2026-07-03")
    escalate(c1, "k2", "No change", "2026-07-08")
    resolve(c1, "k1", "Plan revised", "2026-07-10")
    resolve(c1, "k2", "Manager agreed visits", "2026-08-01", by="manager-1")
    c2 = open_case("CH-202", cin, "2026-03-01")
    discuss(c2, 1, "2026-03-10", "2026-06-01")
    raise_concern(c2, "k4", "Plan unclear", "2026-06-01")
    resolve(c2, "k4", "Clarified", "2026-06-30")
    raise_concern(c2, "k3", "Referral not made", "2026-06-20")
    resolve(c2, "k3", "Referral made", "2026-07-01")
    flag_drift(c2, "2026-07-05")
    c3 = open_case("CH-203", cp, "2026-06-01")
    discuss(c3, 1, "2026-06-05", "2026-07-01")
    c3.change_legal_status(dsl(ChangeLegalStatus, c3, new_status=cin, at=on(d("2026-08-01"))))
    raise_concern(c3, "k5", "Escalating risk", "2026-08-05")
    escalate(c3, "k5", "No answer", "2026-08-12")
    escalate(c3, "k5", "Still no answer", "2026-08-20")
    flag_drift(c3, "2026-09-10")
    resolve(c3, "k5", "Partnership resolved", "2026-09-30", by="partnership")
    c4 = open_case("CH-204", cin, "2026-01-10")
    c4.close(dsl(CloseCase, c4, reason="Stepped down", at=on(d("2026-09-01"))))
    c5 = open_case("CH-205", cp, "2026-07-01")
    c6 = open_case("CH-206", cin, "2026-07-20")
    record(app, c1, c2, c3, c4, c5, c6)
    fixture.cases.update(c1=c1.id, c2=c2.id, c3=c3.id, c4=c4.id, c5=c5.id, c6=c6.id)


# --- late entries: facts dated in time, entered after their deadline ---------------------------


@dataclass(frozen=True)
class LateEntries:
    late: UUID  # Kim Late: year 1's session and reports entered after the year ended
    prompt: UUID  # Pat Prompt: year 1's session and reports entered as they happened
    late_review: UUID  # LN1: the Panel notified in time, entered after the deadline
    prompt_review: UUID  # LN2: the Panel notified in time, entered that day


def end_of(day: date) -> datetime:
    """When a process acts on a passed due date: the next midnight (workflows/common.py)."""
    return on(day + timedelta(days=1), 0)


def record_late_entries(app: Assured) -> LateEntries:
    """A small 2026Q3 of facts dated within their deadlines, two of them entered after the
    deadline had passed, when the processes had already recorded the breach and the shortfall
    (which they then withdrew). The others are entered the moment they happened."""
    region = PanelRegion.establish(EstablishRegion(region="East", by=LEAD,
                                                   at=on(d("2025-01-02"))))
    region.add_support_manager(lead(AddSupportManager, region, manager=MANAGER,
                                    at=on(d("2025-01-02"))))
    record(app, region)
    # Pat's year 1 ends 19 Jul 2026; Kim's ends 2 Aug 2026: both fall due in Q3.
    pat = appointed(app, "Pat Prompt", "2025-07-20")
    session(pat, "p-1", "2026-05-01")
    for ref in ("R-P1", "R-P2"):
        sampled(pat, ref, "p-1", "2026-05-01")
    kim = appointed(app, "Kim Late", "2025-08-03")
    record(app, pat, kim)
    appointment = Commands(by="process:appointment")
    year_end = d("2026-08-02")
    with entered_on(end_of(year_end)):
        app.record_annual_shortfall(appointment(RecordAnnualShortfall, kim, year=1,
                                                at=end_of(year_end)))
    with entered_on(on(d("2026-08-20"))):
        app.record_support_session(manager(RecordSupportSession, kim, session_id="k-1",
                                           notes="reflection", at=on(d("2026-06-10"))))
        for ref in ("R-K1", "R-K2"):
            app.record_sampled_report(manager(RecordSampledReport, kim, report_ref=ref,
                                              session_id="k-1", discussion="discussed",
                                              at=on(d("2026-06-10"))))
        app.withdraw_annual_shortfall(appointment(
            WithdrawAnnualShortfall, kim, year=1, at=on(d("2026-08-20")),
            entered_late="Support session k-1 dated 2026-06-10, entered on 2026-08-20"))
    # Both incidents: aware on Wed 1 Jul 2026, the Panel notification due by Wed 8 Jul.
    prompt = refer("LN2", "2026-07-01")
    prompt.notify_panel(chair(NotifyPanel, prompt, at=on(d("2026-07-03"))))
    late = refer("LN1", "2026-07-01")
    record(app, prompt, late)
    rapid_review = Commands(by="process:rapid-review")
    with entered_on(end_of(d("2026-07-08"))):
        app.record_breach(rapid_review(RecordBreach, late, step=Step.PANEL_NOTIFICATION,
                                       reason="No notification recorded by the deadline",
                                       at=end_of(d("2026-07-08"))))
    with entered_on(on(d("2026-07-14"))):
        app.notify_panel(chair(NotifyPanel, late, at=on(d("2026-07-06"))))
        app.withdraw_breach(rapid_review(
            WithdrawBreach, late, step=Step.PANEL_NOTIFICATION, at=on(d("2026-07-14")),
            entered_late="Panel notification dated 2026-07-06, entered on 2026-07-14"))
    return LateEntries(kim.id, pat.id, late.id, prompt.id)
