"""The quarterly scorecard (seed 004, 'Scorecard'; seed 001, traffic-lighted performance data).

"A multi-agency scorecard of key performance measures, charts and short narrative for each
measure on a quarterly basis." The measures, their definitions and their thresholds are in
measures.py; this read model keeps the dated facts they count (scorecard.sql), with when each
fact a deadline measure counts was entered (an on-time fact entered after its deadline passed
counts as on time, and as entered late), and each lead's narrative
(domain.scorecard.ScorecardNarrative). `scorecard(conn, quarter, cipher)` computes
every measure for the quarter and the three before it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import singledispatchmethod
from typing import Any

from eventsourcing.persistence import Cipher
from psycopg import Connection

from domain.audit import AuditRecord
from domain.case import Case
from domain.evaluation import SupervisionEvaluation
from domain.evaluation_values import STATEMENTS
from domain.forward_plan import ForwardPlan
from domain.panel import Mentor, MentoringProgramme
from domain.policy import DEFAULT_POLICY, Policy
from domain.review import Review
from domain.safeguarder import Safeguarder
from domain.scorecard import ScorecardNarrative
from projections.base import Projection
from projections.measures import MEASURES, Figure, Measure, Window
from projections.page import Page
from projections.quarters import Quarter
from projections.sealing import sealed, unseal

SafeguarderEvents: Any = Safeguarder
CaseEvents: Any = Case
ReviewEvents: Any = Review
AuditEvents: Any = AuditRecord
NarrativeEvents: Any = ScorecardNarrative
EvaluationEvents: Any = SupervisionEvaluation
PlanEvents: Any = ForwardPlan
MentorEvents: Any = Mentor
ProgrammeEvents: Any = MentoringProgramme

TREND_QUARTERS = 4


def _day(event: Any) -> Any:
    return event.occurred_on.date()


def _sg(event: Any) -> dict[str, Any]:
    return {"safeguarder_id": event.originator_id}


def _case(event: Any, **key: Any) -> dict[str, Any]:
    return {"case_id": event.originator_id, **key}


class Scorecard(Projection):
    name = "scorecard"
    version = 3

    @singledispatchmethod
    def process(self, event: object, page: Page) -> None:
        """Handle one event that a measure counts."""

    # --- Safeguarders ----------------------------------------------------------------------------

    @process.register(SafeguarderEvents.Applied)
    def _applied(self, event: Any, page: Page) -> None:
        page.insert("scorecard_safeguarder", safeguarder_id=event.originator_id)

    @process.register(SafeguarderEvents.Appointed)
    def _appointed(self, event: Any, page: Page) -> None:
        page.update("scorecard_safeguarder", _sg(event), first_appointed_on=event.term_starts_on)
        self._term(event, page)

    @staticmethod
    def _term(event: Any, page: Page) -> None:
        page.insert("scorecard_term", safeguarder_id=event.originator_id,
                    starts_on=event.term_starts_on, ends_on=event.term_ends_on,
                    review_opens_on=event.review_opens_on)

    @process.register(SafeguarderEvents.MinistersDecided)
    def _decided(self, event: Any, page: Page) -> None:
        if event.reappoint:
            self._term(event, page)
        else:
            page.update("scorecard_safeguarder", _sg(event), left_on=_day(event))

    @process.register(SafeguarderEvents.Resigned)
    @process.register(SafeguarderEvents.Removed)
    def _left(self, event: Any, page: Page) -> None:
        page.update("scorecard_safeguarder", _sg(event), left_on=_day(event))

    @process.register(SafeguarderEvents.SupportSessionHeld)
    @process.register(SafeguarderEvents.ReportSampled)
    def _support(self, event: Any, page: Page) -> None:
        kind = "session" if type(event).__name__ == "SupportSessionHeld" else "report"
        page.insert("scorecard_support", safeguarder_id=event.originator_id,
                    version=event.originator_version, kind=kind, year=event.year,
                    held_on=_day(event), recorded_at=event.timestamp)

    @process.register(SafeguarderEvents.ReappointmentRecommended)
    def _recommended(self, event: Any, page: Page) -> None:
        page.insert("scorecard_recommendation", safeguarder_id=event.originator_id,
                    version=event.originator_version, recommended_on=_day(event))

    @process.register(SafeguarderEvents.FeedbackReceived)
    def _feedback(self, event: Any, page: Page) -> None:
        page.insert("scorecard_feedback", safeguarder_id=event.originator_id,
                    version=event.originator_version, source=event.source, tone=event.tone,
                    received_on=_day(event))

    @process.register(SafeguarderEvents.MentorAssigned)
    def _mentor_assigned(self, event: Any, page: Page) -> None:
        page.update("scorecard_safeguarder", _sg(event), mentor_assigned_on=_day(event))

    @process.register(SafeguarderEvents.MentoringSessionHeld)
    def _mentoring(self, event: Any, page: Page) -> None:
        page.insert("scorecard_mentoring", safeguarder_id=event.originator_id,
                    version=event.originator_version, year=event.year, held_on=_day(event))

    # --- the peer mentoring programme ------------------------------------------------------------

    @process.register(ProgrammeEvents.Launched)
    def _launched(self, event: Any, page: Page) -> None:
        page.insert("scorecard_programme", programme_id=event.originator_id,
                    starts_on=event.starts_on)

    @process.register(MentorEvents.Recruited)
    def _recruited(self, event: Any, page: Page) -> None:
        page.insert("scorecard_mentor", mentor_id=event.originator_id)

    @process.register(MentorEvents.Accredited)
    def _accredited(self, event: Any, page: Page) -> None:
        page.update("scorecard_mentor", {"mentor_id": event.originator_id},
                    accredited_on=_day(event))

    @process.register(MentorEvents.Withdrawn)
    def _withdrawn(self, event: Any, page: Page) -> None:
        page.update("scorecard_mentor", {"mentor_id": event.originator_id},
                    withdrawn_on=_day(event))

    # --- supervision evaluations and the forward plan -------------------------------------------

    @process.register(EvaluationEvents.Submitted)
    def _evaluated(self, event: Any, page: Page) -> None:
        page.insert("scorecard_evaluation", evaluation_id=event.originator_id,
                    agency=event.agency, answered_on=_day(event),
                    answers=",".join(event.answers[name] for name, _ in STATEMENTS))

    @process.register(PlanEvents.ItemAdded)
    def _plan_item(self, event: Any, page: Page) -> None:
        page.insert("scorecard_plan_due", plan_id=event.originator_id, activity=event.activity,
                    cycle=0, set_on=_day(event), due_on=event.next_due_on)

    @process.register(PlanEvents.ActivityDone)
    def _plan_done(self, event: Any, page: Page) -> None:
        key = {"plan_id": event.originator_id, "activity": event.activity}
        page.update("scorecard_plan_due", {**key, "cycle": event.cycle}, done_on=_day(event))
        page.insert("scorecard_plan_due", **key, cycle=event.cycle + 1, set_on=_day(event),
                    due_on=event.next_due_on)

    # --- reviews ---------------------------------------------------------------------------------

    @process.register(ReviewEvents.Referred)
    def _referred(self, event: Any, page: Page) -> None:
        page.insert("scorecard_review", review_id=event.originator_id,
                    review_type=str(event.review_type), referred_on=_day(event))
        for step, due in (("panel_notification", event.panel_notification_due),
                          ("rapid_review", event.rapid_review_due)):
            if due is not None:
                page.insert("scorecard_statutory", review_id=event.originator_id, step=step,
                            due_on=due)

    @process.register(ReviewEvents.PanelNotified)
    @process.register(ReviewEvents.RapidReviewCompleted)
    def _statutory_done(self, event: Any, page: Page) -> None:
        step = "panel_notification" if type(event).__name__ == "PanelNotified" else "rapid_review"
        page.update("scorecard_statutory", {"review_id": event.originator_id, "step": step},
                    done_on=_day(event), recorded_at=event.timestamp)

    @process.register(ReviewEvents.BreachRecorded)
    def _breach(self, event: Any, page: Page) -> None:
        page.update("scorecard_statutory", {"review_id": event.originator_id,
                                            "step": str(event.step)},
                    breach_recorded_on=_day(event))

    @process.register(ReviewEvents.BreachWithdrawn)
    def _breach_withdrawn(self, event: Any, page: Page) -> None:
        page.update("scorecard_statutory", {"review_id": event.originator_id,
                                            "step": str(event.step)},
                    breach_withdrawn_on=_day(event))

    @process.register(ReviewEvents.RecommendationAdded)
    def _recommendation(self, event: Any, page: Page) -> None:
        page.insert("scorecard_review_recommendation", review_id=event.originator_id,
                    recommendation_id=event.recommendation_id, due_on=event.due_on)

    @process.register(ReviewEvents.RecommendationCompleted)
    def _recommendation_done(self, event: Any, page: Page) -> None:
        page.update("scorecard_review_recommendation", {
            "review_id": event.originator_id, "recommendation_id": event.recommendation_id},
            completed_on=_day(event))

    @process.register(ReviewEvents.Closed)
    def _review_closed(self, event: Any, page: Page) -> None:
        page.update("scorecard_review", {"review_id": event.originator_id}, closed_on=_day(event))

    # --- audits ----------------------------------------------------------------------------------

    @process.register(AuditEvents.Planned)
    def _planned(self, event: Any, page: Page) -> None:
        page.insert("scorecard_audit", audit_id=event.originator_id,
                    returns_due=event.returns_due, planned_on=_day(event))

    @process.register(AuditEvents.ReturnsRequested)
    def _returns_requested(self, event: Any, page: Page) -> None:
        for agency in event.agencies:
            page.insert("scorecard_return", audit_id=event.originator_id, agency=agency)

    @process.register(AuditEvents.ReturnSubmitted)
    def _submitted(self, event: Any, page: Page) -> None:
        page.update("scorecard_return", {"audit_id": event.originator_id,
                                         "agency": event.agency}, submitted_on=_day(event))

    @process.register(AuditEvents.Closed)
    def _audit_closed(self, event: Any, page: Page) -> None:
        page.update("scorecard_audit", {"audit_id": event.originator_id}, closed_on=_day(event))

    # --- cases -----------------------------------------------------------------------------------

    @process.register(CaseEvents.Opened)
    def _opened(self, event: Any, page: Page) -> None:
        page.insert("scorecard_case", case_id=event.originator_id, nation=event.nation,
                    opened_on=_day(event))
        self._status(event, page, event.legal_status)

    @process.register(CaseEvents.LegalStatusChanged)
    def _status_changed(self, event: Any, page: Page) -> None:
        self._status(event, page, event.new_status)

    @staticmethod
    def _status(event: Any, page: Page, status: str) -> None:
        page.insert("scorecard_case_status", case_id=event.originator_id,
                    version=event.originator_version, legal_status=status, from_on=_day(event))

    @process.register(CaseEvents.DiscussionRecorded)
    def _discussion(self, event: Any, page: Page) -> None:
        page.insert("scorecard_discussion", case_id=event.originator_id,
                    version=event.originator_version, held_on=_day(event), rag=event.rag)

    @process.register(CaseEvents.DriftFlagged)
    def _drift(self, event: Any, page: Page) -> None:
        page.insert("scorecard_drift", case_id=event.originator_id,
                    version=event.originator_version, flagged_on=_day(event))

    @process.register(CaseEvents.ConcernRaised)
    def _concern(self, event: Any, page: Page) -> None:
        page.insert("scorecard_concern", case_id=event.originator_id,
                    concern_id=event.concern_id, raised_on=_day(event))

    @process.register(CaseEvents.ConcernEscalated)
    def _escalated(self, event: Any, page: Page) -> None:
        page.update("scorecard_concern", _case(event, concern_id=event.concern_id),
                    stage=event.to_stage)

    @process.register(CaseEvents.ConcernResolved)
    def _resolved(self, event: Any, page: Page) -> None:
        page.update("scorecard_concern", _case(event, concern_id=event.concern_id),
                    resolved_on=_day(event))

    @process.register(CaseEvents.Closed)
    def _case_closed(self, event: Any, page: Page) -> None:
        page.update("scorecard_case", _case(event), closed_on=_day(event))

    # --- the leads' narratives ------------------------------------------------------------------

    @process.register(NarrativeEvents.Written)
    def _written(self, event: Any, page: Page) -> None:
        page.insert("scorecard_narrative", narrative_id=event.originator_id,
                    quarter=event.quarter, measure=event.measure,
                    text=sealed(page, event, "text"), lead=event.actor,
                    written_on=event.occurred_on)

    @process.register(NarrativeEvents.Revised)
    def _revised(self, event: Any, page: Page) -> None:
        page.update("scorecard_narrative", {"narrative_id": event.originator_id},
                    text=sealed(page, event, "text"), lead=event.actor,
                    written_on=event.occurred_on)


# --- the query ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Point:
    quarter: Quarter
    figure: Figure
    light: str


@dataclass(frozen=True)
class ScoredMeasure:
    measure: Measure
    figure: Figure
    light: str
    trend: list[Point]
    """The last four quarters, oldest first, ending with the scorecard's quarter."""
    narrative: str | None
    narrative_by: str | None


