"""Multi-agency audit cycle (seeds 003 and 004): one per audit record, started when the audit is
planned (`POST /audits`), or by the yearly plan (`YearlyAuditWorkflow`, on a schedule).

Stages (`status().stage`, the record's own), what each waits for and until when:
- planned: the plan review falls due `audit_plan_review` (6 months) after planning.
- cases selected: `CasesSelectedAtRandom` (with its recorded seed) or `CasesSelectedByRisk`,
  from the open cases, dated when the audit was planned; each chosen case notes it. A refusal
  (too few cases) is recorded and fails the run.
- returns requested: every agency's return (update `submit_return`), until the start of
  `reminder_lead` (5 working days) before the returns due date; then a step "return reminder
  sent" per outstanding agency; until the end of the due date, then `ReturnChased` per
  outstanding agency; until the end of `audit_non_compliance` (10 working days) after it, then
  `NonComplianceEscalated` to the Safeguarding Operational Sub-Group. Each dated when it fell
  due.
- moderated, findings recorded, reported, actions agreed, closed: updates `moderate`,
  `record_findings`, `report`, `agree_actions`, `close`, in the record's order, each its event.
- throughout: update `review_plan` records `PlanReviewed` and the next review's date; at the
  start of the stored `plan_review_due` without a review, a step "plan review due" (to the
  sub-group chair).

Working days count in the input's nation (an audit record has none; England by default, seed 004).
Query `deadlines`: the returns due (met when every return is submitted or escalated) and each plan
review due (met once reviewed; the pending one until the audit closes).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import date
from typing import Any
from uuid import UUID

from temporalio import workflow
from temporalio.exceptions import ActivityError

from workflows.acting import Acted, act, check_record, note, refusal_of
from workflows.common import ACTIVITY, Deadline, end_of, first_read, start_of, wait_until

with workflow.unsafe.imports_passed_through():
    from domain.audit_commands import (
        AgreeActions,
        ChaseReturn,
        CloseAudit,
        EscalateNonCompliance,
        Moderate,
        PlanAudit,
        RecordFindings,
        ReportAudit,
        RequestReturns,
        ReviewPlan,
        SubmitReturn,
    )
    from domain.audit_values import AuditStage, ESCALATION_GROUP, check_audit_open
    from domain.policy import add_months
    from workflows.audit_cycle.activities import AuditCycleActivities
    from workflows.audit_cycle.types import (
        BY,
        PROCESS,
        AuditCycleInput,
        AuditCycleState,
        AuditCycleStatus,
        AuditFacts,
        AuditSelection,
        YearlyAuditInput,
        audit_cycle_id,
        yearly_reference,
    )

__all__ = ["AuditCycleWorkflow", "YearlyAuditWorkflow", "audit_cycle_id"]


def next_occurrence(day: date, today: date) -> date:
    """`day`'s month and day in the first year in which it is still to come."""
    moved = add_months(day, 12 * (today.year - day.year))
    return moved if moved > today else add_months(moved, 12)


