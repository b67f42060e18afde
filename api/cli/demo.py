"""`assured demo`: one record of each aggregate driven through its life, then its history.

Every step is a command through the application, dated when it happened. It runs against the
configured store (the embedded PostgreSQL by default) and can be run again: each run uses fresh
references.
"""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime, time
from typing import Any
from uuid import UUID

from rich.console import Console
from rich.table import Table

from domain.application import Assured
from domain.audit_commands import (
    AgreeActions,
    AuditAction,
    CloseAudit,
    EscalateNonCompliance,
    Moderate,
    PlanAudit,
    RecordFindings,
    ReportAudit,
    RequestReturns,
    SelectCasesAtRandom,
    SubmitReturn,
)
from domain.case_commands import (
    AgreedAction,
    CloseCase,
    CompleteAction,
    OpenCase,
    RecordDiscussion,
    SignDiscussion,
)
from domain.commands import Command
from domain.errors import RecordNotFound, RuleBroken
from domain.panel import PanelRegion
from domain.panel_commands import AddSupportManager, EstablishRegion
from domain.review_commands import (
    AddRecommendation,
    CloseReview,
    CompleteRapidReview,
    CompleteRecommendation,
    DecideLcspr,
    NotifyPanel,
    ReceiveAgencyInformation,
    RecordPanelResponse,
    Refer,
    RequestAgencyInformation,
)
from domain.safeguarder_commands import (
    Allocate,
    ApplyToPanel,
    Appoint,
    Contact,
    OpenReappointmentReview,
    Recommend,
    RecordAnnualShortfall,
    RecordAssessment,
    RecordFeedback,
    RecordInterview,
    RecordMinistersDecision,
    RecordSampledReport,
    RecordSupportSession,
)

BASE_FIELDS = {"originator_id", "originator_version", "timestamp", "actor", "occurred_on"}


