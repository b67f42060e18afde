"""Supervisors' and practitioners' pages: my cases (drifting cases first, each with the date of
its last discussion and its RAG trend), a case's supervision record, a discussion recorded on
the recording template (seed 003, Appendix III) and signed, and a professional disagreement
raised or escalated.

What a replacement supervisor may see of older supervision is the policy's
(`api.policy.redact`, `visible_to`): the list, the page and the trend ask it alike.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from fastapi import Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from api.access import authorised, record_list_view, record_view
from api.auth import Principal
from api.policy import Action, Decision, Facts, decide, may_list, redact, visible_to
from api.web import forms, giving
from api.web.forms import Field, Filled
from api.web.pages.common import application, policy, reading
from api.web.pages.create_forms import lines
from api.web.pages.record_forms import RecordForm, add_routes
from api.web.routing import error_page, page_router
from api.web.session import Person
from api.web.templating import render, today
from domain.case_commands import (
    AgreedAction,
    EscalateDisagreement,
    RaiseDisagreement,
    RecordDiscussion,
    SignDiscussion,
)
from domain.errors import InputRefused
from domain.history import state_of
from projections import case_supervision

router = page_router()
DATE_HINT = "For example, 27 3 2026"
RAG = (("R", "Red: the child's circumstances are getting worse"),
       ("A", "Amber: staying the same"), ("G", "Green: improving"))
RAG_WORDS = {"R": "Red", "A": "Amber", "G": "Green"}
ACTION_ROWS = 3  # agreed actions a discussion form offers (more: record another discussion)
DONE = {"record-discussion": "The supervision discussion was recorded. Sign it to agree it "
        "is accurate.",
        "sign-discussion": "Your signature was recorded.",
        "raise-disagreement": "The professional disagreement was raised. Its escalation has "
        "started.",
        "escalate-disagreement": "The disagreement was escalated to the next stage."}


@dataclass(frozen=True)
class CaseRow:
    case_id: UUID
    reference: str
    agency: str
    legal_status: str
    risk: str
    last_discussion: date | None
    trend: list[str]
    drift: list[str]


def _rows(request: Request, who: Principal) -> list[CaseRow]:
    app = application(request)
    with reading(request, ["case_supervision"]) as conn:
        cases = conn.execute("SELECT case_id, practitioner, supervisor, audits FROM case_state "
                             "WHERE closed_date IS NULL ORDER BY opened_on").fetchall()
        drifting = {d.case_id: d.reasons
                    for d in case_supervision.drift_list(conn, today(), policy(request))}
        rows = []
        for case_id, practitioner, supervisor, audits in cases:
            facts = Facts("case", practitioner=practitioner, supervisor=supervisor,
                          named_in_review=audits > 0)
            if decide(who, Action.WRITE, facts) != Decision.ALLOW:
                continue  # my cases: those I practise or supervise
            record = authorised(app, who, Action.READ, "case", case_id)
            visible = visible_to(who, "case", state_of(record)) or (lambda _t, _d: True)
            points = [p for p in case_supervision.rag_trend(conn, case_id)
                      if visible("DiscussionRecorded", p.discussion_id)]
            rows.append(CaseRow(case_id, record.child_reference, record.agency,
                                str(record.legal_status), str(record.risk),
                                points[-1].held_on.date() if points else None,
                                [p.rag for p in points], drifting.get(case_id, [])))
    return sorted(rows, key=lambda r: (not r.drift, r.last_discussion or date.min))


@router.get("/app/cases")
def my_cases(request: Request, who: Person) -> Response:
    """My cases: drifting first, each with its last discussion and RAG trend."""
    if not may_list(who, "cases"):
        return error_page(request, 403, "Your role does not give you a list of cases.")
    rows = _rows(request, who)
    record_list_view(request, who)
    return render(request, "cases.html", {"rows": rows, "rag": RAG_WORDS})


@router.get("/app/cases/{record_id}")
def case(request: Request, record_id: UUID, who: Person, done: str | None = None) -> Response:
    """A case's supervision record: discussions, actions, disagreements."""
    app = application(request)
    record = authorised(app, who, Action.READ, "case", record_id)
    shown = redact(who, "case", state_of(record))
    record_view(app, record_id, request.scope["route"].path, who)
    facts = Facts("case", practitioner=record.practitioner, supervisor=record.supervisor)
    discussions = sorted(shown["discussions"].values(), key=lambda d: d["held_on"],
                         reverse=True)
    return render(request, "case.html", {
        "c": record, "discussions": discussions, "actions": shown["actions"],
        "disagreements": list(record.disagreements.values()), "rag": RAG_WORDS,
        "may_act": decide(who, Action.WRITE, facts) == Decision.ALLOW and not record.closed,
        "unsigned": [d for d in discussions if who.username in (d["supervisor"],
                     d["supervisee"]) and who.username not in d["signed_by"]],
        "banner": DONE.get(done or "")})


