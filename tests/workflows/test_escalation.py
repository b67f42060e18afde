"""The escalation ladder on the real dev server: it climbs by timeout, each climb dated as the
stage's deadline passed; it resolves at any stage; a professional disagreement raised through a
case's cadence climbs its own ladder and is escalated by hand; bad updates and second starts are
refused, and a retried step records nothing twice."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from temporalio import activity
from temporalio.client import WorkflowHandle
from temporalio.exceptions import WorkflowAlreadyStartedError

from domain.application import Assured
from domain.case import Case
from domain.case_commands import (
    EscalateCaseConcern,
    EscalateDisagreement,
    OpenCase,
    RaiseCaseConcern,
    RaiseDisagreement,
    ResolveCaseConcern,
    ResolveDisagreement,
)
from domain.handling import Receipt, Step
from domain.policy import DEFAULT_POLICY
from tests.commands import Commands
from tests.workflows.conftest import (
    Running,
    eventually,
    events,
    keep_history,
    now,
    refused,
    step_names,
    steps,
)
from workflows.acting import Acted
from workflows.cadence.workflow import SupervisionCadenceWorkflow
from workflows.command_activities import carry_out
from workflows.common import Deadline, end_of
from workflows.escalation.types import EscalationInput, EscalationStatus
from workflows.escalation.workflow import EscalationWorkflow, escalation_id
from workflows.routing import route, start_for
from workflows.worker import READERS, activities_of, build_worker, command_activities

SUPERVISOR = "sam"
cmd = Commands(by=SUPERVISOR)
RESPONSE = DEFAULT_POLICY.escalation_stage_response  # five working days a stage


def open_case(app: Assured, began: datetime) -> Case:
    return app.open_case(OpenCase(child_reference="CH-7001", agency="social-work",
                                  practitioner="pat", supervisor=SUPERVISOR,
                                  legal_status="child_in_need", risk="high", nation="ENG",
                                  by="pat", at=began)).record


def case_with_concern(app: Assured) -> tuple[Case, datetime]:
    """A case whose supervisor raised a concern about drift yesterday; when it was raised."""
    raised = datetime.now(UTC) - timedelta(days=1)
    case = open_case(app, raised)
    app.raise_case_concern(cmd(RaiseCaseConcern, case, concern_id="drift-1",
                               summary="no change in three discussions", at=raised))
    return case, raised


def ladder_for(case: Case, raised: datetime) -> EscalationInput:
    return EscalationInput(str(case.id), "case-concern", "drift-1", "ENG", raised)


async def start(running: Running, case: Case, raised: datetime,
                skipping: bool = False) -> WorkflowHandle:
    """Start the ladder; with `skipping`, its clock jumps to each timer whenever it is idle."""
    if skipping:
        return await running.client.start_workflow(
            EscalationWorkflow.run, ladder_for(case, raised),
            id=escalation_id(str(case.id), "drift-1"), task_queue=running.task_queue)
    with running.env.with_time_skipping_disabled():
        return await start(running, case, raised, skipping=True)


async def act(running: Running, handle: WorkflowHandle, update: Any, kind: type, case: Case,
              **fields: Any) -> str:
    fields.setdefault("at", await now(running, handle))
    acted: Acted = await handle.execute_update(update, cmd(kind, case, **fields))
    return acted.answer


def stage_is(handle: WorkflowHandle, stage: int) -> Callable[[], Any]:
    """An `eventually` check: the ladder's status once `stage` has opened with its deadline."""
    async def check() -> EscalationStatus | None:
        status = await handle.query(EscalationWorkflow.status)
        opened = any(h.startswith(f"stage {stage} (") for h in status.history)
        return status if status.stage == stage and opened else None
    return check


def due_after(opened: datetime) -> date:
    return RESPONSE.after(opened.date(), "ENG")


async def test_an_unanswered_ladder_climbs_to_stage_3_by_itself(running: Running) -> None:
    case, raised = case_with_concern(running.app)
    handle = await start(running, case, raised, skipping=True)

    status = await eventually(lambda: at_stage_3_unanswered(handle))
    climbs = [h for h in status.history if h.startswith("escalated")]
    assert [c.split(":")[0] for c in climbs] == ["escalated to stage 2", "escalated to stage 3"]
    assert "no response at stage 1" in climbs[0]
    assert running.app.load(case.id, Case).concerns["drift-1"]["stage"] == 3
    assert step_names(running.app, case.id) == [
        "stage 1 opened", "escalated to stage 2", "stage 2 opened", "escalated to stage 3",
        "stage 3 opened"]
    # Each stage opens as the one below it passed its deadline, unanswered.
    stage_2 = end_of(due_after(raised))
    stage_3 = end_of(due_after(stage_2))
    assert [e.occurred_on for e in steps(running.app, case.id)] == [
        raised, stage_2, stage_2, stage_3, stage_3]
    assert [(e.to_stage, e.occurred_on) for e in events(running.app, case.id,
                                                       "ConcernEscalated")] == [
        (2, stage_2), (3, stage_3)]
    assert status.response_due == due_after(stage_3)

    answer = await act(running, handle, EscalationWorkflow.resolve_case_concern,
                       ResolveCaseConcern, case, concern_id="drift-1",
                       outcome="partnership review agreed", by="chair")
    assert answer == "Resolved at stage 3 (senior manager or partnership)"
    assert (await handle.result()).resolved
    await keep_history(handle, "EscalationWorkflow-climbs-by-timeout")
    assert running.app.load(case.id, Case).concerns["drift-1"]["outcome"] == \
        "partnership review agreed"


