"""A person's command that reaches a process before the run's first read of its record.

A command sent just after its record was made can reach the process before the run's first
read has come back; update-with-start makes that certain, by delivering the update with the
start, in the first workflow task. The process takes it (the validator checks what it knows,
the handler waits for the read), records it once with the person's time, and runs on. Before,
the validator failed on the facts it did not have yet: the person got a 409 that named no rule
("Application error"), a failure the end-to-end journey met on a loaded machine.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from temporalio.client import WithStartWorkflowOperation, WorkflowHandle
from temporalio.common import WorkflowIDConflictPolicy

from domain.assurance_commands import EvidenceRequest, PlanAssuranceCycle, SubmitEvidence
from domain.audit_commands import ReviewPlan
from domain.policy import add_months
from domain.self_evaluation_commands import AnswerQuestion, StartSelfEvaluation
from domain.self_evaluation import questions
from tests.workflows.conftest import Running, eventually, events
from tests.workflows.test_audit_cycle import CHAIR, at_stage, open_cases, planned
from workflows.acting import Acted
from workflows.assurance_cycle.types import AssuranceInput, assurance_cycle_id
from workflows.assurance_cycle.workflow import AssuranceCycleWorkflow
from workflows.audit_cycle.types import AuditCycleInput, audit_cycle_id
from workflows.audit_cycle.workflow import AuditCycleWorkflow
from workflows.self_evaluation.types import SelfEvaluationInput, self_evaluation_id
from workflows.self_evaluation.workflow import SelfEvaluationWorkflow

HOSTILE = "<script>alert('x')</script> Robert'); DROP TABLE evidence;-- ☃"
EARLIER = datetime.now(UTC) - timedelta(days=3)  # the person's time: days before it was sent
# Records whose natural keys no other test of the session's Temporal server uses (their
# processes' ids follow from them).
QUARTER, YEAR = "2019Q3", EARLIER.year - 1


async def with_start(running: Running, run: Any, argument: Any, workflow_id: str, update: Any,
                     command: Any) -> tuple[Acted, WorkflowHandle]:
    """Start the process with the command as its first update; its answer and the process."""
    starting = WithStartWorkflowOperation(
        run, argument, id=workflow_id, task_queue=running.task_queue,
        id_conflict_policy=WorkflowIDConflictPolicy.FAIL)
    with running.env.with_time_skipping_disabled():
        acted: Acted = await running.client.execute_update_with_start_workflow(
            update, command, start_workflow_operation=starting)
    return acted, await starting.workflow_handle()


async def test_evidence_sent_with_the_cycles_start_is_recorded_once_at_the_leads_time(
        running: Running) -> None:
    app = running.app
    meets = EARLIER.date() + timedelta(days=30)
    cycle = app.plan_assurance_cycle(PlanAssuranceCycle(
        quarter=QUARTER, sub_group_meets_on=meets, partnership_meets_on=meets + timedelta(21),
        requests=(EvidenceRequest(item="drift_cases", kind="measure", lead="lead-1"),),
        by="bu-1", at=EARLIER - timedelta(hours=1))).record
    acted, handle = await with_start(
        running, AssuranceCycleWorkflow.run, AssuranceInput(str(cycle.id)),
        assurance_cycle_id(str(cycle.id)), AssuranceCycleWorkflow.submit_evidence,
        SubmitEvidence(record_id=cycle.id, item="drift_cases", data=f"2 of 6 {HOSTILE}",
                       narrative="Drift is falling", by="lead-1", at=EARLIER))
    assert acted.answer == "Evidence for drift_cases submitted"
    [submitted] = events(app, cycle.id, "EvidenceSubmitted")
    assert (submitted.item, submitted.occurred_on) == ("drift_cases", EARLIER)
    status = await handle.query(AssuranceCycleWorkflow.status)
    assert (status.state, status.outstanding) == ("evidence due", [])


async def test_an_answer_sent_with_the_self_evaluations_start_is_recorded_once(
        running: Running) -> None:
    app = running.app
    evaluation = app.start_self_evaluation(StartSelfEvaluation(
        audience="lead_member", year=YEAR, by="lm-1", at=EARLIER - timedelta(hours=1))).record
    first = questions("lead_member")[0]
    acted, handle = await with_start(
        running, SelfEvaluationWorkflow.run, SelfEvaluationInput(str(evaluation.id)),
        self_evaluation_id(str(evaluation.id)), SelfEvaluationWorkflow.answer,
        AnswerQuestion(record_id=evaluation.id, question_id=first.question_id,
                       answer=f"Quarterly workforce panel {HOSTILE}", rating="A",
                       by="lm-1", at=EARLIER))
    assert acted.answer.startswith(f"Answer to {first.question_id} recorded (1 of ")
    [answered] = events(app, evaluation.id, "Answered")
    assert answered.occurred_on == EARLIER
    assert (await handle.query(SelfEvaluationWorkflow.status)).state == "answering"


async def test_a_plan_review_sent_with_the_audits_start_is_recorded_once(
        running: Running) -> None:
    app = running.app
    open_cases(app)
    audit = planned(app)  # an hour ago, after the cases it chooses from were opened
    reviewed_at = audit.opened_on + timedelta(minutes=20)
    acted, handle = await with_start(
        running, AuditCycleWorkflow.run, AuditCycleInput(str(audit.id), "risk", 7, "ENG"),
        audit_cycle_id(str(audit.id)), AuditCycleWorkflow.review_plan,
        ReviewPlan(record_id=audit.id, notes=f"Plan on track {HOSTILE}", by=CHAIR,
                   at=reviewed_at))
    assert acted.answer == f"Plan reviewed; next review due {add_months(reviewed_at.date(), 6)}"
    [reviewed] = events(app, audit.id, "PlanReviewed")
    assert reviewed.occurred_on == reviewed_at
    await eventually(at_stage(handle, "returns_requested"))  # and the cycle runs on
