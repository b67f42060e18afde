"""Sessions that end: on every request, the account must still stand and the token must not be
revoked.

- **The account.** A local token is accepted only for an account that exists, is enabled and
  holds the token's role (the role and region come from the account), and, for a role that
  needs one, only if the person gave a second factor. What the store says of an account is
  kept for `ASSURED_SESSION_CHECK_SECONDS` (5 by default): a disabled account is refused within
  that long, on every replica. In OIDC mode the provider keeps the accounts.
- **Revocation.** Logout revokes its token (by `jti`, or a hash of a token without one), and
  disabling an account revokes every token it was issued before then, until they expire: rows
  of `api_revoked` in PostgreSQL, so every replica sees them. Each process reads the rows still
  in force at most every `ASSURED_SESSION_CHECK_SECONDS`, and its own revocations at once.

A request never waits for either read once it has been made: a copy older than the period is
read again in the background, and the request is answered from the copy it has (the first
request for a name, and the process's first request, wait for theirs).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Generic, TypeVar

from anyio import to_thread

from api.auth import Principal, Session, SignInFailed
from domain.accounts import Account, Role
from domain.application import Assured
from domain.errors import RecordNotFound
from infra.settings import AuthMode, Settings

log = logging.getLogger("assured.auth")
T = TypeVar("T")

DDL = """
CREATE TABLE IF NOT EXISTS api_revoked (
    token_id text,                   -- one token (logout)
    username text,                   -- or every token of this account ...
    issued_before double precision,  -- ... issued before this instant (epoch seconds; disabled)
    expires_at timestamptz NOT NULL, -- kept until then: no token it names outlives it
    revoked_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS api_revoked_expires ON api_revoked (expires_at);
"""


def create_table(app: Assured) -> None:
    with app.recorder.datastore.transaction(commit=True) as curs:  # type: ignore[attr-defined]
        curs.execute(DDL)


@dataclass(frozen=True)
class Standing:
    """What a request needs to know of an account."""

    role: Role
    region: str | None
    disabled: bool
    needs_second_factor: bool


@dataclass
class Revoked:
    token_ids: set[str] = field(default_factory=set)
    before: dict[str, float] = field(default_factory=dict)  # username -> issued before

    def holds(self, session: Session) -> bool:
        before = self.before.get(session.principal.username)
        return session.token_id in self.token_ids or (
            before is not None and session.issued_at < before)


class Fresh(Generic[T]):
    """A value read again in the background once older than `period`; the first read is
    waited for. A copy three periods old is waited for too (its reads are failing)."""

    def __init__(self, read: Callable[[], T], period: float) -> None:
        self.read, self.period = read, period
        self.value: T | None = None
        self.read_at = float("-inf")
        self.task: asyncio.Future[None] | None = None

    async def get(self) -> T:
        age = time.monotonic() - self.read_at
        if age > self.period and (self.task is None or self.task.done()):
            self.task = asyncio.ensure_future(self._read())
            self.task.add_done_callback(_seen)
        if self.value is None or age > 3 * self.period:
            assert self.task is not None
            await asyncio.shield(self.task)
        assert self.value is not None
        return self.value

    async def _read(self) -> None:
        started = time.monotonic()
        try:
            self.value = await to_thread.run_sync(self.read)
        except Exception as failure:
            log.warning("Reading sessions' standing failed: %s", type(failure).__name__)
            raise
        self.read_at = started


def _seen(task: asyncio.Future[None]) -> None:
    """A background read that failed was logged; its copy stays until a read succeeds."""
    if not task.cancelled():
        task.exception()


class Sessions:
    def __init__(self, app: Assured, settings: Settings) -> None:
        self.app, self.settings = app, settings
        self.local = settings.auth_mode == AuthMode.LOCAL
        self.period = settings.session_check_seconds
        self.revoked = Fresh(self._read_revoked, self.period)
        self.mine = Revoked()  # revoked by this process: in force at once
        self.accounts: dict[str, Fresh[Standing | bool]] = {}

    async def admit(self, session: Session) -> Principal:
        """The caller, if the token is not revoked and (local sign-in) the account stands."""
        revoked = await self.revoked.get()
        if revoked.holds(session) or self.mine.holds(session):
            raise SignInFailed
        if not self.local:
            return session.principal
        who = session.principal
        standing = await self._account(who.username).get()
        if not isinstance(standing, Standing) or standing.disabled or standing.role != who.role:
            raise SignInFailed
        if standing.needs_second_factor and not session.second_factor:
            raise SignInFailed
        return Principal(who.username, standing.role, standing.region)

    def _account(self, username: str) -> Fresh[Standing | bool]:
        found = self.accounts.get(username)
        if found is None:
            found = self.accounts[username] = Fresh(lambda: self._read_account(username),
                                                    self.period)
        return found

    def _read_account(self, username: str) -> Standing | bool:
        try:
            account = self.app.load(Account.create_id(username), Account)
        except (RecordNotFound, ValueError):
            return False  # no such account (remembered as such for the period)
        return Standing(Role(account.role), account.region, account.disabled,
                        account.needs_second_factor)

    def _read_revoked(self) -> Revoked:
        found = Revoked()
        with self.app.recorder.datastore.transaction(commit=False) as curs:  # type: ignore[attr-defined]
            curs.execute("SELECT token_id, username, issued_before FROM api_revoked "
                         "WHERE expires_at > now()")
            for row in curs.fetchall():  # the store's cursors answer dictionaries
                if row["token_id"] is not None:
                    found.token_ids.add(row["token_id"])
                elif row["username"] is not None:
                    before = row["issued_before"]
                    found.before[row["username"]] = max(before,
                                                        found.before.get(row["username"], before))
        return found

    def revoke(self, session: Session) -> None:
        """Logout: the token is refused from now on, here at once and on every replica."""
        self.mine.token_ids.add(session.token_id)
        expires = datetime.fromtimestamp(session.expires_at, UTC)
        _insert(self.app, token_id=session.token_id, username=None, before=None,
                expires=expires)

    def revoke_account(self, username: str) -> None:
        """Every token the account holds now is refused from now on (it was disabled)."""
        now = time.time()
        self.mine.before[username] = now
        self.accounts.pop(username, None)
        revoke_account(self.app, self.settings, username, now)


def revoke_account(app: Assured, settings: Settings, username: str,
                   now: float | None = None) -> None:
    """Revoke every token issued to `username` before `now` (for the command line too)."""
    now = time.time() if now is None else now
    lifetime = timedelta(minutes=settings.token_minutes) if settings.auth_mode == AuthMode.LOCAL \
        else timedelta(days=1)  # a provider's tokens are short-lived; a day is well past them
    _insert(app, token_id=None, username=username, before=now,
            expires=datetime.fromtimestamp(now, UTC) + lifetime)


def _insert(app: Assured, *, token_id: str | None, username: str | None, before: float | None,
            expires: datetime) -> None:
    with app.recorder.datastore.transaction(commit=True) as curs:  # type: ignore[attr-defined]
        curs.execute("DELETE FROM api_revoked WHERE expires_at < now()")
        curs.execute("INSERT INTO api_revoked (token_id, username, issued_before, expires_at) "
                     "VALUES (%s, %s, %s, %s)", (token_id, username, before, expires))
