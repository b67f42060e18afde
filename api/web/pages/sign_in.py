"""Sign in and out. Sign-in checks the name and password with the API's own sign-in
(`api/routes/auth.py`, the throttle included) and sets the same HttpOnly session cookie
(`COOKIE`): SameSite=Strict, and Secure in production. After sign-in, everyone lands on My work.
"""

from __future__ import annotations

from fastapi import Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from api.auth import COOKIE
from api.deps import get_app, get_settings
from api.problems import Problem
from api.routes.auth import _sign_in
from api.web import forms
from api.web.forms import Field
from api.web.routing import page_router
from api.web.session import current
from api.web.templating import render, today
from infra.settings import Mode, Settings

router = page_router()

FIELDS = (
    Field("username", "Username", missing="Enter your username", autocomplete="username",
          classes="govuk-input--width-20"),
    Field("password", "Password", kind="password", missing="Enter your password",
          autocomplete="current-password", classes="govuk-input--width-20"),
)


@router.get("/")
def home(request: Request) -> Response:
    """Signed in: My work. Otherwise: sign in."""
    return RedirectResponse("/app/my-work" if current(request) else "/sign-in", 303)


@router.get("/sign-in")
def sign_in_page(request: Request, signed_out: bool = False) -> Response:
    banner = "You have signed out." if signed_out else None
    return render(request, "sign_in.html", {"filled": forms.blank(FIELDS), "banner": banner})


@router.post("/sign-in")
async def sign_in(request: Request) -> Response:
    filled = forms.read(FIELDS, await request.form(), today())
    if not filled.errors:
        app, settings = await get_app(request), await get_settings(request)
        try:  # the password hash is checked on a thread: it takes a while, by design
            token = await run_in_threadpool(_sign_in, request, app, settings,
                                            filled.values["username"], filled.typed["password"])
        except Problem as problem:
            filled.refuse("username", _why(problem, settings))
        else:
            landing = RedirectResponse("/app/my-work", status_code=303)
            landing.set_cookie(COOKIE, token.access_token, max_age=token.expires_in,
                               httponly=True, samesite="strict",
                               secure=settings.mode == Mode.PRODUCTION
                               or request.url.scheme == "https")
            return landing
    return render(request, "sign_in.html", {"filled": filled, "errors": True}, status=422)


def _why(problem: Problem, settings: Settings) -> str:
    if problem.status == 429:
        minutes = max(1, settings.sign_in_window_seconds // 60)
        return f"You have tried too many times. Wait {minutes} minutes, then try again"
    if problem.status == 400:
        return "Sign in with your organisation's account"
    return "The username or password is not right"


@router.post("/sign-out")
def sign_out(request: Request) -> Response:
    """Sign out: the session cookie goes."""
    gone = RedirectResponse("/sign-in?signed_out=true", status_code=303)
    gone.delete_cookie(COOKIE, httponly=True, samesite="strict")
    return gone
