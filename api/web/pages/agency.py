"""An agency contributor's pages: what is asked of their agency (a rapid review's information
requests, an audit's returns), and a page to answer each before it is due.

The agency sees the reference of the review or audit that asks, when the answer is due and
whether it was chased, and its own answer: never the record itself, another agency's answer, or
any record no request names. Every page is authorised by the policy on the record for the
agency's command (`receive-agency-information`, `submit-return`), and the answer is given
through the API's door; the process's reminders and chasing go on as before.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from api.access import authorised, record_list_view, record_view
from api.auth import Principal
from api.policy import Action, same_agency
from api.problems import not_found
from api.web import forms, giving
from api.web.agency_asks import asked_of
from api.web.derived import fields_of
from api.web.forms import Field, Filled
from api.web.pages.common import application, reading
from api.web.routing import error_page, page_router
from api.web.session import Person
from api.web.templating import render, today
from domain.accounts import Role
from domain.audit_commands import SubmitReturn
from domain.audit_values import Grade
from domain.assurance_commands import SubmitEvidence
from domain.review_commands import ReceiveAgencyInformation

router = page_router()
AUDIT_NATION = REVIEW_NATION = "ENG"
DATE_HINT = "For example, 27 3 2026"
DONE = {"information": "Your information was sent. Thank you.",
        "return": "Your agency's return was sent. Thank you.",
        "evidence": "Your agency's evidence was sent. Thank you."}
GRADES = tuple((g.value, g.value.replace("_", " ").capitalize()) for g in Grade)


def _agency_only(request: Request, who: Principal) -> Response | None:
    if who.role != Role.AGENCY_CONTRIBUTOR:
        return error_page(request, 403, "These pages are for the agencies asked for "
                          "information and returns.")
    return None


@router.get("/app/agency")
def asked(request: Request, who: Person, done: str | None = None,
          after: int | None = None) -> Response:
    """What is asked of the person's agency, unanswered first."""
    refused = _agency_only(request, who)
    if refused:
        return refused
    with reading(request, ["review_register", "assurance_cycle"], after) as conn:
        asks = asked_of(conn, who)
    record_list_view(request, who)
    return render(request, "agency.html", {"asks": asks, "agency": who.agency,
                                           "nation": REVIEW_NATION, "banner": DONE.get(done or "")})


# --- a rapid review's request for information --------------------------------------------------

INFORMATION = (
    Field("information", "What your agency knows", kind="textarea",
          hint="What your agency's records show about the child and family, and what it did. "
          "Use the child's reference, never their name.",
          missing="Enter what your agency knows"),
    Field("when", "Date you are sending it", kind="date", when=True, hint=DATE_HINT,
          missing="Enter the date you are sending it"),
)


def _request(request: Request, who: Principal, record_id: UUID, request_id: str) -> Any:
    record = authorised(application(request), who, Action.WRITE, "review", record_id,
                        "receive-agency-information")
    asked = record.requests.get(request_id)
    if asked is None or not same_agency(who.agency, asked["agency"]):
        raise not_found()  # another agency's request: as if it did not exist
    return record, asked


def _information_page(request: Request, record: Any, asked: dict[str, Any], filled: Filled,
                      status: int = 200) -> Response:
    return render(request, "agency_answer.html", {
        "title": "Send the information asked for", "caption": str(record.reference),
        "what": "Information for a rapid review", "due_on": asked["due_on"],
        "answered_on": asked["received_on"], "answer": asked.get("information"),
        "nation": REVIEW_NATION, "filled": filled, "button": "Send the information",
        "errors": bool(filled.errors)}, status=status)


@router.get("/app/agency/reviews/{record_id}/{request_id}")
def information(request: Request, record_id: UUID, request_id: str, who: Person) -> Response:
    """A rapid review's request for the agency's information, and its answer."""
    refused = _agency_only(request, who)
    if refused:
        return refused
    record, asked = _request(request, who, record_id, request_id)
    record_view(application(request), record_id, request.scope["route"].path, who)
    return _information_page(request, record, asked, forms.blank(INFORMATION))


@router.post("/app/agency/reviews/{record_id}/{request_id}")
async def send_information(request: Request, record_id: UUID, request_id: str,
                           who: Person) -> Response:
    """Send the information asked for."""
    refused = _agency_only(request, who)
    if refused:
        return refused
    posted = await request.form()
    record, asked = await run_in_threadpool(_request, request, who, record_id, request_id)
    filled = forms.read(INFORMATION, posted, today())
    c = giving.make(ReceiveAgencyInformation, filled, who, record_id=record_id,
                    request_id=request_id)
    done = await giving.give(request, application(request), who, c, filled,
                             (("received", "when"),))
    if done is None:
        return _information_page(request, record, asked, filled, 422)
    return _sent(done, "information")


def _sent(done: Any, what: str) -> Response:
    after = f"after={done.notification_id}&" if done.notification_id else ""
    return RedirectResponse(f"/app/agency?{after}done={what}", 303)


# --- an audit's return ---------------------------------------------------------------------------

