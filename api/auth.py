"""Sign-in: local accounts with short-lived signed tokens, or the organisation's OpenID Connect.

Local mode: passwords hashed with argon2; tokens are HS256 JWTs (issuer `assured`, audience
`assured-api`, 15 minutes by default) given by the OAuth2 password flow or as an HttpOnly cookie.
OIDC mode: bearer tokens validated against the provider's JWKS with explicit algorithms,
audience and issuer; role and region come from claims. Anything else is 401.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import time
from collections import defaultdict, deque
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import VerificationError

from infra.settings import AuthMode, Settings
from domain.accounts import Account, Role

log = logging.getLogger("assured.auth")
hasher = PasswordHasher()

LOCAL_ISSUER = "assured"
LOCAL_AUDIENCE = "assured-api"
LOCAL_ALGORITHMS = ["HS256"]
COOKIE = "assured_session"
CHECKED_TOKENS = 10_000  # tokens remembered as checked, at most


class SignInFailed(Exception):
    """Credentials or token not accepted (always answered with 401, never with the reason)."""


@dataclass(frozen=True)
class Principal:
    username: str
    role: Role
    region: str | None = None
    agency: str | None = None
    """An agency contributor's agency."""


def hash_password(password: str) -> str:
    return hasher.hash(password)


_SECRETS: dict[Path, str] = {}


def token_secret(settings: Settings) -> str:
    """The signing secret: from settings, or (embedded run) a file under the data folder,
    read once."""
    if settings.token_secret is not None:
        return settings.token_secret.get_secret_value()
    path: Path = (settings.data_dir / "token.secret").resolve()
    if path not in _SECRETS:
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_urlsafe(48))
            path.chmod(0o600)
        _SECRETS[path] = path.read_text().strip()
    return _SECRETS[path]


def issue_token(principal: Principal, settings: Settings, now: datetime | None = None) -> str:
    now = now or datetime.now(UTC)
    claims = {"sub": principal.username, "role": principal.role.value, "region": principal.region,
              "agency": principal.agency,
              "iss": LOCAL_ISSUER, "aud": LOCAL_AUDIENCE, "iat": now,
              "exp": now + timedelta(minutes=settings.token_minutes)}
    return jwt.encode(claims, token_secret(settings), algorithm="HS256")


def verify_password(account: Account | None, password: str) -> Principal:
    """The account's principal if the password is right and the account is active."""
    if account is None or account.disabled:
        hasher.hash(password)  # the same work either way: no timing hint that a name exists
        raise SignInFailed
    try:
        hasher.verify(account.password_hash, password)
    except VerificationError:
        raise SignInFailed from None
    return Principal(account.username, Role(account.role), account.region,
                     getattr(account, "agency", None))


class TokenValidator:
    """Checks a bearer token for the configured mode; every failure is SignInFailed."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.jwks = (jwt.PyJWKClient(settings.oidc_jwks_url, cache_keys=True)
                     if settings.auth_mode == AuthMode.OIDC and settings.oidc_jwks_url else None)
        self._checked: dict[str, tuple[Principal, float]] = {}  # token -> caller, expiry

    def principal(self, token: str) -> Principal:
        """The token's caller. A token checked before is known until it expires: checking a
        signature and its claims again on every request of a session was a fifth of a command's
        cost (bench/api_load.py)."""
        known = self._checked.get(token)
        if known is not None and known[1] > time.time():
            return known[0]
        try:
            claims = self._claims(token)
            found = self._principal(claims)
        except (jwt.PyJWTError, ValueError, KeyError, TypeError):
            raise SignInFailed from None
        if len(self._checked) >= CHECKED_TOKENS:
            self._checked.pop(next(iter(self._checked)))  # the oldest
        self._checked[token] = (found, float(claims["exp"]))
        return found

    def _claims(self, token: str) -> dict[str, Any]:
        options = {"require": ["exp", "iat", "iss", "aud", "sub"]}
        if self.jwks is None:
            return jwt.decode(token, token_secret(self.settings), algorithms=LOCAL_ALGORITHMS,
                              audience=LOCAL_AUDIENCE, issuer=LOCAL_ISSUER, options=options)
        key = self.jwks.get_signing_key_from_jwt(token)  # unknown kid -> PyJWKClientError
        return jwt.decode(token, key.key, algorithms=self.settings.oidc_algorithms,
                          audience=self.settings.oidc_audience, issuer=self.settings.oidc_issuer,
                          options=options)

    def _principal(self, claims: dict[str, Any]) -> Principal:
        if self.jwks is None:
            return Principal(claims["sub"], Role(claims["role"]), claims.get("region"),
                             claims.get("agency"))
        roles = claims.get(self.settings.oidc_roles_claim) or []
        roles = [roles] if isinstance(roles, str) else roles
        known = [Role(r) for r in roles if r in list(Role)]
        if not known:
            raise ValueError("no Assured role in the token")
        return Principal(claims["sub"], known[0], claims.get(self.settings.oidc_region_claim),
                         claims.get(self.settings.oidc_agency_claim))


class SignInThrottle:
    """At most N failed sign-ins per name and address in a sliding window; then 429.

    Failures are logged with a hash of the name, never the name or the password.
    """

    def __init__(self, attempts: int, window_seconds: int) -> None:
        self.attempts, self.window = attempts, window_seconds
        self.failures: dict[str, deque[float]] = defaultdict(deque)

    @staticmethod
    def _key(username: str, address: str) -> str:
        return hashlib.sha256(f"{username}|{address}".encode()).hexdigest()[:16]

    def blocked(self, username: str, address: str) -> bool:
        recent = self.failures[self._key(username, address)]
        while recent and recent[0] < time.monotonic() - self.window:
            recent.popleft()
        return len(recent) >= self.attempts

    def failed(self, username: str, address: str) -> None:
        key = self._key(username, address)
        self.failures[key].append(time.monotonic())
        log.warning("Failed sign-in (ref %s, %d in window)", key, len(self.failures[key]))

    def succeeded(self, username: str, address: str) -> None:
        self.failures.pop(self._key(username, address), None)
