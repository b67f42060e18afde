"""A Safeguarder's appointment: the workflow's input, its plan of a term, what it reads of the
record, its state and its status. Plain dataclasses, shared with its activities."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

NATION = "SCT"  # Safeguarders serve the Children's Hearings in Scotland
PROCESS = "appointment"
BY = f"process:{PROCESS}"


def appointment_id(safeguarder_id: str) -> str:
    """The business id: one appointment workflow per Safeguarder (its runs are its terms)."""
    return f"appointment-{safeguarder_id}"


@dataclass
class AppointmentInput:
    safeguarder_id: str
    term: int = 1  # continue-as-new passes the next term


@dataclass
class YearPlan:
    year: int  # counted from the first appointment, across terms
    starts_on: date
    due_on: date  # the year's last day: its support session and two sampled reports are due
    reminder_on: date


@dataclass
class TermPlan:
    """The term's dates and deadlines, from the record and the policy (Scotland's working days)."""

    term: int
    starts_on: date | None = None
    ends_on: date | None = None
    review_opens_on: date | None = None
    recommendation_due: date | None = None
    recommendation_reminder_on: date | None = None
    allocation_remind_on: date | None = None
    years: list[YearPlan] = field(default_factory=list)
    mentoring_due: list[date] = field(default_factory=list)


@dataclass
class Requirement:
    year: int
    sessions: int
    sampled_reports: int
    met: bool


@dataclass
class AppointmentFacts:
    """What the process reads back from the record after each change."""

    status: str
    support_manager: str | None
    appointed_at: datetime | None
    requirements: list[Requirement]
    shortfalls: list[int]
    recommended: bool
    mentoring_sessions: int  # in the first appointment year


@dataclass
class AppointmentState:
    """Everything the workflow holds, in one place."""

    safeguarder_id: str
    term: int
    facts: AppointmentFacts | None = None
    plan: TermPlan | None = None
    reappointed: bool | None = None
    concerns: list[str] = field(default_factory=list)
    history: list[str] = field(default_factory=list)


@dataclass
class AppointmentStatus:
    term: int
    stage: str
    support_manager: str | None
    term_starts_on: date | None
    term_ends_on: date | None
    review_opens_on: date | None
    recommendation_due: date | None
    unmet_years: list[int]
    recommended: bool
    reappointed: bool | None
    concerns: list[str]
    history: list[str] = field(default_factory=list)
