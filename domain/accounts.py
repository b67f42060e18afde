"""People who sign in, and the log of who looked at what.

- `Account`: a local sign-in for the embedded default (production uses the organisation's
  OpenID Connect provider). Events: Created, PasswordChanged, Disabled. Only a password hash is
  ever recorded.
- `View`: one per read of a record or its history (who, through which route, when); nothing of
  the content. Event: Recorded.
"""

from __future__ import annotations

import re
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from eventsourcing.domain import event

from domain.errors import require
from domain.panel import Region
from domain.record import Record, check_instant, natural_id


class Role(StrEnum):
    PANEL_ADMIN = "panel_admin"
    SUPPORT_MANAGER = "support_manager"
    MENTORING_COORDINATOR = "mentoring_coordinator"
    PRACTITIONER = "practitioner"
    SUPERVISOR = "supervisor"
    PRACTICE_REVIEW_MEMBER = "practice_review_member"
    AUDITOR = "auditor"
    OPS = "ops"


USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,62}$")


class Account(Record):
    @staticmethod
    def create_id(username: str) -> UUID:
        return natural_id("account", username)

    @classmethod
    def create(cls, *, username: str, role: Role | str, region: Region | str | None,
               password_hash: str, by: str, at: datetime) -> Account:
        check_instant(at)
        require(bool(USERNAME.match(username)), "A username is 2 to 63 lower-case letters, "
                "digits, dots, hyphens or underscores")
        require(role in list(Role), f"A role is one of {', '.join(Role)}")
        require(role != Role.SUPPORT_MANAGER or region in list(Region),
                "A support manager's account names their region")
        require(password_hash.startswith("$argon2"), "Only an argon2 password hash is stored")
        return cls(username=username, role=Role(role), region=region,
                   password_hash=password_hash, actor=by, occurred_on=at)

    @event("Created")
    def __init__(self, *, username: str, role: str, region: str | None, password_hash: str,
                 actor: str, occurred_on: datetime) -> None:
        self.opened_on = occurred_on
        self.username, self.role, self.region = username, Role(role), region
        self.password_hash = password_hash
        self.disabled = False

    def change_password(self, password_hash: str, *, by: str, at: datetime) -> None:
        self.check_after_opening(at)
        require(password_hash.startswith("$argon2"), "Only an argon2 password hash is stored")
        self._password_changed(password_hash=password_hash, actor=by, occurred_on=at)

    @event("PasswordChanged")
    def _password_changed(self, *, password_hash: str, actor: str, occurred_on: datetime) -> None:
        self.password_hash = password_hash

    def disable(self, reason: str, *, by: str, at: datetime) -> None:
        self.check_after_opening(at)
        require(not self.disabled, "An account is disabled once")
        require(bool(reason.strip()), "Disabling an account needs a reason")
        self._disabled(reason=reason, actor=by, occurred_on=at)

    @event("Disabled")
    def _disabled(self, *, reason: str, actor: str, occurred_on: datetime) -> None:
        self.disabled = True


class View(Record):
    """One read of a record: who read it, through which route, when. Nothing of the content.

    One record per read, so readers never contend; `projections/access_log.py` lists them.
    """

    @classmethod
    def record(cls, record_id: UUID, route: str, *, by: str, at: datetime) -> View:
        check_instant(at)
        return cls(record_id=record_id, route=route, actor=by, occurred_on=at)

    @event("Recorded")
    def __init__(self, *, record_id: UUID, route: str, actor: str, occurred_on: datetime) -> None:
        self.opened_on = occurred_on
        self.record_id = record_id
        self.route = route
