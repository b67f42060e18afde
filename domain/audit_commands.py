"""The commands of a multi-agency audit (seeds 003 and 004), each one frozen dataclass.
`domain.audit.AuditRecord` carries them out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated

from domain.audit_values import AuditDimension, AuditType, Grade, Risk
from domain.commands import Checked, Command, RecordCommand
from domain.text import Items, Narrative, Short

MAX_AGENCIES = 30
MAX_POPULATION = 50_000  # the open cases a random selection draws from
MAX_FINDINGS = 50
MAX_ACTIONS = 50


@dataclass(frozen=True, kw_only=True)
class RiskCandidate(Checked):
    """A case chosen for an audit by its risk (seed 003, aim 2)."""

    case_id: Short
    risk: Risk


@dataclass(frozen=True, kw_only=True)
class AuditAction(Checked):
    """An action agreed after an audit: what, who, by when."""

    action: Narrative
    owner: Short
    due_on: date


@dataclass(frozen=True, kw_only=True)
class AuditCommand(RecordCommand, kind="audit", abstract=True):
    """A command on a multi-agency audit."""


@dataclass(frozen=True, kw_only=True)
class PlanAudit(Command, kind="audit", creates=True):
    """Plan a multi-agency audit: its cycle starts (selection, returns, chasing)."""

    reference: Short
    theme: Short
    dimension: AuditDimension
    audit_type: AuditType
    year: int
    agencies: Annotated[tuple[Short, ...], Items(MAX_AGENCIES)]
    sample_size: int
    returns_due: date

    example = {"reference": "MAPA-2026-2", "theme": "Supervision of children in need",
               "dimension": "multi_agency", "audit_type": "multi_agency_practice",
               "year": 2026, "agencies": ["Police", "Health", "Children's social care"],
               "sample_size": 6, "returns_due": "2026-12-18"}


@dataclass(frozen=True, kw_only=True)
class ReviewPlan(AuditCommand):
    """Record the six-monthly review of the audit plan."""

    notes: Narrative


@dataclass(frozen=True, kw_only=True)
class SelectCasesAtRandom(AuditCommand, by_process=True):
    """The audit cycle selects its cases at random from the open cases, with a recorded seed."""

    population: Annotated[tuple[Short, ...], Items(MAX_POPULATION)]
    seed: int


@dataclass(frozen=True, kw_only=True)
class SelectCasesByRisk(AuditCommand, by_process=True):
    """The audit cycle selects high, medium and escalating risk cases."""

    candidates: Annotated[tuple[RiskCandidate, ...], Items(MAX_POPULATION)]


@dataclass(frozen=True, kw_only=True)
class RequestReturns(AuditCommand, by_process=True):
    """The audit cycle asks every agency for its return."""


@dataclass(frozen=True, kw_only=True)
class ChaseReturn(AuditCommand, by_process=True):
    """The audit cycle chases an agency's return on its due date."""

    agency: Short


@dataclass(frozen=True, kw_only=True)
class SubmitReturn(AuditCommand):
    """An agency's return: how it grades supervision and management oversight, with evidence."""

    agency: Short
    supervision_grade: Grade
    oversight_grade: Grade
    evidence: Narrative


@dataclass(frozen=True, kw_only=True)
class EscalateNonCompliance(AuditCommand, by_process=True):
    """The audit cycle escalates an agency's missing return to the operational sub-group."""

    agency: Short


@dataclass(frozen=True, kw_only=True)
class Moderate(AuditCommand):
    """Record the moderation of the returns."""

    notes: Narrative


@dataclass(frozen=True, kw_only=True)
class RecordFindings(AuditCommand):
    """Record the audit's strengths and areas for development."""

    strengths: Annotated[tuple[Narrative, ...], Items(MAX_FINDINGS)] = ()
    areas_for_development: Annotated[tuple[Narrative, ...], Items(MAX_FINDINGS)] = ()


@dataclass(frozen=True, kw_only=True)
class ReportAudit(AuditCommand, verb="report"):
    """Record that the audit was reported to a named group."""

    group: Short


@dataclass(frozen=True, kw_only=True)
class AgreeActions(AuditCommand):
    """Record the actions agreed after the audit, each with its owner and due date."""

    actions: Annotated[tuple[AuditAction, ...], Items(MAX_ACTIONS)]


@dataclass(frozen=True, kw_only=True)
class CloseAudit(AuditCommand, verb="close"):
    """Close the audit."""
