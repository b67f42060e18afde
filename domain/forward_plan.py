"""The partnership's forward plan of assurance activity (seed 004, 'Safeguarding Effectiveness
Forward Plan' and the toolkit tables): each activity with its frequency, when it was last done
and when it is next due. Each item's process starts the activity on its schedule and records
it overdue when its due date passes undone; an overdue item is on the scorecard and on its
owner's work list.

Events: Opened, ItemAdded, ActivityStarted, ActivityOverdue, ActivityDone, Reviewed.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from domain.case_values import given
from domain.errors import require
from domain.forward_plan_commands import (
    AddPlanItem,
    MarkActivityOverdue,
    NoteActivityStarted,
    OpenForwardPlan,
    RecordActivityDone,
    ReviewForwardPlan,
)
from domain.forward_plan_values import Activity, check_not_on_plan, is_overdue
from domain.policy import DEFAULT_POLICY, Policy
from domain.record import Record, natural_id


class ForwardPlan(Record):
    @staticmethod
    def create_id(name: str) -> UUID:
        return natural_id("forward-plan", name.strip().casefold())

    @classmethod
    def open(cls, c: OpenForwardPlan) -> ForwardPlan:
        require(given(c.name), "A forward plan is named")
        return cls(name=c.name.strip(), actor=c.by, occurred_on=c.at)

    @event("Opened")
    def __init__(self, *, name: str, actor: str, occurred_on: datetime) -> None:
        self.opened_on = occurred_on
        self.name = name
        self.items: dict[str, dict[str, Any]] = {}
        self.reviews: list[dict[str, Any]] = []

    def _item(self, activity: str, at: datetime) -> dict[str, Any]:
        self.check_after_opening(at)
        require(activity in self.items, "The activity is on the forward plan")
        item = self.items[activity]
        require(at >= item["changed_on"], "History reads forwards: a fact about an activity "
                "cannot be dated before its last change")
        return item

    def add_item(self, c: AddPlanItem, policy: Policy = DEFAULT_POLICY) -> None:
        self.check_after_opening(c.at)
        check_not_on_plan(c.activity, self.items)
        require(given(c.owner), "An activity on the forward plan has an owner")
        require((c.last_done_on is None) != (c.first_due_on is None),
                "An activity gives when it was last done, or (never done) when it is first due")
        if c.last_done_on is not None:
            require(c.last_done_on <= c.at.date(), "An activity cannot have been done on a date "
                    "still to come")
        frequency = policy.activity_frequency[c.activity]
        due = frequency.after(c.last_done_on) if c.last_done_on else c.first_due_on
        self._item_added(activity=c.activity, owner=c.owner, last_done_on=c.last_done_on,
                         next_due_on=due, frequency=str(frequency), actor=c.by,
                         occurred_on=c.at)

    @event("ItemAdded")
    def _item_added(self, *, activity: str, owner: str, last_done_on: date | None,
                    next_due_on: date, frequency: str, actor: str,
                    occurred_on: datetime) -> None:
        self.items[activity] = {"activity": Activity(activity), "owner": owner,
                                "frequency": frequency, "last_done_on": last_done_on,
                                "next_due_on": next_due_on, "started_for": None,
                                "overdue_since": None, "changed_on": occurred_on, "done": []}

    def note_started(self, c: NoteActivityStarted) -> None:
        item = self._item(c.activity, c.at)
        require(c.due_on == item["next_due_on"], "An activity starts for its next due date")
        require(item["started_for"] != c.due_on, "An activity starts once for each due date")
        self._activity_started(activity=c.activity, due_on=c.due_on, owner=item["owner"],
                               actor=c.by, occurred_on=c.at)

    @event("ActivityStarted")
    def _activity_started(self, *, activity: str, due_on: date, owner: str, actor: str,
                          occurred_on: datetime) -> None:
        self.items[activity].update(started_for=due_on, changed_on=occurred_on)

    def mark_overdue(self, c: MarkActivityOverdue) -> None:
        item = self._item(c.activity, c.at)
        require(c.due_on == item["next_due_on"], "An activity is overdue for its next due date")
        require(c.at.date() > c.due_on, "An activity is overdue only once its due date passed")
        require(item["overdue_since"] is None, "An overdue activity is recorded overdue once")
        self._activity_overdue(activity=c.activity, due_on=c.due_on, owner=item["owner"],
                               actor=c.by, occurred_on=c.at)

    @event("ActivityOverdue")
    def _activity_overdue(self, *, activity: str, due_on: date, owner: str, actor: str,
                          occurred_on: datetime) -> None:
        self.items[activity].update(overdue_since=occurred_on.date(), changed_on=occurred_on)

    def record_done(self, c: RecordActivityDone, policy: Policy = DEFAULT_POLICY) -> None:
        item = self._item(c.activity, c.at)
        require(given(c.evidence), "A done activity records its evidence")
        done_on = c.at.date()
        require(item["last_done_on"] is None or done_on >= item["last_done_on"],
                "History reads forwards: an activity is done after it was last done")
        next_due = policy.activity_frequency[c.activity].after(done_on)
        self._activity_done(activity=c.activity, evidence=c.evidence, cycle=len(item["done"]),
                            was_due=item["next_due_on"], next_due_on=next_due, actor=c.by,
                            occurred_on=c.at)

    @event("ActivityDone")
    def _activity_done(self, *, activity: str, evidence: str, cycle: int, was_due: date,
                       next_due_on: date, actor: str, occurred_on: datetime) -> None:
        """`cycle`: how many times the activity was done before (0 the first time)."""
        item = self.items[activity]
        item["done"].append({"on": occurred_on.date(), "was_due": was_due})
        item.update(last_done_on=occurred_on.date(), next_due_on=next_due_on, overdue_since=None,
                    changed_on=occurred_on)

    def review(self, c: ReviewForwardPlan) -> None:
        self.check_after_opening(c.at)
        require(given(c.notes), "A review of the forward plan records notes")
        self._reviewed(notes=c.notes, actor=c.by, occurred_on=c.at)

    @event("Reviewed")
    def _reviewed(self, *, notes: str, actor: str, occurred_on: datetime) -> None:
        self.reviews.append({"on": occurred_on, "by": actor})

    @property
    def owners(self) -> tuple[str, ...]:
        return tuple(sorted({i["owner"] for i in self.items.values()}))

    def overdue(self, on: date) -> list[dict[str, Any]]:
        """The activities past their due date and not done by `on`."""
        return [dict(i) for i in self.items.values() if is_overdue(i["next_due_on"], on)]
