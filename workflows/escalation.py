"""Escalation of a concern: a staged ladder that climbs by itself when a stage goes unanswered.

Stage 1 supervisor, stage 2 manager, stage 3 senior manager or partnership (seed 003). Each stage
has a response deadline in working days (`Policy.escalation_stage_response`, the record's
nation). Resolution at any stage closes the ladder and records the outcome on the record.
Subjects: a case's concern (drift), a case's professional disagreement, a Safeguarder's concern.
Query `deadlines`: the current stage's response due, met once the ladder is resolved.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from temporalio import workflow
from temporalio.exceptions import ApplicationError

from workflows.common import ACTIVITY, Deadline, end_of, wait_until

with workflow.unsafe.imports_passed_through():
    from workflows.activities.escalation import (
        Escalation,
        EscalationActivities,
        Resolution,
        StageOpening,
    )

STAGES = {1: "supervisor", 2: "manager", 3: "senior manager or partnership"}
SUBJECTS = ("case-concern", "case-disagreement", "safeguarder-concern")


def escalation_id(record_id: str, item_id: str) -> str:
    """The business id: one ladder per concern or disagreement of a record."""
    return f"escalation-{record_id}-{item_id}"


@dataclass
class EscalationInput:
    record_id: str
    subject: str
    item_id: str
    nation: str


@dataclass
class EscalationStatus:
    stage: int
    stage_name: str
    response_due: date | None
    resolved: bool
    outcome: str | None
    history: list[str] = field(default_factory=list)


@dataclass
class ResolveRequest:
    outcome: str
    by: str


@dataclass
class EscalateRequest:
    reason: str
    by: str


@workflow.defn
class EscalationWorkflow:
    def __init__(self) -> None:
        self.stage = 1
        self.response_due: date | None = None
        self.resolution: ResolveRequest | None = None
        self.resolved = False
        self.manual: EscalateRequest | None = None
        self.history: list[str] = []

    @workflow.run
    async def run(self, ladder: EscalationInput) -> EscalationStatus:
        if ladder.subject not in SUBJECTS:
            raise ApplicationError(f"Unknown escalation subject {ladder.subject}",
                                   non_retryable=True)
        self.input = ladder
        while True:
            await self._open_stage()
            answered = await self._wait_for_answer()
            if self.resolution is not None:
                await self._resolve()
                return self.status()
            if self.stage == 3:
                self.history.append("stage 3 unanswered: the ladder waits for resolution")
                await workflow.wait_condition(lambda: self.resolution is not None)
                await self._resolve()
                return self.status()
            await self._climb(self.manual if answered else None)

    async def _open_stage(self) -> None:
        me = workflow.info().workflow_id
        self.response_due = await workflow.execute_activity_method(
            EscalationActivities.open_stage,
            StageOpening(self.input.record_id, f"{me}:stage-{self.stage}", self.stage,
                         self.input.nation, workflow.now().date(), workflow.now()),
            **ACTIVITY,
        )
        self.history.append(f"stage {self.stage} ({STAGES[self.stage]}) due {self.response_due}")

    async def _wait_for_answer(self) -> bool:
        """Wait for a resolution or a manual escalation; False when the deadline passed."""
        assert self.response_due is not None
        return await wait_until(lambda: self.resolution is not None or self.manual is not None,
                                end_of(self.response_due))

    async def _climb(self, manual: EscalateRequest | None) -> None:
        reason = (manual.reason if manual else
                  f"no response at stage {self.stage} by {self.response_due}")
        by = manual.by if manual else "process:escalation"
        me = workflow.info().workflow_id
        await workflow.execute_activity_method(
            EscalationActivities.escalate,
            Escalation(self.input.record_id, f"{me}:escalate-{self.stage + 1}",
                       self.input.subject, self.input.item_id, self.stage + 1, reason, by,
                       workflow.now()),
            **ACTIVITY,
        )
        self.history.append(f"escalated to stage {self.stage + 1}: {reason}")
        self.stage += 1
        self.manual = None

    async def _resolve(self) -> None:
        assert self.resolution is not None
        me = workflow.info().workflow_id
        await workflow.execute_activity_method(
            EscalationActivities.resolve,
            Resolution(self.input.record_id, f"{me}:resolved", self.input.subject,
                       self.input.item_id, self.stage, self.resolution.outcome,
                       self.resolution.by, workflow.now()),
            **ACTIVITY,
        )
        self.history.append(f"resolved at stage {self.stage}")
        self.resolved = True

    @workflow.query
    def status(self) -> EscalationStatus:
        return EscalationStatus(self.stage, STAGES[self.stage], self.response_due, self.resolved,
                                self.resolution.outcome if self.resolution else None,
                                list(self.history))

    @workflow.query
    def deadlines(self) -> list[Deadline]:
        """The current stage's response due; met once the ladder is resolved."""
        if self.response_due is None:
            return []
        return [Deadline(f"stage {self.stage} response", self.response_due, self.resolved)]

    @workflow.update
    async def resolve(self, request: ResolveRequest) -> str:
        """Close the ladder with an outcome; answers once the outcome is on the record."""
        self.resolution = request
        await workflow.wait_condition(lambda: self.resolved)
        return f"Resolved at stage {self.stage} ({STAGES[self.stage]})"

    @resolve.validator
    def _validate_resolve(self, request: ResolveRequest) -> None:
        if self.resolution is not None:
            raise ValueError("An escalation is resolved once")
        if not request.outcome.strip():
            raise ValueError("A resolution records its outcome")

    @workflow.update
    def escalate(self, request: EscalateRequest) -> str:
        """Escalate now, without waiting for the stage's deadline."""
        self.manual = request
        return f"Escalating from stage {self.stage} to stage {self.stage + 1}"

    @escalate.validator
    def _validate_escalate(self, request: EscalateRequest) -> None:
        if self.resolution is not None:
            raise ValueError("A resolved escalation cannot be escalated")
        if self.stage >= 3 or self.manual is not None:
            raise ValueError("A concern cannot be escalated beyond stage 3 (senior manager or "
                             "partnership)")
        if not request.reason.strip():
            raise ValueError("An escalation needs a reason")
