"""The commands of a leader's yearly self-evaluation (seed 001), each one frozen dataclass.
`domain.self_evaluation.SelfEvaluation` carries them out."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated
from uuid import UUID

from domain.case_values import Rag
from domain.commands import Checked, Command, RecordCommand
from domain.text import Items, Narrative, Short

MAX_LINKS = 20


class Audience(StrEnum):
    """Seed 001 asks its questions of two leaders."""

    DCS = "dcs"  # a Director of Children's Services
    LEAD_MEMBER = "lead_member"  # an Elected Lead Member for Children's Services


@dataclass(frozen=True, kw_only=True)
class EvidenceLink(Checked):
    """Evidence for an answer: a record in Assured (its kind and id), or a note."""

    record_kind: Short = ""
    record_id: UUID | None = None
    note: Narrative = ""


@dataclass(frozen=True, kw_only=True)
class StartSelfEvaluation(Command, kind="self-evaluation", creates=True):
    """Start the year's self-evaluation: a leader answers seed 001's questions."""

    audience: Audience
    year: int

    example = {"audience": "dcs", "year": 2026}


@dataclass(frozen=True, kw_only=True)
class AnswerQuestion(RecordCommand, kind="self-evaluation"):
    """Answer one question, with evidence and a RAG self-rating (again, to revise it)."""

    question_id: Short
    answer: Narrative
    rating: Rag
    evidence: Annotated[tuple[EvidenceLink, ...], Items(MAX_LINKS)] = ()

    example = {"question_id": "dcs-workforce-1", "answer": "Quarterly workforce panel",
               "rating": "A", "evidence": [{"note": "Workforce panel minutes, March"}]}


@dataclass(frozen=True, kw_only=True)
class CompleteSelfEvaluation(RecordCommand, kind="self-evaluation", verb="complete"):
    """Complete the self-evaluation once every question is answered."""
