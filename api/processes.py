"""Where a workflow runs the process, a person's action goes to the workflow.

`target(...)` names the workflow and update that take a command, if any. The route then sends
the action as a validated update when that workflow is running (the answer says what the
workflow did), and runs the command directly otherwise. While Temporal is unreachable such
commands answer 503: going round a running process would leave it not knowing.
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from uuid import UUID

from temporalio.client import WorkflowExecutionStatus, WorkflowUpdateFailedError
from temporalio.service import RPCError

from api.problems import Problem
from workflows.appointment import AppointmentWorkflow, appointment_id
from workflows.appointment_types import AppointmentInput
from workflows.cadence_types import CadenceInput
from workflows.common import TASK_QUEUE
from workflows.rapid_review_types import RapidReviewInput
from workflows.audit_cycle import AuditCycleWorkflow
from workflows.cadence import SupervisionCadenceWorkflow, cadence_id
from workflows.escalation import EscalationWorkflow, escalation_id
from workflows.rapid_review import RapidReviewWorkflow, rapid_review_id


UPDATE_TIMEOUT = timedelta(seconds=15)


@dataclass(frozen=True)
class Target:
    workflow_id: str
    update: Callable[..., Any]   # the workflow's update method


def _by_record(make_id: Callable[[str], str], workflow: type,
               updates: dict[str, str]) -> dict[str, Callable[[UUID, dict[str, Any], Any],
                                                           Target | None]]:
    return {command: (lambda rid, body, record, u=update: Target(make_id(str(rid)),
                                                                 getattr(workflow, u)))
            for command, update in updates.items()}


def _audit(update: str) -> Callable[[UUID, dict[str, Any], Any], Target | None]:
    """The audit cycle that planned this audit. Its id is in the ids of the steps it recorded
    (`<workflow id>:<step>`): a run the yearly schedule started has the schedule's time in it."""
    def found(_: UUID, __: dict[str, Any], record: Any) -> Target | None:
        steps = [s for s in record.__dict__.get("process_steps", [])
                 if s.startswith("audit-cycle-")]
        if not steps:
            return None  # planned by hand, not by the yearly cycle
        return Target(steps[0].rsplit(":", 1)[0], getattr(AuditCycleWorkflow, update))
    return found


def _ladder(update: str, id_field: str) -> Callable[[UUID, dict[str, Any], Any], Target | None]:
    def found(record_id: UUID, body: dict[str, Any], _: Any) -> Target:
        return Target(escalation_id(str(record_id), body[id_field]),
                      getattr(EscalationWorkflow, update))
    return found


ROUTES: dict[tuple[str, str], Callable[[UUID, dict[str, Any], Any], Target | None]] = {
    **{("safeguarder", c): f for c, f in _by_record(appointment_id, AppointmentWorkflow, {
        "record-interview": "record_interview", "record-assessment": "record_assessment",
        "appoint": "appoint", "allocate": "allocate",
        "record-support-session": "record_support_session",
        "record-sampled-report": "record_sampled_report", "recommend": "recommend",
        "record-ministers-decision": "record_ministers_decision",
        "raise-concern": "raise_concern", "resign": "resign", "remove": "remove",
    }).items()},
    ("safeguarder", "resolve-concern"): _ladder("resolve", "concern_id"),
    **{("review", c): f for c, f in _by_record(rapid_review_id, RapidReviewWorkflow, {
        "request-agency-information": "request_information",
        "receive-agency-information": "receive_information", "notify-panel": "notify_panel",
        "complete-rapid-review": "complete_rapid_review",
        "record-panel-response": "record_panel_response", "decide-lcspr": "decide_lcspr",
        "add-recommendation": "add_recommendation",
        "complete-recommendation": "complete_recommendation", "close": "close",
    }).items()},
    **{("case", c): f for c, f in _by_record(cadence_id, SupervisionCadenceWorkflow, {
        "record-discussion": "record_discussion", "close": "close",
    }).items()},
    ("case", "resolve-concern"): _ladder("resolve", "concern_id"),
    ("case", "escalate-concern"): _ladder("escalate", "concern_id"),
    ("case", "resolve-disagreement"): _ladder("resolve", "disagreement_id"),
    **{("audit", c): _audit(u) for c, u in {
        "submit-return": "submit_return", "review-plan": "review_plan", "moderate": "moderate",
        "record-findings": "record_findings", "report": "report",
        "agree-actions": "agree_actions", "close": "close"}.items()},
}

