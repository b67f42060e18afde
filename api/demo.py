"""`assured demo`: one record of each aggregate driven through its life, then its history.

It runs against the configured store (the embedded PostgreSQL by default) and can be run again:
each run uses fresh references.
"""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime, time
from typing import Any

from rich.console import Console
from rich.table import Table

from domain.application import Assured
from domain.audit import AuditRecord
from domain.case import Case
from domain.errors import RecordNotFound, RuleBroken
from domain.panel import PanelRegion
from domain.review import Review
from domain.safeguarder import Safeguarder

BASE_FIELDS = {"originator_id", "originator_version", "timestamp", "actor", "occurred_on"}


def on(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def east_region(app: Assured, manager: str) -> PanelRegion:
    try:
        region = app.load(PanelRegion.create_id("East"), PanelRegion)
    except RecordNotFound:
        region = PanelRegion.establish("East", by="panel-lead", at=on(date(2025, 1, 6)))
    if manager not in region.support_managers and len(region.support_managers) < 2:
        region.add_support_manager(manager, by="panel-lead", at=on(date(2025, 1, 6)))
        app.record(region)
    return region


def safeguarder_life(app: Assured) -> Safeguarder:
    manager = "support-manager-east-1"
    region = east_region(app, manager)
    manager = manager if manager in region.support_managers else region.support_managers[0]
    s = Safeguarder.apply_to_panel(name="Demo Safeguarder", contact={"email": "demo@example.org"},
                                   region="East", by="panel-lead", at=on(date(2025, 1, 10)))
    s.record_interview(True, "clear child focus", by="panel-lead", at=on(date(2025, 2, 3)))
    s.record_assessment(True, "ready", by="panel-lead", at=on(date(2025, 2, 17)))
    s.appoint(date(2025, 3, 1), by="ministers", at=on(date(2025, 2, 28)), policy=app.policy)
    s.allocate(region, manager, "prefers reflective, face-to-face support", by="panel-lead",
               at=on(date(2025, 3, 3)))
    for year, held in ((1, date(2025, 9, 1)), (2, date(2026, 9, 1)), (3, date(2027, 9, 1))):
        s.record_support_session(f"session-{year}", "practice reflection", by=manager, at=on(held))
        reports = (1,) if year == 2 else (1, 2)  # year 2 falls short: one sampled report
        for n in reports:
            s.record_sampled_report(f"report-{year}-{n}", f"session-{year}", "discussed",
                                    by=manager, at=on(held))
    s.record_feedback("child or young person", "positive", "listened to me", by=manager,
                      at=on(date(2026, 1, 12)))
    s.record_annual_shortfall(2, by="appointment-workflow", at=on(date(2027, 3, 1)))
    s.open_reappointment_review(by="panel-lead", at=on(date(2027, 9, 1)))
    try:
        s.recommend(True, "meets the Practice Standards", by=manager, at=on(date(2027, 10, 1)))
    except RuleBroken as refused:
        print(f"Refused as expected: {refused.rule}")
    s.recommend(True, "meets the Practice Standards", exception_reason="long-term illness in year 2",
                by=manager, at=on(date(2027, 10, 1)))
    s.record_ministers_decision(True, by="ministers", at=on(date(2028, 1, 15)), policy=app.policy)
    app.record(s)
    return s


def case_life(app: Assured, suffix: str) -> Case:
    case = Case.open(child_reference=f"DEMO-{suffix}", agency="childrens-services",
                     practitioner="practitioner-1", supervisor="supervisor-1",
                     legal_status="child_in_need", risk="medium", nation="ENG",
                     by="practitioner-1", at=on(date(2026, 1, 5)))
    case.record_discussion(
        "d1", supervisor="supervisor-1", supervisee="practitioner-1", needs="school attendance",
        risks="neglect", engagement="parent engaging", capacity_for_change="some", plan="CIN plan",
        rag="A", actions=[{"action_id": "a1", "description": "attendance meeting",
                           "owner": "practitioner-1", "due": date(2026, 2, 1)}],
        next_discussion_on=date(2026, 3, 2), by="supervisor-1", at=on(date(2026, 1, 12)),
        policy=app.policy,
    )
    case.sign_discussion("d1", "supervisor-1", by="supervisor-1", at=on(date(2026, 1, 12)))
    case.sign_discussion("d1", "practitioner-1", by="practitioner-1", at=on(date(2026, 1, 13)))
    case.complete_action("a1", by="practitioner-1", at=on(date(2026, 1, 30)))
    case.close("needs met; stepped down to universal services", by="supervisor-1",
               at=on(date(2026, 4, 1)))
    app.record(case)
    return case


def review_life(app: Assured, suffix: str) -> Review:
    review = Review.refer(reference=f"RR-{suffix}", referrer="police", category="serious_incident",
                          summary="serious injury to an infant", nation="ENG",
                          review_type="rapid_review", became_aware_on=date(2026, 12, 22),
                          by="practice-review-chair", at=on(date(2026, 12, 22)), policy=app.policy)
    review.notify_panel(by="practice-review-chair", at=on(date(2026, 12, 24)))
    review.request_agency_information("req-1", "health", date(2027, 1, 6),
                                      by="practice-review-chair", at=on(date(2026, 12, 23)))
    review.receive_agency_information("req-1", by="practice-review-chair", at=on(date(2027, 1, 5)))
    review.complete_rapid_review("information sharing gaps", ["share discharge summaries"], False,
                                 "learning can be taken forward without an LCSPR",
                                 by="practice-review-chair", at=on(date(2027, 1, 14)))
    review.record_panel_response("agrees with the decision", by="practice-review-chair",
                                 at=on(date(2027, 2, 1)))
    review.decide_lcspr(False, "learning captured by the rapid review", by="practice-review-chair",
                        at=on(date(2027, 2, 2)))
    review.add_recommendation("rec-1", "health visitors receive discharge summaries", "health",
                              date(2027, 6, 30), by="practice-review-chair", at=on(date(2027, 2, 2)))
    review.complete_recommendation("rec-1", by="health-lead", at=on(date(2027, 5, 20)))
    review.close(by="practice-review-chair", at=on(date(2027, 6, 1)))
    app.record(review)
    return review


def audit_life(app: Assured, cases: list[str], suffix: str) -> AuditRecord:
    chair = "audit-lead"
    audit = AuditRecord.plan(reference=f"MAPA-2026-{suffix}", theme="supervision of CIN cases",
                             dimension="multi_agency",
                             audit_type="multi_agency_practice", year=2026,
                             agencies=["health", "police"], sample_size=1,
                             returns_due=date(2026, 5, 29), by=chair, at=on(date(2026, 4, 1)),
                             policy=app.policy)
    audit.select_cases_at_random(cases, seed=2026, by=chair, at=on(date(2026, 4, 2)))
    audit.request_returns(by=chair, at=on(date(2026, 4, 3)))
    audit.submit_return("health", "good", "requires_improvement", "supervision notes sampled",
                        by="health-lead", at=on(date(2026, 5, 20)))
    audit.escalate_non_compliance("police", by=chair, at=on(date(2026, 6, 1)))
    audit.moderate("grades moderated", by=chair, at=on(date(2026, 6, 10)))
    audit.record_findings(["timely supervision"], ["management oversight recording"], by=chair,
                          at=on(date(2026, 6, 20)))
    audit.report("Safeguarding Effectiveness sub-group", by=chair, at=on(date(2026, 7, 1)))
    audit.agree_actions([{"action": "oversight template", "owner": "health",
                          "due_on": date(2026, 9, 30)}], by=chair, at=on(date(2026, 7, 1)))
    audit.close(by=chair, at=on(date(2026, 10, 1)))
    app.record(audit)
    return audit


def history_table(title: str, events: list[Any]) -> Table:
    table = Table(title=title, title_justify="left")
    for column in ("v", "event", "by", "happened", "recorded", "details"):
        table.add_column(column)
    for e in events:
        details = {k: v for k, v in vars(e).items() if k not in BASE_FIELDS}
        shown = ", ".join(f"{k}={v}" for k, v in details.items())
        table.add_row(str(e.originator_version), type(e).__name__, e.actor,
                      f"{e.occurred_on:%Y-%m-%d %H:%M}", f"{e.timestamp:%Y-%m-%d %H:%M:%S}",
                      shown if len(shown) < 110 else shown[:107] + "...")
    return table


def run_demo(app: Assured, console: Console) -> None:
    suffix = secrets.token_hex(3).upper()
    safeguarder = safeguarder_life(app)
    case = case_life(app, suffix)
    review = review_life(app, suffix)
    audit = audit_life(app, [str(case.id)], suffix)
    for kind, record in (("Safeguarder", safeguarder), ("Case", case), ("Review", review),
                         ("AuditRecord", audit)):
        console.print(history_table(f"{kind} {record.id}", app.stored_events(record.id)))
