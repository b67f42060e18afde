"""The assurance side of the projection tests' World: a round of case reviews, audits, the
appointment workflow's steps, a re-appointment and the scorecard's narratives.

`assurance_round(world)` runs once per `World.next_round`, after the panel and caseload have
moved on, so that every table of the caseload, evidence pack, register and scorecard read
models fills, and later rounds change rows that earlier catch-ups wrote.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from domain.accounts import View
from domain.audit import AuditRecord
from domain.policy import DEFAULT_POLICY
from domain.review import Review
from domain.review_values import Step
from domain.safeguarder import Safeguarder
from domain.safeguarder_values import year_starts_on
from domain.scorecard import set_narrative
from projections.quarters import Quarter

CHAIR, AUDITOR, LEAD, MANAGER = "chair-prg", "audit-lead", "team-lead", "sm-east-1"
SHORT_TERM = DEFAULT_POLICY.with_overrides(safeguarder_term=1, reappointment_review_lead=11)
AGENCIES = ["school", "health", "police"]


def assurance_round(world: Any) -> None:
    r = world.round
    _workflow_steps(world)
    _review(world, r)
    if r >= 1:
        _follow_review(world, r - 1)
    if r >= 2:
        world.app.change(Review.create_id(f"R-{r - 2}"), lambda v: v.close(
            {"rec-2": "Waits for the new multi-agency protocol"}, by=CHAIR, at=world.day(30)))
    _audit(world, r)
    if r >= 1:
        _conclude_audit(world, r - 1)
    _reappointment(world, r)
    # A recorded read of the review, so the access log has rows too.
    world.app.record(View.record(Review.create_id(f"R-{r}"), "/reviews/{review_id}",
                                 by=CHAIR, at=world.day(20)))
    set_narrative(world.app, quarter=str(Quarter.of(world.day(1).date())),
                  measure="support_on_time", text=f"Round {r}: sessions booked for every year",
                  by=LEAD, at=world.day(1))


def _workflow_steps(world: Any) -> None:
    """The appointment workflow's 'support due dates set' step, on every serving Safeguarder."""
    for sid in world.safeguarders:
        s = world.app.load(sid, Safeguarder)
        if s.first_appointed_on is None:
            continue
        year = s.year_of(world.day(14).date())
        due = year_starts_on(s.first_appointed_on, year + 1) - timedelta(days=1)
        world.app.run_step(sid, f"appointment-{sid}:year-{year}:due-dates", "appointment",
                           "support due dates set", {"year": year,
                                                     "support_session_due": due.isoformat()},
                           at=world.day(14))


def _review(world: Any, r: int) -> None:
    aware = world.day(0).date()
    review = Review.refer(reference=f"R-{r}", referrer="Head teacher", category="serious_incident",
                          summary=f"Serious incident {r}", nation="ENG",
                          review_type="rapid_review", became_aware_on=aware, by=CHAIR,
                          at=world.day(1))
    review.request_agency_information("info-1", "health", world.day(8).date(), by=CHAIR,
                                      at=world.day(2))
    if r % 2:
        review.record_breach(Step.PANEL_NOTIFICATION, "Chair on leave", by="process:rapid-review",
                             at=world.day(10))
        review.notify_panel(by=CHAIR, at=world.day(12), late_reason="Chair on leave")
    else:
        review.notify_panel(by=CHAIR, at=world.day(3))
    review.receive_agency_information("info-1", by=CHAIR, at=world.day(12))
    review.complete_rapid_review("Chronologies were late", ["Share chronologies earlier",
                                                            "Name a lead agency"],
                                 True, "Multi-agency learning", by=CHAIR, at=world.day(13))
    review.record_panel_response("Agrees with the rapid review", by=CHAIR, at=world.day(14))
    review.add_recommendation("rec-1", "Chronology template for all agencies", "health",
                              world.day(40).date(), by=CHAIR, at=world.day(15))
    review.add_recommendation("rec-2", "Joint training on thresholds", "school",
                              world.day(80).date(), by=CHAIR, at=world.day(15))
    world.app.record(review)


