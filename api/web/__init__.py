"""The web application: server-rendered pages in the GOV.UK Design System's look, served by
the API's own FastAPI process. Pages call the same application commands (api/acting.py), the
same policy (api/policy.py) and the same access log (api/access.py) as the API.

`install(api, settings)` mounts the assets, adds the security headers and CSRF protection, and
adds every page's routes.
"""

from __future__ import annotations

import hashlib

from fastapi import FastAPI

from api.auth import token_secret
from api.web import assets
from api.web.csrf import Csrf
from api.web.headers import WebHeaders
from api.web.pages import PAGE_ROUTERS
from api.web.throttle import PublicThrottle
from infra.settings import Mode, Settings


def install(api: FastAPI, settings: Settings) -> None:
    production = settings.mode == Mode.PRODUCTION
    # The CSRF signing key is derived from the sign-in secret, never the secret itself.
    key = hashlib.sha256(b"assured web csrf\x00" + token_secret(settings).encode()).hexdigest()
    api.state.csrf = Csrf(key, secure_cookie=production)
    api.state.public_throttle = PublicThrottle(settings.public_submissions_per_hour)
    api.add_middleware(WebHeaders, production=production)
    assets.mount(api, settings.web_assets_dir)
    for router in PAGE_ROUTERS:
        api.include_router(router)
