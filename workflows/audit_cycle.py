"""Multi-agency audit cycle (seeds 003 and 004): one a year, started by a yearly schedule.

Stages (`status().stage`), what each waits for and until when:
- planned: `Planned` (the plan review falls due `audit_plan_review`, 6 months, later).
- cases selected: `CasesSelectedAtRandom` (with its recorded seed) or `CasesSelectedByRisk`,
  from the open cases; a refusal (too few cases) is recorded and fails the run.
- returns requested: every agency's return (update `submit_return`), until the start of
  `reminder_lead` (5 working days) before the returns due date; then a step "return reminder
  sent" per outstanding agency; until the end of the due date, then `ReturnChased` per
  outstanding agency; until the end of `audit_non_compliance` (10 working days) after it, then
  `NonComplianceEscalated` to the Safeguarding Operational Sub-Group.
- moderated, findings recorded, reported, actions agreed, closed: updates `moderate`,
  `record_findings`, `report`, `agree_actions`, `close`, in that order, each its event.
- throughout: update `review_plan` records `PlanReviewed` and the next review's date; at the
  start of the stored `plan_review_due` without a review, a step "plan review due" (to the
  sub-group chair).

Working days count in the input's nation (an audit record has none; England by default, seed 004).
Workflow id `audit-cycle-<year>`; runs the schedule starts are `audit-cycle-<scheduled ISO time>`,
which begins with the year too (workflows/audit_schedule.py). The audit record is planned under the
reference `audit-cycle-<year>`, its natural id (`AuditRecord.create_id`): one audit a year.
Query `deadlines`: the returns due (met when every return is submitted or escalated) and each plan
review due (met once reviewed; the pending one until the audit closes).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from temporalio import workflow
from temporalio.exceptions import ActivityError

from workflows.audit_cycle_updates import AuditCycleUpdates
from workflows.common import (
    ACTIVITY,
    Deadline,
    command,
    end_of,
    record_step,
    rule_of,
    start_of,
    wait_until,
)

with workflow.unsafe.imports_passed_through():
    from domain.audit_values import AuditStage
    from domain.policy import add_months
    from workflows.activities.audit_cycle import (
        PROCESS,
        AgencyStep,
        AuditCycleActivities,
        AuditPlan,
        ReturnsRequest,
        Selection,
    )
    from workflows.audit_cycle_types import AuditCycleInput, AuditCycleStatus, audit_cycle_id

__all__ = ["AuditCycleWorkflow", "audit_cycle_id"]  # the business id, as for every workflow


def next_occurrence(day: date, today: date) -> date:
    """`day`'s month and day in the first year in which it is still to come."""
    moved = add_months(day, 12 * (today.year - day.year))
    return moved if moved > today else add_months(moved, 12)


