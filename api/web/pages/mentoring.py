"""The peer mentoring programme (seed 000) in the browser: when it began (recorded once, by the
panel team), and this quarter's progress against its targets, as the scorecard measures it
(`projections.measures`: at least six mentors accredited in year one, twelve from year two; new
Safeguarders mentored across their first year).
"""

from __future__ import annotations

from fastapi import Request
from starlette.responses import Response

from api.access import record_list_view
from api.policy import may_create
from api.web.derived import fields_of
from api.web.pages.common import application, cipher, policy, reading
from api.web.pages.create_forms import CreateForm
from api.web.pages.seed_pages import add_derived_create
from api.web.routing import error_page, page_router
from api.web.session import Person
from api.web.templating import render, today
from domain.errors import RecordNotFound
from domain.panel import MentoringProgramme
from domain.panel_commands import LaunchMentoringProgramme
from projections.quarters import Quarter
from projections.scorecard import scorecard

router = page_router()
MEASURES = ("mentors_accredited", "first_year_mentoring")

add_derived_create(router, CreateForm(
    "/app/mentoring-programme/new", LaunchMentoringProgramme,
    "Record when the peer mentoring programme began", "Record it",
    fields_of(LaunchMentoringProgramme, {"starts_on": "Date the programme began"},
              when="Date you are recording it"),
    lambda made: "/app/mentoring-programme", "/app/mentoring-programme",
    rules=(("began", "starts_on"),),
    intro=("Seed 000: the programme's targets count from this date, at least six mentors "
           "trained and accredited in its first year, and at least twelve in its second.",)))


@router.get("/app/mentoring-programme")
def programme(request: Request, who: Person) -> Response:
    """The peer mentoring programme: when it began, and this quarter's progress."""
    if not may_create(who, "mentoring-programme"):
        return error_page(request, 403, "This page is for the panel team's mentoring.")
    try:
        begun = application(request).load(MentoringProgramme.create_id(), MentoringProgramme)
    except RecordNotFound:
        begun = None
    quarter = Quarter.of(today())
    with reading(request, ["scorecard"]) as conn:
        scored = scorecard(conn, quarter, cipher(request), policy(request)).by_key()
    record_list_view(request, who)
    return render(request, "mentoring.html", {
        "begun": begun, "quarter": str(quarter),
        "measures": [scored[key] for key in MEASURES if key in scored]})
