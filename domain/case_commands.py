"""The commands of a child's case under supervision (seeds 002 and 003), each one frozen
dataclass. `domain.case.Case` carries them out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated
from uuid import UUID

from domain.calendar import Nation
from domain.case_values import AuditGrade, LegalStatus, Rag, RiskLevel
from domain.commands import Checked, Command, RecordCommand
from domain.text import Items, Narrative, Short

MAX_ACTIONS = 30  # agreed in one discussion
MAX_PARTIES = 20  # to one professional disagreement


@dataclass(frozen=True, kw_only=True)
class AgreedAction(Checked):
    """An action agreed in a supervision discussion: who does what by when (seed 003)."""

    action_id: Short
    description: Narrative
    owner: Short
    due: date


@dataclass(frozen=True, kw_only=True)
class CaseCommand(RecordCommand, kind="case", abstract=True):
    """A command on a case."""


@dataclass(frozen=True, kw_only=True)
class OpenCase(Command, kind="case", creates=True):
    """Open a child's case under supervision (a pseudonymous reference, never a name): its
    supervision cadence starts."""

    child_reference: Short
    agency: Short
    practitioner: Short
    supervisor: Short
    legal_status: LegalStatus
    risk: RiskLevel
    nation: Nation

    example = {"child_reference": "C-2026-0412", "agency": "Children's social care",
               "practitioner": "pr-1", "supervisor": "su-1", "legal_status": "child_in_need",
               "risk": "medium", "nation": "ENG"}


@dataclass(frozen=True, kw_only=True)
class ChangeLegalStatus(CaseCommand):
    """Record a change of the child's legal status (it sets the supervision interval)."""

    new_status: LegalStatus


@dataclass(frozen=True, kw_only=True)
class ChangeRisk(CaseCommand):
    """Record a change of the case's risk level."""

    new_risk: RiskLevel


@dataclass(frozen=True, kw_only=True)
class RecordDiscussion(CaseCommand):
    """Record a supervision discussion on the recording template (seed 003, Appendix III)."""

    discussion_id: Short
    supervisor: Short
    supervisee: Short
    needs: Narrative
    risks: Narrative
    engagement: Narrative
    capacity_for_change: Narrative
    plan: Narrative
    rag: Rag
    actions: Annotated[tuple[AgreedAction, ...], Items(MAX_ACTIONS)] = ()
    next_discussion_on: date


@dataclass(frozen=True, kw_only=True)
class SignDiscussion(CaseCommand):
    """A party to a discussion signs its record as accurate."""

    discussion_id: Short
    party: Short


@dataclass(frozen=True, kw_only=True)
class CompleteAction(CaseCommand):
    """Record an agreed action as completed."""

    action_id: Short


@dataclass(frozen=True, kw_only=True)
class MarkActionOverdue(CaseCommand, by_process=True):
    """The supervision cadence records an open action past its due date."""

    action_id: Short
    on: date


@dataclass(frozen=True, kw_only=True)
class FlagDrift(CaseCommand, by_process=True):
    """The supervision cadence records that the case was drifting on a date."""

    on: date


@dataclass(frozen=True, kw_only=True)
class RaiseCaseConcern(CaseCommand, verb="raise-concern"):
    """Raise a concern about the case at stage 1 (the supervisor): it is escalated."""

    concern_id: Short
    summary: Narrative


@dataclass(frozen=True, kw_only=True)
class EscalateCaseConcern(CaseCommand, verb="escalate-concern"):
    """Escalate a concern one stage, with a reason."""

    concern_id: Short
    reason: Narrative


@dataclass(frozen=True, kw_only=True)
class ResolveCaseConcern(CaseCommand, verb="resolve-concern"):
    """Resolve a concern, recording its outcome."""

    concern_id: Short
    outcome: Narrative


@dataclass(frozen=True, kw_only=True)
class RaiseDisagreement(CaseCommand):
    """Record a professional disagreement between agencies or people: it is escalated."""

    disagreement_id: Short
    between: Annotated[tuple[Short, ...], Items(MAX_PARTIES)]
    summary: Narrative


@dataclass(frozen=True, kw_only=True)
class EscalateDisagreement(CaseCommand):
    """Escalate a professional disagreement one stage, with a reason."""

    disagreement_id: Short
    reason: Narrative


@dataclass(frozen=True, kw_only=True)
class ResolveDisagreement(CaseCommand):
    """Resolve a professional disagreement, recording its outcome."""

    disagreement_id: Short
    outcome: Narrative


@dataclass(frozen=True, kw_only=True)
class RecordAuditGrade(CaseCommand):
    """Record the grade a case-file audit gave the case."""

    audit_id: UUID
    grade: AuditGrade


@dataclass(frozen=True, kw_only=True)
class NoteAuditSelection(CaseCommand, by_process=True):
    """An audit cycle notes on the case that it selected the case (the sub-group may read it)."""

    audit_id: UUID


@dataclass(frozen=True, kw_only=True)
class ChangeSupervisor(CaseCommand):
    """Hand the case to a new supervisor, with a reason."""

    new_supervisor: Short
    reason: Narrative


@dataclass(frozen=True, kw_only=True)
class CloseCase(CaseCommand, verb="close"):
    """Close the case, with a reason: its supervision cadence ends."""

    reason: Narrative