def on(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


class Script:
    """Commands on one record, each dated when it happened."""

    def __init__(self, app: Assured, record_id: UUID | None = None) -> None:
        self.app, self.record_id = app, record_id

    def __call__(self, kind: type[Command], by: str, day: date, **fields: Any) -> Any:
        if self.record_id is not None:
            fields["record_id"] = self.record_id
        receipt = self.app.execute(kind(by=by, at=on(day), **fields))
        if self.record_id is None:
            self.record_id = receipt.aggregate_id  # type: ignore[union-attr]
        return receipt


def east_manager(app: Assured, manager: str) -> str:
    try:
        region = app.load(PanelRegion.create_id("East"), PanelRegion)
    except RecordNotFound:
        app.establish_region(EstablishRegion(region="East", by="panel-lead",
                                             at=on(date(2025, 1, 6))))
        region = app.load(PanelRegion.create_id("East"), PanelRegion)
    if manager not in region.support_managers and len(region.support_managers) < 2:
        app.add_support_manager(AddSupportManager(record_id=region.id, manager=manager,
                                                  by="panel-lead", at=on(date(2025, 1, 6))))
        return manager
    return manager if manager in region.support_managers else region.support_managers[0]


def safeguarder_life(app: Assured) -> UUID:
    manager = east_manager(app, "support-manager-east-1")
    do = Script(app)
    do(ApplyToPanel, "panel-lead", date(2025, 1, 10), name="Demo Safeguarder",
       contact=Contact(email="demo@example.org"), region="East")
    do(RecordInterview, "panel-lead", date(2025, 2, 3), passed=True, notes="clear child focus")
    do(RecordAssessment, "panel-lead", date(2025, 2, 17), passed=True, notes="ready")
    do(Appoint, "ministers", date(2025, 2, 28), term_starts_on=date(2025, 3, 1))
    do(Allocate, "panel-lead", date(2025, 3, 3), manager=manager,
       reason="prefers reflective, face-to-face support")
    for year, held in ((1, date(2025, 9, 1)), (2, date(2026, 9, 1)), (3, date(2027, 9, 1))):
        do(RecordSupportSession, manager, held, session_id=f"session-{year}",
           notes="practice reflection")
        for n in (1,) if year == 2 else (1, 2):  # year 2 falls short: one sampled report
            do(RecordSampledReport, manager, held, report_ref=f"report-{year}-{n}",
               session_id=f"session-{year}", discussion="discussed")
    do(RecordFeedback, manager, date(2026, 1, 12), source="child or young person",
       tone="positive", summary="listened to me")
    do(RecordAnnualShortfall, "process:appointment", date(2027, 3, 1), year=2)
    do(OpenReappointmentReview, "process:appointment", date(2027, 9, 1))
    try:
        do(Recommend, manager, date(2027, 10, 1), reappoint=True,
           rationale="meets the Practice Standards")
    except RuleBroken as refused:
        print(f"Refused as expected: {refused.rule}")
    do(Recommend, manager, date(2027, 10, 1), reappoint=True,
       rationale="meets the Practice Standards", exception_reason="long-term illness in year 2")
    do(RecordMinistersDecision, "ministers", date(2028, 1, 15), reappoint=True)
    assert do.record_id is not None
    return do.record_id


def case_life(app: Assured, suffix: str) -> UUID:
    do = Script(app)
    do(OpenCase, "practitioner-1", date(2026, 1, 5), child_reference=f"DEMO-{suffix}",
       agency="childrens-services", practitioner="practitioner-1", supervisor="supervisor-1",
       legal_status="child_in_need", risk="medium", nation="ENG")
    do(RecordDiscussion, "supervisor-1", date(2026, 1, 12), discussion_id="d1",
       supervisor="supervisor-1", supervisee="practitioner-1", needs="school attendance",
       risks="neglect", engagement="parent engaging", capacity_for_change="some",
       plan="CIN plan", rag="A", next_discussion_on=date(2026, 3, 2),
       actions=[AgreedAction(action_id="a1", description="attendance meeting",
                             owner="practitioner-1", due=date(2026, 2, 1))])
    do(SignDiscussion, "supervisor-1", date(2026, 1, 12), discussion_id="d1",
       party="supervisor-1")
    do(SignDiscussion, "practitioner-1", date(2026, 1, 13), discussion_id="d1",
       party="practitioner-1")
    do(CompleteAction, "practitioner-1", date(2026, 1, 30), action_id="a1")
    do(CloseCase, "supervisor-1", date(2026, 4, 1),
       reason="needs met; stepped down to universal services")
    assert do.record_id is not None
    return do.record_id


def review_life(app: Assured, suffix: str) -> UUID:
    chair, do = "practice-review-chair", Script(app)
    do(Refer, chair, date(2026, 12, 22), reference=f"RR-{suffix}", referrer="police",
       category="serious_incident", summary="serious injury to an infant", nation="ENG",
       review_type="rapid_review", became_aware_on=date(2026, 12, 22))
    do(RequestAgencyInformation, chair, date(2026, 12, 23), request_id="req-1", agency="health",
       due_on=date(2027, 1, 6))
    do(NotifyPanel, chair, date(2026, 12, 24))
    do(ReceiveAgencyInformation, chair, date(2027, 1, 5), request_id="req-1")
    do(CompleteRapidReview, chair, date(2027, 1, 14), findings="information sharing gaps",
       learning=["share discharge summaries"], recommend_lcspr=False,
       rationale="learning can be taken forward without an LCSPR")
    do(RecordPanelResponse, chair, date(2027, 2, 1), response="agrees with the decision")
    do(DecideLcspr, chair, date(2027, 2, 2), commission=False,
       rationale="learning captured by the rapid review")
    do(AddRecommendation, chair, date(2027, 2, 2), recommendation_id="rec-1",
       text="health visitors receive discharge summaries", owner_agency="health",
       due_on=date(2027, 6, 30))
    do(CompleteRecommendation, "health-lead", date(2027, 5, 20), recommendation_id="rec-1")
    do(CloseReview, chair, date(2027, 6, 1))
    assert do.record_id is not None
    return do.record_id


def audit_life(app: Assured, cases: list[str], suffix: str) -> UUID:
    chair, do = "audit-lead", Script(app)
    do(PlanAudit, chair, date(2026, 4, 1), reference=f"MAPA-2026-{suffix}",
       theme="supervision of CIN cases", dimension="multi_agency",
       audit_type="multi_agency_practice", year=2026, agencies=["health", "police"],
       sample_size=1, returns_due=date(2026, 5, 29))
    do(SelectCasesAtRandom, "process:audit-cycle", date(2026, 4, 2), population=cases,
       seed=2026)
    do(RequestReturns, "process:audit-cycle", date(2026, 4, 3))
    do(SubmitReturn, "health-lead", date(2026, 5, 20), agency="health",
       supervision_grade="good", oversight_grade="requires_improvement",
       evidence="supervision notes sampled")
    do(EscalateNonCompliance, "process:audit-cycle", date(2026, 6, 1), agency="police")
    do(Moderate, chair, date(2026, 6, 10), notes="grades moderated")
    do(RecordFindings, chair, date(2026, 6, 20), strengths=["timely supervision"],
       areas_for_development=["management oversight recording"])
    do(ReportAudit, chair, date(2026, 7, 1), group="Safeguarding Effectiveness sub-group")
    do(AgreeActions, chair, date(2026, 7, 1), actions=[AuditAction(
        action="oversight template", owner="health", due_on=date(2026, 9, 30))])
    do(CloseAudit, chair, date(2026, 10, 1))
    assert do.record_id is not None
    return do.record_id


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
    audit = audit_life(app, [str(case)], suffix)
    for kind, record in (("Safeguarder", safeguarder), ("Case", case), ("Review", review),
                         ("AuditRecord", audit)):
        console.print(history_table(f"{kind} {record}", app.stored_events(record)))
