"""The store's infrastructure factory: eventsourcing's PostgreSQL one, whose mapper also seals
each data subject's personal fields with the subject's own key (infra/subject_keys.py), and
whose snapshots are written with a plain INSERT (the library's insert needs a composite type
that `assured db migrate` does not make: infra/recorder.py uses no database types).

Each snapshot row also carries, in plain, `modified_on`: the time of the last event its state
holds (schema version 4). A snapshot is encrypted, so without it the history as known at an
instant had to open snapshot after snapshot to find the latest one taken by then
(domain/history.py); with it one indexed query finds that snapshot. The column is only a hint:
the history opens the snapshot it names in its place and checks the time inside it. It is a
time, as each event's `recorded_at` is, and holds nothing personal.

`SUBJECT_KEYS=off` in the application's environment leaves personal fields under the master
key alone (bench/append.py measures the difference); the default is on.
"""

from __future__ import annotations

from base64 import b64decode
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from eventsourcing.persistence import Mapper, StoredEvent, Transcoder
from eventsourcing.postgres import PostgresAggregateRecorder, PostgresFactory
from psycopg import Cursor
from psycopg.sql import SQL, Identifier

from infra.subject_keys import SubjectKeys

SUBJECT_KEYS = "SUBJECT_KEYS"


@dataclass(frozen=True)
class StoredSnapshot(StoredEvent):
    """A stored snapshot with the time of the last event its state holds (the mapper's)."""

    modified_on: datetime | None = None


class SnapshotRecorder(PostgresAggregateRecorder):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        table = Identifier(self.datastore.schema, self.events_table_name)
        self.insert_statement = SQL(
            "INSERT INTO {} (originator_id, originator_version, topic, state, modified_on) "
            "VALUES (%s, %s, %s, %s, %s)").format(table).as_string(None)
        # A snapshot without a time (taken before schema version 4) is a candidate too: the
        # history opens it and, if it was taken after the instant, searches below it.
        self.select_taken_by_statement = SQL(
            "SELECT originator_version, topic, state FROM {} WHERE originator_id = %s "
            "AND (modified_on <= %s OR modified_on IS NULL) "
            "ORDER BY originator_version DESC LIMIT 1").format(table).as_string(None)

    def _insert_stored_events(self, curs: Cursor[Any], stored_events: Sequence[StoredEvent],
                              **_: Any) -> None:
        curs.executemany(self.insert_statement, [  # type: ignore[arg-type]
            (e.originator_id, e.originator_version, e.topic, e.state,
             getattr(e, "modified_on", None)) for e in stored_events])

    def select_taken_by(self, originator_id: Any, instant: datetime) -> StoredEvent | None:
        """The record's latest snapshot whose plain time is at or before `instant` (or that
        has no time); None if there is none. Its state's own time is the caller's to check."""
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(self.select_taken_by_statement,  # type: ignore[arg-type]
                         (originator_id, instant), prepare=True)
            row = curs.fetchone()
        if row is None:
            return None
        return StoredEvent(originator_id=originator_id, originator_version=row["originator_version"],
                           topic=row["topic"], state=bytes(row["state"]))


class Factory(PostgresFactory):
    aggregate_recorder_class = SnapshotRecorder  # (the events have infra.recorder's own)

    def mapper(self, transcoder: Transcoder | None = None,
               mapper_class: type[Mapper[Any]] | None = None) -> Mapper[Any]:
        mapper = super().mapper(transcoder=transcoder, mapper_class=mapper_class)
        key = self.env.get("CIPHER_KEY")
        attach = getattr(mapper, "attach_subject_keys", None)
        if key and attach is not None and self.env.get(SUBJECT_KEYS, "on") != "off":
            attach(SubjectKeys(self.datastore, b64decode(key),
                               f"{self.env.name.lower()}_snapshots", mapper.transcoder))
        return mapper
