"""Who is signed in to the web pages: the HttpOnly session cookie that sign-in sets (`COOKIE`
in api/auth.py), checked by the same token validator as the API's."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from api.auth import COOKIE, Principal, SignInFailed, TokenValidator


class SignInNeeded(Exception):
    """No valid session: the page sends the person to sign in."""


def current(request: Request) -> Principal | None:
    """The signed-in person, or None."""
    token = request.cookies.get(COOKIE)
    if not token:
        return None
    validator: TokenValidator = request.app.state.tokens
    try:
        return validator.principal(token)
    except SignInFailed:
        return None


async def signed_in(request: Request) -> Principal:
    who = current(request)
    if who is None:
        raise SignInNeeded
    request.state.who = who
    return who


Person = Annotated[Principal, Depends(signed_in)]
