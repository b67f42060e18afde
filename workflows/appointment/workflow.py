"""A Safeguarder's appointment (seed 000): from application to the end of the appointment.

One workflow per Safeguarder; each run is one term, and a re-appointment continues as new into
the next term, so the history stays bounded. Stages follow the record's status:

    applicant -> interviewed -> pre-appointment assessed -> appointed
      -> in re-appointment review -> (Ministers re-appoint) appointed, next term (new run)
                                  -> (Ministers do not) appointment ended (the workflow ends)
    a failed interview or assessment: not appointed (ends); at any time: resigned, removed (ends)

Deadlines, each from `Policy` and Scotland's working days (`AppointmentActivities.plan_term`):
- allocation of a support manager, asked of the panel team lead at appointment; a reminder when
  none arrives within `allocation_reminder` (working days);
- every appointment year: one individual support session and two sampled reports, due by the
  year's last day; the support manager is reminded `support_reminder_lead` before, unless met;
  a year that ends unmet records the shortfall and is escalated to the panel team lead. A
  session or report dated within that year and entered later, which meets the requirement after
  all, withdraws the shortfall (both stay in the history);
- the first year: a peer mentoring session due every `mentoring_interval`;
- the re-appointment review opens at the term's `review_opens_on`; the support manager's
  recommendation is due `recommendation_due_before_term_end` before the term ends, reminded
  `reminder_lead` before, escalated to the panel team lead when late;
- Ministers' decision: no deadline. A re-appointment continues as new at the term's end (after
  its last year is checked), or at once when the decision comes after the term ended.

People act by validated updates, each taking its command unchanged; each answers once its event
is on the record, and a rule the record refuses fails the update. A concern raised at any time
climbs its own escalation ladder (a child workflow, abandoned on close so that it outlives a run).

Query `deadlines` (while the record is open): the allocation (its reminder date, met once
allocated), each begun year's support due date, each first-year mentoring session and the
recommendation.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from temporalio import workflow
from temporalio.exceptions import ApplicationError

from workflows.acting import Acted, act, check_record, note, refused_rule
from workflows.common import ACTIVITY, Deadline, end_of, start_of, wait_until
from workflows.escalation.types import EscalationInput, escalation_id
from workflows.escalation.workflow import EscalationWorkflow

with workflow.unsafe.imports_passed_through():
    from domain.commands import RecordCommand
    from domain.handling import Receipt
    from domain.safeguarder_commands import (
        Allocate,
        Appoint,
        OpenReappointmentReview,
        RaiseSafeguarderConcern,
        Recommend,
        RecordAnnualShortfall,
        RecordAssessment,
        RecordInterview,
        RecordMentoringSession,
        RecordMinistersDecision,
        RecordSampledReport,
        RecordSupportSession,
        RemoveFromPanel,
        Resign,
        WithdrawAnnualShortfall,
    )
    from domain.safeguarder_values import (
        CLOSED,
        SERVING,
        Status,
        check_new_concern_id,
        check_record_open,
    )
    from workflows.appointment.activities import AppointmentActivities
    from workflows.appointment.types import (
        BY,
        NATION,
        PROCESS,
        AppointmentFacts,
        AppointmentInput,
        AppointmentState,
        AppointmentStatus,
        YearPlan,
        appointment_id,
    )

__all__ = ["AppointmentWorkflow", "appointment_id"]

PRE_APPOINTMENT = (Status.APPLICANT, Status.INTERVIEWED, Status.ASSESSED)


@dataclass(order=True)
class Item:
    """One dated point of the term's agenda; the agenda is taken in this order."""

    moment: datetime
    order: int  # at one moment: a year closes (0) before the next opens (1), then the rest (2)
    kind: str
    year: int
    on: date


def _day(moment: datetime) -> str:
    return f"{moment:%d %B %Y}".lstrip("0")


