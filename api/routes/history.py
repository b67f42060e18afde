"""The auditor's replay over HTTP: `/history/{kind}/{id}`, as JSON or PDF."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from api.access import authorised, record_view
from api.bodies import WrittenTime
from api.deps import App, Caller
from api.policy import Action, event_visible_to, hidden_fields
from domain.history import state_of
from api.problems import RESPONSES, Problem
from projections.reports.history import as_pdf, build_history

router = APIRouter(prefix="/history", tags=["history"], responses=RESPONSES)


class Format(StrEnum):
    JSON = "json"
    PDF = "pdf"


def _zoned(moment: datetime | None, name: str) -> datetime | None:
    if moment is not None and moment.tzinfo is None:
        raise Problem(422, "Malformed input", f"Check: {name} (a time needs its zone)",
                      errors=[{"field": name, "message": "a time needs its zone"}])
    return moment


@router.get("/{kind}/{record_id}", responses={200: {"content": {"application/pdf": {}}}})
def history(request: Request, kind: str, record_id: UUID, app: App, who: Caller,
            as_known_at: WrittenTime = None, as_happened_by: WrittenTime = None,
            diff_from: WrittenTime = None, diff_to: WrittenTime = None,
            format: Format = Query(Format.JSON)) -> Any:
    """A record's full history: what happened, who did it, when it happened, when recorded."""
    record = authorised(app, who, Action.HISTORY, kind, record_id)
    shown = event_visible_to(who, kind, state_of(record))
    # Either end may be left open: from the record's beginning, or up to what is known now.
    between = ((_zoned(diff_from, "diff_from"), _zoned(diff_to, "diff_to"))
               if diff_from is not None or diff_to is not None else None)
    found = build_history(app, kind, record_id,
                          as_known_at=_zoned(as_known_at, "as_known_at"),
                          as_happened_by=_zoned(as_happened_by, "as_happened_by"),
                          between=between,  # type: ignore[arg-type]
                          hidden=hidden_fields(who, kind),
                          shown=shown)
    record_view(app, record_id, request.scope["route"].path, who)
    if format == Format.PDF:
        return Response(as_pdf(found), media_type="application/pdf")
    return asdict(found)
