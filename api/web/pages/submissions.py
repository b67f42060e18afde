"""The triage queue of submissions from the public, for the panel team (auditors read it).

Each submission waits for the panel team admin, who attaches it to the Safeguarder it is about
(the name the person gave is theirs, as they know it), as feedback or as a concern, or sets it
aside with a reason. Attaching records the feedback or raises the concern on the Safeguarder's
record first (a concern's escalation starts then, through the Safeguarder's process), dated
when the person told the panel; then the submission is marked attached. The concern's id is
made from the submission's, so the same submission never raises two concerns.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from fastapi import Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from api.access import authorised, record_view
from api.auth import Principal
from api.policy import Action, Decision, Facts, decide, may_list
from api.web import finding, forms, giving
from api.web.forms import Field, Filled
from api.web.pages.common import application, banner, cipher, reading
from api.web.routing import error_page, page_router
from api.web.session import Person
from api.web.templating import render, today
from domain.errors import InputRefused
from domain.safeguarder_commands import RaiseSafeguarderConcern, RecordFeedback
from domain.safeguarder_values import ConcernAbout, FeedbackSource, Tone
from domain.submission_commands import AttachSubmission, SetAsideSubmission
from domain.submission_values import (
    SOURCE_OF,
    AttachAs,
    SubmissionAbout,
    SubmissionStatus,
    Submitter,
    concern_id_for,
)
from projections import public_submissions

router = page_router()
KIND = "public-submission"
READ_MODELS = ["public_submissions", "safeguarder_file"]


def _attach_fields(safeguarders: tuple[tuple[str, str], ...]) -> tuple[Field, ...]:
    return (
        Field("safeguarder_id", "Which Safeguarder is it about?", kind="select",
              options=safeguarders, missing="Select the Safeguarder it is about"),
        Field("attached_as", "Add it to their file as", kind="radios", options=(
            (AttachAs.FEEDBACK.value, "Feedback"),
            (AttachAs.CONCERN.value, "A concern (its escalation starts)")),
            missing="Select feedback or a concern"),
        Field("source", "Who gave the feedback? (for feedback)", kind="radios", optional=True,
              options=tuple((s.value, s.value.capitalize()) for s in FeedbackSource),
              missing="Select who gave the feedback"),
        Field("tone", "How was it? (for feedback)", kind="radios", optional=True, options=tuple(
            (t.value, t.value.capitalize()) for t in Tone if t != Tone.NOT_RECORDED),
              missing="Select how the feedback was"),
        Field("about", "What is the concern about? (for a concern)", kind="radios",
              optional=True, options=tuple((a.value, f"Their {a.value}") for a in ConcernAbout),
              missing="Select what the concern is about"),
        Field("summary", "Summary for the file", kind="textarea",
              hint="What the person said, as it should stand on the Safeguarder's file",
              missing="Enter a summary for the file"),
    )


SET_ASIDE = (Field("reason", "Why is it being set aside?", kind="textarea",
                   hint="For example, it is not about anyone on the panel",
                   missing="Enter why it is being set aside"),)
SUBMITTER_WORDS = {Submitter.CHILD_OR_YOUNG_PERSON: "A child or young person",
                   Submitter.FAMILY: "A family member or carer",
                   Submitter.PROFESSIONAL: "A professional", Submitter.SOMEONE_ELSE: "Someone else"}


@router.get("/app/submissions")
def queue(request: Request, who: Person, after: int | None = None,
          done: str | None = None) -> Response:
    """What the public told the panel: waiting for triage first, then triaged."""
    if not may_list(who, "submissions"):
        return error_page(request, 403, "Your role does not give you this list.")
    with reading(request, ["public_submissions"], after) as conn:
        waiting = public_submissions.submissions(conn, cipher(request))
        everything = public_submissions.submissions(conn, cipher(request), status=None)
    triaged = sorted((s for s in everything if s.status != SubmissionStatus.WAITING),
                     key=lambda s: s.triaged_at or s.received_at, reverse=True)[:50]
    return render(request, "submissions.html", {
        "waiting": waiting, "triaged": triaged, "words": SUBMITTER_WORDS,
        "banner": banner(done)})


def _safeguarders(request: Request, who: Principal) -> tuple[tuple[str, str], ...]:
    with reading(request, ["safeguarder_file"]) as conn:
        found = finding.safeguarders(conn, cipher(request), who)
    return tuple((str(s.record_id), f"{s.label} ({s.detail})") for s in found)


def _page(request: Request, who: Principal, record: Any, attach: Filled | None = None,
          set_aside: Filled | None = None, status: int = 200) -> Response:
    with reading(request, ["public_submissions"]) as conn:
        found = public_submissions.submission(conn, record.id, cipher(request))
    may_triage = decide(who, Action.WRITE, Facts(KIND)) == Decision.ALLOW \
        and record.status == SubmissionStatus.WAITING
    if attach is None and may_triage:
        attach = forms.blank(_attach_fields(_safeguarders(request, who)), **_suggested(record))
    return render(request, "submission.html", {
        "s": found, "record": record, "words": SUBMITTER_WORDS, "may_triage": may_triage,
        "attach": attach, "set_aside": set_aside or forms.blank(SET_ASIDE),
        "errors": bool((attach and attach.errors) or (set_aside and set_aside.errors))},
        status=status)


def _suggested(record: Any) -> dict[str, str]:
    """The form's first guesses from what the person said (the admin may change them)."""
    source = SOURCE_OF.get(Submitter(record.submitter))
    worry = record.about == SubmissionAbout.WORRY
    return {"attached_as": AttachAs.CONCERN.value if worry else AttachAs.FEEDBACK.value,
            "source": source.value if source else "", "summary": record.what_happened}


