"""The panel team's care of local accounts: disable one (its tokens stop working), unlock a name
that failed sign-in too often, set where an account's reminders are emailed."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from anyio import to_thread
from fastapi import APIRouter, Body, Path, Request

from api.access import denied
from api.deps import App, Caller
from api.policy import Action, Decision, may_disable_accounts, may_set_email, may_unlock_names
from api.problems import RESPONSES, not_found
from domain.accounts import Account, DisableAccount, SetAccountEmail
from domain.errors import RecordNotFound

router = APIRouter(prefix="/accounts", tags=["accounts"], responses=RESPONSES)

Username = Annotated[str, Path(min_length=1, max_length=200)]


def _account_of(app: App, username: str) -> Account:
    try:
        return app.load(Account.create_id(username), Account)
    except (RecordNotFound, ValueError):
        raise not_found() from None


@router.post("/{username}/disable", status_code=204)
def disable(request: Request, username: Username, app: App, who: Caller,
            reason: Annotated[str, Body(embed=True, max_length=20_000)]) -> None:
    """Disable a local account, with a reason: every token it holds is refused from now on."""
    if not may_disable_accounts(who):
        raise denied(who, Action.WRITE, "account", None, Decision.FORBIDDEN)
    account = _account_of(app, username)
    app.disable_account(DisableAccount(record_id=account.id, reason=reason, by=who.username,
                                       at=datetime.now(UTC)))
    request.app.state.sessions.revoke_account(username)


@router.post("/{username}/unlock", status_code=204)
async def unlock(request: Request, username: Username, who: Caller) -> None:
    """Let a name that failed sign-in too often try again at once (its owner, locked out)."""
    if not may_unlock_names(who):
        raise denied(who, Action.WRITE, "account", None, Decision.FORBIDDEN)
    await to_thread.run_sync(request.app.state.throttle.unlock, username, who.role.value)


@router.post("/{username}/email", status_code=204)
def set_email(username: Username, app: App, who: Caller,
              email: Annotated[str, Body(embed=True, max_length=200)]) -> None:
    """Set the address an account's reminders and daily digest are sent to ("" for none)."""
    if not may_set_email(who, username):
        raise denied(who, Action.WRITE, "account", None, Decision.FORBIDDEN)
    account = _account_of(app, username)
    app.set_account_email(SetAccountEmail(record_id=account.id, email=email, by=who.username,
                                          at=datetime.now(UTC)))
