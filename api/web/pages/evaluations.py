"""What the partnership sees of supervisees' evaluations of their supervision (seed 003,
Appendix I): a quarter's counts per agency and statement, and nothing at all for an agency
where fewer than five people answered (`projections.evaluation_counts`, the API's own list).
No answer, name or free text reaches this page.
"""

from __future__ import annotations

from fastapi import Request
from starlette.responses import Response

from api.access import record_list_view
from api.policy import may_list
from api.web.pages.common import reading
from api.web.routing import error_page, page_router
from api.web.session import Person
from api.web.templating import render, today
from domain.evaluation_values import SMALLEST_COUNT
from projections import evaluation_counts
from projections.quarters import Quarter

router = page_router()


@router.get("/app/evaluation-counts")
def counts(request: Request, who: Person, quarter: str | None = None) -> Response:
    """Supervision evaluations in a quarter, counted per agency (small numbers suppressed)."""
    if not may_list(who, "evaluation-counts"):
        return error_page(request, 403, "Your role does not see the evaluations' counts.")
    try:
        chosen = Quarter.parse(quarter) if quarter else Quarter.of(today())
    except ValueError:
        return error_page(request, 404, "There is no such quarter. Quarters are written like "
                          "2026Q4.")
    with reading(request, list(evaluation_counts.READ_MODELS)) as conn:
        found = evaluation_counts.counts_by_agency(conn, chosen.start, chosen.end)
    record_list_view(request, who)
    return render(request, "evaluation_counts.html", {
        "quarter": str(chosen), "previous": str(chosen.previous()), "next": str(chosen.next()),
        "agencies": found, "smallest": SMALLEST_COUNT})