@workflow.defn
class AppointmentWorkflow:
    """The term's agenda and its timers, and people's actions as updates."""

    @workflow.init
    def __init__(self, appointment: AppointmentInput) -> None:
        # Set here, not in run: an update may arrive with the start, before run begins.
        self.s = AppointmentState(appointment.safeguarder_id, appointment.term)
        self.lock = asyncio.Lock()  # one change to the record at a time

    @workflow.run
    async def run(self, appointment: AppointmentInput) -> AppointmentStatus:
        await self._refresh()
        await self._plan()
        await workflow.wait_condition(lambda: self._stage not in PRE_APPOINTMENT)
        if self._stage in SERVING:
            if self.s.plan is None or self.s.plan.starts_on is None:
                await self._plan()
            await self._request_allocation()
            await self._serve_term()
        await workflow.wait_condition(workflow.all_handlers_finished)
        if self.s.reappointed and not self._closed():
            workflow.continue_as_new(AppointmentInput(appointment.safeguarder_id,
                                                      appointment.term + 1))
        return self.status()

    # --- what the process knows ---------------------------------------------------------------

    @property
    def _facts(self) -> AppointmentFacts:
        assert self.s.facts is not None
        return self.s.facts

    @property
    def _stage(self) -> str:
        return self.s.facts.status if self.s.facts else Status.APPLICANT

    def _closed(self) -> bool:
        return self._stage in CLOSED

    def _met(self, year: int) -> bool:
        return any(r.year == year and r.met for r in self._facts.requirements)

    async def _refresh(self) -> None:
        self.s.facts = await workflow.execute_local_activity_method(
            AppointmentActivities.read, self.s.safeguarder_id, **ACTIVITY)

    async def _plan(self) -> None:
        self.s.plan = await workflow.execute_activity_method(
            AppointmentActivities.plan_term, args=[self.s.safeguarder_id, self.s.term],
            **ACTIVITY)

    def _log(self, moment: datetime, what: str) -> None:
        self.s.history.append(f"{moment.date()}: {what}")

    async def _note(self, key: str, step: str, at: datetime, **details: Any) -> None:
        await note(PROCESS, self.s.safeguarder_id, key, step, at, details)
        self._log(at, step)

    async def _request_allocation(self) -> None:
        plan, facts = self.s.plan, self._facts
        if facts.support_manager is None and plan and plan.allocation_remind_on:
            assert facts.appointed_at is not None
            async with self.lock:
                await self._note(f"term-{self.s.term}:allocation-requested",
                                 "allocation requested", facts.appointed_at,
                                 to="panel team lead",
                                 remind_on=plan.allocation_remind_on.isoformat())

    # --- the term's agenda --------------------------------------------------------------------

    def _agenda(self) -> list[Item]:
        p = self.s.plan
        assert p is not None and p.review_opens_on and p.recommendation_due
        assert p.recommendation_reminder_on and p.allocation_remind_on
        items = [Item(end_of(p.allocation_remind_on), 2, "allocation-reminder", 0,
                      p.allocation_remind_on)]
        for y in p.years:
            items += [Item(start_of(y.starts_on), 1, "year-opens", y.year, y.starts_on),
                      Item(start_of(y.reminder_on), 2, "support-reminder", y.year, y.reminder_on),
                      Item(end_of(y.due_on), 0, "year-ends", y.year, y.due_on)]
        items += [Item(start_of(due), 2, "mentoring-due", n, due)
                  for n, due in enumerate(p.mentoring_due, start=1)]
        items += [Item(start_of(p.review_opens_on), 2, "review-opens", 0, p.review_opens_on),
                  Item(start_of(p.recommendation_reminder_on), 2, "recommendation-reminder", 0,
                       p.recommendation_reminder_on),
                  Item(end_of(p.recommendation_due), 2, "recommendation-due", 0,
                       p.recommendation_due)]
        return sorted(items)

    async def _serve_term(self) -> None:
        """Take the agenda in date order, then wait for the Ministers' decision."""
        for item in self._agenda():
            if await wait_until(self._closed, item.moment):
                return
            await self._take(item)
        await workflow.wait_condition(lambda: self.s.reappointed is not None or self._closed())

    async def _take(self, item: Item) -> None:
        steps = {"allocation-reminder": self._remind_allocation, "year-opens": self._open_year,
                 "support-reminder": self._remind_support, "year-ends": self._close_year,
                 "mentoring-due": self._mentoring_due, "review-opens": self._open_review,
                 "recommendation-reminder": self._remind_recommendation,
                 "recommendation-due": self._recommendation_due}
        try:
            async with self.lock:
                await steps[item.kind](item)
        except ApplicationError as failed:
            rule = refused_rule(failed)
            if rule is None:
                raise
            # The record moved on meanwhile (e.g. closed by an update): note it and go on.
            self._log(item.moment, f"{item.kind} refused: {rule}")

    def _year(self, year: int) -> YearPlan:
        assert self.s.plan is not None
        return next(y for y in self.s.plan.years if y.year == year)

    async def _remind_allocation(self, item: Item) -> None:
        if self._facts.support_manager is None:
            await self._note(f"term-{self.s.term}:allocation-reminder", "allocation reminder sent",
                             item.moment, to="panel team lead", allocation_due=item.on.isoformat())

    async def _open_year(self, item: Item) -> None:
        y, plan = self._year(item.year), self.s.plan
        # Due dates are set as the year begins, but never before the appointment they follow
        # (a term may start on the day it is recorded, or before).
        appointed = self._facts.appointed_at
        at = max(item.moment, appointed) if appointed is not None else item.moment
        await self._note(f"year-{y.year}:due-dates", "support due dates set", at,
                         year=y.year, support_session_due=y.due_on.isoformat(),
                         sampled_reports_due=y.due_on.isoformat(),
                         reminder_on=y.reminder_on.isoformat(), support_sessions_required=1,
                         sampled_reports_required=2)
        if y.year == 1 and plan and plan.mentoring_due:
            await self._note("year-1:mentoring-due-dates", "peer mentoring due dates set",
                             at, year=1, to="mentoring coordinator",
                             due=[d.isoformat() for d in plan.mentoring_due])

    async def _remind_support(self, item: Item) -> None:
        y = self._year(item.year)
        if not self._met(y.year):
            await self._note(f"year-{y.year}:support-reminder", "support reminder sent",
                             item.moment, to="support manager", year=y.year,
                             due_on=y.due_on.isoformat())

    async def _close_year(self, item: Item) -> None:
        """The year ended: met, or its shortfall recorded and escalated."""
        y = self._year(item.year)
        details = {"year": y.year, "due_on": y.due_on.isoformat()}
        if self._met(y.year):
            await self._note(f"year-{y.year}:closed", "annual requirement met", item.moment,
                             **details)
            return
        shortfall = RecordAnnualShortfall(record_id=self._record, year=y.year, by=BY,
                                          at=item.moment)
        await act(PROCESS, shortfall, "annual shortfall recorded", key=f"year-{y.year}:closed",
                  details=details)
        await self._refresh()
        await self._note(f"year-{y.year}:shortfall-escalated",
                         "shortfall escalated to panel team lead", item.moment,
                         to="panel team lead", year=y.year)

    async def _mentoring_due(self, item: Item) -> None:
        await self._note(f"year-1:mentoring-{item.year}-due", "peer mentoring session due",
                         item.moment, to="mentoring coordinator", session=item.year,
                         due_on=item.on.isoformat())

    async def _open_review(self, item: Item) -> None:
        p = self.s.plan
        assert p and p.recommendation_due and p.recommendation_reminder_on
        opening = OpenReappointmentReview(record_id=self._record, by=BY, at=item.moment)
        await act(PROCESS, opening, "re-appointment review opened",
                  key=f"term-{self.s.term}:review",
                  details={"recommendation_due": p.recommendation_due.isoformat(),
                           "reminder_on": p.recommendation_reminder_on.isoformat()})
        await self._refresh()
        self._log(item.moment, "re-appointment review opened")

    async def _remind_recommendation(self, item: Item) -> None:
        p = self.s.plan
        if not self._facts.recommended and self._stage == Status.IN_REVIEW and p:
            assert p.recommendation_due
            await self._note(f"term-{self.s.term}:recommendation-reminder",
                             "recommendation reminder sent", item.moment, to="support manager",
                             due_on=p.recommendation_due.isoformat())

    async def _recommendation_due(self, item: Item) -> None:
        if not self._facts.recommended and self._stage == Status.IN_REVIEW:
            await self._note(f"term-{self.s.term}:recommendation-escalated",
                             "recommendation escalated to panel team lead", item.moment,
                             to="panel team lead", due_on=item.on.isoformat())

    # --- people's actions ---------------------------------------------------------------------

    @property
    def _record(self) -> UUID:
        return UUID(self.s.safeguarder_id)

    def _check(self, c: RecordCommand) -> None:
        """What the process knows: the record is this one, and it is not closed."""
        check_record(c, self.s.safeguarder_id)
        check_record_open(Status(self._stage))

    async def _do(self, c: Any, step: str) -> Acted:
        async with self.lock:
            receipt = await act(PROCESS, c, step)
            await self._refresh()
        self._log(c.at, step)
        return Acted(f"{step[0].upper()}{step[1:]}; status: {self._stage}", receipt)

    @workflow.update
    async def record_interview(self, c: RecordInterview) -> Acted:
        return await self._do(c, "interview recorded")

    @record_interview.validator
    def _check_interview(self, c: RecordInterview) -> None:
        self._check(c)

    @workflow.update
    async def record_assessment(self, c: RecordAssessment) -> Acted:
        return await self._do(c, "pre-appointment assessment recorded")

    @record_assessment.validator
    def _check_assessment(self, c: RecordAssessment) -> None:
        self._check(c)

    @workflow.update
    async def appoint(self, c: Appoint) -> Acted:
        return await self._do(c, "appointed")

    @appoint.validator
    def _check_appoint(self, c: Appoint) -> None:
        self._check(c)

    @workflow.update
    async def allocate(self, c: Allocate) -> Acted:
        return await self._do(c, "support manager allocated")

    @allocate.validator
    def _check_allocate(self, c: Allocate) -> None:
        self._check(c)

    @workflow.update
    async def record_support_session(self, c: RecordSupportSession) -> Acted:
        done = await self._do(c, "support session recorded")
        await self._reconcile(f"support session {c.session_id}", c.at, done.receipt)
        return done

    @record_support_session.validator
    def _check_support_session(self, c: RecordSupportSession) -> None:
        self._check(c)

    @workflow.update
    async def record_sampled_report(self, c: RecordSampledReport) -> Acted:
        done = await self._do(c, "sampled report recorded")
        await self._reconcile(f"sampled report {c.report_ref}", c.at, done.receipt)
        return done

    @record_sampled_report.validator
    def _check_sampled_report(self, c: RecordSampledReport) -> None:
        self._check(c)

    async def _reconcile(self, entry: str, happened: datetime, receipt: Receipt | None) -> None:
        """A recorded shortfall whose year is now met, by facts dated within it and entered
        after it was recorded, is withdrawn, naming the late entry."""
        for year in list(self._facts.shortfalls):
            if not self._met(year) or receipt is None or receipt.recorded_at is None:
                continue
            late = (f"{entry} dated {_day(happened)}, entered on "
                    f"{_day(receipt.recorded_at)}, met year {year}'s requirement")
            withdrawal = WithdrawAnnualShortfall(record_id=self._record, year=year,
                                                 entered_late=late, by=BY,
                                                 at=receipt.recorded_at)
            async with self.lock:
                await act(PROCESS, withdrawal, "annual shortfall withdrawn",
                          key=f"year-{year}:shortfall-withdrawn", details={"year": year})
                await self._refresh()
            self._log(receipt.recorded_at, f"year {year} shortfall withdrawn: {late}")

    @workflow.update
    async def record_mentoring_session(self, c: RecordMentoringSession) -> Acted:
        return await self._do(c, "peer mentoring session recorded")

    @record_mentoring_session.validator
    def _check_mentoring(self, c: RecordMentoringSession) -> None:
        self._check(c)

    @workflow.update
    async def recommend(self, c: Recommend) -> Acted:
        return await self._do(c, "recommendation recorded")

    @recommend.validator
    def _check_recommend(self, c: Recommend) -> None:
        self._check(c)

    @workflow.update
    async def record_ministers_decision(self, c: RecordMinistersDecision) -> Acted:
        done = await self._do(c, "Ministers' decision recorded")
        self.s.reappointed = c.reappoint
        return done

    @record_ministers_decision.validator
    def _check_decision(self, c: RecordMinistersDecision) -> None:
        self._check(c)

    @workflow.update
    async def raise_concern(self, c: RaiseSafeguarderConcern) -> Acted:
        """Record the concern, then start its escalation ladder at stage 1."""
        done = await self._do(c, "concern raised")
        self.s.concerns.append(c.concern_id)
        record = self.s.safeguarder_id
        await workflow.start_child_workflow(
            EscalationWorkflow.run,
            EscalationInput(record, "safeguarder-concern", c.concern_id, NATION, c.at),
            id=escalation_id(record, c.concern_id),
            parent_close_policy=workflow.ParentClosePolicy.ABANDON)
        return Acted(f"Concern {c.concern_id} raised and escalated to stage 1", done.receipt)

    @raise_concern.validator
    def _check_concern(self, c: RaiseSafeguarderConcern) -> None:
        self._check(c)
        check_new_concern_id(c.concern_id, self.s.concerns)

    @workflow.update
    async def resign(self, c: Resign) -> Acted:
        return await self._do(c, "resigned")

    @resign.validator
    def _check_resign(self, c: Resign) -> None:
        self._check(c)

    @workflow.update
    async def remove(self, c: RemoveFromPanel) -> Acted:
        return await self._do(c, "removed")

    @remove.validator
    def _check_remove(self, c: RemoveFromPanel) -> None:
        self._check(c)

    # --- queries ------------------------------------------------------------------------------

    @workflow.query
    def status(self) -> AppointmentStatus:
        p, facts = self.s.plan, self.s.facts
        return AppointmentStatus(
            self.s.term, str(self._stage), facts.support_manager if facts else None,
            p.starts_on if p else None, p.ends_on if p else None,
            p.review_opens_on if p else None, p.recommendation_due if p else None,
            list(facts.shortfalls) if facts else [], bool(facts and facts.recommended),
            self.s.reappointed, list(self.s.concerns), list(self.s.history))

    @workflow.query
    def deadlines(self) -> list[Deadline]:
        """The dates the open record waits on: allocation, each begun year, each first-year
        mentoring session, the recommendation."""
        p, facts, today = self.s.plan, self.s.facts, workflow.now().date()
        if self._closed() or p is None or p.starts_on is None or facts is None:
            return []
        found = []
        if p.allocation_remind_on is not None:
            found.append(Deadline("support manager allocation", p.allocation_remind_on,
                                  facts.support_manager is not None))
        found += [Deadline(f"support year {y.year}", y.due_on, self._met(y.year))
                  for y in p.years if y.starts_on <= today]
        found += [Deadline(f"peer mentoring session {n}", due, facts.mentoring_sessions >= n)
                  for n, due in enumerate(p.mentoring_due, start=1)]
        if p.recommendation_due is not None and p.review_opens_on and p.review_opens_on <= today:
            found.append(Deadline("recommendation", p.recommendation_due, facts.recommended))
        return found
