"""Rapid review of a serious incident: from notification to the closed review (Working Together
2018, chapter 4; the partnership's Practice Review sub-group, seed 004).

Started once `Review.refer` has recorded the serious incident; the Referred event holds the two
statutory deadlines, counted in working days of the incident's nation from the day the
partnership became aware (`Policy.panel_notification`, 5; `Policy.rapid_review`, 15).

States (`status().state`):
- "rapid review": the Panel notification and the rapid review are due. The sub-group chair is
  warned `Policy.at_risk_warning` (2 working days) before each deadline whose step is not done;
  a deadline that passes with its step not done is a breach, dated when it passed. A step done
  late needs a reason (the record's rule, judged on the step's own date). A step entered after
  its breach was recorded, but dated within its deadline, withdraws the breach, naming the late
  entry; both stay in the history. Agency information requests are chased once when overdue.
- "awaiting LCSPR decision": the rapid review is done; the Panel's response and the decision.
- "LCSPR commissioned": the LCSPR is due on the date stored on LcsprDecided
  (`Policy.lcspr_completion`); a reminder `Policy.reminder_lead` before it, an "LCSPR overdue"
  step if it passes with the review open. Each recommendation overdue gets a step.
- "LCSPR not commissioned": recommendations (if any) are followed the same way.
- "closed": every open recommendation carried over with a reason; the workflow ends.

Every step is an event on the Review (a domain event and/or ProcessStepRecorded). Query
`deadlines`: the Panel notification and the rapid review (met once done), each information
request and each recommendation (met once received or completed), and a commissioned LCSPR's due
date (met when the review closes).
"""

from __future__ import annotations

import asyncio
from datetime import date, datetime
from typing import Any
from uuid import UUID

from temporalio import workflow
from temporalio.exceptions import ApplicationError

from workflows.acting import Acted, act, check_record, note, refused_rule
from workflows.common import (ACTIVITY, Deadline, Trackers, end_of, require, start_of,
                              wait_until)

with workflow.unsafe.imports_passed_through():
    from domain.handling import Receipt
    from domain.review_commands import (
        AddRecommendation,
        CloseReview,
        CompleteRapidReview,
        CompleteRecommendation,
        DecideLcspr,
        NotifyPanel,
        ReceiveAgencyInformation,
        RecordBreach,
        RecordPanelResponse,
        RequestAgencyInformation,
        WithdrawBreach,
    )
    from domain.review_values import Step as Statutory
    from domain.review_values import check_review_open
    from workflows.rapid_review.activities import RapidReviewActivities
    from workflows.rapid_review.types import (
        BY,
        CHAIR,
        PROCESS,
        LcsprTerms,
        RapidReviewInput,
        RapidReviewState,
        RapidReviewStatus,
        Tracked,
        rapid_review_id,
    )

__all__ = ["RapidReviewWorkflow", "rapid_review_id"]

LABELS = {Statutory.PANEL_NOTIFICATION: "Panel notification",
          Statutory.RAPID_REVIEW: "Rapid review"}


def _day(moment: date) -> str:
    """A date as people write it: 23 December 2026."""
    return f"{moment:%d %B %Y}".lstrip("0")


