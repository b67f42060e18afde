"""People's steps in a year's audit: the updates of `AuditCycleWorkflow`
(workflows/audit_cycle.py), each with its validator.

An agency's return, the six-monthly plan review, then in order moderation, findings, the report,
the agreed actions and the close. A validator refuses a step out of order (the domain's pure
checks in `domain.audit_values`) and changes nothing; each update answers once its event is on
the audit. The workflow class inherits these handlers and owns the state declared below.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from temporalio import workflow

from workflows.common import command, obey, require

with workflow.unsafe.imports_passed_through():
    from domain import audit_values as rules
    from domain.audit_values import AuditStage
    from workflows.activities.audit_cycle import (
        AuditCycleActivities,
        AuditStep,
        PlanReview,
        ReturnSubmission,
    )
    from workflows.audit_cycle_types import (
        ActionsRequest,
        CloseAuditRequest,
        FindingsRequest,
        NotesRequest,
        ReportRequest,
        ReturnRequest,
    )


class AuditCycleUpdates:
    """The updates; `AuditCycleWorkflow.__init__` sets this state."""

    lock: asyncio.Lock  # one write to the audit at a time: loop, timer or update
    audit_id: str | None
    stage: AuditStage
    agencies: list[str]
    submitted: list[str]
    escalated: list[str]
    plan_review_due: date | None
    reviewed: list[date]  # plan review dates met by a review
    reviews: int
    history: list[str]

    def _outstanding(self, settled: list[str]) -> list[str]:
        return [a for a in self.agencies if a not in settled]

    async def _command(self, activity: Any, argument: Callable[[datetime], Any]) -> Any:
        """Run a person's command under the lock, timed when it runs; a broken rule fails the
        update with the rule's words."""
        async with self.lock:
            return await command(activity, argument(workflow.now()))

    @property
    def _id(self) -> str:
        assert self.audit_id is not None
        return self.audit_id

    # -- people's steps ------------------------------------------------------------------------

    @workflow.update
    async def submit_return(self, r: ReturnRequest) -> str:
        """An agency's return; answers once it is recorded on the audit."""
        me = workflow.info().workflow_id
        await self._command(AuditCycleActivities.submit_return, lambda at: ReturnSubmission(
            self._id, f"{me}:return-{r.agency}", at, r))
        self.submitted.append(r.agency)
        self.history.append(f"return submitted: {r.agency}")
        return f"Return of {r.agency} recorded"

    @submit_return.validator
    def _validate_return(self, r: ReturnRequest) -> None:
        obey(lambda: rules.check_returns_open(self.stage))
        require(r.agency in self.agencies,
                "A return must refer to an agency taking part in the audit")
        require(r.agency not in self.submitted, "An agency submits one return to an audit")
        obey(lambda: rules.check_grades(r.supervision_grade, r.oversight_grade))
        require(rules.is_text(r.evidence), "A return needs evidence for its grades")

    @workflow.update
    async def review_plan(self, r: NotesRequest) -> str:
        """The six-monthly review of the audit plan; answers with the next review's date."""
        me, self.reviews = workflow.info().workflow_id, self.reviews + 1
        number, due = self.reviews, self.plan_review_due
        try:
            self.plan_review_due = await self._command(
                AuditCycleActivities.review_plan,
                lambda at: PlanReview(self._id, f"{me}:plan-review-{number}", at, r))
        except Exception:
            self.reviews -= 1
            raise
        if due is not None:
            self.reviewed.append(due)
        self.history.append(f"plan reviewed; next review due {self.plan_review_due}")
        return f"Plan reviewed; next review due {self.plan_review_due}"

    @review_plan.validator
    def _validate_review(self, r: NotesRequest) -> None:
        require(self.stage != AuditStage.CLOSED and self.audit_id is not None,
                "Only a planned, open audit's plan is reviewed")
        require(rules.is_text(r.notes), "A review of an audit plan records notes")

    async def _advance(self, stage: AuditStage, step: str, by: str, **fields: Any) -> str:
        me = workflow.info().workflow_id
        await self._command(AuditCycleActivities.advance, lambda at: AuditStep(
            self._id, f"{me}:{stage}", step, by, at, **fields))
        self.stage = stage
        self.history.append(step)
        return f"Audit {step}"

    def _check_next(self, stage: AuditStage) -> None:
        obey(lambda: rules.check_next_step(self.stage, stage))

    @workflow.update
    async def moderate(self, r: NotesRequest) -> str:
        return await self._advance(AuditStage.MODERATED, "moderated", r.by, notes=r.notes)

    @moderate.validator
    def _validate_moderate(self, r: NotesRequest) -> None:
        self._check_next(AuditStage.MODERATED)
        require(not self._outstanding(self.submitted + self.escalated),
                "An audit cannot be moderated while an agency's return is neither submitted nor "
                "escalated as non-compliant")
        require(rules.is_text(r.notes), "Moderation records notes")

    @workflow.update
    async def record_findings(self, r: FindingsRequest) -> str:
        return await self._advance(
            AuditStage.FINDINGS_RECORDED, "findings recorded", r.by,
            strengths=list(r.strengths), areas_for_development=list(r.areas_for_development))

    @record_findings.validator
    def _validate_findings(self, r: FindingsRequest) -> None:
        self._check_next(AuditStage.FINDINGS_RECORDED)
        findings = r.strengths + r.areas_for_development
        require(bool(findings) and all(rules.is_text(f) for f in findings),
                "Findings name at least one strength or area for development, each written out")

    @workflow.update
    async def report(self, r: ReportRequest) -> str:
        return await self._advance(AuditStage.REPORTED, "reported", r.by, notes=r.group)

    @report.validator
    def _validate_report(self, r: ReportRequest) -> None:
        self._check_next(AuditStage.REPORTED)
        require(rules.is_text(r.group), "An audit is reported to a named group")

    @workflow.update
    async def agree_actions(self, r: ActionsRequest) -> str:
        return await self._advance(AuditStage.ACTIONS_AGREED, "actions agreed", r.by,
                                   actions=list(r.actions))

    @agree_actions.validator
    def _validate_actions(self, r: ActionsRequest) -> None:
        self._check_next(AuditStage.ACTIONS_AGREED)
        obey(lambda: rules.check_actions([vars(a) for a in r.actions], workflow.now().date()))

    @workflow.update
    async def close(self, r: CloseAuditRequest) -> str:
        return await self._advance(AuditStage.CLOSED, "closed", r.by)

    @close.validator
    def _validate_close(self, r: CloseAuditRequest) -> None:
        self._check_next(AuditStage.CLOSED)
