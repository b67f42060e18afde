"""Read models of issue 12's processes: the supervision evaluations counted by agency (small
numbers suppressed), a person's My work (what the processes ask of them, from
`projections.obligations`: required actions, evidence and answers owed, forward-plan
activities, and the rest), the forward plan's activities, a leader's self-evaluation beside the
scorecard, and the quarterly report, the assurance cycle's product, as HTML or PDF.

Each takes `after`, as the other read models do (api/routes/views.py).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Path, Query, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import HTMLResponse, Response

from api.access import authorised, record_view
from api.deps import App, Caller
from api.policy import Action
from api.problems import RESPONSES, Problem, not_found
from api.routes.views import After, _cipher, _only, _plain, _policy, _route
from api.reads import read_models
from projections import evaluation_counts, forward_plan, obligations, self_evaluation
from projections.quarters import Quarter
from projections.reports import quarterly

router = APIRouter(tags=["assurance"], responses=RESPONSES)

QuarterPath = Annotated[str, Path(pattern=r"^(19[0-9]{2}|2[0-9]{3})Q[1-4]$",
                                  description="A quarter, e.g. 2026Q3.")]


def _today() -> date:
    return datetime.now(UTC).date()


def _quarter(quarter: str) -> Quarter:
    try:
        return Quarter.parse(quarter)
    except ValueError as error:
        raise Problem(422, "Malformed input", "Check: quarter",
                      errors=[{"field": "quarter", "message": str(error)}]) from None


@router.get("/evaluation-counts/{quarter}", name="evaluation-counts:quarter")
def evaluation_counts_of(request: Request, quarter: QuarterPath, who: Caller,
                         after: After = None) -> list[dict[str, Any]]:
    """Supervision evaluations answered in the quarter, counted per agency; an agency with
    fewer than five answers shows no counts (seed 003, Appendix I)."""
    _only(who, "evaluation-counts")
    chosen = _quarter(quarter)
    with read_models(request.app, list(evaluation_counts.READ_MODELS), after) as conn:
        found = evaluation_counts.counts_by_agency(conn, chosen.start, chosen.end)
    return [{**_plain(a), "note": a.note} for a in found]


@router.get("/my-work", name="my-work:list")
def my_work(request: Request, who: Caller, after: After = None) -> list[dict[str, Any]]:
    """What the processes ask of the caller and is not yet done, earliest due first
    (`projections.obligations`, the list operations staff's overdue column reads)."""
    _only(who, "my-work")
    with read_models(request.app, obligations.READ_MODELS, after) as conn:
        found = obligations.obligations(conn, _today(), _cipher(request), _policy(request))
    return [_plain(o) for o in found if o.person == who.username and o.open]


@router.get("/forward-plans/{record_id}/items", name="forward-plans:items")
def forward_plan_items(request: Request, record_id: UUID, app: App, who: Caller,
                       after: After = None) -> list[dict[str, Any]]:
    """The plan's activities: frequency, when last done and next due, started, overdue."""
    authorised(app, who, Action.READ, "forward-plan", record_id)
    with read_models(request.app, ["forward_plan"], after) as conn:
        lines = forward_plan.plan_items(conn, _today(), plan_id=record_id)
    record_view(app, record_id, _route(request), who)
    return [_plain(line) for line in lines]


@router.get("/self-evaluations/{record_id}/beside-scorecard",
            name="self-evaluations:beside-scorecard")
def beside_scorecard(request: Request, record_id: UUID, app: App, who: Caller,
                     quarter: Annotated[str | None, Query(
                         pattern=r"^(19[0-9]{2}|2[0-9]{3})Q[1-4]$")] = None,
                     after: After = None) -> dict[str, Any]:
    """The leader's self-ratings, theme by theme, beside the quarter's scorecard lights of the
    measures mapped to each theme (by default the quarter now)."""
    authorised(app, who, Action.READ, "self-evaluation", record_id)
    with read_models(request.app, ["self_evaluation", "scorecard"], after) as conn:
        chosen = _quarter(quarter) if quarter else Quarter.of(_today())
        report = self_evaluation.beside_scorecard(conn, record_id, chosen,
                                                  _cipher(request), _policy(request))
    if report is None:
        raise not_found()
    record_view(app, record_id, _route(request), who)
    return jsonable_encoder(_plain(report))


@router.get("/reports/quarterly/{quarter}", name="reports:quarterly",
            response_class=HTMLResponse,
            responses={200: {"content": {"text/html": {}, "application/pdf": {}}}})
def quarterly_report(request: Request, quarter: QuarterPath, who: Caller, after: After = None,
                     kind: Annotated[Literal["html", "pdf"], Query(alias="format")] = "html") -> Response:
    """The quarter's assurance report (the cycle's product), as HTML or, with
    `?format=pdf`, a PDF: scorecard, register, the cycle's dates and decisions."""
    _only(who, "scorecard")
    with read_models(request.app, list(quarterly.READ_MODELS), after) as conn:
        built = quarterly.build(conn, _quarter(quarter), _cipher(request), _policy(request))
    if kind == "pdf":
        return Response(quarterly.as_pdf(built), media_type="application/pdf")
    return HTMLResponse(quarterly.as_html(built))
