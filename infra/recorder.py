"""The event store's writer: every save in one round trip, in notification order.

eventsourcing's PostgreSQL recorder locks the events table, notifies and inserts in a pipelined
transaction, then commits: the lock is held across the network round trips, and they set the
rate of every write (the shared PERFORMANCE.md baselines). Here one statement calls a function
that does the same inside the server: it takes the same EXCLUSIVE lock (so commit order is
notification order and a follower never skips an event), notifies the same channel and inserts;
the connection is in autocommit mode, so the statement's own transaction ends with it. The
table, its layout and the events are the library's.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import InterfaceError, OperationalError, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
from eventsourcing.utils import retry
from psycopg.sql import SQL, Identifier

INSERT_FUNCTION = "assured_insert_events"


class AssuredRecorder(PostgresApplicationRecorder):
    def __init__(self, datastore: PostgresDatastore, *,
                 events_table_name: str = "stored_events") -> None:
        super().__init__(datastore, events_table_name=events_table_name)
        schema, table = Identifier(datastore.schema), Identifier(self.events_table_name)
        self.sql_create_statements.append(SQL(
            "CREATE OR REPLACE FUNCTION {schema}.{function}(ids uuid[], versions bigint[], "
            "topics text[], states bytea[]) "
            "RETURNS SETOF bigint LANGUAGE plpgsql AS $BODY$ "
            "BEGIN "
            "  SET LOCAL lock_timeout = '{lock_timeout}s'; "
            "  LOCK TABLE {schema}.{table} IN EXCLUSIVE MODE; "
            "  NOTIFY {channel}; "
            "  RETURN QUERY INSERT INTO {schema}.{table} "
            "    (originator_id, originator_version, topic, state) "
            "    SELECT * FROM unnest(ids, versions, topics, states) "
            "    RETURNING notification_id; "
            "END; $BODY$").format(
            schema=schema, table=table, function=Identifier(INSERT_FUNCTION),
            lock_timeout=datastore.lock_timeout, channel=Identifier(self.channel_name)))
        # Statements rendered once: composing them again for every call was a measurable part
        # of each request (bench/api_load.py).
        self.insert_statement = SQL(
            "SELECT * FROM {schema}.{function}(%s::uuid[], %s::bigint[], %s::text[], %s::bytea[])"
        ).format(
            schema=schema, function=Identifier(INSERT_FUNCTION)).as_string(None)
        select = ("SELECT originator_id, originator_version, topic, state FROM {schema}.{table} "
                  "WHERE originator_id = %s{after} ORDER BY originator_version")
        self.select_all = SQL(select.replace("{after}", "")).format(
            schema=schema, table=table).as_string(None)
        self.select_after = SQL(select.replace("{after}", " AND originator_version > %s")
                                ).format(schema=schema, table=table).as_string(None)

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def insert_events(self, stored_events: Sequence[StoredEvent],
                      **kwargs: Any) -> Sequence[int] | None:
        columns = ([e.originator_id for e in stored_events],
                   [e.originator_version for e in stored_events],
                   [e.topic for e in stored_events], [e.state for e in stored_events])
        # (The datastore's connection turns a unique violation into the library's
        # IntegrityError, which the application reports as a conflict.)
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(self.insert_statement, columns, prepare=True)  # type: ignore[arg-type]
            return [row[INSERT_FUNCTION] for row in curs.fetchall()]

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def select_events(self, originator_id: Any, *, gt: int | None = None,
                      lte: int | None = None, desc: bool = False,
                      limit: int | None = None) -> Sequence[StoredEvent]:
        if lte is not None or desc or limit is not None:
            return super().select_events(originator_id, gt=gt, lte=lte, desc=desc, limit=limit)
        statement, params = ((self.select_all, (originator_id,)) if gt is None
                             else (self.select_after, (originator_id, gt)))
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(statement, params, prepare=True)  # type: ignore[arg-type]
            return [StoredEvent(originator_id=row["originator_id"],
                                originator_version=row["originator_version"],
                                topic=row["topic"], state=bytes(row["state"]))
                    for row in curs.fetchall()]


class RecentEvents:
    """The events recorded after a version, read on an event loop without a thread.

    A read of a cached record asks only this question of the store (`Assured.caught_up` applies
    the answer); asked from the API's event loop, it waits without holding a thread.
    """

    def __init__(self, recorder: AssuredRecorder, size: int = 4) -> None:
        from psycopg_pool import AsyncConnectionPool

        kwargs = {k: v for k, v in recorder.datastore.pool.kwargs.items() if k != "row_factory"}
        self.statement = recorder.select_after
        self.pool = AsyncConnectionPool(kwargs=kwargs, min_size=1, max_size=size, open=False,
                                        configure=_autocommit)

    async def open(self) -> None:
        await self.pool.open(wait=True)

    async def close(self) -> None:
        await self.pool.close()

    async def after(self, originator_id: Any, version: int) -> list[StoredEvent]:
        async with self.pool.connection() as conn:
            found = await conn.execute(self.statement, (originator_id, version), prepare=True)
            return [StoredEvent(originator_id=row[0], originator_version=row[1], topic=row[2],
                                state=bytes(row[3])) for row in await found.fetchall()]


async def _autocommit(conn: Any) -> None:
    await conn.set_autocommit(True)
