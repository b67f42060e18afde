"""The self-evaluation process's input, readings, state and status
(workflows/self_evaluation/workflow.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

PROCESS = "self-evaluation"
NATION = "ENG"  # Directors and Lead Members of English authorities (seed 001)


def self_evaluation_id(record_id: str) -> str:
    return f"self-evaluation-{record_id}"


@dataclass
class SelfEvaluationInput:
    evaluation_id: str


@dataclass
class SelfEvaluationFacts:
    leader: str
    started_at: datetime
    due: date  # `self_evaluation_completion` after it was started
    reminder_on: date
    answered: int
    questions: int
    completed: bool


@dataclass
class SelfEvaluationState:
    evaluation_id: str
    state: str = "starting"
    facts: SelfEvaluationFacts | None = None
    history: list[str] = field(default_factory=list)


@dataclass
class SelfEvaluationStatus:
    state: str
    due: date | None
    answered: int
    questions: int
    history: list[str] = field(default_factory=list)
