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

Every step is an event on the Review (a domain event and/or ProcessStepRecorded). Query
`deadlines`: the Panel notification and the rapid review (met once done), each information
request and each recommendation (met once received or completed), and a commissioned LCSPR's due
date (met when the review closes).
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from datetime import date, datetime
from typing import Any

from temporalio import workflow
from temporalio.exceptions import ApplicationError

from workflows.common import (
    ACTIVITY,
    Deadline,
    command,
    end_of,
    record_step,
    start_of,
    until,
    wait_until,
)
from workflows.rapid_review_updates import RapidReviewUpdates, Tracked

with workflow.unsafe.imports_passed_through():
    from domain.review_values import Step as Statutory
    from workflows.activities.rapid_review import (
        PROCESS,
        Breach,
        ClockReading,
        LcsprTerms,
        RapidReviewActivities,
        ReviewClocks,
    )
    from workflows.rapid_review_types import RapidReviewInput, RapidReviewStatus

CHAIR = "sub-group chair"
LABELS = {Statutory.PANEL_NOTIFICATION: "Panel notification",
          Statutory.RAPID_REVIEW: "Rapid review"}


def rapid_review_id(review_id: str) -> str:
    """The business id: one rapid review per Review record."""
    return f"rapid-review-{review_id}"


@workflow.defn
class RapidReviewWorkflow(RapidReviewUpdates):
    """The statutory clocks and the items followed to their dates; people's actions are
    `RapidReviewUpdates`."""

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
        for deadline in Statutory:
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

    # -- the clocks ----------------------------------------------------------------------------

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
    def _done(self, deadline: Statutory) -> bool:
        if deadline == Statutory.PANEL_NOTIFICATION:
            return self.panel_notified
        return self.rapid_review_done

    async def _watch_deadline(self, deadline: Statutory) -> None:
        """Warn the chair before the deadline, record a breach when it passes, unless done."""
        due, warning_on = self._due(deadline)
        if not await self._settled_by(deadline, start_of(warning_on)):
            await self._record(f"at-risk-{deadline}", "at-risk warning",
                               {"step": str(deadline), "due": due.isoformat(), "to": CHAIR})
        if not await self._settled_by(deadline, end_of(due)):
            await self._record_breach(deadline, due)

    async def _settled_by(self, deadline: Statutory, moment: datetime) -> bool:
        """Whether the step is done (or the review closed) by `moment`; an action under way
        counts once its activity has succeeded."""
        while True:
            if not await wait_until(
                lambda: self._done(deadline) or self.closed or str(deadline) in self.pending,
                moment,
            ):
                return False
            await workflow.wait_condition(lambda: str(deadline) not in self.pending)
            if self._done(deadline) or self.closed:
                return True

    async def _record_breach(self, deadline: Statutory, due: date) -> None:
        reason = f"{LABELS[deadline]} not done by its deadline ({due})"
        try:
            await command(RapidReviewActivities.record_breach, Breach(
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

    # -- items followed to their due date ------------------------------------------------------

    def _track(self, work: Coroutine[Any, Any, None]) -> None:
        self.trackers.append(asyncio.create_task(work))

    def _follow(self, item: Tracked, key: str, step: str, details: dict[str, Any]) -> None:
        self._track(self._flag_when_overdue(item, key, step, details))

    async def _flag_when_overdue(self, item: Tracked, key: str, step: str,
                                 details: dict[str, Any]) -> None:
        """Record `step` once when the item passes its due date undone, the review open."""
        if await wait_until(lambda: item.done or self.closed, end_of(item.due_on)):
            return
        await self._record(key, step, {**details, "due_on": item.due_on.isoformat(),
                                       "to": item.party})
        item.flagged = True

    async def _follow_lcspr(self, terms: LcsprTerms) -> None:
        """Remind the chair before the LCSPR is due; record it overdue if it passes open."""
        details = {"due_on": terms.due_on.isoformat(), "to": CHAIR}
        if not await wait_until(lambda: self.closed, start_of(terms.reminder_on)):
            await self._record("lcspr-reminder", "LCSPR reminder", details)
        if not await wait_until(lambda: self.closed, end_of(terms.due_on)):
            await self._record("lcspr-overdue", "LCSPR overdue", details)
            self.lcspr_overdue = True

    # -- running activities --------------------------------------------------------------------

    async def _record(self, key: str, step: str, details: dict[str, Any]) -> None:
        """A step that changes nothing else on the record: a deadline set, a warning, a chase."""
        await record_step(self.input.review_id, key, PROCESS, step, details)
        self.history.append(f"{workflow.now().date()}: {step} {details}")

    # -- queries -------------------------------------------------------------------------------

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

    @workflow.query
    def deadlines(self) -> list[Deadline]:
        """Every date the review waits on, each met once its step is done."""
        c = self.clocks
        if c is None:
            return []
        found = [Deadline(LABELS[Statutory.PANEL_NOTIFICATION], c.panel_notification_due,
                          self.panel_notified),
                 Deadline(LABELS[Statutory.RAPID_REVIEW], c.rapid_review_due,
                          self.rapid_review_done)]
        found += [Deadline(f"information request {k}", v.due_on, v.done)
                  for k, v in self.requests.items()]
        if self.lcspr is not None:
            found.append(Deadline("LCSPR", self.lcspr.due_on, self.closed))
        found += [Deadline(f"recommendation {k}", v.due_on, v.done)
                  for k, v in self.recommendations.items()]
        return found
