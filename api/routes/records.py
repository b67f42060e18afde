"""Safeguarders, cases, reviews, audits and the panel's small records: every command as a POST,
the record's current state as a GET, and who viewed it.

Commands answer with the record's id, its new version and the notification id, which a read
can wait for (`?after=`) to see its own write. `If-Match: <version>` refuses a stale write (409).
"""

# No `from __future__ import annotations`: the generated body models must be real objects in
# the route functions' annotations for FastAPI to read them.
import dataclasses
import json
from collections.abc import Awaitable
from datetime import UTC, datetime
from typing import Annotated, Any
from uuid import UUID

from anyio import to_thread
from fastapi import APIRouter, Header, Request
from pydantic import BaseModel

from api import processes
from api.access import authorised, denied, record_view, viewers
from api.commands import COLLECTIONS, Command, catalogue
from api.deps import App, Caller
from api.idempotency import IdempotencyKey, once
from api.policy import Action, Decision, may_create, redact
from api.problems import Problem
from domain.history import state_of


class Done(BaseModel):
    """What a command did; `workflow` and `answer` when a running process took the action."""

    id: UUID
    version: int
    notification_id: int | None
    workflow: str | None = None
    answer: Any = None


# The record's version the caller last saw: a stale one is refused (409). A plain or quoted number.
IfMatch = Annotated[str, Header(pattern=r'^"?[0-9]{1,9}"?$',
                                description="The version you last saw; a stale one is refused.")]


class Viewer(BaseModel):
    by: str
    at: datetime
    route: str


def _create_route(router: APIRouter, command: Command) -> None:
    model = command.model

    async def create(request: Request, body: model, app: App,  # type: ignore[valid-type]
                     who: Caller,
                     idempotency_key: IdempotencyKey = None) -> Done:  # type: ignore[assignment]
        if not may_create(who, command.kind):
            raise denied(who, Action.WRITE, command.kind, None, Decision.FORBIDDEN)
        return await once(app, idempotency_key, who, f"{command.kind}:{command.name}", body,
                          lambda: _create_and_start(request, command, app, body, who.username))

    create.__doc__ = command.summary
    router.add_api_route("", create, methods=["POST"], status_code=201, response_model=Done,
                         name=f"{command.kind}:{command.name}", summary=command.summary)


def _command_route(router: APIRouter, command: Command) -> None:
    model = command.model
    takes_process = any(k == command.kind and c == command.name
                        for k, c in (*processes.ROUTES, *processes.SIGNALS))

    async def act(request: Request, record_id: UUID, body: model,  # type: ignore[valid-type]
                  app: App, who: Caller,
                  idempotency_key: IdempotencyKey = None,  # type: ignore[assignment]
                  if_match: IfMatch = None) -> Done:  # type: ignore[assignment]
        record = await to_thread.run_sync(authorised, app, who, Action.WRITE, command.kind,
                                          record_id, command.name)
        expected = int(if_match.strip('"')) if if_match else None
        if takes_process:
            def run() -> Awaitable[Done]:
                return _through_process(request, command, app, record, body, who.username,
                                        expected)
        else:
            def run() -> Awaitable[Done]:
                return to_thread.run_sync(_run, command, app, record_id, body, who.username,
                                          expected)
        return await once(app, idempotency_key, who,
                          f"{command.kind}:{command.name}:{record_id}", body, run)

    act.__doc__ = command.summary
    router.add_api_route(f"/{{record_id}}/{command.name}", act, methods=["POST"],
                         response_model=Done, name=f"{command.kind}:{command.name}",
                         summary=command.summary)


def _run(command: Command, app: App, record_id: UUID | None, body: BaseModel, by: str,
         expected_version: int | None) -> Done:
    fields = body.model_dump(exclude={"at"})
    at = getattr(body, "at", None) or datetime.now(UTC)
    if at.tzinfo is None:
        raise Problem(422, "Malformed input", "Check: at (a time needs its zone)",
                      errors=[{"field": "at", "message": "a time needs its zone"}])
    receipt = command.run(app, record_id, fields, by, at, expected_version)
    return Done(id=receipt.aggregate_id, version=receipt.version,
                notification_id=receipt.notification_id)


async def _create_and_start(request: Request, command: Command, app: App, body: BaseModel,
                            by: str) -> Done:
    """Create the record; a record with a process (an applicant's appointment, a case's
    supervision cadence, a serious incident's rapid review) starts it. Temporal must be
    reachable first (503 otherwise), so no record is left without its process."""
    client = (await request.app.state.temporal.client()
              if command.kind in processes.STARTS_PROCESS else None)
    done = await to_thread.run_sync(_run, command, app, None, body, by, None)
    if client is not None:
        record = await to_thread.run_sync(app.load, done.id)
        done.workflow = await processes.start_for(client, command.kind, record)
    return done


async def _through_process(request: Request, command: Command, app: App, record: Any,
                           body: BaseModel, by: str, expected_version: int | None) -> Done:
    """Send the action to the running workflow, or run it directly and tell the workflow."""
    client = await request.app.state.temporal.client()  # 503 while Temporal is unreachable
    fields = body.model_dump(exclude={"at"})
    goal = processes.target(command.kind, command.name, record.id, fields, record)
    if goal is not None and await processes.running(client, goal.workflow_id):
        answer = await processes.send(client, goal, fields, by)
        current = await to_thread.run_sync(app.load, record.id)
        return Done(id=record.id, version=current.version,
                    notification_id=await to_thread.run_sync(app.recorder.max_notification_id),
                    workflow=goal.workflow_id, answer=_plain(answer))
    done = await to_thread.run_sync(_run, command, app, record.id, body, by, expected_version)
    await processes.signal_after(client, command.kind, command.name, record.id)
    return done


def _plain(answer: Any) -> Any:
    if dataclasses.is_dataclass(answer) and not isinstance(answer, type):
        return json.loads(json.dumps(dataclasses.asdict(answer), default=str))
    return answer


def _read_routes(router: APIRouter, kind: str) -> None:
    def read(request: Request, record_id: UUID, app: App, who: Caller) -> dict[str, Any]:
        record = authorised(app, who, Action.READ, kind, record_id)
        record_view(app, record_id, request.scope["route"].path, who)
        return redact(who, kind, state_of(record))

    read.__doc__ = f"The {kind}'s current state."
    router.add_api_route("/{record_id}", read, methods=["GET"], name=f"{kind}:read",
                         summary=f"The {kind}'s current state.")

    def who_viewed(record_id: UUID, app: App, who: Caller) -> list[Viewer]:
        authorised(app, who, Action.VIEWERS, kind, record_id)
        return [Viewer(**v) for v in viewers(app, record_id)]

    router.add_api_route("/{record_id}/viewers", who_viewed, methods=["GET"],
                         name=f"{kind}:viewers", summary=f"Who viewed the {kind}, and when.")


def routers() -> list[APIRouter]:
    built = []
    commands = catalogue()
    for kind, (collection, _, _) in COLLECTIONS.items():
        router = APIRouter(prefix=f"/{collection}", tags=[collection])
        for command in (c for c in commands if c.kind == kind):
            (_create_route if command.creates else _command_route)(router, command)
        _read_routes(router, kind)
        built.append(router)
    return built
