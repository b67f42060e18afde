"""The read models as GETs: Safeguarders and their files, caseloads, the panel's regions, group
sessions and mentors, cases and supervision, the review register and the quarterly scorecard.

Every route takes `after`, the notification id a command answered with: the read then waits
(bounded) until the read model has processed it, so a person sees what they just did.
Collections are paginated (`limit`, `offset`) and list only the rows the caller may see; each
read of a person's file or a case, and of every list, register and scorecard (with its
filters), is recorded as a View.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta
from collections.abc import Callable
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Request
from fastapi.encoders import jsonable_encoder
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException
from starlette.types import Receive, Scope, Send

from api.access import authorised, denied, record_list_view, record_view
from api.auth import Principal
from api.deps import App, Caller
from api.policy import (
    Action,
    Decision,
    Facts,
    decide,
    hidden_fields,
    may_list,
    may_see_caseload,
    sees_all_supervision,
    sees_case_row,
    visible_to,
)
from api.problems import RESPONSES, Problem, not_found
from api.reads import read_models
from domain.application import Assured
from domain.history import state_of
from domain.panel_values import MentorStage
from projections import case_supervision, caseload, evidence_pack, panel_directory, register_queries
from projections import safeguarder_file as sg_file
from projections.quarters import Quarter
from projections.scorecard import scorecard
from projections.sealing import unseal


class SharedPathRoute(APIRoute):
    """A route whose 405 lists every method of its path, whichever router holds them (GET
    /safeguarders lives here, POST /safeguarders with the commands). Included before the other
    routers, it is the one Starlette asks to answer a method that no route of the path takes."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.methods and scope["method"] not in self.methods:
            allowed = {m for route in scope["app"].router.routes
                       if isinstance(route, APIRoute) and route.path == self.path
                       for m in route.methods or ()}
            raise HTTPException(405, headers={"Allow": ", ".join(sorted(allowed))})
        await super().handle(scope, receive, send)


router = APIRouter(tags=["read models"], route_class=SharedPathRoute, responses=RESPONSES)

After = Annotated[int | None, Query(ge=0, description=(
    "A notification id a command answered with: wait (bounded) until this read shows it."))]
Limit = Annotated[int, Query(ge=1, le=200, description="At most this many rows.")]
Offset = Annotated[int, Query(ge=0, description="Rows to skip.")]



def _today() -> date:
    return datetime.now(UTC).date()


def _cipher(request: Request) -> Any:
    return request.app.state.assured.mapper.cipher


def _policy(request: Request) -> Any:
    return request.app.state.settings.policy


def _only(who: Principal, what: str) -> None:
    """403 (logged) unless the policy lets the caller read this list."""
    if not may_list(who, what):
        raise denied(who, Action.READ, what, None, Decision.FORBIDDEN)


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return jsonable_encoder(dataclasses.asdict(value))
    return jsonable_encoder(value)


def _page(rows: list[dict[str, Any]], limit: int, offset: int) -> dict[str, Any]:
    return {"items": jsonable_encoder(rows[offset:offset + limit]), "total": len(rows),
            "limit": limit, "offset": offset}


def _route(request: Request) -> str:
    return str(request.scope["route"].path)


# --- Safeguarders ------------------------------------------------------------------------------


@router.get("/safeguarders", name="safeguarders:list")
def list_safeguarders(request: Request, who: Caller, after: After = None, limit: Limit = 50,
                      offset: Offset = 0, region: str | None = None,
                      support_manager: str | None = None, status: str | None = None,
                      overdue: bool | None = None) -> dict[str, Any]:
    """The Safeguarders the caller may see, filtered and paginated."""
    _only(who, "safeguarders")
    where, params = ["true"], {}
    for column, value in (("region", region), ("support_manager", support_manager),
                          ("status", status)):
        if value is not None:
            where.append(f"{column} = %({column})s")
            params[column] = value
    projections = caseload.READ_MODELS if overdue is not None else ["safeguarder_file"]
    cipher = _cipher(request)
    with read_models(request.app, projections, after) as conn:
        rows = conn.execute(
            "SELECT safeguarder_id, name, region, status, support_manager "
            f"FROM {sg_file.DIRECTORY} "
            f"WHERE {' AND '.join(where)} ORDER BY safeguarder_id", params).fetchall()
        late: set[UUID] | None = None
        if overdue is not None:
            by_manager = caseload.caseload(conn, _today(), cipher, policy=_policy(request))
            late = {e.safeguarder_id for entries in by_manager.values() for e in entries
                    if e.overdue}
    shown = []
    for safeguarder_id, name, row_region, row_status, manager in rows:
        facts = Facts("safeguarder", region=row_region, support_manager=manager)
        if decide(who, Action.READ, facts) != Decision.ALLOW:
            continue
        if late is not None and (safeguarder_id in late) != overdue:
            continue
        shown.append({"id": safeguarder_id, "name": unseal(cipher, name), "region": row_region,
                      "status": row_status, "support_manager": manager})
    record_list_view(request, who)
    return _page(shown, limit, offset)