def _follow_review(world: Any, r: int) -> None:
    review = world.app.load(Review.create_id(f"R-{r}"), Review)
    review.update_recommendation("rec-1", "Template drafted", by=CHAIR, at=world.day(5))
    review.complete_recommendation("rec-1", by=CHAIR, at=world.day(6))
    review.assess_recommendation_impact("rec-1", "Chronologies now arrive in time", by=CHAIR,
                                        at=world.day(7))
    review.decide_lcspr(r % 2 == 0, "Learning is system-wide", *(
        ("Independent reviewer", "Multi-agency threshold decisions") if r % 2 == 0 else ()),
        by=CHAIR, at=world.day(8))
    world.app.record(review)


def _audit(world: Any, r: int) -> None:
    audit = AuditRecord.plan(reference=f"A-{r}", theme="Supervision of children in need",
                             dimension="multi_agency", audit_type="multi_agency_practice",
                             year=world.day(1).year, agencies=AGENCIES, sample_size=2,
                             returns_due=world.day(20).date(), by=AUDITOR, at=world.day(1))
    audit.select_cases_at_random(["CH-1", "CH-2", "CH-3"], seed=r, by=AUDITOR, at=world.day(2))
    audit.request_returns(by=AUDITOR, at=world.day(3))
    audit.submit_return("school", "good", "good", "Evidence of supervision notes", by="dsl-1",
                        at=world.day(5))
    audit.chase_return("health", by=AUDITOR, at=world.day(15))
    audit.submit_return("health", "requires_improvement", "good", "Gaps in oversight",
                        by="nurse-1", at=world.day(25))
    world.app.record(audit)


def _conclude_audit(world: Any, r: int) -> None:
    audit = world.app.load(AuditRecord.create_id(f"A-{r}"), AuditRecord)
    audit.review_plan("On track", by=AUDITOR, at=world.day(1))
    audit.escalate_non_compliance("police", by=AUDITOR, at=world.day(1))
    audit.moderate("Grades agreed", by=AUDITOR, at=world.day(2))
    audit.record_findings(["Supervision is regular"], ["Oversight is not recorded"],
                          by=AUDITOR, at=world.day(3))
    audit.report("Safeguarding Effectiveness Sub-Group", by=AUDITOR, at=world.day(4))
    audit.agree_actions([{"action": "Record oversight in the case file", "owner": "health",
                          "due_on": world.day(60).date()}], by=AUDITOR, at=world.day(5))
    audit.close(by=AUDITOR, at=world.day(6))
    world.app.record(audit)


def _reappointment(world: Any, r: int) -> None:
    """One Safeguarder on a one-year term: appointed, reviewed, recommended, re-appointed."""
    app = world.app
    if r == 0:
        s = Safeguarder.apply_to_panel(name="Robin Review", contact={"phone": "0131 000"},
                                       region="East", by=LEAD, at=world.day(2))
        s.record_interview(True, "clear", by=LEAD, at=world.day(3))
        s.record_assessment(True, "ready", by=LEAD, at=world.day(4))
        s.appoint(world.day(5).date(), by="ministers", at=world.day(5), policy=SHORT_TERM)
        app.record(s)
        world.reviewed = s.id
        app.allocate(s.id, MANAGER, "", by=LEAD, at=world.day(6))
        return
    sid = world.reviewed
    if r == 1:
        app.run_step(sid, f"appointment-{sid}:term-1:review", "appointment",
                     "re-appointment review opened",
                     {"recommendation_due": world.day(30).date().isoformat()},
                     lambda s: s.open_reappointment_review(by="process:appointment",
                                                           at=world.day(1)), at=world.day(1))
    elif r == 2:
        app.change(sid, lambda s: s.recommend(True, "Reflective practice", by=MANAGER,
                                              at=world.day(2)))
    elif r == 3:
        app.change(sid, lambda s: s.record_ministers_decision(True, by="ministers",
                                                              at=world.day(3), policy=SHORT_TERM))
