"""Activities of the rapid review of a serious incident (workflows/rapid_review.py).

Each runs one command of `domain.review.Review` and records the workflow's step in the same
save (`WithApplication.step`), so a retry records nothing twice. Deadlines are read from the
record (the Referred and LcsprDecided events store them); the warning and reminder dates are
computed here, from `self.app.policy` and the working days of the review's nation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from temporalio import activity

from domain.review import Review
from domain.review_values import Step
from workflows.activities import WithApplication
from workflows.rapid_review_types import (
    AddRecommendation,
    CloseReview,
    CompleteRapidReview,
    CompleteRecommendation,
    DecideLcspr,
    NotifyPanel,
    ReceiveInformation,
    RecordPanelResponse,
    RequestInformation,
)

PROCESS = "rapid-review"
BY_PROCESS = f"process:{PROCESS}"


@dataclass
class ClockReading:
    record_id: str


@dataclass
class ReviewClocks:
    """The serious incident's statutory deadlines, as the Referred event stored them."""

    opened_at: datetime
    nation: str
    became_aware_on: date
    panel_notification_due: date
    rapid_review_due: date
    panel_notification_warning_on: date
    rapid_review_warning_on: date


@dataclass
class Command:
    """What every step that runs a review command carries."""

    record_id: str
    step_id: str
    by: str
    at: datetime


@dataclass
class Breach(Command):
    step: str
    reason: str


@dataclass
class PanelNotification(Command):
    notice: NotifyPanel


@dataclass
class InformationRequest(Command):
    request: RequestInformation


@dataclass
class InformationReceipt(Command):
    receipt: ReceiveInformation


@dataclass
class RapidReviewCompletion(Command):
    completion: CompleteRapidReview


@dataclass
class PanelResponse(Command):
    response: RecordPanelResponse


@dataclass
class LcsprDecision(Command):
    decision: DecideLcspr


@dataclass
class LcsprTerms:
    """A commissioned LCSPR's due date (stored on LcsprDecided) and its reminder date."""

    due_on: date
    reminder_on: date


@dataclass
class Recommendation(Command):
    recommendation: AddRecommendation


@dataclass
class RecommendationCompletion(Command):
    completion: CompleteRecommendation


@dataclass
class Closure(Command):
    closure: CloseReview


class RapidReviewActivities(WithApplication):
    def _run(self, command: Command, step: str, details: dict[str, Any],
             action: Any) -> bool:
        return self.step(command.record_id, command.step_id, PROCESS, step, details, action,
                         at=command.at)

    @activity.defn(name="rapid_review.read_clocks")
    def read_clocks(self, reading: ClockReading) -> ReviewClocks:
        """The deadlines stored at referral, and the at-risk warning dates before them."""
        review = self.app.load(UUID(reading.record_id), Review)
        assert review.panel_notification_due and review.rapid_review_due \
            and review.became_aware_on, "a rapid review is always of a serious incident"
        warning = self.app.policy.at_risk_warning
        return ReviewClocks(
            review.opened_on, str(review.nation), review.became_aware_on,
            review.panel_notification_due, review.rapid_review_due,
            warning.before(review.panel_notification_due, review.nation),
            warning.before(review.rapid_review_due, review.nation),
        )

    @activity.defn(name="rapid_review.notify_panel")
    def notify_panel(self, n: PanelNotification) -> None:
        late = n.notice.late_reason
        self._run(n, "panel notified", {"late": late is not None},
                  lambda r: r.notify_panel(by=n.by, at=n.at, late_reason=late))

    @activity.defn(name="rapid_review.record_breach")
    def record_breach(self, b: Breach) -> None:
        """A statutory deadline passed with its step not done: a BreachRecorded event."""
        self._run(b, "deadline breached", {"step": b.step},
                  lambda r: r.record_breach(Step(b.step), b.reason, by=b.by, at=b.at))

    @activity.defn(name="rapid_review.request_agency_information")
    def request_information(self, i: InformationRequest) -> None:
        q = i.request
        details = {"request_id": q.request_id, "agency": q.agency,
                   "due_on": q.due_on.isoformat()}
        self._run(i, "information requested", details,
                  lambda r: r.request_agency_information(q.request_id, q.agency, q.due_on,
                                                         by=i.by, at=i.at))

    @activity.defn(name="rapid_review.receive_agency_information")
    def receive_information(self, i: InformationReceipt) -> None:
        request_id = i.receipt.request_id
        self._run(i, "information received", {"request_id": request_id},
                  lambda r: r.receive_agency_information(request_id, by=i.by, at=i.at))

    @activity.defn(name="rapid_review.complete_rapid_review")
    def complete_rapid_review(self, c: RapidReviewCompletion) -> None:
        d = c.completion
        details = {"late": d.late_reason is not None, "recommend_lcspr": d.recommend_lcspr}
        self._run(c, "rapid review completed", details,
                  lambda r: r.complete_rapid_review(
                      d.findings, list(d.learning), d.recommend_lcspr, d.rationale,
                      d.outstanding_reason, d.late_reason, by=c.by, at=c.at))

    @activity.defn(name="rapid_review.record_panel_response")
    def record_panel_response(self, p: PanelResponse) -> None:
        self._run(p, "panel response recorded", {},
                  lambda r: r.record_panel_response(p.response.response, by=p.by, at=p.at))

    @activity.defn(name="rapid_review.decide_lcspr")
    def decide_lcspr(self, d: LcsprDecision) -> LcsprTerms | None:
        """Record the decision; a commissioned LCSPR's due date defaults from the policy."""
        policy, c = self.app.policy, d.decision
        self._run(d, "LCSPR decided", {"commission": c.commission},
                  lambda r: r.decide_lcspr(c.commission, c.rationale, c.reviewer, c.scope,
                                           policy=policy, by=d.by, at=d.at))
        # Read back from the record, so a retry returns the date the first attempt stored.
        review = self.app.load(UUID(d.record_id), Review)
        decision = review.lcspr_decision or {}
        due_on = decision.get("due_on")
        if not decision.get("commission") or due_on is None:
            return None
        return LcsprTerms(due_on, policy.reminder_lead.before(due_on, review.nation))

    @activity.defn(name="rapid_review.add_recommendation")
    def add_recommendation(self, a: Recommendation) -> None:
        c = a.recommendation
        details = {"recommendation_id": c.recommendation_id, "owner_agency": c.owner_agency,
                   "due_on": c.due_on.isoformat()}
        self._run(a, "recommendation added", details,
                  lambda r: r.add_recommendation(c.recommendation_id, c.text, c.owner_agency,
                                                 c.due_on, by=a.by, at=a.at))

    @activity.defn(name="rapid_review.complete_recommendation")
    def complete_recommendation(self, c: RecommendationCompletion) -> None:
        recommendation_id = c.completion.recommendation_id
        self._run(c, "recommendation completed", {"recommendation_id": recommendation_id},
                  lambda r: r.complete_recommendation(recommendation_id, by=c.by, at=c.at))

    @activity.defn(name="rapid_review.close")
    def close(self, c: Closure) -> None:
        carried = dict(c.closure.carried_over)
        self._run(c, "review closed", {"carried_over": sorted(carried)},
                  lambda r: r.close(carried, by=c.by, at=c.at))
