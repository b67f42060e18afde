"""Security headers on every page and asset of the web application, from the `secure` library.

Pages: a Content-Security-Policy that allows scripts, styles and everything else from this
origin only (no inline script, no `unsafe-inline`, no `eval`), `frame-ancestors 'none'`,
`X-Content-Type-Options: nosniff`, no referrer across origins, and `Cache-Control: no-store`:
a page may hold personal data, so no browser or proxy keeps it. Assets (GOV.UK Frontend, htmx,
our stylesheet) get the same protections but may be cached. The API's own JSON routes and its
/docs are left as they were.
"""

from __future__ import annotations

from secure import (
    CacheControl,
    ContentSecurityPolicy,
    CrossOriginOpenerPolicy,
    PermissionsPolicy,
    ReferrerPolicy,
    Secure,
    StrictTransportSecurity,
    XContentTypeOptions,
    XFrameOptions,
)
from secure.middleware import SecureASGIMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

PAGE_PREFIXES = ("/app", "/sign-in", "/sign-out", "/tell-us")
ASSET_PREFIX = "/assets/"


def _policy() -> ContentSecurityPolicy:
    return (ContentSecurityPolicy().default_src("'self'").script_src("'self'")
            .style_src("'self'").img_src("'self'", "data:").font_src("'self'")
            .connect_src("'self'").form_action("'self'").frame_ancestors("'none'")
            .base_uri("'self'").object_src("'none'"))


def secure_headers(cache: CacheControl, production: bool) -> Secure:
    return Secure(
        csp=_policy(), xcto=XContentTypeOptions(), xfo=XFrameOptions().deny(),
        referrer=ReferrerPolicy().strict_origin_when_cross_origin(),
        coop=CrossOriginOpenerPolicy().same_origin(), cache=cache,
        permissions=PermissionsPolicy().geolocation().camera().microphone(),
        hsts=StrictTransportSecurity().max_age(31536000) if production else None)


def is_page(path: str) -> bool:
    return path == "/" or path.startswith(PAGE_PREFIXES)


class WebHeaders:
    """Applies the page headers to pages and the asset headers to assets; nothing else."""

    def __init__(self, app: ASGIApp, production: bool = False) -> None:
        self.app = app
        self.pages = SecureASGIMiddleware(app, secure=secure_headers(
            CacheControl().no_store(), production))
        self.assets = SecureASGIMiddleware(app, secure=secure_headers(
            CacheControl().no_cache(), production))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if is_page(path):
            await self.pages(scope, receive, send)  # type: ignore[arg-type]
        elif path.startswith(ASSET_PREFIX):
            await self.assets(scope, receive, send)  # type: ignore[arg-type]
        else:
            await self.app(scope, receive, send)
