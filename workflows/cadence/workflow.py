"""Supervision cadence of one open case (seed 003, aims 3 and 4): one workflow per case.

States (`status().state`), what each waits for and until when:
- awaiting discussion: a discussion (update `record_discussion`), a change of legal status, or
  closing; until the start of `reminder_on`, `reminder_lead` (working days, the case's nation)
  before the due date. A discussion: drift check on its date, next cycle. Else: step
  "discussion reminder sent" (to the supervisor).
- reminded: the same, until the end of the due date: `supervision_interval[legal status]`
  from the last discussion or the opening (child in need: `cin_supervision_interval`, 3
  months), or the earlier date the last discussion set. Late: step "discussion overdue",
  drift check on the day after.
- discussion overdue: the same, until the end of the interval when the discussion set an
  earlier date. Late: step "supervision interval passed", drift check.
- drifting (a drift check finds drift): `DriftFlagged` and `ConcernRaised` (stage 1), and a
  child `EscalationWorkflow`; while a drift concern the cadence raised is still unresolved, only
  a step "drift persists" (no second concern or ladder).
- closed: update `close` records `Closed`; the workflow ends.

Alongside: every agreed action is followed to its due date, and one still open then is marked
overdue (`ActionMarkedOverdue`, dated when it fell due). A concern or a professional
disagreement a person raises on the case starts its own escalation ladder. Every fact the
process records is dated when it fell due, never by the workflow's clock. Escalation ladders are
children with `REQUEST_CANCEL`: a closed case refuses every command, so its ladders end with it.
Query `deadlines`: the next discussion due, while the case is open.
"""

from __future__ import annotations

import asyncio
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from temporalio import workflow
from temporalio.exceptions import ApplicationError

from workflows.acting import Acted, act, check_record, note, refused_rule
from workflows.common import (ACTIVITY, Deadline, Trackers, end_of, start_of,
                              wait_until)
from workflows.escalation.types import EscalationInput, escalation_id
from workflows.escalation.workflow import EscalationWorkflow

with workflow.unsafe.imports_passed_through():
    from domain.case_values import check_case_open
    from domain.case_commands import (
        ChangeLegalStatus,
        CloseCase,
        CompleteAction,
        FlagDrift,
        MarkActionOverdue,
        RaiseCaseConcern,
        RaiseDisagreement,
        RecordDiscussion,
    )
    from workflows.cadence.activities import CadenceActivities
    from workflows.cadence.types import (
        BY,
        PROCESS,
        ActionDue,
        CadenceInput,
        CadenceReading,
        CadenceState,
        CadenceStatus,
        DriftFinding,
        DriftQuestion,
        NextDiscussion,
        cadence_id,
    )

__all__ = ["SupervisionCadenceWorkflow", "cadence_id"]


