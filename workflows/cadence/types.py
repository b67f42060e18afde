"""The supervision cadence's input, readings, state and status (workflows/cadence/workflow.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

PROCESS = "supervision-cadence"
BY = f"process:{PROCESS}"


def cadence_id(case_id: str) -> str:
    """The business id: one cadence per case."""
    return f"cadence-{case_id}"


@dataclass
class CadenceInput:
    case_id: str


@dataclass
class CadenceReading:
    case_id: str
    workflow_id: str
    since: datetime | None  # when the fact that starts this cycle happened (None: the opening)


@dataclass
class ActionDue:
    action_id: str
    due: date


@dataclass
class NextDiscussion:
    """Where the cadence stands. `cycle` names the discussion (or the opening) and legal status
    the due date counts from, so each cycle's steps have their own ids."""

    open: bool
    nation: str
    legal_status: str
    cycle: str = ""
    since: date | None = None
    due: date | None = None  # the date the last discussion set, if before `limit`
    limit: date | None = None  # the policy interval for the legal status from `since`
    reminder_on: date | None = None
    discussions: int = 0
    open_actions: list[ActionDue] = field(default_factory=list)


@dataclass
class DriftQuestion:
    case_id: str
    workflow_id: str  # the cadence asking: its drift concerns are the ones it flagged
    on: date


@dataclass
class DriftFinding:
    reasons: list[str]
    concern_id: str  # the id a concern raised now would take
    open_concern: str | None = None  # a drift concern this cadence raised, still unresolved


@dataclass
class CadenceState:
    case_id: str
    state: str = "starting"
    next: NextDiscussion | None = None
    changes: int = 0  # discussions and legal-status changes seen
    drift_check_on: date | None = None  # a discussion to check drift after
    closed: bool = False
    reminded: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)
    drift_flags: int = 0
    escalations: list[str] = field(default_factory=list)
    followed: list[str] = field(default_factory=list)  # actions followed to their due date
    completed: list[str] = field(default_factory=list)
    history: list[str] = field(default_factory=list)


@dataclass
class CadenceStatus:
    case_id: str
    state: str
    legal_status: str | None
    due: date | None
    reminder_on: date | None
    discussions: int
    drift_flags: int
    escalations: list[str] = field(default_factory=list)
    history: list[str] = field(default_factory=list)