@router.get("/safeguarders/{record_id}/file", name="safeguarders:file")
def safeguarder_file(request: Request, record_id: UUID, app: App, who: Caller,
                     after: After = None) -> dict[str, Any]:
    """The Safeguarder's file: details, every section and each appointment year's status."""
    authorised(app, who, Action.READ, "safeguarder", record_id)
    with read_models(request.app, ["safeguarder_file"], after) as conn:
        found = sg_file.safeguarder_file(conn, record_id, _today(), _cipher(request))
    if found is None:
        raise not_found()
    record_view(app, record_id, _route(request), who)
    details = {k: v for k, v in found.details.items() if k not in hidden_fields(who,
                                                                                "safeguarder")}
    years = [{**dataclasses.asdict(y), "met": y.met} for y in found.years]
    return jsonable_encoder({"details": details, "sections": found.sections, "years": years})


@router.get("/safeguarders/{record_id}/evidence-pack", name="safeguarders:evidence-pack")
def safeguarder_evidence_pack(request: Request, record_id: UUID, app: App, who: Caller,
                              after: After = None) -> dict[str, Any]:
    """The re-appointment evidence pack of the Safeguarder's current term."""
    authorised(app, who, Action.READ, "safeguarder", record_id)
    with read_models(request.app, evidence_pack.READ_MODELS, after) as conn:
        pack = evidence_pack.evidence_pack(conn, record_id, _today(), _cipher(request))
    record_view(app, record_id, _route(request), who)
    if pack is None:  # the record exists and may be read: it has no term to evidence yet
        return {"safeguarder_id": str(record_id), "years": [], "shortfalls": [],
                "note": "No evidence pack: the Safeguarder has not been appointed."}
    return {**_plain(pack), "shortfalls": pack.shortfalls}


@router.get("/support-managers/{manager}/caseload", name="support-managers:caseload")
def support_caseload(request: Request, manager: str, who: Caller,
                     after: After = None) -> list[dict[str, Any]]:
    """A support manager's caseload: each Safeguarder with what is due and overdue."""
    if not may_see_caseload(who, manager):
        raise denied(who, Action.READ, "caseload", None, Decision.FORBIDDEN)
    with read_models(request.app, caseload.READ_MODELS, after) as conn:
        entries = caseload.caseload(conn, _today(), _cipher(request), manager=manager,
                                    policy=_policy(request)).get(manager, [])
    record_list_view(request, who)
    return [{**_plain(e), "overdue": _plain(e.overdue), "due": _plain(e.due)} for e in entries]


# --- the panel's regions, group sessions and mentors -----------------------------------------


def _seen(who: Principal, kind: str, rows: list[Any]) -> list[dict[str, Any]]:
    """The rows of records of `kind` that the policy lets `who` read."""
    return [_plain(r) for r in rows if decide(who, Action.READ, Facts(kind)) == Decision.ALLOW]


@router.get("/regions", name="regions:list")
def list_regions(request: Request, who: Caller, after: After = None) -> list[dict[str, Any]]:
    """The panel's regions, each with its id and its current support managers."""
    _only(who, "regions")
    with read_models(request.app, ["panel_directory"], after) as conn:
        found = panel_directory.regions(conn)
    record_list_view(request, who)
    return _seen(who, "region", found)


@router.get("/group-sessions", name="group-sessions:list")
def list_group_sessions(request: Request, who: Caller, after: After = None, limit: Limit = 50,
                        offset: Offset = 0, facilitator: str | None = None,
                        start: date | None = None, end: date | None = None) -> dict[str, Any]:
    """Group sessions by the date held (from `start` to `end`), with how many attended."""
    _only(who, "group-sessions")
    with read_models(request.app, ["safeguarder_file"], after) as conn:
        found = panel_directory.group_sessions(conn, facilitator, start, end)
    record_list_view(request, who)
    return _page(_seen(who, "group-session", found), limit, offset)


