"""The audit cycle's input, status and people's requests (workflows/audit_cycle.py).

Plain dataclasses, shared by the workflow and its activities (workflows/activities/audit_cycle.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

AUDIT_CYCLE = "audit-cycle"


def audit_cycle_id(year: int) -> str:
    """The business id, and the audit record's reference: one audit cycle a year."""
    return f"{AUDIT_CYCLE}-{year}"


@dataclass
class AuditCycleInput:
    """A year's audit. With `year` empty (as the schedule starts it) the run audits the year it
    starts in, its returns due on `returns_due`'s month and day next to come."""

    theme: str
    dimension: str  # single_agency | multi_agency | partnership
    audit_type: str  # multi_agency_practice | section_11 | single_agency | schools
    agencies: list[str]
    sample_size: int
    returns_due: date
    selection_method: str = "random"  # random | risk
    seed: int | None = None  # empty: drawn by the workflow, and recorded with the selection
    year: int | None = None
    nation: str = "ENG"


@dataclass
class AuditCycleStatus:
    audit_id: str | None
    year: int
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


@dataclass
class ReturnRequest:
    agency: str
    supervision_grade: str  # outstanding | good | requires_improvement | inadequate
    oversight_grade: str
    evidence: str
    by: str


@dataclass
class NotesRequest:
    """Notes of a plan review or of moderation."""

    notes: str
    by: str


@dataclass
class FindingsRequest:
    strengths: list[str]
    areas_for_development: list[str]
    by: str


@dataclass
class ReportRequest:
    group: str
    by: str


@dataclass
class AgreedAuditAction:
    action: str
    owner: str
    due_on: date


@dataclass
class ActionsRequest:
    actions: list[AgreedAuditAction]
    by: str


@dataclass
class CloseAuditRequest:
    by: str