@router.get("/app/submissions/{record_id}")
def submission(request: Request, record_id: UUID, who: Person) -> Response:
    """One submission: what the person said, and (for the panel team) where it goes."""
    app = application(request)
    record = authorised(app, who, Action.READ, KIND, record_id)
    record_view(app, record_id, request.scope["route"].path, who)
    return _page(request, who, record)


def _load(request: Request, record_id: UUID, who: Principal, verb: str) -> Any:
    return authorised(application(request), who, Action.WRITE, KIND, record_id, verb)


@router.post("/app/submissions/{record_id}/attach")
async def attach(request: Request, record_id: UUID, who: Person) -> Response:
    """Attach the submission to the Safeguarder's file, as feedback or a concern."""
    posted = await request.form()
    record = await run_in_threadpool(_load, request, record_id, who, AttachSubmission.verb)
    fields = await run_in_threadpool(lambda: _attach_fields(_safeguarders(request, who)))
    filled = forms.read(fields, posted, today())
    as_concern = filled.values.get("attached_as") == AttachAs.CONCERN
    needed = ("about",) if as_concern else ("source", "tone")
    for name in needed:
        if not filled.values.get(name) and filled.values.get("attached_as"):
            filled.refuse(name, next(f for f in fields if f.name == name).empty())
    if not filled.errors:
        done = await _attach(request, who, record, filled, as_concern)
        if done is not None:
            return RedirectResponse(f"/app/submissions?after={done}&done=attached", 303)
    return await run_in_threadpool(_page, request, who, record, filled, None, 422)


async def _attach(request: Request, who: Principal, record: Any, filled: Filled,
                  as_concern: bool) -> int | None:
    app, safeguarder = application(request), UUID(filled.values["safeguarder_id"])
    told = record.opened_on  # the fact happened when the person told the panel
    concern_id = concern_id_for(record.id) if as_concern else ""
    try:
        if as_concern:
            first: Any = RaiseSafeguarderConcern(
                record_id=safeguarder, concern_id=concern_id, about=filled.values["about"],
                summary=filled.values["summary"], by=who.username, at=told)
        else:
            first = RecordFeedback(record_id=safeguarder, source=filled.values["source"],
                                   tone=filled.values["tone"], summary=filled.values["summary"],
                                   giver_id=record.id, by=who.username, at=told)
    except InputRefused as refused:
        filled.refuse(refused.field.split(".")[0], f"The summary {refused.problem}"
                      if refused.field == "summary" else str(refused))
        return None
    if await giving.give(request, app, who, first, filled, (("concern", "about"),)) is None:
        return None
    then = AttachSubmission(record_id=record.id, safeguarder_id=safeguarder,
                            attached_as=filled.values["attached_as"], concern_id=concern_id,
                            by=who.username, at=datetime.now(UTC))
    done = await giving.give(request, app, who, then, filled)
    return None if done is None else done.notification_id or 0


@router.post("/app/submissions/{record_id}/set-aside")
async def set_aside(request: Request, record_id: UUID, who: Person) -> Response:
    """Set the submission aside, with the reason."""
    posted = await request.form()
    record = await run_in_threadpool(_load, request, record_id, who, SetAsideSubmission.verb)
    filled = forms.read(SET_ASIDE, posted, today())
    c = giving.make(SetAsideSubmission, filled, who, record_id=record_id)
    done = await giving.give(request, application(request), who, c, filled)
    if done is None:
        return await run_in_threadpool(_page, request, who, record, None, filled, 422)
    return RedirectResponse(f"/app/submissions?after={done.notification_id or 0}"
                            "&done=set-aside", 303)