@workflow.defn
class AuditCycleWorkflow(AuditCycleUpdates):
    """The returns' dates and the plan's reviews; people's steps are `AuditCycleUpdates`."""

    def __init__(self) -> None:
        self.lock = asyncio.Lock()  # one write to the audit at a time: loop, timer or update
        self.audit_id: str | None = None
        self.stage = AuditStage.PLANNED
        self.agencies: list[str] = []
        self.selected: list[str] = []
        self.submitted: list[str] = []
        self.chased: list[str] = []
        self.escalated: list[str] = []
        self.dates: dict[str, date] = {}  # the returns' due, reminder and escalation dates
        self.plan_review_due: date | None = None
        self.reviewed: list[date] = []  # plan review dates met by a review
        self.reviews = 0
        self.history: list[str] = []

    @workflow.run
    async def run(self, cycle: AuditCycleInput) -> AuditCycleStatus:
        today = workflow.now().date()
        self.year = cycle.year or today.year
        due = cycle.returns_due if cycle.year else next_occurrence(cycle.returns_due, today)
        self.input, self.agencies = cycle, list(cycle.agencies)
        await self._plan(due)
        reviews = asyncio.create_task(self._keep_plan_reviewed())
        await self._select(cycle.seed if cycle.seed is not None
                           else workflow.random().randint(1, 2**31 - 1))
        await self._request_returns()
        await self._follow_returns()
        await workflow.wait_condition(lambda: self.stage == AuditStage.CLOSED)
        await reviews
        await workflow.wait_condition(workflow.all_handlers_finished)
        return self.status()

    async def _plan(self, due: date) -> None:
        c, me = self.input, workflow.info().workflow_id
        planned = await command(AuditCycleActivities.plan, AuditPlan(
            audit_cycle_id(self.year), f"{me}:planned", self.year, c.theme, c.dimension,
            c.audit_type, list(c.agencies), c.sample_size, due, workflow.now()))
        self.audit_id, self.plan_review_due = planned.audit_id, planned.plan_review_due
        self.history.append(f"planned {self.year}: returns due {due}")

    async def _select(self, seed: int) -> None:
        me = workflow.info().workflow_id
        method = self.input.selection_method
        async with self.lock:
            try:
                self.selected = await workflow.execute_activity_method(
                    AuditCycleActivities.select_cases,
                    Selection(self._id, f"{me}:cases-selected", method, seed, workflow.now()),
                    **ACTIVITY)
            except ActivityError as failed:
                refusal = rule_of(failed)
                if refusal is failed:
                    raise
                await record_step(self._id, "selection-refused", PROCESS, "case selection refused",
                                  {"method": method, "rule": str(refusal)})
                raise refusal from None
        self.stage = AuditStage.CASES_SELECTED
        self.history.append(f"{len(self.selected)} cases selected ({method})")

    async def _request_returns(self) -> None:
        me = workflow.info().workflow_id
        async with self.lock:
            found = await workflow.execute_activity_method(
                AuditCycleActivities.request_returns,
                ReturnsRequest(self._id, f"{me}:returns-requested", self.input.nation,
                               workflow.now()), **ACTIVITY)
        self.dates = {"due": found.returns_due, "remind": found.reminder_on,
                      "escalate": found.escalate_on}
        self.stage = AuditStage.RETURNS_REQUESTED
        self.history.append(f"returns requested: due {found.returns_due}")

    # -- the returns ---------------------------------------------------------------------------

    async def _follow_returns(self) -> None:
        """Remind, chase, then escalate the agencies whose returns are still outstanding."""
        d = self.dates
        if not await self._all_returned_by(start_of(d["remind"])):
            await self._each_outstanding("reminder", self._remind)
        if not await self._all_returned_by(end_of(d["due"])):
            await self._each_outstanding("chase", self._chase)
        if not await self._all_returned_by(end_of(d["escalate"])):
            await self._each_outstanding("escalation", self._escalate)

    async def _all_returned_by(self, moment: datetime) -> bool:
        return await wait_until(lambda: not self._outstanding(self.submitted), moment)

    async def _each_outstanding(self, what: str, act: Callable[[str], Any]) -> None:
        async with self.lock:
            outstanding = self._outstanding(self.submitted)
            for agency in outstanding:
                await act(agency)
        self.history.append(f"{what}: {', '.join(outstanding)}")

    async def _remind(self, agency: str) -> None:
        await record_step(self._id, f"reminder-{agency}", PROCESS, "return reminder sent", {
            "agency": agency, "to": "agency audit lead",
            "returns_due": self.dates["due"].isoformat()})

    async def _chase(self, agency: str) -> None:
        me = workflow.info().workflow_id
        await workflow.execute_activity_method(
            AuditCycleActivities.chase_return,
            AgencyStep(self._id, f"{me}:chase-{agency}", agency, workflow.now()), **ACTIVITY)
        self.chased.append(agency)

    async def _escalate(self, agency: str) -> None:
        me = workflow.info().workflow_id
        await workflow.execute_activity_method(
            AuditCycleActivities.escalate_non_compliance,
            AgencyStep(self._id, f"{me}:escalate-{agency}", agency, workflow.now()),
            **ACTIVITY)
        self.escalated.append(agency)

    # -- the plan's six-monthly review ---------------------------------------------------------

    async def _keep_plan_reviewed(self) -> None:
        """At each stored plan review date, remind the chair; a review sets the next date."""
        while self.stage != AuditStage.CLOSED:
            assert self.plan_review_due is not None
            await self._plan_review_falls_due(self.plan_review_due)

    async def _plan_review_falls_due(self, due: date) -> None:
        def moved_on() -> bool:
            return self.stage == AuditStage.CLOSED or self.plan_review_due != due

        if await wait_until(moved_on, start_of(due)):
            return
        async with self.lock:
            if self.stage != AuditStage.CLOSED:
                await record_step(self._id, f"plan-review-due-{due}", PROCESS, "plan review due",
                                  {"to": "chair of the Practice Review Sub-Group",
                                   "due": due.isoformat()})
                self.history.append(f"plan review due {due}")
        await workflow.wait_condition(moved_on)

    # -- queries -------------------------------------------------------------------------------

    @workflow.query
    def status(self) -> AuditCycleStatus:
        d = self.dates
        return AuditCycleStatus(
            self.audit_id, self.year, str(self.stage), d.get("due"), d.get("remind"),
            d.get("escalate"), self.plan_review_due, list(self.selected),
            list(self.submitted), list(self.chased), list(self.escalated), list(self.history))

    @workflow.query
    def deadlines(self) -> list[Deadline]:
        """The returns due, then each plan review due (the pending one while the audit is open)."""
        found = []
        if "due" in self.dates:
            settled = not self._outstanding(self.submitted + self.escalated)
            found.append(Deadline("returns", self.dates["due"], settled))
        found += [Deadline("plan review", due, True) for due in self.reviewed]
        if self.plan_review_due is not None and self.stage != AuditStage.CLOSED:
            found.append(Deadline("plan review", self.plan_review_due, False))
        return found
