"""Data subjects' rights over HTTP: erasure (UK GDPR Art. 17), legal hold (Art. 17(3)), and
subject access (Art. 15), on a Safeguarder's, a child's case's, or a person's who gave feedback
(`feedback-giver`: the id of their submission, or of the record made with the feedback).

`POST /subjects/{kind}/{id}/erase`, `/legal-hold` and `/lift-legal-hold` take `grounds` (and
`at`); `GET /subjects/{kind}/{id}/access?format=json|pdf` exports what is held. Who may:
`api.policy.may_govern` (the panel team admin for Safeguarders; the data protection officer
for every subject). An erasure also ends the record's running process, whose further steps the
erased record would refuse, and deletes its history (and its escalations') from Temporal.
"""

# No `from __future__ import annotations`: the body models must be real objects for FastAPI.
import json
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from types import SimpleNamespace
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from temporalio.client import WorkflowQueryFailedError, WorkflowUpdateFailedError
from temporalio.service import RPCError, RPCStatusCode

from api.access import denied, facts_of, not_found, record_view
from api.bodies import body_of, command_from, when
from api.deps import App, Caller
from api.policy import Action, Decision, decide, may_govern
from api.problems import RESPONSES, Problem
from api.processes import update_failed
from api.record_threads import on_records
from api.acting import ATTEMPTS, Done
from domain.application import SUBJECT_KINDS, Assured
from domain.commands import Command
from domain.errors import ConcurrencyConflict, RecordNotFound
from domain.subject_commands import EraseSubject, LiftLegalHold, PlaceLegalHold
from projections.reports.subject_access import as_pdf, build_export
from workflows.retention.types import RETENTION_ID, Approval, Due
from workflows.retention.workflow import RetentionWorkflow
from workflows.routing import start_for

router = APIRouter(prefix="/subjects", tags=["subjects"], responses=RESPONSES)
KINDS = set(SUBJECT_KINDS)


class Format(StrEnum):
    JSON = "json"
    PDF = "pdf"


def _subject(app: Assured, who: Any, action: Action, kind: str, record_id: UUID) -> Any:
    """The subject's record, if `who` may govern subjects of this kind; otherwise 403, or 404
    to one who may not see the record at all."""
    if kind not in KINDS:
        raise not_found()
    try:
        record = app.load(record_id, SUBJECT_KINDS[kind], private=action == Action.WRITE)
    except RecordNotFound:
        raise not_found() from None
    if not may_govern(who, kind):
        seen = decide(who, Action.READ, facts_of(kind, record)) != Decision.HIDDEN
        raise denied(who, action, kind, record_id,
                     Decision.FORBIDDEN if seen else Decision.HIDDEN)
    return record


def _run(app: Assured, who: Any, kind: str, c: Command) -> Done:
    """The command on the record as stored; tried again on it when a process wrote first."""
    for attempt in range(1, ATTEMPTS + 1):
        record = _subject(app, who, Action.WRITE, kind, c.record_id)  # type: ignore[attr-defined]
        try:
            receipt = app.execute(c, on=record)
            break
        except ConcurrencyConflict:
            if attempt == ATTEMPTS:
                raise
    assert receipt is not None
    return Done(id=receipt.aggregate_id, version=receipt.version,
                notification_id=receipt.notification_id)


async def _end_process(request: Request, kind: str, record_id: UUID) -> str | None:
    """Terminate the erased record's process, and delete its history and its escalations'
    from Temporal: their updates carried the person's words (sealed with the master key)."""
    found = start_for(kind, SimpleNamespace(id=record_id))
    if found is None:
        return None
    client = await request.app.state.temporal.client()
    ids = [found.workflow_id]
    async for execution in client.list_workflows(
            f'WorkflowId STARTS_WITH "escalation-{record_id}-"'):
        ids.append(execution.id)
    for workflow_id in ids:
        handle = client.get_workflow_handle(workflow_id)
        try:
            await handle.terminate(reason="The record's personal data was erased")
        except RPCError as failed:
            if failed.status not in (RPCStatusCode.NOT_FOUND, RPCStatusCode.FAILED_PRECONDITION):
                raise
        await _delete_history(client, workflow_id)
    return found.workflow_id


