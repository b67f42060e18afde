"""Activities of the rapid review of a serious incident (workflows/rapid_review.py).

Each runs one command of `domain.review.Review` and records the workflow's step in the same
save (`WithApplication.step`), so a retry records nothing twice. Deadlines are read from the
record (the Referred and LcsprDecided events store them); the warning and reminder dates are
computed here, from `self.app.policy` and the working days of the review's nation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from temporalio import activity

from domain.calendar import Nation, is_working_day
from domain.review import Review
from domain.review_values import Step
from workflows.activities import WithApplication

PROCESS = "rapid-review"
BY_PROCESS = f"process:{PROCESS}"


def working_days_before(due: date, days: int, nation: Nation | str) -> date:
    """The working day `days` working days before `due` (the inverse of `add_working_days`)."""
    day, remaining = due, days
    while remaining:
        day -= timedelta(days=1)
        if is_working_day(day, nation):
            remaining -= 1
    return day


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
class PanelNotification(Command):
    late_reason: str | None = None


@dataclass
class Breach(Command):
    step: str = ""
    reason: str = ""


@dataclass
class InformationRequest(Command):
    request_id: str = ""
    agency: str = ""
    due_on: date | None = None


@dataclass
class InformationReceipt(Command):
    request_id: str = ""


@dataclass
class RapidReviewCompletion(Command):
    findings: str = ""
    learning: list[str] = field(default_factory=list)
    recommend_lcspr: bool = False
    rationale: str = ""
    outstanding_reason: str | None = None
    late_reason: str | None = None


@dataclass
class PanelResponse(Command):
    response: str = ""


@dataclass
class LcsprDecision(Command):
    commission: bool = False
    rationale: str = ""
    reviewer: str | None = None
    scope: str | None = None


@dataclass
class LcsprTerms:
    """A commissioned LCSPR's due date (stored on LcsprDecided) and its reminder date."""

    due_on: date
    reminder_on: date


@dataclass
class Recommendation(Command):
    recommendation_id: str = ""
    text: str = ""
    owner_agency: str = ""
    due_on: date | None = None


@dataclass
class RecommendationCompletion(Command):
    recommendation_id: str = ""


@dataclass
class Closure(Command):
    carried_over: dict[str, str] = field(default_factory=dict)


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
        warning = self.app.policy.at_risk_warning.amount
        return ReviewClocks(
            review.opened_on, str(review.nation), review.became_aware_on,
            review.panel_notification_due, review.rapid_review_due,
            working_days_before(review.panel_notification_due, warning, review.nation),
            working_days_before(review.rapid_review_due, warning, review.nation),
        )

    @activity.defn(name="rapid_review.notify_panel")
    def notify_panel(self, n: PanelNotification) -> None:
        self._run(n, "panel notified", {"late": n.late_reason is not None},
                  lambda r: r.notify_panel(by=n.by, at=n.at, late_reason=n.late_reason))

    @activity.defn(name="rapid_review.record_breach")
    def record_breach(self, b: Breach) -> None:
        """A statutory deadline passed with its step not done: a BreachRecorded event."""
        self._run(b, "deadline breached", {"step": b.step},
                  lambda r: r.record_breach(Step(b.step), b.reason, by=b.by, at=b.at))

    @activity.defn(name="rapid_review.request_agency_information")
    def request_information(self, q: InformationRequest) -> None:
        assert q.due_on is not None
        due_on = q.due_on
        details = {"request_id": q.request_id, "agency": q.agency, "due_on": due_on.isoformat()}
        self._run(q, "information requested", details,
                  lambda r: r.request_agency_information(q.request_id, q.agency, due_on,
                                                         by=q.by, at=q.at))

    @activity.defn(name="rapid_review.receive_agency_information")
    def receive_information(self, q: InformationReceipt) -> None:
        self._run(q, "information received", {"request_id": q.request_id},
                  lambda r: r.receive_agency_information(q.request_id, by=q.by, at=q.at))

    @activity.defn(name="rapid_review.complete_rapid_review")
    def complete_rapid_review(self, c: RapidReviewCompletion) -> None:
        details = {"late": c.late_reason is not None, "recommend_lcspr": c.recommend_lcspr}
        self._run(c, "rapid review completed", details,
                  lambda r: r.complete_rapid_review(
                      c.findings, c.learning, c.recommend_lcspr, c.rationale,
                      c.outstanding_reason, c.late_reason, by=c.by, at=c.at))

    @activity.defn(name="rapid_review.record_panel_response")
    def record_panel_response(self, p: PanelResponse) -> None:
        self._run(p, "panel response recorded", {},
                  lambda r: r.record_panel_response(p.response, by=p.by, at=p.at))

    @activity.defn(name="rapid_review.decide_lcspr")
    def decide_lcspr(self, d: LcsprDecision) -> LcsprTerms | None:
        """Record the decision; a commissioned LCSPR's due date defaults from the policy."""
        policy = self.app.policy
        self._run(d, "LCSPR decided", {"commission": d.commission},
                  lambda r: r.decide_lcspr(d.commission, d.rationale, d.reviewer, d.scope,
                                           policy=policy, by=d.by, at=d.at))
        # Read back from the record, so a retry returns the date the first attempt stored.
        review = self.app.load(UUID(d.record_id), Review)
        decision = review.lcspr_decision or {}
        due_on = decision.get("due_on")
        if not decision.get("commission") or due_on is None:
            return None
        reminder = working_days_before(due_on, policy.reminder_lead.amount, review.nation)
        return LcsprTerms(due_on, reminder)

    @activity.defn(name="rapid_review.add_recommendation")
    def add_recommendation(self, a: Recommendation) -> None:
        assert a.due_on is not None
        due_on = a.due_on
        details = {"recommendation_id": a.recommendation_id, "owner_agency": a.owner_agency,
                   "due_on": due_on.isoformat()}
        self._run(a, "recommendation added", details,
                  lambda r: r.add_recommendation(a.recommendation_id, a.text, a.owner_agency,
                                                 due_on, by=a.by, at=a.at))

    @activity.defn(name="rapid_review.complete_recommendation")
    def complete_recommendation(self, c: RecommendationCompletion) -> None:
        self._run(c, "recommendation completed", {"recommendation_id": c.recommendation_id},
                  lambda r: r.complete_recommendation(c.recommendation_id, by=c.by, at=c.at))

    @activity.defn(name="rapid_review.close")
    def close(self, c: Closure) -> None:
        self._run(c, "review closed", {"carried_over": sorted(c.carried_over)},
                  lambda r: r.close(c.carried_over, by=c.by, at=c.at))
