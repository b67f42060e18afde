"""The quarterly assurance cycle's process when a person's step lands between the process
deciding a step and taking it (the race the demo data loader met): the evidence saved as its
chase or escalation falls due, a query answered as its chase falls due. The process skips the
step that is no longer due, records what the person gave, and keeps running to publication.

The race is made deterministic by the worker's own activities: the chase (or escalation) runs
after the process decided it, and first saves the person's fact through the application, as
another door would in that instant, then carries out the process's command as usual.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest
from temporalio import activity
from temporalio.client import WorkflowExecutionStatus, WorkflowHandle

from domain.application import Assured
from domain.assurance import AssuranceCycle
from domain.assurance_commands import (
    AnswerQuery,
    ChaseEvidence,
    ChaseQuery,
    CycleAction,
    CycleRecommendation,
    EscalateEvidence,
    EvidenceRequest,
    PlanAssuranceCycle,
    PublishAssuranceReport,
    RaiseQuery,
    RecommendationDecision,
    RecordPartnershipDecisions,
    RecordSubGroupDiscussion,
    SubmitEvidence,
)
from domain.assurance_values import EvidenceKind
from domain.handling import Receipt, Step
from domain.policy import DEFAULT_POLICY
from tests.workflows.conftest import Running, eventually, events, keep_history, now, steps
from workflows.assurance_cycle.types import AssuranceInput, assurance_cycle_id
from workflows.assurance_cycle.workflow import AssuranceCycleWorkflow as Cycle
from workflows.command_activities import carry_out
from workflows.common import end_of
from workflows.worker import READERS, activities_of, build_worker, command_activities

BU = "bu-1"
LEADS = {"Police": "police-1", "Health": "health-1", "drift_cases": "lead-1"}
KINDS = {"drift_cases": EvidenceKind.MEASURE}
HOSTILE = "<script>alert('x')</script> Robert'); DROP TABLE evidence;--"


def evidence(cycle: UUID, item: str, at: datetime) -> SubmitEvidence:
    return SubmitEvidence(record_id=cycle, item=item, data=f"{item}: 4 of 9 {HOSTILE}",
                          narrative="Sent as the deadline passed", by=LEADS[item], at=at)


class Racing:
    """The worker's activities, with the chase, escalation and query chase each saving a
    person's fact through the application first; `ran` lists the steps carried out."""

    def __init__(self, app: Assured) -> None:
        self.app, self.ran = app, list[str]()

    def activities(self) -> list[Callable[..., Any]]:
        raced = [self.chase_evidence(), self.escalate_evidence(), self.chase_query()]
        names = {_name(a) for a in raced}
        return [*(a for a in command_activities(self.app) if _name(a) not in names),
                *activities_of(self.app, READERS), *raced]

    def chase_evidence(self) -> Callable[..., Receipt]:
        @activity.defn(name="ChaseEvidence")
        def chase(step: Step, c: ChaseEvidence) -> Receipt:
            self.ran.append(f"chase {c.item}")
            if c.item == "Police":  # Police's evidence, a second in time, and Health's, late
                self.app.submit_evidence(evidence(c.record_id, "Police",
                                                  c.at - timedelta(seconds=1)))
                self.app.submit_evidence(evidence(c.record_id, "Health",
                                                  c.at + timedelta(seconds=1)))
            return carry_out(self.app, step, c)
        return chase

    def escalate_evidence(self) -> Callable[..., Receipt]:
        @activity.defn(name="EscalateEvidence")
        def escalate(step: Step, c: EscalateEvidence) -> Receipt:
            self.ran.append(f"escalate {c.item}")
            self.app.submit_evidence(evidence(c.record_id, c.item, c.at))
            return carry_out(self.app, step, c)
        return escalate

    def chase_query(self) -> Callable[..., Receipt]:
        @activity.defn(name="ChaseQuery")
        def chase_query(step: Step, c: ChaseQuery) -> Receipt:
            self.ran.append(f"chase query {c.query_id}")
            self.app.answer_query(AnswerQuery(record_id=c.record_id, query_id=c.query_id,
                                              answer=f"Answered at the last moment {HOSTILE}",
                                              by="police-1", at=c.at - timedelta(seconds=1)))
            return carry_out(self.app, step, c)
        return chase_query


def _name(found: Callable[..., Any]) -> str:
    return str(found.__temporal_activity_definition.name)  # type: ignore[attr-defined]


async def still_running(handle: WorkflowHandle) -> None:
    """A failed process fails the test at once (not by timing out)."""
    if (await handle.describe()).status != WorkflowExecutionStatus.RUNNING:
        pytest.fail(f"the cycle's process is no longer running: {await _failure(handle)}")


async def _failure(handle: WorkflowHandle) -> str:
    try:
        await handle.result()
    except Exception as failed:  # noqa: BLE001 - the failure is what the test reports
        return f"{failed}: {getattr(failed, 'cause', None)}"
    return "it ended"


