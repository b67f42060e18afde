"""Sign in and out. Sign-in checks the name and password with the API's own sign-in
(`api/routes/auth.py`: the throttle, and the security code where the account has a
second factor) and sets the same HttpOnly session cookie
(`COOKIE`): SameSite=Strict, and Secure in production. After sign-in, everyone lands on My work.
"""

from __future__ import annotations

from fastapi import Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from api.auth import COOKIE, SignInFailed
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
    Field("code", "Security code (if your account has one)", optional=True,
          hint="The 6-digit code your authenticator app shows now", autocomplete="one-time-code",
          classes="govuk-input--width-5"),
)


@router.get("/")
async def home(request: Request) -> Response:
    """Signed in: My work. Otherwise: sign in."""
    return RedirectResponse("/app/my-work" if await current(request) else "/sign-in", 303)


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
                                            filled.values["username"], filled.typed["password"],
                                            filled.values.get("code") or None)
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
    if problem.title == "Second factor needed":
        return ("Your account needs a security code from an authenticator app, and none is set "
                "up yet: ask your administrator")
    if "code" in (problem.detail or ""):
        return "The security code is not right, or it was used before: enter the code shown now"
    return "The username or password is not right"


@router.post("/sign-out")
async def sign_out(request: Request) -> Response:
    """Sign out: the session is revoked (on every replica, as the API's logout does) and its
    cookie goes."""
    token = request.cookies.get(COOKIE)
    if token:
        try:
            session = request.app.state.tokens.session(token)
        except SignInFailed:
            pass  # not a token of ours: nothing to revoke
        else:
            await run_in_threadpool(request.app.state.sessions.revoke, session)
    gone = RedirectResponse("/sign-in?signed_out=true", status_code=303)
    gone.delete_cookie(COOKIE, httponly=True, samesite="strict")
    return gone
