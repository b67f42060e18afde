"""Sign-in: OAuth2 password flow for API clients, an HttpOnly cookie for the web UI."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, Response
from pydantic import BaseModel

from api.auth import COOKIE, SignInFailed, issue_token, verify_password
from api.deps import App, CurrentSettings
from api.problems import RESPONSES, Problem
from infra.settings import AuthMode
from domain.accounts import Account
from domain.errors import RecordNotFound

router = APIRouter(prefix="/auth", tags=["sign-in"], responses=RESPONSES)


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int


def _sign_in(request: Request, app: App, settings: CurrentSettings, username: str,
             password: str) -> Token:
    if settings.auth_mode != AuthMode.LOCAL:
        raise Problem(400, "Local sign-in is off", "Sign in with your organisation's provider.")
    throttle = request.app.state.throttle
    address = request.client.host if request.client else "unknown"
    if throttle.blocked(username, address):
        raise Problem(429, "Too many failed sign-ins", "Wait a few minutes and try again.")
    try:
        account = app.load(Account.create_id(username), Account)
    except (RecordNotFound, ValueError):
        account = None
    try:
        principal = verify_password(account, password)
    except SignInFailed:
        throttle.failed(username, address)
        raise Problem(401, "Sign-in failed", "The name or password is wrong.") from None
    throttle.succeeded(username, address)
    return Token(access_token=issue_token(principal, settings),
                 expires_in=settings.token_minutes * 60)


@router.post("/token")
def token(request: Request, app: App, settings: CurrentSettings,
          username: Annotated[str, Form(min_length=1)],
          password: Annotated[str, Form(min_length=1)]) -> Token:
    """Sign in with a name and password (OAuth2 password flow); returns a short-lived token."""
    return _sign_in(request, app, settings, username, password)


@router.post("/login", status_code=204)
def login(request: Request, response: Response, app: App, settings: CurrentSettings,
          username: Annotated[str, Form(min_length=1)],
          password: Annotated[str, Form(min_length=1)]) -> None:
    """Sign in for the web pages: sets an HttpOnly, SameSite=Strict session cookie."""
    signed = _sign_in(request, app, settings, username, password)
    response.set_cookie(COOKIE, signed.access_token, max_age=signed.expires_in, httponly=True,
                        samesite="strict", secure=request.url.scheme == "https")


@router.post("/logout", status_code=204)
def logout(response: Response) -> None:
    """Sign out of the web pages."""
    response.delete_cookie(COOKIE)