async def at_stage_3_unanswered(handle: WorkflowHandle) -> EscalationStatus | None:
    status = await handle.query(EscalationWorkflow.status)
    return status if status.stage == 3 and "unanswered" in status.history[-1] else None


async def test_a_ladder_resolved_at_stage_2(running: Running) -> None:
    case, raised = case_with_concern(running.app)
    handle = await start(running, case, raised)
    await eventually(stage_is(handle, 1))
    await running.env.fast_forward(handle, timedelta(days=10))
    status = await eventually(stage_is(handle, 2))
    climbed = end_of(due_after(raised))
    assert status.response_due == due_after(climbed)
    assert await handle.query(EscalationWorkflow.deadlines) == [
        Deadline("stage 2 response", status.response_due, False)]

    resolution = cmd(ResolveCaseConcern, case, concern_id="drift-1",
                     outcome="manager agreed a new plan", by="manager",
                     at=await now(running, handle))
    goal = route(resolution)
    assert goal is not None and goal.workflow_id == handle.id
    acted: Acted = await handle.execute_update(goal.update, resolution)
    assert acted.answer == "Resolved at stage 2 (manager)"
    concern = running.app.load(case.id, Case).concerns["drift-1"]
    assert (concern["stage"], concern["outcome"]) == (2, "manager agreed a new plan")
    assert step_names(running.app, case.id)[-1] == "resolved at stage 2"
    [resolved] = events(running.app, case.id, "ConcernResolved")
    assert resolved.occurred_on == resolution.at  # the person's own time
    await handle.result()
    assert await handle.query(EscalationWorkflow.deadlines) == [
        Deadline("stage 2 response", status.response_due, True)]
    await keep_history(handle, "EscalationWorkflow-resolved-at-stage-2")


async def test_an_update_that_breaks_a_rule_is_rejected_and_changes_nothing(
    running: Running,
) -> None:
    case, raised = case_with_concern(running.app)
    handle = await start(running, case, raised)
    await eventually(stage_is(handle, 1))
    before = (len(running.app.stored_events(case.id)),
              await handle.query(EscalationWorkflow.status))
    at = await now(running, handle)
    refusals = {
        "Resolving a concern records its outcome": (EscalationWorkflow.resolve_case_concern,
                                                    cmd(ResolveCaseConcern, case,
                                                        concern_id="drift-1", outcome="  ",
                                                        at=at)),
        "An escalation needs a reason": (EscalationWorkflow.escalate_case_concern,
                                         cmd(EscalateCaseConcern, case, concern_id="drift-1",
                                             reason="", at=at)),
        "another concern or disagreement": (EscalationWorkflow.resolve_case_concern,
                                            cmd(ResolveCaseConcern, case, concern_id="drift-9",
                                                outcome="agreed", at=at)),
    }
    for rule, (update, command) in refusals.items():
        assert rule in await refused(handle, update, command), rule
    assert (len(running.app.stored_events(case.id)),
            await handle.query(EscalationWorkflow.status)) == before
    await handle.terminate("test over")


async def test_a_second_start_for_the_same_concern_is_refused(running: Running) -> None:
    case, raised = case_with_concern(running.app)
    handle = await start(running, case, raised)
    with pytest.raises(WorkflowAlreadyStartedError):
        await start(running, case, raised)
    await handle.terminate("test over")


def fails_after_escalating(app: Assured) -> Callable[..., Receipt]:
    """Fault injection: the command is saved, then the first attempt fails as if the worker
    crashed before reporting back."""
    @activity.defn(name="EscalateCaseConcern")
    def escalate(step: Step, command: EscalateCaseConcern) -> Receipt:
        receipt = carry_out(app, step, command)
        if activity.info().attempt == 1:
            raise RuntimeError("worker lost after the command was saved")
        return receipt

    return escalate


def named(found: Callable[..., Any]) -> str:
    return str(found.__temporal_activity_definition.name)  # type: ignore[attr-defined]


