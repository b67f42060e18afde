"""Leaders' self-evaluations (seed 001) and the report that sets each theme's self-ratings
beside the scorecard's evidence for it (`domain.self_evaluation.compare`, the domain's rule;
the measures for a theme are the questions' data).

Tables (self_evaluation.sql). `beside_scorecard` reads these and the scorecard's tables: catch
up both read models first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import singledispatchmethod
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Cipher
from psycopg import Connection

from domain.policy import DEFAULT_POLICY, Policy
from domain.self_evaluation import SelfEvaluation, compare, questions, themes
from projections.base import Projection
from projections.page import Page
from projections.quarters import Quarter
from projections.scorecard import scorecard
from projections.sealing import seal_json, sealed, unseal, unseal_json

EvaluationEvents: Any = SelfEvaluation
READ_MODELS = ("self_evaluation", "scorecard")


class SelfEvaluations(Projection):
    name = "self_evaluation"
    version = 1

    @singledispatchmethod
    def process(self, event: object, page: Page) -> None:
        """Handle one event of a self-evaluation."""

    @process.register(EvaluationEvents.Started)
    def _started(self, event: Any, page: Page) -> None:
        page.insert("self_evaluation", evaluation_id=event.originator_id, leader=event.leader,
                    audience=event.audience, year=event.year,
                    started_on=event.occurred_on.date())

    @process.register(EvaluationEvents.Answered)
    def _answered(self, event: Any, page: Page) -> None:
        values = {"theme": event.theme, "rating": event.rating,
                  "answered_on": event.occurred_on.date(),
                  "answer": sealed(page, event, "answer"),
                  "evidence": seal_json(page.seal, event.evidence, event.originator_id,
                                        event.originator_version, "evidence")}
        page.upsert("self_evaluation_answer", {"evaluation_id": event.originator_id,
                                               "question_id": event.question_id}, values)

    @process.register(EvaluationEvents.Completed)
    def _completed(self, event: Any, page: Page) -> None:
        page.update("self_evaluation", {"evaluation_id": event.originator_id},
                    completed_on=event.occurred_on.date())


@dataclass(frozen=True)
class Answer:
    question_id: str
    question: str
    rating: str
    answer: str
    evidence: list[dict[str, Any]]


@dataclass(frozen=True)
class MeasureLight:
    key: str
    title: str
    light: str


@dataclass
class ThemeComparison:
    theme: str
    title: str
    self_rating: str | None
    evidence_rating: str | None
    verdict: str
    measures: list[MeasureLight] = field(default_factory=list)
    answers: list[Answer] = field(default_factory=list)


@dataclass
class SelfEvaluationReport:
    evaluation_id: UUID
    leader: str
    audience: str
    year: int
    quarter: str
    completed_on: date | None
    themes: list[ThemeComparison]


def beside_scorecard(conn: Connection[Any], evaluation_id: UUID, quarter: Quarter,
                     cipher: Cipher, policy: Policy = DEFAULT_POLICY) -> SelfEvaluationReport | None:
    """Each theme's self-ratings beside the lights of the quarter's measures mapped to it."""
    head = conn.execute("SELECT leader, audience, year, completed_on FROM self_evaluation WHERE "
                        "evaluation_id = %s", (evaluation_id,)).fetchone()
    if head is None:
        return None
    leader, audience, year, completed_on = head
    asked = {q.question_id: q.text for q in questions(audience)}
    answers: dict[str, list[Answer]] = {}
    for question_id, theme, rating, answer, evidence in conn.execute(
            "SELECT question_id, theme, rating, answer, evidence FROM self_evaluation_answer "
            "WHERE evaluation_id = %s ORDER BY question_id", (evaluation_id,)):
        answers.setdefault(theme, []).append(Answer(
            question_id, asked.get(question_id, ""), rating, unseal(cipher, answer) or "",
            unseal_json(cipher, evidence) or []))
    lights = {m.measure.key: m for m in scorecard(conn, quarter, cipher, policy).measures}
    compared = []
    for theme in themes():
        given = answers.get(theme.key, [])
        mapped = [MeasureLight(k, lights[k].measure.title, lights[k].light)
                  for k in theme.measures if k in lights]
        own, evidence, verdict = compare([a.rating for a in given], [m.light for m in mapped])
        compared.append(ThemeComparison(theme.key, theme.title, own, evidence, verdict, mapped,
                                        given))
    return SelfEvaluationReport(evaluation_id, leader, audience, year, str(quarter),
                                completed_on, compared)
