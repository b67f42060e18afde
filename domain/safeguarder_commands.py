"""The commands of a Safeguarder's record (seed 000), each one frozen dataclass.

`domain.safeguarder.Safeguarder` carries them out; `domain.commands` says what every command
holds (`by`, `at`, `record_id`) and how its fields are checked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from domain.commands import Checked, Command, RecordCommand
from domain.panel_values import Region
from domain.safeguarder_values import ConcernAbout, FeedbackSource, Tone
from domain.text import Narrative, Short


@dataclass(frozen=True, kw_only=True)
class Contact(Checked):
    """How the panel team reaches a Safeguarder: seen by the panel team only."""

    phone: Short = ""
    email: Short = ""
    address: Narrative = ""

    def as_dict(self) -> dict[str, str]:
        return {k: v for k, v in vars(self).items() if v}


@dataclass(frozen=True, kw_only=True)
class SafeguarderCommand(RecordCommand, kind="safeguarder", abstract=True):
    """A command on a Safeguarder's record."""


@dataclass(frozen=True, kw_only=True)
class ApplyToPanel(Command, kind="safeguarder", creates=True):
    """Record an application to join the panel: the appointment process starts."""

    name: Short
    contact: Contact = Contact()
    region: Region


@dataclass(frozen=True, kw_only=True)
class RecordInterview(SafeguarderCommand):
    """Record the outcome of the applicant's interview."""

    passed: bool
    notes: Narrative = ""


@dataclass(frozen=True, kw_only=True)
class RecordAssessment(SafeguarderCommand):
    """Record the outcome of the pre-appointment assessment."""

    passed: bool
    notes: Narrative = ""


@dataclass(frozen=True, kw_only=True)
class Appoint(SafeguarderCommand):
    """Record the appointment and the date the first term starts."""

    term_starts_on: date


@dataclass(frozen=True, kw_only=True)
class Allocate(SafeguarderCommand):
    """Allocate to a support manager of the Safeguarder's region (a reallocation needs a reason)."""

    manager: Short
    reason: Narrative = ""


@dataclass(frozen=True, kw_only=True)
class RecordSupportSession(SafeguarderCommand):
    """Record the year's individual support session."""

    session_id: Short
    notes: Narrative = ""


@dataclass(frozen=True, kw_only=True)
class RecordSampledReport(SafeguarderCommand):
    """Record a report sampled and discussed at a support session."""

    report_ref: Short
    session_id: Short
    discussion: Narrative = ""


@dataclass(frozen=True, kw_only=True)
class AttendGroupSession(SafeguarderCommand):
    """Record attendance at a group support session (at most four)."""

    session_id: UUID


@dataclass(frozen=True, kw_only=True)
class AssignMentor(SafeguarderCommand):
    """Assign an accredited peer mentor (in the first appointment year)."""

    mentor_id: UUID


@dataclass(frozen=True, kw_only=True)
class RecordMentoringSession(SafeguarderCommand):
    """Record a peer mentoring session with the assigned mentor."""

    notes: Narrative = ""


@dataclass(frozen=True, kw_only=True)
class RecordMentoringImpact(SafeguarderCommand):
    """The support manager records evidence of the peer mentoring's impact (seed 000)."""

    evidence: Narrative


@dataclass(frozen=True, kw_only=True)
class RecordFeedback(SafeguarderCommand):
    """Record feedback about the Safeguarder, with its source and tone."""

    source: FeedbackSource
    tone: Tone
    summary: Narrative
    giver_id: UUID | None = None
    """The record of the person who gave it, when they have one (the submission they sent
    through the public form); otherwise the application makes one (`domain.feedback`)."""


@dataclass(frozen=True, kw_only=True)
class RaiseSafeguarderConcern(SafeguarderCommand, verb="raise-concern"):
    """Raise a concern about the Safeguarder's work, actions or behaviour: it is escalated."""

    concern_id: Short
    about: ConcernAbout
    summary: Narrative


@dataclass(frozen=True, kw_only=True)
class ResolveSafeguarderConcern(SafeguarderCommand, verb="resolve-concern"):
    """Resolve a concern, recording how."""

    concern_id: Short
    resolution: Narrative


@dataclass(frozen=True, kw_only=True)
class RecordPerformanceEvidence(SafeguarderCommand):
    """Record evidence against a Practice Standard (the PSMF)."""

    standard: Short
    evidence: Narrative


@dataclass(frozen=True, kw_only=True)
class RecordAnnualShortfall(SafeguarderCommand, by_process=True):
    """The appointment process records an appointment year that ended with its requirement
    unmet."""

    year: int


@dataclass(frozen=True, kw_only=True)
class WithdrawAnnualShortfall(SafeguarderCommand, by_process=True):
    """The appointment process withdraws a recorded shortfall, once facts dated within the year
    and entered after it ended show the requirement was met."""

    year: int
    entered_late: Narrative


@dataclass(frozen=True, kw_only=True)
class OpenReappointmentReview(SafeguarderCommand, by_process=True):
    """The appointment process opens the re-appointment review at its date."""


@dataclass(frozen=True, kw_only=True)
class Recommend(SafeguarderCommand):
    """Recommend to Ministers, with a rationale (an unmet requirement needs an exception reason)."""

    reappoint: bool
    rationale: Narrative
    exception_reason: Narrative = ""


@dataclass(frozen=True, kw_only=True)
class RecordMinistersDecision(SafeguarderCommand):
    """Record whether Ministers re-appoint for a further term."""

    reappoint: bool


@dataclass(frozen=True, kw_only=True)
class Resign(SafeguarderCommand):
    """Record the Safeguarder's resignation: the appointment ends."""

    reason: Narrative


@dataclass(frozen=True, kw_only=True)
class RemoveFromPanel(SafeguarderCommand, verb="remove"):
    """Record the Safeguarder's removal from the panel: the appointment ends."""

    reason: Narrative
