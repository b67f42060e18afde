"""Dependencies the routes share: the application, the settings and the signed-in caller."""

from __future__ import annotations

from typing import Annotated

from anyio import to_thread
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


async def get_principal(request: Request,
                        token: Annotated[str | None, Depends(bearer)]) -> Principal:
    """The caller, from a bearer token or the web UI's HttpOnly cookie; 401 otherwise."""
    token = token or request.cookies.get(COOKIE)
    if not token:
        raise Problem(401, "Sign-in needed", "Send a bearer token or sign in.",
                      headers={"WWW-Authenticate": "Bearer"})
    validator: TokenValidator = request.app.state.tokens
    try:
        if validator.jwks is None:  # local tokens: checked here, no I/O
            return validator.principal(token)
        return await to_thread.run_sync(validator.principal, token)  # may fetch the keys
    except SignInFailed:
        raise Problem(401, "Sign-in needed", "The token was not accepted.",
                      headers={"WWW-Authenticate": "Bearer"}) from None


App = Annotated[Assured, Depends(get_app)]
CurrentSettings = Annotated[Settings, Depends(get_settings)]
Caller = Annotated[Principal, Depends(get_principal)]
