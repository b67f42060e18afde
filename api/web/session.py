"""Who is signed in to the web pages: the HttpOnly session cookie that sign-in sets (`COOKIE`
in api/auth.py), admitted exactly as the API admits it (`api.deps.get_principal`: the token
valid and not revoked, its account still standing)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from api.auth import COOKIE, Principal
from api.deps import get_principal
from api.problems import Problem


class SignInNeeded(Exception):
    """No valid session: the page sends the person to sign in."""


async def current(request: Request) -> Principal | None:
    """The signed-in person, or None."""
    if not request.cookies.get(COOKIE):
        return None
    try:
        return await get_principal(request, None)
    except Problem:
        return None


async def signed_in(request: Request) -> Principal:
    who = await current(request)
    if who is None:
        raise SignInNeeded
    request.state.who = who
    return who


Person = Annotated[Principal, Depends(signed_in)]
