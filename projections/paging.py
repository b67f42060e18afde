"""Running a projection over a stretch of the log, a page per transaction, two pages at a time.

Each page is one transaction on the writer connection: lock the projection's tracking row,
check it still holds the position the page starts from, write the page's buffered rows (COPY and
`executemany`), run `end_page`, write the new position, NOTIFY, commit. A crash anywhere before
the commit leaves rows and position as they were, so a restart resumes where the last commit
stopped and counts nothing twice; a second runner of the same projection finds the position
moved and carries on from there instead of counting twice.

While the writer thread commits one page, the caller's thread fetches (on a reader connection,
filtered by topic in SQL, so nothing else is decoded), decodes and handles the next: decoding is
Python's work and writing is the server's, and on two cores they overlap.
"""

from __future__ import annotations

import gc
import logging
import threading
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from typing import Any

import psycopg
from psycopg import Connection, sql

from projections.base import Handler, Projection
from projections.decoding import EventDecoder
from projections.page import Columns, Page
from projections.schema import REGISTRY
from projections.sealing import Seal, refuse_to_seal

log = logging.getLogger(__name__)

PROJECTIONS_CHANNEL = "assured_projections"
"""Each committed page NOTIFYs `<name>:<position>` here, for readers waiting on their write."""

TOGETHER_PAGES = 4
"""Projections run together read pages this many times the page size (each takes a share)."""

Progress = Callable[[int, int], None]
"""Called after each page with (events processed so far, events to process in all)."""