# Commands run directly that a running workflow must hear of.
SIGNALS: dict[tuple[str, str], tuple[Callable[[str], str], str]] = {
    ("case", "change-legal-status"): (cadence_id, "legal_status_changed"),
}


def target(kind: str, command: str, record_id: UUID, body: dict[str, Any],
           record: Any) -> Target | None:
    route = ROUTES.get((kind, command))
    return route(record_id, body, record) if route else None


def update_argument(update: Callable[..., Any], body: dict[str, Any], by: str) -> Any:
    """The update's one dataclass argument, from the command's body and the caller."""
    hints = typing.get_type_hints(update)
    kind = next(v for k, v in hints.items() if k not in ("self", "return"))
    names = {f.name for f in dataclasses.fields(kind)}
    values = {**{k: v for k, v in body.items() if k in names}, "by": by}
    # A Safeguarder's concern is resolved with a "resolution"; the ladder calls it an outcome.
    if "outcome" in names and "outcome" not in values and "resolution" in body:
        values["outcome"] = body["resolution"]
    return kind(**{k: v for k, v in values.items() if k in names})


async def running(client: Any, workflow_id: str) -> bool:
    try:
        described = await client.get_workflow_handle(workflow_id).describe()
    except RPCError:
        return False
    return described.status == WorkflowExecutionStatus.RUNNING


async def send(client: Any, goal: Target, body: dict[str, Any], by: str) -> Any:
    """Send the action to the workflow; a refusal is a 409 that names the rule."""
    handle = client.get_workflow_handle(goal.workflow_id)
    try:
        return await handle.execute_update(goal.update, update_argument(goal.update, body, by),
                                           rpc_timeout=UPDATE_TIMEOUT)
    except WorkflowUpdateFailedError as refused:
        rule = str(refused.cause.message if refused.cause else refused)
        raise Problem(409, "Rule broken", rule, rule=rule, workflow=goal.workflow_id) from None
    except RPCError:
        raise Problem(503, "Process not answering",
                      "The process did not take the action in time (is the worker running?); "
                      "nothing was recorded by this request.", workflow=goal.workflow_id) from None


def process_for(kind: str, record: Any) -> tuple[Callable[..., Any], Any, str] | None:
    """The process a new record starts: (workflow run method, input, workflow id)."""
    rid = str(record.id)
    if kind == "safeguarder":
        return AppointmentWorkflow.run, AppointmentInput(rid), appointment_id(rid)
    if kind == "case":
        return SupervisionCadenceWorkflow.run, CadenceInput(rid), cadence_id(rid)
    if kind == "review" and record.category == "serious_incident":
        return RapidReviewWorkflow.run, RapidReviewInput(rid), rapid_review_id(rid)
    return None


STARTS_PROCESS = {"safeguarder", "case", "review"}


async def start_for(client: Any, kind: str, record: Any) -> str | None:
    """Start the process of a record just created; its id, or None if it has none."""
    found = process_for(kind, record)
    if found is None:
        return None
    run, argument, workflow_id = found
    await client.start_workflow(run, argument, id=workflow_id, task_queue=TASK_QUEUE)
    return workflow_id


async def signal_after(client: Any, kind: str, command: str, record_id: UUID) -> None:
    found = SIGNALS.get((kind, command))
    if found is None:
        return
    make_id, signal = found
    workflow_id = make_id(str(record_id))
    if await running(client, workflow_id):
        await client.get_workflow_handle(workflow_id).signal(signal)
