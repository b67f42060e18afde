"""Rapid review of a serious incident: from notification to the closed review (Working Together
2018, chapter 4; the partnership's Practice Review sub-group, seed 004).

Started once `Review.refer` has recorded the serious incident; the Referred event holds the two
statutory deadlines, counted in working days of the incident's nation from the day the
partnership became aware (`Policy.panel_notification`, 5; `Policy.rapid_review`, 15).

States (`status().state`):
- "referred": the referral's recorded instant is still ahead; the workflow waits for it.
- "rapid review": the Panel notification and the rapid review are due. The sub-group chair is
  warned `Policy.at_risk_warning` (2 working days) before each deadline whose step is not done;
  a deadline that passes with its step not done is a breach (`Review.record_breach`). A step done
  late needs a reason. Agency information requests are chased once when overdue.
- "awaiting LCSPR decision": the rapid review is done; the Panel's response and the decision.
- "LCSPR commissioned": the LCSPR is due on the date stored on LcsprDecided
  (`Policy.lcspr_completion`); a reminder `Policy.reminder_lead` before it, an "LCSPR overdue"
  step if it passes with the review open. Each recommendation overdue gets a step.
- "LCSPR not commissioned": recommendations (if any) are followed the same way.
- "closed": every open recommendation carried over with a reason; the workflow ends.

Every step is an event on the Review (a domain event and/or ProcessStepRecorded).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from temporalio import workflow
from temporalio.exceptions import ActivityError, ApplicationError

from workflows.common import ACTIVITY, Step, end_of, until

with workflow.unsafe.imports_passed_through():
    from domain import review_values as rules
    from domain.errors import RuleBroken
    from domain.review_values import Step as Deadline
    from workflows.activities import ProcessActivities
    from workflows.activities.rapid_review import (
        PROCESS,
        Breach,
        ClockReading,
        Closure,
        InformationReceipt,
        InformationRequest,
        LcsprDecision,
        LcsprTerms,
        PanelNotification,
        PanelResponse,
        RapidReviewActivities,
        RapidReviewCompletion,
        Recommendation,
        RecommendationCompletion,
        ReviewClocks,
    )

CHAIR = "sub-group chair"
LABELS = {Deadline.PANEL_NOTIFICATION: "Panel notification", Deadline.RAPID_REVIEW: "Rapid review"}


def rapid_review_id(review_id: str) -> str:
    """The business id: one rapid review per Review record."""
    return f"rapid-review-{review_id}"


def start_of(day: date) -> datetime:
    """A warning or reminder date is acted on as the day begins (midnight UTC)."""
    return end_of(day - timedelta(days=1))


@dataclass
class RapidReviewInput:
    review_id: str


@dataclass
class Tracked:
    """An item with a due date the workflow follows: an information request, a recommendation."""

    party: str  # the agency asked, or the agency that owns the recommendation
    due_on: date
    done: bool = False
    flagged: bool = False  # chased, or recorded as overdue


@dataclass
class RapidReviewStatus:
    state: str
    nation: str | None
    panel_notification_due: date | None
    rapid_review_due: date | None
    panel_notified: bool
    rapid_review_completed: bool
    breaches: list[str]
    outstanding_requests: list[str]
    chased_requests: list[str]
    panel_response_recorded: bool
    lcspr_commissioned: bool | None
    lcspr_due: date | None
    lcspr_overdue: bool
    open_recommendations: list[str]
    overdue_recommendations: list[str]
    closed: bool
    history: list[str] = field(default_factory=list)


@dataclass
class RequestInformation:
    request_id: str
    agency: str
    due_on: date
    by: str


@dataclass
class ReceiveInformation:
    request_id: str
    by: str


@dataclass
class NotifyPanel:
    by: str
    late_reason: str | None = None


@dataclass
class CompleteRapidReview:
    findings: str
    learning: list[str]
    recommend_lcspr: bool
    rationale: str
    by: str
    outstanding_reason: str | None = None
    late_reason: str | None = None


@dataclass
class RecordPanelResponse:
    response: str
    by: str


@dataclass
class DecideLcspr:
    commission: bool
    rationale: str
    by: str
    reviewer: str | None = None
    scope: str | None = None


@dataclass
class AddRecommendation:
    recommendation_id: str
    text: str
    owner_agency: str
    due_on: date
    by: str


@dataclass
class CompleteRecommendation:
    recommendation_id: str
    by: str


@dataclass
class CloseReview:
    by: str
    carried_over: dict[str, str] = field(default_factory=dict)


def follow_rule(check: Callable[[], None]) -> None:
    """Run one of the domain's pure rules in a validator: a broken rule rejects the update."""
    try:
        check()
    except RuleBroken as broken:
        raise ValueError(broken.rule) from None


