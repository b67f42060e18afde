"""A Safeguarder's appointment (seed 000): from application to the end of the appointment.

One workflow per Safeguarder; each run is one term, and a re-appointment continues as new into
the next term, so the history stays bounded. Stages follow the record's status:

    applicant -> interviewed -> pre-appointment assessed -> appointed
      -> in re-appointment review -> (Ministers re-appoint) appointed, next term (new run)
                                  -> (Ministers do not) appointment ended (the workflow ends)
    a failed interview or assessment: not appointed (ends); at any time: resigned, removed (ends)

Deadlines, each from `Policy` and Scotland's working days (computed by `plan_term`):
- allocation of a support manager, asked of the panel team lead at appointment; a reminder when
  none arrives within `allocation_reminder` (working days);
- every appointment year: one individual support session and two sampled reports, due by the
  year's last day; the support manager is reminded `support_reminder_lead` before, unless met;
  a year that ends unmet records the shortfall and is escalated to the panel team lead;
- the first year: a peer mentoring session due every `mentoring_interval`;
- the re-appointment review opens at the term's `review_opens_on`; the support manager's
  recommendation is due `recommendation_due_before_term_end` before the term ends, reminded
  `reminder_lead` before, escalated to the panel team lead when late;
- Ministers' decision: no deadline. A re-appointment continues as new at the term's end (after
  its last year is checked), or at once when the decision comes after the term ended.

A concern raised at any time is recorded and climbs its own escalation ladder (child workflow,
abandoned on close so that it outlives a run). People act by validated updates; each answers
once its event is on the record, and a rule the record refuses fails the update.

Query `deadlines` (while the record is open): the support manager's allocation (its reminder
date, met once allocated), each begun year's support due date (met once its session and two
sampled reports are recorded) and the recommendation due (met once recommended).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from temporalio import workflow
from temporalio.exceptions import ActivityError

from workflows.appointment_updates import AppointmentUpdates
from workflows.common import (
    ACTIVITY,
    Deadline,
    broken_rule,
    end_of,
    record_step,
    start_of,
    wait_until,
)

with workflow.unsafe.imports_passed_through():
    from domain.safeguarder_values import SERVING, Status
    from workflows.activities.appointment import (
        PROCESS,
        AllocationRequest,
        AppointmentActivities,
        ReviewOpening,
        TermPlan,
        TermQuery,
        YearCheck,
        YearPlan,
    )
    from workflows.appointment_types import NATION, AppointmentInput, AppointmentStatus

PRE_APPOINTMENT = (Status.APPLICANT, Status.INTERVIEWED, Status.ASSESSED)


def appointment_id(safeguarder_id: str) -> str:
    """The business id: one appointment workflow per Safeguarder (its runs are its terms)."""
    return f"appointment-{safeguarder_id}"


@dataclass(order=True)
class Item:
    """One dated point of the term's agenda; the agenda is taken in this order."""

    moment: datetime
    order: int  # at one moment: a year closes (0) before the next opens (1), then the rest (2)
    kind: str
    year: int
    on: date


