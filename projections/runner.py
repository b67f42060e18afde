"""Catch up, follow, rebuild and report the read models of one Assured application.

The paging itself (a page per transaction, rows and position committed together) is in
paging.py; where tables live and how a rebuild swaps them in is in schema.py.

eventsourcing's own `ProjectionRunner` commits once per event (about 680 events/s here); this
runner keeps its tracking-table layout and its LISTEN/NOTIFY channel, and pages instead.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any

import psycopg
from eventsourcing import persistence
from psycopg import Connection, sql
from psycopg.conninfo import conninfo_to_dict

from domain.application import Assured
from projections import faults, schema
from projections.base import Handler, Projection
from projections.catalog import all_projections
from projections.decoding import EventDecoder
from projections.paging import (
    PROJECTIONS_CHANNEL,
    Pager,
    Progress,
    ProjectionOutdated,
)
from projections.faults import ProjectionStopped
from projections.sealing import FieldCipher, refuse_to_seal

__all__ = ["CONNECTION_NAME", "PROJECTIONS_CHANNEL", "ProjectionOutdated", "ProjectionStatus",
           "ProjectionStopped", "Runner", "wait_for"]

log = logging.getLogger(__name__)

PAGE_SIZE = 1000
CONNECTION_NAME = "assured-projections"
"""The runner's connections show under this name in pg_stat_activity."""
READ_TABLES = "READ_TABLES_CONNINFO"
"""The application's environment says here how the read-table writer connects
(infra/store.py); without it, the runner connects as the application does."""


@dataclass(frozen=True)
class ProjectionStatus:
    name: str
    version: int
    built_version: int | None
    position: int | None
    head: int
    lag: int | None
    """Events of the projection's topics recorded after its position."""
    stopped_at: int | None = None
    """The event it could not write, if it stopped at one (projections/faults.py)."""

    @property
    def state(self) -> str:
        if self.stopped_at is not None:
            return f"stopped at event {self.stopped_at}"
        if self.built_version is None:
            return "not built"
        if self.built_version != self.version:
            return "outdated"
        return "current" if self.lag == 0 else "behind"


Connections = tuple[Connection[Any], Connection[Any]]
"""A writer (transactions) and a reader (autocommit)."""


