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
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Header, Request
from pydantic import BaseModel

from api import acting
from api.access import (
    authorised,
    authorised_to_read,
    creation_denied,
    record_view,
    record_view_async,
    viewers,
)
from api.acting import Done
from api.bodies import body_of, command_from, when
from api.collections import COLLECTIONS, person_commands
from api.deps import App, Caller
from api.idempotency import IdempotencyKey, once
from api.policy import Action, may_create, redact
from api.problems import RESPONSES
from api.responses import FastJSON
from domain.commands import Command
from domain.history import state_of


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
                          lambda: acting.create(request, app, who, c))

    create.__doc__ = summary
    router.add_api_route("", create, methods=["POST"], status_code=201, response_model=Done,
                         name=f"{command.kind}:{command.verb}", summary=summary)


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
            return await acting.carry_out(request, app, who, c, expected)

        return await once(app, idempotency_key, who,
                          f"{command.kind}:{command.verb}:{record_id}", body, run)

    act.__doc__ = summary
    router.add_api_route(f"/{{record_id}}/{command.verb}", act, methods=["POST"],
                         response_model=Done, name=f"{command.kind}:{command.verb}",
                         summary=summary)


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