@workflow.defn
class AppointmentWorkflow(AppointmentUpdates):
    """The term's agenda and its timers; people's actions are `AppointmentUpdates`."""

    @workflow.init
    def __init__(self, appointment: AppointmentInput) -> None:
        # Set here, not in run: an update may arrive with the start, before run begins.
        self.input = appointment
        self.plan: TermPlan | None = None
        self.stage: str = Status.APPLICANT
        self.support_manager: str | None = None
        self.allocation_remind_on: date | None = None
        self.unmet: list[int] = []
        self.met: list[int] = []  # appointment years whose requirement is met
        self.recommended = False
        self.reappointed: bool | None = None
        self.concerns: list[str] = []
        self.history: list[str] = []
        self.lock = asyncio.Lock()  # one change to the record at a time

    @workflow.run
    async def run(self, appointment: AppointmentInput) -> AppointmentStatus:
        await self._plan()
        await workflow.wait_condition(lambda: self.stage not in PRE_APPOINTMENT)
        if self.stage in SERVING:
            if self.plan is None or self.plan.starts_on is None:
                await self._plan()
            if self.support_manager is None:
                await self._request_allocation()
            await self._serve_term()
        await workflow.wait_condition(workflow.all_handlers_finished)
        if self.reappointed and not self._closed():
            workflow.continue_as_new(AppointmentInput(appointment.safeguarder_id,
                                                      appointment.term + 1))
        return self.status()

    # --- activities ---------------------------------------------------------------------------

    async def _plan(self) -> None:
        plan = await workflow.execute_activity_method(
            AppointmentActivities.plan_term,
            TermQuery(self.input.safeguarder_id, self.input.term, NATION, workflow.now().date()),
            **ACTIVITY)
        self.plan, self.stage, self.support_manager = plan, plan.status, plan.support_manager
        self.unmet, self.recommended = list(plan.unmet_years), plan.recommended
        self.met = list(plan.met_years)

    async def _step(self, key: str, step: str, details: dict[str, Any]) -> None:
        """Record a step that changes nothing else on the record (a deadline, a reminder)."""
        await record_step(self.input.safeguarder_id, key, PROCESS, step, details)
        self.history.append(f"{workflow.now().date()}: {step}")
    async def _request_allocation(self) -> None:
        me, today = workflow.info().workflow_id, workflow.now().date()
        async with self.lock:  # an allocation may be arriving by update meanwhile
            self.allocation_remind_on = await workflow.execute_activity_method(
                AppointmentActivities.request_allocation,
                AllocationRequest(self.input.safeguarder_id,
                                  f"{me}:term-{self.input.term}:allocation-requested", today,
                                  NATION, workflow.now()),
                **ACTIVITY)
        self.history.append(f"{today}: allocation requested of the panel team lead")

    # --- the term's agenda --------------------------------------------------------------------

    def _agenda(self) -> list[Item]:
        assert self.plan is not None and self.plan.ends_on is not None
        p, items = self.plan, []
        if self.allocation_remind_on is not None:
            on = self.allocation_remind_on
            items.append(Item(end_of(on), 2, "allocation-reminder", 0, on))
        for y in p.years:
            items += [Item(start_of(y.starts_on), 1, "year-opens", y.year, y.starts_on),
                      Item(start_of(y.reminder_on), 2, "support-reminder", y.year, y.reminder_on),
                      Item(end_of(y.due_on), 0, "year-ends", y.year, y.due_on)]
        items += [Item(start_of(due), 2, "mentoring-due", n, due)
                  for n, due in enumerate(p.mentoring_due, start=1)]
        assert p.review_opens_on and p.recommendation_due and p.recommendation_reminder_on
        items += [Item(start_of(p.review_opens_on), 2, "review-opens", 0, p.review_opens_on),
                  Item(start_of(p.recommendation_reminder_on), 2, "recommendation-reminder", 0,
                       p.recommendation_reminder_on),
                  Item(end_of(p.recommendation_due), 2, "recommendation-due", 0,
                       p.recommendation_due)]
        return sorted(items)

    async def _serve_term(self) -> None:
        """Take the agenda in date order, then wait for the Ministers' decision."""
        for item in self._agenda():
            if not await self._reach(item.moment):
                return
            await self._take(item)
        await workflow.wait_condition(lambda: self.reappointed is not None or self._closed())

    async def _reach(self, moment: datetime) -> bool:
        """Let time run until `moment`; False if the record closed meanwhile."""
        return not await wait_until(self._closed, moment)

    async def _take(self, item: Item) -> None:
        steps = {"allocation-reminder": self._remind_allocation, "year-opens": self._open_year,
                 "support-reminder": self._remind_support, "year-ends": self._close_year,
                 "mentoring-due": self._mentoring_due, "review-opens": self._open_review,
                 "recommendation-reminder": self._remind_recommendation,
                 "recommendation-due": self._recommendation_due}
        try:
            async with self.lock:
                await steps[item.kind](item)
        except ActivityError as failed:
            rule = broken_rule(failed)
            if rule is None:
                raise
            # The record moved on meanwhile (e.g. closed by an update): note it and go on.
            self.history.append(f"{workflow.now().date()}: {item.kind} refused: {rule}")

    def _year(self, year: int) -> YearPlan:
        assert self.plan is not None
        return next(y for y in self.plan.years if y.year == year)

    async def _remind_allocation(self, item: Item) -> None:
        if self.support_manager is None:
            await self._step(f"term-{self.input.term}:allocation-reminder",
                             "allocation reminder sent",
                             {"to": "panel team lead", "allocation_due": item.on.isoformat()})

    async def _open_year(self, item: Item) -> None:
        y = self._year(item.year)
        await self._step(f"year-{y.year}:due-dates", "support due dates set",
                         {"year": y.year, "support_session_due": y.due_on.isoformat(),
                          "sampled_reports_due": y.due_on.isoformat(),
                          "reminder_on": y.reminder_on.isoformat(),
                          "support_sessions_required": 1, "sampled_reports_required": 2})
        if y.year == 1 and self.plan and self.plan.mentoring_due:
            await self._step("year-1:mentoring-due-dates", "peer mentoring due dates set",
                             {"year": 1, "due": [d.isoformat() for d in self.plan.mentoring_due],
                              "to": "mentoring coordinator"})

    async def _remind_support(self, item: Item) -> None:
        me, y = workflow.info().workflow_id, self._year(item.year)
        reminded = await workflow.execute_activity_method(
            AppointmentActivities.remind_of_support,
            YearCheck(self.input.safeguarder_id, f"{me}:year-{y.year}:support-reminder", y.year,
                      y.due_on, workflow.now()),
            **ACTIVITY)
        if reminded:
            self.history.append(f"{workflow.now().date()}: support reminder sent (year {y.year})")

    async def _close_year(self, item: Item) -> None:
        me, y = workflow.info().workflow_id, self._year(item.year)
        outcome = await workflow.execute_activity_method(
            AppointmentActivities.close_year,
            YearCheck(self.input.safeguarder_id, f"{me}:year-{y.year}:closed", y.year, y.due_on,
                      workflow.now()),
            **ACTIVITY)
        if outcome.met:
            self.met = sorted({*self.met, y.year})
            self.history.append(f"{workflow.now().date()}: year {y.year} requirement met")
            return
        self.unmet.append(y.year)
        await self._step(f"year-{y.year}:shortfall-escalated",
                         "shortfall escalated to panel team lead",
                         {"to": "panel team lead", "year": y.year, "sessions": outcome.sessions,
                          "sampled_reports": outcome.sampled_reports})

    async def _mentoring_due(self, item: Item) -> None:
        await self._step(f"year-1:mentoring-{item.year}-due", "peer mentoring session due",
                         {"to": "mentoring coordinator", "session": item.year,
                          "due_on": item.on.isoformat()})

    async def _open_review(self, item: Item) -> None:
        assert self.plan and self.plan.recommendation_due and self.plan.recommendation_reminder_on
        me = workflow.info().workflow_id
        await workflow.execute_activity_method(
            AppointmentActivities.open_review,
            ReviewOpening(self.input.safeguarder_id, f"{me}:term-{self.input.term}:review",
                          self.plan.recommendation_due, self.plan.recommendation_reminder_on,
                          workflow.now()),
            **ACTIVITY)
        self.stage = Status.IN_REVIEW
        self.history.append(f"{workflow.now().date()}: re-appointment review opened")

    async def _remind_recommendation(self, item: Item) -> None:
        if not self.recommended and self.stage == Status.IN_REVIEW:
            assert self.plan and self.plan.recommendation_due
            await self._step(f"term-{self.input.term}:recommendation-reminder",
                             "recommendation reminder sent",
                             {"to": "support manager",
                              "due_on": self.plan.recommendation_due.isoformat()})

    async def _recommendation_due(self, item: Item) -> None:
        if not self.recommended and self.stage == Status.IN_REVIEW:
            await self._step(f"term-{self.input.term}:recommendation-escalated",
                             "recommendation escalated to panel team lead",
                             {"to": "panel team lead", "due_on": item.on.isoformat()})

    # --- query --------------------------------------------------------------------------------

    @workflow.query
    def status(self) -> AppointmentStatus:
        p = self.plan
        return AppointmentStatus(
            self.input.term, str(self.stage), self.support_manager,
            p.starts_on if p else None, p.ends_on if p else None,
            p.review_opens_on if p else None, p.recommendation_due if p else None,
            list(self.unmet), self.recommended, self.reappointed, list(self.concerns),
            list(self.history))

    @workflow.query
    def deadlines(self) -> list[Deadline]:
        """The dates the open record waits on: allocation, each begun year, recommendation."""
        p, today = self.plan, workflow.now().date()
        if self._closed() or p is None or p.starts_on is None:
            return []
        found = []
        if self.allocation_remind_on is not None:
            found.append(Deadline("support manager allocation", self.allocation_remind_on,
                                  self.support_manager is not None))
        found += [Deadline(f"support year {y.year}", y.due_on, y.year in self.met)
                  for y in p.years if y.starts_on <= today]
        if p.recommendation_due is not None:
            found.append(Deadline("recommendation", p.recommendation_due, self.recommended))
        return found
