"""Sign-in: local accounts with short-lived signed tokens, or the organisation's OpenID Connect.

Local mode: passwords hashed with argon2, and a TOTP second factor for the roles that need one;
tokens are HS256 JWTs (issuer `assured`, audience `assured-api`, 15 minutes by default, each
with its own `jti`) given by the OAuth2 password flow or as an HttpOnly cookie.
OIDC mode: bearer tokens validated against the provider's JWKS (`api/jwks.py`) with explicit
algorithms, audience and issuer; role and region come from claims, the second factor from
`acr`/`amr`. Anything else is 401. Whether the account still stands and the token is not
revoked is `api/sessions.py`'s to say, on every request.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import VerificationError

from api.jwks import ProviderKeys, UnknownKey
from infra.private import write_private
from infra.settings import AuthMode, Settings
from domain.accounts import SECOND_FACTOR_ROLES, Account, Role

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
            write_private(path, secrets.token_urlsafe(48))
        _SECRETS[path] = path.read_text().strip()
    return _SECRETS[path]


PASSWORD_ONLY = ("pwd",)
WITH_SECOND_FACTOR = ("pwd", "otp")  # RFC 8176 authentication method references


def issue_token(principal: Principal, settings: Settings, now: datetime | None = None,
                amr: Sequence[str] = PASSWORD_ONLY) -> str:
    """A local token for `principal`, with its own id (`jti`, what logout revokes) and how the
    person signed in (`amr`: with "otp" once they gave a second factor)."""
    now = now or datetime.now(UTC)
    claims = {"sub": principal.username, "role": principal.role.value, "region": principal.region,
              "iss": LOCAL_ISSUER, "aud": LOCAL_AUDIENCE, "iat": now,
              "exp": now + timedelta(minutes=settings.token_minutes),
              "jti": secrets.token_urlsafe(18), "amr": list(amr)}
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
    return Principal(account.username, Role(account.role), account.region)


@dataclass(frozen=True)
class Session:
    """A checked token: its caller, its id, when it was issued and expires, and its key."""

    principal: Principal
    token_id: str  # the `jti`, or a hash of the token where it has none
    issued_at: float
    expires_at: float
    kid: str | None = None
    algorithm: str = "HS256"
    second_factor: bool = False


def token_id(token: str, claims: dict[str, Any]) -> str:
    jti = claims.get("jti")
    return f"jti:{jti}" if isinstance(jti, str) and jti else \
        "sha256:" + hashlib.sha256(token.encode()).hexdigest()


class TokenValidator:
    """Checks a bearer token for the configured mode; every failure is SignInFailed."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.jwks: ProviderKeys | None = None
        if settings.auth_mode == AuthMode.OIDC and settings.oidc_jwks_url:
            self.jwks = ProviderKeys(settings.oidc_jwks_url,
                                     timeout=settings.oidc_jwks_timeout_seconds,
                                     max_age=settings.oidc_jwks_max_age_seconds,
                                     min_refresh=settings.oidc_jwks_min_refresh_seconds)
        self._checked: dict[str, Session] = {}

    def session(self, token: str) -> Session:
        """The token's session. A token checked before is known until it expires (while its
        key stays current): checking a signature and its claims again on every request of a
        session was a fifth of a command's cost (bench/api_load.py)."""
        known = self._checked.get(token)
        if known is not None and known.expires_at > time.time() and (
                self.jwks is None or self.jwks.holds(known.kid, known.algorithm)):
            return known
        try:
            found = self._check(token)
        except (jwt.PyJWTError, UnknownKey, ValueError, KeyError, TypeError):
            raise SignInFailed from None
        if len(self._checked) >= CHECKED_TOKENS:
            self._checked.pop(next(iter(self._checked)))  # the oldest
        self._checked[token] = found
        return found

    def principal(self, token: str) -> Principal:
        return self.session(token).principal

    def _check(self, token: str) -> Session:
        options = {"require": ["exp", "iat", "iss", "aud", "sub"]}
        if self.jwks is None:
            claims = jwt.decode(token, token_secret(self.settings), algorithms=LOCAL_ALGORITHMS,
                                audience=LOCAL_AUDIENCE, issuer=LOCAL_ISSUER, options=options)
            amr = claims.get("amr") or []
            return Session(Principal(_text(claims["sub"]), Role(claims["role"]),
                                     claims.get("region")),
                           token_id(token, claims), float(claims["iat"]), float(claims["exp"]),
                           second_factor="otp" in amr)
        header = jwt.get_unverified_header(token)
        algorithm = header.get("alg")
        if algorithm not in self.settings.oidc_algorithms:
            raise ValueError("an algorithm not accepted")
        kid = header.get("kid")
        key = self.jwks.key_for(kid if isinstance(kid, str) else None, algorithm)
        claims = jwt.decode(token, key, algorithms=[algorithm],
                            audience=self.settings.oidc_audience,
                            issuer=self.settings.oidc_issuer, options=options)
        principal = self._oidc_principal(claims)
        return Session(principal, token_id(token, claims), float(claims["iat"]),
                       float(claims["exp"]), kid, algorithm, second_factor=True)

    def _oidc_principal(self, claims: dict[str, Any]) -> Principal:
        """One role per request: of the Assured roles the claim lists, the first in
        `ASSURED_OIDC_ROLE_PRECEDENCE` (whatever order the provider lists them in). A
        privileged role needs the provider to say a second factor was used."""
        roles = claims.get(self.settings.oidc_roles_claim) or []
        roles = [roles] if isinstance(roles, str) else roles
        held = {r for r in roles if isinstance(r, str)}
        chosen = next((Role(r) for r in self.settings.oidc_role_precedence if Role(r) in held),
                      None)
        if chosen is None:
            raise ValueError("no Assured role in the token")
        if chosen in SECOND_FACTOR_ROLES and not self._second_factor(claims):
            raise ValueError("a privileged role without a second factor")
        region = claims.get(self.settings.oidc_region_claim)
        return Principal(_text(claims["sub"]), chosen, region if isinstance(region, str) else None)

    def _second_factor(self, claims: dict[str, Any]) -> bool:
        acr, amr = claims.get("acr"), claims.get("amr") or []
        return (isinstance(acr, str) and acr in self.settings.oidc_second_factor_acr) or (
            isinstance(amr, list) and bool(set(amr) & set(self.settings.oidc_second_factor_amr)))


def _text(value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise ValueError("not a name")
    return value