@workflow.defn
class RapidReviewWorkflow:
    """The statutory clocks and the items followed to their dates, and people's actions."""

    @workflow.init
    def __init__(self, review: RapidReviewInput) -> None:
        self.s = RapidReviewState(review.review_id)
        self.lock = asyncio.Lock()  # one change to the review at a time
        self.trackers = Trackers()

    @workflow.run
    async def run(self, review: RapidReviewInput) -> RapidReviewStatus:
        await self._start_clocks()
        for deadline in Statutory:
            self.trackers.start(self._watch_deadline(deadline))
        await self.trackers.wait_until(lambda: self.s.rapid_review_done or self.s.closed)
        self.s.state = "awaiting LCSPR decision"
        await self.trackers.wait_until(lambda: self.s.decided or self.s.closed)
        if not self.s.closed:
            self.s.state = "LCSPR commissioned" if self.s.lcspr else "LCSPR not commissioned"
        if self.s.lcspr is not None:
            self.trackers.start(self._follow_lcspr(self.s.lcspr))
        await self.trackers.wait_until(
            lambda: self.s.closed and workflow.all_handlers_finished())
        await self.trackers.finish()
        return self.status()

    @property
    def _review(self) -> UUID:
        return UUID(self.s.review_id)

    def _log(self, what: str) -> None:
        self.s.history.append(what)

    # -- the clocks ----------------------------------------------------------------------------

    async def _start_clocks(self) -> None:
        """Read the deadlines stored at referral and record them, dated at the referral."""
        clocks = await workflow.execute_activity_method(
            RapidReviewActivities.read_clocks, self.s.review_id, **ACTIVITY)
        self.s.clocks = clocks
        await self._note("deadlines-set", "deadlines set", clocks.opened_at, {
            "nation": clocks.nation,
            "became_aware_on": clocks.became_aware_on.isoformat(),
            "panel_notification_due": clocks.panel_notification_due.isoformat(),
            "rapid_review_due": clocks.rapid_review_due.isoformat(),
            "panel_notification_warning_on": clocks.panel_notification_warning_on.isoformat(),
            "rapid_review_warning_on": clocks.rapid_review_warning_on.isoformat(),
        })
        self.s.state = "rapid review"

    def _due(self, deadline: Statutory) -> tuple[date, date]:
        """The deadline's due date and its at-risk warning date."""
        c = self.s.clocks
        assert c is not None
        if deadline == Statutory.PANEL_NOTIFICATION:
            return c.panel_notification_due, c.panel_notification_warning_on
        return c.rapid_review_due, c.rapid_review_warning_on

    def _done(self, deadline: Statutory) -> bool:
        if deadline == Statutory.PANEL_NOTIFICATION:
            return self.s.panel_notified
        return self.s.rapid_review_done

    async def _watch_deadline(self, deadline: Statutory) -> None:
        """Warn the chair before the deadline, record a breach when it passes, unless done.

        A referral may reach the sub-group after a deadline has passed: then there is no
        warning, and the breach is recorded at once."""
        due, warning_on = self._due(deadline)
        passed_at_referral = end_of(due) <= self._opened_at
        if not passed_at_referral and not await self._settled_by(deadline, start_of(warning_on)):
            await self._note(f"at-risk-{deadline}", "at-risk warning", start_of(warning_on),
                             {"step": str(deadline), "due": due.isoformat(), "to": CHAIR})
        if not await self._settled_by(deadline, end_of(due)):
            await self._record_breach(deadline, due)

    async def _settled_by(self, deadline: Statutory, moment: datetime) -> bool:
        """Whether the step is done (or the review closed) by `moment`; an action under way
        counts once its activity has succeeded."""
        while True:
            if not await wait_until(
                lambda: self._done(deadline) or self.s.closed or deadline in self.s.pending,
                moment,
            ):
                return False
            await workflow.wait_condition(lambda: deadline not in self.s.pending)
            if self._done(deadline) or self.s.closed:
                return True

    async def _record_breach(self, deadline: Statutory, due: date) -> None:
        reason = f"{LABELS[deadline]} not done by its deadline ({due})"
        breach = RecordBreach(record_id=self._review, step=deadline, reason=reason, by=BY,
                              at=self._dated(end_of(due)))
        async with self.lock:
            try:
                await act(PROCESS, breach, "deadline breached", key=f"breach-{deadline}",
                          details={"step": str(deadline)})
            except ApplicationError as failed:
                rule = refused_rule(failed)
                if rule is None:
                    raise
                # e.g. the step was done in the same instant as the deadline passed
                self._log(f"breach of {deadline} not recorded: {rule}")
                return
        if deadline not in self.s.breaches:
            self.s.breaches.append(deadline)
        self._log(f"breach recorded: {reason}")

    async def _reconcile(self, deadline: Statutory, happened: datetime,
                         receipt: Receipt | None) -> None:
        """A step entered after its breach was recorded, but dated within its deadline,
        withdraws the breach, naming the late entry."""
        due, _ = self._due(deadline)
        if (deadline not in self.s.breaches or happened.date() > due or receipt is None
                or receipt.recorded_at is None):
            return
        late = (f"{LABELS[deadline]} dated {_day(happened)}, within its deadline of "
                f"{_day(due)}, entered on {_day(receipt.recorded_at)}")
        withdrawal = WithdrawBreach(record_id=self._review, step=deadline, entered_late=late,
                                    by=BY, at=receipt.recorded_at)
        async with self.lock:
            await act(PROCESS, withdrawal, "breach withdrawn", key=f"breach-{deadline}-withdrawn",
                      details={"step": str(deadline)})
        self.s.breaches.remove(deadline)
        self.s.withdrawn.append(deadline)
        self._log(f"breach withdrawn: {late}")

    # -- items followed to their due date ------------------------------------------------------

    def _follow(self, item: Tracked, key: str, step: str, details: dict[str, Any]) -> None:
        self.trackers.start(self._flag_when_overdue(item, key, step, details))

    async def _flag_when_overdue(self, item: Tracked, key: str, step: str,
                                 details: dict[str, Any]) -> None:
        """Record `step` once when the item passes its due date undone, the review open."""
        if await wait_until(lambda: item.done or self.s.closed, end_of(item.due_on)):
            return
        await self._note(key, step, end_of(item.due_on),
                         {**details, "due_on": item.due_on.isoformat(), "to": item.party})
        item.flagged = True

    async def _follow_lcspr(self, terms: LcsprTerms) -> None:
        """Remind the chair before the LCSPR is due; record it overdue if it passes open."""
        details = {"due_on": terms.due_on.isoformat(), "to": CHAIR}
        if not await wait_until(lambda: self.s.closed, start_of(terms.reminder_on)):
            await self._note("lcspr-reminder", "LCSPR reminder", start_of(terms.reminder_on),
                             details)
        if not await wait_until(lambda: self.s.closed, end_of(terms.due_on)):
            await self._note("lcspr-overdue", "LCSPR overdue", end_of(terms.due_on), details)
            self.s.lcspr_overdue = True

    @property
    def _opened_at(self) -> datetime:
        assert self.s.clocks is not None
        return self.s.clocks.opened_at

    def _dated(self, fell_due: datetime) -> datetime:
        """When a process's fact is dated: when it fell due, or at the referral if it fell due
        before the review was opened (a record holds nothing from before it began; the due
        date is named in the fact itself)."""
        return max(fell_due, self._opened_at)

    async def _note(self, key: str, step: str, at: datetime, details: dict[str, Any]) -> None:
        """A step that changes nothing else on the record: a deadline set, a warning, a chase."""
        at = self._dated(at)
        async with self.lock:
            await note(PROCESS, self.s.review_id, key, step, at, details)
        self._log(f"{at.date()}: {step} {details}")

    # -- people's actions ----------------------------------------------------------------------

    def _check(self, c: Any, pending: str | None = None) -> None:
        """What the process knows: this record, not closed, not under way."""
        check_record(c, self.s.review_id)
        check_review_open(self.s.closed)
        require("close" not in self.s.pending, "The review is being closed: it takes no "
                "further commands")
        require(pending is None or pending not in self.s.pending,
                "The same action is already under way on this review")

    async def _do(self, key: str, c: Any, step: str) -> Receipt:
        """Run a person's command with `key` marked under way, so no second one is accepted
        and a deadline's watcher waits for it."""
        self.s.pending.append(key)
        try:
            # An action may arrive with the start, before the clocks are read: it waits for them.
            await workflow.wait_condition(lambda: self.s.clocks is not None)
            async with self.lock:
                return await act(PROCESS, c, step)
        finally:
            self.s.pending.remove(key)

    @workflow.update
    async def request_agency_information(self, c: RequestAgencyInformation) -> Acted:
        """Ask an agency for information by a date; it is chased once if overdue."""
        receipt = await self._do(f"request:{c.request_id}", c, "information requested")
        item = self.s.requests[c.request_id] = Tracked(c.agency, c.due_on)
        self._follow(item, f"information-chased-{c.request_id}", "information chased",
                     {"request_id": c.request_id})
        return Acted(f"Information {c.request_id} requested from {c.agency}, due {c.due_on}",
                     receipt)

    @request_agency_information.validator
    def _check_request(self, c: RequestAgencyInformation) -> None:
        self._check(c, f"request:{c.request_id}")

    @workflow.update
    async def receive_agency_information(self, c: ReceiveAgencyInformation) -> Acted:
        receipt = await self._do(f"received:{c.request_id}", c, "information received")
        if c.request_id in self.s.requests:
            self.s.requests[c.request_id].done = True
        return Acted(f"Information {c.request_id} received", receipt)

    @receive_agency_information.validator
    def _check_receive(self, c: ReceiveAgencyInformation) -> None:
        self._check(c, f"received:{c.request_id}")

    @workflow.update
    async def notify_panel(self, c: NotifyPanel) -> Acted:
        """Record the Panel notification; late, it carries its reason and counts as a breach."""
        step = Statutory.PANEL_NOTIFICATION
        receipt = await self._statutory(step, c, "panel notified")
        await self._reconcile(step, c.at, receipt)
        late = c.late_reason is not None
        return Acted("Panel notified late; the delay's reason is recorded" if late
                     else "Panel notified", receipt)

    @notify_panel.validator
    def _check_notify(self, c: NotifyPanel) -> None:
        self._check(c, Statutory.PANEL_NOTIFICATION)

    @workflow.update
    async def complete_rapid_review(self, c: CompleteRapidReview) -> Acted:
        """Record the rapid review's findings, learning and recommendation on an LCSPR."""
        step = Statutory.RAPID_REVIEW
        receipt = await self._statutory(step, c, "rapid review completed")
        await self._reconcile(step, c.at, receipt)
        late = c.late_reason is not None
        return Acted("Rapid review completed late; the delay's reason is recorded" if late
                     else "Rapid review completed", receipt)

    @complete_rapid_review.validator
    def _check_complete(self, c: CompleteRapidReview) -> None:
        self._check(c, Statutory.RAPID_REVIEW)

    async def _statutory(self, step: Statutory, c: Any, done: str) -> Receipt:
        receipt = await self._do(step, c, done)
        if step == Statutory.PANEL_NOTIFICATION:
            self.s.panel_notified = True
        else:
            self.s.rapid_review_done = True
        if c.late_reason is not None and step not in self.s.breaches:
            self.s.breaches.append(step)
        return receipt

    @workflow.update
    async def record_panel_response(self, c: RecordPanelResponse) -> Acted:
        receipt = await self._do("panel_response", c, "panel response recorded")
        self.s.panel_response = True
        return Acted("The Panel's response is recorded", receipt)

    @record_panel_response.validator
    def _check_response(self, c: RecordPanelResponse) -> None:
        self._check(c, "panel_response")

    @workflow.update
    async def decide_lcspr(self, c: DecideLcspr) -> Acted:
        """Decide on an LCSPR; a commissioned one is followed to its due date."""
        receipt = await self._do("lcspr", c, "LCSPR decided")
        terms: LcsprTerms | None = await workflow.execute_activity_method(
            RapidReviewActivities.lcspr_terms, self.s.review_id, **ACTIVITY)
        self.s.lcspr, self.s.decided = terms, True
        if terms is None:
            return Acted("No LCSPR commissioned", receipt)
        self._log(f"LCSPR due {terms.due_on}, reminder on {terms.reminder_on}")
        return Acted(f"LCSPR commissioned, due {terms.due_on}", receipt)

    @decide_lcspr.validator
    def _check_decide(self, c: DecideLcspr) -> None:
        self._check(c, "lcspr")

    @workflow.update
    async def add_recommendation(self, c: AddRecommendation) -> Acted:
        """Add a recommendation; it is followed to completion and flagged once if overdue."""
        receipt = await self._do(f"recommendation:{c.recommendation_id}", c,
                                 "recommendation added")
        item = self.s.recommendations[c.recommendation_id] = Tracked(c.owner_agency, c.due_on)
        self._follow(item, f"recommendation-overdue-{c.recommendation_id}",
                     "recommendation overdue", {"recommendation_id": c.recommendation_id})
        return Acted(f"Recommendation {c.recommendation_id} added, due {c.due_on}", receipt)

    @add_recommendation.validator
    def _check_add(self, c: AddRecommendation) -> None:
        self._check(c, f"recommendation:{c.recommendation_id}")

    @workflow.update
    async def complete_recommendation(self, c: CompleteRecommendation) -> Acted:
        receipt = await self._do(f"completed:{c.recommendation_id}", c,
                                 "recommendation completed")
        if c.recommendation_id in self.s.recommendations:
            self.s.recommendations[c.recommendation_id].done = True
        return Acted(f"Recommendation {c.recommendation_id} completed", receipt)

    @complete_recommendation.validator
    def _check_complete_recommendation(self, c: CompleteRecommendation) -> None:
        self._check(c, f"completed:{c.recommendation_id}")

    @workflow.update
    async def close(self, c: CloseReview) -> Acted:
        """Close the review (open recommendations carried over with reasons); the run ends."""
        receipt = await self._do("close", c, "review closed")
        self.s.closed, self.s.state = True, "closed"
        carried = (f", {len(c.carried_over)} recommendation(s) carried over"
                   if c.carried_over else "")
        return Acted(f"Review closed{carried}", receipt)

    @close.validator
    def _check_close(self, c: CloseReview) -> None:
        self._check(c, "close")

    # -- queries -------------------------------------------------------------------------------

    @workflow.query
    def status(self) -> RapidReviewStatus:
        s, c = self.s, self.s.clocks
        return RapidReviewStatus(
            state=s.state, nation=c.nation if c else None,
            panel_notification_due=c.panel_notification_due if c else None,
            rapid_review_due=c.rapid_review_due if c else None,
            panel_notified=s.panel_notified, rapid_review_completed=s.rapid_review_done,
            breaches=list(s.breaches), withdrawn_breaches=list(s.withdrawn),
            outstanding_requests=[k for k, v in s.requests.items() if not v.done],
            chased_requests=[k for k, v in s.requests.items() if v.flagged],
            panel_response_recorded=s.panel_response,
            lcspr_commissioned=(s.lcspr is not None) if s.decided else None,
            lcspr_due=s.lcspr.due_on if s.lcspr else None, lcspr_overdue=s.lcspr_overdue,
            open_recommendations=[k for k, v in s.recommendations.items() if not v.done],
            overdue_recommendations=[k for k, v in s.recommendations.items() if v.flagged],
            closed=s.closed, history=list(s.history),
        )

    @workflow.query
    def deadlines(self) -> list[Deadline]:
        """Every date the review waits on, each met once its step is done."""
        s, c = self.s, self.s.clocks
        if c is None:
            return []
        found = [Deadline(LABELS[Statutory.PANEL_NOTIFICATION], c.panel_notification_due,
                          s.panel_notified),
                 Deadline(LABELS[Statutory.RAPID_REVIEW], c.rapid_review_due,
                          s.rapid_review_done)]
        found += [Deadline(f"information request {k}", v.due_on, v.done)
                  for k, v in s.requests.items()]
        if s.lcspr is not None:
            found.append(Deadline("LCSPR", s.lcspr.due_on, s.closed))
        found += [Deadline(f"recommendation {k}", v.due_on, v.done)
                  for k, v in s.recommendations.items()]
        return found
