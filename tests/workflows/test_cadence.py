"""The supervision cadence of a case on the real dev server: reminders before the next
discussion, drift (a child in need past three months, a discussion rated R, no improvement)
flagged, raised as a concern and escalated, each dated when it fell due or when the discussion
it follows was held; a change of legal status moves the due date; an agreed action still open
on its due date is marked overdue; rule-breaking commands are refused; one cadence per case;
closing ends it and its ladders."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from temporalio.client import WorkflowExecutionStatus, WorkflowHandle
from temporalio.exceptions import WorkflowAlreadyStartedError

from domain.application import Assured
from domain.case import Case
from domain.case_commands import (
    AgreedAction,
    ChangeLegalStatus,
    CloseCase,
    CompleteAction,
    OpenCase,
    RecordDiscussion,
    ResolveCaseConcern,
)
from domain.policy import DEFAULT_POLICY, add_months
from tests.commands import Commands
from tests.refusals import assert_input_refused
from tests.workflows.conftest import (
    Running,
    advance_to,
    eventually,
    events,
    keep_history,
    noon,
    now,
    refused,
    step_names,
    steps,
)
from workflows.acting import Acted
from workflows.cadence.types import PROCESS, CadenceStatus
from workflows.cadence.workflow import SupervisionCadenceWorkflow, cadence_id
from workflows.common import Deadline, end_of, start_of
from workflows.escalation.types import EscalationStatus
from workflows.escalation.workflow import EscalationWorkflow, escalation_id
from workflows.routing import start_for

SUPERVISOR = "sam"
cmd = Commands(by=SUPERVISOR)


def child_in_need(app: Assured, child: str = "CH-8001") -> Case:
    return app.open_case(OpenCase(child_reference=child, agency="social-work",
                                  practitioner="pat", supervisor=SUPERVISOR,
                                  legal_status="child_in_need", risk="medium", nation="ENG",
                                  by="pat", at=datetime.now(UTC) - timedelta(minutes=1))).record


def discussion(case: Case, at: datetime, rag: str = "G", **changes: Any) -> RecordDiscussion:
    """A supervision discussion on the recording template, held at `at`."""
    fields: dict[str, Any] = {
        "discussion_id": "d-1", "supervisor": SUPERVISOR, "supervisee": "pat",
        "needs": "needs noted", "risks": "risks noted", "engagement": "engaging",
        "capacity_for_change": "some", "plan": "plan kept", "rag": rag,
        "next_discussion_on": at.date() + timedelta(days=30)}
    return cmd(RecordDiscussion, case, at=at, **(fields | changes))


async def start(running: Running, case: Case, skipping: bool = False) -> WorkflowHandle:
    """The cadence the opening started; with `skipping`, its clock jumps to each timer whenever
    it is idle."""
    found = start_for("case", case)
    assert found is not None and found.workflow_id == cadence_id(str(case.id))
    if skipping:
        return await running.client.start_workflow(
            found.run, found.argument, id=found.workflow_id, task_queue=running.task_queue)
    with running.env.with_time_skipping_disabled():
        return await start(running, case, skipping=True)


async def discuss(running: Running, handle: WorkflowHandle, case: Case, rag: str,
                  **changes: Any) -> RecordDiscussion:
    """A discussion held now, by the cadence's clock, sent to the cadence; the command."""
    held = discussion(case, await now(running, handle), rag, **changes)
    acted: Acted = await handle.execute_update(SupervisionCadenceWorkflow.record_discussion,
                                               held)
    assert acted.answer == (f"Discussion {held.discussion_id} recorded; next due by "
                            f"{held.next_discussion_on}")
    return held


def cadence_steps(app: Assured, case: Case) -> list[tuple[str, datetime]]:
    return [(e.step, e.occurred_on) for e in steps(app, case.id) if e.process == PROCESS]


def kinds(app: Assured, case: Case) -> list[str]:
    return [type(e).__name__ for e in app.stored_events(case.id)]


def waiting(handle: WorkflowHandle, discussions: int = 0) -> Any:
    async def check() -> CadenceStatus | None:
        status = await handle.query(SupervisionCadenceWorkflow.status)
        ready = status.state in ("awaiting discussion", "reminded") and status.due
        return status if ready and status.discussions == discussions else None
    return check


