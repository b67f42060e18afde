"""The second factor of a local account: a TOTP code (RFC 6238, `pyotp`), six digits every 30 s.

Required for the roles in `domain.accounts.SECOND_FACTOR_ROLES` (panel admin, auditor, ops) and
for any account that enrolled one. `assured users add` enrols it for those roles and prints the
secret once; a person can enrol their own over the API in two steps (`start`: a new secret and
a signed ticket holding it, nothing recorded; `confirm`: the ticket and a first code, then the
secret is recorded on the account). A code is accepted once: a code seen again is refused, on
every replica (`api_second_factor_used`).
"""

from __future__ import annotations

import hmac
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pyotp

from api.auth import token_secret
from api.throttle import ref
from domain.application import Assured
from infra.settings import Settings

ISSUER = "Assured"
TICKET_AUDIENCE = "assured-second-factor"
TICKET_MINUTES = 10
DRIFT_STEPS = 1  # a code of the step before or after is accepted (clocks drift)

DDL = """
CREATE TABLE IF NOT EXISTS api_second_factor_used (
    name_ref text NOT NULL,
    step bigint NOT NULL,
    used_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (name_ref, step)
)"""


def create_table(app: Assured) -> None:
    with app.recorder.datastore.transaction(commit=True) as curs:  # type: ignore[attr-defined]
        curs.execute(DDL)


def new_secret() -> str:
    return pyotp.random_base32(32)


def provisioning_uri(secret: str, username: str) -> str:
    """The otpauth:// URI an authenticator app reads (as a QR code or typed in)."""
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=ISSUER)


def matching_step(secret: str, code: str, at: datetime) -> int | None:
    """The time step whose code `code` is (within the drift allowed), or None."""
    totp = pyotp.TOTP(secret)
    now = totp.timecode(at)
    for offset in range(-DRIFT_STEPS, DRIFT_STEPS + 1):
        if hmac.compare_digest(totp.generate_otp(now + offset), code.strip()):
            return now + offset
    return None


def accept(app: Assured, username: str, secret: str, code: str) -> bool:
    """Whether `code` is the account's current code, not used before (and now it is)."""
    step = matching_step(secret, code, datetime.now(UTC))
    if step is None:
        return False
    with app.recorder.datastore.transaction(commit=True) as curs:  # type: ignore[attr-defined]
        curs.execute("DELETE FROM api_second_factor_used WHERE used_at < now() - interval '1 hour'")
        curs.execute("INSERT INTO api_second_factor_used (name_ref, step) VALUES (%s, %s) "
                     "ON CONFLICT DO NOTHING RETURNING step", (ref(username), step))
        return curs.fetchone() is not None


def ticket(settings: Settings, username: str, secret: str) -> str:
    """A short-lived, signed note of the secret offered to `username` (nothing is recorded
    until they confirm it with a code)."""
    now = datetime.now(UTC)
    return jwt.encode({"sub": username, "secret": secret, "aud": TICKET_AUDIENCE, "iat": now,
                       "exp": now + timedelta(minutes=TICKET_MINUTES)},
                      token_secret(settings), algorithm="HS256")


def secret_from(settings: Settings, username: str, signed: str) -> str | None:
    try:
        claims: dict[str, Any] = jwt.decode(signed, token_secret(settings), algorithms=["HS256"],
                                            audience=TICKET_AUDIENCE,
                                            options={"require": ["exp", "sub", "aud"]})
    except jwt.PyJWTError:
        return None
    return str(claims["secret"]) if claims["sub"] == username else None
