"""The supervision cadence's input, status and people's requests (workflows/cadence.py).

Plain dataclasses, shared by the workflow and its activities (workflows/activities/cadence.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass
class CadenceInput:
    case_id: str


@dataclass
class CadenceStatus:
    case_id: str
    state: str
    legal_status: str | None
    due: date | None
    reminder_on: date | None
    discussions: int
    drift_flags: int
    escalations: list[str] = field(default_factory=list)
    history: list[str] = field(default_factory=list)


@dataclass
class ActionAgreed:
    action_id: str
    description: str
    owner: str
    due: date


@dataclass
class DiscussionRequest:
    """A supervision discussion held now (seed 003, Appendix III)."""

    discussion_id: str
    supervisor: str
    supervisee: str
    needs: str
    risks: str
    engagement: str
    capacity_for_change: str
    plan: str
    rag: str
    next_discussion_on: date
    by: str
    actions: list[ActionAgreed] = field(default_factory=list)


@dataclass
class DiscussionNotice:
    """A discussion recorded on the case by another door (the API), for the cadence to see."""

    discussion_id: str


@dataclass
class CloseRequest:
    reason: str
    by: str
