"""Reminders by email, against the running system and a real SMTP server (aiosmtpd, on the
loopback, started here): what the processes ask of people reaches them, before it is due, once
overdue and in a daily digest, with nothing personal in it, and never twice."""

from __future__ import annotations

import asyncio
import email
import email.policy
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from domain.accounts import Role
from infra.mail import SmtpOutbox, outbox
from infra.settings import SmtpTls
from infra.temporal import connect
from infra.worker import obligations_on
from tests.e2e.conftest import System
from tests.e2e.test_import import assured
from tests.servers import free_port
from workflows.reminders.activities import ReminderActivities
from workflows.reminders.types import Mailed, RemindersInput
from workflows.reminders.workflow import RemindersWorkflow

CANARY = "Canary<script>alert('x')</script>"
SAFEGUARDER = f"Morag {CANARY} Stewart"
SAFEGUARDER_EMAIL = "morag.canary@example.org"
SAFEGUARDER_PHONE = "0131 496 0999"
CHILD = "C-2026-0777"


class Inbox:
    """aiosmtpd's handler: every message the server accepted, parsed."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(email.message_from_bytes(  # type: ignore[arg-type]
            envelope.content, policy=email.policy.default))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def moment(day: date) -> str:
    return datetime.combine(day, time(9), UTC).isoformat()


def personal_text() -> list[str]:
    return [CANARY, "Canary", "Morag", "Stewart", SAFEGUARDER_EMAIL, SAFEGUARDER_PHONE, CHILD,
            "neglect", "home visit", "A-canary"]


def assert_nothing_personal(messages: list[EmailMessage]) -> None:
    for message in messages:
        whole = message.as_string()
        for text in personal_text():
            assert text.lower() not in whole.lower(), (text, message["Subject"])


def records(system: System, today: date) -> dict[str, str]:
    """A case with an action due in two days and one overdue, and an appointed Safeguarder,
    all past-dated and carrying hostile text."""
    admin = system.who(Role.PANEL_ADMIN, "pa-1")
    supervisor = system.who(Role.SUPERVISOR, "su-1")
    system.who(Role.PRACTITIONER, "pr-1")
    system.who(Role.SUPPORT_MANAGER, "sm-a", "East")
    region = system.post("/regions", admin, region="East",
                         at=moment(today - timedelta(days=400))).json()["id"]
    assert system.post(f"/regions/{region}/add-support-manager", admin, manager="sm-a",
                       at=moment(today - timedelta(days=399))).status_code == 200
    made = system.post("/safeguarders", admin, name=SAFEGUARDER, region="East",
                       contact={"email": SAFEGUARDER_EMAIL, "phone": SAFEGUARDER_PHONE},
                       at=moment(today - timedelta(days=390)))
    assert made.status_code == 201, made.text
    s = made.json()["id"]
    for days, verb, body in ((380, "record-interview", {"passed": True}),
                             (370, "record-assessment", {"passed": True}),
                             (360, "appoint", {"term_starts_on": (
                                 today - timedelta(days=355)).isoformat()}),
                             (354, "allocate", {"manager": "sm-a"})):
        answer = system.post(f"/safeguarders/{s}/{verb}", admin,
                             at=moment(today - timedelta(days=days)), **body)
        assert answer.status_code == 200, answer.text
    opened = system.post("/cases", supervisor, child_reference=CHILD,
                         agency="Children's social care", practitioner="pr-1", supervisor="su-1",
                         legal_status="child_protection", risk="high", nation="ENG",
                         at=moment(today - timedelta(days=60)))
    assert opened.status_code == 201, opened.text
    c = opened.json()["id"]
    answer = system.post(
        f"/cases/{c}/record-discussion", supervisor, at=moment(today - timedelta(days=50)),
        discussion_id="D-1", supervisor="su-1", supervisee="pr-1", needs=f"neglect {CANARY}",
        risks="neglect", engagement="some", capacity_for_change="some", plan="home visit",
        rag="R", next_discussion_on=(today + timedelta(days=20)).isoformat(),
        actions=[{"action_id": "A-canary-1", "description": f"home visit {CANARY}",
                  "owner": "pr-1", "due": (today + timedelta(days=2)).isoformat()},
                 {"action_id": "A-canary-2", "description": "home visit with health",
                  "owner": "pr-1", "due": (today - timedelta(days=10)).isoformat()}])
    assert answer.status_code == 200, answer.text
    return {"safeguarder": s, "case": c}


def test_reminders_reach_people_by_email_once_with_nothing_personal_in_them(
    system: System, smtp: tuple[Inbox, int],
) -> None:
    inbox, port = smtp
    today = datetime.now(UTC).date()
    ids = records(system, today)
    # Addresses are the accounts': set through `assured users email`, by the person over
    # HTTP, or by the panel admin.
    assert assured(system, "users", "email", "pr-1", "pr-1@example.org").exit_code == 0
    practitioner = system.who(Role.PRACTITIONER, "pr-1")
    manager = system.who(Role.SUPPORT_MANAGER, "sm-a", "East")
    supervisor = system.who(Role.SUPERVISOR, "su-1")
    admin = system.who(Role.PANEL_ADMIN, "pa-1")
    assert system.post("/accounts/su-1/email", supervisor,
                       email="su-1@example.org").status_code == 204
    assert system.post("/accounts/sm-a/email", admin, email="sm-a@example.org").status_code == 204
    assert system.post("/accounts/sm-a/email", practitioner,
                       email="pr-1@example.org").status_code == 403  # not theirs
    refused = system.post("/accounts/pa-1/email", admin, email="Pat <pa-1@example.org>")
    assert refused.status_code == 409 and "one plain address" in refused.json()["detail"]
    system.until(lambda: len(system.http.get("/my-work", headers=practitioner).json()) == 2
                 and system.http.get("/my-work", headers=manager).json())

    smtp_out = SmtpOutbox("127.0.0.1", port, SmtpTls.NONE)
    sending = ReminderActivities(system.app, obligations_on(system.app), smtp_out,
                                 web_url=system.url,
                                 sender="assured@example.org", reminder_days=5)
    first = sending.send_reminders(today.isoformat())
    to = {(m["To"], m["Subject"].split(":")[1].strip().split(" ")[0]) for m in inbox.messages}
    assert ("pr-1@example.org", "due") in to          # the action due in two days
    assert ("pr-1@example.org", "overdue") in to      # the one ten days late
    assert {("pr-1@example.org", "your"), ("sm-a@example.org", "your"),
            ("su-1@example.org", "your")} <= to        # each one's digest
    assert first.reminders >= 1 and first.overdue >= 1 and first.digests == 3
    soon = today + timedelta(days=2)
    reminder = next(m for m in inbox.messages if m["To"] == "pr-1@example.org"
                    and m["Subject"] == f"Assured: due on {soon.day} {soon:%B %Y}")
    assert f"{system.url}/app/cases/{ids['case']}" in reminder.get_content()
    assert "a child's case" in reminder.get_content()
    digest = next(m for m in inbox.messages if m["To"] == "sm-a@example.org")
    assert f"/app/safeguarders/{ids['safeguarder']}" in digest.get_content()
    assert_nothing_personal(inbox.messages)
    assert len({m["Message-ID"] for m in inbox.messages}) == len(inbox.messages)

    # A retried activity sends nothing twice.
    count = len(inbox.messages)
    again = sending.send_reminders(today.isoformat())
    assert len(inbox.messages) == count
    assert again == Mailed(already_sent=count)

    # The daily process, on the running worker, with the embedded default's outbox: the mail
    # folder. The next day brings each person a new digest; the reminders went out already.
    async def next_day() -> Mailed:
        client = await connect(system.settings)
        return await client.execute_workflow(
            RemindersWorkflow.run, RemindersInput((today + timedelta(days=1)).isoformat()),
            id=f"reminders-test-{today}", task_queue=system.settings.task_queue,
            result_type=Mailed)

    mailed = asyncio.run(next_day())
    folder = system.settings.data_dir / "mail"
    written = [email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
               for p in sorted(folder.glob("*.eml"))]
    assert mailed.digests == 3 and mailed.reminders == 0 and len(written) == 3
    assert {m["To"] for m in written} == {"pr-1@example.org", "su-1@example.org",
                                          "sm-a@example.org"}
    assert_nothing_personal(written)  # type: ignore[arg-type]
    assert outbox(system.settings).folder == folder  # type: ignore[union-attr]
    assert "read_models_stopped" not in system.http.get("/readyz").json()["checks"]
