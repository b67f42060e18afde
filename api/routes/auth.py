"""Sign-in: OAuth2 password flow for API clients, an HttpOnly cookie for the web UI, logout that
revokes, and the enrolment of a second factor."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from anyio import to_thread
from fastapi import APIRouter, Form, Request, Response
from pydantic import BaseModel

from api import second_factor
from api.auth import (
    COOKIE,
    PASSWORD_ONLY,
    WITH_SECOND_FACTOR,
    Principal,
    SignInFailed,
    issue_token,
    verify_password,
)
from api.deps import App, CurrentSettings, bearer_or_cookie
from api.problems import RESPONSES, Problem
from domain.accounts import Account, EnrolSecondFactor
from domain.errors import RecordNotFound
from infra.settings import AuthMode

router = APIRouter(prefix="/auth", tags=["sign-in"], responses=RESPONSES)

Name = Annotated[str, Form(min_length=1, max_length=200)]
Password = Annotated[str, Form(min_length=1, max_length=1000)]
Code = Annotated[str | None, Form(max_length=12, description=(
    "The six-digit code of the second factor (required where the account has one)."))]


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int


class Enrolment(BaseModel):
    """A second factor offered: add it to an authenticator, then confirm it with a code."""

    secret: str
    otpauth_uri: str
    ticket: str
    expires_in: int


def _local_only(settings: CurrentSettings) -> None:
    if settings.auth_mode != AuthMode.LOCAL:
        raise Problem(400, "Local sign-in is off", "Sign in with your organisation's provider.")


def _password_checked(request: Request, app: App, username: str,
                      password: str) -> tuple[Account, Principal]:
    """The account and its principal, if the password is right and the name and address are
    not throttled."""
    throttle = request.app.state.throttle
    address = throttle.address(request)
    if throttle.blocked(username, address):
        raise Problem(429, "Too many failed sign-ins", "Wait a few minutes and try again, or "
                      "ask the panel team to unlock the name.")
    try:
        account = app.load(Account.create_id(username), Account)
    except (RecordNotFound, ValueError):
        account = None
    try:
        principal = verify_password(account, password)
    except SignInFailed:
        throttle.failed(username, address)
        raise Problem(401, "Sign-in failed", "The name or password is wrong.") from None
    assert account is not None
    return account, principal


def _sign_in(request: Request, app: App, settings: CurrentSettings, username: str,
             password: str, code: str | None) -> Token:
    _local_only(settings)
    account, principal = _password_checked(request, app, username, password)
    throttle = request.app.state.throttle
    address = throttle.address(request)
    amr = PASSWORD_ONLY
    if account.needs_second_factor:
        if account.second_factor is None:
            raise Problem(401, "Second factor needed", "This account signs in with a second "
                          "factor: enrol one (POST /auth/second-factor) first.")
        if not code or not second_factor.accept(app, username, account.second_factor, code):
            throttle.failed(username, address)
            raise Problem(401, "Sign-in failed", "The code of the second factor is wrong or "
                          "was used before.")
        amr = WITH_SECOND_FACTOR
    throttle.succeeded(username, address)
    return Token(access_token=issue_token(principal, settings, amr=amr),
                 expires_in=settings.token_minutes * 60)


@router.post("/token")
def token(request: Request, app: App, settings: CurrentSettings, username: Name,
          password: Password, totp: Code = None) -> Token:
    """Sign in with a name, password and (where needed) a code; returns a short-lived token."""
    return _sign_in(request, app, settings, username, password, totp)


@router.post("/login", status_code=204)
def login(request: Request, response: Response, app: App, settings: CurrentSettings,
          username: Name, password: Password, totp: Code = None) -> None:
    """Sign in for the web pages: sets an HttpOnly, SameSite=Strict session cookie."""
    signed = _sign_in(request, app, settings, username, password, totp)
    response.set_cookie(COOKIE, signed.access_token, max_age=signed.expires_in, httponly=True,
                        samesite="strict", secure=request.url.scheme == "https")


@router.post("/logout", status_code=204)
async def logout(request: Request, response: Response) -> None:
    """Sign out: the token (bearer or cookie) is revoked on every replica until it expires."""
    token = bearer_or_cookie(request)
    response.delete_cookie(COOKIE)
    if not token:
        return
    try:
        session = request.app.state.tokens.session(token)
    except SignInFailed:
        return  # nothing to revoke: it was not a token of ours
    await to_thread.run_sync(request.app.state.sessions.revoke, session)


@router.post("/second-factor")
def start_second_factor(request: Request, app: App, settings: CurrentSettings, username: Name,
                        password: Password) -> Enrolment:
    """Offer a new second factor (TOTP) to an account that has none; nothing is recorded yet."""
    _local_only(settings)
    account, _ = _password_checked(request, app, username, password)
    if account.second_factor is not None:
        raise Problem(409, "Second factor enrolled", "A second factor is enrolled once; an "
                      "operator replaces it (assured users second-factor NAME).",
                      rule="A second factor is enrolled once; an operator replaces it")
    secret = second_factor.new_secret()
    return Enrolment(secret=secret, otpauth_uri=second_factor.provisioning_uri(secret, username),
                     ticket=second_factor.ticket(settings, username, secret),
                     expires_in=second_factor.TICKET_MINUTES * 60)


@router.post("/second-factor/confirm", status_code=204)
def confirm_second_factor(request: Request, app: App, settings: CurrentSettings,
                          username: Name, password: Password,
                          ticket: Annotated[str, Form(min_length=1, max_length=2000)],
                          totp: Annotated[str, Form(min_length=6, max_length=12)]) -> None:
    """Record the offered second factor, once its first code shows the authenticator has it."""
    _local_only(settings)
    account, _ = _password_checked(request, app, username, password)
    secret = second_factor.secret_from(settings, username, ticket)
    if secret is None or not second_factor.accept(app, username, secret, totp):
        request.app.state.throttle.failed(username, request.app.state.throttle.address(request))
        raise Problem(401, "Second factor not confirmed", "The ticket or the code is wrong.")
    app.enrol_second_factor(EnrolSecondFactor(record_id=account.id, secret=secret,
                                              by=username, at=datetime.now(UTC)))
