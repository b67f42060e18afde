"""The forward plan of assurance activity (seed 004), as lists read it: each activity with its
frequency, when it was last done and when it is next due, whether its process has started it,
and whether it is overdue (`domain.forward_plan_values.is_overdue`, the domain's rule).

Tables (forward_plan.sql): `plan`, `plan_item`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import singledispatchmethod
from typing import Any
from uuid import UUID

from psycopg import Connection

from domain.forward_plan import ForwardPlan
from domain.forward_plan_values import TITLES, Activity, is_overdue
from projections.base import Projection
from projections.page import Page

PlanEvents: Any = ForwardPlan


def _item(event: Any) -> dict[str, Any]:
    return {"plan_id": event.originator_id, "activity": event.activity}


class ForwardPlans(Projection):
    name = "forward_plan"
    version = 1

    @singledispatchmethod
    def process(self, event: object, page: Page) -> None:
        """Handle one event of the forward plan."""

    @process.register(PlanEvents.Opened)
    def _opened(self, event: Any, page: Page) -> None:
        page.insert("plan", plan_id=event.originator_id, name=event.name)

    @process.register(PlanEvents.ItemAdded)
    def _added(self, event: Any, page: Page) -> None:
        page.insert("plan_item", **_item(event), owner=event.owner, frequency=event.frequency,
                    last_done_on=event.last_done_on, next_due_on=event.next_due_on)

    @process.register(PlanEvents.ActivityStarted)
    def _started(self, event: Any, page: Page) -> None:
        page.update("plan_item", _item(event), started_for=event.due_on)

    @process.register(PlanEvents.ActivityOverdue)
    def _overdue(self, event: Any, page: Page) -> None:
        page.update("plan_item", _item(event), overdue_since=event.occurred_on.date())

    @process.register(PlanEvents.ActivityDone)
    def _done(self, event: Any, page: Page) -> None:
        page.update("plan_item", _item(event), last_done_on=event.occurred_on.date(),
                    next_due_on=event.next_due_on, overdue_since=None)

    @process.register(PlanEvents.Reviewed)
    def _reviewed(self, event: Any, page: Page) -> None:
        page.update("plan", {"plan_id": event.originator_id},
                    reviewed_on=event.occurred_on.date())


@dataclass(frozen=True)
class PlanLine:
    plan_id: UUID
    activity: str
    title: str
    owner: str
    frequency: str
    last_done_on: date | None
    next_due_on: date
    started: bool
    overdue: bool


def plan_items(conn: Connection[Any], on: date, plan_id: UUID | None = None,
               owner: str | None = None) -> list[PlanLine]:
    """The activities on the plan (one plan, one owner's, or all), next due first."""
    rows = conn.execute(
        "SELECT plan_id, activity, owner, frequency, last_done_on, next_due_on, started_for "
        "FROM plan_item WHERE (%(plan)s::uuid IS NULL OR plan_id = %(plan)s) AND "
        "(%(owner)s::text IS NULL OR owner = %(owner)s) ORDER BY next_due_on, activity",
        {"plan": plan_id, "owner": owner}).fetchall()
    return [PlanLine(pid, activity, TITLES[Activity(activity)], who, frequency, last, due,
                     started == due, is_overdue(due, on))
            for pid, activity, who, frequency, last, due, started in rows]


def overdue_items(conn: Connection[Any], on: date, owner: str | None = None) -> list[PlanLine]:
    """The activities overdue on `on` (all, or one owner's): for the scorecard and My work."""
    return [line for line in plan_items(conn, on, owner=owner) if line.overdue]
