"""The forward plan's processes: inputs, readings, state and status
(workflows/forward_plan/workflow.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

PROCESS = "forward-plan"
BY = f"process:{PROCESS}"
NATION = "ENG"  # the partnership's working days (seed 004)


def forward_plan_id(plan_id: str) -> str:
    """The business id of the plan's process."""
    return f"forward-plan-{plan_id}"


def plan_item_id(plan_id: str, activity: str) -> str:
    """The business id of one activity's process on the plan."""
    return f"plan-item-{plan_id}-{activity}"


@dataclass
class ForwardPlanInput:
    plan_id: str


@dataclass
class PlanItemInput:
    plan_id: str
    activity: str


@dataclass
class ItemFacts:
    """One activity's dates, from the plan and the policy."""

    activity: str
    owner: str
    next_due: date
    starts_on: date  # `forward_plan_lead` before it is due
    reminder_on: date
    data_due: list[date]  # the LADO's quarterly data, between reports
    started: bool  # started already for this due date
    overdue: bool
    done: int  # times done: a new one begins the next cycle
    changed_at: datetime  # the item's latest fact: what the process records reads forwards


@dataclass
class PlanItemState:
    plan_id: str
    activity: str
    state: str = "starting"
    facts: ItemFacts | None = None
    history: list[str] = field(default_factory=list)


@dataclass
class PlanItemStatus:
    activity: str
    state: str
    owner: str | None
    next_due: date | None
    overdue: bool
    history: list[str] = field(default_factory=list)