@router.get("/mentors", name="mentors:list")
def list_mentors(request: Request, who: Caller, after: After = None, limit: Limit = 50,
                 offset: Offset = 0, stage: MentorStage | None = None) -> dict[str, Any]:
    """The peer mentors, oldest recruit first; `stage=accredited` lists those who may be
    assigned."""
    _only(who, "mentors")
    with read_models(request.app, ["panel_directory"], after) as conn:
        found = panel_directory.mentors(conn, _cipher(request), stage and stage.value)
    record_list_view(request, who)
    return _page(_seen(who, "mentor", found), limit, offset)


# --- cases and supervision ---------------------------------------------------------------------


@router.get("/cases", name="cases:list")
def list_cases(request: Request, app: App, who: Caller, after: After = None, limit: Limit = 50,
               offset: Offset = 0, status: str | None = None,
               overdue: bool | None = None) -> dict[str, Any]:
    """The cases the caller may see, filtered by legal status and overdue supervision."""
    _only(who, "cases")
    where, params = "true", {}
    if status is not None:
        where, params = "legal_status = %(status)s", {"status": status}
    with read_models(request.app, ["case_supervision"], after) as conn:
        rows = conn.execute(
            "SELECT case_id, agency, practitioner, supervisor, legal_status, risk, opened_on, "
            f"closed_on, audits FROM case_state WHERE {where} ORDER BY opened_on, case_id",
            params).fetchall()
        late = {o.case_id for o in case_supervision.children_in_need_overdue(
            conn, _today(), _policy(request))}
    shown = []
    for case_id, agency, practitioner, supervisor, legal, risk, opened, closed, audits in rows:
        facts = Facts("case", practitioner=practitioner, supervisor=supervisor,
                      named_in_review=audits > 0)
        if decide(who, Action.READ, facts) != Decision.ALLOW:
            continue
        if overdue is not None and (case_id in late) != overdue:
            continue
        shown.append({"id": case_id, "agency": agency, "practitioner": practitioner,
                      "supervisor": supervisor, "legal_status": legal, "risk": risk,
                      "opened_on": opened, "closed_on": closed,
                      "supervision_overdue": case_id in late})
    record_list_view(request, who)
    return _page(shown, limit, offset)


def _case_visible(app: Assured, who: Principal,
                  record_id: UUID) -> Callable[[str, str | None], bool]:
    """What of the case `who` may see (`api.policy.visible_to`), once authorised to read it."""
    record = authorised(app, who, Action.READ, "case", record_id)
    return visible_to(who, "case", state_of(record)) or (lambda _type, _discussion: True)


def _rows_visible(app: Assured, who: Principal) -> Callable[[UUID, str, str | None], bool]:
    """`api.policy.visible_to` for rows of many cases (a row's case, the event type it was
    made from, its discussion), each case asked on its record, loaded once, and only when a
    supervision window can limit what `who` sees."""
    asked: dict[UUID, Callable[[str, str | None], bool] | None] = {}

    def shown(case_id: UUID, event_type: str, discussion_id: str | None) -> bool:
        if sees_all_supervision(who, "case"):
            return True
        if case_id not in asked:
            record = authorised(app, who, Action.READ, "case", case_id)
            asked[case_id] = visible_to(who, "case", state_of(record))
        visible = asked[case_id]
        return visible is None or visible(event_type, discussion_id)

    return shown


@router.get("/cases/{record_id}/chronology", name="cases:chronology")
def case_chronology(request: Request, record_id: UUID, app: App, who: Caller,
                    after: After = None) -> list[dict[str, Any]]:
    """Every event of the case, in order (no child reference, no free text)."""
    visible = _case_visible(app, who, record_id)
    with read_models(request.app, ["case_supervision"], after) as conn:
        entries = case_supervision.chronology(conn, record_id)
    record_view(app, record_id, _route(request), who)
    return [_plain(e) for e in entries if visible(e.event_type, e.discussion_id)]


@router.get("/cases/{record_id}/rag-trend", name="cases:rag-trend")
def case_rag_trend(request: Request, record_id: UUID, app: App, who: Caller,
                   after: After = None) -> list[dict[str, Any]]:
    """The RAG rating of each supervision discussion of the case, oldest first."""
    visible = _case_visible(app, who, record_id)
    with read_models(request.app, ["case_supervision"], after) as conn:
        points = case_supervision.rag_trend(conn, record_id)
    record_view(app, record_id, _route(request), who)
    return [_plain(p) for p in points if visible("DiscussionRecorded", p.discussion_id)]


