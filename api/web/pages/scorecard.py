"""The quarterly scorecard and report: each measure with its traffic light in words, its figure,
its trend chart over four quarters (with the chart's words as its alternative text) and its
lead's narrative; and the report as a tagged PDF to download."""

from __future__ import annotations

from fastapi import Request
from markupsafe import Markup
from starlette.responses import Response

from api.access import record_list_view
from api.policy import may_list
from api.web.pages.common import cipher, policy, reading
from api.web.routing import error_page, page_router
from api.web.session import Person
from api.web.templating import render, today
from projections.quarters import Quarter
from projections.reports import quarterly
from projections.reports.charts import trend_img

router = page_router()
LIGHTS = {"green": "Green: on track", "amber": "Amber: watch", "red": "Red: act now",
          "none": "No data yet"}


def _quarter(text: str | None) -> Quarter | None:
    if not text:
        return Quarter.of(today())
    try:
        return Quarter.parse(text)
    except ValueError:
        return None


def _report(request: Request, chosen: Quarter) -> quarterly.QuarterlyReport:
    with reading(request, list(quarterly.READ_MODELS)) as conn:
        return quarterly.build(conn, chosen, cipher(request), policy(request),
                               as_of=min(chosen.end, today()))


@router.get("/app/scorecard")
def scorecard(request: Request, who: Person, quarter: str | None = None) -> Response:
    """A quarter's scorecard (the last full quarter unless another is chosen)."""
    if not may_list(who, "scorecard"):
        return error_page(request, 403, "Your role does not give you the scorecard.")
    chosen = _quarter(quarter)
    if chosen is None:
        return error_page(request, 404, "There is no such quarter. Quarters are written like "
                          "2026Q3.")
    report = _report(request, chosen)
    record_list_view(request, who)
    charts = {m.measure.key: Markup(trend_img(m)) for m in report.card.measures}
    quarters = list(reversed(Quarter.of(today()).last(6)))
    return render(request, "scorecard.html", {
        "report": report, "charts": charts, "lights": LIGHTS,
        "value": quarterly.display, "counted": quarterly.counted, "quarters": quarters,
        "chosen": chosen})


@router.get("/app/scorecard/{quarter}.pdf")
def scorecard_pdf(request: Request, quarter: str, who: Person) -> Response:
    """The quarter's report as a PDF tagged for screen readers."""
    if not may_list(who, "scorecard"):
        return error_page(request, 403, "Your role does not give you the report.")
    chosen = _quarter(quarter)
    if chosen is None:
        return error_page(request, 404, "There is no such quarter.")
    pdf = quarterly.as_pdf(_report(request, chosen))
    record_list_view(request, who)
    return Response(pdf, media_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="assurance-report-{chosen}.pdf"'})