@workflow.defn
class AuditCycleWorkflow:
    """The returns' dates and the plan's reviews, and people's steps as updates."""

    @workflow.init
    def __init__(self, cycle: AuditCycleInput) -> None:
        self.input = cycle
        self.s = AuditCycleState(cycle.audit_id)
        self.lock = asyncio.Lock()  # one write to the audit at a time: loop, timer or update

    @workflow.run
    async def run(self, cycle: AuditCycleInput) -> AuditCycleStatus:
        await self._refresh()
        reviews = asyncio.create_task(self._keep_plan_reviewed())
        await self._select(cycle.seed if cycle.seed is not None
                           else workflow.random().randint(1, 2**31 - 1))
        await self._request_returns()
        await self._follow_returns()
        await workflow.wait_condition(lambda: self._stage == AuditStage.CLOSED)
        await reviews
        await workflow.wait_condition(workflow.all_handlers_finished)
        return self.status()

    @property
    def _facts(self) -> AuditFacts:
        assert self.s.facts is not None
        return self.s.facts

    @property
    def _stage(self) -> str:
        return self.s.facts.stage if self.s.facts else AuditStage.PLANNED

    @property
    def _audit(self) -> UUID:
        return UUID(self.s.audit_id)

    async def _refresh(self) -> None:
        self.s.facts = await workflow.execute_local_activity_method(
            AuditCycleActivities.read, self.s.audit_id, **ACTIVITY)

    def _outstanding(self, *settled: list[str]) -> list[str]:
        done = {a for group in settled for a in group}
        return [a for a in self._facts.agencies if a not in done]

    async def _select(self, seed: int) -> None:
        me, method = workflow.info().workflow_id, self.input.selection_method
        async with self.lock:
            try:
                self.s.selected = await workflow.execute_activity_method(
                    AuditCycleActivities.select_cases,
                    AuditSelection(self.s.audit_id, f"{me}:cases-selected", method, seed,
                                   self._facts.opened_at), **ACTIVITY)
            except ActivityError as failed:
                refusal = refusal_of(failed)
                if refusal is failed:
                    raise
                await note(PROCESS, self.s.audit_id, "selection-refused",
                           "case selection refused", self._facts.opened_at,
                           {"method": method, "rule": str(refusal)})
                raise refusal from None
            await self._refresh()
        self.s.history.append(f"{len(self.s.selected)} cases selected ({method})")

    async def _request_returns(self) -> None:
        dates = await workflow.execute_activity_method(
            AuditCycleActivities.returns_dates, args=[self.s.audit_id, self.input.nation],
            **ACTIVITY)
        self.s.dates = dates
        async with self.lock:
            await act(PROCESS, RequestReturns(record_id=self._audit, by=BY,
                                              at=self._facts.opened_at),
                      "returns requested", key="returns-requested",
                      details={"returns_due": dates.returns_due.isoformat(),
                               "reminder_on": dates.reminder_on.isoformat(),
                               "non_compliance_escalation_after": dates.escalate_on.isoformat()})
            await self._refresh()
        self.s.history.append(f"returns requested: due {dates.returns_due}")

    # -- the returns ---------------------------------------------------------------------------

    async def _follow_returns(self) -> None:
        """Remind, chase, then escalate the agencies whose returns are still outstanding."""
        d = self.s.dates
        assert d is not None
        if not await self._all_returned_by(start_of(d.reminder_on)):
            await self._each_outstanding("reminder", self._remind)
        if not await self._all_returned_by(end_of(d.returns_due)):
            await self._each_outstanding("chase", self._chase)
        if not await self._all_returned_by(end_of(d.escalate_on)):
            await self._each_outstanding("escalation", self._escalate)

    async def _all_returned_by(self, moment: Any) -> bool:
        return await wait_until(lambda: not self._outstanding(self._facts.submitted), moment)

    async def _each_outstanding(self, what: str, take: Callable[[str], Any]) -> None:
        async with self.lock:
            outstanding = self._outstanding(self._facts.submitted)
            for agency in outstanding:
                await take(agency)
            await self._refresh()
        self.s.history.append(f"{what}: {', '.join(outstanding)}")

    async def _remind(self, agency: str) -> None:
        d = self.s.dates
        assert d is not None
        await note(PROCESS, self.s.audit_id, f"reminder-{agency}", "return reminder sent",
                   start_of(d.reminder_on), {"agency": agency, "to": "agency audit lead",
                                             "returns_due": d.returns_due.isoformat()})

    async def _chase(self, agency: str) -> None:
        d = self.s.dates
        assert d is not None
        await act(PROCESS, ChaseReturn(record_id=self._audit, agency=agency, by=BY,
                                       at=end_of(d.returns_due)),
                  "return chased", key=f"chase-{agency}",
                  details={"agency": agency, "to": "agency audit lead"})
        self.s.chased.append(agency)

    async def _escalate(self, agency: str) -> None:
        d = self.s.dates
        assert d is not None
        await act(PROCESS, EscalateNonCompliance(record_id=self._audit, agency=agency, by=BY,
                                                 at=end_of(d.escalate_on)),
                  "non-compliance escalated", key=f"escalate-{agency}",
                  details={"agency": agency, "to": ESCALATION_GROUP})

    # -- the plan's six-monthly review ---------------------------------------------------------

    async def _keep_plan_reviewed(self) -> None:
        """At each stored plan review date, remind the chair; a review sets the next date."""
        while self._stage != AuditStage.CLOSED:
            await self._plan_review_falls_due(self._facts.plan_review_due)

    async def _plan_review_falls_due(self, due: date) -> None:
        def moved_on() -> bool:
            return self._stage == AuditStage.CLOSED or self._facts.plan_review_due != due

        if await wait_until(moved_on, start_of(due)):
            return
        async with self.lock:
            if self._stage != AuditStage.CLOSED:
                await note(PROCESS, self.s.audit_id, f"plan-review-due-{due}", "plan review due",
                           start_of(due), {"to": "chair of the Practice Review Sub-Group",
                                           "due": due.isoformat()})
                self.s.history.append(f"plan review due {due}")
        await workflow.wait_condition(moved_on)

    # -- people's steps ------------------------------------------------------------------------

    def _check(self, c: Any) -> None:
        check_record(c, self.s.audit_id)
        check_audit_open(self._stage == AuditStage.CLOSED)

    async def _do(self, c: Any, step: str) -> Acted:
        async with self.lock:
            receipt = await act(PROCESS, c, step)
            await self._refresh()
        self.s.history.append(step)
        return Acted(f"Audit {step}", receipt)

    @workflow.update
    async def submit_return(self, c: SubmitReturn) -> Acted:
        """An agency's return; answers once it is recorded on the audit."""
        return await self._do(c, f"return of {c.agency} submitted")

    @submit_return.validator
    def _check_return(self, c: SubmitReturn) -> None:
        self._check(c)

    @workflow.update
    async def review_plan(self, c: ReviewPlan) -> Acted:
        """The six-monthly review of the audit plan; answers with the next review's date."""
        await first_read(self.s)
        due = self._facts.plan_review_due
        done = await self._do(c, "plan reviewed")
        self.s.reviewed.append(due)
        return Acted(f"Plan reviewed; next review due {self._facts.plan_review_due}",
                     done.receipt)

    @review_plan.validator
    def _check_review(self, c: ReviewPlan) -> None:
        self._check(c)

    @workflow.update
    async def moderate(self, c: Moderate) -> Acted:
        return await self._do(c, "moderated")

    @moderate.validator
    def _check_moderate(self, c: Moderate) -> None:
        self._check(c)

    @workflow.update
    async def record_findings(self, c: RecordFindings) -> Acted:
        return await self._do(c, "findings recorded")

    @record_findings.validator
    def _check_findings(self, c: RecordFindings) -> None:
        self._check(c)

    @workflow.update
    async def report(self, c: ReportAudit) -> Acted:
        return await self._do(c, "reported")

    @report.validator
    def _check_report(self, c: ReportAudit) -> None:
        self._check(c)

    @workflow.update
    async def agree_actions(self, c: AgreeActions) -> Acted:
        return await self._do(c, "actions agreed")

    @agree_actions.validator
    def _check_actions(self, c: AgreeActions) -> None:
        self._check(c)

    @workflow.update
    async def close(self, c: CloseAudit) -> Acted:
        return await self._do(c, "closed")

    @close.validator
    def _check_close(self, c: CloseAudit) -> None:
        self._check(c)

    # -- queries -------------------------------------------------------------------------------

    @workflow.query
    def status(self) -> AuditCycleStatus:
        f, d = self.s.facts, self.s.dates
        return AuditCycleStatus(
            self.s.audit_id, f.opened_at.year if f else None, str(self._stage),
            d.returns_due if d else None, d.reminder_on if d else None,
            d.escalate_on if d else None, f.plan_review_due if f else None,
            list(self.s.selected), list(f.submitted) if f else [], list(self.s.chased),
            list(f.escalated) if f else [], list(self.s.history))

    @workflow.query
    def deadlines(self) -> list[Deadline]:
        """The returns due, then each plan review due (the pending one while the audit is open)."""
        f, d = self.s.facts, self.s.dates
        found = []
        if d is not None and f is not None:
            settled = not self._outstanding(f.submitted, f.escalated)
            found.append(Deadline("returns", d.returns_due, settled))
        found += [Deadline("plan review", due, True) for due in self.s.reviewed]
        if f is not None and self._stage != AuditStage.CLOSED:
            found.append(Deadline("plan review", f.plan_review_due, False))
        return found