@router.get("/supervision/drift", name="supervision:drift")
def supervision_drift(request: Request, who: Caller, after: After = None) -> list[dict[str, Any]]:
    """Open cases drifting today, each with its reasons (`domain.case_values.drift_reasons`);
    a practitioner or supervisor sees their own cases."""
    _only(who, "supervision")
    with read_models(request.app, ["case_supervision"], after) as conn:
        found = case_supervision.drift_list(conn, _today(), _policy(request))
    record_list_view(request, who)
    return [_plain(d) for d in found if sees_case_row(who, d.practitioner, d.supervisor)]


@router.get("/supervision/children-in-need-overdue", name="supervision:cin-overdue")
def supervision_cin_overdue(request: Request, who: Caller,
                            after: After = None) -> list[dict[str, Any]]:
    """Open child-in-need cases with no supervision discussion within the interval."""
    _only(who, "supervision")
    with read_models(request.app, ["case_supervision"], after) as conn:
        found = case_supervision.children_in_need_overdue(conn, _today(), _policy(request))
    record_list_view(request, who)
    return [_plain(o) for o in found if sees_case_row(who, o.practitioner, o.supervisor)]


@router.get("/supervision/overdue-actions", name="supervision:overdue-actions")
def supervision_overdue_actions(request: Request, app: App, who: Caller,
                                after: After = None) -> dict[str, list[dict[str, Any]]]:
    """Agreed supervision actions past due and not completed, by owner (a replacement
    supervisor sees those of the discussions within their window, as on the case itself)."""
    _only(who, "supervision")
    with read_models(request.app, ["case_supervision"], after) as conn:
        by_owner = case_supervision.overdue_actions_by_owner(conn, _today())
    record_list_view(request, who)
    visible = _rows_visible(app, who)
    shown = {owner: [_plain(a) for a in actions
                     if sees_case_row(who, a.practitioner, a.supervisor)
                     and visible(a.case_id, "DiscussionRecorded", a.discussion_id)]
             for owner, actions in by_owner.items()}
    return {owner: actions for owner, actions in shown.items() if actions}


# --- the register and the scorecard ------------------------------------------------------------


@router.get("/register", name="register:entries")
def register(request: Request, who: Caller, after: After = None, start: date | None = None,
             end: date | None = None) -> list[dict[str, Any]]:
    """Reviews and audits open at any time from `start` to `end` (default: the last year)."""
    _only(who, "register")
    end = end or _today()
    start = start or end - timedelta(days=365)
    if start > end:
        raise Problem(422, "Malformed input", "Check: start (after end)",
                      errors=[{"field": "start", "message": "start is after end"}])
    with read_models(request.app, ["review_register"], after) as conn:
        entries = register_queries.register_entries(conn, _cipher(request), start, end)
    record_list_view(request, who)
    return [{**_plain(e), "breaches": _plain(e.breaches)} for e in entries]


@router.get("/scorecard/{quarter}", name="scorecard:quarter")
def quarterly_scorecard(request: Request, quarter: str, who: Caller,
                        after: After = None) -> dict[str, Any]:
    """The quarter's scorecard (e.g. 2026Q3): each measure, its light, trend and narrative."""
    _only(who, "scorecard")
    try:
        chosen = Quarter.parse(quarter)
    except ValueError as error:
        raise Problem(422, "Malformed input", "Check: quarter",
                      errors=[{"field": "quarter", "message": str(error)}]) from None
    with read_models(request.app, ["scorecard"], after) as conn:
        card = scorecard(conn, chosen, _cipher(request), policy=_policy(request))
    record_list_view(request, who)
    measures = [{
        "key": m.measure.key, "title": m.measure.title, "question": m.measure.question,
        "lead": m.measure.lead, "unit": m.measure.unit, "definition": m.measure.definition,
        "figure": _plain(m.figure), "light": m.light,
        "trend": [{"quarter": str(p.quarter), "figure": _plain(p.figure), "light": p.light}
                  for p in m.trend],
        "narrative": m.narrative, "narrative_by": m.narrative_by,
    } for m in card.measures]
    return {"quarter": str(card.quarter), "months": card.quarter.months, "measures": measures}