RETURN = (
    Field("supervision_grade", "How do you grade the supervision in your agency's cases?",
          kind="radios", options=GRADES, missing="Select a grade for supervision"),
    Field("oversight_grade", "How do you grade management oversight?", kind="radios",
          options=GRADES, missing="Select a grade for management oversight"),
    Field("evidence", "Your evidence for these grades", kind="textarea",
          missing="Enter your evidence for these grades"),
    Field("when", "Date of the return", kind="date", when=True, hint=DATE_HINT,
          missing="Enter the date of the return"),
)


def _audit(request: Request, who: Principal, record_id: UUID) -> tuple[Any, str]:
    record = authorised(application(request), who, Action.WRITE, "audit", record_id,
                        "submit-return")
    named = next((a for a in record.returns if same_agency(who.agency, a)), None)
    if named is None:
        raise not_found()
    return record, named


def _return_page(request: Request, record: Any, named: str, filled: Filled,
                 status: int = 200) -> Response:
    mine = record.returns[named]
    return render(request, "agency_answer.html", {
        "title": "Send your agency's return", "caption": str(record.reference),
        "what": f"Your return to a multi-agency audit: {record.theme}",
        "due_on": record.returns_due, "answered_on": mine["submitted_on"],
        "answer": mine["evidence"], "chased_on": mine["chased_on"], "nation": AUDIT_NATION,
        "filled": filled, "button": "Send the return", "errors": bool(filled.errors)},
        status=status)


@router.get("/app/agency/audits/{record_id}")
def audit_return(request: Request, record_id: UUID, who: Person) -> Response:
    """An audit's return asked of the agency, and the agency's answer."""
    refused = _agency_only(request, who)
    if refused:
        return refused
    record, named = _audit(request, who, record_id)
    record_view(application(request), record_id, request.scope["route"].path, who)
    return _return_page(request, record, named, forms.blank(RETURN))


@router.post("/app/agency/audits/{record_id}")
async def send_return(request: Request, record_id: UUID, who: Person) -> Response:
    """Send the agency's return."""
    refused = _agency_only(request, who)
    if refused:
        return refused
    posted = await request.form()
    record, named = await run_in_threadpool(_audit, request, who, record_id)
    filled = forms.read(RETURN, posted, today())
    c = giving.make(SubmitReturn, filled, who, record_id=record_id, agency=named)
    done = await giving.give(request, application(request), who, c, filled,
                             (("evidence", "evidence"), ("submits one", "when")))
    if done is None:
        return _return_page(request, record, named, filled, 422)
    return _sent(done, "return")


# --- a quarterly assurance cycle's evidence (seed 004), owed by the agency's named lead ---------

EVIDENCE = fields_of(SubmitEvidence, {
    "data": ("Your agency's data", "The figures asked for, with the period they cover"),
    "narrative": ("Your agency's assurance narrative", "What the data shows, and what your "
                  "agency is doing about it. Use references, never a child's name.")},
    given=("item",), when="Date you are sending it")


def _owed(request: Request, who: Principal, record_id: UUID, item: str) -> Any:
    record = authorised(application(request), who, Action.WRITE, "assurance-cycle", record_id,
                        SubmitEvidence.verb)
    owed = record.evidence.get(item)
    if owed is None or owed["lead"] != who.username:
        raise not_found()  # another lead's evidence: as if it did not exist
    return record, owed


def _evidence_page(request: Request, record: Any, item: str, owed: dict[str, Any],
                   filled: Filled, status: int = 200) -> Response:
    return render(request, "agency_answer.html", {
        "title": "Send your agency's evidence", "caption": f"Assurance cycle {record.quarter}",
        "what": f"Data and narrative for {item}, for the Safeguarding Effectiveness sub-group",
        "due_on": record.evidence_due, "answered_on": owed["submitted_on"],
        "answer": None, "chased_on": [owed["chased_on"]] if owed["chased_on"] else [],
        "nation": AUDIT_NATION, "filled": filled, "button": "Send the evidence",
        "errors": bool(filled.errors)}, status=status)


@router.get("/app/agency/cycles/{record_id}/{item}")
def cycle_evidence(request: Request, record_id: UUID, item: str, who: Person) -> Response:
    """A quarterly assurance cycle's evidence asked of the agency's lead."""
    refused = _agency_only(request, who)
    if refused:
        return refused
    record, owed = _owed(request, who, record_id, item)
    record_view(application(request), record_id, request.scope["route"].path, who)
    return _evidence_page(request, record, item, owed, forms.blank(EVIDENCE))


@router.post("/app/agency/cycles/{record_id}/{item}")
async def send_evidence(request: Request, record_id: UUID, item: str, who: Person) -> Response:
    """Send the agency's evidence to the cycle."""
    refused = _agency_only(request, who)
    if refused:
        return refused
    posted = await request.form()
    record, owed = await run_in_threadpool(_owed, request, who, record_id, item)
    filled = forms.read(EVIDENCE, posted, today())
    c = giving.make(SubmitEvidence, filled, who, record_id=record_id, item=item)
    done = await giving.give(request, application(request), who, c, filled,
                             (("narrative", "narrative"), ("once", "when"),
                              ("before the cycle", "when")))
    if done is None:
        return _evidence_page(request, record, item, owed, filled, 422)
    return _sent(done, "evidence")
