"""People who sign in, and the log of who looked at what.

- `Account`: a local sign-in for the embedded default (production uses the organisation's
  OpenID Connect provider). Events: Created, PasswordChanged, Disabled, SecondFactorEnrolled, EmailSet (where
  the processes' reminders are sent).
  Only a password hash is ever recorded; the second factor's TOTP secret is recorded (event
  payloads are encrypted at rest), since the server must compute the codes.
- `View`: one per read of a record, its history, a list, a register or a report (who, which,
  through which route, with which filters, when); nothing of the content. Event: Recorded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from domain.commands import Command, RecordCommand
from domain.errors import require
from domain.panel_values import Region
from domain.record import Record, natural_id
from domain.text import Narrative, Short


class Role(StrEnum):
    PANEL_ADMIN = "panel_admin"
    SUPPORT_MANAGER = "support_manager"
    MENTORING_COORDINATOR = "mentoring_coordinator"
    PRACTITIONER = "practitioner"
    SUPERVISOR = "supervisor"
    PRACTICE_REVIEW_MEMBER = "practice_review_member"
    BUSINESS_UNIT = "business_unit"  # the partnership's business unit (seed 004)
    LEADER = "leader"  # a Director of Children's Services or an Elected Lead Member (seed 001)
    AUDITOR = "auditor"
    OPS = "ops"
    AGENCY_CONTRIBUTOR = "agency_contributor"
    """Answers what is asked of one agency (police, health, ...): its account names the agency."""
    DATA_PROTECTION_OFFICER = "data_protection_officer"
    """Erases, holds and exports any data subject's record (api/policy.py); sees no record
    through the other doors."""


USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,62}$")
TOTP_SECRET = re.compile(r"^[A-Z2-7]{32}$")  # 160 bits, base32 (RFC 4226's recommended size)

# Roles whose local accounts sign in with a second factor (a TOTP code after the password): the
# account administrator, the two roles that see across every record or every process, and the
# data protection officer, who erases and exports any data subject's record.
SECOND_FACTOR_ROLES = frozenset({Role.PANEL_ADMIN, Role.AUDITOR, Role.OPS,
                                 Role.DATA_PROTECTION_OFFICER})


@dataclass(frozen=True, kw_only=True)
class CreateAccount(Command, kind="account", creates=True):
    """Create a local account (only the password's argon2 hash is recorded)."""

    username: Short
    role: Role
    region: Region | None = None
    password_hash: Short
    agency: Short | None = None
    """The agency an agency contributor answers for (the name requests address it by)."""


@dataclass(frozen=True, kw_only=True)
class ChangePassword(RecordCommand, kind="account"):
    """Replace an account's password hash."""

    password_hash: Short


@dataclass(frozen=True, kw_only=True)
class DisableAccount(RecordCommand, kind="account"):
    """Disable an account, with a reason: it signs in no more."""

    reason: Narrative


@dataclass(frozen=True, kw_only=True)
class EnrolSecondFactor(RecordCommand, kind="account"):
    """Record the TOTP secret of an account's second factor (`replace` for an operator's reset)."""

    secret: Short
    replace: bool = False


@dataclass(frozen=True, kw_only=True)
class SetAccountEmail(RecordCommand, kind="account"):
    """Record the address an account's reminders are sent to (empty: send none)."""

    email: Short


EMAIL = re.compile(r"^[^@\s<>\"',;]+@[^@\s<>\"',;]+\.[^@\s<>\"',;]+$")
"""A plain address (local@domain.tld): no display name, no list, nothing a header could split."""


@dataclass(frozen=True, kw_only=True)
class RecordView(Command, kind="view", creates=True):
    """Record one read of a record, a list or a report: who, which, through which route, with
    which filters (the query, never the content)."""

    viewed: UUID
    route: Short
    filters: Short = ""


def list_id(route: str) -> UUID:
    """The id a list, register or report is logged under (its route template)."""
    return natural_id("list", route)


class Account(Record):
    @staticmethod
    def create_id(username: str) -> UUID:
        return natural_id("account", username)

    @classmethod
    def create(cls, c: CreateAccount) -> Account:
        require(bool(USERNAME.match(c.username)), "A username is 2 to 63 lower-case letters, "
                "digits, dots, hyphens or underscores")
        require(c.role != Role.SUPPORT_MANAGER or c.region is not None,
                "A support manager's account names their region")
        require((c.role == Role.AGENCY_CONTRIBUTOR) == bool(c.agency and c.agency.strip()),
                "An agency contributor's account names their agency, and only theirs does")
        require(c.password_hash.startswith("$argon2"), "Only an argon2 password hash is stored")
        return cls(username=c.username, role=c.role, region=c.region,
                   password_hash=c.password_hash, agency=c.agency, actor=c.by,
                   occurred_on=c.at)

    @event("Created")
    def __init__(self, *, username: str, role: str, region: str | None, password_hash: str,
                 actor: str, occurred_on: datetime, agency: str | None = None) -> None:
        self.opened_on = occurred_on
        self.username, self.role, self.region = username, Role(role), region
        self.agency = agency
        self.password_hash = password_hash
        self.disabled = False
        self.second_factor: str | None = None

    @property
    def needs_second_factor(self) -> bool:
        return Role(self.role) in SECOND_FACTOR_ROLES or self.second_factor is not None

    def change_password(self, c: ChangePassword) -> None:
        self.check_after_opening(c.at)
        require(c.password_hash.startswith("$argon2"), "Only an argon2 password hash is stored")
        self._password_changed(password_hash=c.password_hash, actor=c.by, occurred_on=c.at)

    @event("PasswordChanged")
    def _password_changed(self, *, password_hash: str, actor: str, occurred_on: datetime) -> None:
        self.password_hash = password_hash

    def disable(self, c: DisableAccount) -> None:
        self.check_after_opening(c.at)
        require(not self.disabled, "An account is disabled once")
        require(bool(c.reason.strip()), "Disabling an account needs a reason")
        self._disabled(reason=c.reason, actor=c.by, occurred_on=c.at)

    @event("Disabled")
    def _disabled(self, *, reason: str, actor: str, occurred_on: datetime) -> None:
        self.disabled = True

    def enrol_second_factor(self, c: EnrolSecondFactor) -> None:
        self.check_after_opening(c.at)
        require(not self.disabled, "A disabled account enrols nothing")
        require(bool(TOTP_SECRET.match(c.secret)), "A second factor's secret is 32 base32 "
                "characters")
        require(self.__dict__.get("second_factor") is None or c.replace,
                "A second factor is enrolled once; an operator replaces it")
        self._second_factor_enrolled(secret=c.secret, actor=c.by, occurred_on=c.at)

    def set_email(self, c: SetAccountEmail) -> None:
        self.check_after_opening(c.at)
        require(not self.disabled, "A disabled account is sent no reminders")
        require(c.email == "" or bool(EMAIL.match(c.email)),
                "An account's email is one plain address, local@domain")
        self._email_set(email=c.email, actor=c.by, occurred_on=c.at)

    @event("EmailSet")
    def _email_set(self, *, email: str, actor: str, occurred_on: datetime) -> None:
        self.email = email

    @event("SecondFactorEnrolled")
    def _second_factor_enrolled(self, *, secret: str, actor: str, occurred_on: datetime) -> None:
        self.second_factor = secret


class View(Record):
    """One read of a record: who read it, through which route, when. Nothing of the content.

    One record per read, so readers never contend; `projections/access_log.py` lists them.
    A list's read is logged under `list_id(route)`, with its filters.
    """

    class Recorded(Record.Created):
        """Version 2 added `filters`; version 1 events (reads of one record) load with none."""

        class_version = 2
        record_id: UUID
        route: str
        filters: str
        actor: str
        occurred_on: datetime

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["filters"] = ""

    @classmethod
    def record(cls, c: RecordView) -> View:
        return cls(record_id=c.viewed, route=c.route, filters=c.filters, actor=c.by,
                   occurred_on=c.at)

    @event(Recorded)
    def __init__(self, *, record_id: UUID, route: str, filters: str, actor: str,
                 occurred_on: datetime) -> None:
        self.opened_on = occurred_on
        self.record_id = record_id
        self.route = route
        self.filters = filters
