"""A leader's yearly self-evaluation (seed 001): a Director of Children's Services or an Elected
Lead Member answers the questions of its six themes, each with evidence links (records in
Assured, or notes) and a RAG self-rating. The report sets the self-ratings beside the
scorecard's evidence for the same theme, where a measure maps to it
(projections/self_evaluation.py).

The questions are data, with their source (`self_evaluation_questions.json` beside this
module), not code. Events: Started, Answered, Completed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from importlib import resources
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from domain.case_values import Rag, given
from domain.errors import require
from domain.record import Record, natural_id
from domain.self_evaluation_commands import (
    AnswerQuestion,
    Audience,
    CompleteSelfEvaluation,
    StartSelfEvaluation,
)


@dataclass(frozen=True)
class Question:
    question_id: str
    audience: str
    theme: str
    number: int
    text: str
    source: str


@dataclass(frozen=True)
class Theme:
    key: str
    title: str
    measures: tuple[str, ...]
    """The scorecard measures that give evidence for the theme (the partnership's mapping)."""


@cache
def _data() -> dict[str, Any]:
    text = resources.files("domain").joinpath("self_evaluation_questions.json").read_text("utf-8")
    return json.loads(text)  # type: ignore[no-any-return]


def themes() -> list[Theme]:
    return [Theme(t["key"], t["title"], tuple(t["measures"])) for t in _data()["themes"]]


def questions(audience: Audience | str | None = None) -> list[Question]:
    """Seed 001's questions, in its order; those for one audience when given."""
    return [Question(q["id"], q["audience"], t["key"], q["number"], q["text"], q["source"])
            for t in _data()["themes"] for q in t["questions"]
            if audience is None or q["audience"] == str(audience)]


def check_not_completed(completed: bool) -> None:
    """The record and its process refuse answers to a completed self-evaluation."""
    require(not completed, "A completed self-evaluation takes no more answers")


def source() -> str:
    return str(_data()["source"])


class SelfEvaluation(Record):
    @staticmethod
    def create_id(leader: str, year: int) -> UUID:
        """A leader evaluates once a year."""
        return natural_id("self-evaluation", f"{leader}:{year}")

    @classmethod
    def start(cls, c: StartSelfEvaluation) -> SelfEvaluation:
        require(abs(c.year - c.at.year) <= 1, "A self-evaluation is for the year it is made in "
                "(or the one either side)")
        return cls(leader=c.by, audience=c.audience, year=c.year, actor=c.by, occurred_on=c.at)

    @event("Started")
    def __init__(self, *, leader: str, audience: str, year: int, actor: str,
                 occurred_on: datetime) -> None:
        self.opened_on = occurred_on
        self.leader, self.audience, self.year = leader, Audience(audience), year
        self.answers: dict[str, dict[str, Any]] = {}
        self.completed_on: datetime | None = None

    def answer(self, c: AnswerQuestion) -> None:
        self.check_after_opening(c.at)
        check_not_completed(self.completed_on is not None)
        require(c.by == self.leader, "Only the leader answers their own self-evaluation")
        asked = {q.question_id: q for q in questions(self.audience)}
        require(c.question_id in asked, "An answer is to one of seed 001's questions for this "
                "leader")
        require(given(c.answer), "An answer is written out")
        links = [{"record_kind": e.record_kind, "record_id": str(e.record_id) if e.record_id
                  else None, "note": e.note} for e in c.evidence]
        require(all((given(e["record_kind"]) and e["record_id"]) or given(e["note"])
                    for e in links), "Each piece of evidence names a record (its kind and id) "
                "or is a note")
        self._answered(question_id=c.question_id, theme=asked[c.question_id].theme,
                       answer=c.answer, rating=c.rating, evidence=links, actor=c.by,
                       occurred_on=c.at)

    @event("Answered")
    def _answered(self, *, question_id: str, theme: str, answer: str, rating: str,
                  evidence: list[dict[str, Any]], actor: str, occurred_on: datetime) -> None:
        self.answers[question_id] = {"theme": theme, "answer": answer, "rating": Rag(rating),
                                     "evidence": list(evidence), "on": occurred_on}

    def unanswered(self) -> list[str]:
        return [q.question_id for q in questions(self.audience) if q.question_id not in self.answers]

    def complete(self, c: CompleteSelfEvaluation) -> None:
        self.check_after_opening(c.at)
        require(self.completed_on is None, "A self-evaluation is completed once")
        require(c.by == self.leader, "Only the leader completes their own self-evaluation")
        missing = self.unanswered()
        require(not missing, f"A self-evaluation is completed once every question is answered "
                f"({len(missing)} still to answer)")
        self._completed(actor=c.by, occurred_on=c.at)

    @event("Completed")
    def _completed(self, *, actor: str, occurred_on: datetime) -> None:
        self.completed_on = occurred_on


RAG_ORDER = ("R", "A", "G")  # worst first
LIGHT_AS_RAG = {"red": "R", "amber": "A", "green": "G"}


def worst(ratings: list[str]) -> str | None:
    """The worst of RAG ratings (R before A before G); None when there are none."""
    return min(ratings, key=RAG_ORDER.index) if ratings else None


def compare(self_ratings: list[str], lights: list[str]) -> tuple[str | None, str | None, str]:
    """A theme's self-rating against the scorecard's evidence for it (seed 001 asks leaders to
    know how they know). Each side is its worst rating: the leader's answers' RAG ratings, and
    the traffic lights of the measures that map to the theme (a measure with nothing to count
    gives no evidence). Returns (self-rating, evidence rating, verdict)."""
    own = worst([str(r) for r in self_ratings])
    evidence = worst([LIGHT_AS_RAG[light] for light in lights if light in LIGHT_AS_RAG])
    if own is None:
        return None, evidence, "not yet self-rated"
    if evidence is None:
        return own, None, "no scorecard evidence maps to this theme"
    if own == evidence:
        return own, evidence, "the self-rating agrees with the evidence"
    higher = RAG_ORDER.index(own) > RAG_ORDER.index(evidence)
    return own, evidence, ("rated higher than the evidence shows" if higher
                           else "rated lower than the evidence shows")
