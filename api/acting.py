"""A person's command, carried out: the one path the API's routes and the web pages share.

`carry_out` authorises the command on its record, loaded once, then either sends it to the
running process that must hear of it (as that workflow's update, carrying the command
unchanged) or, where no process takes it or the process has ended, runs it on that record at
that version. `create` makes a record and starts the process it begins. A refusal raises
`RuleBroken` (or a 409 `Problem` naming the rule when a workflow refused it); nothing is
recorded then.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import Request
from pydantic import BaseModel

from api import processes
from api.access import authorised, creation_denied, denied
from api.auth import Principal
from api.policy import Action, Decision, answers_for_own_agency, may_create
from api.problems import Problem
from api.record_threads import on_records
from domain.application import Assured
from domain.commands import Command
from domain.errors import ConcurrencyConflict, RuleBroken
from workflows.routing import STARTS_PROCESSES, route


class Done(BaseModel):
    """What a command did; `workflow` and `answer` when a running process took the action."""

    id: UUID
    version: int
    notification_id: int | None
    workflow: str | None = None
    answer: Any = None


ATTEMPTS = 3  # a command on a record changed meanwhile is tried again on it, this many times


async def create(request: Request, app: Assured, who: Principal, c: Command) -> Done:
    """Make the record (if `who` may open records of its kind) and start its process.
    Temporal must be reachable first (503 otherwise), so no record is left without its process."""
    if not may_create(who, c.kind):
        raise creation_denied(who, c.kind, c.verb)
    client = (await request.app.state.temporal.client() if c.kind in STARTS_PROCESSES
              else None)
    created = await on_records(request, app.execute, c)
    done = Done(id=created.aggregate_id, version=created.version,
                notification_id=created.notification_id)
    if client is not None:
        done.workflow = await processes.start(client, c.kind, created.record,
                                              request.app.state.settings.task_queue)
    return done


async def carry_out(request: Request, app: Assured, who: Principal, c: Command,
                    expected: int | None = None) -> Done:
    """Give the command on its record: to its running process, or on the record itself."""
    goal = route(c)
    if goal is None:  # one trip to a thread: authorise, run, save
        return await on_records(request, directly, app, who, c, expected)
    record = await on_records(request, authorised_for, app, who, c, expected)
    client = await request.app.state.temporal.client()  # 503 while unreachable
    acted = await processes.send(client, goal, c)
    if acted is not None and acted.receipt is not None:
        r = acted.receipt
        return Done(id=r.aggregate_id, version=r.version, notification_id=r.notification_id,
                    workflow=goal.workflow_id, answer=acted.answer)
    # The process has ended (or never ran): the command runs on the record itself.
    return await on_records(request, directly, app, who, c, expected, record)


def authorised_for(app: Assured, who: Principal, c: Command, expected: int | None,
                   latest: bool = True) -> Any:
    """The command's record, loaded once, if `who` may give the command (and at `expected`)."""
    record = authorised(app, who, Action.WRITE, c.kind, c.record_id,  # type: ignore[attr-defined]
                        c.verb, latest=latest)
    if not answers_for_own_agency(who, c, record):
        raise denied(who, Action.WRITE, c.kind, record.id, Decision.FORBIDDEN)
    if expected is not None and record.version != expected:
        if not latest:
            return authorised_for(app, who, c, expected)
        raise Problem(409, "Concurrent change", f"The record is at version {record.version}, "
                      f"not {expected}; reload it and try again")
    return record


def directly(app: Assured, who: Principal, c: Command, expected: int | None,
             record: Any = None) -> Done:
    """Run the command on its record, authorised on that same record at that version.

    The first try may start from the cached record without asking the store for newer events:
    if another process wrote meanwhile, the save conflicts. A refusal or a conflict on that try
    is tried again on the record as stored, so nothing is refused on a stale copy (a denial is
    decided on the stored record by `authorised`). A command is a fact, not an edit of what was
    read: on a record changed meanwhile (a process's step, another person) it is checked again
    as the record now stands, a few times. Only a caller who named a version (If-Match) gets
    the 409 at once."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            record = record or authorised_for(app, who, c, expected, latest=attempt > 1)
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
