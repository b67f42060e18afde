"""People's actions on a rapid review: the updates of `RapidReviewWorkflow`
(workflows/rapid_review.py), each with its validator.

A validator refuses what breaks the review's rules (the domain's pure checks in
`domain.review_values`) and changes nothing; each update answers once its event is on the Review.
An action under way is marked `pending`, so a second one is refused while the first runs, and a
deadline's watcher waits for it before recording a breach. The workflow class inherits these
handlers and owns the state declared below.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from temporalio import workflow

from workflows.common import command, obey, require

with workflow.unsafe.imports_passed_through():
    from domain import review_values as rules
    from domain.review_values import Step as Statutory
    from workflows.activities.rapid_review import (
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
    from workflows.rapid_review_types import (
        AddRecommendation,
        CloseReview,
        CompleteRapidReview,
        CompleteRecommendation,
        DecideLcspr,
        NotifyPanel,
        RapidReviewInput,
        ReceiveInformation,
        RecordPanelResponse,
        RequestInformation,
    )


@dataclass
class Tracked:
    """An item with a due date the workflow follows: an information request, a recommendation."""

    party: str  # the agency asked, or the agency that owns the recommendation
    due_on: date
    done: bool = False
    flagged: bool = False  # chased, or recorded as overdue


class RapidReviewUpdates:
    """The updates; `RapidReviewWorkflow.__init__` sets this state."""

    input: RapidReviewInput
    state: str
    clocks: ReviewClocks | None
    started: bool
    pending: set[str]  # actions whose activity is under way
    panel_notified: bool
    rapid_review_done: bool
    breaches: list[str]
    requests: dict[str, Tracked]
    panel_response: bool
    decided: bool
    lcspr: LcsprTerms | None
    recommendations: dict[str, Tracked]
    closed: bool
    history: list[str]

    # Follows an item to its due date; `RapidReviewWorkflow` defines it.
    _follow: Callable[[Tracked, str, str, dict[str, Any]], None]

    def _due(self, deadline: Statutory) -> tuple[date, date]:
        """The deadline's due date and its at-risk warning date."""
        assert self.clocks is not None
        c = self.clocks
        if deadline == Statutory.PANEL_NOTIFICATION:
            return c.panel_notification_due, c.panel_notification_warning_on
        return c.rapid_review_due, c.rapid_review_warning_on

    def _add_breach(self, deadline: str) -> None:
        if deadline not in self.breaches:
            self.breaches.append(deadline)

    def _context(self, key: str, by: str) -> dict[str, Any]:
        """The fields every review command carries; the step id is stable across retries."""
        me = workflow.info().workflow_id
        return {"record_id": self.input.review_id, "step_id": f"{me}:{key}", "by": by,
                "at": workflow.now()}

    async def _act(self, key: str, action: Awaitable[Any]) -> Any:
        """Run an update's command with `key` marked under way, so no second one is accepted."""
        self.pending.add(key)
        try:
            return await action
        finally:
            self.pending.discard(key)

    # -- validation shared by the updates ------------------------------------------------------

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

    # -- agency information --------------------------------------------------------------------

    @workflow.update
    async def request_information(self, r: RequestInformation) -> str:
        """Ask an agency for information by a date; it is chased once if overdue."""
        await self._act(f"request:{r.request_id}", command(
            RapidReviewActivities.request_information, InformationRequest(
                **self._context(f"information-requested-{r.request_id}", r.by), request=r)))
        item = self.requests[r.request_id] = Tracked(r.agency, r.due_on)
        self._follow(item, f"information-chased-{r.request_id}", "information chased",
                     {"request_id": r.request_id})
        return f"Information {r.request_id} requested from {r.agency}, due {r.due_on}"

    @request_information.validator
    def _validate_request_information(self, r: RequestInformation) -> None:
        self._check_open(r.by)
        self._check_new("request", self.requests, r.request_id)
        obey(lambda: rules.check_new_item(
            r.request_id, dict(self.requests), r.due_on, self._today(),
            "An information request", agency=r.agency))

    @workflow.update
    async def receive_information(self, r: ReceiveInformation) -> str:
        await self._act(f"request-done:{r.request_id}", command(
            RapidReviewActivities.receive_information, InformationReceipt(
                **self._context(f"information-received-{r.request_id}", r.by), receipt=r)))
        self.requests[r.request_id].done = True
        return f"Information {r.request_id} received"

    @receive_information.validator
    def _validate_receive_information(self, r: ReceiveInformation) -> None:
        self._check_open(r.by)
        self._check_item(self.requests, "request", r.request_id,
                         "Received information must refer to a recorded information request",
                         "Requested information is received only once")

    # -- the two statutory steps ---------------------------------------------------------------

    @workflow.update
    async def notify_panel(self, r: NotifyPanel) -> str:
        """Record the Panel notification; late, it carries its reason and counts as a breach."""
        await self._act(Statutory.PANEL_NOTIFICATION, command(
            RapidReviewActivities.notify_panel, PanelNotification(
                **self._context("panel-notified", r.by), notice=r)))
        self.panel_notified = True
        if r.late_reason is not None:
            self._add_breach(Statutory.PANEL_NOTIFICATION)
            return "Panel notified late; the delay's reason is recorded"
        return "Panel notified"

    @notify_panel.validator
    def _validate_notify_panel(self, r: NotifyPanel) -> None:
        self._check_open(r.by)
        require(not self.panel_notified and Statutory.PANEL_NOTIFICATION not in self.pending,
                "The Panel is notified of an incident only once")
        due, _ = self._due(Statutory.PANEL_NOTIFICATION)
        obey(lambda: rules.check_lateness(due, self._today(), r.late_reason,
                                                 "A Panel notification made"))

    @workflow.update
    async def complete_rapid_review(self, r: CompleteRapidReview) -> str:
        """Record the rapid review's findings, learning and recommendation on an LCSPR."""
        await self._act(Statutory.RAPID_REVIEW, command(
            RapidReviewActivities.complete_rapid_review, RapidReviewCompletion(
                **self._context("rapid-review-completed", r.by), completion=r)))
        self.rapid_review_done = True
        if r.late_reason is not None:
            self._add_breach(Statutory.RAPID_REVIEW)
            return "Rapid review completed late; the delay's reason is recorded"
        return "Rapid review completed"

    @complete_rapid_review.validator
    def _validate_complete_rapid_review(self, r: CompleteRapidReview) -> None:
        self._check_open(r.by)
        require(not self.rapid_review_done and Statutory.RAPID_REVIEW not in self.pending,
                "A rapid review is completed only once")
        outstanding = [k for k, v in self.requests.items() if not v.done]
        obey(lambda: rules.check_completion(
            findings=r.findings, rationale=r.rationale, outstanding=outstanding,
            outstanding_reason=r.outstanding_reason))
        due, _ = self._due(Statutory.RAPID_REVIEW)
        obey(lambda: rules.check_lateness(due, self._today(), r.late_reason,
                                                 "A rapid review completed"))

    # -- after the rapid review ----------------------------------------------------------------

    def _check_after_rapid_review(self, by: str, rule: str) -> None:
        self._check_open(by)
        require(self.rapid_review_done, rule)

    @workflow.update
    async def record_panel_response(self, r: RecordPanelResponse) -> str:
        await self._act("panel_response", command(
            RapidReviewActivities.record_panel_response, PanelResponse(
                **self._context("panel-response", r.by), response=r)))
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
        terms = await self._act("lcspr", command(
            RapidReviewActivities.decide_lcspr, LcsprDecision(
                **self._context("lcspr-decided", r.by), decision=r)))
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
        obey(lambda: rules.check_lcspr_terms(
            commission=r.commission, rationale=r.rationale, reviewer=r.reviewer, scope=r.scope,
            due_on=None, on=self._today()))

    # -- recommendations and closure -----------------------------------------------------------

    @workflow.update
    async def add_recommendation(self, r: AddRecommendation) -> str:
        """Add a recommendation; it is followed to completion and flagged once if overdue."""
        await self._act(f"recommendation:{r.recommendation_id}", command(
            RapidReviewActivities.add_recommendation, Recommendation(
                **self._context(f"recommendation-added-{r.recommendation_id}", r.by),
                recommendation=r)))
        item = self.recommendations[r.recommendation_id] = Tracked(r.owner_agency, r.due_on)
        self._follow(item, f"recommendation-overdue-{r.recommendation_id}",
                     "recommendation overdue", {"recommendation_id": r.recommendation_id})
        return f"Recommendation {r.recommendation_id} added, due {r.due_on}"

    @add_recommendation.validator
    def _validate_add_recommendation(self, r: AddRecommendation) -> None:
        self._check_after_rapid_review(
            r.by, "Recommendations follow the completed rapid review")
        self._check_new("recommendation", self.recommendations, r.recommendation_id)
        obey(lambda: rules.check_new_item(
            r.recommendation_id, dict(self.recommendations), r.due_on, self._today(),
            "A recommendation", text=r.text, owner_agency=r.owner_agency))

    @workflow.update
    async def complete_recommendation(self, r: CompleteRecommendation) -> str:
        await self._act(f"recommendation-done:{r.recommendation_id}", command(
            RapidReviewActivities.complete_recommendation, RecommendationCompletion(
                **self._context(f"recommendation-completed-{r.recommendation_id}", r.by),
                completion=r)))
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
        await self._act("close", command(
            RapidReviewActivities.close, Closure(**self._context("closed", r.by), closure=r)))
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
        obey(lambda: rules.check_carry_over(open_ids, dict(r.carried_over)))
