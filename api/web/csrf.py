"""CSRF protection on every form, with fastapi-csrf-protect (double submit, signed cookie).

A page with a form carries a token in a hidden field; the visitor's cookie holds it signed. A
POST whose field does not match its cookie is refused with 403 before the page runs, so nothing
is recorded. The token stays the same while its cookie is valid, so forms open in several tabs
all submit; a new one is made when the cookie is missing, expired or forged.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi import Request
from fastapi_csrf_protect import CsrfProtect
from fastapi_csrf_protect.exceptions import CsrfProtectError
from itsdangerous import BadData, URLSafeTimedSerializer
from starlette.responses import Response

COOKIE = "assured_csrf"
FIELD = "csrf_token"
LIFETIME = timedelta(hours=4)  # a form may stay open this long
_SALT = "fastapi-csrf-token"  # the library's own salt for the signed cookie


class CsrfRefused(Exception):
    """A form posted without its token, or with another's: 403, nothing recorded."""


class Csrf:
    """The web pages' CSRF guard: its own configured `CsrfProtect` class per application (the
    library keeps its settings on the class)."""

    def __init__(self, secret: str, secure_cookie: bool) -> None:
        protect: type[CsrfProtect] = type("AssuredCsrf", (CsrfProtect,), {})
        protect.load_config(lambda: [
            ("secret_key", secret), ("token_location", "body"), ("token_key", FIELD),
            ("cookie_key", COOKIE), ("cookie_samesite", "strict"),
            ("cookie_secure", secure_cookie), ("httponly", True),
            ("max_age", int(LIFETIME.total_seconds()))])
        self.protect = protect()
        self._signed = URLSafeTimedSerializer(secret, salt=_SALT)

    def token(self, request: Request) -> tuple[str, str | None]:
        """The token for the page's forms, and the signed cookie to set (None: keep the one
        the visitor has)."""
        signed = request.cookies.get(COOKIE)
        if signed:
            try:
                token = self._signed.loads(signed, max_age=int(LIFETIME.total_seconds()) - 600)
                return str(token), None
            except BadData:
                pass
        token, signed = self.protect.generate_csrf_tokens()
        return token, signed

    def set_cookie(self, signed: str, response: Response) -> None:
        self.protect.set_csrf_cookie(signed, response)

    async def check(self, request: Request) -> None:
        """Raise `CsrfRefused` unless the posted form carries the visitor's token."""
        await request.form()  # read once; the page reads the same parsed form
        try:
            await self.protect.validate_csrf(request)
        except (CsrfProtectError, ValueError) as refused:
            raise CsrfRefused(str(refused)) from None


async def csrf_checked(request: Request) -> None:
    """A dependency of every web router: each unsafe request must carry its token."""
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        guard: Csrf = request.app.state.csrf
        await guard.check(request)


def form_value(form: Any, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""
