"""Escalation of a concern or a disagreement: a staged ladder that climbs by itself when a stage
goes unanswered.

Stage 1 supervisor, stage 2 manager, stage 3 senior manager or partnership (seed 003, 'Managing
Professional Differences'). Each stage has a response deadline in working days
(`Policy.escalation_stage_response`, the record's nation), counted from when it opened. A stage
unanswered by its deadline climbs: a case's concern or disagreement records the escalation on
the case, dated when the deadline passed; a Safeguarder's concern records the step. A person may
escalate a case's concern or disagreement sooner. Resolution at any stage records the outcome
and closes the ladder. Subjects: a case's concern (drift among them), a case's professional
disagreement, a Safeguarder's concern.

Query `deadlines`: the current stage's response due, met once the ladder is resolved.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any
from uuid import UUID

from temporalio import workflow
from temporalio.exceptions import ApplicationError

from workflows.acting import Acted, act, check_record, note
from workflows.common import ACTIVITY, Deadline, end_of, require, wait_until

with workflow.unsafe.imports_passed_through():
    from domain.case_commands import (
        EscalateCaseConcern,
        EscalateDisagreement,
        ResolveCaseConcern,
        ResolveDisagreement,
    )
    from domain.ladder import check_escalation, check_unresolved
    from domain.safeguarder_commands import ResolveSafeguarderConcern
    from workflows.escalation.activities import EscalationActivities
    from workflows.escalation.types import (
        BY,
        PROCESS,
        STAGES,
        SUBJECTS,
        EscalationInput,
        EscalationState,
        EscalationStatus,
        StageOpening,
        escalation_id,
    )

__all__ = ["EscalationWorkflow", "escalation_id"]


@workflow.defn
class EscalationWorkflow:
    @workflow.init
    def __init__(self, ladder: EscalationInput) -> None:
        self.input = ladder
        self.s = EscalationState(opened_at=ladder.raised_at)
        self.lock = asyncio.Lock()

    @workflow.run
    async def run(self, ladder: EscalationInput) -> EscalationStatus:
        if ladder.subject not in SUBJECTS:
            raise ApplicationError(f"Unknown escalation subject {ladder.subject}",
                                   non_retryable=True)
        while not self.s.resolved:
            await self._open_stage()
            answered = await self._wait_for_answer()
            if self.s.resolved:
                break
            if answered:  # a person escalated it: the update has recorded it
                self.s.escalated_by_hand = False
            elif self.s.stage == len(STAGES):
                self.s.history.append("stage 3 unanswered: the ladder waits for resolution")
                await workflow.wait_condition(lambda: self.s.resolved)
            else:
                await self._climb()
        await workflow.wait_condition(workflow.all_handlers_finished)
        return self.status()

    async def _open_stage(self) -> None:
        me, opened = workflow.info().workflow_id, self.s.opened_at
        assert opened is not None
        self.s.response_due = await workflow.execute_activity_method(
            EscalationActivities.open_stage,
            StageOpening(self.input.record_id, f"{me}:stage-{self.s.stage}", self.s.stage,
                         self.input.nation, opened), **ACTIVITY)
        self.s.history.append(f"stage {self.s.stage} ({STAGES[self.s.stage]}) due "
                              f"{self.s.response_due}")

    async def _wait_for_answer(self) -> bool:
        """Wait for a resolution or a person's escalation; False when the deadline passed."""
        assert self.s.response_due is not None
        return await wait_until(lambda: self.s.resolved or self.s.escalated_by_hand,
                                end_of(self.s.response_due))

    async def _climb(self) -> None:
        """No answer by the deadline: climb one stage, dated when the deadline passed."""
        assert self.s.response_due is not None
        passed, to = end_of(self.s.response_due), self.s.stage + 1
        reason = f"no response at stage {self.s.stage} by {self.s.response_due}"
        key = f"escalate-{to}"
        record, item = UUID(self.input.record_id), self.input.item_id
        async with self.lock:
            if self.s.resolved:
                return
            if self.input.subject == "case-concern":
                await act(PROCESS, EscalateCaseConcern(record_id=record, concern_id=item,
                                                       reason=reason, by=BY, at=passed),
                          f"escalated to stage {to}", key=key, details={"to_stage": to})
            elif self.input.subject == "case-disagreement":
                await act(PROCESS, EscalateDisagreement(record_id=record, disagreement_id=item,
                                                        reason=reason, by=BY, at=passed),
                          f"escalated to stage {to}", key=key, details={"to_stage": to})
            else:
                await note(PROCESS, self.input.record_id, key, f"escalated to stage {to}", passed,
                           {"to_stage": to, "reason": reason})
            self._climbed(passed, reason)

    def _climbed(self, at: datetime, reason: str) -> None:
        self.s.history.append(f"escalated to stage {self.s.stage + 1}: {reason}")
        self.s.stage += 1
        self.s.opened_at = at

    # --- people's actions ---------------------------------------------------------------------

    @property
    def _what(self) -> str:
        return "disagreement" if self.input.subject == "case-disagreement" else "concern"

    def _check(self, c: Any, item: str) -> None:
        """What the process knows: the command is for this record's concern or disagreement."""
        check_record(c, self.input.record_id)
        require(item == self.input.item_id, "The command is for another concern or disagreement")

    def _check_resolution(self, c: Any, item: str) -> None:
        self._check(c, item)
        check_unresolved(self.s.resolved, self._what)

    async def _resolve(self, c: Any, outcome: str) -> Acted:
        async with self.lock:
            receipt = await act(PROCESS, c, f"resolved at stage {self.s.stage}", key="resolved",
                                details={"stage": self.s.stage})
            self.s.resolved, self.s.outcome = True, outcome
        self.s.history.append(f"resolved at stage {self.s.stage}")
        return Acted(f"Resolved at stage {self.s.stage} ({STAGES[self.s.stage]})", receipt)

    async def _escalate(self, c: Any) -> Acted:
        to = self.s.stage + 1
        async with self.lock:
            receipt = await act(PROCESS, c, f"escalated to stage {to}", key=f"escalate-{to}",
                                details={"to_stage": to})
            self._climbed(c.at, c.reason)
            self.s.escalated_by_hand = True
        return Acted(f"Escalated to stage {to} ({STAGES[to]})", receipt)

    def _check_escalation(self, c: Any, item: str) -> None:
        self._check(c, item)
        check_escalation(self.s.resolved, self.s.stage, self._what)
        require(not self.s.escalated_by_hand, f"The {self._what} is being escalated already: "
                "its next stage is opening")

    @workflow.update
    async def resolve_case_concern(self, c: ResolveCaseConcern) -> Acted:
        """Close the ladder with the concern's outcome, recorded on the case."""
        return await self._resolve(c, c.outcome)

    @resolve_case_concern.validator
    def _check_resolve_concern(self, c: ResolveCaseConcern) -> None:
        self._check_resolution(c, c.concern_id)

    @workflow.update
    async def resolve_disagreement(self, c: ResolveDisagreement) -> Acted:
        return await self._resolve(c, c.outcome)

    @resolve_disagreement.validator
    def _check_resolve_disagreement(self, c: ResolveDisagreement) -> None:
        self._check_resolution(c, c.disagreement_id)

    @workflow.update
    async def resolve_safeguarder_concern(self, c: ResolveSafeguarderConcern) -> Acted:
        return await self._resolve(c, c.resolution)

    @resolve_safeguarder_concern.validator
    def _check_resolve_safeguarder(self, c: ResolveSafeguarderConcern) -> None:
        self._check_resolution(c, c.concern_id)

    @workflow.update
    async def escalate_case_concern(self, c: EscalateCaseConcern) -> Acted:
        """Escalate now, without waiting for the stage's deadline."""
        return await self._escalate(c)

    @escalate_case_concern.validator
    def _check_escalate_concern(self, c: EscalateCaseConcern) -> None:
        self._check_escalation(c, c.concern_id)

    @workflow.update
    async def escalate_disagreement(self, c: EscalateDisagreement) -> Acted:
        return await self._escalate(c)

    @escalate_disagreement.validator
    def _check_escalate_disagreement(self, c: EscalateDisagreement) -> None:
        self._check_escalation(c, c.disagreement_id)

    # --- queries ------------------------------------------------------------------------------

    @workflow.query
    def status(self) -> EscalationStatus:
        return EscalationStatus(self.s.stage, STAGES[self.s.stage], self.s.response_due,
                                self.s.resolved, self.s.outcome, list(self.s.history))

    @workflow.query
    def deadlines(self) -> list[Deadline]:
        """The current stage's response due; met once the ladder is resolved."""
        if self.s.response_due is None:
            return []
        return [Deadline(f"stage {self.s.stage} response", self.s.response_due, self.s.resolved)]
