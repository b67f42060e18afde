"""The forward plan of assurance activity (seed 004): the plan's process, and one process per
activity on it, started when the activity is put on the plan.

`ForwardPlanWorkflow` (`forward-plan-<plan id>`, started when the plan is opened,
`POST /forward-plans`) takes people's changes to the plan (updates `add_item`, `review`) and
starts each activity's `PlanItemWorkflow` as a child that outlives it.

`PlanItemWorkflow` (`plan-item-<plan id>-<activity>`), for each due date of its activity, in
date order, each dated when it fell due (never before the item's latest fact):
- the start of `forward_plan_lead` (two months) before it is due: `ActivityStarted`, the
  activity requested of its owner;
- for the LADO report, each `lado_data` (quarterly) date before it: "quarterly data requested";
- the start of `reminder_lead` (five working days, England) before it: "activity reminder sent";
- the end of the due date, not done: `ActivityOverdue` (on the scorecard and the owner's work).
Update `record_done` (`ActivityDone`) sets the next due date, a frequency later
(`Policy.activity_frequency`), and the cycle begins again. Query `deadlines`: the next due.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from temporalio import workflow
from temporalio.exceptions import WorkflowAlreadyStartedError

from workflows.acting import Acted, act, check_record, note
from workflows.common import ACTIVITY, Deadline, end_of, require, start_of, wait_until

with workflow.unsafe.imports_passed_through():
    from domain.forward_plan_commands import (
        AddPlanItem,
        MarkActivityOverdue,
        NoteActivityStarted,
        RecordActivityDone,
        ReviewForwardPlan,
    )
    from domain.forward_plan_values import Activity, check_not_on_plan
    from workflows.forward_plan.activities import ForwardPlanActivities
    from workflows.forward_plan.types import (
        BY,
        PROCESS,
        ForwardPlanInput,
        ItemFacts,
        PlanItemInput,
        PlanItemState,
        PlanItemStatus,
        forward_plan_id,
        plan_item_id,
    )

__all__ = ["ForwardPlanWorkflow", "PlanItemWorkflow", "forward_plan_id", "plan_item_id"]


@dataclass(order=True)
class Point:
    """One dated point of an activity's cycle, taken in this order."""

    moment: datetime
    kind: str
    on: Any