class Runner:
    """Runs the given projections (every read model by default) over `app`'s event log."""

    def __init__(self, app: Assured, projections: Iterable[Projection] | None = None,
                 page_size: int = PAGE_SIZE, *, alone_in_process: bool = False) -> None:
        """`alone_in_process`: the process runs nothing but this runner (`assured projections
        …`), so its pages may pause the garbage collector (`Pager.pause_collector`)."""
        self.app = app
        self.projections = list(projections if projections is not None else all_projections())
        recorder: Any = app.recorder
        self.schema: str = recorder.datastore.schema
        self.events = sql.Identifier(self.schema, recorder.events_table_name)
        self.channel: str = recorder.channel_name
        # The read-table writer's own role (infra/migrations.py), which reads the events too.
        writer = app.env.get(READ_TABLES)
        self._conninfo = (conninfo_to_dict(writer) if writer else {
            k: v for k, v in recorder.datastore.pool.kwargs.items() if k != "row_factory"}) | {
            "application_name": CONNECTION_NAME}
        self._handlers: dict[type[Projection], dict[str, Handler]] = {}
        cipher = FieldCipher.of(app)
        self.pager = Pager(app.name, self.events, self.schema, EventDecoder(app.mapper), page_size,
                           self.handlers, cipher.seal if cipher else refuse_to_seal,
                           pause_collector=alone_in_process)

    def handlers(self, projection: Projection) -> dict[str, Handler]:
        kind = type(projection)
        if kind not in self._handlers:
            self._handlers[kind] = kind.handlers()
        return self._handlers[kind]

    @property
    def conninfo(self) -> dict[str, Any]:
        """How `connect` reaches the database (for a pool of the same connections)."""
        return dict(self._conninfo)

    def connect(self, autocommit: bool = False) -> Connection[Any]:
        """A connection as the read-table writer."""
        return psycopg.connect(autocommit=autocommit, **self._conninfo)
    @contextmanager
    def _connections(self) -> Iterator[Connections]:
        with self.connect() as writer, self.connect(autocommit=True) as reader:
            yield writer, reader

    def projection(self, name: str) -> Projection:
        for projection in self.projections:
            if projection.name == name:
                return projection
        raise KeyError(f"No projection named {name!r}; known: "
                       f"{', '.join(p.name for p in self.projections)}")

    def head(self, reader: Connection[Any]) -> int:
        """The last notification id committed. (Writers lock the events table while they
        insert and commit, so no lower id can still appear after this one is visible.)"""
        found = reader.execute(sql.SQL("SELECT max(notification_id) FROM {}").format(
            self.events)).fetchone()
        return int(found[0]) if found and found[0] is not None else 0

    def built_version(self, reader: Connection[Any], projection: Projection) -> int | None:
        """The version the live tables were built by; None when there are none."""
        registry = reader.execute("SELECT to_regclass(%s)", (
            f'"{self.schema}"."{schema.REGISTRY}"',)).fetchone()
        if registry is None or registry[0] is None:
            return None
        found = schema.registered(reader, self.schema, projection.name)
        return found[0] if found else None

    # --- catching up ----------------------------------------------------------------------------

    def catch_up(self, projection: Projection, progress: Progress | None = None) -> int:
        """Process every event recorded so far; build the tables first if there are none.

        Returns how many events were processed. Raises ProjectionOutdated when the live
        tables are of another version.
        """
        with self._connections() as connections:
            return self._catch_up(connections, projection, progress)

    def catch_up_all(self, projections: Iterable[Projection] | None = None) -> int:
        """Catch up every projection (all by default) in one pass over the log: each page
        read and each event decoded once, for all of them (`Pager.run_together`). A
        projection without tables is built first; a stopped one is left stopped. Returns the
        events processed, counted once per projection (as `catch_up` counts).
        """
        with self._connections() as connections:
            return self._catch_up_all(connections, list(
                projections if projections is not None else self.projections))

    def _catch_up_all(self, connections: Connections, chosen: list[Projection]) -> int:
        writer, reader = connections
        done, ready = 0, []
        for projection in chosen:
            if faults.fault_of(reader, self.schema, projection.name) is not None:
                continue  # logged once, when it stopped; the others go on
            built = self.built_version(reader, projection)
            if built is None:
                done += self._rebuild(connections, projection, None, only_if_missing=True)
            elif built != projection.version:
                raise ProjectionOutdated(f"{projection.name} tables are version {built}, the "
                                         f"code is version {projection.version}: rebuild it")
            else:
                ready.append(projection)
        if not ready:
            return done
        try:
            return done + self.pager.run_together(writer, reader, ready, self.head(reader))
        except (ProjectionOutdated, psycopg.OperationalError):
            raise
        except Exception as error:
            if _lost(error, connections):
                raise psycopg.OperationalError("connection lost") from error
            writer.rollback()
            # Each on its own: a poisonous event stops only its projection, and one moved on
            # by another runner carries on from there. (Pages already committed together
            # stay: each projection resumes from its own position.)
            log.info("Catching up one projection at a time after: %s", error)
            for projection in ready:
                try:
                    done += self._run(connections, projection, self.schema)
                except ProjectionStopped:
                    writer.rollback()
            return done

    def _catch_up(self, connections: Connections, projection: Projection,
                  progress: Progress | None = None) -> int:
        reader = connections[1]
        fault = faults.fault_of(reader, self.schema, projection.name)
        if fault is not None:
            raise ProjectionStopped(fault)
        built = self.built_version(reader, projection)
        if built is None:
            return self._rebuild(connections, projection, progress, only_if_missing=True)
        if built != projection.version:
            raise ProjectionOutdated(f"{projection.name} tables are version {built}, the code is "
                                     f"version {projection.version}: rebuild it")
        return self._run(connections, projection, self.schema, progress)

    def _run(self, connections: Connections, projection: Projection, where: str,
             progress: Progress | None = None) -> int:
        """Page through the log into `where`; an event the projection cannot write stops it
        there, alone (projections/faults.py)."""
        writer, reader = connections
        try:
            return self.pager.run(writer, reader, projection, where, self.head(reader),
                                  progress)
        except (ProjectionOutdated, psycopg.OperationalError):
            raise
        except Exception as error:
            if _lost(error, connections):
                raise psycopg.OperationalError("connection lost") from error
            writer.rollback()
            return self._stop_at_poison(connections, projection, where)

    def _stop_at_poison(self, connections: Connections, projection: Projection,
                        where: str) -> int:
        """Retry one event at a time: commit those before the poison, then stop at it."""
        writer, reader = connections
        single = replace(self.pager, page_size=1)
        try:
            return single.run(writer, reader, projection, where, self.head(reader))
        except (ProjectionOutdated, psycopg.OperationalError):
            raise
        except Exception as poison:  # (any event it cannot write stops it alone)
            if _lost(poison, connections):
                raise psycopg.OperationalError("connection lost") from poison
            writer.rollback()
            at = self._next_event(reader, projection, where)
            with writer.transaction():
                fault = faults.record(writer, self.schema, projection.name, at,
                                      faults.described(poison))
            log.error("Projection %s stopped at event %s (%s); every other read model goes "
                      "on. Fix it, then `assured projections resume %s`.", projection.name, at,
                      fault.error, projection.name)
            raise ProjectionStopped(fault) from None

    def _next_event(self, reader: Connection[Any], projection: Projection, where: str) -> int:
        """The first event of the projection's topics after its position."""
        row = reader.execute(sql.SQL(
            "SELECT min(notification_id) FROM {} WHERE notification_id > %s AND topic = ANY(%s)"
        ).format(self.events), (self.pager.position(reader, projection, where),
                                sorted(self.handlers(projection)))).fetchone()
        return int(row[0]) if row and row[0] is not None else 0

    def fault(self, reader: Connection[Any], projection: Projection) -> faults.Fault | None:
        return faults.fault_of(reader, self.schema, projection.name)

    def resume(self, name: str) -> bool:
        """Clear the projection's stop (after a fix): it follows the log again from where it
        stopped. Whether it had stopped."""
        with self.connect() as writer, writer.transaction():
            return faults.clear(writer, self.schema, self.projection(name).name)

    # --- rebuilding -----------------------------------------------------------------------------

    def rebuild(self, name: str, progress: Progress | None = None) -> int:
        """Build `name` from zero beside its live tables, then swap them in atomically.

        The live tables stay readable (and followed) until the swap. Returns the events processed.
        """
        with self._connections() as connections:
            return self._rebuild(connections, self.projection(name), progress)

    def _rebuild(self, connections: Connections, projection: Projection,
                 progress: Progress | None, only_if_missing: bool = False) -> int:
        writer, reader = connections
        schema.lock_projection(writer, projection)
        writer.commit()
        try:
            if only_if_missing and self.built_version(reader, projection) is not None:
                # Someone else built it while we waited for the lock: carry on from there.
                return self._catch_up(connections, projection, progress)
            with writer.transaction():
                schema.ensure_registry(writer, self.schema)
                faults.ensure_table(writer, self.schema)
                staging = schema.create_staging(writer, projection, self.app.name)
            done = self._run(connections, projection, staging, progress)
            with writer.transaction():
                schema.lock_live_tracking(writer, projection, self.schema)
                # Events recorded during the build, now that the live follower is held off.
                # (Pages here are savepoints of this transaction.)
                done += self.pager.run(writer, reader, projection, staging, self.head(reader))
                schema.swap_in(writer, projection, self.schema)
                faults.clear(writer, self.schema, projection.name)
            log.info("Rebuilt %s v%s from %s events", projection.name, projection.version, done)
            return done
        finally:
            if not (writer.broken or writer.closed):
                writer.rollback()
                writer.execute("RESET search_path")
                schema.unlock_projection(writer, projection)
                writer.commit()

    # --- following ------------------------------------------------------------------------------

    def follow(self, projections: Iterable[Projection] | None = None,
               stop_event: threading.Event | None = None, poll_interval: float = 1.0) -> None:
        """Keep `projections` (all by default) up to date until `stop_event` is set.

        Woken by the store's NOTIFY on each commit of new events; polls every `poll_interval`
        seconds in case a notification is missed. An outdated projection is rebuilt first.
        A projection whose page fails is logged and retried on the next round; a lost
        connection is opened again.
        """
        chosen = list(projections if projections is not None else self.projections)
        stop = stop_event or threading.Event()
        while not stop.is_set():
            try:
                self._follow(chosen, stop, poll_interval)
            except psycopg.OperationalError:
                log.exception("Lost the database; connecting again in %s s", poll_interval)
                stop.wait(poll_interval)

    def _follow(self, chosen: list[Projection], stop: threading.Event,
                poll_interval: float) -> None:
        with self.connect(autocommit=True) as listener, self._connections() as connections:
            listener.execute(sql.SQL("LISTEN {}").format(sql.Identifier(self.channel)))
            for projection in chosen:
                if self.built_version(connections[1], projection) not in (
                        None, projection.version):
                    log.warning("%s is outdated: rebuilding it", projection.name)
                    self._rebuild(connections, projection, None)
            while not stop.is_set():
                self._follow_round(connections, chosen)
                _wait_for_notify(listener, stop, poll_interval)

    def _follow_round(self, connections: Connections, chosen: list[Projection]) -> None:
        """Every projection caught up together; should that fail, each on its own."""
        try:
            self._catch_up_all(connections, chosen)
            return
        except psycopg.OperationalError:
            raise
        except Exception as error:
            if _lost(error, connections):
                raise psycopg.OperationalError("connection lost") from error
            log.info("Following one projection at a time this round after: %s", error)
            connections[0].rollback()
        for projection in chosen:
            self._follow_once(connections, projection)

    def _follow_once(self, connections: Connections, projection: Projection) -> None:
        try:
            self._catch_up(connections, projection)
        except ProjectionStopped:
            connections[0].rollback()  # logged once, when it stopped; the others go on
        except Exception as error:
            if _lost(error, connections):
                raise psycopg.OperationalError("connection lost") from error
            log.exception("Projection %s failed; it will be retried", projection.name)
            connections[0].rollback()

    # --- status ---------------------------------------------------------------------------------

    def status(self) -> list[ProjectionStatus]:
        """Each projection's built version, position and lag behind the log's head."""
        with self.connect(autocommit=True) as reader:
            head = self.head(reader)
            result = []
            for projection in self.projections:
                built = self.built_version(reader, projection)
                position = lag = None
                if built is not None:
                    position = self.pager.position(reader, projection, self.schema)
                    lag = self.pager.pending(reader, projection, self.schema, head)
                fault = self.fault(reader, projection)
                result.append(ProjectionStatus(projection.name, projection.version, built,
                                               position, head, lag,
                                               fault.notification_id if fault else None))
            return result