@dataclass(frozen=True)
class QuarterlyScorecard:
    quarter: Quarter
    measures: list[ScoredMeasure] = field(default_factory=list)

    def by_key(self) -> dict[str, ScoredMeasure]:
        return {m.measure.key: m for m in self.measures}


def scorecard(conn: Connection[Any], quarter: Quarter, cipher: Cipher,
              policy: Policy = DEFAULT_POLICY, as_of: date | None = None) -> QuarterlyScorecard:
    """Every measure of `quarter`, its traffic light, its trend over the last four quarters and
    its lead's narrative for the quarter (opened with the store's cipher).

    With `as_of` inside the quarter, the quarter's figures are taken up to that day only (an
    item due later in the quarter is not yet counted).
    """
    narratives = {row[0]: (unseal(cipher, row[1]), row[2]) for row in conn.execute(
        "SELECT measure, text, lead FROM scorecard_narrative WHERE quarter = %s",
        (str(quarter),))}
    scored = []
    for measure in MEASURES:
        trend = []
        for q in quarter.last(TREND_QUARTERS):
            end = q.end if as_of is None else min(q.end, as_of)
            figure = measure.compute(conn, Window(q.start, end), policy)
            trend.append(Point(q, figure, measure.threshold.light(figure.value)))
        text, lead = narratives.get(measure.key, (None, None))
        scored.append(ScoredMeasure(measure, trend[-1].figure, trend[-1].light, trend, text,
                                    lead))
    return QuarterlyScorecard(quarter, scored)
