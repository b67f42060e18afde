"""For operations staff: the running processes, one process in detail, and interventions.

Nothing personal is shown: workflow ids carry record ids only, and the state shown is each
workflow's own status (dates, stages, codes). Every intervention is recorded with its reason.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from enum import Enum
from typing import Annotated, Any
from uuid import UUID

from anyio import to_thread
from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, ConfigDict, Field
from temporalio.api.enums.v1 import EventType
from temporalio.api.taskqueue.v1 import TaskQueue
from temporalio.api.workflowservice.v1 import (
    DescribeTaskQueueRequest,
    ResetActivityRequest,
    ResetWorkflowExecutionRequest,
)
from temporalio.client import WorkflowExecutionStatus
from temporalio.service import RPCError

from api.access import denied
from api.auth import Principal
from api.deps import App, Caller
from api.policy import Action, Decision, Facts, decide
from api.problems import RESPONSES, Problem, not_found
from api.reads import read_models
from domain.due import DueState, due_state
from domain.operations import Operation, RecordIntervention
from domain.text import Narrative
from projections import obligations
from workflows.routing import record_of

router = APIRouter(prefix="/ops", tags=["operations"], responses=RESPONSES)
STATES = {s.name.lower(): s for s in WorkflowExecutionStatus}
State = Enum("State", {name.upper(): name for name in STATES}, type=str)  # type: ignore[misc]


class WorkflowLine(BaseModel):
    workflow_id: str
    workflow_type: str
    status: str
    started_at: datetime | None
    closed_at: datetime | None
    overdue: list[str] = []          # deadlines passed and not met (query `deadlines`)
    failing_activities: int = 0      # activities retrying after a failure


class PendingActivity(BaseModel):
    activity_type: str
    attempt: int
    last_failure: str | None


class WorkflowDetail(WorkflowLine):
    run_id: str | None
    history_length: int
    pending_activities: list[PendingActivity]
    temporal_ui: str
    state: dict[str, Any] | None = None


class InterventionRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Annotated[Narrative, Field(min_length=1)]


def _ops_only(who: Principal) -> None:
    decision = decide(who, Action.OPS, Facts("workflow"))
    if decision != Decision.ALLOW:
        raise denied(who, Action.OPS, "workflow", None, decision)


def _line(execution: Any) -> WorkflowLine:
    return WorkflowLine(workflow_id=execution.id, workflow_type=execution.workflow_type,
                        status=execution.status.name.lower() if execution.status else "unknown",
                        started_at=execution.start_time, closed_at=execution.close_time)


@router.get("/workflows")
async def list_workflows(request: Request, who: Caller,
                         workflow_type: str | None = Query(None, pattern=r"^[A-Za-z]+$"),
                         status: State | None = None,
                         limit: int = Query(50, ge=1, le=500)) -> list[WorkflowLine]:
    """Processes by type and state."""
    _ops_only(who)
    clauses = []
    if workflow_type:
        clauses.append(f"WorkflowType = '{workflow_type}'")
    if status:
        chosen = STATES[status.value]
        clauses.append(f"ExecutionStatus = '{chosen.name.title().replace('_', '')}'")
    client = await request.app.state.temporal.client()
    found = client.list_workflows(" AND ".join(clauses) or None, limit=limit)
    lines = [_line(execution) async for execution in found]
    late = await to_thread.run_sync(_overdue_by_record, request)
    for line in lines:
        record = record_of(line.workflow_id)
        if record is not None and line.status == "running":
            line.overdue = late.get(record[1], [])
    if await _worker_polling(client, request.app.state.settings.task_queue):
        await asyncio.gather(*(_watch(client, line) for line in lines
                               if line.status == "running"))
    return lines


def _overdue_by_record(request: Request) -> dict[UUID, list[str]]:
    """What each record's process asks of people and is overdue today (`projections.obligations`:
    the same list My work, the caseload and the metrics read)."""
    app = request.app.state.assured
    with read_models(request.app, obligations.READ_MODELS, None) as conn:
        found = obligations.overdue(conn, datetime.now(UTC).date(), app.mapper.cipher,
                                    request.app.state.settings.policy)
    late: dict[UUID, list[str]] = {}
    for o in found:
        late.setdefault(o.record_id, []).append(f"{o.what} (due {o.due_on})")
    return late


async def _worker_polling(client: Any, task_queue: str) -> bool:
    """Whether a worker polls the task queue: without one, a query waits for nothing."""
    try:
        found = await client.workflow_service.describe_task_queue(
            DescribeTaskQueueRequest(namespace=client.namespace,
                                     task_queue=TaskQueue(name=task_queue)),
            timeout=timedelta(seconds=2))
    except RPCError:
        return False
    return bool(found.pollers)


async def _watch(client: Any, line: WorkflowLine) -> None:
    """Fill in a running process's failing activities, and an escalation ladder's overdue
    stage (a ladder's deadline is its own, not its record's), judged by the same rule
    (`domain.due.due_state`). Best effort: a process whose worker is down answers no query."""
    handle = client.get_workflow_handle(line.workflow_id)
    try:
        described = await handle.describe(rpc_timeout=timedelta(seconds=2))
        line.failing_activities = sum(1 for p in described.raw_description.pending_activities
                                      if p.attempt > 1)
        if record_of(line.workflow_id) is not None:
            return
        deadlines = await handle.query("deadlines", rpc_timeout=timedelta(seconds=2))
    except Exception:  # noqa: BLE001 (no answer: nothing to show)
        return
    today = datetime.now(UTC).date()
    line.overdue = [f"{d['name']} (due {d['due']})" for d in deadlines
                    if due_state(date.fromisoformat(str(d["due"])), today, done=d["met"])
                    == DueState.OVERDUE]


@router.get("/workflows/{workflow_id}")
async def describe_workflow(request: Request, workflow_id: str, who: Caller) -> WorkflowDetail:
    """One process: its state, its pending and failing activities, a link into the Temporal UI."""
    _ops_only(who)
    gateway = request.app.state.temporal
    handle = (await gateway.client()).get_workflow_handle(workflow_id)
    try:
        described = await handle.describe()
    except RPCError:
        raise not_found() from None
    raw = described.raw_description
    pending = [PendingActivity(activity_type=p.activity_type.name, attempt=p.attempt,
                               last_failure=p.last_failure.message or None)
               for p in raw.pending_activities]
    return WorkflowDetail(**_line(described).model_dump(), run_id=described.run_id,
                          history_length=described.history_length, pending_activities=pending,
                          temporal_ui=gateway.ui_link(workflow_id, described.run_id),
                          state=await _state(handle, described))


async def _state(handle: Any, described: Any) -> dict[str, Any] | None:
    if described.status != WorkflowExecutionStatus.RUNNING:
        return None
    try:
        state = await handle.query("status")
    except Exception:  # noqa: BLE001 (a workflow without a status query shows none)
        return None
    return state if isinstance(state, dict) else None


def _record(app: App, workflow_id: str, action: str, reason: str, who: Principal) -> None:
    app.record_intervention(RecordIntervention(workflow_id=workflow_id, action=Operation(action),
                                               reason=reason, by=who.username,
                                               at=datetime.now(UTC)))


@router.post("/workflows/{workflow_id}/cancel", status_code=202)
async def cancel(request: Request, workflow_id: str, body: InterventionRequest, app: App,
                 who: Caller) -> dict[str, str]:
    """Ask a running process to cancel (it may tidy up); the reason is recorded. A process
    that has already ended answers 409."""
    return await _intervene(request, workflow_id, body, app, who, "cancel")


@router.post("/workflows/{workflow_id}/terminate")
async def terminate(request: Request, workflow_id: str, body: InterventionRequest, app: App,
                    who: Caller) -> dict[str, str]:
    """Stop a running process at once; the reason is recorded. A process that has already
    ended answers 409."""
    return await _intervene(request, workflow_id, body, app, who, "terminate")


@router.post("/workflows/{workflow_id}/retry")
async def retry(request: Request, workflow_id: str, body: InterventionRequest, app: App,
                who: Caller) -> dict[str, str]:
    """Retry what is failing, and only that: a step retrying after a failure runs again now on
    the same run; a failed process, or one whose workflow task keeps failing, is reset to its
    last completed step. A healthy process answers 409 and is left alone. Recorded."""
    return await _intervene(request, workflow_id, body, app, who, "retry")


async def _intervene(request: Request, workflow_id: str, body: InterventionRequest, app: App,
                     who: Caller, action: str) -> dict[str, str]:
    _ops_only(who)
    client = await request.app.state.temporal.client()
    handle = client.get_workflow_handle(workflow_id)
    try:
        described = await handle.describe()
    except RPCError:
        raise not_found() from None
    running = described.status == WorkflowExecutionStatus.RUNNING
    if action in ("cancel", "terminate") and not running:
        raise Problem(409, "The process has ended", f"The process is "
                      f"{_status_name(described)}: there is nothing to {action}.")
    if action == "cancel":
        await handle.cancel()
        done = "cancellation requested"
    elif action == "terminate":
        await handle.terminate(reason=body.reason)
        done = "terminated"
    else:
        done = await _retry(client, handle, described, body.reason)
    _record(app, workflow_id, action, body.reason, who)
    return {"workflow_id": workflow_id, "action": action, "status": done}


def _status_name(described: Any) -> str:
    return described.status.name.lower().replace("_", " ") if described.status else "unknown"


async def _retry(client: Any, handle: Any, described: Any, reason: str) -> str:
    """Retry only what is failing: activities retrying after a failure are retried now, on
    the same run; a failing workflow task, or a process that failed, is reset to its last
    completed step (a new run). Anything else is refused: a healthy process is left alone."""
    raw = described.raw_description
    failing = [p for p in raw.pending_activities if p.attempt > 1 or p.HasField("last_failure")]
    if described.status == WorkflowExecutionStatus.RUNNING and failing:
        for activity in failing:
            await client.workflow_service.reset_activity(ResetActivityRequest(
                namespace=client.namespace, identity="assured-ops", id=activity.activity_id,
                execution={"workflow_id": handle.id, "run_id": described.run_id}))
        return f"{len(failing)} failing step(s) retried"
    task_failing = (described.status == WorkflowExecutionStatus.RUNNING
                    and raw.HasField("pending_workflow_task")
                    and raw.pending_workflow_task.attempt > 1)
    if task_failing or described.status == WorkflowExecutionStatus.FAILED:
        await _reset(client, handle, described, reason)
        return "reset to its last completed step"
    raise Problem(409, "Nothing to retry", f"The process is {_status_name(described)} and no "
                  "step of it is failing: a retry is only for a failing step.")


async def _reset(client: Any, handle: Any, described: Any, reason: str) -> None:
    """Temporal's reset to the last completed workflow task: a new run from there."""
    last = None
    async for event in handle.fetch_history_events():
        if event.event_type == EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED:
            last = event.event_id
    if last is None:
        raise Problem(409, "Nothing to retry", "The process has not completed a step yet.")
    await client.workflow_service.reset_workflow_execution(ResetWorkflowExecutionRequest(
        namespace=client.namespace, reason=reason, workflow_task_finish_event_id=last,
        request_id=f"reset-{described.run_id}-{last}",
        workflow_execution={"workflow_id": handle.id, "run_id": described.run_id}))