@workflow.defn
class YearlyAuditWorkflow:
    """The yearly plan: make the year's audit from the template, start its cycle, and end.

    The schedule starts it (workflows/audit_cycle/schedule.py); the audit is planned when the
    schedule fires (the workflow's start, not when a worker first ran it), under the reference
    `audit-cycle-<year>`, so one audit a year."""

    @workflow.run
    async def run(self, template: YearlyAuditInput) -> str:
        now = workflow.info().workflow_start_time
        due = next_occurrence(template.returns_due, now.date())
        plan = PlanAudit(reference=yearly_reference(now.year), theme=template.theme,
                         dimension=template.dimension, audit_type=template.audit_type,
                         year=now.year, agencies=tuple(template.agencies),
                         sample_size=template.sample_size, returns_due=due, by=BY, at=now)
        planned = await act(PROCESS, plan, "audit planned", key="planned",
                            details={"year": now.year, "returns_due": due.isoformat()})
        audit_id = str(planned.aggregate_id)
        await workflow.start_child_workflow(
            AuditCycleWorkflow.run,
            AuditCycleInput(audit_id, template.selection_method, template.seed, template.nation),
            id=audit_cycle_id(audit_id), parent_close_policy=workflow.ParentClosePolicy.ABANDON)
        return audit_id
