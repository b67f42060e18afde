"""The data subjects' records as the retention listing needs them (workflows/retention).

Table (retention_subjects.sql): `retention_subject`, a row per Safeguarder and child's case:
whether the record is closed (a Safeguarder's status by `status_after`, a case's `Closed`) and
when its closing fact happened, a case's nation and legal status, and whether a legal hold
stands. A closed record takes no further facts (only a process's steps, holds, the erasure and,
for a case, an audit's selection), so its closing fact (or that selection) is its last, as
`domain.retention` reads it from a replay; the
table follows only the events that open, close or hold a record, not every fact. An erased
record's row goes. The listing asks
`domain.retention.kept_until_of` of the closed, unheld rows: one query a month, however many
records there are, and no replay.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import singledispatchmethod
from typing import Any
from uuid import UUID

from psycopg import Connection, sql
from psycopg.rows import class_row, tuple_row

from domain.case import Case
from domain.safeguarder import Safeguarder
from domain.safeguarder_values import CLOSED, STATUS_EVENTS
from projections.base import Projection
from projections.erasure import SubjectEvents, forget_subject
from projections.page import Page
from projections.safeguarder_file import status_of

CaseEvents: Any = Case
SafeguarderEvents: Any = Safeguarder
TABLE = "retention_subject"


def _key(event: Any) -> dict[str, Any]:
    return {"subject_id": event.originator_id}


class RetentionSubjects(Projection):
    name = "retention_subjects"
    version = 1

    @singledispatchmethod
    def process(self, event: object, page: Page) -> None:
        """Handle one event of a Safeguarder or a case."""

    @process.register(SafeguarderEvents.Applied)
    def _applied(self, event: Any, page: Page) -> None:
        page.insert(TABLE, subject_id=event.originator_id, kind=Safeguarder.subject_kind)

    def _status(self, event: Any, page: Page) -> None:
        """A Safeguarder's status, by the domain's rule: closed or not, and since when."""
        closed = status_of(event) in CLOSED
        page.update(TABLE, _key(event), closed=closed,
                    closed_on=event.occurred_on if closed else None)

    @process.register(CaseEvents.Opened)
    def _opened(self, event: Any, page: Page) -> None:
        page.insert(TABLE, subject_id=event.originator_id, kind=Case.subject_kind,
                    nation=event.nation, legal_status=event.legal_status)

    @process.register(CaseEvents.LegalStatusChanged)
    def _legal_status_changed(self, event: Any, page: Page) -> None:
        page.update(TABLE, _key(event), legal_status=event.new_status)

    @process.register(CaseEvents.Closed)
    def _closed(self, event: Any, page: Page) -> None:
        page.update(TABLE, _key(event), closed=True, closed_on=event.occurred_on)

    @process.register(CaseEvents.SelectedForAudit)
    def _selected_for_audit(self, event: Any, page: Page) -> None:
        """A closed case can still be audited: that is its last fact then (an open case's
        date is overwritten when it closes)."""
        page.update(TABLE, _key(event), closed_on=event.occurred_on)

    @process.register(SubjectEvents.LegalHoldPlaced)
    def _held(self, event: Any, page: Page) -> None:
        page.update(TABLE, _key(event), held=True)

    @process.register(SubjectEvents.LegalHoldLifted)
    def _lifted(self, event: Any, page: Page) -> None:
        page.update(TABLE, _key(event), held=False)

    @process.register(SubjectEvents.Erased)
    def _erased(self, event: Any, page: Page) -> None:
        forget_subject(page, event, "subject_id", (TABLE,))


for _name in STATUS_EVENTS:  # each event that sets a Safeguarder's status (but Applied, above)
    if _name != "Applied":
        vars(RetentionSubjects)["process"].register(getattr(Safeguarder, _name),
                                                    RetentionSubjects._status)


# --- queries -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClosedRecord:
    subject_id: UUID
    kind: str
    nation: str | None
    legal_status: str | None
    closed_on: datetime


def closed_records(conn: Connection[Any]) -> list[ClosedRecord]:
    """The closed records under no legal hold: the only ones retention may list."""
    with conn.cursor(row_factory=class_row(ClosedRecord)) as cursor:
        return cursor.execute(
            f"SELECT subject_id, kind, nation, legal_status, closed_on FROM {TABLE} "
            "WHERE closed AND NOT held ORDER BY subject_id").fetchall()


def current_closed_records(app: Any) -> list[ClosedRecord] | None:
    """`closed_records` from `app`'s store, if the table is current: built at this version
    and at or past the last event it follows. None otherwise (the listing then replays)."""
    from projections.schema import REGISTRY

    recorder = app.recorder
    schema, projection = recorder.datastore.schema, RetentionSubjects()
    with recorder.datastore.get_connection() as conn, conn.cursor(row_factory=tuple_row) as cur:
        tracking = f"{schema}.{projection.tracking_table}"
        if cur.execute("SELECT to_regclass(%s) IS NULL", (tracking,)).fetchone() != (False,):
            return None
        found = cur.execute(sql.SQL(
            "SELECT (SELECT version FROM {registry} WHERE name = %s), "
            "(SELECT max(notification_id) FROM {tracking}), "
            "(SELECT max(notification_id) FROM {events} WHERE topic = ANY(%s))").format(
            registry=sql.Identifier(schema, REGISTRY),
            tracking=sql.Identifier(schema, projection.tracking_table),
            events=sql.Identifier(schema, recorder.events_table_name)),
            (projection.name, projection.topics())).fetchone()
        version, position, last = found  # type: ignore[misc]
        if version != projection.version or (last or 0) > (position or 0):
            return None
        return closed_records(conn)
