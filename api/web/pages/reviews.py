"""The practice review sub-group's pages: the register of reviews and audits (with filters),
a referral (a serious incident starts its rapid review), and a review's page with a countdown in
working days to each statutory deadline, the information asked of agencies and received, the
rapid review's completion and the LCSPR decision, and the recommendations and their progress.

Reads are authorised on the record by the policy and recorded in the access log; every form
gives its command through the API's door (`api.acting`).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from fastapi import Request
from starlette.responses import Response

from api.access import authorised, record_list_view, record_view
from api.policy import Action, Decision, Facts, decide, may_create, may_list
from api.web.forms import Field
from api.web.pages.common import application, banner, cipher, reading
from api.web.pages.create_forms import CreateForm, add_create_routes, given_or_none, lines
from api.web.pages.record_forms import RecordForm, add_routes
from api.web.routing import error_page, page_router
from api.web.session import Person
from api.web import wording
from api.web.templating import render, today
from domain.review_commands import (
    AddRecommendation,
    CompleteRapidReview,
    CompleteRecommendation,
    DecideLcspr,
    NotifyPanel,
    ReceiveAgencyInformation,
    Refer,
    RequestAgencyInformation,
    UpdateRecommendation,
)
from domain.review_values import Step
from projections import register_queries

router = page_router()

DONE = {
    "notify-panel": "The Panel notification was recorded.",
    "request-information": "The information request was sent to the agency.",
    "receive-information": "The information was recorded as received.",
    "complete-rapid-review": "The rapid review was recorded as completed.",
    "decide-lcspr": "The decision on an LCSPR was recorded.",
    "add-recommendation": "The recommendation was added.",
    "update-recommendation": "The progress was recorded.",
    "complete-recommendation": "The recommendation was recorded as done.",
}
NATIONS = tuple(wording.NATIONS.items())
CATEGORIES = (("serious_incident", "A serious incident (a rapid review starts)"),
              ("practice_concern", "A concern about practice"),
              ("good_practice", "Good practice to learn from"))
TYPES = (("rapid_review", "Rapid review"), ("lcspr", "Local child safeguarding practice "
                                                     "review (LCSPR)"),
         ("thematic", "Thematic review"), ("good_outcome", "Good outcome review"),
         ("single_agency", "Single agency review"))
STATUS_WORDS = {"referred": "Referred", "rapid_review_completed": "Rapid review completed",
                "lcspr_commissioned": "LCSPR commissioned",
                "lcspr_not_commissioned": "LCSPR not commissioned", "closed": "Closed"}
DATE_HINT = "For example, 27 3 2026"
AUDIT_TYPES = {"multi_agency_practice": "Multi-agency practice audit",
               "section_11": "Section 11 audit", "single_agency": "Single agency audit",
               "schools": "Schools audit"}


def _reference(prefix: str) -> str:
    return f"{prefix}-{today():%Y%m%d}-{secrets.token_hex(2)}"


# --- the register --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Filters:
    kind: str = ""
    state: str = ""
    year: str = ""

    def keeps(self, entry: register_queries.RegisterEntry) -> bool:
        if self.kind and entry.kind != self.kind:
            return False
        if self.state == "open" and entry.closed_on is not None:
            return False
        if self.state == "closed" and entry.closed_on is None:
            return False
        if self.state == "breached" and not entry.breaches:
            return False
        return not self.year or str(entry.opened_on.year) == self.year


@router.get("/app/register")
def register(request: Request, who: Person, kind: str = "", state: str = "",
             year: str = "") -> Response:
    """The register of reviews and audits, filtered; htmx asks for the results alone."""
    if not may_list(who, "register"):
        return error_page(request, 403, "Your role does not give you the register.")
    on = today()
    chosen = Filters(kind if kind in ("review", "audit") else "",
                     state if state in ("open", "closed", "breached") else "",
                     year if year.isdigit() and len(year) == 4 else "")
    with reading(request, ["review_register"]) as conn:
        entries = register_queries.register_entries(conn, cipher(request), date(2000, 1, 1), on)
    shown = [e for e in reversed(entries) if chosen.keeps(e)]
    record_list_view(request, who)  # the read is in the access log, with its filters
    years = sorted({str(e.opened_on.year) for e in entries}, reverse=True)
    return render(request, "register.html", {
        "entries": shown, "filters": chosen, "years": years, "status_words": STATUS_WORDS,
        "type_words": {**dict(TYPES), **AUDIT_TYPES},
        "may_refer": may_create(who, "review"), "may_plan": may_create(who, "audit")},
        block="results")


# --- a referral ----------------------------------------------------------------------------------

REFER = CreateForm(
    "/app/reviews/new", Refer, "Refer a case or notify a serious incident", "Record the referral",
    (
        Field("reference", "Review reference", hint="For example, SI-2026-014",
              classes="govuk-input--width-20"),
        Field("referrer", "Who referred it?", hint="A person's role or an agency, for example "
              "Children's social care", missing="Enter who referred it"),
        Field("category", "Why is it referred?", kind="radios", options=CATEGORIES),
        Field("review_type", "What kind of review?", kind="radios", options=TYPES),
        Field("nation", "Which nation's calendar counts the working days?", kind="radios",
              options=NATIONS, missing="Select the nation"),
        Field("summary", "What happened?", kind="textarea", hint="Use the child's reference, "
              "never their name", missing="Enter what happened"),
        Field("became_aware_on", "When did the partnership become aware of it?", kind="date",
              optional=True, hint="Needed for a serious incident: the statutory deadlines "
              f"count from this day. {DATE_HINT}"),
        Field("when", "Date of the referral", kind="date", when=True, hint=DATE_HINT,
              missing="Enter the date of the referral"),
    ),
    then=lambda record_id: f"/app/reviews/{record_id}", back="/app/register",
    caption="Practice review sub-group",
    rules=(("reference", "reference"), ("referrer", "referrer"), ("summary", "summary"),
           ("became aware", "became_aware_on"), ("serious incident", "review_type"),
           ("rapid review", "review_type"), ("nation", "nation")),
    intro=("Anyone may refer a case. A serious incident is notified to the national Panel "
           "within 5 working days, and its rapid review is completed within 15 working days, "
           "both counted from the day the partnership became aware of it.",))
add_create_routes(router, REFER)


# --- a review's page ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Clock:
    """A statutory deadline: what, by when, and whether it was met."""

    label: str
    due_on: date
    done_on: date | None
    late_reason: str | None
    breached: bool


def _clocks(record: Any) -> list[Clock]:
    found = []
    breaches = {str(b["step"]): b for b in record.breaches}
    if record.panel_notification_due is not None:
        done = record.panel_notification
        found.append(Clock("Notify the national Panel", record.panel_notification_due,
                           done["on"].date() if done else None,
                           done["late_reason"] if done else None,
                           Step.PANEL_NOTIFICATION in breaches))
    if record.rapid_review_due is not None:
        done = record.rapid_review
        found.append(Clock("Complete the rapid review", record.rapid_review_due,
                           done["completed_on"].date() if done else None,
                           done["late_reason"] if done else None,
                           Step.RAPID_REVIEW in breaches))
    return found


@router.get("/app/reviews/{record_id}")
def review(request: Request, record_id: UUID, who: Person, done: str | None = None) -> Response:
    """A review: its statutory clocks, information, completion, decision, recommendations."""
    app = application(request)
    record = authorised(app, who, Action.READ, "review", record_id)
    record_view(app, record_id, request.scope["route"].path, who)
    acts = decide(who, Action.WRITE, Facts("review")) == Decision.ALLOW
    return render(request, "review.html", {
        "r": record, "clocks": _clocks(record), "open": record.closed_on is None,
        "may_act": acts, "status_words": STATUS_WORDS, "nation": str(record.nation),
        "category": dict(CATEGORIES).get(str(record.category), str(record.category)),
        "review_type": dict(TYPES).get(str(record.review_type), str(record.review_type)),
        "banner": DONE.get(done or "") or banner(done)})


# --- what the sub-group records on a review -------------------------------------------------------

def _when(label: str) -> Field:
    return Field("when", label, kind="date", when=True, hint=DATE_HINT,
                 missing=f"Enter the {label[0].lower()}{label[1:]}")


def _open_requests(record: Any) -> tuple[tuple[str, str], ...]:
    return tuple((rid, f"{r['agency']}, due {r['due_on'].day} {r['due_on']:%B %Y}")
                 for rid, r in record.requests.items() if r["received_on"] is None)


def _open_recommendations(record: Any) -> tuple[tuple[str, str], ...]:
    return tuple((rid, f"{rid}: {r['text'][:80]}") for rid, r in record.recommendations.items()
                 if r["completed_on"] is None)


def _late(record: Any, step: str) -> Field:
    due = record.panel_notification_due if step == "panel" else record.rapid_review_due
    words = f"{due.day} {due:%B %Y}" if due else "its deadline"
    return Field("late_reason", "Reason for the delay (only if late)", kind="textarea",
                 optional=True, hint=f"Needed when this was done after {words}")


FORMS = (
    RecordForm(
        "notify-panel", NotifyPanel, "Record the Panel notification", "Record the notification",
        lambda r: (_when("Date the Panel was notified"), _late(r, "panel")),
        extra=lambda r, f: given_or_none(f, "late_reason"),
        rules=(("reason", "late_reason"), ("notified", "when"))),
    RecordForm(
        "request-information", RequestAgencyInformation, "Ask an agency for information",
        "Send the request",
        lambda r: (Field("agency", "Which agency?", hint="For example, Police, Health, "
                         "Education or Children's social care", missing="Enter the agency"),
                   Field("due_on", "When is it needed by?", kind="date", hint=DATE_HINT,
                         missing="Enter when it is needed by"),
                   _when("Date of the request")),
        extra=lambda r, f: {"request_id": _reference("INFO")},
        rules=(("due", "due_on"), ("agency", "agency"))),
    RecordForm(
        "receive-information", ReceiveAgencyInformation, "Record information received",
        "Record it as received",
        lambda r: (Field("request_id", "Which request?", kind="radios",
                         options=_open_requests(r), missing="Select the request"),
                   Field("information", "What the agency sent (optional)", kind="textarea",
                         optional=True),
                   _when("Date it was received")),
        extra=lambda r, f: given_or_none(f, "information"),
        rules=(("received", "when"),)),
    RecordForm(
        "complete-rapid-review", CompleteRapidReview, "Complete the rapid review",
        "Record the rapid review",
        lambda r: (
            Field("findings", "Findings", kind="textarea", missing="Enter the findings"),
            Field("learning", "Learning (optional)", kind="textarea", optional=True,
                  hint="One point a line"),
            Field("recommend_lcspr", "Does the rapid review recommend an LCSPR?",
                  kind="yes-no", missing="Select yes if it recommends an LCSPR"),
            Field("rationale", "Why?", kind="textarea", missing="Enter why"),
            Field("outstanding_reason", "Reason to complete with information outstanding "
                  "(only if some is)", kind="textarea", optional=True),
            _late(r, "rapid"), _when("Date it was completed")),
        extra=lambda r, f: {"learning": lines(f, "learning"),
                            **given_or_none(f, "outstanding_reason", "late_reason")},
        rules=(("outstanding", "outstanding_reason"), ("deadline", "late_reason"),
               ("late", "late_reason"), ("rationale", "rationale"), ("findings", "findings"))),
    RecordForm(
        "decide-lcspr", DecideLcspr, "Decide on an LCSPR", "Record the decision",
        lambda r: (
            Field("commission", "Is a local child safeguarding practice review commissioned?",
                  kind="yes-no", missing="Select yes if an LCSPR is commissioned"),
            Field("rationale", "Why?", kind="textarea", missing="Enter why"),
            Field("reviewer", "Reviewer (if commissioned)", optional=True),
            Field("scope", "Scope (if commissioned)", kind="textarea", optional=True),
            Field("due_on", "Due (if commissioned, optional)", kind="date", optional=True,
                  hint="Left empty, it is due six months after the decision"),
            _when("Date of the decision")),
        extra=lambda r, f: given_or_none(f, "reviewer", "scope"),
        rules=(("reviewer", "reviewer"), ("names no", "reviewer"), ("due before", "due_on"),
               ("rationale", "rationale"), ("decided only after", "when"))),
    RecordForm(
        "add-recommendation", AddRecommendation, "Add a recommendation", "Add it",
        lambda r: (Field("text", "Recommendation", kind="textarea",
                         missing="Enter the recommendation"),
                   Field("owner_agency", "Which agency owns it?",
                         missing="Enter the agency that owns it"),
                   Field("due_on", "When is it due?", kind="date", hint=DATE_HINT,
                         missing="Enter when it is due"),
                   _when("Date it was made")),
        extra=lambda r, f: {"recommendation_id": _reference("REC")},
        rules=(("due", "due_on"), ("owner", "owner_agency"))),
    RecordForm(
        "update-recommendation", UpdateRecommendation, "Record progress on a recommendation",
        "Record the progress",
        lambda r: (Field("recommendation_id", "Which recommendation?", kind="radios",
                         options=_open_recommendations(r),
                         missing="Select the recommendation"),
                   Field("progress", "What was done?", kind="textarea",
                         missing="Enter what was done"),
                   _when("Date of the progress")),
        rules=(("progress", "progress"),)),
    RecordForm(
        "complete-recommendation", CompleteRecommendation, "Record a recommendation as done",
        "Record it as done",
        lambda r: (Field("recommendation_id", "Which recommendation?", kind="radios",
                         options=_open_recommendations(r),
                         missing="Select the recommendation"),
                   _when("Date it was done"))),
)

for _form in FORMS:
    add_routes(router, "review", "reviews", _form, lambda record: str(record.reference))
