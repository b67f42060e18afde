"""Making a local account from the command line (`assured users add`, and the first
administrator `assured up` makes): the password stored as an argon2 hash, and a second factor
enrolled for the roles that need one."""

from __future__ import annotations

from datetime import UTC, datetime

from domain.application import Assured


def make_account(opened: Assured, username: str, role: str, password: str, by: str,
                 region: str | None = None, agency: str | None = None) -> str | None:
    """Create the account; return the second factor's `otpauth://` URI (to show once) for a
    role that needs one, else None. Raises the domain's refusal, or ValueError."""
    from api.auth import hash_password
    from api.second_factor import new_secret, provisioning_uri
    from domain.accounts import SECOND_FACTOR_ROLES, CreateAccount, EnrolSecondFactor, Role

    made = opened.create_account(CreateAccount(
        username=username, role=role, region=region, agency=agency,
        password_hash=hash_password(password), by=by, at=datetime.now(UTC)))
    if Role(role) not in SECOND_FACTOR_ROLES:
        return None
    secret = new_secret()
    opened.enrol_second_factor(EnrolSecondFactor(
        record_id=made.aggregate_id, secret=secret, by=by, at=datetime.now(UTC)))
    return provisioning_uri(secret, username)
