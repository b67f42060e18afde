"""A leader's yearly self-evaluation (seed 001): one workflow per self-evaluation, started when
the leader starts it (`POST /self-evaluations`).

States: answering (updates `answer`), until the start of `reminder_on` (`reminder_lead` before
the due date, England's working days): "self-evaluation reminder sent" (to the leader); until
the end of the due date (`self_evaluation_completion` after starting): "self-evaluation
overdue" (to the leader and the business unit); completed (update `complete`): the workflow
ends. Each step is dated when it fell due. Query `deadlines`: the completion due.
"""

from __future__ import annotations

import asyncio
from typing import Any

from temporalio import workflow

from workflows.acting import Acted, act, check_record, note
from workflows.common import ACTIVITY, Deadline, end_of, start_of, wait_until

with workflow.unsafe.imports_passed_through():
    from domain.self_evaluation import check_not_completed
    from domain.self_evaluation_commands import AnswerQuestion, CompleteSelfEvaluation
    from workflows.self_evaluation.activities import SelfEvaluationActivities
    from workflows.self_evaluation.types import (
        PROCESS,
        SelfEvaluationFacts,
        SelfEvaluationInput,
        SelfEvaluationState,
        SelfEvaluationStatus,
        self_evaluation_id,
    )

__all__ = ["SelfEvaluationWorkflow", "self_evaluation_id"]


@workflow.defn
class SelfEvaluationWorkflow:
    @workflow.init
    def __init__(self, evaluation: SelfEvaluationInput) -> None:
        self.s = SelfEvaluationState(evaluation.evaluation_id)
        self.lock = asyncio.Lock()

    @workflow.run
    async def run(self, evaluation: SelfEvaluationInput) -> SelfEvaluationStatus:
        await self._refresh()
        f = self._facts
        self.s.state = "answering"
        if not await wait_until(self._completed, start_of(f.reminder_on)):
            await self._note("reminder", "self-evaluation reminder sent",
                             {"to": f.leader, "due": f.due.isoformat()}, f.reminder_on)
        if not await wait_until(self._completed, end_of(f.due)):
            await self._note("overdue", "self-evaluation overdue",
                             {"to": f"{f.leader} and the business unit", "due": f.due.isoformat(),
                              "answered": f"{self._facts.answered} of {f.questions}"}, None)
            self.s.state = "overdue"
        await workflow.wait_condition(self._completed)
        self.s.state = "completed"
        await workflow.wait_condition(workflow.all_handlers_finished)
        return self.status()

    @property
    def _facts(self) -> SelfEvaluationFacts:
        assert self.s.facts is not None
        return self.s.facts

    def _completed(self) -> bool:
        return self._facts.completed

    async def _refresh(self) -> None:
        self.s.facts = await workflow.execute_local_activity_method(
            SelfEvaluationActivities.read, self.s.evaluation_id, **ACTIVITY)

    async def _note(self, key: str, step: str, details: dict[str, Any], day: Any) -> None:
        f = self._facts
        at = max(start_of(day), f.started_at) if day is not None else end_of(f.due)
        async with self.lock:
            if not self._completed():
                await note(PROCESS, self.s.evaluation_id, key, step, at, details)
                self.s.history.append(f"{at.date()}: {step}")

    async def _do(self, c: Any, step: str, answer: str) -> Acted:
        async with self.lock:
            receipt = await act(PROCESS, c, step)
            await self._refresh()
        self.s.history.append(f"{c.at.date()}: {step}")
        return Acted(answer, receipt)

    def _check(self, c: Any) -> None:
        check_record(c, self.s.evaluation_id)
        check_not_completed(self.s.facts is not None and self._completed())

    @workflow.update
    async def answer(self, c: AnswerQuestion) -> Acted:
        done = await self._do(c, "question answered", f"Answer to {c.question_id} recorded")
        f = self._facts
        return Acted(f"{done.answer} ({f.answered} of {f.questions} answered)", done.receipt)

    @answer.validator
    def _check_answer(self, c: AnswerQuestion) -> None:
        self._check(c)

    @workflow.update
    async def complete(self, c: CompleteSelfEvaluation) -> Acted:
        return await self._do(c, "self-evaluation completed", "Self-evaluation completed")

    @complete.validator
    def _check_complete(self, c: CompleteSelfEvaluation) -> None:
        self._check(c)

    @workflow.query
    def status(self) -> SelfEvaluationStatus:
        f = self.s.facts
        return SelfEvaluationStatus(self.s.state, f.due if f else None, f.answered if f else 0,
                                    f.questions if f else 0, list(self.s.history))

    @workflow.query
    def deadlines(self) -> list[Deadline]:
        f = self.s.facts
        return [Deadline("self-evaluation", f.due, f.completed)] if f else []
