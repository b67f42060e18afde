"""A supervision arrangement's process (seed 003, Appendix IV; seed 002): one workflow per
arrangement, started when it is made (`POST /arrangements`).

States (`status().state`), what each waits for and until when:
- awaiting session: a session (update `record_session`), until the start of `reminder_on`,
  `reminder_lead` (working days, the arrangement's nation) before the session is due; then a
  step "session reminder sent" (to both parties). Due: newly appointed staff, `new_staff_
  supervision` (monthly) from the last session while within `new_staff_period` of starting;
  half-termly, the end of each half term of the school's term calendar (a session in a break
  counts for the next half term); otherwise the agreed interval (direct contact at least every
  `direct_contact_supervision`, quarterly).
- reminded: the same, until the end of the due date; then `SessionMissed`, escalated to the
  line manager, dated when the period ended; the next period follows it.
- waiting for term dates: a half-termly arrangement with no half term ahead notes "term dates
  needed" (to the business unit) and looks again each week.
- ended: update `end` records `Ended`; the workflow ends.

Alongside:
- the review date: a step "review reminder sent" (both parties) and "evaluation invited" (the
  supervisee: seed 003, Appendix I) `reminder_lead` before it; `ReviewOverdue` at its end
  without a review (update `review` sets the next date);
- a level-1 confidentiality marking (update `mark_confidentiality`) opens a required action to
  report, due `confidentiality_report` (one working day): `UnreportedEscalated` to the
  safeguarding lead at its end unless recorded as reported (update `record_reported`);
- each session recorded: two of the supervisee's open cases chosen for its case-file audit, at
  random with a seed the workflow draws, recorded with the choice, dated when the session was
  held.
Every fact is dated when it fell due, never by the workflow's clock. Query `deadlines`: the next
session due, the review, each open level-1 report.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from temporalio import workflow
from temporalio.exceptions import ApplicationError

from workflows.acting import Acted, act, check_record, note, refused_rule
from workflows.common import ACTIVITY, Deadline, Trackers, end_of, require, start_of

with workflow.unsafe.imports_passed_through():
    from domain.arrangement_commands import (
        ChangeArrangementSupervisor,
        EndArrangement,
        EscalateUnreported,
        MarkConfidentiality,
        MarkReviewOverdue,
        MarkSessionMissed,
        RecordReported,
        RecordSupervisionSession,
        ReviewArrangement,
    )
    from domain.arrangement_values import Level
    from workflows.arrangement.activities import ArrangementActivities
    from workflows.arrangement.types import (
        BY,
        PROCESS,
        ArrangementFacts,
        ArrangementInput,
        ArrangementState,
        ArrangementStatus,
        CaseFileChoice,
        MarkingFacts,
        NextSession,
        SessionReading,
        arrangement_id,
    )

__all__ = ["SupervisionArrangementWorkflow", "arrangement_id"]

REFUSED_PERIOD_FAILS = "arrangement-refused-period-planned-again-fails"
"""The fence of `_check_progress`, for histories recorded before it."""

RECHECK = timedelta(days=7)
"""How often a half-termly arrangement with no half term ahead looks for new term dates (they
are set on another record, so the process asks again)."""


@workflow.defn
class SupervisionArrangementWorkflow:
    @workflow.init
    def __init__(self, arrangement: ArrangementInput) -> None:
        self.s = ArrangementState(arrangement.arrangement_id)
        self.lock = asyncio.Lock()  # one write to the arrangement at a time
        self.trackers = Trackers()

    @workflow.run
    async def run(self, arrangement: ArrangementInput) -> ArrangementStatus:
        await self._refresh()
        self.trackers.start(self._keep_reviewed())
        for marking in self._facts.markings:
            self._follow(marking)
        while not self._ended:
            async with self.lock:
                if self._ended:
                    break
                self.s.next = await workflow.execute_activity_method(
                    ArrangementActivities.plan_session,
                    SessionReading(self.s.arrangement_id, workflow.info().workflow_id),
                    **ACTIVITY)
            seen = self.s.changes
            if self.s.next is None:
                self._waiting_for_term_dates()
                await self._changed_by(seen, workflow.now() + RECHECK)
                continue
            self.s.waiting_for_term_dates = False
            self._check_progress(self.s.next)
            if not await self._await_session(self.s.next, seen):
                await self._missed(self.s.next)
        self.s.state = "ended"
        await self.trackers.finish()
        await workflow.wait_condition(workflow.all_handlers_finished)
        return self.status()

    # --- what the process knows ---------------------------------------------------------------

    @property
    def _facts(self) -> ArrangementFacts:
        assert self.s.facts is not None
        return self.s.facts

    @property
    def _ended(self) -> bool:
        return self.s.facts is not None and self.s.facts.ended

    @property
    def _record(self) -> UUID:
        return UUID(self.s.arrangement_id)

    async def _refresh(self) -> None:
        self.s.facts = await workflow.execute_local_activity_method(
            ArrangementActivities.read, self.s.arrangement_id, **ACTIVITY)

    def _log(self, moment: datetime, what: str) -> None:
        self.s.history.append(f"{moment.date()}: {what}")

    def _waiting_for_term_dates(self) -> None:
        if not self.s.waiting_for_term_dates:
            self.s.waiting_for_term_dates = True
            self.s.state = "waiting for term dates"
            self.s.history.append("term dates needed")

    async def _changed_by(self, seen: int, moment: datetime | None) -> bool:
        return await self.trackers.wait_until(lambda: self.s.changes > seen or self._ended,
                                              moment)

    async def _step(self, do: Any) -> str | None:
        """Take a process's step on the record; a refusal (the record moved on meanwhile, e.g.
        a session entered late within the period) is noted and the process goes on. The rule
        refused, if any."""
        async with self.lock:
            if self._ended:
                return None
            rule = None
            try:
                await do()
            except ApplicationError as failed:
                rule = refused_rule(failed)
                if rule is None:
                    raise
                self.s.history.append(f"step refused: {rule}")
            await self._refresh()
            return rule

    # --- sessions to the agreed frequency ----------------------------------------------------

    async def _await_session(self, n: NextSession, seen: int) -> bool:
        """Wait for a session through the cycle's dates; False when its due date passed."""
        self.s.state = "awaiting session"
        self._log(n.began_at, f"next session due {n.due} ({n.requirement})")
        if n.cycle not in self.s.reminded:
            if await self._changed_by(seen, start_of(n.reminder_on)):
                return True
            at = max(start_of(n.reminder_on), n.began_at)
            await self._step(lambda: note(PROCESS, self.s.arrangement_id, f"{n.cycle}:reminder",
                                          "session reminder sent", at,
                                          {"to": "supervisor and supervisee",
                                           "due": n.due.isoformat(),
                                           "requirement": n.requirement}))
            self.s.reminded.append(n.cycle)
            self.s.state = "reminded"
        return await self._changed_by(seen, end_of(n.due))

    async def _missed(self, n: NextSession) -> None:
        passed = end_of(n.due)
        missed = MarkSessionMissed(record_id=self._record, period_opens_on=n.opens,
                                   period_ends_on=n.due, requirement=n.requirement, by=BY,
                                   at=passed)
        refused = await self._step(lambda: act(
            PROCESS, missed, "session missed: escalated to the line manager",
            key=f"{n.cycle}:missed", details={"requirement": n.requirement,
                                              "period_opens_on": n.opens.isoformat(),
                                              "period_ends_on": n.due.isoformat()}))
        if refused is not None:
            self.s.unrecorded = (n.cycle, n.opens.isoformat(), refused)
            return
        self.s.missed.append(f"{n.requirement} (due {n.due})")
        self.s.state = "session missed"
        self._log(passed, f"session missed: {n.requirement}, due {n.due}")

    def _check_progress(self, n: NextSession) -> None:
        """A period the record refused to mark missed, planned again the same, would be waited
        on and refused for ever, each turn growing the history: the process fails instead,
        with the rule, where operations staff see it. (Behind a fence: a process caught in
        that loop before this release replays it unchanged, then, planned by today's rule,
        which opens the period the day after its session, records the period missed.)"""
        unrecorded = self.s.unrecorded
        if (unrecorded is not None and unrecorded[:2] == (n.cycle, n.opens.isoformat())
                and workflow.patched(REFUSED_PERIOD_FAILS)):
            raise ApplicationError(f"The period due {n.due} ({n.requirement}) was planned again "
                                   f"after the record refused it as missed: {unrecorded[2]}",
                                   type="ProcessStuck", non_retryable=True)

    # --- the contract's review -----------------------------------------------------------------

    async def _keep_reviewed(self) -> None:
        while not self._ended:
            f = self._facts
            due, reminder_on, since = f.review_on, f.review_reminder_on, f.reviewed_at

            def moved(due: Any = due) -> bool:
                return self._ended or self._facts.review_on != due

            if not await self.trackers.wait_until(moved, start_of(reminder_on)):
                at = max(start_of(reminder_on), since)
                await self._step(lambda due=due, at=at: self._remind_review(due, at))
            if not await self.trackers.wait_until(moved, end_of(due)):
                overdue = MarkReviewOverdue(record_id=self._record, review_on=due, by=BY,
                                            at=end_of(due))
                await self._step(lambda c=overdue, due=due: act(
                    PROCESS, c, "review overdue", key=f"review-{due}:overdue",
                    details={"review_on": due.isoformat()}))
                self._log(end_of(due), f"review overdue (due {due})")
            await self.trackers.wait_until(moved)

    async def _remind_review(self, due: Any, at: datetime) -> None:
        await note(PROCESS, self.s.arrangement_id, f"review-{due}:reminder",
                   "review reminder sent", at, {"to": "supervisor and supervisee",
                                                "review_on": due.isoformat()})
        await note(PROCESS, self.s.arrangement_id, f"review-{due}:evaluation",
                   "evaluation invited", at, {"to": "supervisee",
                                              "tool": "supervision evaluation (seed 003, "
                                                      "Appendix I)"})
        self._log(at, f"review reminder sent (review due {due})")

    # --- confidentiality: a level-1 matter reported within a working day ---------------------

    def _follow(self, marking: MarkingFacts) -> None:
        if (marking.level == Level.DUTY_TO_REPORT and not marking.done
                and not marking.escalated and marking.marking_id not in self.s.followed):
            self.s.followed.append(marking.marking_id)
            self.trackers.start(self._escalate_unless_reported(marking))

    def _reported(self, marking_id: str) -> bool:
        return any(m.marking_id == marking_id and m.done for m in self._facts.markings)

    async def _escalate_unless_reported(self, marking: MarkingFacts) -> None:
        assert marking.due_on is not None
        if await self.trackers.wait_until(
                lambda: self._ended or self._reported(marking.marking_id), end_of(marking.due_on)):
            return
        passed = end_of(marking.due_on)
        escalate = EscalateUnreported(record_id=self._record, marking_id=marking.marking_id,
                                      by=BY, at=passed)
        await self._step(lambda: act(PROCESS, escalate, "unreported matter escalated to the "
                                     "safeguarding lead", key=f"{marking.marking_id}:escalated",
                                     details={"marking_id": marking.marking_id,
                                              "due_on": marking.due_on.isoformat()}))
        self.s.escalated.append(marking.marking_id)
        self._log(passed, f"level-1 matter {marking.marking_id} not reported by "
                          f"{marking.due_on}: escalated")

    # --- people's actions ---------------------------------------------------------------------

    def _check(self, c: Any) -> None:
        check_record(c, self.s.arrangement_id)
        require(not self._ended, "An ended arrangement refuses every further command")

    async def _do(self, c: Any, step: str, answer: str) -> Acted:
        async with self.lock:
            receipt = await act(PROCESS, c, step)
            await self._refresh()
        self._log(c.at, step)
        return Acted(answer, receipt)

    @workflow.update
    async def record_session(self, c: RecordSupervisionSession) -> Acted:
        """Record a session; two of the supervisee's cases are chosen for its case-file audit."""
        done = await self._do(c, "session recorded", f"Session {c.session_id} recorded")
        me = workflow.info().workflow_id
        choice = CaseFileChoice(self.s.arrangement_id, f"{me}:{c.session_id}:case-files",
                                c.session_id, workflow.random().randint(1, 2**31 - 1), c.at)
        async with self.lock:
            chosen = await workflow.execute_activity_method(
                ArrangementActivities.choose_case_files, choice, **ACTIVITY)
        self.s.changes += 1
        cases = ", ".join(chosen) if chosen else "none open"
        return Acted(f"Session {c.session_id} recorded; case-file audit of: {cases}",
                     done.receipt)

    @record_session.validator
    def _check_session(self, c: RecordSupervisionSession) -> None:
        self._check(c)

    @workflow.update
    async def review(self, c: ReviewArrangement) -> Acted:
        """Review the arrangement; the next review is on the date it sets."""
        return await self._do(c, "arrangement reviewed",
                              f"Arrangement reviewed; next review on {c.next_review_on}")

    @review.validator
    def _check_review(self, c: ReviewArrangement) -> None:
        self._check(c)

    @workflow.update
    async def mark_confidentiality(self, c: MarkConfidentiality) -> Acted:
        """Mark a confidentiality level; level 1 is followed until reported or escalated."""
        done = await self._do(c, f"confidentiality marked ({c.level})", f"Marked {c.level}")
        for marking in self._facts.markings:
            if marking.marking_id == c.marking_id:
                self._follow(marking)
                if marking.due_on is not None:
                    return Acted(f"Marked {c.level}: to be recorded as reported by "
                                 f"{marking.due_on}", done.receipt)
        return done

    @mark_confidentiality.validator
    def _check_marking(self, c: MarkConfidentiality) -> None:
        self._check(c)

    @workflow.update
    async def record_reported(self, c: RecordReported) -> Acted:
        return await self._do(c, "level-1 matter reported", f"Matter {c.marking_id} reported")

    @record_reported.validator
    def _check_reported(self, c: RecordReported) -> None:
        self._check(c)

    @workflow.update
    async def change_supervisor(self, c: ChangeArrangementSupervisor) -> Acted:
        return await self._do(c, "supervisor changed", f"Supervisor is now {c.new_supervisor}")

    @change_supervisor.validator
    def _check_supervisor(self, c: ChangeArrangementSupervisor) -> None:
        self._check(c)

    @workflow.update
    async def end(self, c: EndArrangement) -> Acted:
        """End the arrangement; its process ends."""
        return await self._do(c, "arrangement ended", "Arrangement ended; its process has ended")

    @end.validator
    def _check_end(self, c: EndArrangement) -> None:
        self._check(c)

    # --- queries ------------------------------------------------------------------------------

    @workflow.query
    def status(self) -> ArrangementStatus:
        n, f = self.s.next, self.s.facts
        return ArrangementStatus(self.s.arrangement_id, self.s.state,
                                 n.requirement if n else None, n.due if n else None,
                                 f.review_on if f else None, f.sessions if f else 0,
                                 list(self.s.missed), list(self.s.escalated),
                                 list(self.s.history))

    @workflow.query
    def deadlines(self) -> list[Deadline]:
        """The next session due, the review, and each level-1 report still open."""
        n, f = self.s.next, self.s.facts
        if f is None or f.ended:
            return []
        found = [Deadline("next session", n.due, False)] if n is not None else []
        found.append(Deadline("arrangement review", f.review_on, False))
        found += [Deadline(f"report of {m.marking_id}", m.due_on, m.done) for m in f.markings
                  if m.due_on is not None and not m.escalated]
        return found
