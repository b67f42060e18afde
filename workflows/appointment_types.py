"""A Safeguarder's appointment: the workflow's input, status and people's requests
(workflows/appointment.py). Plain dataclasses."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

NATION = "SCT"  # Safeguarders serve the Children's Hearings in Scotland

@dataclass
class AppointmentInput:
    safeguarder_id: str
    term: int = 1  # continue-as-new passes the next term


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


@dataclass
class Outcome:
    """The outcome of the interview or of the pre-appointment assessment."""

    passed: bool
    notes: str
    by: str


@dataclass
class Appointment:
    term_starts_on: date
    by: str


@dataclass
class Allocation:
    manager: str
    reason: str
    by: str


@dataclass
class SupportSession:
    session_id: str
    notes: str
    by: str


@dataclass
class SampledReport:
    report_ref: str
    session_id: str
    discussion: str
    by: str


@dataclass
class Recommendation:
    reappoint: bool
    rationale: str
    exception_reason: str
    by: str


@dataclass
class Decision:
    reappoint: bool
    by: str


@dataclass
class Concern:
    concern_id: str
    about: str
    summary: str
    by: str


@dataclass
class Leaving:
    """A resignation or a removal."""

    reason: str
    by: str
