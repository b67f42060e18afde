"""The practice Review: a referral to the Practice Review sub-group, and what follows.

Working Together 2018, chapter 4, and the partnership's effectiveness framework (seed 004):
anyone may refer a case; a serious incident is notified to the national Panel within five
working days and gets a rapid review within fifteen, both counted from the day the partnership
became aware; the rapid review may lead to a local child safeguarding practice review (LCSPR);
recommendations are followed up until done, or carried over explicitly when the review closes.
The value types and the pure input rules live in `domain.review_values`.

Events: Referred, PanelNotified, BreachRecorded, AgencyInformationRequested,
AgencyInformationReceived, RapidReviewCompleted, PanelResponseRecorded, LcsprDecided,
RecommendationAdded, RecommendationUpdated, RecommendationImpactAssessed,
RecommendationCompleted, BreachWithdrawn, Closed. Each public method carries out one command of
`domain.review_commands`.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from domain import review_values as rules
from domain.calendar import Nation
from domain.errors import require
from domain.policy import DEFAULT_POLICY, Policy
from domain.record import Record, natural_id
from domain.review_commands import (
    AddRecommendation,
    AssessRecommendationImpact,
    CloseReview,
    CompleteRapidReview,
    CompleteRecommendation,
    DecideLcspr,
    NotifyPanel,
    ReceiveAgencyInformation,
    RecordBreach,
    RecordPanelResponse,
    Refer,
    RequestAgencyInformation,
    UpdateRecommendation,
    WithdrawBreach,
)
from domain.review_values import BreachVia, ReferralCategory, ReviewStatus, ReviewType, Step


class Review(Record):
    """A practice review, from referral to closure."""

    @staticmethod
    def create_id(reference: str) -> UUID:
        """The id comes from the review's business reference, so it is recorded only once."""
        return natural_id("review", reference)

    @classmethod
    def refer(cls, c: Refer, policy: Policy = DEFAULT_POLICY) -> Review:
        """Record a referral; for a serious incident, start the Panel and rapid review clocks."""
        serious = rules.check_referral(
            reference=c.reference, referrer=c.referrer, summary=c.summary, category=c.category,
            review_type=c.review_type, nation=c.nation, became_aware_on=c.became_aware_on,
            on=c.at.date(),
        )
        notify_due = rapid_due = None
        if serious and c.became_aware_on is not None:
            notify_due = policy.panel_notification.after(c.became_aware_on, c.nation)
            rapid_due = policy.rapid_review.after(c.became_aware_on, c.nation)
        return cls(
            reference=c.reference, referrer=c.referrer, category=c.category, summary=c.summary,
            nation=c.nation, review_type=c.review_type, became_aware_on=c.became_aware_on,
            panel_notification_due=notify_due, rapid_review_due=rapid_due,
            actor=c.by, occurred_on=c.at,
        )

    @event("Referred")
    def __init__(
        self, *, reference: str, referrer: str, category: ReferralCategory, summary: str,
        nation: Nation, review_type: ReviewType, became_aware_on: date | None,
        panel_notification_due: date | None, rapid_review_due: date | None,
        actor: str, occurred_on: datetime,
    ) -> None:
        self.opened_on = occurred_on
        self.reference = reference
        self.referrer = referrer
        self.category = ReferralCategory(category)
        self.summary = summary
        self.nation = Nation(nation)
        self.review_type = ReviewType(review_type)
        self.became_aware_on = became_aware_on
        self.panel_notification_due = panel_notification_due
        self.rapid_review_due = rapid_review_due
        self.panel_notification: dict[str, Any] | None = None
        self.rapid_review: dict[str, Any] | None = None
        self.panel_response: dict[str, Any] | None = None
        self.lcspr_decision: dict[str, Any] | None = None
        self.requests: dict[str, dict[str, Any]] = {}
        self.recommendations: dict[str, dict[str, Any]] = {}
        self.breached_steps: dict[str, dict[str, Any]] = {}  # keyed by Step value
        self.carried_over: dict[str, str] = {}
        self.closed_on: datetime | None = None

    def _check_open(self, at: datetime) -> None:
        self.check_after_opening(at)
        rules.check_review_open(self.closed_on is not None)

    def _due(self, step: str) -> date | None:
        if step == Step.PANEL_NOTIFICATION:
            return self.panel_notification_due
        return self.rapid_review_due

    def _step_done(self, step: str) -> bool:
        done = self.panel_notification if step == Step.PANEL_NOTIFICATION else self.rapid_review
        return done is not None

    def _add_breach(self, step: str, reason: str, via: BreachVia, on: datetime) -> None:
        """Keep one breach per step; a step done late after a recorded miss only marks it done."""
        if step in self.breached_steps:
            self.breached_steps[step]["done_on"] = on.date()
            return
        done = via == BreachVia.LATE_STEP
        entry = rules.breach_entry(step, self._due(step), reason, via, on.date(), done)
        self.breached_steps[str(step)] = entry

    # -- the serious incident's clocks -----------------------------------------------------------

    def notify_panel(self, c: NotifyPanel) -> None:
        """Record that the national Panel was notified; late, it needs a reason (a breach)."""
        self._check_open(c.at)
        due = self.panel_notification_due
        require(due is not None, "Only a serious incident is notified to the national Panel")
        require(self.panel_notification is None, "The Panel is notified of an incident only once")
        assert due is not None  # for the type checker
        rules.check_lateness(due, c.at.date(), c.late_reason, "A Panel notification made")
        self._panel_notified(late_reason=c.late_reason, actor=c.by, occurred_on=c.at)

    @event("PanelNotified")
    def _panel_notified(
        self, *, late_reason: str | None, actor: str, occurred_on: datetime
    ) -> None:
        self.panel_notification = {"by": actor, "on": occurred_on, "late_reason": late_reason}
        if late_reason is not None:
            self._add_breach(Step.PANEL_NOTIFICATION, late_reason, BreachVia.LATE_STEP, occurred_on)

    def record_breach(self, c: RecordBreach) -> None:
        """Record that a deadline passed with its step not done (when a workflow timer fires)."""
        self._check_open(c.at)
        rules.check_missed_deadline(
            due=self._due(c.step), reason=c.reason, done=self._step_done(c.step),
            recorded=c.step in self.breached_steps, on=c.at.date(),
        )
        self._breach_recorded(step=c.step, reason=c.reason, actor=c.by, occurred_on=c.at)

    @event("BreachRecorded")
    def _breach_recorded(
        self, *, step: Step, reason: str, actor: str, occurred_on: datetime
    ) -> None:
        self._add_breach(step, reason, BreachVia.MISSED_DEADLINE, occurred_on)

    def withdraw_breach(self, c: WithdrawBreach) -> None:
        """Withdraw a missed deadline once the step is recorded as done by its deadline, though
        entered after the breach was recorded. The breach and its withdrawal both stay."""
        self._check_open(c.at)
        breach = self.breached_steps.get(c.step)
        require(breach is not None and breach["recorded_via"] == BreachVia.MISSED_DEADLINE
                and not breach.get("withdrawn_on"),
                "Only a recorded missed deadline is withdrawn")
        assert breach is not None
        done_on = self._done_on(c.step)
        require(done_on is not None and done_on <= breach["due"],
                "A breach is withdrawn only when its step is recorded as done by its deadline")
        require(rules.given(c.entered_late), "A withdrawn breach names the late entry")
        require(c.at.date() >= breach["recorded_on"],
                "A breach cannot be withdrawn before it was recorded")
        self._breach_withdrawn(step=c.step, entered_late=c.entered_late, actor=c.by,
                               occurred_on=c.at)

    @event("BreachWithdrawn")
    def _breach_withdrawn(self, *, step: Step, entered_late: str, actor: str,
                          occurred_on: datetime) -> None:
        self.breached_steps[str(step)].update(withdrawn_on=occurred_on.date(),
                                              entered_late=entered_late)

    def _done_on(self, step: str) -> date | None:
        done = self.panel_notification if step == Step.PANEL_NOTIFICATION else self.rapid_review
        if done is None:
            return None
        moment: datetime = done["on"] if step == Step.PANEL_NOTIFICATION else done["completed_on"]
        return moment.date()

    # -- agency information --------------------------------------------------------------------

    def request_agency_information(self, c: RequestAgencyInformation) -> None:
        self._check_open(c.at)
        what = "An information request"
        rules.check_new_item(c.request_id, self.requests, c.due_on, c.at.date(), what,
                             agency=c.agency)
        self._information_requested(
            request_id=c.request_id, agency=c.agency, due_on=c.due_on, actor=c.by,
            occurred_on=c.at,
        )

    @event("AgencyInformationRequested")
    def _information_requested(
        self, *, request_id: str, agency: str, due_on: date, actor: str, occurred_on: datetime
    ) -> None:
        self.requests[request_id] = {
            "agency": agency, "due_on": due_on, "requested_on": occurred_on, "received_on": None,
        }

    def receive_agency_information(self, c: ReceiveAgencyInformation) -> None:
        self._check_open(c.at)
        require(
            c.request_id in self.requests,
            "Received information must refer to a recorded information request",
        )
        request = self.requests[c.request_id]
        require(request["received_on"] is None, "Requested information is received only once")
        requested_on = request["requested_on"]
        require(c.at >= requested_on, "Information cannot be received before it was requested")
        self._information_received(request_id=c.request_id, actor=c.by, occurred_on=c.at)

    @event("AgencyInformationReceived")
    def _information_received(self, *, request_id: str, actor: str, occurred_on: datetime) -> None:
        self.requests[request_id]["received_on"] = occurred_on

    # -- rapid review, the Panel's response, the LCSPR decision ----------------------------------

    def complete_rapid_review(self, c: CompleteRapidReview) -> None:
        """Record the rapid review's findings, learning and recommendation on an LCSPR."""
        self._check_open(c.at)
        rapid = self.review_type == ReviewType.RAPID_REVIEW
        require(rapid, "Only a rapid review can be completed as a rapid review")
        require(self.rapid_review is None, "A rapid review is completed only once")
        outstanding = [item["request_id"] for item in self.outstanding_requests]
        rules.check_completion(
            findings=c.findings, rationale=c.rationale, outstanding=outstanding,
            outstanding_reason=c.outstanding_reason,
        )
        due = self.rapid_review_due
        assert due is not None  # a rapid review is always of a serious incident
        rules.check_lateness(due, c.at.date(), c.late_reason, "A rapid review completed")
        self._rapid_review_completed(
            findings=c.findings, learning=list(c.learning), recommend_lcspr=c.recommend_lcspr,
            rationale=c.rationale, outstanding_request_ids=outstanding,
            outstanding_reason=c.outstanding_reason, late_reason=c.late_reason,
            actor=c.by, occurred_on=c.at,
        )

    @event("RapidReviewCompleted")
    def _rapid_review_completed(
        self, *, findings: str, learning: list[str], recommend_lcspr: bool, rationale: str,
        outstanding_request_ids: list[str], outstanding_reason: str | None,
        late_reason: str | None, actor: str, occurred_on: datetime,
    ) -> None:
        self.rapid_review = {
            "findings": findings, "learning": list(learning), "recommend_lcspr": recommend_lcspr,
            "rationale": rationale, "outstanding_request_ids": list(outstanding_request_ids),
            "outstanding_reason": outstanding_reason, "late_reason": late_reason,
            "by": actor, "completed_on": occurred_on,
        }
        if late_reason is not None:
            self._add_breach(Step.RAPID_REVIEW, late_reason, BreachVia.LATE_STEP, occurred_on)

    def _check_rapid_review_done(self, at: datetime, rule: str) -> None:
        require(self.rapid_review is not None, rule)
        completed_on = self.rapid_review["completed_on"]  # type: ignore[index]
        require(at >= completed_on, "A fact cannot be dated before the rapid review it follows")

    def record_panel_response(self, c: RecordPanelResponse) -> None:
        self._check_open(c.at)
        self._check_rapid_review_done(
            c.at, "The Panel's response can be recorded only after the rapid review is completed"
        )
        require(self.panel_response is None, "The Panel's response is recorded only once")
        require(rules.given(c.response), "The Panel's response needs its content")
        self._panel_response_recorded(response=c.response, actor=c.by, occurred_on=c.at)

    @event("PanelResponseRecorded")
    def _panel_response_recorded(self, *, response: str, actor: str, occurred_on: datetime) -> None:
        self.panel_response = {"response": response, "by": actor, "on": occurred_on}

    def decide_lcspr(self, c: DecideLcspr, policy: Policy = DEFAULT_POLICY) -> None:
        """Decide whether to commission an LCSPR; its due date defaults from the policy."""
        self._check_open(c.at)
        if self.review_type == ReviewType.RAPID_REVIEW:
            self._check_rapid_review_done(
                c.at, "An LCSPR can be decided only after the rapid review is completed"
            )
        require(self.lcspr_decision is None, "An LCSPR is decided only once")
        rules.check_lcspr_terms(
            commission=c.commission, rationale=c.rationale, reviewer=c.reviewer, scope=c.scope,
            due_on=c.due_on, on=c.at.date(),
        )
        due_on = c.due_on
        if c.commission and due_on is None:
            due_on = policy.lcspr_completion.after(c.at.date())
        self._lcspr_decided(
            commission=c.commission, rationale=c.rationale, reviewer=c.reviewer, scope=c.scope,
            due_on=due_on, actor=c.by, occurred_on=c.at,
        )

    @event("LcsprDecided")
    def _lcspr_decided(
        self, *, commission: bool, rationale: str, reviewer: str | None, scope: str | None,
        due_on: date | None, actor: str, occurred_on: datetime,
    ) -> None:
        self.lcspr_decision = {
            "commission": commission, "rationale": rationale, "reviewer": reviewer,
            "scope": scope, "due_on": due_on, "by": actor, "decided_on": occurred_on,
        }

    # -- recommendations -------------------------------------------------------------------------

    def add_recommendation(self, c: AddRecommendation) -> None:
        self._check_open(c.at)
        rules.check_new_item(
            c.recommendation_id, self.recommendations, c.due_on, c.at.date(),
            "A recommendation", text=c.text, owner_agency=c.owner_agency,
        )
        self._recommendation_added(
            recommendation_id=c.recommendation_id, text=c.text, owner_agency=c.owner_agency,
            due_on=c.due_on, actor=c.by, occurred_on=c.at,
        )

    @event("RecommendationAdded")
    def _recommendation_added(
        self, *, recommendation_id: str, text: str, owner_agency: str, due_on: date,
        actor: str, occurred_on: datetime,
    ) -> None:
        self.recommendations[recommendation_id] = {
            "text": text, "owner_agency": owner_agency, "due_on": due_on,
            "added_on": occurred_on, "progress": [], "impact": [], "completed_on": None,
        }

    def _recommendation(self, recommendation_id: str, at: datetime) -> dict[str, Any]:
        require(
            recommendation_id in self.recommendations,
            "A recommendation command must refer to a recorded recommendation",
        )
        item = self.recommendations[recommendation_id]
        require(at >= item["added_on"], "A recommendation cannot be acted on before it was made")
        return item

    def update_recommendation(self, c: UpdateRecommendation) -> None:
        self._check_open(c.at)
        item = self._recommendation(c.recommendation_id, c.at)
        done = item["completed_on"] is not None
        require(not done, "A completed recommendation takes no progress updates")
        require(rules.given(c.progress), "A progress update needs its content")
        self._recommendation_updated(
            recommendation_id=c.recommendation_id, progress=c.progress, actor=c.by,
            occurred_on=c.at,
        )

    @event("RecommendationUpdated")
    def _recommendation_updated(
        self, *, recommendation_id: str, progress: str, actor: str, occurred_on: datetime
    ) -> None:
        note = {"progress": progress, "by": actor, "on": occurred_on}
        self.recommendations[recommendation_id]["progress"].append(note)

    def assess_recommendation_impact(self, c: AssessRecommendationImpact) -> None:
        """Record what difference a recommendation made (often assessed after it is done)."""
        self._check_open(c.at)
        self._recommendation(c.recommendation_id, c.at)
        require(rules.given(c.impact), "An impact assessment needs its content")
        self._impact_assessed(
            recommendation_id=c.recommendation_id, impact=c.impact, actor=c.by, occurred_on=c.at
        )

    @event("RecommendationImpactAssessed")
    def _impact_assessed(
        self, *, recommendation_id: str, impact: str, actor: str, occurred_on: datetime
    ) -> None:
        note = {"impact": impact, "by": actor, "on": occurred_on}
        self.recommendations[recommendation_id]["impact"].append(note)

    def complete_recommendation(self, c: CompleteRecommendation) -> None:
        self._check_open(c.at)
        item = self._recommendation(c.recommendation_id, c.at)
        require(item["completed_on"] is None, "A recommendation is completed only once")
        self._recommendation_completed(
            recommendation_id=c.recommendation_id, actor=c.by, occurred_on=c.at
        )

    @event("RecommendationCompleted")
    def _recommendation_completed(
        self, *, recommendation_id: str, actor: str, occurred_on: datetime
    ) -> None:
        self.recommendations[recommendation_id]["completed_on"] = occurred_on

    def close(self, c: CloseReview) -> None:
        """Close the review; every open recommendation must be carried over with a reason."""
        self._check_open(c.at)
        if self.review_type == ReviewType.RAPID_REVIEW:
            require(self.panel_notification is not None,
                    "A serious incident's review closes only after the Panel is notified")
            require(self.lcspr_decision is not None,
                    "A rapid review closes only after the decision on an LCSPR")
        carried = dict(c.carried_over)
        open_ids = [item["recommendation_id"] for item in self.open_recommendations]
        rules.check_carry_over(open_ids, carried)
        self._closed(carried_over=carried, actor=c.by, occurred_on=c.at)

    @event("Closed")
    def _closed(self, *, carried_over: dict[str, str], actor: str, occurred_on: datetime) -> None:
        self.carried_over = dict(carried_over)
        self.closed_on = occurred_on

    # -- queries ---------------------------------------------------------------------------------

    @property
    def status(self) -> ReviewStatus:
        return rules.status_of(
            closed=self.closed_on is not None, rapid_review_done=self.rapid_review is not None,
            lcspr_decision=self.lcspr_decision,
        )

    @property
    def open_recommendations(self) -> list[dict[str, Any]]:
        """Recommendations not completed (those carried over at closure stay open)."""
        return rules.not_done(self.recommendations, "recommendation_id", "completed_on")

    @property
    def outstanding_requests(self) -> list[dict[str, Any]]:
        return rules.not_done(self.requests, "request_id", "received_on")

    @property
    def breaches(self) -> list[dict[str, Any]]:
        """Statutory deadlines breached, by a step done late or by a deadline missed (not those
        withdrawn because the step, entered late, was done in time)."""
        return [dict(item) for item in self.breached_steps.values()
                if not item.get("withdrawn_on")]

    def overdue_requests(self, on: date) -> list[dict[str, Any]]:
        return [item for item in self.outstanding_requests if item["due_on"] < on]

    def overdue_recommendations(self, on: date) -> list[dict[str, Any]]:
        return [item for item in self.open_recommendations if item["due_on"] < on]
