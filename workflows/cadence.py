"""Supervision cadence of one open case (seed 003, aims 3 and 4): one workflow per case.

States (`status().state`), what each waits for and until when:
- awaiting discussion: a discussion (update `record_discussion` or signal
  `discussion_recorded`), or closing; until the start of `reminder_on`, `reminder_lead`
  (working days, the case's nation) before the due date. A discussion in time: drift check,
  next cycle. Else: step "discussion reminder sent" (to the supervisor).
- reminded: the same, until the end of the due date: `supervision_interval[legal status]`
  from the last discussion or the opening (child in need: `cin_supervision_interval`, 3
  months), or the earlier date the last discussion set. Late: step "discussion overdue",
  drift check.
- discussion overdue: the same, until the end of the interval when the discussion set an
  earlier date. Late: step "supervision interval passed", drift check.
- drifting (a drift check finds drift): `DriftFlagged` and `ConcernRaised` (stage 1), and a
  child `EscalationWorkflow`; while a drift concern the cadence raised is still unresolved, only
  a step "drift persists" (no second concern or ladder).
- closed: update `close` records `Closed`; the workflow ends.

Every cycle starts by recording "next discussion due" with its dates. The drift check asks the
case (`Case.drift_reasons`) after each discussion and at each missed date. Escalation ladders are
children with `REQUEST_CANCEL`: a closed case refuses every command, so its ladders end with it.
Query `deadlines`: the next discussion due, while the case is open.
"""

from __future__ import annotations

import asyncio
from datetime import date, datetime

from temporalio import workflow

from workflows.common import (
    ACTIVITY,
    Deadline,
    command,
    end_of,
    obey,
    record_step,
    require,
    start_of,
    wait_until,
)
from workflows.escalation import EscalationInput, EscalationWorkflow, escalation_id

with workflow.unsafe.imports_passed_through():
    from domain.case_values import Rag, given, member
    from workflows.activities.cadence import (
        PROCESS,
        CadenceActivities,
        CadenceReading,
        CadenceReminder,
        CaseClosure,
        Discussion,
        DriftFinding,
        DriftFlag,
        DriftQuestion,
        NextDiscussion,
    )
    from workflows.cadence_types import (
        CadenceInput,
        CadenceStatus,
        CloseRequest,
        DiscussionNotice,
        DiscussionRequest,
    )


def cadence_id(case_id: str) -> str:
    """The business id: one cadence per case."""
    return f"cadence-{case_id}"


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
        return await wait_until(lambda: self.changes > seen or self.closed, moment)

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
        """Ask the case whether it drifts today; if so flag it, raise a concern, escalate;
        while a drift concern this cadence raised is still open, note that drift persists."""
        on, me = workflow.now().date(), workflow.info().workflow_id
        finding = await workflow.execute_activity_method(
            CadenceActivities.drift, DriftQuestion(self.input.case_id, me, on), **ACTIVITY)
        if not finding.reasons:
            self.history.append(f"no drift on {on}")
        elif finding.open_concern is not None:
            await self._drift_persists(on, finding.open_concern, finding.reasons)
        else:
            await self._raise_drift(on, finding)

    async def _drift_persists(self, on: date, concern: str, reasons: list[str]) -> None:
        """No second concern and ladder while the first is open: the step is recorded."""
        await record_step(self.input.case_id, f"drift-persists-{concern}-{on}", PROCESS,
                          "drift persists",
                          {"on": on.isoformat(), "concern_id": concern, "reasons": reasons})
        self.history.append(f"drift persists on {on}: concern {concern} still open")

    async def _raise_drift(self, on: date, finding: DriftFinding) -> None:
        me, case_id, concern = workflow.info().workflow_id, self.input.case_id, finding.concern_id
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

    @workflow.query
    def status(self) -> CadenceStatus:
        n = self.next
        return CadenceStatus(
            self.input.case_id, self.state, n.legal_status if n else None,
            n.due if n else None, n.reminder_on if n else None, n.discussions if n else 0,
            self.drift_flags, list(self.escalations), list(self.history))

    @workflow.query
    def deadlines(self) -> list[Deadline]:
        """The next discussion's due date while the case is open (a closed case waits on none)."""
        n = self.next
        if self.closed or n is None or n.due is None:
            return []
        return [Deadline("next discussion", n.due, False)]

    @workflow.update
    async def record_discussion(self, request: DiscussionRequest) -> str:
        """Record a discussion held now, through the case; answers once it is recorded."""
        r, me = request, workflow.info().workflow_id
        async with self.lock:
            await command(CadenceActivities.record_discussion, Discussion(
                self.input.case_id, f"{me}:discussion-{r.discussion_id}", workflow.now(), r))
        self._saw_discussion(r.discussion_id)
        return f"Discussion {r.discussion_id} recorded; next due by {r.next_discussion_on}"

    @record_discussion.validator
    def _validate_discussion(self, request: DiscussionRequest) -> None:
        r = request
        require(not self.closed, "A closed case refuses every further command")
        obey(lambda: member(Rag, r.rag, "A RAG rating is G (improving), A (the same) or R "
                                        "(worse)"))
        require(given(r.discussion_id, r.supervisor, r.supervisee, r.by),
                "A discussion names its id, supervisor, supervisee and recorder")
        require(r.supervisee != r.supervisor,
                "A supervision discussion needs a supervisee other than the supervisor")
        require(given(r.needs, r.risks, r.engagement, r.capacity_for_change, r.plan),
                "A supervision discussion records the child's needs, risks, engagement, "
                "capacity for change and plan")
        require(r.next_discussion_on > workflow.now().date(),
                "The next discussion must be dated after this discussion")

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
            await command(CadenceActivities.close, CaseClosure(
                self.input.case_id, f"{me}:closed", request.reason, request.by,
                workflow.now()))
            self.closed = True
        self.history.append("case closed")
        return "Case closed; the supervision cadence has ended"

    @close.validator
    def _validate_close(self, request: CloseRequest) -> None:
        require(not self.closed, "A closed case refuses every further command")
        require(given(request.reason, request.by), "Closing a case needs a reason")