def require(condition: bool, rule: str) -> None:
    if not condition:
        raise ValueError(rule)


@workflow.defn
class RapidReviewWorkflow:
    def __init__(self) -> None:
        self.state = "referred"
        self.clocks: ReviewClocks | None = None
        self.started = False
        self.pending: set[str] = set()  # actions whose activity is under way
        self.panel_notified = False
        self.rapid_review_done = False
        self.breaches: list[str] = []
        self.requests: dict[str, Tracked] = {}
        self.panel_response = False
        self.decided = False
        self.lcspr: LcsprTerms | None = None
        self.lcspr_overdue = False
        self.recommendations: dict[str, Tracked] = {}
        self.closed = False
        self.trackers: list[asyncio.Task[None]] = []
        self.history: list[str] = []

    @workflow.run
    async def run(self, review: RapidReviewInput) -> RapidReviewStatus:
        self.input = review
        await self._start_clocks()
        for deadline in Deadline:
            self._track(self._watch_deadline(deadline))
        await workflow.wait_condition(lambda: self.rapid_review_done)
        self.state = "awaiting LCSPR decision"
        await workflow.wait_condition(lambda: self.decided)
        self.state = "LCSPR commissioned" if self.lcspr else "LCSPR not commissioned"
        if self.lcspr is not None:
            self._track(self._follow_lcspr(self.lcspr))
        await workflow.wait_condition(lambda: self.closed and workflow.all_handlers_finished())
        await asyncio.gather(*self.trackers)
        return self.status()

    # -- the clocks -------------------------------------------------------------------------------

    async def _start_clocks(self) -> None:
        """Read the deadlines stored at referral, wait for the referral's instant, record them."""
        clocks = await workflow.execute_activity_method(
            RapidReviewActivities.read_clocks, ClockReading(self.input.review_id), **ACTIVITY)
        self.clocks = clocks
        if clocks.opened_at > workflow.now():
            await workflow.sleep(until(workflow.now(), clocks.opened_at))
        await self._record("deadlines-set", "deadlines set", {
            "nation": clocks.nation,
            "became_aware_on": clocks.became_aware_on.isoformat(),
            "panel_notification_due": clocks.panel_notification_due.isoformat(),
            "rapid_review_due": clocks.rapid_review_due.isoformat(),
            "panel_notification_warning_on": clocks.panel_notification_warning_on.isoformat(),
            "rapid_review_warning_on": clocks.rapid_review_warning_on.isoformat(),
        })
        self.state, self.started = "rapid review", True

    def _due(self, deadline: Deadline) -> tuple[date, date]:
        """The deadline's due date and its at-risk warning date."""
        assert self.clocks is not None
        c = self.clocks
        if deadline == Deadline.PANEL_NOTIFICATION:
            return c.panel_notification_due, c.panel_notification_warning_on
        return c.rapid_review_due, c.rapid_review_warning_on

    def _done(self, deadline: Deadline) -> bool:
        if deadline == Deadline.PANEL_NOTIFICATION:
            return self.panel_notified
        return self.rapid_review_done

    async def _watch_deadline(self, deadline: Deadline) -> None:
        """Warn the chair before the deadline, record a breach when it passes, unless done."""
        due, warning_on = self._due(deadline)
        if not await self._settled_by(deadline, start_of(warning_on)):
            await self._record(f"at-risk-{deadline}", "at-risk warning",
                               {"step": str(deadline), "due": due.isoformat(), "to": CHAIR})
        if not await self._settled_by(deadline, end_of(due)):
            await self._record_breach(deadline, due)

    async def _settled_by(self, deadline: Deadline, moment: datetime) -> bool:
        """Whether the step is done (or the review closed) by `moment`; an action under way
        counts once its activity has succeeded."""
        while True:
            if not await self._until(
                lambda: self._done(deadline) or self.closed or str(deadline) in self.pending,
                moment,
            ):
                return False
            await workflow.wait_condition(lambda: str(deadline) not in self.pending)
            if self._done(deadline) or self.closed:
                return True

    async def _until(self, check: Callable[[], bool], moment: datetime) -> bool:
        """Wait until `check()` holds or `moment` passes; whether it holds."""
        try:
            await workflow.wait_condition(check, timeout=until(workflow.now(), moment))
        except TimeoutError:
            pass
        return check()

    async def _record_breach(self, deadline: Deadline, due: date) -> None:
        reason = f"{LABELS[deadline]} not done by its deadline ({due})"
        try:
            await self._activity(RapidReviewActivities.record_breach, Breach(
                **self._context(f"breach-{deadline}", f"process:{PROCESS}"),
                step=str(deadline), reason=reason))
        except ApplicationError as refused:
            if refused.type != "RuleBroken":
                raise
            # e.g. the step was done in the same instant as the deadline passed
            self.history.append(f"breach of {deadline} not recorded: {refused.message}")
            return
        self._add_breach(str(deadline))
        self.history.append(f"breach recorded: {reason}")

    def _add_breach(self, deadline: str) -> None:
        if deadline not in self.breaches:
            self.breaches.append(deadline)

    # -- items followed to their due date -----------------------------------------------------

    def _track(self, work: Coroutine[Any, Any, None]) -> None:
        self.trackers.append(asyncio.create_task(work))

    async def _flag_when_overdue(self, item: Tracked, key: str, step: str,
                                 details: dict[str, Any]) -> None:
        """Record `step` once when the item passes its due date undone, the review open."""
        if await self._until(lambda: item.done or self.closed, end_of(item.due_on)):
            return
        await self._record(key, step, {**details, "due_on": item.due_on.isoformat(),
                                       "to": item.party})
        item.flagged = True

    async def _follow_lcspr(self, terms: LcsprTerms) -> None:
        """Remind the chair before the LCSPR is due; record it overdue if it passes open."""
        details = {"due_on": terms.due_on.isoformat(), "to": CHAIR}
        if not await self._until(lambda: self.closed, start_of(terms.reminder_on)):
            await self._record("lcspr-reminder", "LCSPR reminder", details)
        if not await self._until(lambda: self.closed, end_of(terms.due_on)):
            await self._record("lcspr-overdue", "LCSPR overdue", details)
            self.lcspr_overdue = True

    # -- running activities ---------------------------------------------------------------------

    def _context(self, key: str, by: str) -> dict[str, Any]:
        """The fields every review command carries; the step id is stable across retries."""
        me = workflow.info().workflow_id
        return {"record_id": self.input.review_id, "step_id": f"{me}:{key}", "by": by,
                "at": workflow.now()}

    async def _record(self, key: str, step: str, details: dict[str, Any]) -> None:
        """A step that changes nothing else on the record: a deadline set, a warning, a chase."""
        me = workflow.info().workflow_id
        await workflow.execute_activity_method(
            ProcessActivities.record_step,
            Step(self.input.review_id, f"{me}:{key}", PROCESS, step, workflow.now(), details),
            **ACTIVITY)
        self.history.append(f"{workflow.now().date()}: {step} {details}")

    async def _activity(self, method: Callable[..., Any], arg: Any) -> Any:
        """Run a review command; a broken rule comes back as an ApplicationError with the rule."""
        try:
            return await workflow.execute_activity_method(method, arg, **ACTIVITY)
        except ActivityError as failed:
            cause = failed.cause
            if isinstance(cause, ApplicationError):
                raise ApplicationError(cause.message, type=cause.type, non_retryable=True) \
                    from None
            raise

    async def _act(self, key: str, action: Awaitable[Any]) -> Any:
        """Run an update's command with `key` marked under way, so no second one is accepted."""
        self.pending.add(key)
        try:
            return await action
        finally:
            self.pending.discard(key)

    # -- query ------------------------------------------------------------------------------------

    @workflow.query
    def status(self) -> RapidReviewStatus:
        c = self.clocks
        return RapidReviewStatus(
            state=self.state, nation=c.nation if c else None,
            panel_notification_due=c.panel_notification_due if c else None,
            rapid_review_due=c.rapid_review_due if c else None,
            panel_notified=self.panel_notified, rapid_review_completed=self.rapid_review_done,
            breaches=list(self.breaches),
            outstanding_requests=[k for k, v in self.requests.items() if not v.done],
            chased_requests=[k for k, v in self.requests.items() if v.flagged],
            panel_response_recorded=self.panel_response,
            lcspr_commissioned=(self.lcspr is not None) if self.decided else None,
            lcspr_due=self.lcspr.due_on if self.lcspr else None, lcspr_overdue=self.lcspr_overdue,
            open_recommendations=[k for k, v in self.recommendations.items() if not v.done],
            overdue_recommendations=[k for k, v in self.recommendations.items() if v.flagged],
            closed=self.closed, history=list(self.history),
        )

    # -- validation shared by the updates -------------------------------------------------------

    def _today(self) -> date:
        return workflow.now().date()

    def _check_open(self, by: str) -> None:
        require(self.started, "The review's deadlines are not set yet: its referral is "
                "recorded for a later time")
        require(not self.closed and "close" not in self.pending,
                "A closed review takes no further commands")
        require(rules.given(by), "An action names who took it")

    def _check_new(self, kind: str, known: dict[str, Tracked], item_id: str) -> None:
        require(f"{kind}:{item_id}" not in self.pending and item_id not in known,
                f"The {kind} id {item_id} is used only once on a review")

    def _check_item(self, known: dict[str, Tracked], kind: str, item_id: str,
                    missing: str, twice: str) -> None:
        require(item_id in known, missing)
        require(not known[item_id].done and f"{kind}-done:{item_id}" not in self.pending, twice)

    # -- agency information -----------------------------------------------------------------------

    @workflow.update
    async def request_information(self, r: RequestInformation) -> str:
        """Ask an agency for information by a date; it is chased once if overdue."""
        await self._act(f"request:{r.request_id}", self._activity(
            RapidReviewActivities.request_information, InformationRequest(
                **self._context(f"information-requested-{r.request_id}", r.by),
                request_id=r.request_id, agency=r.agency, due_on=r.due_on)))
        item = self.requests[r.request_id] = Tracked(r.agency, r.due_on)
        self._track(self._flag_when_overdue(
            item, f"information-chased-{r.request_id}", "information chased",
            {"request_id": r.request_id}))
        return f"Information {r.request_id} requested from {r.agency}, due {r.due_on}"

    @request_information.validator
    def _validate_request_information(self, r: RequestInformation) -> None:
        self._check_open(r.by)
        self._check_new("request", self.requests, r.request_id)
        follow_rule(lambda: rules.check_new_item(
            r.request_id, dict(self.requests), r.due_on, self._today(),
            "An information request", agency=r.agency))

    @workflow.update
    async def receive_information(self, r: ReceiveInformation) -> str:
        await self._act(f"request-done:{r.request_id}", self._activity(
            RapidReviewActivities.receive_information, InformationReceipt(
                **self._context(f"information-received-{r.request_id}", r.by),
                request_id=r.request_id)))
        self.requests[r.request_id].done = True
        return f"Information {r.request_id} received"

    @receive_information.validator
    def _validate_receive_information(self, r: ReceiveInformation) -> None:
        self._check_open(r.by)
        self._check_item(self.requests, "request", r.request_id,
                         "Received information must refer to a recorded information request",
                         "Requested information is received only once")

    # -- the two statutory steps ------------------------------------------------------------------

    @workflow.update
    async def notify_panel(self, r: NotifyPanel) -> str:
        """Record the Panel notification; late, it carries its reason and counts as a breach."""
        await self._act(Deadline.PANEL_NOTIFICATION, self._activity(
            RapidReviewActivities.notify_panel, PanelNotification(
                **self._context("panel-notified", r.by), late_reason=r.late_reason)))
        self.panel_notified = True
        if r.late_reason is not None:
            self._add_breach(Deadline.PANEL_NOTIFICATION)
            return "Panel notified late; the delay's reason is recorded"
        return "Panel notified"

    @notify_panel.validator
    def _validate_notify_panel(self, r: NotifyPanel) -> None:
        self._check_open(r.by)
        require(not self.panel_notified and Deadline.PANEL_NOTIFICATION not in self.pending,
                "The Panel is notified of an incident only once")
        due, _ = self._due(Deadline.PANEL_NOTIFICATION)
        follow_rule(lambda: rules.check_lateness(due, self._today(), r.late_reason,
                                                 "A Panel notification made"))

    @workflow.update
    async def complete_rapid_review(self, r: CompleteRapidReview) -> str:
        """Record the rapid review's findings, learning and recommendation on an LCSPR."""
        await self._act(Deadline.RAPID_REVIEW, self._activity(
            RapidReviewActivities.complete_rapid_review, RapidReviewCompletion(
                **self._context("rapid-review-completed", r.by), findings=r.findings,
                learning=list(r.learning), recommend_lcspr=r.recommend_lcspr,
                rationale=r.rationale, outstanding_reason=r.outstanding_reason,
                late_reason=r.late_reason)))
        self.rapid_review_done = True
        if r.late_reason is not None:
            self._add_breach(Deadline.RAPID_REVIEW)
            return "Rapid review completed late; the delay's reason is recorded"
        return "Rapid review completed"

    @complete_rapid_review.validator
    def _validate_complete_rapid_review(self, r: CompleteRapidReview) -> None:
        self._check_open(r.by)
        require(not self.rapid_review_done and Deadline.RAPID_REVIEW not in self.pending,
                "A rapid review is completed only once")
        outstanding = [k for k, v in self.requests.items() if not v.done]
        follow_rule(lambda: rules.check_completion(
            findings=r.findings, rationale=r.rationale, outstanding=outstanding,
            outstanding_reason=r.outstanding_reason))
        due, _ = self._due(Deadline.RAPID_REVIEW)
        follow_rule(lambda: rules.check_lateness(due, self._today(), r.late_reason,
                                                 "A rapid review completed"))

    # -- after the rapid review -------------------------------------------------------------------

    def _check_after_rapid_review(self, by: str, rule: str) -> None:
        self._check_open(by)
        require(self.rapid_review_done, rule)

    @workflow.update
    async def record_panel_response(self, r: RecordPanelResponse) -> str:
        await self._act("panel_response", self._activity(
            RapidReviewActivities.record_panel_response, PanelResponse(
                **self._context("panel-response", r.by), response=r.response)))
        self.panel_response = True
        return "The Panel's response is recorded"

    @record_panel_response.validator
    def _validate_record_panel_response(self, r: RecordPanelResponse) -> None:
        self._check_after_rapid_review(
            r.by, "The Panel's response can be recorded only after the rapid review is completed")
        require(not self.panel_response and "panel_response" not in self.pending,
                "The Panel's response is recorded only once")
        require(rules.given(r.response), "The Panel's response needs its content")

    @workflow.update
    async def decide_lcspr(self, r: DecideLcspr) -> str:
        """Decide on an LCSPR; a commissioned one is followed to its due date."""
        terms = await self._act("lcspr", self._activity(
            RapidReviewActivities.decide_lcspr, LcsprDecision(
                **self._context("lcspr-decided", r.by), commission=r.commission,
                rationale=r.rationale, reviewer=r.reviewer, scope=r.scope)))
        self.lcspr, self.decided = terms, True
        if terms is None:
            return "No LCSPR commissioned"
        self.history.append(f"LCSPR due {terms.due_on}, reminder on {terms.reminder_on}")
        return f"LCSPR commissioned, due {terms.due_on}"

    @decide_lcspr.validator
    def _validate_decide_lcspr(self, r: DecideLcspr) -> None:
        self._check_after_rapid_review(
            r.by, "An LCSPR can be decided only after the rapid review is completed")
        require(not self.decided and "lcspr" not in self.pending, "An LCSPR is decided only once")
        follow_rule(lambda: rules.check_lcspr_terms(
            commission=r.commission, rationale=r.rationale, reviewer=r.reviewer, scope=r.scope,
            due_on=None, on=self._today()))

    # -- recommendations and closure -------------------------------------------------------------

    @workflow.update
    async def add_recommendation(self, r: AddRecommendation) -> str:
        """Add a recommendation; it is followed to completion and flagged once if overdue."""
        await self._act(f"recommendation:{r.recommendation_id}", self._activity(
            RapidReviewActivities.add_recommendation, Recommendation(
                **self._context(f"recommendation-added-{r.recommendation_id}", r.by),
                recommendation_id=r.recommendation_id, text=r.text,
                owner_agency=r.owner_agency, due_on=r.due_on)))
        item = self.recommendations[r.recommendation_id] = Tracked(r.owner_agency, r.due_on)
        self._track(self._flag_when_overdue(
            item, f"recommendation-overdue-{r.recommendation_id}", "recommendation overdue",
            {"recommendation_id": r.recommendation_id}))
        return f"Recommendation {r.recommendation_id} added, due {r.due_on}"

    @add_recommendation.validator
    def _validate_add_recommendation(self, r: AddRecommendation) -> None:
        self._check_after_rapid_review(
            r.by, "Recommendations follow the completed rapid review")
        self._check_new("recommendation", self.recommendations, r.recommendation_id)
        follow_rule(lambda: rules.check_new_item(
            r.recommendation_id, dict(self.recommendations), r.due_on, self._today(),
            "A recommendation", text=r.text, owner_agency=r.owner_agency))

    @workflow.update
    async def complete_recommendation(self, r: CompleteRecommendation) -> str:
        await self._act(f"recommendation-done:{r.recommendation_id}", self._activity(
            RapidReviewActivities.complete_recommendation, RecommendationCompletion(
                **self._context(f"recommendation-completed-{r.recommendation_id}", r.by),
                recommendation_id=r.recommendation_id)))
        self.recommendations[r.recommendation_id].done = True
        return f"Recommendation {r.recommendation_id} completed"

    @complete_recommendation.validator
    def _validate_complete_recommendation(self, r: CompleteRecommendation) -> None:
        self._check_open(r.by)
        self._check_item(self.recommendations, "recommendation", r.recommendation_id,
                         "A recommendation command must refer to a recorded recommendation",
                         "A recommendation is completed only once")

    @workflow.update
    async def close(self, r: CloseReview) -> str:
        """Close the review (open recommendations carried over with reasons); the run ends."""
        await self._act("close", self._activity(
            RapidReviewActivities.close, Closure(
                **self._context("closed", r.by), carried_over=dict(r.carried_over))))
        self.closed, self.state = True, "closed"
        carried = f", {len(r.carried_over)} recommendation(s) carried over" \
            if r.carried_over else ""
        return f"Review closed{carried}"

    @close.validator
    def _validate_close(self, r: CloseReview) -> None:
        self._check_open(r.by)
        require(self.panel_notified, "A serious incident's review closes only after the Panel "
                "is notified")
        require(self.decided, "A rapid review closes only after the decision on an LCSPR")
        open_ids = [k for k, v in self.recommendations.items() if not v.done]
        follow_rule(lambda: rules.check_carry_over(open_ids, dict(r.carried_over)))