async def test_steps_landing_as_their_chase_falls_due_skip_it_and_the_cycle_runs_on(
        running: Running) -> None:
    app, planned = running.app, datetime.now(UTC) - timedelta(minutes=1)
    meets = planned.date() + timedelta(days=20)
    cycle = app.plan_assurance_cycle(PlanAssuranceCycle(
        quarter="2026Q4", sub_group_meets_on=meets, partnership_meets_on=meets + timedelta(21),
        requests=tuple(EvidenceRequest(item=item, kind=KINDS.get(item, EvidenceKind.AGENCY),
                                       lead=lead) for item, lead in LEADS.items()),
        by=BU, at=planned)).record
    rid = cycle.id
    due = DEFAULT_POLICY.evidence_due_before_meeting.before(meets)
    escalate_on = DEFAULT_POLICY.evidence_non_compliance.after(due, "ENG")
    racing = Racing(app)
    task_queue = f"racing-{uuid.uuid4().hex[:8]}"
    async with build_worker(running.client, app, task_queue, activities=racing.activities()):
        with running.env.with_time_skipping_disabled():
            handle = await running.client.start_workflow(
                Cycle.run, AssuranceInput(str(rid)), id=assurance_cycle_id(str(rid)),
                task_queue=task_queue)

        async def logged(words: str) -> bool:
            await still_running(handle)
            return any(words in line for line in (await handle.query(Cycle.status)).history)

        # The chase falls due: Police's evidence and Health's land as Police's is chased.
        await running.env.fast_forward(handle, end_of(due) - planned + timedelta(hours=1))
        await eventually(lambda: logged("evidence chased: drift_cases"))
        assert await logged("chase of Police skipped: Submitted evidence is not chased")
        assert await logged("chase of Health skipped: done meanwhile")  # decided before
        assert racing.ran == ["chase Police", "chase drift_cases"]
        assert [e.item for e in events(app, rid, "EvidenceChased")] == ["drift_cases"]
        submitted = {e.item: e.occurred_on for e in events(app, rid, "EvidenceSubmitted")}
        assert submitted == {"Police": end_of(due) - timedelta(seconds=1),
                             "Health": end_of(due) + timedelta(seconds=1)}
        assert [s.details["item"] for s in steps(app, rid, "evidence chased")] == ["drift_cases"]

        # The escalation falls due: drift_cases's evidence lands as it is escalated.
        await running.env.fast_forward(handle, end_of(escalate_on) - end_of(due))
        await eventually(lambda: logged("escalation of drift_cases skipped: Submitted evidence "
                                        "is not escalated"))
        assert not events(app, rid, "EvidenceEscalated")
        status = await handle.query(Cycle.status)
        assert (status.state, status.outstanding) == ("evidence due", [])
        assert app.load(rid, AssuranceCycle).outstanding() == []

        # The cycle runs on: a query answered as its chase falls due is not chased either.
        discussed = await now(running, handle)
        await handle.execute_update(Cycle.record_discussion, RecordSubGroupDiscussion(
            record_id=rid, summary="All evidence in, some of it late",
            recommendations=(CycleRecommendation(recommendation_id="R-1",
                                                 text="Audit drift"),), by=BU, at=discussed))
        asked_by: date = discussed.date() + timedelta(days=3)
        await handle.execute_update(Cycle.raise_query, RaiseQuery(
            record_id=rid, query_id="Q-1", to="police-1", question="Why was it late?",
            due_on=asked_by, by=BU, at=discussed + timedelta(minutes=5)))
        await running.env.fast_forward(handle, timedelta(days=4))
        await eventually(lambda: logged("chase of query Q-1 skipped: A query is answered once"))
        assert not events(app, rid, "QueryChased")
        assert [e.query_id for e in events(app, rid, "QueryAnswered")] == ["Q-1"]

        decided = await now(running, handle)
        await handle.execute_update(Cycle.record_decisions, RecordPartnershipDecisions(
            record_id=rid, decisions=(RecommendationDecision(recommendation_id="R-1",
                                                             decision="accepted"),),
            by=BU, at=decided))
        await handle.execute_update(Cycle.publish, PublishAssuranceReport(
            record_id=rid, audiences=("executive", "other_boards", "sub_group_members"),
            next_actions=(CycleAction(action_id="N-1", action="Repeat the drift audit",
                                      owner="lead-1", due_on=decided.date() + timedelta(90)),),
            by=BU, at=decided + timedelta(minutes=1)))
        final = await handle.result()
        await keep_history(handle, "AssuranceCycleWorkflow-steps-raced-by-people")
    assert final.state == "published"
    assert racing.ran == ["chase Police", "chase drift_cases", "escalate drift_cases",
                          "chase query Q-1"]
    assert steps(app, rid, "forward plan update requested")
