"""Tell the Safeguarders Panel: the form anyone may send without signing in (seed 000: "we
always want to hear from you"; "tell us about a worry or concern"), in words a child can follow.

The person names the Safeguarder as they know them; nothing here looks the name up or shows who
is on the panel. Each submission is a `PublicSubmission` record in the panel team's triage
queue (api/web/pages/submissions.py). The form is protected by CSRF like every form, and each
address may send `public_submissions_per_hour` an hour (api/web/throttle.py); the thank-you page
says what happens next.
"""

from __future__ import annotations

from fastapi import Request
from starlette.responses import RedirectResponse, Response

from api.record_threads import on_records
from api.web import forms, giving
from api.web.forms import Field
from api.web.pages.common import application, policy
from api.web.routing import error_page, page_router
from api.web.templating import render, today
from domain.submission_commands import PUBLIC, ReceivePublicSubmission
from domain.errors import RuleBroken
from domain.submission_values import SubmissionAbout, Submitter

router = page_router()

FIELDS = (
    Field("about", "What is it about?", kind="radios", options=(
        (SubmissionAbout.FEEDBACK.value, "Something good, or something that could be better"),
        (SubmissionAbout.WORRY.value, "A worry about what a Safeguarder did or how they "
         "behaved")), missing="Choose what you want to tell us"),
    Field("submitter", "Who are you?", kind="radios", options=(
        (Submitter.CHILD_OR_YOUNG_PERSON.value, "I am a child or young person"),
        (Submitter.FAMILY.value, "I am in the child's family, or I look after them"),
        (Submitter.PROFESSIONAL.value, "I work with children (for example, a social worker "
         "or teacher)"),
        (Submitter.SOMEONE_ELSE.value, "Someone else")), missing="Choose who you are"),
    Field("safeguarder_named", "What is the Safeguarder's name?",
          hint="Write it the way you know it. If you do not know their name, tell us anything "
          "that helps us work out who they are, like where or when you met them.",
          missing="Tell us the Safeguarder's name, or something that helps us find them",
          classes="govuk-!-width-two-thirds"),
    Field("what_happened", "What do you want to tell us?", kind="textarea",
          hint="Use your own words. You can write as much or as little as you like.",
          missing="Tell us what you want to say"),
    Field("reply_to", "How can we reach you? (you do not have to tell us)", optional=True,
          hint="An email address or a phone number, if you would like us to get back to you.",
          autocomplete="email", classes="govuk-!-width-two-thirds"),
)
RULES = (("says who", "safeguarder_named"), ("what happened", "what_happened"))


@router.get("/tell-us")
def tell_us(request: Request) -> Response:
    """The public form: feedback or a worry about a Safeguarder, with no sign-in."""
    return render(request, "tell_us.html", {"filled": forms.blank(FIELDS)})


@router.post("/tell-us")
async def send(request: Request) -> Response:
    """Receive what the person told the panel; it lands in the panel team's triage queue."""
    address = request.client.host if request.client else "unknown"
    throttle = request.app.state.public_throttle
    if not throttle.allow(address):
        return error_page(request, 429, "You have sent us a lot of messages in a short time. "
                          "Please wait an hour, then try again. If a child is in danger now, "
                          "call 999.", "Please wait before you send another message")
    filled = forms.read(FIELDS, await request.form(), today())
    c = giving.make(ReceivePublicSubmission, filled, PUBLIC)
    if c is not None:
        try:  # no person and no role: the domain takes it only from `PUBLIC`
            await on_records(request, application(request).execute, c)
        except RuleBroken as broken:
            giving.refused(filled, broken.rule, RULES)
        else:
            throttle.count(address)
            return RedirectResponse(f"/tell-us/thank-you?about={filled.values['about']}", 303)
    return render(request, "tell_us.html", {"filled": filled, "errors": True}, status=422)


@router.get("/tell-us/thank-you")
def thank_you(request: Request, about: str = "") -> Response:
    """What happens next."""
    days = policy(request).public_submission_triage.amount
    return render(request, "tell_us_thanks.html", {"worry": about == SubmissionAbout.WORRY,
                                                   "days": days})
