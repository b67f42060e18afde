"""Group support sessions (seed 000: "a small group support session of up to four
Safeguarders"): plan one, then add the Safeguarders who attended, one at a time. The limit of
four is the group session's own rule: the fifth is refused next to the choice, nothing recorded.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from api.access import authorised, record_view
from api.auth import Principal
from api.policy import Action, Decision, Facts, decide, may_create
from api.web import forms, giving
from api.web.forms import Field, Filled
from api.web.pages.common import application, banner, cipher, policy, reading
from api.web.routing import error_page, page_router
from api.web.session import Person
from api.web.templating import render, today
from domain.accounts import Role
from domain.panel_commands import PlanGroupSession
from domain.safeguarder_commands import AttendGroupSession
from projections import caseload

router = page_router()


def _plan_fields(who: Principal) -> tuple[Field, ...]:
    fields = (Field("session_ref", "Reference for the session", hint="For example, GS-EAST-2026-03",
                    classes="govuk-input--width-20"),
              Field("held_on", "Date of the session", kind="date",
                    hint="For example, 27 3 2026. It may be in the future."))
    if who.role != Role.SUPPORT_MANAGER:
        fields += (Field("facilitator", "Support manager facilitating it",
                         classes="govuk-input--width-20"),)
    return fields


def _sessions(request: Request) -> list[dict[str, Any]]:
    with reading(request, ["safeguarder_file"]) as conn:
        rows = conn.execute(
            "SELECT g.session_id, g.session_ref, g.facilitator, g.held_on, count(a.*) "
            "FROM group_session g LEFT JOIN safeguarder_group_session a USING (session_id) "
            "GROUP BY g.session_id ORDER BY g.held_on DESC, g.session_ref").fetchall()
    return [{"id": r[0], "ref": r[1], "facilitator": r[2], "held_on": r[3], "attendees": r[4]}
            for r in rows]


def _list_page(request: Request, who: Principal, filled: Filled, status: int = 200) -> Response:
    if not (may_create(who, "group-session") or who.role in (Role.MENTORING_COORDINATOR,
                                                                Role.AUDITOR)):
        return error_page(request, 403, "Your role does not give you group sessions.")
    return render(request, "group_sessions.html", {
        "sessions": _sessions(request), "filled": filled, "errors": bool(filled.errors),
        "may_plan": may_create(who, "group-session")}, status=status)


@router.get("/app/group-sessions")
def group_sessions(request: Request, who: Person) -> Response:
    """The group sessions planned, and a form to plan one."""
    return _list_page(request, who, forms.blank(_plan_fields(who)))


@router.post("/app/group-sessions")
async def plan(request: Request, who: Person) -> Response:
    """Plan a group session."""
    filled = forms.read(_plan_fields(who), await request.form(), today())
    extra = {"facilitator": who.username} if who.role == Role.SUPPORT_MANAGER else {}
    c = giving.make(PlanGroupSession, filled, who, **extra)
    done = await giving.give(request, application(request), who, c, filled,
                             rules=(("reference", "session_ref"), ("facilitat", "facilitator")))
    if done is None:
        return await run_in_threadpool(_list_page, request, who, filled, 422)
    return RedirectResponse(f"/app/group-sessions/{done.id}?done=group-session", 303)


# --- one session and its attendees -------------------------------------------------------------

def _choices(request: Request, who: Principal, session: Any) -> tuple[tuple[str, str], ...]:
    """The serving Safeguarders `who` may add (not those already in the session)."""
    manager = who.username if who.role == Role.SUPPORT_MANAGER else None
    with reading(request, ["support_caseload"]) as conn:
        found = caseload.caseload(conn, today(), cipher(request), manager=manager,
                                  policy=policy(request))
    return tuple((str(e.safeguarder_id), e.name) for owner, entries in sorted(found.items())
                 for e in entries if e.safeguarder_id not in session.attendees and decide(
                     who, Action.WRITE, Facts("safeguarder", region=e.region,
                                              support_manager=owner)) == Decision.ALLOW)


def _names(request: Request, ids: list[UUID]) -> list[str]:
    from projections.sealing import unseal

    with reading(request, ["safeguarder_file"]) as conn:
        rows = dict(conn.execute("SELECT safeguarder_id, name FROM safeguarder WHERE "
                                 "safeguarder_id = ANY(%s)", (ids,)).fetchall())
    return [unseal(cipher(request), rows[i]) or "" if i in rows else str(i) for i in ids]


def _attend_fields(options: tuple[tuple[str, str], ...]) -> tuple[Field, ...]:
    """Attendance is recorded now; the session's own date places it in an appointment year."""
    return (Field("record_id", "Safeguarder who attended", kind="select", options=options,
                  missing="Select the Safeguarder who attended"),)


def _session_page(request: Request, who: Principal, record_id: UUID,
                  filled: Filled | None = None, done: str | None = None) -> Response:
    app = application(request)
    session = authorised(app, who, Action.READ, "group-session", record_id)
    record_view(app, record_id, "/app/group-sessions/{record_id}", who)
    options = _choices(request, who, session)
    if filled is None:
        filled = forms.blank(_attend_fields(options))
    return render(request, "group_session.html", {
        "session": session, "attendees": _names(request, list(session.attendees)),
        "filled": filled, "errors": bool(filled.errors), "banner": banner(done),
        "may_add": bool(options) or bool(filled.errors)},
        status=422 if filled.errors else 200)


@router.get("/app/group-sessions/{record_id}")
def group_session(request: Request, record_id: UUID, who: Person, done: str | None = None,
                  after: int | None = None) -> Response:
    """A group session: who attended, and a form to add a Safeguarder."""
    if after is not None:
        with reading(request, ["safeguarder_file"], after):
            pass
    return _session_page(request, who, record_id, done=done)


@router.post("/app/group-sessions/{record_id}")
async def attend(request: Request, record_id: UUID, who: Person) -> Response:
    """Record that a Safeguarder attended the group session."""
    posted = await request.form()
    session = await run_in_threadpool(authorised, application(request), who, Action.READ,
                                      "group-session", record_id)
    options = await run_in_threadpool(_choices, request, who, session)
    filled = forms.read(_attend_fields(options), posted, today())
    c = giving.make(AttendGroupSession, filled, who, session_id=record_id)
    done = await giving.give(request, application(request), who, c, filled,
                             rules=(("group session", "record_id"),))
    if done is None:
        return await run_in_threadpool(_session_page, request, who, record_id, filled)
    after = f"after={done.notification_id}&" if done.notification_id else ""
    return RedirectResponse(f"/app/group-sessions/{record_id}?{after}done=attendee", 303)
