"""The event store's writer and reader: every save in one round trip, in notification order, on
the hash chain; every read of a record checked.

eventsourcing's PostgreSQL recorder locks the events table, notifies and inserts in a pipelined
transaction, then commits: the lock is held across the network round trips, and they set the
rate of every write (the shared PERFORMANCE.md baselines). Here one statement calls a function
that does the same inside the server and extends the hash chain (`infra.chain`): it serialises
the writers as that lock does, with an advisory lock held to the commit (so commit order is
notification order and a follower never skips an event), notifies the same channel and
inserts; the connection is in autocommit mode, so the statement's own transaction ends with
it. The table and the events are the library's, with the chain's columns added; the function
and the tables are made by `assured db migrate`, not here (the application's role may not
create them).

Reading a record asks in the same statement for its recorded head and for any finding of
`assured verify` against it, and checks what comes back (`checked`): versions without a gap,
in the log's order, up to the head. A record that fails answers `IntegrityCheckFailed`.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import psycopg
from eventsourcing.persistence import InterfaceError, OperationalError, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
from eventsourcing.utils import retry
from psycopg.rows import tuple_row
from psycopg.sql import SQL, Identifier

from domain.errors import IntegrityCheckFailed
from infra.chain import FAILED_RECORDS, ChainTables

INSERT_FUNCTION = "assured_insert_events"

alerts = logging.getLogger("assured.integrity")


@dataclass(frozen=True)
class PlacedEvent(StoredEvent):
    """A stored event with its position in the chain, so a failure can name it."""

    position: int | None = None


class AssuredRecorder(PostgresApplicationRecorder):
    def __init__(self, datastore: PostgresDatastore, *,
                 events_table_name: str = "stored_events") -> None:
        super().__init__(datastore, events_table_name=events_table_name)
        self.chain = ChainTables(datastore.schema, self.events_table_name)
        schema = Identifier(datastore.schema)
        # Statements rendered once: composing them again for every call was a measurable part
        # of each request (bench/api_load.py). The arrays go in binary (%b): psycopg writes a
        # bytea array's text form escaping each byte in Python, about 0.2 ms for one 300-byte
        # event, more than the rest of a save's own work (bench/append.py).
        self.insert_statement = SQL(
            "SELECT * FROM {schema}.{function}(%b::uuid[], %b::bigint[], %b::text[], %b::bytea[])"
        ).format(schema=schema, function=Identifier(INSERT_FUNCTION)).as_string(None)
        # One event (most saves) goes as four scalars the server makes into arrays: psycopg
        # takes about 16 µs to dump four one-item lists, against about 3 µs for the scalars.
        self.insert_one_statement = SQL(
            "SELECT * FROM {schema}.{function}(ARRAY[%b::uuid], ARRAY[%b::bigint], "
            "ARRAY[%b::text], ARRAY[%b::bytea])"
        ).format(schema=schema, function=Identifier(INSERT_FUNCTION)).as_string(None)
        self.select_after = self._select_statement(datastore, "")
        self.select_between = self._select_statement(datastore,
                                                     " AND e.originator_version <= %s")

    def _select_statement(self, datastore: PostgresDatastore, bound: str) -> str:
        """A record's events after a version (and up to one, with `bound`), with its recorded
        head and any finding of `assured verify` against it, on every row."""
        return SQL(
            "SELECT e.originator_version, e.topic, e.state, e.notification_id, e.chain_position, "
            "h.version, h.position, f.position, f.problem, h.present "
            "FROM (SELECT %s::uuid AS id) AS r "
            "LEFT JOIN LATERAL (SELECT h.version, h.position, EXISTS (SELECT 1 FROM {events} "
            "AS x WHERE x.originator_id = r.id AND x.originator_version = h.version AND "
            "x.chain_position = h.position) AS present FROM {heads} AS h "
            "WHERE h.originator_id = r.id) AS h ON true "
            "LEFT JOIN {failed} AS f ON f.originator_id = r.id "
            "LEFT JOIN {events} AS e ON e.originator_id = r.id AND e.originator_version > %s"
            + bound + " ORDER BY e.originator_version").format(
            heads=self.chain.ident(self.chain.record_heads),
            failed=Identifier(datastore.schema, FAILED_RECORDS),
            events=self.chain.ident(self.events_table_name)).as_string(None)

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def insert_events(self, stored_events: Sequence[StoredEvent],
                      **kwargs: Any) -> Sequence[int] | None:
        if len(stored_events) == 1:
            one = stored_events[0]
            statement, columns = self.insert_one_statement, (
                one.originator_id, one.originator_version, one.topic, one.state)
        else:
            statement, columns = self.insert_statement, (
                [e.originator_id for e in stored_events],
                [e.originator_version for e in stored_events],
                [e.topic for e in stored_events], [e.state for e in stored_events])
        # (The datastore's connection turns a unique violation into the library's
        # IntegrityError, which the application reports as a conflict.)
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            try:
                curs.execute(statement, columns, prepare=True)  # type: ignore[arg-type]
            except psycopg.errors.DataCorrupted as refused:
                failed = IntegrityCheckFailed(refused.diag.message_detail,
                                              str(refused.diag.message_primary))
                alerts.error("Integrity alert: a write was refused. %s", failed.reason)
                raise failed from None
            return [row[INSERT_FUNCTION] for row in curs.fetchall()]

    def select_events(self, originator_id: Any, *, gt: int | None = None,
                      lte: int | None = None, desc: bool = False,
                      limit: int | None = None) -> Sequence[StoredEvent]:
        if desc or limit is not None:
            return super().select_events(originator_id, gt=gt, lte=lte, desc=desc, limit=limit)
        return _placed_events(originator_id,
                              self.select_checked_rows(originator_id, gt=gt, lte=lte))

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def select_checked_rows(self, originator_id: Any, *, gt: int | None = None,
                            lte: int | None = None) -> list[tuple[Any, ...]]:
        """`select_events`' read and check, answering each event as its row (version, topic,
        state, notification id, position, …), not as a stored event object: the history's
        replay of a long record (domain/history.py) decodes straight from them."""
        statement, params = ((self.select_after, (originator_id, gt or 0)) if lte is None else
                             (self.select_between, (originator_id, gt or 0, lte)))
        # In binary: a long record's rows load about a third faster than as text (the state's
        # bytes come as they are, not from hex; bench/history_at.py).
        with (self.datastore.get_connection() as conn,
              conn.cursor(row_factory=tuple_row, binary=True) as curs):
            curs.execute(statement, params, prepare=True)  # type: ignore[arg-type]
            return checked_rows(originator_id, gt or 0, curs.fetchall(), up_to=lte)


def checked(record_id: Any, after: int, rows: Sequence[tuple[Any, ...]],
            up_to: int | None = None) -> list[StoredEvent]:
    """The record's events after version `after` (up to version `up_to`, if given), if they
    pass the read-time check (`checked_rows`)."""
    return _placed_events(record_id, checked_rows(record_id, after, rows, up_to))


def checked_rows(record_id: Any, after: int, rows: Sequence[tuple[Any, ...]],
                 up_to: int | None = None) -> list[tuple[Any, ...]]:
    """The rows of the record's events after version `after` (up to version `up_to`, if
    given), in order, if they pass the read-time check.

    `rows` are `select_after`'s: (version, topic, state, notification id, position) of each
    event, and on every row the record's head (version, position), the first position
    `assured verify` last found broken, with how (missing, changed, …), if any, and whether
    the head's own event is still in the log (so even a cached record, read only for what
    followed it, notices its last event deleted). Raises IntegrityCheckFailed, logged as an
    integrity alert.
    """
    try:
        return _checked_rows(record_id, after, rows, up_to)
    except IntegrityCheckFailed as failed:
        alerts.error("Integrity alert: %s", failed)
        raise


def _checked_rows(record_id: Any, after: int, rows: Sequence[tuple[Any, ...]],
                  up_to: int | None) -> list[tuple[Any, ...]]:
    if not rows:  # (the statement answers at least one row; an empty answer is not ours)
        return []
    head_version, head_position, damaged_at, found, head_present = rows[0][5:10]
    if damaged_at is not None:
        raise IntegrityCheckFailed(record_id, f"`assured verify` found its stored events "
                                   f"{found} from position {damaged_at}", position=damaged_at)
    if head_version is not None and not head_present:
        raise IntegrityCheckFailed(record_id, f"it was recorded up to version {head_version}, "
                                   "but that event is not in the log", version=head_version,
                                   position=head_position)
    events: list[tuple[Any, ...]] = []
    expected, last_id, last_position = after + 1, 0, 0
    for row in rows:
        version, _, _, notification_id, position, _, _, _, _, _ = row
        if version is None:
            continue
        if version != expected:
            raise IntegrityCheckFailed(record_id, f"version {expected} is missing",
                                       version=expected, position=position)
        if position is None or notification_id <= last_id or position <= last_position:
            raise IntegrityCheckFailed(record_id, "its events are out of their order in the log",
                                       version=version, position=position)
        events.append(row)
        expected, last_id, last_position = version + 1, notification_id, position
    latest = expected - 1
    if head_version is None:
        if events:
            raise IntegrityCheckFailed(record_id, "the store has no head for this record",
                                       version=latest)
        return events
    if latest < (head_version if up_to is None else min(up_to, head_version)):
        raise IntegrityCheckFailed(record_id, f"its events end at version {latest}, but it "
                                   f"was recorded up to version {head_version}",
                                   version=latest + 1, position=head_position)
    if latest > head_version:
        raise IntegrityCheckFailed(record_id, f"it was recorded up to version {head_version}, "
                                   f"but version {latest} was read", version=latest)
    return events


def _placed_events(record_id: Any, rows: Sequence[tuple[Any, ...]]) -> list[StoredEvent]:
    """Checked rows as stored events, each made without the frozen dataclass's five guarded
    assignments (a read of a long record made ten thousand of them, and they took a third of
    the read's own checking, bench/history_at.py): the same objects, the fields in each
    instance's dict."""
    events: list[StoredEvent] = []
    for version, topic, state, _, position, *_ in rows:
        event = object.__new__(PlacedEvent)
        vars(event).update(originator_id=record_id, originator_version=version, topic=topic,
                           state=bytes(state), position=position)
        events.append(event)
    return events


class RecentEvents:
    """The events recorded after a version, read on an event loop without a thread.

    A read of a cached record asks only this question of the store (`Assured.caught_up` applies
    the answer); asked from the API's event loop, it waits without holding a thread. It is
    checked as every read is: a cached record whose stored events were deleted or found damaged
    since fails here.
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
            return checked(originator_id, version, await found.fetchall())


async def _autocommit(conn: Any) -> None:
    await conn.set_autocommit(True)
