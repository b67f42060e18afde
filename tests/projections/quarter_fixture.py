"""A small, hand-countable year of records around the fixture quarter 2026Q3 (1 Jul - 30 Sep).

Every fact is dated so that the scorecard's figures for 2026Q3 can be counted by hand; the
counting is written out in test_scorecard.py. Names of people here are invented.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from uuid import UUID

from domain.application import Assured
from domain.audit import AuditRecord
from domain.case import Case
from domain.panel import PanelRegion
from domain.review import Review
from domain.review_values import Step
from domain.safeguarder import Safeguarder
from domain.scorecard import set_narrative

LEAD, MANAGER, CHAIR, AUDITOR, DSL = "panel-lead", "sm-1", "chair-prg", "audit-lead", "dsl-1"
CANARY = "Canary-7f3e: Mrs Example said the Safeguarder listened"


def on(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def d(text: str) -> date:
    return date.fromisoformat(text)


@dataclass
class Fixture:
    safeguarders: dict[str, UUID] = field(default_factory=dict)
    cases: dict[str, UUID] = field(default_factory=dict)


def record_fixture_year(app: Assured) -> Fixture:
    fixture = Fixture()
    region = PanelRegion.establish("East", by=LEAD, at=on(d("2023-01-02")))
    region.add_support_manager(MANAGER, by=LEAD, at=on(d("2023-01-02")))
    app.record(region)
    _safeguarders(app, fixture)
    _reviews(app)
    _audits(app)
    _cases(app, fixture)
    set_narrative(app, quarter="2026Q3", measure="support_on_time",
                  text="Two reports were sampled late; booked for October.", by=LEAD,
                  at=on(d("2026-10-02")))
    return fixture


def appointed(app: Assured, name: str, starts: str, **contact: str) -> Safeguarder:
    start = d(starts)
    s = Safeguarder.apply_to_panel(name=name, contact=contact or {"email": "x@example.org"},
                                   region="East", by=LEAD, at=on(start, 7))
    s.record_interview(True, "clear", by=LEAD, at=on(start, 8))
    s.record_assessment(True, "ready", by=LEAD, at=on(start, 9))
    s.appoint(start, by="ministers", at=on(start, 10), policy=app.policy)
    s.allocate(region_of(app), MANAGER, "", by=LEAD, at=on(start, 11))
    return s


def region_of(app: Assured) -> PanelRegion:
    return app.load(PanelRegion.create_id("East"), PanelRegion)


def _safeguarders(app: Assured, fixture: Fixture) -> None:
    s1 = appointed(app, "Sam One", "2025-07-15")
    s1.record_support_session("s1-1", "reflection", by=MANAGER, at=on(d("2026-07-10")))
    for ref in ("R-11", "R-12"):
        s1.record_sampled_report(ref, "s1-1", "discussed", by=MANAGER, at=on(d("2026-07-11")))
    s1.record_feedback("family", "positive", CANARY, by=LEAD, at=on(d("2026-08-03")))
    s2 = appointed(app, "Sam Two", "2025-09-01")
    s2.record_support_session("s2-1", "reflection", by=MANAGER, at=on(d("2026-03-01")))
    s2.record_sampled_report("R-21", "s2-1", "discussed", by=MANAGER, at=on(d("2026-03-02")))
    s2.record_support_session("s2-2", "reflection", by=MANAGER, at=on(d("2026-09-15")))
    s3 = appointed(app, "Sam Three", "2026-08-01")
    s3.record_support_session("s3-1", "reflection", by=MANAGER, at=on(d("2026-09-20")))
    s4 = appointed(app, "Sam Four", "2025-08-10")
    s4.resign("moving away", by=LEAD, at=on(d("2026-08-01")))
    s5 = appointed(app, "Sam Five", "2023-11-01")
    s5.open_reappointment_review(by="process:appointment", at=on(d("2026-05-05")))
    s5.recommend(True, "Reflective, child-centred reports", "Sessions held, not recorded",
                 by=MANAGER, at=on(d("2026-07-20")))
    s6 = appointed(app, "Sam Six", "2023-12-20")
    s6.open_reappointment_review(by="process:appointment", at=on(d("2026-06-25")))
    s6.recommend(True, "Good feedback", "Sessions held, not recorded", by=MANAGER,
                 at=on(d("2026-10-05")))
    app.record(s1, s2, s3, s4, s5, s6)
    fixture.safeguarders.update(s1=s1.id, s2=s2.id, s3=s3.id, s4=s4.id, s5=s5.id, s6=s6.id)


def refer(reference: str, aware: str) -> Review:
    return Review.refer(reference=reference, referrer="Head teacher",
                        category="serious_incident", summary=f"Serious incident {reference}",
                        nation="ENG", review_type="rapid_review", became_aware_on=d(aware),
                        by=CHAIR, at=on(d(aware), 16))


def _reviews(app: Assured) -> None:
    rv0 = refer("RV0", "2026-06-26")
    rv0.record_breach(Step.PANEL_NOTIFICATION, "Chair on leave", by="process:rapid-review",
                      at=on(d("2026-07-06")))
    rv0.complete_rapid_review("Late information", ["Agree a single chronology"], False,
                              "Learning is single-agency", late_reason="Police file late",
                              by=CHAIR, at=on(d("2026-07-24")))
    rv1 = refer("RV1", "2026-07-01")
    rv1.notify_panel(by=CHAIR, at=on(d("2026-07-06")))
    rv1.complete_rapid_review("Thresholds applied unevenly", ["Joint threshold training"], True,
                              "System learning", by=CHAIR, at=on(d("2026-07-20")))
    for rec, due in (("rec-a", "2026-08-31"), ("rec-b", "2026-09-30"), ("rec-c", "2026-09-15"),
                     ("rec-d", "2026-11-30")):
        rv1.add_recommendation(rec, f"Recommendation {rec}", "health", d(due), by=CHAIR,
                               at=on(d("2026-07-21")))
    rv1.complete_recommendation("rec-a", by=CHAIR, at=on(d("2026-08-25")))
    rv1.assess_recommendation_impact("rec-a", "Referrals now name the lead agency", by=CHAIR,
                                     at=on(d("2026-09-20")))
    rv1.complete_recommendation("rec-b", by=CHAIR, at=on(d("2026-10-02")))
    rv2 = refer("RV2", "2026-08-20")
    rv2.notify_panel(by=CHAIR, at=on(d("2026-09-01")), late_reason="Bank holiday cover")
    rv2.complete_rapid_review("Good information sharing", ["Keep the daily huddle"], False,
                              "No LCSPR needed", by=CHAIR, at=on(d("2026-09-10")))
    rv3 = refer("RV3", "2026-09-25")
    good = Review.refer(reference="GO-1", referrer="School nurse", category="good_practice",
                        summary="Early help that worked", nation="ENG",
                        review_type="good_outcome", by=CHAIR, at=on(d("2026-08-12")))
    app.record(rv0, rv1, rv2, rv3, good)


def _audits(app: Assured) -> None:
    au1 = AuditRecord.plan(reference="AU1", theme="Supervision of children in need",
                           dimension="multi_agency", audit_type="multi_agency_practice",
                           year=2026, agencies=["school", "health", "police"], sample_size=2,
                           returns_due=d("2026-08-15"), by=AUDITOR, at=on(d("2026-07-01")))
    au1.select_cases_at_random(["CH-101", "CH-102", "CH-103"], 7, by=AUDITOR,
                               at=on(d("2026-07-02")))
    au1.request_returns(by=AUDITOR, at=on(d("2026-07-05")))
    au1.submit_return("school", "good", "good", "Notes seen", by="dsl-1", at=on(d("2026-08-10")))
    au1.submit_return("health", "good", "requires_improvement", "Gaps", by="nurse-1",
                      at=on(d("2026-08-20")))
    au1.escalate_non_compliance("police", by=AUDITOR, at=on(d("2026-08-30")))
    au1.moderate("Agreed", by=AUDITOR, at=on(d("2026-09-02")))
    au1.record_findings(["Supervision is regular"], ["Oversight is not written down"],
                        by=AUDITOR, at=on(d("2026-09-03")))
    au1.report("Safeguarding Effectiveness Sub-Group", by=AUDITOR, at=on(d("2026-09-04")))
    au1.agree_actions([{"action": "Record oversight in every file", "owner": "health",
                        "due_on": d("2026-11-30")}], by=AUDITOR, at=on(d("2026-09-05")))
    au2 = AuditRecord.plan(reference="AU2", theme="Section 11 self-assessment",
                           dimension="single_agency", audit_type="section_11", year=2026,
                           agencies=["school"], sample_size=1, returns_due=d("2026-10-10"),
                           by=AUDITOR, at=on(d("2026-09-01")))
    au2.select_cases_at_random(["CH-104"], 1, by=AUDITOR, at=on(d("2026-09-01")))
    au2.request_returns(by=AUDITOR, at=on(d("2026-09-02")))
    au2.submit_return("school", "good", "good", "Self-assessment", by="dsl-1",
                      at=on(d("2026-09-05")))
    app.record(au1, au2)


def open_case(ref: str, status: str, opened: str) -> Case:
    return Case.open(child_reference=ref, agency="school", practitioner="teacher-1",
                     supervisor=DSL, legal_status=status, risk="medium", nation="ENG", by=DSL,
                     at=on(d(opened)))


def discuss(case: Case, n: int, held: str, next_on: str) -> None:
    case.record_discussion(f"d{n}", supervisor=DSL, supervisee="teacher-1", needs="n",
                           risks="r", engagement="e", capacity_for_change="c", plan="p",
                           rag="A", actions=[], next_discussion_on=d(next_on), by=DSL,
                           at=on(d(held)))


def _cases(app: Assured, fixture: Fixture) -> None:
    cin, cp = "child_in_need", "child_protection"
    c1 = open_case("CH-201", cin, "2026-05-01")
    discuss(c1, 1, "2026-07-15", "2026-10-01")
    c1.raise_concern("k1", "Plan not followed", by="teacher-1", at=on(d("2026-07-02")))
    c1.raise_concern("k2", "Visits missed", by="teacher-1", at=on(d("2026-07-03")))
    c1.escalate_concern("k2", "No change", by="teacher-1", at=on(d("2026-07-08")))
    c1.resolve_concern("k1", "Plan revised", by=DSL, at=on(d("2026-07-10")))
    c1.resolve_concern("k2", "Manager agreed visits", by="manager-1", at=on(d("2026-08-01")))
    c2 = open_case("CH-202", cin, "2026-03-01")
    discuss(c2, 1, "2026-03-10", "2026-06-01")
    c2.raise_concern("k4", "Plan unclear", by="teacher-1", at=on(d("2026-06-01")))
    c2.resolve_concern("k4", "Clarified", by=DSL, at=on(d("2026-06-30")))
    c2.raise_concern("k3", "Referral not made", by="teacher-1", at=on(d("2026-06-20")))
    c2.resolve_concern("k3", "Referral made", by=DSL, at=on(d("2026-07-01")))
    c2.flag_drift(d("2026-07-05"), by=DSL, at=on(d("2026-07-05")))
    c3 = open_case("CH-203", cp, "2026-06-01")
    discuss(c3, 1, "2026-06-05", "2026-07-01")
    c3.change_legal_status(cin, by=DSL, at=on(d("2026-08-01")))
    c3.raise_concern("k5", "Escalating risk", by="teacher-1", at=on(d("2026-08-05")))
    c3.escalate_concern("k5", "No answer", by="teacher-1", at=on(d("2026-08-12")))
    c3.escalate_concern("k5", "Still no answer", by="teacher-1", at=on(d("2026-08-20")))
    c3.flag_drift(d("2026-09-10"), by=DSL, at=on(d("2026-09-10")))
    c3.resolve_concern("k5", "Partnership resolved", by="partnership", at=on(d("2026-09-30")))
    c4 = open_case("CH-204", cin, "2026-01-10")
    c4.close("Stepped down", by=DSL, at=on(d("2026-09-01")))
    c5 = open_case("CH-205", cp, "2026-07-01")
    c6 = open_case("CH-206", cin, "2026-07-20")
    app.record(c1, c2, c3, c4, c5, c6)
    fixture.cases.update(c1=c1.id, c2=c2.id, c3=c3.id, c4=c4.id, c5=c5.id, c6=c6.id)

