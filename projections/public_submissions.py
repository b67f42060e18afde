"""The triage queue of submissions from the public (seed 000): each one, waiting for the panel
team, then attached to a Safeguarder as feedback or a concern, or set aside.

Table (public_submissions.sql): `public_submission`. The queries open the sealed words with the
store's cipher.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import singledispatchmethod
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Cipher
from psycopg import Connection
from psycopg.rows import dict_row

from domain.submission import PublicSubmission
from domain.submission_values import SubmissionStatus
from projections.base import Projection
from projections.erasure import SubjectEvents, forget_subject
from projections.page import Page
from projections.sealing import sealed, unseal

SubmissionEvents: Any = PublicSubmission


def _which(event: Any) -> dict[str, Any]:
    return {"submission_id": event.originator_id}


class PublicSubmissions(Projection):
    name = "public_submissions"
    version = 2

    @singledispatchmethod
    def process(self, event: object, page: Page) -> None:
        """Handle one event of a submission from the public."""

    @process.register(SubjectEvents.Erased)
    def _erased(self, event: Any, page: Page) -> None:
        """The person who wrote in was erased: their submission's row goes (erasure.py)."""
        forget_subject(page, event, "submission_id", ("public_submission",))

    @process.register(SubmissionEvents.Received)
    def _received(self, event: Any, page: Page) -> None:
        page.insert("public_submission", submission_id=event.originator_id,
                    received_at=event.occurred_on, triage_due_on=event.triage_due_on,
                    about=event.about, submitter=event.submitter,
                    safeguarder_named=sealed(page, event, "safeguarder_named"),
                    what_happened=sealed(page, event, "what_happened"),
                    reply_to=sealed(page, event, "reply_to"),
                    status=SubmissionStatus.WAITING.value)

    @process.register(SubmissionEvents.Attached)
    def _attached(self, event: Any, page: Page) -> None:
        page.update("public_submission", _which(event), status=SubmissionStatus.ATTACHED.value,
                    safeguarder_id=event.safeguarder_id, attached_as=event.attached_as,
                    triaged_at=event.occurred_on, triaged_by=event.actor)

    @process.register(SubmissionEvents.SetAside)
    def _set_aside(self, event: Any, page: Page) -> None:
        page.update("public_submission", _which(event),
                    status=SubmissionStatus.SET_ASIDE.value, triaged_at=event.occurred_on,
                    triaged_by=event.actor)


# --- queries -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Submission:
    submission_id: UUID
    received_at: datetime
    triage_due_on: date
    about: str
    submitter: str
    safeguarder_named: str
    what_happened: str
    reply_to: str
    status: str
    safeguarder_id: UUID | None
    attached_as: str | None
    triaged_at: datetime | None
    triaged_by: str | None


def _submission(row: dict[str, Any], cipher: Cipher) -> Submission:
    for column in ("safeguarder_named", "what_happened", "reply_to"):
        row[column] = unseal(cipher, row[column]) or ""
    return Submission(**row)


def submissions(conn: Connection[Any], cipher: Cipher,
                status: SubmissionStatus | None = SubmissionStatus.WAITING) -> list[Submission]:
    """Submissions with `status` (all when None): those due for triage first."""
    where, params = ("status = %s", (str(status),)) if status else ("true", ())
    with conn.cursor(row_factory=dict_row) as cursor:
        rows = cursor.execute(f"SELECT * FROM public_submission WHERE {where} "
                              "ORDER BY triage_due_on, received_at, submission_id",
                              params).fetchall()
    return [_submission(row, cipher) for row in rows]


def submission(conn: Connection[Any], submission_id: UUID, cipher: Cipher) -> Submission | None:
    with conn.cursor(row_factory=dict_row) as cursor:
        row = cursor.execute("SELECT * FROM public_submission WHERE submission_id = %s",
                             (submission_id,)).fetchone()
    return None if row is None else _submission(row, cipher)