def persisting(handle: WorkflowHandle) -> Any:
    async def check() -> CadenceStatus | None:
        status = await handle.query(SupervisionCadenceWorkflow.status)
        return status if any(h.startswith("drift persists") for h in status.history) else None
    return check


def drifted(handle: WorkflowHandle, flags: int = 1) -> Any:
    async def check() -> CadenceStatus | None:
        status = await handle.query(SupervisionCadenceWorkflow.status)
        return status if status.drift_flags == flags else None
    return check


async def test_a_child_in_need_not_discussed_for_three_months_is_escalated_as_drift(
    running: Running,
) -> None:
    app, case = running.app, child_in_need(running.app)
    handle = await start(running, case, skipping=True)  # no one discusses the child

    status = await eventually(drifted(handle))
    due = add_months(case.opened_on.date(), 3)
    reminder_on = DEFAULT_POLICY.reminder_lead.before(due, "ENG")  # five working days before
    assert (status.legal_status, status.due, status.reminder_on) == ("child_in_need", due,
                                                                     reminder_on)
    passed = end_of(due)
    assert cadence_steps(app, case) == [
        ("next discussion due", case.opened_on), ("discussion reminder sent", start_of(reminder_on)),
        ("discussion overdue", passed), ("drift flagged", passed),
        ("drift concern raised", passed)]
    [flag] = events(app, case.id, "DriftFlagged")
    assert (flag.on, flag.occurred_on) == (due + timedelta(days=1), passed)
    assert "more than 3 months without a supervision discussion" in flag.reasons[0]
    [raised] = events(app, case.id, "ConcernRaised")
    assert (raised.concern_id, raised.occurred_on) == ("drift-1", passed)
    assert status.escalations == [escalation_id(str(case.id), "drift-1")]
    assert await handle.query(SupervisionCadenceWorkflow.deadlines) == [
        Deadline("next discussion", due, False)]

    # The ladder, a child on the same skipping clock, climbs from the day drift was flagged.
    ladder = running.client.get_workflow_handle(status.escalations[0])
    climbed = await eventually(lambda: at_stage_3_unanswered(ladder))
    assert app.load(case.id, Case).concerns["drift-1"]["stage"] == climbed.stage == 3
    assert [e.occurred_on for e in steps(app, case.id, "stage 1 opened")] == [passed]

    closing = cmd(CloseCase, case, reason="family moved away", at=await now(running, ladder))
    acted: Acted = await handle.execute_update(SupervisionCadenceWorkflow.close, closing)
    assert acted.answer == "Case closed; the supervision cadence has ended"
    assert (await handle.result()).state == "closed"
    assert await handle.query(SupervisionCadenceWorkflow.deadlines) == []
    await keep_history(handle, "SupervisionCadenceWorkflow-child-in-need-drifts")
    assert app.load(case.id, Case).closed
    assert await eventually(lambda: ended_as(ladder, WorkflowExecutionStatus.CANCELED))


async def at_stage_3_unanswered(ladder: WorkflowHandle) -> EscalationStatus | None:
    status = await ladder.query(EscalationWorkflow.status)
    return status if status.stage == 3 and "unanswered" in status.history[-1] else None


async def ended_as(handle: WorkflowHandle, wanted: WorkflowExecutionStatus) -> bool:
    return (await handle.describe()).status == wanted


