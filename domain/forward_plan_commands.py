"""The commands of the partnership's forward plan of assurance activity (seed 004, toolkit
tables), each one frozen dataclass. `domain.forward_plan.ForwardPlan` carries them out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from domain.commands import Command, RecordCommand
from domain.forward_plan_values import Activity
from domain.text import Narrative, Short


@dataclass(frozen=True, kw_only=True)
class PlanCommand(RecordCommand, kind="forward-plan", abstract=True):
    """A command on the forward plan."""


@dataclass(frozen=True, kw_only=True)
class OpenForwardPlan(Command, kind="forward-plan", creates=True):
    """Open the partnership's forward plan of assurance activity."""

    name: Short

    example = {"name": "Safeguarding Effectiveness forward plan"}


@dataclass(frozen=True, kw_only=True)
class AddPlanItem(PlanCommand):
    """Put an assurance activity on the plan, with its owner and when it was last done (or,
    never done, when it is first due): its process starts on its schedule."""

    activity: Activity
    owner: Short
    last_done_on: date | None = None
    first_due_on: date | None = None

    example = {"activity": "section_11_audit", "owner": "se-chair",
               "last_done_on": "2025-03-31"}


@dataclass(frozen=True, kw_only=True)
class RecordActivityDone(PlanCommand):
    """Record that an activity on the plan was done, with its evidence: it is next due a
    frequency later."""

    activity: Activity
    evidence: Narrative


@dataclass(frozen=True, kw_only=True)
class NoteActivityStarted(PlanCommand, by_process=True):
    """The item's process starts the activity ahead of its due date (asks its owner)."""

    activity: Activity
    due_on: date


@dataclass(frozen=True, kw_only=True)
class MarkActivityOverdue(PlanCommand, by_process=True):
    """The item's process records the activity overdue once its due date passed undone."""

    activity: Activity
    due_on: date


@dataclass(frozen=True, kw_only=True)
class ReviewForwardPlan(PlanCommand):
    """Record a review of the forward plan (at each Safeguarding Effectiveness sub-group)."""

    notes: Narrative