# --- the recording template ----------------------------------------------------------------------

def _discussion_fields(record: Any) -> tuple[Field, ...]:
    template = (
        Field("needs", "The child's needs", kind="textarea", missing="Enter the child's needs"),
        Field("risks", "Risks", kind="textarea", missing="Enter the risks"),
        Field("engagement", "The family's engagement", kind="textarea",
              missing="Enter the family's engagement"),
        Field("capacity_for_change", "Capacity for change", kind="textarea",
              missing="Enter the capacity for change"),
        Field("plan", "The plan", kind="textarea", missing="Enter the plan"),
        Field("rag", "Are the child's circumstances improving?", kind="radios", options=RAG,
              missing="Select whether the child's circumstances are improving"),
    )
    actions: tuple[Field, ...] = ()
    for n in range(1, ACTION_ROWS + 1):
        actions += (
            Field(f"action_{n}", f"Action {n}: what is to be done (optional)", kind="textarea",
                  optional=True),
            Field(f"owner_{n}", f"Action {n}: who does it", optional=True,
                  hint="Their username, for example pr-1"),
            Field(f"due_{n}", f"Action {n}: due by", kind="date", optional=True,
                  hint=DATE_HINT))
    return template + actions + (
        Field("next_discussion_on", "Date of the next discussion", kind="date", hint=DATE_HINT,
              missing="Enter the date of the next discussion"),
        Field("when", "Date of this discussion", kind="date", when=True, hint=DATE_HINT,
              missing="Enter the date of this discussion"))


def _agreed(record: Any, filled: Filled) -> dict[str, Any]:
    """The discussion's own ids and parties, and each action row filled in (a row with some
    but not all of what, who and when is refused next to what is missing)."""
    agreed = []
    for n in range(1, ACTION_ROWS + 1):
        what, owner, due = (filled.values.get(f"{k}_{n}") for k in ("action", "owner", "due"))
        if not (what or owner or due):
            continue
        for name, value, words in ((f"action_{n}", what, "what is to be done"),
                                   (f"owner_{n}", owner, "who does it"),
                                   (f"due_{n}", due, "when it is due")):
            if not value:
                filled.refuse(name, f"Action {n} needs {words}")
        if what and owner and isinstance(due, date):
            try:
                agreed.append(AgreedAction(action_id=f"A-{secrets.token_hex(3)}",
                                           description=what, owner=owner, due=due))
            except InputRefused as refused:
                filled.refuse(f"action_{n}", f"Action {n}: {refused.problem}")
    return {"discussion_id": f"D-{today():%Y%m%d}-{secrets.token_hex(2)}",
            "supervisor": record.supervisor, "supervisee": record.practitioner,
            "actions": tuple(agreed)}


def _unsigned(record: Any) -> tuple[tuple[str, str], ...]:
    return tuple((i, f"Discussion of {d['held_on'].day} {d['held_on']:%B %Y}")
                 for i, d in sorted(record.discussions.items(),
                                    key=lambda kv: kv[1]["held_on"], reverse=True))


def _open_disagreements(record: Any) -> tuple[tuple[str, str], ...]:
    return tuple((i, f"Between {', '.join(d['between'])}, stage {d['stage']}")
                 for i, d in record.disagreements.items() if not d["resolved"])


