"""The reminders' activity: what the processes ask of each person (`projections.obligations`,
the one list My work reads), sent to them by email: a reminder `reminder_days` before an item
is due, a notice once it is overdue, and a digest of everything open, once a day.

- **Who**: an obligation asked of a person by name goes to that person's account; one asked of
  a role (no one named) to every enabled account of that role, as My work shows it. The
  address is the account's (`SetAccountEmail`); an account without one is sent nothing.
- **What**: the kind of record, the due date and a link to the page, never a child's or a
  Safeguarder's name, contact or any text typed into a record (the link's page shows those to
  whoever may read them, after sign-in).
- **Once**: each mail has a row in `mail_sent`, keyed by (person, item, kind, due date),
  claimed before the send and marked sent after it. A retried activity skips what was marked
  sent; one that stopped between the send and the mark sends again with the same Message-ID,
  which mail systems use to drop the duplicate.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any, Protocol
from uuid import UUID

from eventsourcing.utils import get_topic
from temporalio import activity

from domain.accounts import Account
from domain.application import Assured
from domain.due import DueState
from workflows.reminders.types import Mailed

PAGE = 500

KIND_WORDS = {"safeguarder": "a Safeguarder's record", "case": "a child's case",
              "review": "a practice review", "audit": "a multi-agency audit",
              "public-submission": "feedback from the public",
              "arrangement": "a supervision arrangement",
              "assurance-cycle": "a quarterly assurance cycle", "forward-plan": "the forward plan"}
"""Each record kind in words: all an email says of the record."""

PAGES = {"safeguarder": "/app/safeguarders/{id}", "case": "/app/cases/{id}",
         "review": "/app/reviews/{id}", "audit": "/app/audits/{id}",
         "public-submission": "/app/submissions/{id}"}
"""The page of a record; other kinds link to My work."""

MY_WORK = "/app/my-work"


class Obligation(Protocol):
    """One thing a process asks of someone (`projections.obligations.Obligation`, read by the
    wiring: workflows and projections do not import each other)."""

    kind: str
    record_id: UUID
    what: str
    due_on: date
    state: DueState
    role: str
    person: str | None

    @property
    def open(self) -> bool: ...


class Outbox(Protocol):
    """Where a finished message goes (`infra.mail`: SMTP, or a folder)."""

    def send(self, message: EmailMessage) -> None: ...


@dataclass(frozen=True)
class Person:
    username: str
    role: str
    email: str


@dataclass(frozen=True)
class Mail:
    person: Person
    kind: str        # reminder, overdue, digest
    item: str        # a hash of the obligation (a digest: "digest")
    due_on: date
    about: tuple[Obligation, ...]

    @property
    def message_id(self) -> str:
        key = "\n".join([self.person.username, self.item, self.kind, self.due_on.isoformat()])
        return f"<{hashlib.sha256(key.encode()).hexdigest()[:40]}@reminders.assured>"


def people(app: Assured) -> list[Person]:
    """Every enabled account with an address (the accounts' openings, from the log)."""
    found, start = [], None
    topic = get_topic(Account.Created)  # type: ignore[attr-defined]
    while True:
        page = app.recorder.select_notifications(start, PAGE, topics=[topic])
        for notification in page:
            account = app.load(notification.originator_id, Account, private=False)
            email = account.__dict__.get("email") or ""
            if email and not account.disabled:
                found.append(Person(account.username, str(account.role), email))
        if len(page) < PAGE:
            return found
        start = page[-1].id + 1


def item_key(o: Obligation) -> str:
    return hashlib.sha256(f"{o.kind}\n{o.record_id}\n{o.what}".encode()).hexdigest()


def asked_of(person: Person, o: Obligation) -> bool:
    return o.person == person.username or (o.person is None and o.role == person.role)


def plan(found: Iterable[Obligation], everyone: list[Person], on: date,
         reminder_days: int) -> list[Mail]:
    """The mail for `on`: per person, a reminder for each item due within `reminder_days`, a
    notice for each overdue one, and one digest of all their open items."""
    open_items = [o for o in found if o.open]
    mails = []
    for person in everyone:
        mine = [o for o in open_items if asked_of(person, o)]
        for o in mine:
            if o.state == DueState.OVERDUE:
                mails.append(Mail(person, "overdue", item_key(o), o.due_on, (o,)))
            elif (o.due_on - on).days <= reminder_days:
                mails.append(Mail(person, "reminder", item_key(o), o.due_on, (o,)))
        if mine:
            mails.append(Mail(person, "digest", "digest", on, tuple(mine)))
    return mails


def _day(d: date) -> str:
    return f"{d:%d %B %Y}".lstrip("0")


class ReminderActivities:
    """`obligations_on(day)`: everything asked of people that day (the one list My work reads,
    `projections.obligations`); `outbox`: where the mail goes (`infra.mail`)."""

    def __init__(self, app: Assured, obligations_on: Callable[[date], Sequence[Obligation]],
                 outbox: Outbox, *, web_url: str, sender: str, reminder_days: int = 5,
                 send_hour: int = 7) -> None:
        self.app, self.obligations_on = app, obligations_on
        self.outbox, self.web_url = outbox, web_url.rstrip("/")
        self.sender, self.reminder_days, self.send_hour = sender, reminder_days, send_hour

    @activity.defn
    def send_reminders(self, day: str) -> Mailed:
        """Send `day`'s reminders, overdue notices and digests; nothing sent before again."""
        on = date.fromisoformat(day)
        found = self.obligations_on(on)
        everyone = people(self.app)
        sent = {"reminder": 0, "overdue": 0, "digest": 0, "already": 0}
        for mail in plan(found, everyone, on, self.reminder_days):
            if not self._claim(mail):
                sent["already"] += 1
                continue
            self.outbox.send(self.message(mail, on))
            self._mark_sent(mail)
            sent[mail.kind] += 1
        return Mailed(sent["reminder"], sent["overdue"], sent["digest"], sent["already"])

    # --- the ledger -------------------------------------------------------------------------

    def _claim(self, mail: Mail) -> bool:
        """Whether to send: a new row, or one claimed by an attempt that never marked it."""
        key = (mail.person.username, mail.item, mail.kind, mail.due_on)
        with self.app.recorder.datastore.transaction(commit=True) as curs:  # type: ignore[attr-defined]
            curs.execute("INSERT INTO mail_sent (person, item, kind, due_on, message_id) "
                         "VALUES (%s, %s, %s, %s, %s) ON CONFLICT DO NOTHING RETURNING 1",
                         (*key, mail.message_id))
            if curs.fetchone() is not None:
                return True
            curs.execute("SELECT sent_at FROM mail_sent WHERE person = %s AND item = %s "
                         "AND kind = %s AND due_on = %s", key)
            row: Any = curs.fetchone()
            return row is not None and row["sent_at"] is None

    def _mark_sent(self, mail: Mail) -> None:
        with self.app.recorder.datastore.transaction(commit=True) as curs:  # type: ignore[attr-defined]
            curs.execute("UPDATE mail_sent SET sent_at = now() WHERE person = %s AND item = %s "
                         "AND kind = %s AND due_on = %s",
                         (mail.person.username, mail.item, mail.kind, mail.due_on))

    # --- the message ------------------------------------------------------------------------

    def link(self, o: Obligation) -> str:
        return self.web_url + PAGES.get(o.kind, MY_WORK).format(id=o.record_id)

    def message(self, mail: Mail, on: date) -> EmailMessage:
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = mail.person.email
        message["Message-ID"] = mail.message_id
        message["Date"] = format_datetime(datetime.combine(on, time(self.send_hour), UTC))
        message["Subject"], body = self._words(mail, on)
        message.set_content(body + f"\n\nAll that is asked of you: {self.web_url}{MY_WORK}\n\n"
                            "This message holds no details of the record: sign in to see "
                            "them.\n")
        return message

    def _words(self, mail: Mail, on: date) -> tuple[str, str]:
        if mail.kind == "digest":
            lines = [f"- {KIND_WORDS.get(o.kind, 'a record')}: due on {_day(o.due_on)}"
                     f"{' (overdue)' if o.state == DueState.OVERDUE else ''}: {self.link(o)}"
                     for o in mail.about]
            return (f"Assured: your work on {_day(on)} ({len(lines)} "
                    f"item{'s' if len(lines) != 1 else ''})",
                    f"What the processes ask of you on {_day(on)}:\n\n" + "\n".join(lines))
        o = mail.about[0]
        words = KIND_WORDS.get(o.kind, "a record")
        if mail.kind == "overdue":
            return (f"Assured: overdue since {_day(o.due_on)}",
                    f"Something asked of you on {words} was due on {_day(o.due_on)} and is "
                    f"overdue.\n\nOpen it: {self.link(o)}")
        return (f"Assured: due on {_day(o.due_on)}",
                f"Something asked of you on {words} is due on {_day(o.due_on)}.\n\n"
                f"Open it: {self.link(o)}")
