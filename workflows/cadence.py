"""Supervision cadence of one open case (seed 003, aims 3 and 4): one workflow per case.

| state | waits for | until (policy period) | on time | late |
|---|---|---|---|---|
| awaiting discussion | a discussion (update `record_discussion` or signal `discussion_recorded`), or closing | start of `reminder_on` = `reminder_lead` (working days, the case's nation) before the due date | drift check, next cycle | step "discussion reminder sent" (to the supervisor) |
| reminded | the same | end of the due date: `supervision_interval[legal status]` from the last discussion or opening (child in need: `cin_supervision_interval`, 3 months), or the earlier date the discussion set | drift check, next cycle | step "discussion overdue", drift check |
| overdue | the same | end of the interval, when the discussion set an earlier date | next cycle | step "supervision interval passed", drift check |
| drifting | - | - | - | `DriftFlagged` and `ConcernRaised` (stage 1), child `EscalationWorkflow` |
| closed | - | - | - | update `close`: `Closed`; the workflow ends |

Every cycle starts by recording "next discussion due" with its dates. The drift check asks the
case (`Case.drift_reasons`) after each discussion and at each missed date. Escalation ladders are
children with `REQUEST_CANCEL`: a closed case refuses every command, so its ladders end with it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

from temporalio import workflow
from temporalio.exceptions import ActivityError, ApplicationError

from workflows.common import ACTIVITY, end_of, until
from workflows.escalation import EscalationInput, EscalationWorkflow, escalation_id

with workflow.unsafe.imports_passed_through():
    from domain.case_values import Rag, given, member
    from domain.errors import RuleBroken
    from workflows.activities.cadence import (
        ActionAgreed,
        CadenceActivities,
        CadenceReading,
        CadenceReminder,
        CaseClosure,
        Discussion,
        DriftFlag,
        DriftQuestion,
        NextDiscussion,
    )


def cadence_id(case_id: str) -> str:
    """The business id: one cadence per case."""
    return f"cadence-{case_id}"


@dataclass
class CadenceInput:
    case_id: str


@dataclass
class CadenceStatus:
    case_id: str
    state: str
    legal_status: str | None
    due: date | None
    reminder_on: date | None
    discussions: int
    drift_flags: int
    escalations: list[str] = field(default_factory=list)
    history: list[str] = field(default_factory=list)


@dataclass
class DiscussionRequest:
    """A supervision discussion held now (seed 003, Appendix III)."""

    discussion_id: str
    supervisor: str
    supervisee: str
    needs: str
    risks: str
    engagement: str
    capacity_for_change: str
    plan: str
    rag: str
    next_discussion_on: date
    by: str
    actions: list[ActionAgreed] = field(default_factory=list)


@dataclass
class DiscussionNotice:
    """A discussion recorded on the case by another door (the API), for the cadence to see."""

    discussion_id: str


@dataclass
class CloseRequest:
    reason: str
    by: str


def start_of(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=UTC)


def obey(check: Callable[[], Any]) -> None:
    """Run a domain check in a validator: a broken rule rejects the update."""
    try:
        check()
    except RuleBroken as broken:
        raise ValueError(broken.rule) from None


def rule_of(failed: ActivityError) -> BaseException:
    """An activity refused by a domain rule, as the update's failure with the rule's words."""
    cause = failed.cause
    if isinstance(cause, ApplicationError) and cause.type == "RuleBroken":
        return ApplicationError(cause.message, type="RuleBroken", non_retryable=True)
    return failed


@workflow.defn
class SupervisionCadenceWorkflow:
    def __init__(self) -> None:
        self.lock = asyncio.Lock()  # one write to the case at a time: loop or update
        self.next: NextDiscussion | None = None
        self.state = "starting"
        self.changes = 0  # discussions and legal-status changes seen (update or signal)
        self.discussed = False  # a discussion since the last drift check
        self.closed = False
        self.reminded: set[str] = set()
        self.missed: set[str] = set()
        self.drift_flags = 0
        self.escalations: list[str] = []
        self.history: list[str] = []

    @workflow.run
    async def run(self, cadence: CadenceInput) -> CadenceStatus:
        self.input = cadence
        while not self.closed:
            async with self.lock:
                await self._plan()
                if self.discussed and not self.closed:
                    self.discussed = False
                    await self._check_drift()
            if self.closed:
                break
            seen = self.changes
            if not await self._await_discussion(seen):
                await self._changed_by(seen, None)
        self.state = "closed"
        await workflow.wait_condition(workflow.all_handlers_finished)
        return self.status()

    async def _plan(self) -> None:
        me = workflow.info().workflow_id
        self.next = await workflow.execute_activity_method(
            CadenceActivities.plan_next_discussion,
            CadenceReading(self.input.case_id, me, workflow.now()), **ACTIVITY)
        if not self.next.open:
            self.closed = True
            self.history.append("case closed")
            return
        self.state = "awaiting discussion"
        self.history.append(f"next discussion due {self.next.due} ({self.next.legal_status})")

    async def _await_discussion(self, seen: int) -> bool:
        """Wait through the cycle's dates; False when they all passed without a discussion."""
        n = self.next
        assert n is not None and n.due and n.limit and n.reminder_on
        if n.cycle not in self.reminded:
            if await self._changed_by(seen, start_of(n.reminder_on)):
                return True
            await self._notify(n, "reminder", "discussion reminder sent", n.due)
            self.reminded.add(n.cycle)
            self.state = "reminded"
        if await self._changed_by(seen, end_of(n.due)):
            return True
        await self._missed(n, "overdue", "discussion overdue", n.due)
        if n.limit > n.due:
            if await self._changed_by(seen, end_of(n.limit)):
                return True
            await self._missed(n, "interval", "supervision interval passed", n.limit)
        return False

    async def _changed_by(self, seen: int, moment: datetime | None) -> bool:
        """Whether a discussion or change came (or the case closed) by `moment` (None: ever)."""

        def changed() -> bool:
            return self.changes > seen or self.closed

        if changed():  # a passed moment times out at once, before the condition is looked at
            return True
        try:
            await workflow.wait_condition(
                changed, timeout=until(workflow.now(), moment) if moment else None)
            return True
        except TimeoutError:
            return False

    async def _notify(self, n: NextDiscussion, key: str, step: str, due: date) -> None:
        me = workflow.info().workflow_id
        async with self.lock:
            if self.closed:
                return
            await workflow.execute_activity_method(
                CadenceActivities.remind,
                CadenceReminder(self.input.case_id, f"{me}:{n.cycle}:{key}", step, due,
                                workflow.now()), **ACTIVITY)
        self.history.append(f"{step} (due {due})")

    async def _missed(self, n: NextDiscussion, key: str, step: str, due: date) -> None:
        """A date passed without a discussion: notify the supervisor, ask about drift (once a
        cycle, though a signal that changed nothing brings the loop round again)."""
        if f"{n.cycle}:{key}" in self.missed:
            return
        self.missed.add(f"{n.cycle}:{key}")
        await self._notify(n, key, step, due)
        self.state = step
        async with self.lock:
            if not self.closed:
                await self._check_drift()

    async def _check_drift(self) -> None:
        """Ask the case whether it drifts today; if so flag it, raise a concern, escalate."""
        on, case_id = workflow.now().date(), self.input.case_id
        finding = await workflow.execute_activity_method(
            CadenceActivities.drift, DriftQuestion(case_id, on), **ACTIVITY)
        if not finding.reasons:
            self.history.append(f"no drift on {on}")
            return
        me, concern = workflow.info().workflow_id, finding.concern_id
        await workflow.execute_activity_method(
            CadenceActivities.flag_drift,
            DriftFlag(case_id, f"{me}:{concern}", on, concern, finding.reasons, workflow.now()),
            **ACTIVITY)
        assert self.next is not None
        ladder = escalation_id(case_id, concern)
        await workflow.start_child_workflow(
            EscalationWorkflow.run, EscalationInput(case_id, "case-concern", concern,
                                                    self.next.nation),
            id=ladder, parent_close_policy=workflow.ParentClosePolicy.REQUEST_CANCEL)
        self.drift_flags += 1
        self.escalations.append(ladder)
        self.history.append(f"drift on {on}: concern {concern} escalated")

    async def _command(self, activity: Any, argument: Any) -> None:
        try:
            await workflow.execute_activity_method(activity, argument, **ACTIVITY)
        except ActivityError as failed:
            raise rule_of(failed) from None

    @workflow.query
    def status(self) -> CadenceStatus:
        n = self.next
        return CadenceStatus(
            self.input.case_id, self.state, n.legal_status if n else None,
            n.due if n else None, n.reminder_on if n else None, n.discussions if n else 0,
            self.drift_flags, list(self.escalations), list(self.history))

    @workflow.update
    async def record_discussion(self, request: DiscussionRequest) -> str:
        """Record a discussion held now, through the case; answers once it is recorded."""
        r, me = request, workflow.info().workflow_id
        async with self.lock:
            await self._command(CadenceActivities.record_discussion, Discussion(
                self.input.case_id, f"{me}:discussion-{r.discussion_id}", r.discussion_id,
                r.supervisor, r.supervisee, r.needs, r.risks, r.engagement,
                r.capacity_for_change, r.plan, r.rag, r.next_discussion_on, r.by,
                workflow.now(), list(r.actions)))
        self._saw_discussion(r.discussion_id)
        return f"Discussion {r.discussion_id} recorded; next due by {r.next_discussion_on}"

    @record_discussion.validator
    def _validate_discussion(self, request: DiscussionRequest) -> None:
        r = request
        if self.closed:
            raise ValueError("A closed case refuses every further command")
        obey(lambda: member(Rag, r.rag, "A RAG rating is G (improving), A (the same) or R "
                                        "(worse)"))
        if not given(r.discussion_id, r.supervisor, r.supervisee, r.by):
            raise ValueError("A discussion names its id, supervisor, supervisee and recorder")
        if r.supervisee == r.supervisor:
            raise ValueError("A supervision discussion needs a supervisee other than the "
                             "supervisor")
        if not given(r.needs, r.risks, r.engagement, r.capacity_for_change, r.plan):
            raise ValueError("A supervision discussion records the child's needs, risks, "
                             "engagement, capacity for change and plan")
        if r.next_discussion_on <= workflow.now().date():
            raise ValueError("The next discussion must be dated after this discussion")

    @workflow.signal
    def discussion_recorded(self, notice: DiscussionNotice) -> None:
        """A discussion was recorded on the case by the API: check drift, plan the next."""
        self._saw_discussion(notice.discussion_id)

    @workflow.signal
    def legal_status_changed(self) -> None:
        """The case's legal status changed: the interval (and due date) may have too."""
        self.changes += 1

    def _saw_discussion(self, discussion_id: str) -> None:
        self.discussed = True
        self.changes += 1
        self.history.append(f"discussion {discussion_id} recorded")

    @workflow.update
    async def close(self, request: CloseRequest) -> str:
        """Close the case; the cadence ends (and its escalation ladders are cancelled)."""
        me = workflow.info().workflow_id
        async with self.lock:
            await self._command(CadenceActivities.close, CaseClosure(
                self.input.case_id, f"{me}:closed", request.reason, request.by,
                workflow.now()))
            self.closed = True
        self.history.append("case closed")
        return "Case closed; the supervision cadence has ended"

    @close.validator
    def _validate_close(self, request: CloseRequest) -> None:
        if self.closed:
            raise ValueError("A closed case refuses every further command")
        if not given(request.reason, request.by):
            raise ValueError("Closing a case needs a reason")
