"""A demo partnership's year and a half, for the sample quarterly report (docs/).

`record_demo(app, quarter)` records, through the domain's own commands, the five quarters up to
the end of `quarter`: a panel of Safeguarders in three regions with their support, feedback and
re-appointments; children's cases under supervision with drift and concerns; serious incidents
with their rapid reviews and recommendations; a multi-agency audit each quarter; and the leads'
narratives. It is seeded, so the same quarter always gives the same records. Every name is
invented.

The demo enters its year and a half at once; each fact is stamped as entered the moment it
happened (`_as_it_happened`), so that the sample report reads as a real quarter would, with
nothing counted as entered late.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from domain.application import Assured
from domain.audit import AuditRecord
from domain.audit_commands import (
    AgreeActions,
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
from domain.case import Case
from domain.case_commands import (
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
    CloseReview,
    CompleteRapidReview,
    CompleteRecommendation,
    NotifyPanel,
    Refer,
)
from domain.safeguarder import Safeguarder
from domain.safeguarder_commands import (
    Allocate,
    ApplyToPanel,
    Appoint,
    OpenReappointmentReview,
    Recommend,
    RecordAssessment,
    RecordFeedback,
    RecordInterview,
    RecordMinistersDecision,
    RecordSampledReport,
    RecordSupportSession,
)
from domain.safeguarder_values import year_starts_on
from domain.scorecard import WriteNarrative
from projections.quarters import Quarter

LEAD, CHAIR, AUDITOR = "panel-lead", "chair-prg", "audit-lead"
MANAGERS = {"East": ("sm-east-1", "sm-east-2"), "North": ("sm-north-1", "sm-north-2"),
            "West": ("sm-west-1", "sm-west-2")}
AGENCIES = ("school", "health", "police", "social care")
FIRST, LAST = ("Alex", "Sam", "Jo", "Kit", "Ruth", "Iain", "Morag", "Priya", "Tom", "Ewan"), (
    "Reid", "Shaw", "Kerr", "Baird", "Munro", "Doyle", "Gray", "Hay")
NARRATIVES = {
    "support_on_time": "Two Safeguarders' year ends fell in the summer holidays; their sampled "
                       "reports are booked for October. Reminders now go two months ahead.",
    "panel_notification_on_time": "Both notifications were made within five working days. A "
                                  "deputy now covers the chair's leave.",
    "cin_supervision_in_interval": "One child in need went past three months without "
                                   "supervision in September; the designated nurse has "
                                   "booked the discussion.",
    "drift_cases": "Drift is concentrated in three cases awaiting a school place; each has "
                   "been escalated to the senior manager.",
    "concerns_resolved_at_stage_1": "Most concerns are settled with the supervisor; two were "
                                    "escalated, one to the partnership, and both are resolved.",
}

Step = tuple[datetime, Callable[[], Any]]


def on(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def _as_it_happened(*records: Record) -> tuple[Record, ...]:
    """The records, each pending fact stamped as entered when it happened."""
    for record in records:
        for event in record.pending_events:
            object.__setattr__(event, "timestamp", event.occurred_on)  # events are frozen
    return records


def _save(app: Assured, *records: Record) -> None:
    app.record(*_as_it_happened(*records))


def record_demo(app: Assured, quarter: Quarter, seed: int = 2026) -> None:
    rng = random.Random(seed)
    cutoff = quarter.end
    begin = quarter.last(5)[0].start
    _regions(app, begin)
    for n in range(30):
        _safeguarder(app, rng, n, cutoff)
    for n in range(36):
        _case(app, rng, n, begin, cutoff)
    for q in quarter.last(5):
        for n in range(2):
            _incident(app, rng, f"SI-{q}-{n + 1}", q, cutoff)
        _audit(app, rng, f"MAA-{q}", q, cutoff)
    good = Review.refer(Refer(reference=f"GO-{quarter}", referrer="School nurse",
                              category="good_practice",
                              summary="Early help that kept a family together", nation="ENG",
                              review_type="good_outcome", by=CHAIR,
                              at=on(quarter.start + timedelta(days=20))))
    _save(app, good)
    for measure, text in NARRATIVES.items():
        app.write_narrative(WriteNarrative(quarter=str(quarter), measure=measure, text=text,
                                           by=LEAD, at=on(cutoff)))


def _regions(app: Assured, begin: date) -> None:
    for region, managers in MANAGERS.items():
        record = PanelRegion.establish(EstablishRegion(region=region, by=LEAD,
                                                       at=on(date(2022, 1, 4))))
        for manager in managers:
            record.add_support_manager(AddSupportManager(record_id=record.id, manager=manager,
                                                         by=LEAD, at=on(date(2022, 1, 4))))
        _save(app, record)


def _run(steps: list[Step], cutoff: date) -> None:
    """Take the steps in date order, up to the cutoff."""
    for when, step in sorted(steps, key=lambda s: s[0]):
        if when.date() <= cutoff:
            step()


def _safeguarder(app: Assured, rng: random.Random, n: int, cutoff: date) -> None:
    region = ("East", "North", "West")[n % 3]
    manager = MANAGERS[region][n % 2]
    # Appointments every six weeks or so, ending a little before the cutoff, so that terms end
    # (and recommendations fall due) in every quarter.
    start = cutoff - timedelta(days=120 + 45 * n + rng.randint(-10, 10))
    name = f"{FIRST[n % len(FIRST)]} {LAST[n % len(LAST)]}"
    s = Safeguarder.apply_to_panel(ApplyToPanel(
        name=name, contact={"email": f"sg{n}@example.org"}, region=region, by=LEAD,
        at=on(start - timedelta(days=40))))
    s.record_interview(RecordInterview(record_id=s.id, passed=True, notes="child-centred",
                                       by=LEAD, at=on(start - timedelta(days=30))))
    s.record_assessment(RecordAssessment(record_id=s.id, passed=True, notes="ready", by=LEAD,
                                         at=on(start - timedelta(days=20))))
    s.appoint(Appoint(record_id=s.id, term_starts_on=start, by="ministers",
                      at=on(start - timedelta(days=5))), policy=app.policy)
    region_record = app.load(PanelRegion.create_id(region), PanelRegion)
    s.allocate(Allocate(record_id=s.id, manager=manager, by=LEAD,
                        at=on(start + timedelta(days=3))), region_record)
    steps: list[Step] = []
    diligence = rng.choice((0.95, 0.9, 0.8, 0.6))
    for year in range(1, 7):
        year_start = year_starts_on(start, year)
        if year_start > cutoff:
            break
        held = on(year_start + timedelta(days=rng.randint(30, 340)))
        reports = 2 if rng.random() < diligence else 1
        steps.append((held, _support(s, year, held, reports, manager)))
        for _ in range(rng.randint(0, 2)):
            when = on(year_start + timedelta(days=rng.randint(5, 360)), 14)
            source = rng.choice(("child or young person", "family", "professional", "reporter"))
            steps.append((when, lambda w=when, src=source: s.record_feedback(RecordFeedback(
                record_id=s.id, source=src, tone=rng.choice(("positive", "positive", "mixed")),
                summary="Clear, child-focused report", by=LEAD, at=w))))
    _review_steps(s, rng, steps, manager)
    _run(steps, cutoff)
    _save(app, s)


def _support(s: Safeguarder, year: int, held: datetime, reports: int,
             manager: str) -> Callable[[], None]:
    def record() -> None:
        s.record_support_session(RecordSupportSession(
            record_id=s.id, session_id=f"y{year}", notes="reflection on practice", by=manager,
            at=held))
        for r in range(reports):
            s.record_sampled_report(RecordSampledReport(
                record_id=s.id, report_ref=f"R-{year}-{r + 1}", session_id=f"y{year}",
                discussion="discussed", by=manager, at=held + timedelta(hours=r + 1)))
    return record


def _review_steps(s: Safeguarder, rng: random.Random, steps: list[Step], manager: str) -> None:
    term = s.current_term
    assert term is not None
    opened = on(term["review_opens_on"] + timedelta(days=2))
    due = term["ends_on"] - timedelta(days=92)
    recommended = on(due - timedelta(days=rng.choice((30, 20, 10, -12))), 15)
    steps.append((opened, lambda: s.open_reappointment_review(OpenReappointmentReview(
        record_id=s.id, by="process:appointment", at=opened))))
    steps.append((recommended, lambda: s.recommend(Recommend(
        record_id=s.id, reappoint=True, rationale="Consistent, reflective practice",
        exception_reason="Sessions held; reports sampled late", by=manager,
        at=recommended))))
    decided = recommended + timedelta(days=25)
    steps.append((decided, lambda: s.record_ministers_decision(RecordMinistersDecision(
        record_id=s.id, reappoint=True, by="ministers", at=decided))))


def _case(app: Assured, rng: random.Random, n: int, begin: date, cutoff: date) -> None:
    opened = begin + timedelta(days=rng.randint(0, (cutoff - begin).days - 20))
    status = "child_in_need" if n % 3 else "child_protection"
    case = Case.open(OpenCase(child_reference=f"CH-{4100 + n}", agency=AGENCIES[n % 4],
                              practitioner=f"worker-{n % 7}", supervisor=f"dsl-{n % 5}",
                              legal_status=status, risk=rng.choice(("low", "medium", "high")),
                              nation="ENG", by=f"dsl-{n % 5}", at=on(opened)))
    held, number, concern = opened + timedelta(days=rng.randint(3, 20)), 0, 0
    slack = rng.choice((70, 80, 85, 88, 88, 130, 150))
    while held <= cutoff:
        number += 1
        gap = rng.randint(45, slack)
        case.record_discussion(RecordDiscussion(
            record_id=case.id, discussion_id=f"d{number}", supervisor=case.supervisor,
            supervisee=case.practitioner, needs="n", risks="r", engagement="e",
            capacity_for_change="c", plan="p", rag=rng.choice("GGGGGAAR"), actions=(),
            next_discussion_on=min(held + timedelta(days=gap), held + timedelta(days=88)),
            by=case.supervisor, at=on(held)))
        check = held + timedelta(days=gap - 1)
        if rng.random() < 0.2:
            concern += 1
            _concern(case, rng, f"k{concern}", held + timedelta(days=2), min(check, cutoff))
        if check <= cutoff and case.is_drifting(check) and rng.random() < 0.5:
            case.flag_drift(FlagDrift(record_id=case.id, on=check, by=case.supervisor,
                                      at=on(check, 16)))
        held += timedelta(days=gap)
    _save(app, case)


def _concern(case: Case, rng: random.Random, concern_id: str, raised: date,
             until: date) -> None:
    """A concern raised on `raised` and settled within ten days, if that is by `until`."""
    if until < raised + timedelta(days=10):
        return
    case.raise_concern(RaiseCaseConcern(record_id=case.id, concern_id=concern_id,
                                        summary="The plan is not being followed",
                                        by=case.practitioner, at=on(raised, 11)))
    stage_day = raised
    for _ in range(rng.choice((0, 0, 0, 1, 2))):
        stage_day += timedelta(days=2)
        case.escalate_concern(EscalateCaseConcern(record_id=case.id, concern_id=concern_id,
                                                  reason="No answer", by=case.practitioner,
                                                  at=on(stage_day, 11)))
    case.resolve_concern(ResolveCaseConcern(record_id=case.id, concern_id=concern_id,
                                            outcome="Plan reviewed", by=case.supervisor,
                                            at=on(stage_day + timedelta(days=3), 11)))


def _incident(app: Assured, rng: random.Random, reference: str, q: Quarter,
              cutoff: date) -> None:
    aware = q.start + timedelta(days=rng.randint(0, 70))
    review = Review.refer(Refer(reference=reference, referrer="Police",
                                category="serious_incident", summary="Serious injury to an infant",
                                nation="ENG", review_type="rapid_review", became_aware_on=aware,
                                by=CHAIR, at=on(aware, 17)))
    assert review.panel_notification_due and review.rapid_review_due
    notified = aware + timedelta(days=rng.choice((1, 2, 3, 4, 9)))
    late = notified > review.panel_notification_due
    review.notify_panel(NotifyPanel(record_id=review.id, by=CHAIR, at=on(notified),
                                    late_reason="Chair on leave" if late else None))
    done = aware + timedelta(days=rng.choice((12, 16, 18, 19, 26)))
    late = done > review.rapid_review_due
    if done <= cutoff:
        review.complete_rapid_review(CompleteRapidReview(
            record_id=review.id,
            findings="Information was shared late between health and police",
            learning=("Share chronologies within two days",
                      "Name a lead agency at the strategy meeting"),
            recommend_lcspr=rng.random() < 0.3,
            rationale="Learning applies across the partnership",
            late_reason="Police information arrived late" if late else None, by=CHAIR,
            at=on(done)))
        for k, owner in enumerate(("health", "police"), start=1):
            due = done + timedelta(days=rng.randint(40, 120))
            review.add_recommendation(AddRecommendation(
                record_id=review.id, recommendation_id=f"rec-{k}",
                text=f"Joint chronology protocol, part {k}", owner_agency=owner, due_on=due,
                by=CHAIR, at=on(done, 12)))
            completed = due - timedelta(days=rng.choice((20, 10, 3, -15)))
            if completed <= cutoff:
                review.complete_recommendation(CompleteRecommendation(
                    record_id=review.id, recommendation_id=f"rec-{k}", by=CHAIR,
                    at=on(completed)))
                if completed + timedelta(days=30) <= cutoff:
                    review.assess_recommendation_impact(AssessRecommendationImpact(
                        record_id=review.id, recommendation_id=f"rec-{k}",
                        impact="Chronologies now arrive within two days", by=CHAIR,
                        at=on(completed + timedelta(days=30))))
    closing = done + timedelta(days=150)
    if closing <= cutoff:
        review.close(CloseReview(record_id=review.id, carried_over={
            r["recommendation_id"]: "Carried into the partnership's business plan"
            for r in review.open_recommendations}, by=CHAIR, at=on(closing)))
    _save(app, review)


def _audit(app: Assured, rng: random.Random, reference: str, q: Quarter, cutoff: date) -> None:
    planned = q.start + timedelta(days=5)
    due = planned + timedelta(days=40)
    audit = AuditRecord.plan(PlanAudit(
        reference=reference, theme="Supervision of children in need", dimension="multi_agency",
        audit_type="multi_agency_practice", year=planned.year, agencies=AGENCIES, sample_size=4,
        returns_due=due, by=AUDITOR, at=on(planned)))
    audit.select_cases_at_random(SelectCasesAtRandom(
        record_id=audit.id, population=tuple(f"CH-{4100 + k}" for k in range(12)),
        seed=q.number, by=AUDITOR, at=on(planned + timedelta(days=1))))
    audit.request_returns(RequestReturns(record_id=audit.id, by=AUDITOR,
                                         at=on(planned + timedelta(days=2))))
    for agency in AGENCIES:
        sent = due + timedelta(days=rng.choice((-15, -7, -2, 0, 6)))
        if sent <= cutoff and rng.random() < 0.92:
            audit.submit_return(SubmitReturn(
                record_id=audit.id, agency=agency, supervision_grade="good",
                oversight_grade=rng.choice(("good", "requires_improvement")),
                evidence="Supervision notes sampled", by=f"{agency}-lead", at=on(sent)))
    escalated = due + timedelta(days=10)
    if escalated <= cutoff:
        for agency in audit.unsettled_returns:
            audit.escalate_non_compliance(EscalateNonCompliance(
                record_id=audit.id, agency=agency, by=AUDITOR, at=on(escalated, 15)))
        findings = due + timedelta(days=20)
        if findings <= cutoff:
            audit.moderate(Moderate(record_id=audit.id, notes="Grades agreed at moderation",
                                    by=AUDITOR, at=on(findings)))
            audit.record_findings(RecordFindings(
                record_id=audit.id, strengths=("Supervision is regular and reflective",),
                areas_for_development=("Management oversight is not written down",),
                by=AUDITOR, at=on(findings, 11)))
            audit.report(ReportAudit(record_id=audit.id,
                                     group="Safeguarding Effectiveness Sub-Group", by=AUDITOR,
                                     at=on(findings, 12)))
            audit.agree_actions(AgreeActions(record_id=audit.id, actions=({
                "action": "Record management oversight in every case file",
                "owner": "social care", "due_on": findings + timedelta(60)},), by=AUDITOR,
                at=on(findings, 13)))
            if findings + timedelta(days=20) <= cutoff:
                audit.close(CloseAudit(record_id=audit.id, by=AUDITOR,
                                       at=on(findings + timedelta(days=20))))
    _save(app, audit)