async def test_a_retried_step_records_no_second_event(running: Running) -> None:
    case, raised = case_with_concern(running.app)
    task_queue = f"flaky-{uuid.uuid4().hex[:8]}"
    usual = [*command_activities(running.app), *activities_of(running.app, READERS)]
    flaky = [*(a for a in usual if named(a) != "EscalateCaseConcern"),
             fails_after_escalating(running.app)]
    async with build_worker(running.client, running.app, task_queue, activities=flaky):
        with running.env.with_time_skipping_disabled():
            handle = await running.client.start_workflow(
                EscalationWorkflow.run, ladder_for(case, raised),
                id=escalation_id(str(case.id), "drift-1"), task_queue=task_queue)
        await eventually(stage_is(handle, 1))
        answer = await act(running, handle, EscalationWorkflow.escalate_case_concern,
                           EscalateCaseConcern, case, concern_id="drift-1",
                           reason="no reply from supervisor", by="pat")
        assert answer == "Escalated to stage 2 (manager)"
        await eventually(stage_is(handle, 2))
        await handle.terminate("test over")
    assert step_names(running.app, case.id).count("escalated to stage 2") == 1
    assert len(events(running.app, case.id, "ConcernEscalated")) == 1
    assert running.app.load(case.id, Case).concerns["drift-1"]["stage"] == 2


async def test_a_disagreement_raised_through_the_cadence_climbs_and_is_escalated_by_hand(
    running: Running,
) -> None:
    case = open_case(running.app, datetime.now(UTC) - timedelta(minutes=1))
    found = start_for("case", case)
    assert found is not None
    with running.env.with_time_skipping_disabled():
        cadence = await running.client.start_workflow(
            found.run, found.argument, id=found.workflow_id, task_queue=running.task_queue)
    raised = await now(running, cadence)
    answer = await act(running, cadence, SupervisionCadenceWorkflow.raise_disagreement,
                       RaiseDisagreement, case, disagreement_id="dis-1",
                       between=["social-work", "school"],
                       summary="whether the child needs a child protection plan", at=raised)
    assert answer == "Disagreement dis-1 raised and escalated to stage 1"
    ladder = running.client.get_workflow_handle_for(EscalationWorkflow.run,
                                                    escalation_id(str(case.id), "dis-1"))
    await eventually(stage_is(ladder, 1))
    assert (await cadence.query(SupervisionCadenceWorkflow.status)).escalations == [ladder.id]

    # Nobody answers at stage 1: the ladder's own clock passes its deadline.
    await running.env.fast_forward(ladder, timedelta(days=10))
    status = await eventually(stage_is(ladder, 2))
    climbed = end_of(due_after(raised))
    [by_itself] = events(running.app, case.id, "DisagreementEscalated")
    assert (by_itself.to_stage, by_itself.occurred_on) == (2, climbed)
    assert by_itself.reason == f"no response at stage 1 by {due_after(raised)}"
    assert status.response_due == due_after(climbed)

    # The manager does not wait for stage 2's deadline.
    reason = "the manager could not agree the plan with the school"
    by_hand = await now(running, ladder)
    answer = await act(running, ladder, EscalationWorkflow.escalate_disagreement,
                       EscalateDisagreement, case, disagreement_id="dis-1", reason=reason,
                       by="manager", at=by_hand)
    assert answer == "Escalated to stage 3 (senior manager or partnership)"
    status = await eventually(stage_is(ladder, 3))
    assert status.response_due == due_after(by_hand)
    escalated = events(running.app, case.id, "DisagreementEscalated")
    assert [(e.to_stage, e.reason, e.occurred_on) for e in escalated][1:] == [
        (3, reason, by_hand)]
    assert "beyond stage 3" in await refused(
        ladder, EscalationWorkflow.escalate_disagreement,
        cmd(EscalateDisagreement, case, disagreement_id="dis-1", reason="still not agreed",
            at=await now(running, ladder)))
    disagreement = running.app.load(case.id, Case).disagreements["dis-1"]
    assert (disagreement["stage"], disagreement["stage_name"]) == (
        3, "senior manager or partnership")

    answer = await act(running, ladder, EscalationWorkflow.resolve_disagreement,
                       ResolveDisagreement, case, disagreement_id="dis-1",
                       outcome="a child protection conference was agreed", by="partnership")
    assert answer == "Resolved at stage 3 (senior manager or partnership)"
    assert (await ladder.result()).outcome == "a child protection conference was agreed"
    assert [s for s in step_names(running.app, case.id, "escalation")] == [
        "stage 1 opened", "escalated to stage 2", "stage 2 opened", "escalated to stage 3",
        "stage 3 opened", "resolved at stage 3"]
    await keep_history(ladder, "EscalationWorkflow-disagreement-escalated-by-hand")
    await cadence.terminate("test over")
