"""A quarter's assurance cycle (seed 004, the five-step diagram): one workflow per cycle,
started when the business unit plans it (`POST /assurance-cycles`).

States (`status().state`), what each waits for and until when:
- evidence due: each lead's evidence (update `submit_evidence`); steps "evidence requested"
  (each lead, dated when the cycle was planned); until the start of `reminder_on`
  (`reminder_lead` before the due date, England's working days): "evidence reminder sent" to
  each lead still owing; until the end of the due date (`evidence_due_before_meeting`, 10 days
  before the sub-group meets): `EvidenceChased` for each; until the end of
  `evidence_non_compliance` after it: `EvidenceEscalated` to the Safeguarding Operational
  sub-group. The sub-group's discussion (update `record_discussion`) moves it on; its meeting
  day passing without one notes "sub-group discussion not recorded".
- discussed (clarify and deep dive): queries (update `raise_query`), each chased
  (`QueryChased`) at the end of its due date unless answered (update `answer_query`);
  spotlights (update `finalise_spotlight`); decisions (update `record_decisions`); the
  partnership's meeting day passing without them notes "partnership decisions not recorded".
- decided: publication (update `publish`) due `assurance_publication` after the partnership
  meets; "publication overdue" when it passes.
- published: a step "forward plan update requested" (to the business unit); the workflow ends.
Every fact is dated when it fell due. Query `deadlines`: evidence, the two meetings,
publication, each open query.

A process's step is decided as its moment passes, before the lock is held; a person's step may
land meanwhile (the evidence saved, the query answered, the meeting recorded). Under the lock
the step is taken only if it is still due, and a refusal by the record (the fact happened by
another door) is logged and the process goes on (`_step`), as in the other processes.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import date, datetime
from typing import Any
from uuid import UUID

from temporalio import workflow
from temporalio.exceptions import ApplicationError

from workflows.acting import Acted, act, check_record, note, refused_rule
from workflows.common import ACTIVITY, Deadline, Trackers, end_of, first_read, start_of

with workflow.unsafe.imports_passed_through():
    from domain.assurance_commands import (
        AnswerQuery,
        ChaseEvidence,
        ChaseQuery,
        EscalateEvidence,
        FinaliseSpotlight,
        PublishAssuranceReport,
        RaiseQuery,
        RecordPartnershipDecisions,
        RecordSubGroupDiscussion,
        SubmitEvidence,
    )
    from domain.assurance_values import ESCALATION_GROUP, CycleStage, check_not_published
    from workflows.assurance_cycle.activities import AssuranceActivities
    from workflows.assurance_cycle.types import (
        BY,
        PROCESS,
        AssuranceInput,
        CycleFacts,
        CycleState,
        CycleStatus,
        QueryFacts,
        assurance_cycle_id,
    )

__all__ = ["AssuranceCycleWorkflow", "assurance_cycle_id"]

STAGES = list(CycleStage)

# Histories recorded before the steps were re-decided under the lock replay without it.
DECIDED_UNDER_LOCK = "assurance-cycle-steps-decided-under-the-lock"


@workflow.defn
class AssuranceCycleWorkflow:
    @workflow.init
    def __init__(self, cycle: AssuranceInput) -> None:
        self.s = CycleState(cycle.cycle_id)
        self.lock = asyncio.Lock()
        self.trackers = Trackers()

    @workflow.run
    async def run(self, cycle: AssuranceInput) -> CycleStatus:
        await self._refresh()
        await self._request_evidence()
        self.trackers.start(self._follow_evidence())
        self.trackers.start(self._watch_meetings())
        await self.trackers.wait_until(lambda: self._reached(CycleStage.PUBLISHED))
        published = self._facts.published_at
        assert published is not None
        async with self.lock:
            await note(PROCESS, self.s.cycle_id, "forward-plan-update", "forward plan update "
                       "requested", published, {"to": "business unit",
                                                "quarter": self._facts.quarter})
        self.s.state = "published"
        await self.trackers.finish()
        await workflow.wait_condition(workflow.all_handlers_finished)
        return self.status()

    @property
    def _facts(self) -> CycleFacts:
        assert self.s.facts is not None
        return self.s.facts

    @property
    def _record(self) -> UUID:
        return UUID(self.s.cycle_id)

    def _reached(self, stage: CycleStage) -> bool:
        return STAGES.index(CycleStage(self._facts.stage)) >= STAGES.index(stage)

    async def _refresh(self) -> None:
        self.s.facts = await workflow.execute_local_activity_method(
            AssuranceActivities.read, self.s.cycle_id, **ACTIVITY)
        if not self._reached(CycleStage.PUBLISHED):
            self.s.state = self._facts.stage.replace("_", " ")

    def _log(self, moment: datetime, what: str) -> None:
        self.s.history.append(f"{moment.date()}: {what}")

    # --- 1. evidence due -----------------------------------------------------------------------

    async def _request_evidence(self) -> None:
        f = self._facts
        async with self.lock:
            for item, lead in f.leads.items():
                await note(PROCESS, self.s.cycle_id, f"requested-{item}", "evidence requested",
                           f.opened_at, {"item": item, "to": lead,
                                         "due": f.evidence_due.isoformat()})
        self._log(f.opened_at, f"evidence requested of {len(f.leads)} lead(s), due "
                               f"{f.evidence_due}")

    async def _outstanding_by(self, moment: datetime) -> list[str]:
        """The evidence still owed once `moment` passes (none once all is in, or published)."""
        done = self._reached
        await self.trackers.wait_until(
            lambda: not self._facts.outstanding or done(CycleStage.PUBLISHED), moment)
        return [] if done(CycleStage.PUBLISHED) else list(self._facts.outstanding)

    def _owed(self, item: str) -> Callable[[], bool]:
        """Whether `item` is still owed (the cycle not published)."""
        return lambda: item in self._facts.outstanding and not self._reached(
            CycleStage.PUBLISHED)

    async def _follow_evidence(self) -> None:
        f = self._facts
        at = max(start_of(f.reminder_on), f.opened_at)
        for item in await self._outstanding_by(start_of(f.reminder_on)):
            await self._step(self._owed(item), lambda item=item: note(
                PROCESS, self.s.cycle_id, f"reminder-{item}", "evidence reminder sent", at,
                {"item": item, "to": self._facts.leads[item],
                 "due": f.evidence_due.isoformat()}), at, f"evidence reminder to {item}'s lead")
        passed = end_of(f.evidence_due)
        for item in await self._outstanding_by(passed):
            chase = ChaseEvidence(record_id=self._record, item=item, by=BY, at=passed)
            if await self._step(self._owed(item), lambda c=chase: act(
                    PROCESS, c, "evidence chased", key=f"chase-{c.item}",
                    details={"item": c.item, "to": self._facts.leads[c.item]}),
                    passed, f"chase of {item}"):
                self._log(passed, f"evidence chased: {item}")
        passed = end_of(f.escalate_on)
        for item in await self._outstanding_by(passed):
            escalate = EscalateEvidence(record_id=self._record, item=item, by=BY, at=passed)
            if await self._step(self._owed(item), lambda c=escalate: act(
                    PROCESS, c, "non-compliance escalated", key=f"escalate-{c.item}",
                    details={"item": c.item, "to": ESCALATION_GROUP}),
                    passed, f"escalation of {item}"):
                self._log(passed, f"non-compliance escalated: {item}")

    async def _step(self, due: Callable[[], bool], do: Callable[[], Awaitable[Any]],
                    moment: datetime, what: str) -> bool:
        """Take a process's step, decided before the lock was held, if it is still `due` once
        it is; whether it was taken. A refusal by the record (e.g. the evidence saved by
        another door as the chase fell due) is logged and the process goes on."""
        async with self.lock:
            if workflow.patched(DECIDED_UNDER_LOCK) and not due():
                self._log(moment, f"{what} skipped: done meanwhile")
                return False
            taken = True
            try:
                await do()
            except ApplicationError as failed:
                rule = refused_rule(failed)
                if rule is None:
                    raise
                self._log(moment, f"{what} skipped: {rule}")
                taken = False
            await self._refresh()
        return taken

    # --- the meetings and the publication ------------------------------------------------------

    async def _watch_meetings(self) -> None:
        f = self._facts
        for stage, day, what in (
                (CycleStage.DISCUSSED, f.sub_group_meets_on, "sub-group discussion not recorded"),
                (CycleStage.DECIDED, f.partnership_meets_on, "partnership decisions not recorded"),
                (CycleStage.PUBLISHED, f.publication_due, "publication overdue")):
            if not await self.trackers.wait_until(lambda s=stage: self._reached(s), end_of(day)):
                await self._note_late(stage, day, what)
            await self.trackers.wait_until(lambda s=stage: self._reached(s))

    async def _note_late(self, stage: CycleStage, day: date, what: str) -> None:
        if await self._step(lambda: not self._reached(stage), lambda: note(
                PROCESS, self.s.cycle_id, f"late-{day}-{what[:11]}", what, end_of(day),
                {"to": "business unit", "due": day.isoformat()}), end_of(day), f"note '{what}'"):
            self._log(end_of(day), what)

    # --- 3. queries ---------------------------------------------------------------------------

    def _follow_queries(self) -> None:
        for query in self._facts.queries:
            if query.query_id not in self.s.followed and not query.answered:
                self.s.followed.append(query.query_id)
                self.trackers.start(self._chase_unless_answered(query))

    def _answered(self, query_id: str) -> bool:
        return any(q.query_id == query_id and q.answered for q in self._facts.queries)

    async def _chase_unless_answered(self, query: QueryFacts) -> None:
        if await self.trackers.wait_until(lambda: self._answered(query.query_id) or self._reached(
                CycleStage.PUBLISHED), end_of(query.due_on)):
            return
        passed = end_of(query.due_on)
        chase = ChaseQuery(record_id=self._record, query_id=query.query_id, by=BY, at=passed)
        if await self._step(lambda: not self._answered(query.query_id) and not self._reached(
                CycleStage.PUBLISHED), lambda: act(PROCESS, chase, "query chased",
                                                   key=f"query-{query.query_id}:chased",
                                                   details={"query_id": query.query_id,
                                                            "to": query.to}),
                passed, f"chase of query {query.query_id}"):
            self._log(passed, f"query {query.query_id} chased")

    # --- people's steps -----------------------------------------------------------------------

    def _check(self, c: Any) -> None:
        check_record(c, self.s.cycle_id)
        check_not_published(self.s.facts is not None and self._reached(CycleStage.PUBLISHED))

    async def _do(self, c: Any, step: str, answer: str) -> Acted:
        async with self.lock:
            receipt = await act(PROCESS, c, step)
            await self._refresh()
        self._log(c.at, step)
        return Acted(answer, receipt)

    @workflow.update
    async def submit_evidence(self, c: SubmitEvidence) -> Acted:
        await first_read(self.s)
        late = c.at.date() > self._facts.evidence_due
        return await self._do(c, "evidence submitted", f"Evidence for {c.item} submitted"
                              + (" (late)" if late else ""))

    @submit_evidence.validator
    def _check_evidence(self, c: SubmitEvidence) -> None:
        self._check(c)

    @workflow.update
    async def record_discussion(self, c: RecordSubGroupDiscussion) -> Acted:
        return await self._do(c, "sub-group discussion recorded",
                              "Sub-group discussion recorded: clarify and deep dive")

    @record_discussion.validator
    def _check_discussion(self, c: RecordSubGroupDiscussion) -> None:
        self._check(c)

    @workflow.update
    async def raise_query(self, c: RaiseQuery) -> Acted:
        """Raise a query; it is chased at its due date unless answered."""
        done = await self._do(c, "query raised", f"Query {c.query_id} raised, due {c.due_on}")
        self._follow_queries()
        return done

    @raise_query.validator
    def _check_query(self, c: RaiseQuery) -> None:
        self._check(c)

    @workflow.update
    async def answer_query(self, c: AnswerQuery) -> Acted:
        return await self._do(c, "query answered", f"Query {c.query_id} answered")

    @answer_query.validator
    def _check_answer(self, c: AnswerQuery) -> None:
        self._check(c)

    @workflow.update
    async def finalise_spotlight(self, c: FinaliseSpotlight) -> Acted:
        return await self._do(c, "spotlight finalised", f"Spotlight {c.spotlight_id} finalised")

    @finalise_spotlight.validator
    def _check_spotlight(self, c: FinaliseSpotlight) -> None:
        self._check(c)

    @workflow.update
    async def record_decisions(self, c: RecordPartnershipDecisions) -> Acted:
        return await self._do(c, "partnership decisions recorded",
                              f"{len(c.decisions)} decision(s) recorded")

    @record_decisions.validator
    def _check_decisions(self, c: RecordPartnershipDecisions) -> None:
        self._check(c)

    @workflow.update
    async def publish(self, c: PublishAssuranceReport) -> Acted:
        """Publish the final report; the cycle ends, asking for the forward plan's update."""
        return await self._do(c, "report published", "Report published; the cycle has ended")

    @publish.validator
    def _check_publish(self, c: PublishAssuranceReport) -> None:
        self._check(c)

    # --- queries ------------------------------------------------------------------------------

    @workflow.query
    def status(self) -> CycleStatus:
        f = self.s.facts
        return CycleStatus(self.s.cycle_id, f.quarter if f else None, self.s.state,
                           f.evidence_due if f else None, list(f.outstanding) if f else [],
                           list(f.chased) if f else [], list(f.escalated) if f else [],
                           list(self.s.history))

    @workflow.query
    def deadlines(self) -> list[Deadline]:
        f = self.s.facts
        if f is None:
            return []
        due: list[tuple[str, date, bool]] = [
            ("evidence", f.evidence_due, not f.outstanding or set(f.outstanding) <= set(
                f.escalated)),
            ("sub-group discussion", f.sub_group_meets_on, self._reached(CycleStage.DISCUSSED)),
            ("partnership decisions", f.partnership_meets_on, self._reached(CycleStage.DECIDED)),
            ("publication", f.publication_due, self._reached(CycleStage.PUBLISHED))]
        due += [(f"query {q.query_id}", q.due_on, q.answered) for q in f.queries]
        return [Deadline(name, day, met) for name, day, met in due]
