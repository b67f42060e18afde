"""The data subjects' records as the retention listing needs them (workflows/retention).

Table (retention_subjects.sql): `retention_subject`, a row per Safeguarder and child's case:
whether the record is closed (a Safeguarder's status by `status_after`, a case's `Closed`),
when its latest fact happened (every event but a process's step or a legal hold: the record's
closing fact once it is closed, as `domain.retention` reads it), a case's nation and legal
status, and whether a legal hold stands. An erased record's row goes. The listing asks
`domain.retention.kept_until_of` of the closed, unheld rows: one query a month, however many
records there are, and no replay.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import singledispatchmethod
from typing import Any
from uuid import UUID

from eventsourcing.domain import CanMutateAggregate
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
_SHARED = {"Created", "Event", "Erased", "LegalHoldPlaced", "LegalHoldLifted",
           "ProcessStepRecorded"}
"""Event classes every record kind shares (or the library's bases): not facts of the record."""


def _own_events(kind: type) -> list[type]:
    """The event classes `kind` itself declares: each one is a fact of the record."""
    return [v for v in vars(kind).values() if isinstance(v, type)
            and issubclass(v, CanMutateAggregate) and v.__name__ not in _SHARED]


def _key(event: Any) -> dict[str, Any]:
    return {"subject_id": event.originator_id}


class RetentionSubjects(Projection):
    name = "retention_subjects"
    version = 1

    @singledispatchmethod
    def process(self, event: object, page: Page) -> None:
        """Handle one event of a Safeguarder or a case."""

    def _fact(self, event: Any, page: Page) -> None:
        """Any other fact of the record: its latest so far."""
        page.update(TABLE, _key(event), last_fact_on=event.occurred_on)

    @process.register(SafeguarderEvents.Applied)
    def _applied(self, event: Any, page: Page) -> None:
        page.insert(TABLE, subject_id=event.originator_id, kind=Safeguarder.subject_kind,
                    last_fact_on=event.occurred_on)

    def _status(self, event: Any, page: Page) -> None:
        page.update(TABLE, _key(event), closed=status_of(event) in CLOSED,
                    last_fact_on=event.occurred_on)

    @process.register(CaseEvents.Opened)
    def _opened(self, event: Any, page: Page) -> None:
        page.insert(TABLE, subject_id=event.originator_id, kind=Case.subject_kind,
                    nation=event.nation, legal_status=event.legal_status,
                    last_fact_on=event.occurred_on)

    @process.register(CaseEvents.LegalStatusChanged)
    def _legal_status_changed(self, event: Any, page: Page) -> None:
        page.update(TABLE, _key(event), legal_status=event.new_status,
                    last_fact_on=event.occurred_on)

    @process.register(CaseEvents.Closed)
    def _closed(self, event: Any, page: Page) -> None:
        page.update(TABLE, _key(event), closed=True, last_fact_on=event.occurred_on)

    @process.register(SubjectEvents.LegalHoldPlaced)
    def _held(self, event: Any, page: Page) -> None:
        page.update(TABLE, _key(event), held=True)

    @process.register(SubjectEvents.LegalHoldLifted)
    def _lifted(self, event: Any, page: Page) -> None:
        page.update(TABLE, _key(event), held=False)

    @process.register(SubjectEvents.Erased)
    def _erased(self, event: Any, page: Page) -> None:
        forget_subject(page, event, "subject_id", (TABLE,))


def _register() -> None:
    process = vars(RetentionSubjects)["process"]
    registered = process.dispatcher.registry
    for kind in (Safeguarder, Case):
        for cls in _own_events(kind):
            if cls in registered:
                continue
            handler = (RetentionSubjects._status if cls.__name__ in STATUS_EVENTS
                       else RetentionSubjects._fact)
            process.register(cls, handler)


_register()


# --- queries -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClosedRecord:
    subject_id: UUID
    kind: str
    nation: str | None
    legal_status: str | None
    last_fact_on: datetime


def closed_records(conn: Connection[Any]) -> list[ClosedRecord]:
    """The closed records under no legal hold: the only ones retention may list."""
    with conn.cursor(row_factory=class_row(ClosedRecord)) as cursor:
        return cursor.execute(
            f"SELECT subject_id, kind, nation, legal_status, last_fact_on FROM {TABLE} "
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