@workflow.defn
class PlanItemWorkflow:
    @workflow.init
    def __init__(self, item: PlanItemInput) -> None:
        self.s = PlanItemState(item.plan_id, item.activity)
        self.lock = asyncio.Lock()

    @workflow.run
    async def run(self, item: PlanItemInput) -> PlanItemStatus:
        while True:  # an activity stays on the plan: its process runs for as long as the plan
            if workflow.info().is_continue_as_new_suggested():
                await workflow.wait_condition(workflow.all_handlers_finished)
                workflow.continue_as_new(item)
            await self._refresh()
            f = self._facts
            seen = f.done
            for point in self._cycle(f):
                if await wait_until(lambda seen=seen: self._facts.done > seen, point.moment):
                    break
                await self._take(point)
            else:
                await workflow.wait_condition(lambda seen=seen: self._facts.done > seen)

    @property
    def _facts(self) -> ItemFacts:
        assert self.s.facts is not None
        return self.s.facts

    async def _refresh(self) -> None:
        self.s.facts = await workflow.execute_local_activity_method(
            ForwardPlanActivities.read_item, args=[self.s.plan_id, self.s.activity], **ACTIVITY)
        if not self._facts.overdue:
            self.s.state = "started" if self._facts.started else "planned"

    @staticmethod
    def _cycle(f: ItemFacts) -> list[Point]:
        points = [Point(start_of(day), "data", day) for day in f.data_due]
        if not f.started:
            points.append(Point(start_of(f.starts_on), "start", f.starts_on))
        points.append(Point(start_of(f.reminder_on), "reminder", f.reminder_on))
        if not f.overdue:
            points.append(Point(end_of(f.next_due), "overdue", f.next_due))
        return sorted(points)

    async def _take(self, point: Point) -> None:
        f, record = self._facts, UUID(self.s.plan_id)
        at = max(point.moment, f.changed_at)
        details = {"activity": f.activity, "to": f.owner, "due": f.next_due.isoformat()}
        activity = Activity(f.activity)
        async with self.lock:
            if point.kind == "start":
                await act(PROCESS, NoteActivityStarted(record_id=record, activity=activity,
                                                       due_on=f.next_due, by=BY, at=at),
                          "activity requested of its owner", key=self._key("start"),
                          details=details)
            elif point.kind == "overdue":
                await act(PROCESS, MarkActivityOverdue(record_id=record, activity=activity,
                                                       due_on=f.next_due, by=BY, at=at),
                          "activity overdue", key=self._key("overdue"), details=details)
                self.s.state = "overdue"
            else:
                step = ("quarterly data requested" if point.kind == "data"
                        else "activity reminder sent")
                await note(PROCESS, self.s.plan_id, self._key(f"{point.kind}-{point.on}"), step,
                           at, details)
            await self._refresh()
        self.s.history.append(f"{at.date()}: {point.kind} (due {f.next_due})")

    def _key(self, what: str) -> str:
        return f"{self.s.activity}:{self._facts.next_due}:{what}"

    @workflow.update
    async def record_done(self, c: RecordActivityDone) -> Acted:
        """The activity done; its next due date follows, a frequency later."""
        async with self.lock:
            receipt = await act(PROCESS, c, "activity done")
            await self._refresh()
        self.s.history.append(f"{c.at.date()}: done; next due {self._facts.next_due}")
        return Acted(f"{c.activity} done; next due {self._facts.next_due}", receipt)

    @record_done.validator
    def _check_done(self, c: RecordActivityDone) -> None:
        check_record(c, self.s.plan_id)
        require(str(c.activity) == self.s.activity, "The command is for another activity")

    @workflow.query
    def status(self) -> PlanItemStatus:
        f = self.s.facts
        return PlanItemStatus(self.s.activity, self.s.state, f.owner if f else None,
                              f.next_due if f else None, bool(f and f.overdue),
                              list(self.s.history))

    @workflow.query
    def deadlines(self) -> list[Deadline]:
        f = self.s.facts
        return [Deadline(f"{f.activity} due", f.next_due, False)] if f else []


@workflow.defn
class ForwardPlanWorkflow:
    @workflow.init
    def __init__(self, plan: ForwardPlanInput) -> None:
        self.plan_id = plan.plan_id
        self.lock = asyncio.Lock()
        self.started: list[str] = []

    @workflow.run
    async def run(self, plan: ForwardPlanInput) -> None:
        for activity in await workflow.execute_activity_method(
                ForwardPlanActivities.activities, self.plan_id, **ACTIVITY):
            await self._start(activity)
        await workflow.wait_condition(lambda: False)  # the plan's process lasts as it does

    async def _start(self, activity: str) -> None:
        if activity in self.started:
            return
        # Its process may run already (this plan's process was restarted).
        with contextlib.suppress(WorkflowAlreadyStartedError):
            await workflow.start_child_workflow(
                PlanItemWorkflow.run, PlanItemInput(self.plan_id, activity),
                id=plan_item_id(self.plan_id, activity),
                parent_close_policy=workflow.ParentClosePolicy.ABANDON)
        self.started.append(activity)

    @workflow.update
    async def add_item(self, c: AddPlanItem) -> Acted:
        """Put an activity on the plan; its process starts."""
        async with self.lock:
            receipt = await act(PROCESS, c, "activity added")
            await self._start(str(c.activity))
        return Acted(f"{c.activity} is on the plan; its process has started", receipt)

    @add_item.validator
    def _check_add(self, c: AddPlanItem) -> None:
        check_record(c, self.plan_id)
        check_not_on_plan(c.activity, self.started)

    @workflow.update
    async def review(self, c: ReviewForwardPlan) -> Acted:
        async with self.lock:
            receipt = await act(PROCESS, c, "forward plan reviewed")
        return Acted("Forward plan reviewed", receipt)

    @review.validator
    def _check_review(self, c: ReviewForwardPlan) -> None:
        check_record(c, self.plan_id)

    @workflow.query
    def items(self) -> list[str]:
        return list(self.started)