async def test_a_discussion_rated_worse_raises_a_concern_and_escalates(running: Running) -> None:
    app, case = running.app, child_in_need(running.app)
    handle = await start(running, case)
    await eventually(waiting(handle))

    held = await discuss(running, handle, case, "R")
    status = await eventually(drifted(handle))
    stored = app.load(case.id, Case)
    assert stored.discussions["d-1"]["rag"] == "R"
    assert "getting worse (R)" in stored.drift_flags[0]["reasons"][0]
    assert stored.concerns["drift-1"]["summary"].startswith("Drift: ")
    raised = ["DiscussionRecorded", "DriftFlagged", "ConcernRaised"]
    assert [k for k in kinds(app, case) if k in raised] == raised
    [flag] = events(app, case.id, "DriftFlagged")
    [concern] = events(app, case.id, "ConcernRaised")
    # Dated when the discussion they follow was held, not by the workflow's clock.
    assert (flag.on, flag.occurred_on, concern.occurred_on) == (held.at.date(), held.at, held.at)
    ladder = running.client.get_workflow_handle(status.escalations[0])
    assert (await ladder.describe()).status == WorkflowExecutionStatus.RUNNING

    status = await eventually(waiting(handle, discussions=1))
    assert status.due == held.next_discussion_on  # the date the discussion set
    assert await handle.query(SupervisionCadenceWorkflow.deadlines) == [
        Deadline("next discussion", status.due, False)]
    assert cadence_steps(app, case)[-3:] == [("next discussion due", held.at),
                                             ("drift flagged", held.at),
                                             ("drift concern raised", held.at)]
    await drift_persists_while_the_concern_is_open(running, handle, case)
    closing = cmd(CloseCase, case, reason="plan complete", at=await now(running, handle))
    await handle.execute_update(SupervisionCadenceWorkflow.close, closing)
    await handle.result()
    await keep_history(handle, "SupervisionCadenceWorkflow-discussion-rated-worse")


async def drift_persists_while_the_concern_is_open(running: Running, handle: WorkflowHandle,
                                                   case: Case) -> None:
    """A second discussion rated R while drift-1 is open: no second concern or ladder, a step
    "drift persists"; once drift-1 is resolved, a discussion still showing drift raises drift-2."""
    app = running.app
    second = await discuss(running, handle, case, "R", discussion_id="d-2")
    status = await eventually(persisting(handle))
    assert (status.discussions, status.drift_flags, len(status.escalations)) == (2, 1, 1)
    assert cadence_steps(app, case)[-2:] == [("next discussion due", second.at),
                                             ("drift persists", second.at)]
    assert list(app.load(case.id, Case).concerns) == ["drift-1"]

    ladder = running.client.get_workflow_handle(status.escalations[0])
    await ladder.execute_update(EscalationWorkflow.resolve_case_concern, cmd(
        ResolveCaseConcern, case, concern_id="drift-1", outcome="supervisor agreed a new plan",
        at=await now(running, handle)))
    third = await discuss(running, handle, case, "A", discussion_id="d-3")
    status = await eventually(drifted(handle, flags=2))
    assert status.escalations[1] == escalation_id(str(case.id), "drift-2")
    assert list(app.load(case.id, Case).concerns) == ["drift-1", "drift-2"]
    assert "have not improved" in app.load(case.id, Case).drift_flags[1]["reasons"][0]
    assert [e.occurred_on for e in events(app, case.id, "DriftFlagged")][1:] == [third.at]


async def test_a_change_of_legal_status_moves_the_next_discussion_due(running: Running) -> None:
    app, case = running.app, child_in_need(running.app)
    handle = await start(running, case)
    before = await eventually(waiting(handle))
    assert before.due == add_months(case.opened_on.date(), 3)

    change = cmd(ChangeLegalStatus, case, new_status="child_protection",
                 at=await now(running, handle))
    acted: Acted = await handle.execute_update(SupervisionCadenceWorkflow.change_legal_status,
                                               change)
    assert acted.answer == "Legal status is now child_protection"
    status = await eventually(lambda: protected(handle))
    monthly = add_months(case.opened_on.date(), 1)  # a child protection case, monthly
    assert status.due == monthly
    assert await handle.query(SupervisionCadenceWorkflow.deadlines) == [
        Deadline("next discussion", monthly, False)]
    [first, second] = steps(app, case.id, "next discussion due")
    assert (first.details["legal_status"], first.occurred_on) == ("child_in_need",
                                                                 case.opened_on)
    assert (second.details["legal_status"], second.details["due"], second.occurred_on) == (
        "child_protection", monthly.isoformat(), change.at)
    assert [e.new_status for e in events(app, case.id, "LegalStatusChanged")] == [
        "child_protection"]
    await handle.terminate("test over")


async def protected(handle: WorkflowHandle) -> CadenceStatus | None:
    status = await handle.query(SupervisionCadenceWorkflow.status)
    return status if status.legal_status == "child_protection" and status.due else None


