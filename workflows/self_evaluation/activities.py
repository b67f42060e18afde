"""Activities of the self-evaluation process: its dates, from the record and the policy."""

from __future__ import annotations

from uuid import UUID

from temporalio import activity

from domain.application import Assured
from domain.self_evaluation import SelfEvaluation, questions
from workflows.self_evaluation.types import NATION, SelfEvaluationFacts


class SelfEvaluationActivities:
    def __init__(self, app: Assured) -> None:
        self.app = app

    @activity.defn(name="self_evaluation.read")
    def read(self, record_id: str) -> SelfEvaluationFacts:
        e, policy = self.app.load(UUID(record_id), SelfEvaluation), self.app.policy
        due = policy.self_evaluation_completion.after(e.opened_on.date())
        return SelfEvaluationFacts(e.leader, e.opened_on, due,
                                   policy.reminder_lead.before(due, NATION), len(e.answers),
                                   len(questions(e.audience)), e.completed_on is not None)
