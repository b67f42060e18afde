"""People who sign in during tests: every caller a test acts as has a real, enabled account.

`signed_in(app, settings, who)` makes `who`'s account on first use (password `PASSWORD`; a
second factor where the role needs one) and returns the Authorization header of a token such
as `/auth/token` gives them after signing in with both factors.
"""

from __future__ import annotations

from api.auth import WITH_SECOND_FACTOR, Principal, hash_password, issue_token
from api.second_factor import new_secret
from domain.accounts import SECOND_FACTOR_ROLES, Account, CreateAccount, EnrolSecondFactor, Role
from domain.application import Assured
from domain.errors import RecordNotFound
from infra.settings import Settings
from tests.refusals import at

PASSWORD = "correct horse battery staple"
_HASH = hash_password(PASSWORD)  # argon2 is slow on purpose: one hash for every test account


def account_for(app: Assured, who: Principal) -> Account:
    """`who`'s account, made if it does not exist yet (with a second factor where needed)."""
    try:
        return app.load(Account.create_id(who.username), Account)
    except RecordNotFound:
        pass
    made = app.create_account(CreateAccount(username=who.username, role=who.role,
                                            region=who.region, password_hash=_HASH,
                                            by="test setup", at=at(0)))
    if Role(who.role) in SECOND_FACTOR_ROLES:
        app.enrol_second_factor(EnrolSecondFactor(record_id=made.aggregate_id,
                                                  secret=new_secret(), by="test setup",
                                                  at=at(0)))
        return app.load(made.aggregate_id, Account)
    return made.record  # type: ignore[no-any-return]


def signed_in(app: Assured, settings: Settings, who: Principal) -> dict[str, str]:
    """Authorization headers for `who`, signed in (their account made on first use)."""
    account_for(app, who)
    return {"Authorization": f"Bearer {issue_token(who, settings, amr=WITH_SECOND_FACTOR)}"}
