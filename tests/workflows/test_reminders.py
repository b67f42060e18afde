"""The daily reminders process on the Temporal dev server: its activity fails half way (the mail
server went away after taking the first message), Temporal retries it, and each message is
sent once; a second run for the same day sends nothing. The mail goes to the embedded
default's folder; the ledger is the real table in PostgreSQL."""

from __future__ import annotations

import email
import email.policy
import uuid
from datetime import date, timedelta
from email.message import EmailMessage
from pathlib import Path

from domain.accounts import Account, Role, SetAccountEmail
from domain.due import DueState
from infra.mail import FolderOutbox
from projections.obligations import Obligation
from tests.accounts import account_for
from tests.refusals import at
from tests.workflows.conftest import Running, keep_history
from api.auth import Principal
from workflows.reminders.activities import ReminderActivities
from workflows.reminders.types import Mailed, RemindersInput
from workflows.reminders.workflow import RemindersWorkflow
from workflows.worker import build_worker

DAY = date(2026, 3, 2)


class ServerGoneAfterOne:
    """The folder outbox, but the connection drops before the second message, once."""

    def __init__(self, folder: Path) -> None:
        self.inner, self.sent, self.dropped = FolderOutbox(folder), 0, False

    def send(self, message: EmailMessage) -> None:
        if self.sent == 1 and not self.dropped:
            self.dropped = True
            raise ConnectionResetError("the mail server closed the connection")
        self.inner.send(message)
        self.sent += 1


async def test_a_retried_day_of_reminders_sends_each_message_once(
        running: Running, tmp_path: Path) -> None:
    app = running.app
    account_for(app, Principal("pr-1", Role.PRACTITIONER, None))
    app.set_account_email(SetAccountEmail(record_id=Account.create_id("pr-1"),
                                          email="pr-1@example.org", by="pa-1", at=at(0)))
    case_id = uuid.uuid4()
    asked = [Obligation("case", case_id, "Agreed action A-1", DAY + timedelta(days=3),
                        DueState.DUE, "practitioner", "pr-1")]
    folder = tmp_path / "mail"
    sending = ReminderActivities(app, lambda on: asked, ServerGoneAfterOne(folder),
                                 web_url="https://assured.example.org", sender="a@example.org")
    task_queue = f"{running.task_queue}-mail"
    async with build_worker(running.client, app, task_queue, reminders=sending):
        first = await running.client.start_workflow(
            RemindersWorkflow.run, RemindersInput(DAY.isoformat()),
            id=f"reminders-{uuid.uuid4().hex[:8]}", task_queue=task_queue)
        outcome = await first.result()
        again = await running.client.execute_workflow(
            RemindersWorkflow.run, RemindersInput(DAY.isoformat()),
            id=f"reminders-{uuid.uuid4().hex[:8]}", task_queue=task_queue, result_type=Mailed)
    await keep_history(first, "RemindersWorkflow-retried-after-the-server-went-away")

    assert outcome == Mailed(reminders=0, digests=1, already_sent=1)  # the retry's own count
    assert again == Mailed(already_sent=2)
    written = [email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
               for p in sorted(folder.glob("*.eml"))]
    assert sorted(m["Subject"] for m in written) == ["Assured: due on 5 March 2026",
                                                     "Assured: your work on 2 March 2026 (1 item)"]
    assert all(f"https://assured.example.org/app/cases/{case_id}" in m.get_content()
               for m in written)
    assert "A-1" not in "".join(m.as_string() for m in written)  # nothing typed into a record
