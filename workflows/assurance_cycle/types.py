"""The quarterly assurance cycle's input, readings, state and status
(workflows/assurance_cycle/workflow.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

PROCESS = "assurance-cycle"
BY = f"process:{PROCESS}"
NATION = "ENG"  # the partnership's working days (seed 004: an English partnership)


def assurance_cycle_id(record_id: str) -> str:
    """The business id: one process per quarter's cycle record."""
    return f"assurance-cycle-{record_id}"


@dataclass
class AssuranceInput:
    cycle_id: str


@dataclass
class QueryFacts:
    query_id: str
    to: str
    due_on: date
    answered: bool


@dataclass
class CycleFacts:
    """What the process follows of the cycle record, with its dates from the policy."""

    quarter: str
    stage: str
    opened_at: datetime
    evidence_due: date
    reminder_on: date
    escalate_on: date
    sub_group_meets_on: date
    partnership_meets_on: date
    publication_due: date
    leads: dict[str, str]  # item: lead
    outstanding: list[str]
    chased: list[str]
    escalated: list[str]
    queries: list[QueryFacts] = field(default_factory=list)
    published_at: datetime | None = None


@dataclass
class CycleState:
    cycle_id: str
    state: str = "starting"
    facts: CycleFacts | None = None
    followed: list[str] = field(default_factory=list)  # queries followed to their due date
    history: list[str] = field(default_factory=list)


@dataclass
class CycleStatus:
    cycle_id: str
    quarter: str | None
    state: str
    evidence_due: date | None
    outstanding: list[str]
    chased: list[str]
    escalated: list[str]
    history: list[str] = field(default_factory=list)