@workflow.defn
class SupervisionCadenceWorkflow:
    @workflow.init
    def __init__(self, cadence: CadenceInput) -> None:
        self.s = CadenceState(cadence.case_id)
        self.since: datetime | None = None  # when the fact that began the cycle happened
        self.lock = asyncio.Lock()  # one write to the case at a time: loop or update
        self.trackers = Trackers()

    @workflow.run
    async def run(self, cadence: CadenceInput) -> CadenceStatus:
        while not self.s.closed:
            async with self.lock:
                await self._plan()
                if self.s.drift_check_on is not None and not self.s.closed:
                    on, self.s.drift_check_on = self.s.drift_check_on, None
                    assert self.since is not None  # the discussion's own time
                    await self._check_drift(on, self.since)
            if self.s.closed:
                break
            seen = self.s.changes
            if not await self._await_discussion(seen):
                await self._changed_by(seen, None)
        self.s.state = "closed"
        await self.trackers.finish()
        await workflow.wait_condition(workflow.all_handlers_finished)
        return self.status()

    @property
    def _case(self) -> UUID:
        return UUID(self.s.case_id)

    def _log(self, what: str) -> None:
        self.s.history.append(what)

    async def _plan(self) -> None:
        me = workflow.info().workflow_id
        found: NextDiscussion = await workflow.execute_activity_method(
            CadenceActivities.plan_next_discussion,
            CadenceReading(self.s.case_id, me, self.since), **ACTIVITY)
        self.s.next = found
        if not found.open:
            self.s.closed = True
            self._log("case closed")
            return
        self.s.state = "awaiting discussion"
        self._log(f"next discussion due {found.due} ({found.legal_status})")
        for action in found.open_actions:
            self._follow(action)

    async def _await_discussion(self, seen: int) -> bool:
        """Wait through the cycle's dates; False when they all passed without a discussion."""
        n = self.s.next
        assert n is not None and n.due and n.limit and n.reminder_on
        if n.cycle not in self.s.reminded:
            if await self._changed_by(seen, start_of(n.reminder_on)):
                return True
            await self._notify(n, "reminder", "discussion reminder sent", n.due,
                               start_of(n.reminder_on))
            self.s.reminded.append(n.cycle)
            self.s.state = "reminded"
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
        return await self.trackers.wait_until(lambda: self.s.changes > seen or self.s.closed,
                                              moment)

    async def _notify(self, n: NextDiscussion, key: str, step: str, due: date,
                      at: datetime) -> None:
        async with self.lock:
            if self.s.closed:
                return
            await note(PROCESS, self.s.case_id, f"{n.cycle}:{key}", step, at,
                       {"to": "supervisor", "due": due.isoformat()})
        self._log(f"{step} (due {due})")

    async def _missed(self, n: NextDiscussion, key: str, step: str, due: date) -> None:
        """A date passed without a discussion: notify the supervisor, ask about drift on the
        day after (once a cycle)."""
        if f"{n.cycle}:{key}" in self.s.missed:
            return
        self.s.missed.append(f"{n.cycle}:{key}")
        passed = end_of(due)
        await self._notify(n, key, step, due, passed)
        self.s.state = step
        async with self.lock:
            if not self.s.closed:
                await self._check_drift(passed.date(), passed)

    async def _check_drift(self, on: date, at: datetime) -> None:
        """Ask the case whether it drifts on `on`; if so flag it, raise a concern, escalate;
        while a drift concern this cadence raised is still open, note that drift persists."""
        finding: DriftFinding = await workflow.execute_activity_method(
            CadenceActivities.drift, DriftQuestion(self.s.case_id, workflow.info().workflow_id,
                                                   on), **ACTIVITY)
        if not finding.reasons:
            self._log(f"no drift on {on}")
        elif finding.open_concern is not None:
            await note(PROCESS, self.s.case_id, f"drift-persists-{finding.open_concern}-{on}",
                       "drift persists", at, {"on": on.isoformat(),
                                              "concern_id": finding.open_concern,
                                              "reasons": finding.reasons})
            self._log(f"drift persists on {on}: concern {finding.open_concern} still open")
        else:
            await self._raise_drift(on, at, finding)

    async def _raise_drift(self, on: date, at: datetime, finding: DriftFinding) -> None:
        concern = finding.concern_id
        await act(PROCESS, FlagDrift(record_id=self._case, on=on, by=BY, at=at),
                  "drift flagged", key=concern,
                  details={"on": on.isoformat(), "concern_id": concern,
                           "reasons": finding.reasons})
        summary = "Drift: " + "; ".join(finding.reasons)
        await act(PROCESS, RaiseCaseConcern(record_id=self._case, concern_id=concern,
                                            summary=summary, by=BY, at=at),
                  "drift concern raised", key=f"{concern}:raised")
        await self._start_ladder("case-concern", concern, at)
        self.s.drift_flags += 1
        self._log(f"drift on {on}: concern {concern} escalated")

    async def _start_ladder(self, subject: str, item: str, raised: datetime) -> None:
        # An update can come before the process has read its case's first facts (the ladder
        # needs the case's nation): it waits for them, as no command is issued meanwhile.
        await workflow.wait_condition(lambda: self.s.next is not None)
        assert self.s.next is not None
        ladder = escalation_id(self.s.case_id, item)
        await workflow.start_child_workflow(
            EscalationWorkflow.run,
            EscalationInput(self.s.case_id, subject, item, self.s.next.nation, raised),
            id=ladder, parent_close_policy=workflow.ParentClosePolicy.REQUEST_CANCEL)
        self.s.escalations.append(ladder)

    # --- agreed actions followed to their due date -------------------------------------------

    def _follow(self, action: ActionDue) -> None:
        if action.action_id not in self.s.followed:
            self.s.followed.append(action.action_id)
            self.trackers.start(self._mark_when_overdue(action))

    async def _mark_when_overdue(self, action: ActionDue) -> None:
        def settled() -> bool:
            return self.s.closed or action.action_id in self.s.completed

        if await wait_until(settled, end_of(action.due)):
            return
        passed = end_of(action.due)
        mark = MarkActionOverdue(record_id=self._case, action_id=action.action_id,
                                 on=action.due + timedelta(days=1), by=BY, at=passed)
        async with self.lock:
            if settled():
                return
            try:
                await act(PROCESS, mark, "action marked overdue",
                          key=f"action-overdue-{action.action_id}",
                          details={"action_id": action.action_id, "due": action.due.isoformat()})
            except ApplicationError as failed:
                if refused_rule(failed) is None:
                    raise
                return  # completed meanwhile by another door
        self._log(f"action {action.action_id} overdue (due {action.due})")

    # --- people's actions ---------------------------------------------------------------------

    def _check(self, c: Any) -> None:
        """What the process knows: the command is for this case, and the case is not closed."""
        check_record(c, self.s.case_id)
        check_case_open(self.s.closed)

    async def _do(self, c: Any, step: str, answer: str) -> Acted:
        async with self.lock:
            receipt = await act(PROCESS, c, step)
        self._log(f"{c.at.date()}: {step}")
        return Acted(answer, receipt)

    def _changed(self, at: datetime) -> None:
        self.since = at
        self.s.changes += 1

    @workflow.update
    async def record_discussion(self, c: RecordDiscussion) -> Acted:
        """Record a discussion (held at its `at`); the next cycle counts from it."""
        done = await self._do(c, "discussion recorded",
                              f"Discussion {c.discussion_id} recorded; next due by "
                              f"{c.next_discussion_on}")
        self.s.drift_check_on = c.at.date()
        self._changed(c.at)
        return done

    @record_discussion.validator
    def _check_discussion(self, c: RecordDiscussion) -> None:
        self._check(c)

    @workflow.update
    async def change_legal_status(self, c: ChangeLegalStatus) -> Acted:
        """The interval (and so the due date) follows the new legal status."""
        done = await self._do(c, "legal status changed", f"Legal status is now {c.new_status}")
        self._changed(c.at)
        return done

    @change_legal_status.validator
    def _check_legal_status(self, c: ChangeLegalStatus) -> None:
        self._check(c)

    @workflow.update
    async def complete_action(self, c: CompleteAction) -> Acted:
        done = await self._do(c, "action completed", f"Action {c.action_id} completed")
        self.s.completed.append(c.action_id)
        return done

    @complete_action.validator
    def _check_complete(self, c: CompleteAction) -> None:
        self._check(c)

    @workflow.update
    async def raise_concern(self, c: RaiseCaseConcern) -> Acted:
        """Raise a concern; it climbs its own escalation ladder from stage 1."""
        done = await self._do(c, "concern raised", f"Concern {c.concern_id} raised and "
                              "escalated to stage 1")
        await self._start_ladder("case-concern", c.concern_id, c.at)
        return done

    @raise_concern.validator
    def _check_concern(self, c: RaiseCaseConcern) -> None:
        self._check(c)

    @workflow.update
    async def raise_disagreement(self, c: RaiseDisagreement) -> Acted:
        """Record a professional disagreement; it climbs its own escalation ladder."""
        done = await self._do(c, "disagreement raised", f"Disagreement {c.disagreement_id} "
                              "raised and escalated to stage 1")
        await self._start_ladder("case-disagreement", c.disagreement_id, c.at)
        return done

    @raise_disagreement.validator
    def _check_disagreement(self, c: RaiseDisagreement) -> None:
        self._check(c)

    @workflow.update
    async def close(self, c: CloseCase) -> Acted:
        """Close the case; the cadence ends (and its escalation ladders are cancelled)."""
        async with self.lock:
            receipt = await act(PROCESS, c, "cadence ended: case closed", key="closed")
            self.s.closed = True
        self._log("case closed")
        return Acted("Case closed; the supervision cadence has ended", receipt)

    @close.validator
    def _check_close(self, c: CloseCase) -> None:
        self._check(c)

    # --- queries ------------------------------------------------------------------------------

    @workflow.query
    def status(self) -> CadenceStatus:
        n = self.s.next
        return CadenceStatus(
            self.s.case_id, self.s.state, n.legal_status if n else None,
            n.due if n else None, n.reminder_on if n else None, n.discussions if n else 0,
            self.s.drift_flags, list(self.s.escalations), list(self.s.history))

    @workflow.query
    def deadlines(self) -> list[Deadline]:
        """The next discussion's due date while the case is open (a closed case waits on none)."""
        n = self.s.next
        if self.s.closed or n is None or n.due is None:
            return []
        return [Deadline("next discussion", n.due, False)]