_paused = [0]
_pausing = threading.Lock()


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while pages are handled and written.

    A page holds tens of thousands of young objects (decoded events, buffered rows) until it
    is written, so the collector, triggered by every few hundred allocations, walks them again
    and again and finds nothing: they hold no cycles and go by reference counting once written.
    That was a sixth of the runner's Python time (measured: docs/benchmarks.md). The collector
    comes back on when the last runner of the process leaves (nested and concurrent runs
    count), as it was before.
    """
    with _pausing:
        if _paused[0] == 0:
            _paused.append(gc.isenabled())
            gc.disable()
        _paused[0] += 1
    try:
        yield
    finally:
        with _pausing:
            _paused[0] -= 1
            if _paused[0] == 0 and _paused.pop():
                gc.enable()


class ProjectionOutdated(RuntimeError):
    """The live tables were built by another version of the projection: rebuild them."""


class PositionMoved(RuntimeError):
    """Another runner committed pages of this projection meanwhile."""


@dataclass
class Pager:
    application_name: str
    events: sql.Identifier
    live_schema: str
    decode: EventDecoder
    page_size: int
    handlers: Callable[[Projection], dict[str, Handler]]
    seal: Seal = refuse_to_seal
    """How pages seal free text for their read tables: with the store's key."""
    pause_collector: bool = False
    """Whether pages pause Python's cyclic garbage collector (`collector_paused`): only in a
    process that does nothing else (`assured projections …`). The pause is process-wide, so
    in `assured up` or the API, which run workflows and requests beside their followers, the
    garbage those make would pile up, and the collection after it could hold a workflow task
    past the SDK's two-second deadlock check."""
    _columns: dict[int, Columns] = field(default_factory=dict)
    _named: dict[tuple[str, str, str, int], Columns] = field(default_factory=dict)

    def run(self, writer: Connection[Any], reader: Connection[Any], projection: Projection,
            where: str, stop: int, progress: Progress | None = None) -> int:
        """Process the projection's events up to notification `stop`, into the tables of
        schema `where`; return how many. `reader` is in autocommit mode."""
        total = self.pending(reader, projection, where, stop) if progress else 0
        done = [0]

        def committed(count: int) -> None:
            done[0] += count
            if progress:
                progress(done[0], max(total, done[0]))

        with (collector_paused() if self.pause_collector else nullcontext(),
              ThreadPoolExecutor(1, thread_name_prefix=f"{projection.name}-writer") as executor):
            while True:
                start = self.position(reader, projection, where)
                try:
                    self._pipeline(executor, writer, reader, projection, where, start, stop,
                                   committed)
                    return done[0]
                except PositionMoved:
                    log.info("%s moved on under another runner; following on", projection.name)

    def run_together(self, writer: Connection[Any], reader: Connection[Any],
                     projections: Sequence[Projection], stop: int) -> int:
        """Process the events of every one of `projections` up to notification `stop`, in
        their live tables: each page is read and each event decoded once, for all of them,
        and the page's rows and positions of all of them are committed in one transaction.

        Returns the events processed, counted once per projection that took each (as `run`
        counts). A projection already further along takes only the events after its
        position. Raises as `run` does (PositionMoved if another runner moved one on): the
        caller then runs each projection on its own, which finds a poisonous event alone.
        """
        where = self.live_schema
        positions = {p.name: self.position(reader, p, where) for p in projections}
        takers: dict[str, list[tuple[Projection, Handler]]] = {}
        for projection in projections:
            for topic, handler in self.handlers(projection).items():
                takers.setdefault(topic, []).append((projection, handler))
        topics = sorted(takers)
        # Each projection takes a share of a page: larger pages keep its share's COPYs large.
        size = self.page_size * min(TOGETHER_PAGES, len(projections))
        position, done = min(positions.values(), default=stop), 0
        with (collector_paused() if self.pause_collector else nullcontext(),
              ThreadPoolExecutor(1, thread_name_prefix="projections-writer") as executor):
            in_flight: Future[int] | None = None
            try:
                while position < stop:
                    rows, end = self._page(reader, position, stop, topics, size)
                    pages = self._handle_together(takers, positions, rows)
                    if in_flight is not None:
                        done += in_flight.result()
                    starts = dict(positions)
                    in_flight = executor.submit(self._commit_together, writer, projections,
                                                pages, starts, end)
                    for name, at in starts.items():
                        positions[name] = max(at, end)
                    position = end
                if in_flight is not None:
                    done += in_flight.result()
                    in_flight = None
            finally:
                if in_flight is not None and not in_flight.done():
                    in_flight.exception()
        return done

    def _handle_together(self, takers: dict[str, list[tuple[Projection, Handler]]],
                         positions: dict[str, int],
                         rows: Sequence[tuple[Any, ...]]) -> dict[str, tuple[Page, int]]:
        """Each projection's page of `rows` (and how many events it took), decoding each
        event once."""
        decode = self.decode
        _prefetch_keys(decode, rows)
        if rows and all(rows[0][0] > at for at in positions.values()):
            # Every projection takes every event of its topics here (the usual case): no
            # position to check per event, and the counts come from the topics.
            pages = {name: Page(self.seal) for name in positions}
            calls = {topic: [(handler, projection, pages[projection.name])
                             for projection, handler in taken]
                     for topic, taken in takers.items()}
            for _, originator_id, version, topic, state in rows:
                event = decode(topic, originator_id, version, state)
                for handler, projection, page in calls[topic]:
                    handler(projection, event, page)
            counts = dict.fromkeys(positions, 0)
            for topic, found in Counter(row[3] for row in rows).items():
                for projection, _ in takers[topic]:
                    counts[projection.name] += found
            return {name: (page, counts[name]) for name, page in pages.items()}
        taking = {name: (Page(self.seal), [0]) for name in positions}
        for notification_id, originator_id, version, topic, state in rows:
            event = None
            for projection, handler in takers[topic]:
                if notification_id <= positions[projection.name]:
                    continue
                if event is None:
                    event = decode(topic, originator_id, version, state)
                page, count = taking[projection.name]
                handler(projection, event, page)
                count[0] += 1
        return {name: (page, count[0]) for name, (page, count) in taking.items()}

    def _commit_together(self, writer: Connection[Any], projections: Sequence[Projection],
                         pages: dict[str, tuple[Page, int]], starts: dict[str, int],
                         end: int) -> int:
        """Write every projection's page and position in one transaction (writer thread).

        The round trips are few, whatever the number of projections: their tracking rows are
        locked and their versions read in one pipeline; their new rows sent by COPY; their row
        changes, positions and NOTIFYs in another pipeline.
        """
        moving = [p for p in projections if starts[p.name] < end]
        if not moving:
            return 0
        with writer.transaction():
            with writer.pipeline():
                locks = []
                for projection in moving:
                    cursor = writer.cursor()
                    cursor.execute(sql.SQL(
                        "SELECT notification_id FROM {} WHERE application_name = %s FOR UPDATE"
                    ).format(sql.Identifier(self.live_schema, projection.tracking_table)),
                        (self.application_name,), prepare=True)
                    locks.append((projection, cursor))
                versions = writer.cursor()
                versions.execute(sql.SQL("SELECT name, version FROM {} WHERE name = ANY(%s)")
                                 .format(sql.Identifier(self.live_schema, REGISTRY)),
                                 ([p.name for p in moving],), prepare=True)
            built = dict(versions.fetchall())
            for projection, cursor in locks:
                found = cursor.fetchone()
                if found is None or int(found[0] or 0) != starts[projection.name]:
                    raise PositionMoved(projection.name)
                if built.get(projection.name) != projection.version:
                    raise ProjectionOutdated(
                        f"{projection.name} tables are version {built.get(projection.name)}, "
                        f"the code is version {projection.version}: rebuild it")
            cursor = writer.cursor()
            done = 0
            for projection in moving:  # COPY cannot be pipelined
                pages[projection.name][0].flush_inserts(
                    cursor, lambda table, p=projection: self._columns_named(
                        cursor, self.live_schema, table, p))
            with writer.pipeline():
                for projection in moving:
                    page, count = pages[projection.name]
                    page.flush_changes(cursor, lambda table, p=projection: self._columns_named(
                        cursor, self.live_schema, table, p))
                    projection.end_page(cursor)
                    done += count
                for projection in moving:
                    cursor.execute(sql.SQL(
                        "UPDATE {} SET notification_id = %s WHERE application_name = %s"
                    ).format(sql.Identifier(self.live_schema, projection.tracking_table)),
                        (end, self.application_name), prepare=True)
                    cursor.execute("SELECT pg_notify(%s, %s)",
                                   (PROJECTIONS_CHANNEL, f"{projection.name}:{end}"))
        return done

    def _columns_named(self, cursor: psycopg.Cursor[Any], where: str, table: str,
                       projection: Projection) -> Columns:
        """`_columns_of`, kept by schema, table and projection version: the version fixes the
        DDL, so a table swapped in by a rebuild of the same version has the same columns."""
        key = (where, table, projection.name, projection.version)
        found = self._named.get(key)
        if found is None:
            found = self._named[key] = self._columns_of(cursor, table)
        return found

    def position(self, reader: Connection[Any], projection: Projection, where: str) -> int:
        row = reader.execute(sql.SQL("SELECT notification_id FROM {} WHERE application_name = %s")
                             .format(sql.Identifier(where, projection.tracking_table)),
                             (self.application_name,)).fetchone()
        if row is None:
            raise LookupError(f"{projection.name} has no tracking row in {where}")
        return int(row[0] or 0)

    def pending(self, reader: Connection[Any], projection: Projection, where: str,
                stop: int) -> int:
        """How many events of the projection's topics lie after its position, up to `stop`."""
        row = reader.execute(sql.SQL(
            "SELECT count(*) FROM {} WHERE notification_id > %s AND notification_id <= %s "
            "AND topic = ANY(%s)").format(self.events),
            (self.position(reader, projection, where), stop, self._topics(projection))
        ).fetchone()
        return int(row[0]) if row else 0

    def _topics(self, projection: Projection) -> list[str]:
        return sorted(self.handlers(projection))

    def _pipeline(self, executor: ThreadPoolExecutor, writer: Connection[Any],
                  reader: Connection[Any], projection: Projection, where: str, position: int,
                  stop: int, committed: Callable[[int], None]) -> None:
        in_flight: Future[int] | None = None
        try:
            while position < stop:
                rows, end = self._page(reader, position, stop, self._topics(projection),
                                       self.page_size)
                page = self._handle(projection, rows)
                if in_flight is not None:
                    committed(in_flight.result())
                in_flight = executor.submit(self._commit, writer, projection, where, page,
                                            position, end, len(rows))
                position = end
            if in_flight is not None:
                committed(in_flight.result())
                in_flight = None
        finally:
            if in_flight is not None and not in_flight.done():
                # Failing here: let the page already sent commit or fail before the writer
                # connection is used again.
                in_flight.exception()

    def _page(self, reader: Connection[Any], position: int, stop: int, topics: list[str],
              size: int) -> tuple[list[tuple[Any, ...]], int]:
        """The next `size` events of `topics` after `position`, up to `stop`, and the position
        the page ends at.

        `stop` bounds the page here, not in SQL: with `notification_id <= stop` in the query,
        the planner (which guesses few rows in such a range) reads the whole range up to
        `stop` through a bitmap and sorts it for every page, instead of walking the index in
        order to the page's last row: 18 ms instead of 1.5 ms a page of 4,000 at 20,000
        events, and growing with the log (docs/benchmarks.md)."""
        rows = reader.execute(sql.SQL(
            "SELECT notification_id, originator_id, originator_version, topic, state "
            "FROM {} WHERE notification_id > %s AND topic = ANY(%s) "
            "ORDER BY notification_id LIMIT %s").format(self.events),
            (position, topics, size), prepare=True).fetchall()
        if rows and rows[-1][0] > stop:
            return [row for row in rows if row[0] <= stop], stop
        # A short page means nothing of ours is left up to `stop`: skip to it.
        return rows, (rows[-1][0] if len(rows) == size else stop)

    def _handle(self, projection: Projection, rows: Sequence[tuple[Any, ...]]) -> Page:
        handlers = self.handlers(projection)
        decode = self.decode
        _prefetch_keys(decode, rows)
        page = Page(self.seal)
        for _, originator_id, version, topic, state in rows:
            handlers[topic](projection, decode(topic, originator_id, version, state), page)
        return page

    def _commit(self, writer: Connection[Any], projection: Projection, where: str, page: Page,
                start: int, end: int, count: int) -> int:
        """Write one page and its position in one transaction (in the writer thread)."""
        tracking = sql.Identifier(where, projection.tracking_table)
        with writer.transaction():
            cursor = writer.cursor()
            found = cursor.execute(sql.SQL(
                "SELECT notification_id FROM {} WHERE application_name = %s FOR UPDATE"
            ).format(tracking), (self.application_name,), prepare=True).fetchone()
            if found is None or int(found[0] or 0) != start:
                raise PositionMoved(projection.name)
            if where == self.live_schema:
                self._check_version(cursor, projection)
            page.flush(cursor, lambda table: self._columns_of(cursor, table))
            projection.end_page(cursor)
            cursor.execute(sql.SQL(
                "UPDATE {} SET notification_id = %s WHERE application_name = %s"
            ).format(tracking), (end, self.application_name), prepare=True)
            cursor.execute("SELECT pg_notify(%s, %s)",
                           (PROJECTIONS_CHANNEL, f"{projection.name}:{end}"))
        return count

    def _check_version(self, cursor: psycopg.Cursor[Any], projection: Projection) -> None:
        """A rebuild by a newer version may have swapped the tables under a running follower."""
        row = cursor.execute(sql.SQL("SELECT version FROM {} WHERE name = %s").format(
            sql.Identifier(self.live_schema, REGISTRY)), (projection.name,),
            prepare=True).fetchone()
        if row is None or row[0] != projection.version:
            raise ProjectionOutdated(
                f"{projection.name} tables are version {row[0] if row else None}, the code is "
                f"version {projection.version}: rebuild it")

    def _columns_of(self, cursor: psycopg.Cursor[Any], table: str) -> Columns:
        """The columns of `table` as the writer's search_path finds it."""
        found = cursor.execute("SELECT to_regclass(%s)::oid", (table,)).fetchone()
        oid = found[0] if found else None
        if oid is None:
            raise LookupError(f"No table {table} on the search path")
        if oid not in self._columns:
            rows = cursor.execute(
                "SELECT attname, atttypid, format_type(atttypid, atttypmod) FROM pg_attribute "
                "WHERE attrelid = %s AND attnum > 0 AND NOT attisdropped", (oid,)).fetchall()
            self._columns[oid] = Columns({r[0]: r[1] for r in rows}, {r[0]: r[2] for r in rows})
        return self._columns[oid]


def _prefetch_keys(decode: Any, rows: Sequence[tuple[Any, ...]]) -> None:
    """The page's subject keys in one round trip (a decoder without them has no `prefetch`)."""
    prefetch = getattr(decode, "prefetch", None)
    if prefetch is not None and rows:
        prefetch({row[1] for row in rows})
