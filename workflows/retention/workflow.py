"""The retention process (UK GDPR Art. 5(1)(e)): list the data subjects' records past their
retention period, ask the named role to approve, then erase each (`EraseSubject`).

Started by its monthly schedule (schedule.py). A run with nothing due waits on a timer until
the next record falls due; a listing waits `approval_days` for approval, then ends erasing
nothing. A record under legal hold is never listed; one held after the listing is refused at
its erasure and reported as held, and the others go on.
"""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

from temporalio import workflow
from temporalio.exceptions import ApplicationError

from workflows.acting import act
from workflows.common import ACTIVITY, require, start_of
from workflows.retention.types import (
    PROCESS,
    Approval,
    Due,
    Listing,
    RetentionInput,
    RetentionOutcome,
)

with workflow.unsafe.imports_passed_through():
    from domain.subject_commands import EraseSubject


@workflow.defn
class RetentionWorkflow:
    def __init__(self) -> None:
        self._input = RetentionInput()
        self._listed: list[Due] = []
        self._approval: Approval | None = None

    @workflow.run
    async def run(self, given: RetentionInput) -> RetentionOutcome:
        self._input = given
        while True:
            listing: Listing = await workflow.execute_activity(
                "list_past_retention", workflow.now().date().isoformat(), result_type=Listing,
                **ACTIVITY)
            if listing.due:
                break
            if listing.next_due is None:
                return RetentionOutcome()
            due = start_of(date.fromisoformat(listing.next_due) + timedelta(days=1))
            await workflow.sleep(max(due - workflow.now(), timedelta(seconds=1)))
        self._listed = listing.due
        try:
            await workflow.wait_condition(lambda: self._approval is not None,
                                          timeout=timedelta(days=given.approval_days))
        except TimeoutError:
            return RetentionOutcome()
        return await self._erase(self._approval)  # type: ignore[arg-type]

    async def _erase(self, approval: Approval) -> RetentionOutcome:
        outcome = RetentionOutcome(approved_by=approval.by)
        for due in self._listed:
            c = EraseSubject(record_id=UUID(due.record_id), by=approval.by, at=workflow.now(),
                             grounds=f"Retention period ended on {due.kept_until} "
                             f"(domain/policy.py); erasure approved by {approval.by}")
            try:
                await act(PROCESS, c, "erased at the end of its retention period",
                          key=f"erase:{due.record_id}")
            except ApplicationError:  # refused: a legal hold stands
                outcome.held.append(due.record_id)
            else:
                outcome.erased.append(due.record_id)
        return outcome

    @workflow.query
    def listed(self) -> list[Due]:
        return self._listed

    @workflow.update
    async def approve(self, approval: Approval) -> str:
        self._approval = approval
        return f"{len(self._listed)} records will be erased"

    @approve.validator
    def _check_approval(self, approval: Approval) -> None:
        require(approval.role == self._input.approver_role,
                f"Erasure at the end of retention is approved by the "
                f"{self._input.approver_role}")
        require(bool(self._listed), "No records are waiting for approval")
        require(self._approval is None, "The listing was approved already")
