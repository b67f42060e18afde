"""A multi-agency audit's pages: plan one (its cycle starts: cases selected, returns asked of
every agency, reminded, chased on the due date and escalated when still missing), and an
audit's page with each agency's return, chasing and escalation, and the moderation.

Chasing is the audit cycle's own step (seed 004): the page shows each chase as the process
recorded it; people have no door to record one (see DESIGN.md, "One contract per command").
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import Request
from starlette.responses import Response

from api.access import authorised, record_view
from api.policy import Action, Decision, Facts, decide
from api.web.forms import Field, Filled
from api.web.pages.common import application
from api.web.pages.create_forms import CreateForm, add_create_routes, lines, whole_number
from api.web.pages.record_forms import RecordForm, add_routes
from api.web.routing import page_router
from api.web.session import Person
from api.web.templating import render, today
from domain.audit_commands import Moderate, PlanAudit
from domain.audit_values import AuditStage

router = page_router()

DIMENSIONS = (("multi_agency", "Multi-agency"), ("single_agency", "Single agency"),
              ("partnership", "The partnership"))
TYPES = (("multi_agency_practice", "Multi-agency practice audit"),
         ("section_11", "Section 11 audit"), ("single_agency", "Single agency audit"),
         ("schools", "Schools audit"))
DATE_HINT = "For example, 27 3 2026"
AUDIT_NATION = "ENG"  # an audit record names no nation; its cycle counts England's (seed 004)
DONE = {"moderate": "The moderation was recorded."}


def _plan_values(filled: Filled) -> dict[str, Any]:
    agencies = lines(filled, "agencies")
    if "agencies" in filled.values and not agencies:
        filled.refuse("agencies", "Enter the agencies, one a line")
    return {"agencies": agencies, **whole_number(filled, "year", "The year"),
            **whole_number(filled, "sample_size", "The number of cases")}


PLAN = CreateForm(
    "/app/audits/new", PlanAudit, "Plan an audit", "Plan the audit",
    (
        Field("reference", "Audit reference", hint="For example, MAPA-2026-2",
              classes="govuk-input--width-20"),
        Field("theme", "Theme", hint="For example, Supervision of children in need"),
        Field("dimension", "Which dimension of safeguarding does it look at?", kind="radios",
              options=DIMENSIONS, missing="Select the dimension"),
        Field("audit_type", "What kind of audit?", kind="radios", options=TYPES,
              missing="Select the kind of audit"),
        Field("year", "Year of the audit plan", classes="govuk-input--width-4",
              missing="Enter the year of the audit plan"),
        Field("agencies", "Agencies asked for a return", kind="textarea",
              hint="One a line, as their accounts name them: for example Police, Health, "
              "Education, Children's social care", missing="Enter the agencies, one a line"),
        Field("sample_size", "How many cases?", classes="govuk-input--width-4",
              missing="Enter how many cases"),
        Field("returns_due", "When are the returns due?", kind="date", hint=DATE_HINT,
              missing="Enter when the returns are due"),
        Field("when", "Date of the plan", kind="date", when=True, hint=DATE_HINT,
              missing="Enter the date of the plan"),
    ),
    then=lambda record_id: f"/app/audits/{record_id}", back="/app/register",
    caption="Practice review sub-group", extra=_plan_values,
    rules=(("reference", "reference"), ("theme", "theme"), ("agenc", "agencies"),
           ("sample", "sample_size"), ("case", "sample_size"), ("due", "returns_due"),
           ("year", "year")),
    intro=("Planning the audit starts its cycle: the cases are selected, every agency is "
           "asked for its return, reminded five working days before it is due, chased on the "
           "day it is due, and escalated to the operational sub-group ten working days after.",))
add_create_routes(router, PLAN)


@router.get("/app/audits/{record_id}")
def audit(request: Request, record_id: UUID, who: Person, done: str | None = None) -> Response:
    """An audit: its stage, and each agency's return, chasing and escalation."""
    app = application(request)
    record = authorised(app, who, Action.READ, "audit", record_id)
    record_view(app, record_id, request.scope["route"].path, who)
    acts = decide(who, Action.WRITE, Facts("audit")) == Decision.ALLOW
    returns = [{"agency": agency, **record.returns.get(agency, {})} for agency in record.agencies]
    return render(request, "audit.html", {
        "a": record, "returns": returns, "nation": AUDIT_NATION, "may_act": acts,
        "requested": record.stage != AuditStage.PLANNED and bool(record.returns),
        "may_moderate": acts and record.stage == AuditStage.RETURNS_REQUESTED,
        "dimension": dict(DIMENSIONS).get(str(record.dimension), ""),
        "audit_type": dict(TYPES).get(str(record.audit_type), ""),
        "banner": DONE.get(done or ""), "today": today()})


FORMS = (
    RecordForm(
        "moderate", Moderate, "Record the moderation of the returns", "Record the moderation",
        lambda record: (Field("notes", "What the moderation found", kind="textarea",
                              missing="Enter what the moderation found"),
                        Field("when", "Date of the moderation", kind="date", when=True,
                              hint=DATE_HINT, missing="Enter the date of the moderation")),
        rules=(("moderat", "notes"),)),
)

for _form in FORMS:
    add_routes(router, "audit", "audits", _form, lambda record: str(record.reference))
