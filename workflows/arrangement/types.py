"""The supervision arrangement process's input, readings, state and status
(workflows/arrangement/workflow.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

PROCESS = "supervision-arrangement"
BY = f"process:{PROCESS}"


def arrangement_id(record_id: str) -> str:
    """The business id: one process per arrangement."""
    return f"arrangement-{record_id}"


@dataclass
class ArrangementInput:
    arrangement_id: str


@dataclass
class MarkingFacts:
    marking_id: str
    level: str
    due_on: date | None  # a level-1 matter's report is due by then
    done: bool
    escalated: bool


@dataclass
class ArrangementFacts:
    """What the process follows of the record."""

    ended: bool
    nation: str
    made_at: datetime
    review_on: date
    review_reminder_on: date
    reviewed_at: datetime  # the latest review (or the making): the review cycle began then
    sessions: int
    supervisee: str
    markings: list[MarkingFacts] = field(default_factory=list)


@dataclass
class SessionReading:
    arrangement_id: str
    workflow_id: str


@dataclass
class NextSession:
    """The session the arrangement requires next. `cycle` names it, so its steps have ids."""

    cycle: str
    opens: date
    due: date
    reminder_on: date
    requirement: str
    began_at: datetime  # when the fact that began the cycle happened


@dataclass
class CaseFileChoice:
    arrangement_id: str
    step_id: str
    session_id: str
    seed: int
    at: datetime  # the session's time: the choice is dated then


@dataclass
class ArrangementState:
    arrangement_id: str
    state: str = "starting"
    facts: ArrangementFacts | None = None
    next: NextSession | None = None
    changes: int = 0  # sessions recorded (each begins a new cycle)
    waiting_for_term_dates: bool = False
    reminded: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)
    followed: list[str] = field(default_factory=list)  # level-1 markings followed
    escalated: list[str] = field(default_factory=list)
    history: list[str] = field(default_factory=list)
    unrecorded: tuple[str, str, str] | None = None  # a period refused as missed: cycle, opens, why


@dataclass
class ArrangementStatus:
    arrangement_id: str
    state: str
    requirement: str | None
    due: date | None
    review_on: date | None
    sessions: int
    missed: list[str] = field(default_factory=list)
    escalated: list[str] = field(default_factory=list)
    history: list[str] = field(default_factory=list)