def _when(label: str) -> Field:
    return Field("when", label, kind="date", when=True, hint=DATE_HINT,
                 missing=f"Enter the {label[0].lower()}{label[1:]}")


FORMS = (
    RecordForm(
        "record-discussion", RecordDiscussion, "Record a supervision discussion",
        "Record the discussion", _discussion_fields, extra=_agreed,
        rules=(("next discussion", "next_discussion_on"), ("child in need", "next_discussion_on"),
               ("before the previous", "when"), ("action", "action_1"),
               ("supervisor", "needs")),
        intro=lambda record: ["The recording template: the child's needs, risks, the "
                              "family's engagement, capacity for change and the plan, a RAG "
                              "rating, and each action agreed with its owner and due date."]),
    RecordForm(
        "raise-disagreement", RaiseDisagreement, "Raise a professional disagreement",
        "Raise the disagreement",
        lambda record: (Field("between", "Between whom?", hint="The agencies or people, "
                              "separated by commas, for example Police, Children's social care",
                              missing="Enter who the disagreement is between"),
                        Field("summary", "What is the disagreement about?", kind="textarea",
                              missing="Enter what the disagreement is about"),
                        _when("Date it was raised")),
        extra=lambda record, filled: {"between": lines(filled, "between"),
                                      "disagreement_id": f"PD-{secrets.token_hex(3)}"},
        rules=(("between", "between"), ("summary", "summary"))),
    RecordForm(
        "escalate-disagreement", EscalateDisagreement, "Escalate a professional disagreement",
        "Escalate it",
        lambda record: (Field("disagreement_id", "Which disagreement?", kind="radios",
                              options=_open_disagreements(record),
                              missing="Select the disagreement"),
                        Field("reason", "Why escalate it?", kind="textarea",
                              missing="Enter why it is escalated"),
                        _when("Date it was escalated")),
        rules=(("reason", "reason"), ("stage", "disagreement_id"))),
)


for _form in FORMS:
    add_routes(router, "case", "cases", _form, lambda record: str(record.child_reference))


# --- signing: the party is the person signed in, never a choice on the form ---------------------

SIGN = RecordForm(
    "sign-discussion", SignDiscussion, "Sign a discussion record", "Sign it as accurate",
    lambda record: (Field("discussion_id", "Which discussion?", kind="radios",
                          options=_unsigned(record), missing="Select the discussion"),
                    _when("Date you signed it")),
    rules=(("party", "discussion_id"), ("once", "discussion_id")),
    intro=lambda record: ["Signing says the record is accurate. The supervisor and the "
                          "supervisee each sign."])


def _sign_page(request: Request, record: Any, filled: Filled, status: int = 200) -> Response:
    return render(request, "record_form.html", {
        "form": SIGN, "filled": filled, "caption": str(record.child_reference),
        "intro": SIGN.intro(record), "back": f"/app/cases/{record.id}",
        "errors": bool(filled.errors)}, status=status)


def _load_to_sign(request: Request, record_id: UUID, who: Principal) -> Any:
    return authorised(application(request), who, Action.WRITE, "case", record_id,
                      SignDiscussion.verb)


@router.get("/app/cases/{record_id}/sign-discussion")
def sign(request: Request, record_id: UUID, who: Person) -> Response:
    """Sign a discussion record as accurate."""
    record = _load_to_sign(request, record_id, who)
    return _sign_page(request, record, forms.blank(SIGN.fields(record)))


@router.post("/app/cases/{record_id}/sign-discussion")
async def give_signature(request: Request, record_id: UUID, who: Person) -> Response:
    """Sign a discussion record as accurate."""
    posted = await request.form()
    record = await run_in_threadpool(_load_to_sign, request, record_id, who)
    filled = forms.read(SIGN.fields(record), posted, today())
    c = giving.make(SignDiscussion, filled, who, record_id=record_id, party=who.username)
    done = await giving.give(request, application(request), who, c, filled, SIGN.rules)
    if done is None:
        return _sign_page(request, record, filled, 422)
    return RedirectResponse(f"/app/cases/{record_id}?done=sign-discussion", 303)
