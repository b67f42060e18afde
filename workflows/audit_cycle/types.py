"""The audit cycle's inputs, readings, state and status (workflows/audit_cycle/workflow.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

PROCESS = "audit-cycle"
BY = f"process:{PROCESS}"
YEARLY = "audit-cycle"  # the schedule's workflow id prefix; Temporal appends the scheduled time


def audit_cycle_id(audit_id: str) -> str:
    """The business id: one cycle per audit record."""
    return f"audit-{audit_id}"


def yearly_reference(year: int) -> str:
    """The reference (so the natural id) of the audit the yearly plan makes: one a year."""
    return f"{YEARLY}-{year}"


@dataclass
class AuditCycleInput:
    audit_id: str
    selection_method: str = "random"  # random | risk
    seed: int | None = None  # empty: drawn by the workflow, and recorded with the selection
    nation: str = "ENG"  # working days count in England by default (seed 004)


@dataclass
class YearlyAuditInput:
    """The yearly audit's template, as the schedule starts it: the year is the one it runs in,
    its returns due on `returns_due`'s month and day next to come."""

    theme: str
    dimension: str  # single_agency | multi_agency | partnership
    audit_type: str  # multi_agency_practice | section_11 | single_agency | schools
    agencies: list[str]
    sample_size: int
    returns_due: date
    selection_method: str = "random"
    seed: int | None = None
    nation: str = "ENG"


@dataclass
class AuditFacts:
    """What the process follows of the audit record."""

    opened_at: datetime
    stage: str
    agencies: list[str]
    returns_due: date
    plan_review_due: date
    submitted: list[str]
    escalated: list[str]


@dataclass
class AuditSelection:
    audit_id: str
    step_id: str
    method: str  # "random" | "risk"
    seed: int
    at: datetime


@dataclass
class ReturnsDates:
    returns_due: date
    reminder_on: date
    escalate_on: date


@dataclass
class AuditCycleState:
    audit_id: str
    facts: AuditFacts | None = None
    dates: ReturnsDates | None = None
    selected: list[str] = field(default_factory=list)
    chased: list[str] = field(default_factory=list)
    reviewed: list[date] = field(default_factory=list)  # plan review dates met by a review
    history: list[str] = field(default_factory=list)


@dataclass
class AuditCycleStatus:
    audit_id: str
    year: int | None
    stage: str
    returns_due: date | None = None
    reminder_on: date | None = None
    escalate_on: date | None = None
    plan_review_due: date | None = None
    selected_cases: list[str] = field(default_factory=list)
    submitted: list[str] = field(default_factory=list)
    chased: list[str] = field(default_factory=list)
    non_compliant: list[str] = field(default_factory=list)
    history: list[str] = field(default_factory=list)