async def _delete_history(client: Any, workflow_id: str) -> None:
    from temporalio.api.common.v1 import WorkflowExecution
    from temporalio.api.workflowservice.v1 import DeleteWorkflowExecutionRequest

    try:
        await client.workflow_service.delete_workflow_execution(DeleteWorkflowExecutionRequest(
            namespace=client.namespace, workflow_execution=WorkflowExecution(
                workflow_id=workflow_id)))
    except RPCError as failed:
        if failed.status != RPCStatusCode.NOT_FOUND:
            raise


def _command_route(command: type[Command]) -> None:
    model = body_of(command)
    summary = (command.__doc__ or command.__name__).splitlines()[0]

    async def act(request: Request, kind: str, record_id: UUID, body: model,  # type: ignore[valid-type]
                  app: App, who: Caller) -> Done:
        skew = timedelta(seconds=request.app.state.settings.clock_skew_seconds)
        c = command_from(command, body, by=who.username, at=when(body, datetime.now(UTC), skew),
                         record_id=record_id)
        done = await on_records(request, _run, app, who, kind, c)
        if command is EraseSubject:
            done.workflow = await _end_process(request, kind, record_id)
        return done

    act.__doc__ = summary
    router.add_api_route(f"/{{kind}}/{{record_id}}/{command.verb}", act, methods=["POST"],
                         response_model=Done, name=f"subject:{command.verb}", summary=summary)


for _command in (EraseSubject, PlaceLegalHold, LiftLegalHold):
    _command_route(_command)


retention = APIRouter(prefix="/retention", tags=["subjects"], responses=RESPONSES)


@retention.get("/{workflow_id}")
async def retention_listing(request: Request, workflow_id: str, who: Caller) -> list[Due]:
    """The records a retention run lists as past their period, waiting for approval."""
    _approver(request, who)
    client = await request.app.state.temporal.client()
    try:
        return await _retention_run(client, workflow_id).query(RetentionWorkflow.listed)
    except (RPCError, WorkflowQueryFailedError) as failed:
        raise _unanswered(failed) from None


@retention.post("/{workflow_id}/approve")
async def approve_retention(request: Request, workflow_id: str, who: Caller) -> dict[str, str]:
    """Approve the erasure of the records a retention run lists (the approver role only)."""
    _approver(request, who)
    client = await request.app.state.temporal.client()
    try:
        answer = await _retention_run(client, workflow_id).execute_update(
            RetentionWorkflow.approve, Approval(who.username, who.role.value))
    except WorkflowUpdateFailedError as failed:
        raise update_failed(failed, workflow_id) from None
    except RPCError as failed:
        raise _unanswered(failed) from None
    return {"answer": answer}


def _unanswered(failed: Exception) -> Problem:
    """No such retention run (or not one): 404; a Temporal that does not answer: 503."""
    if isinstance(failed, RPCError) and failed.status not in (
            RPCStatusCode.NOT_FOUND, RPCStatusCode.INVALID_ARGUMENT):
        return Problem(503, "Process not answering", "The retention run did not answer; "
                       "nothing was recorded: try again.")
    return not_found()


def _approver(request: Request, who: Any) -> None:
    """Only the retention approver's role (ASSURED_RETENTION_APPROVER) sees and approves."""
    if who.role.value != request.app.state.settings.retention_approver:
        raise denied(who, Action.WRITE, "retention listing", None, Decision.FORBIDDEN)


def _retention_run(client: Any, workflow_id: str) -> Any:
    if not workflow_id.startswith(RETENTION_ID):
        raise not_found()
    return client.get_workflow_handle(workflow_id)


@router.get("/{kind}/{record_id}/access", responses={200: {"content": {"application/pdf": {}}}})
def subject_access(request: Request, kind: str, record_id: UUID, app: App, who: Caller,
                   format: Format = Query(Format.JSON)) -> Any:
    """Everything held about the data subject, from their record's events (UK GDPR Art. 15);
    other people's personal data redacted. The export is recorded in the access log."""
    _subject(app, who, Action.READ, kind, record_id)
    export = build_export(app, kind, record_id, datetime.now(UTC))
    record_view(app, record_id, request.scope["route"].path, who)
    if format == Format.PDF:
        return Response(as_pdf(export), media_type="application/pdf",
                        headers={"Cache-Control": "no-store"})
    return Response(json.dumps(asdict(export), ensure_ascii=False),
                    media_type="application/json", headers={"Cache-Control": "no-store"})
