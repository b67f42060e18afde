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

from fastapi import APIRouter, Header, Request
from pydantic import BaseModel

from api import processes
from api.access import (
    authorised,
    authorised_to_read,
    creation_denied,
    record_view,
    record_view_async,
    viewers,
)
from api.bodies import body_of, command_from, when
from api.collections import COLLECTIONS, person_commands
from api.auth import Principal
from api.deps import App, Caller
from api.idempotency import IdempotencyKey, once
from api.policy import Action, may_create, redact
from api.problems import RESPONSES, Problem
from api.record_threads import on_records
from api.responses import FastJSON
from domain.commands import Command
from domain.errors import ConcurrencyConflict, RuleBroken
from domain.history import state_of
from workflows.routing import STARTS_PROCESSES, route


class Done(BaseModel):
    """What a command did; `workflow` and `answer` when a running process took the action."""

    id: UUID
    version: int
    notification_id: int | None
    workflow: str | None = None
    answer: Any = None


ATTEMPTS = 3  # a command on a record changed meanwhile is tried again on it, this many times

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
            raise creation_denied(who, command.kind, command.verb)
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
    created = await on_records(request, app.execute, c)
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
        expected = int(if_match.strip('"')) if if_match else None
        c = command_from(command, body, by=who.username, at=_time(request, body),
                         record_id=record_id)

        async def run() -> Done:
            goal = route(c)
            if goal is None:  # one trip to a thread: authorise, run, save
                return await on_records(request, _directly, app, who, c, expected)
            record = await on_records(request, _authorised, app, who, c, expected)
            client = await request.app.state.temporal.client()  # 503 while unreachable
            acted = await processes.send(client, goal, c)
            if acted is not None and acted.receipt is not None:
                r = acted.receipt
                return Done(id=r.aggregate_id, version=r.version,
                            notification_id=r.notification_id, workflow=goal.workflow_id,
                            answer=acted.answer)
            # The process has ended (or never ran): the command runs on the record itself.
            return await on_records(request, _directly, app, who, c, expected, record)

        return await once(app, idempotency_key, who,
                          f"{command.kind}:{command.verb}:{record_id}", body, run)

    act.__doc__ = summary
    router.add_api_route(f"/{{record_id}}/{command.verb}", act, methods=["POST"],
                         response_model=Done, name=f"{command.kind}:{command.verb}",
                         summary=summary)


def _authorised(app: App, who: Principal, c: Command, expected: int | None,
                latest: bool = True) -> Any:
    """The command's record, loaded once, if `who` may give the command (and at `expected`)."""
    record = authorised(app, who, Action.WRITE, c.kind, c.record_id,  # type: ignore[attr-defined]
                        c.verb, latest=latest)
    if expected is not None and record.version != expected:
        if not latest:
            return _authorised(app, who, c, expected)
        raise Problem(409, "Concurrent change", f"The record is at version {record.version}, "
                      f"not {expected}; reload it and try again")
    return record


def _directly(app: App, who: Principal, c: Command, expected: int | None,
              record: Any = None) -> Done:
    """Run the command on its record, authorised on that same record at that version.

    The first try may start from the cached record without asking the store for newer events:
    if another process wrote meanwhile, the save conflicts. A refusal or a conflict on that try
    is tried again on the record as stored, so nothing is refused on a stale copy (a denial is
    decided on the stored record by `authorised`). A command is a fact, not an edit of what
    was read: on a record changed meanwhile (a process's step, another person) it is checked
    again as the record now stands, a few times.
    Only a caller who named a version (If-Match) gets the 409 at once."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            record = record or _authorised(app, who, c, expected, latest=attempt > 1)
            receipt = app.execute(c, on=record)
        except ConcurrencyConflict:
            if expected is not None or attempt == ATTEMPTS:
                raise
        except RuleBroken:
            if attempt > 1:
                raise
        else:
            assert receipt is not None
            return Done(id=receipt.aggregate_id, version=receipt.version,
                        notification_id=receipt.notification_id)
        record = None
    raise AssertionError("unreachable")


def _read_routes(router: APIRouter, kind: str) -> None:
    async def read(request: Request, record_id: UUID, app: App, who: Caller) -> FastJSON:
        record = await authorised_to_read(request, app, who, Action.READ, kind, record_id)
        await record_view_async(app, record_id, request.scope["route"].path, who)
        return FastJSON(redact(who, kind, state_of(record)))

    read.__doc__ = f"The {kind}'s current state."
    router.add_api_route("/{record_id}", read, methods=["GET"], name=f"{kind}:read",
                         summary=f"The {kind}'s current state.", response_class=FastJSON,
                         responses={200: {"content": {"application/json": {
                             "schema": {"type": "object"}}}}})

    def who_viewed(request: Request, record_id: UUID, app: App, who: Caller) -> list[Viewer]:
        authorised(app, who, Action.VIEWERS, kind, record_id)
        seen = [Viewer(**v) for v in viewers(app, record_id)]
        record_view(app, record_id, request.scope["route"].path, who)  # a read of the log too
        return seen

    router.add_api_route("/{record_id}/viewers", who_viewed, methods=["GET"],
                         name=f"{kind}:viewers", summary=f"Who viewed the {kind}, and when.")


def routers() -> list[APIRouter]:
    built = []
    for kind, collection in COLLECTIONS.items():
        router = APIRouter(prefix=f"/{collection}", tags=[collection], responses=RESPONSES)
        for command in person_commands(kind):
            (_create_route if command.creates else _command_route)(router, command)
        _read_routes(router, kind)
        built.append(router)
    return built
