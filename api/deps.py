"""Dependencies the routes share: the application, the settings and the signed-in caller."""

from __future__ import annotations

import asyncio
import time
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer

from api.auth import COOKIE, Principal, SignInFailed, TokenValidator
from api.problems import Problem
from infra.settings import Settings
from domain.application import Assured

bearer = OAuth2PasswordBearer(tokenUrl="/auth/token", auto_error=False)


# Dependencies are coroutines: a plain function would cost each request a thread-pool hop.


async def get_app(request: Request) -> Assured:
    return request.app.state.assured  # type: ignore[no-any-return]


async def get_settings(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


def bearer_or_cookie(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token:
        return token
    return request.cookies.get(COOKIE)


async def get_principal(request: Request,
                        token: Annotated[str | None, Depends(bearer)]) -> Principal:
    """The caller, from a bearer token or the web UI's HttpOnly cookie, while the token is not
    revoked and its account stands (`api/sessions.py`); 401 otherwise. Nothing here waits on
    the provider: its keys are fetched by a thread of their own (`api/jwks.py`)."""
    token = token or request.cookies.get(COOKIE)
    if not token:
        raise Problem(401, "Sign-in needed", "Send a bearer token or sign in.",
                      headers={"WWW-Authenticate": "Bearer"})
    validator: TokenValidator = request.app.state.tokens
    if validator.jwks is not None and not validator.jwks.fetched.is_set():
        await _first_keys(validator)
    try:
        session = validator.session(token)
        return await request.app.state.sessions.admit(session)  # type: ignore[no-any-return]
    except SignInFailed:
        raise Problem(401, "Sign-in needed", "The token was not accepted.",
                      headers={"WWW-Authenticate": "Bearer"}) from None


async def _first_keys(validator: TokenValidator) -> None:
    """Before the provider's keys were ever fetched, a request waits for them, at most the
    fetch's timeout (polling: the event loop goes on)."""
    assert validator.jwks is not None
    deadline = time.monotonic() + validator.settings.oidc_jwks_timeout_seconds
    while not validator.jwks.fetched.is_set() and time.monotonic() < deadline:
        await asyncio.sleep(0.02)


App = Annotated[Assured, Depends(get_app)]
CurrentSettings = Annotated[Settings, Depends(get_settings)]
Caller = Annotated[Principal, Depends(get_principal)]