def _wait_for_notify(listener: Connection[Any], stop: threading.Event, poll: float) -> None:
    """Return on a notification, after `poll` seconds, or soon after `stop` is set."""
    deadline = time.monotonic() + poll
    while not stop.is_set():
        left = deadline - time.monotonic()
        if left <= 0:
            return
        # (Notifications queued meanwhile wake the next wait at once: a cheap empty round.)
        for _ in listener.notifies(timeout=min(left, 0.2), stop_after=1):
            return


def wait_for(conn: Connection[Any], projection: str, notification_id: int,
             timeout: float = 1.0, schema_name: str = "public",
             application_name: str = Assured.name) -> bool:
    """Wait until `projection` has processed `notification_id` (a Receipt's); False on timeout.

    For a reader who must see what they just wrote. `conn` must be in autocommit mode.
    """
    conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(PROJECTIONS_CHANNEL)))
    query = sql.SQL("SELECT notification_id FROM {} WHERE application_name = %s").format(
        sql.Identifier(schema_name, f"{projection}_tracking"))
    deadline = time.monotonic() + timeout
    try:
        while True:
            row = conn.execute(query, (application_name,)).fetchone()
            if row and row[0] is not None and row[0] >= notification_id:
                return True
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            for _ in conn.notifies(timeout=min(left, 0.1), stop_after=1):
                pass
    finally:
        conn.execute(sql.SQL("UNLISTEN {}").format(sql.Identifier(PROJECTIONS_CHANNEL)))


CONNECTION_LOST = (psycopg.OperationalError, persistence.OperationalError,
                   persistence.InterfaceError)
"""A lost database, on the runner's connections or on the store's own pool (the subject keys
a page's decoding fetches): never a poisonous event."""


def _lost(error: BaseException, connections: Connections) -> bool:
    return isinstance(error, CONNECTION_LOST) or any(c.broken or c.closed for c in connections)
