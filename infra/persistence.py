"""The store's infrastructure factory: eventsourcing's PostgreSQL one, whose mapper also seals
each data subject's personal fields with the subject's own key (infra/subject_keys.py), and
whose snapshots are written with a plain INSERT (the library's insert needs a composite type
that `assured db migrate` does not make: infra/recorder.py uses no database types).

`SUBJECT_KEYS=off` in the application's environment leaves personal fields under the master
key alone (bench/append.py measures the difference); the default is on.
"""

from __future__ import annotations

from base64 import b64decode
from typing import Any

from collections.abc import Sequence

from eventsourcing.persistence import Mapper, StoredEvent, Transcoder
from eventsourcing.postgres import PostgresAggregateRecorder, PostgresFactory
from psycopg import Cursor
from psycopg.sql import SQL, Identifier

from infra.subject_keys import SubjectKeys

SUBJECT_KEYS = "SUBJECT_KEYS"


class SnapshotRecorder(PostgresAggregateRecorder):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.insert_statement = SQL(
            "INSERT INTO {} (originator_id, originator_version, topic, state) "
            "VALUES (%s, %s, %s, %s)").format(
            Identifier(self.datastore.schema, self.events_table_name)).as_string(None)

    def _insert_stored_events(self, curs: Cursor[Any], stored_events: Sequence[StoredEvent],
                              **_: Any) -> None:
        curs.executemany(self.insert_statement, [  # type: ignore[arg-type]
            (e.originator_id, e.originator_version, e.topic, e.state) for e in stored_events])


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
