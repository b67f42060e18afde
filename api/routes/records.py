"""Safeguarders, cases, reviews, audits and the panel's small records: each command people give
as a POST, the record's current state as a GET, and who viewed it.

A command's body is its dataclass's (api/bodies.py). The route loads the record once,
authorises on it, and runs the command on that record at that version; where a running process
must hear of the command, it goes to the process as its update instead. Commands answer with
the record's id, its new version and the notification id, which a read can wait for
(`?after=`) to see its own write. `If-Match: <version>` refuses a stale write (409).
"""

# No `from __future__ import annotations`: the generated body models must be real objects in
# the route functions' annotations for FastAPI to read them.
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any
from uuid import UUID

from anyio import to_thread
from fastapi import APIRouter, Header, Request
from pydantic import BaseModel

from api import processes
from api.access import authorised, denied, record_view, viewers
from api.bodies import body_of, command_from, when
from api.collections import COLLECTIONS, person_commands
from api.deps import App, Caller
from api.idempotency import IdempotencyKey, once
from api.policy import Action, Decision, may_create, redact
from api.problems import Problem
from domain.commands import Command
from domain.history import state_of
from workflows.routing import STARTS_PROCESSES, route


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


def _time(request: Request, body: BaseModel) -> datetime:
    skew = timedelta(seconds=request.app.state.settings.clock_skew_seconds)
    return when(body, datetime.now(UTC), skew)


def _create_route(router: APIRouter, command: type[Command]) -> None:
    model = body_of(command)
    summary = (command.__doc__ or command.__name__).splitlines()[0]

    async def create(request: Request, body: model, app: App,  # type: ignore[valid-type]
                     who: Caller,
                     idempotency_key: IdempotencyKey = None) -> Done:  # type: ignore[assignment]
        if not may_create(who, command.kind):
            raise denied(who, Action.WRITE, command.kind, None, Decision.FORBIDDEN)
        c = command_from(command, body, by=who.username, at=_time(request, body))
        return await once(app, idempotency_key, who, f"{command.kind}:{command.verb}", body,
                          lambda: _create_and_start(request, app, c))

    create.__doc__ = summary
    router.add_api_route("", create, methods=["POST"], status_code=201, response_model=Done,
                         name=f"{command.kind}:{command.verb}", summary=summary)


async def _create_and_start(request: Request, app: App, c: Command) -> Done:
    """Make the record; a record with a process (an applicant's appointment, a case's
    supervision cadence, a serious incident's rapid review, an audit's cycle) starts it.
    Temporal must be reachable first (503 otherwise), so no record is left without its process."""
    client = (await request.app.state.temporal.client() if c.kind in STARTS_PROCESSES
              else None)
    created = await to_thread.run_sync(app.execute, c)
    done = Done(id=created.aggregate_id, version=created.version,
                notification_id=created.notification_id)
    if client is not None:
        done.workflow = await processes.start(client, c.kind, created.record,
                                              request.app.state.settings.task_queue)
    return done


def _command_route(router: APIRouter, command: type[Command]) -> None:
    model = body_of(command)
    summary = (command.__doc__ or command.__name__).splitlines()[0]

    async def act(request: Request, record_id: UUID, body: model,  # type: ignore[valid-type]
                  app: App, who: Caller,
                  idempotency_key: IdempotencyKey = None,  # type: ignore[assignment]
                  if_match: IfMatch = None) -> Done:  # type: ignore[assignment]
        async def run() -> Done:
            record = await to_thread.run_sync(authorised, app, who, Action.WRITE, command.kind,
                                              record_id, command.verb)
            expected = int(if_match.strip('"')) if if_match else None
            if expected is not None and record.version != expected:
                raise Problem(409, "Concurrent change", f"The record is at version "
                              f"{record.version}, not {expected}; reload it and try again")
            c = command_from(command, body, by=who.username, at=_time(request, body),
                             record_id=record_id)
            return await _carry_out(request, app, c, record)

        return await once(app, idempotency_key, who,
                          f"{command.kind}:{command.verb}:{record_id}", body, run)

    act.__doc__ = summary
    router.add_api_route(f"/{{record_id}}/{command.verb}", act, methods=["POST"],
                         response_model=Done, name=f"{command.kind}:{command.verb}",
                         summary=summary)


async def _carry_out(request: Request, app: App, c: Command, record: Any) -> Done:
    """Through the running process that must hear of it, or directly on the loaded record."""
    goal = route(c)
    if goal is not None:
        client = await request.app.state.temporal.client()  # 503 while Temporal is unreachable
        acted = await processes.send(client, goal, c)
        if acted is not None and acted.receipt is not None:
            r = acted.receipt
            return Done(id=r.aggregate_id, version=r.version, notification_id=r.notification_id,
                        workflow=goal.workflow_id, answer=acted.answer)
    receipt = await to_thread.run_sync(lambda: app.execute(c, on=record))
    assert receipt is not None
    return Done(id=receipt.aggregate_id, version=receipt.version,
                notification_id=receipt.notification_id)


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
    for kind, collection in COLLECTIONS.items():
        router = APIRouter(prefix=f"/{collection}", tags=[collection])
        for command in person_commands(kind):
            (_create_route if command.creates else _command_route)(router, command)
        _read_routes(router, kind)
        built.append(router)
    return built
