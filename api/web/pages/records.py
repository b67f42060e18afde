"""The auditor's pages: find any record, then its timeline (every event with who did it, when
it happened and when it was recorded, late entries marked), the record as it was known at a
moment, what changed in what was known between two moments, who viewed it, and its history
as a PDF. The timeline is the API's replay (`/history/{kind}/{id}`): the same policy, the same
hidden fields, and each view recorded in the access log as the API records it.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any
from uuid import UUID

from fastapi import Request
from starlette.responses import RedirectResponse, Response

from api.access import authorised, facts_of, record_view, viewers
from api.auth import Principal
from api.policy import Action, Decision, decide, hidden_fields, event_visible_to
from api.web import finding, forms
from api.web.forms import Field, Filled
from api.web.pages.common import application, cipher, reading
from api.web.routing import error_page, page_router
from api.web.session import Person
from api.web.templating import render, today
from api.web.wording import UK
from domain.history import state_of
from projections.reports.history import as_pdf, build_history

router = page_router()

KINDS = tuple(finding.KINDS.items())
SEARCH = (Field("q", "Name, reference or id", optional=True,
                hint="For example, a Safeguarder's name, a review's reference, or a record's "
                "id", classes="govuk-!-width-two-thirds"),
          Field("kind", "Kind of record", kind="select", options=KINDS, optional=True))


def _moment(name: str, label: str) -> tuple[Field, Field]:
    return (Field(name, label, kind="date", optional=True, hint="For example, 27 3 2026"),
            Field(f"{name}_time", f"{label}: time (optional)", optional=True,
                  classes="govuk-input--width-5",
                  hint="For example, 14:30 or 14:30:15, UK time. Without one, the end of the day."))


KNOWN = _moment("known", "As known at")
COMPARE = _moment("from", "From") + _moment("to", "To")


@router.get("/app/find")
def find(request: Request, who: Person, q: str = "", kind: str = "") -> Response:
    """Find any record the person may read."""
    app = application(request)
    filled = forms.read(SEARCH, request.query_params, today())
    if q.strip():
        exact = finding.by_id(app, q)
        if exact is not None:
            return RedirectResponse(f"/app/records/{exact[0]}/{exact[1]}", 303)
    with reading(request, finding.READ_MODELS) as conn:
        found = finding.search(conn, cipher(request), who, q, kind or None)
    return render(request, "find.html", {"filled": filled, "found": found,
                                         "searched": bool(q or kind)}, block="results")


def _at(filled: Filled, name: str) -> datetime | None:
    """The moment a date and an optional time name, in UK time (the day's end without a time);
    a problem goes on the form."""
    day = filled.values.get(name)
    typed = filled.typed.get(f"{name}_time", "").strip()
    if day is None:
        if typed:
            filled.refuse(name, "Enter the date the time is on")
        return None
    moment = time(23, 59, 59)
    if typed:
        try:
            moment = time.fromisoformat(typed if typed.count(":") else f"{typed}:00")
        except ValueError:
            filled.refuse(f"{name}_time", "Enter the time as hours and minutes, like 14:30")
            return None
    return datetime.combine(day, moment, tzinfo=UK)


@router.get("/app/records/{kind}/{record_id}")
def record(request: Request, kind: str, record_id: UUID, who: Person,
           part: str = "") -> Response:
    """A record's timeline; the record as known at a moment; what changed between two."""
    if kind not in finding.KINDS:
        return error_page(request, 404, "There is no such page, or you cannot see it.")
    app = application(request)
    found = authorised(app, who, Action.HISTORY, kind, record_id)
    known, compare = (forms.read(KNOWN, request.query_params, today()),
                      forms.read(COMPARE, request.query_params, today()))
    as_known_at = _at(known, "known")
    first, second = _at(compare, "from"), _at(compare, "to")
    if (first is None) != (second is None) and not compare.errors:
        compare.refuse("to" if first else "from", "Enter both moments to compare them")
    between = (first, second) if first and second else None
    history = build_history(app, kind, record_id, as_known_at=as_known_at, between=between,
                            hidden=hidden_fields(who, kind),
                            shown=event_visible_to(who, kind, state_of(found)))
    record_view(app, record_id, request.scope["route"].path, who)
    context = {
        "kind": kind, "kind_name": finding.KINDS[kind], "id": record_id, "history": history,
        "title": _title(found), "known": known, "compare": compare,
        "as_known_at": as_known_at, "between": between,
        "viewed_by": _viewers(app, who, kind, found, record_id),
        "errors": bool(known.errors or compare.errors)}
    chosen = part if part in ("replay", "compare") else None
    return render(request, "record.html", context, status=422 if context["errors"] else 200,
                  block=chosen)


def _title(found: Any) -> str:
    for name in ("name", "reference", "child_reference", "session_ref"):
        if getattr(found, name, None):
            return str(getattr(found, name))
    return str(found.id)


def _viewers(app: Any, who: Principal, kind: str, found: Any,
             record_id: UUID) -> list[dict[str, Any]] | None:
    """Who viewed the record, for those who may see it (None for anyone else)."""
    if decide(who, Action.VIEWERS, facts_of(kind, found)) != Decision.ALLOW:
        return None
    return viewers(app, record_id)


@router.get("/app/records/{kind}/{record_id}/history.pdf")
def history_pdf(request: Request, kind: str, record_id: UUID, who: Person) -> Response:
    """The record's whole history as a PDF."""
    if kind not in finding.KINDS:
        return error_page(request, 404, "There is no such page, or you cannot see it.")
    app = application(request)
    found = authorised(app, who, Action.HISTORY, kind, record_id)
    history = build_history(app, kind, record_id, hidden=hidden_fields(who, kind),
                            shown=event_visible_to(who, kind, state_of(found)))
    record_view(app, record_id, request.scope["route"].path, who)
    return Response(as_pdf(history), media_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="history-{kind}-{record_id}.pdf"'})
