"""Loading a record for a caller: the policy decides, denials are logged, reads are recorded.

Every denial is logged once (by the problem's handler, `api.problems`) with the caller's role,
the action and the record id (never a name).
Every read of a record, its history, a list, a register or a report is recorded as a `View`
event of its own (a list's with its filters: the query, never what it answered).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from fastapi import Request

from api.auth import Principal
from api.collections import COLLECTIONS, PAGE_KINDS
from api import wording
from api.policy import CREATORS, Action, Decision, Facts, decide
from api.problems import Problem, not_found
from api.record_threads import on_records
from api.view_log import writer_for
from domain.accounts import RecordView, list_id
from domain.application import AGGREGATE_KINDS, Assured
from domain.errors import RecordNotFound
from projections import access_log
from projections.access_log import AccessLog
from projections.runner import Runner

def facts_of(kind: str, record: Any) -> Facts:
    """What the policy needs of the record just loaded (a case knows the audits that chose it)."""
    if kind == "safeguarder":
        return Facts(kind, region=str(record.region), support_manager=record.support_manager)
    if kind == "case":
        return Facts(kind, practitioner=record.practitioner, supervisor=record.supervisor,
                     named_in_review=bool(record.audits))
    if kind == "review":
        return Facts(kind, agencies=frozenset(r["agency"] for r in record.requests.values()))
    if kind == "audit":
        return Facts(kind, agencies=frozenset(record.returns))
    if kind == "arrangement":
        return Facts(kind, parties=record.parties,
                     contributors=(record.line_manager, record.safeguarding_lead))
    if kind == "self-evaluation":
        return Facts(kind, parties=(record.leader,))
    if kind == "assurance-cycle":
        return Facts(kind, contributors=record.contributors)
    if kind == "forward-plan":
        return Facts(kind, contributors=record.owners)
    return Facts(kind)


def authorised(app: Assured, who: Principal, action: Action, kind: str, record_id: UUID,
               command: str | None = None, *, latest: bool = True) -> Any:
    """The record, if `who` may do `action` on it; otherwise 404 (hidden) or 403.

    A command gets its own copy to change; any other action gets the shared record, to read.
    (`latest`: see `Assured.load`.)"""
    record_class = _record_class(kind)
    try:
        record = app.load(record_id, record_class, private=action == Action.WRITE,
                          latest=latest)
    except RecordNotFound:
        raise not_found() from None
    decision = decide(who, action, facts_of(kind, record), command)
    if decision != Decision.ALLOW and not latest:
        # A denial is decided on the record as stored, never on a stale copy.
        return authorised(app, who, action, kind, record_id, command)
    return _allowed(decision, who, action, kind, record, command)


async def authorised_to_read(request: Request, app: Assured, who: Principal, action: Action,
                             kind: str, record_id: UUID) -> Any:
    """`authorised`, for reading: a cached record is brought up to date on the event loop,
    without a thread (the only wait is the store's answer of what was recorded since)."""
    record_class = _record_class(kind)
    record = app.cached(record_id)
    recent = getattr(request.app.state, "recent_events", None)
    if record is None or recent is None or action == Action.WRITE:
        return await on_records(request, authorised, app, who, action, kind, record_id)
    record = app.caught_up(record, await recent.after(record_id, record.version))
    if not isinstance(record, record_class):
        raise not_found()
    return _allowed(decide(who, action, facts_of(kind, record)), who, action, kind, record)


def _record_class(kind: str) -> type:
    record_class = AGGREGATE_KINDS.get(kind)
    if record_class is None or (kind not in COLLECTIONS and kind not in PAGE_KINDS):
        raise not_found()
    return record_class


def _allowed(decision: Decision, who: Principal, action: Action, kind: str, record: Any,
             command: str | None = None) -> Any:
    if decision != Decision.ALLOW:
        raise denied(who, action, kind, record.id, decision, command)
    return record


def denied(who: Principal, action: Action, kind: str, record_id: UUID | None,
           decision: Decision, command: str | None = None) -> Problem:
    """The problem to answer a denial with, in plain English (`api.wording.refusal`). Its
    handler logs it once, as one line of the access log: role, action, record id (never a
    name), with the route and status."""
    problem = (not_found() if decision == Decision.HIDDEN else
               Problem(403, "Forbidden", wording.refusal(who.role, action.value, kind, command)))
    problem.denial = (f"role={who.role.value} action={action.value} kind={kind} "
                      f"record={record_id or '-'} decision={decision.value}")
    return problem


def creation_denied(who: Principal, kind: str, command: str) -> Problem:
    """`denied`, for a command that opens a record: the answer names who may."""
    problem = Problem(403, "Forbidden", wording.refusal(who.role, Action.WRITE.value, kind,
                                                        command, creators=CREATORS[kind]))
    problem.denial = (f"role={who.role.value} action={Action.WRITE.value} kind={kind} "
                      f"record=- decision={Decision.FORBIDDEN.value}")
    return problem


def record_view(app: Assured, record_id: UUID, route: str, who: Principal) -> None:
    """Record the read as an event of its own (who, which record, which route, when)."""
    writer_for(app).record(_view(record_id, route, who))


async def record_view_async(app: Assured, record_id: UUID, route: str, who: Principal) -> None:
    """`record_view`, waiting on the event loop instead of in a thread."""
    await writer_for(app).record_async(_view(record_id, route, who))


def _view(record_id: UUID, route: str, who: Principal, filters: str = "") -> RecordView:
    return RecordView(viewed=record_id, route=route, filters=filters, by=who.username,
                      at=datetime.now(UTC))


def record_list_view(request: Request, who: Principal) -> None:
    """Record the read of a list, register or report: which (its route), with which filters
    (path and query parameters but `after`), by whom."""
    route = str(request.scope["route"].path)
    given = {**request.path_params, **request.query_params}
    filters = "&".join(f"{k}={v}" for k, v in sorted(given.items()) if k != "after")
    filters = "".join(c if c.isprintable() else "?" for c in filters)[:200]
    writer_for(request.app.state.assured).record(_view(list_id(route), route, who, filters))


def viewers(app: Assured, record_id: UUID) -> list[dict[str, Any]]:
    """Who viewed the record. The access log is caught up first, so the list is complete."""
    runner = Runner(app, [AccessLog()])
    runner.catch_up(runner.projections[0])
    with runner.connect(autocommit=True) as conn:
        return [{"by": by, "at": at, "route": route}
                for by, at, route in access_log.viewers(conn, record_id)]
