"""The escalation ladder's input, state and status (workflows/escalation/workflow.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from domain.ladder import CONCERN_STAGES  # the ladder's stages are the domain's

PROCESS = "escalation"
BY = f"process:{PROCESS}"
STAGES = dict(enumerate(CONCERN_STAGES, start=1))
SUBJECTS = ("case-concern", "case-disagreement", "safeguarder-concern")


def escalation_id(record_id: str, item_id: str) -> str:
    """The business id: one ladder per concern or disagreement of a record."""
    return f"escalation-{record_id}-{item_id}"


@dataclass
class EscalationInput:
    record_id: str
    subject: str  # one of SUBJECTS
    item_id: str  # the concern's or the disagreement's id
    nation: str
    raised_at: datetime  # when the concern or disagreement was raised: stage 1 opens then


@dataclass
class StageOpening:
    record_id: str
    step_id: str
    stage: int
    nation: str
    opened_at: datetime


@dataclass
class EscalationState:
    stage: int = 1
    opened_at: datetime | None = None  # when the current stage opened
    response_due: date | None = None
    escalated_by_hand: bool = False  # a person escalated the current stage
    resolved: bool = False
    outcome: str | None = None
    history: list[str] = field(default_factory=list)


@dataclass
class EscalationStatus:
    stage: int
    stage_name: str
    response_due: date | None
    resolved: bool
    outcome: str | None
    history: list[str] = field(default_factory=list)