async def test_an_agreed_action_still_open_on_its_due_date_is_marked_overdue(
    running: Running,
) -> None:
    app, case = running.app, child_in_need(running.app)
    handle = await start(running, case)
    await eventually(waiting(handle))
    at = await now(running, handle)
    due = at.date() + timedelta(days=7)
    actions = (AgreedAction(action_id="a-1", description="book the family meeting",
                            owner="pat", due=due),
               AgreedAction(action_id="a-2", description="share the plan with the school",
                            owner="pat", due=due))
    await discuss(running, handle, case, "G", actions=actions)
    await eventually(waiting(handle, discussions=1))
    acted: Acted = await handle.execute_update(
        SupervisionCadenceWorkflow.complete_action,
        cmd(CompleteAction, case, action_id="a-2", by="pat", at=await now(running, handle)))
    assert acted.answer == "Action a-2 completed"

    await advance_to(running, handle, noon(due + timedelta(days=1)))
    await eventually(lambda: marked(app, case))
    [overdue] = events(app, case.id, "ActionMarkedOverdue")
    assert (overdue.action_id, overdue.overdue_on, overdue.occurred_on) == (
        "a-1", due + timedelta(days=1), end_of(due))  # as its due date ended
    [step] = steps(app, case.id, "action marked overdue")
    assert (step.details["action_id"], step.details["due"], step.occurred_on) == (
        "a-1", due.isoformat(), end_of(due))
    stored = app.load(case.id, Case).actions
    assert (stored["a-1"]["status"], stored["a-2"]["status"]) == ("overdue", "completed")
    status = await eventually(lambda: logged(handle, f"action a-1 overdue (due {due})"))
    assert any(h.startswith("no drift") for h in status.history)  # the discussion was G
    await handle.terminate("test over")


async def logged(handle: WorkflowHandle, entry: str) -> CadenceStatus | None:
    status = await handle.query(SupervisionCadenceWorkflow.status)
    return status if entry in status.history else None


async def marked(app: Assured, case: Case) -> bool:
    return bool(events(app, case.id, "ActionMarkedOverdue"))


async def test_an_update_that_breaks_a_rule_is_rejected_and_changes_nothing(
    running: Running,
) -> None:
    app, case = running.app, child_in_need(running.app)
    other = child_in_need(app, "CH-8002")  # another child (one open case per agency's child)
    handle = await start(running, case)
    before = await eventually(waiting(handle))
    count = len(app.stored_events(case.id))
    at = await now(running, handle)

    # A rating that is no RAG rating is refused as the command is made, before any record.
    assert_input_refused(lambda: discussion(case, at, "X"), "rag", "is not one of G, A, R")
    refusals: dict[str, tuple[Any, Any]] = {
        "needs a supervisee other than": (SupervisionCadenceWorkflow.record_discussion,
                                          discussion(case, at, supervisee=SUPERVISOR)),
        "no more than 3 months apart": (SupervisionCadenceWorkflow.record_discussion,
                                        discussion(case, at, next_discussion_on=at.date()
                                                   + timedelta(days=120))),
        "held by the case's current supervisor": (SupervisionCadenceWorkflow.record_discussion,
                                                  discussion(case, at, supervisor="kim",
                                                             by="kim")),
        "must refer to a recorded agreed action": (SupervisionCadenceWorkflow.complete_action,
                                                   cmd(CompleteAction, case, action_id="a-9",
                                                       at=at)),
        "Closing a case needs a reason": (SupervisionCadenceWorkflow.close,
                                          cmd(CloseCase, case, reason=" ", at=at)),
        "another record than this process's": (SupervisionCadenceWorkflow.record_discussion,
                                               discussion(other, at)),
    }
    for rule, (update, command) in refusals.items():
        assert rule in await refused(handle, update, command), rule

    after = await handle.query(SupervisionCadenceWorkflow.status)
    assert (after.state, after.discussions, after.due, after.history) == \
        (before.state, 0, before.due, before.history)
    assert len(app.stored_events(case.id)) == count
    assert step_names(app, case.id) == ["next discussion due"]
    await handle.terminate("test over")


async def test_a_second_cadence_for_the_same_case_is_refused(running: Running) -> None:
    case = child_in_need(running.app)
    handle = await start(running, case)
    with pytest.raises(WorkflowAlreadyStartedError):
        await start(running, case)
    await handle.terminate("test over")
