"""Reading the read models from the API: current tables, and a read that sees its own write.

`read_models(app, names, after)` opens an autocommit connection to the read tables of the named
projections. First it makes sure each is built and current: a projection with no tables is
built, and one whose position lies behind the log is caught up inline, so the API answers
correctly even when no `assured projections run` follows the log.

With `after=<notification id>` (a command's answer carries it) the read waits, at most
`settings.read_wait_seconds`, for a running follower to process it (`wait_for`); if none does in
time, the read catches up inline. Either way the caller sees what they have just done.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg
from fastapi import FastAPI
from psycopg import Connection, sql
from psycopg_pool import ConnectionPool

from projections import faults, schema
from projections.base import Projection
from projections.runner import CONNECTION_NAME, ProjectionStopped, Runner, wait_for

_RUNNER_LOCK = threading.Lock()


def runner_of(api: FastAPI) -> Runner:
    """One `Runner` over every read model per web application, made on first use."""
    runner: Runner | None = getattr(api.state, "read_runner", None)
    if runner is None:
        with _RUNNER_LOCK:
            runner = getattr(api.state, "read_runner", None)
            if runner is None:
                runner = Runner(api.state.assured)
                with runner.connect(autocommit=True) as conn:  # so reads ask it in one query
                    faults.ensure_table(conn, runner.schema)
                # Reads reuse their connections: opening one costs more than a page's queries.
                api.state.read_pool = ConnectionPool(
                    kwargs={**runner.conninfo, "autocommit": True}, min_size=1, max_size=8,
                    max_idle=300, name="assured-reads", open=True)
                api.state.read_runner = runner
                api.state.read_locks = {p.name: threading.Lock() for p in runner.projections}
    return runner


def _position(runner: Runner, conn: Connection[Any], projection: Projection) -> int | None:
    """The projection's position, or None while it has no tables of this version."""
    if runner.built_version(conn, projection) != projection.version:
        return None
    try:
        return runner.pager.position(conn, projection, runner.schema)
    except LookupError:
        return None


def _behind(runner: Runner, conn: Connection[Any], projection: Projection) -> bool:
    position = _position(runner, conn, projection)
    if position is None:
        return True
    head = runner.head(conn)
    return position < head and runner.pager.pending(conn, projection, runner.schema, head) > 0


def _follower_running(conn: Connection[Any]) -> bool:
    """Whether another session of the projection runner is connected to this database."""
    row = conn.execute(
        "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s "
        "AND datname = current_database() AND pid <> pg_backend_pid()",
        (CONNECTION_NAME,)).fetchone()
    return bool(row and row[0])


def _catch_up(api: FastAPI, runner: Runner, projection: Projection) -> None:
    # One inline catch-up per projection at a time in this process; the runner's own locks
    # keep it safe beside a follower in another process.
    with api.state.read_locks[projection.name]:
        runner.catch_up(projection)


def _wait(api: FastAPI, runner: Runner, conn: Connection[Any], projection: Projection,
          after: int) -> None:
    position = _position(runner, conn, projection)
    if position is not None and position >= after:
        return
    if position is not None and _follower_running(conn):
        timeout = float(api.state.settings.read_wait_seconds)
        if wait_for(conn, projection.name, after, timeout=timeout, schema_name=runner.schema,
                    application_name=api.state.assured.name):
            return
    _catch_up(api, runner, projection)


LAG_TO_CATCH_UP = 1000
"""Events of no interest to a read model it may lie behind before a read moves it on."""


def _current(runner: Runner, conn: Connection[Any], projections: list[Projection],
             after: int | None) -> set[str]:
    """The projections known current in one round trip: no fault recorded, built at their
    version, and with nothing of theirs after their position (or, with `after`, at or past
    it). An empty set when any table is not there yet; the others are checked one by one."""
    if not projections:
        return set()
    parts = []
    params: list[Any] = [[p.name for p in projections]]
    for p in projections:
        tracking = sql.Identifier(runner.schema, p.tracking_table)
        parts.append(sql.SQL(
            "(SELECT version FROM {registry} WHERE name = %s), "
            "(SELECT notification_id FROM {tracking} WHERE application_name = %s), "
            "(SELECT count(*) FROM {events} WHERE topic = ANY(%s) AND notification_id > "
            "coalesce((SELECT notification_id FROM {tracking} WHERE application_name = %s), 0))"
        ).format(registry=sql.Identifier(runner.schema, schema.REGISTRY), tracking=tracking,
                 events=runner.events))
        name = runner.pager.application_name
        params += [p.name, name, sorted(runner.pager.handlers(p)), name]
    query = sql.SQL("SELECT (SELECT max(notification_id) FROM {}), "
                    "(SELECT count(*) FROM {} WHERE name = ANY(%s)), {}").format(
        runner.events, sql.Identifier(runner.schema, faults.FAULTS), sql.SQL(", ").join(parts))
    try:
        row = conn.execute(query, params).fetchone()
    except psycopg.errors.UndefinedTable:
        return set()
    if row is None or row[1]:
        return set()
    head, found = row[0] or 0, set()
    for n, p in enumerate(projections):
        version, position, pending = row[2 + 3 * n: 5 + 3 * n]
        if version != p.version or position is None:
            continue
        if after is not None:
            current = position >= after or pending == 0
        else:
            current = pending == 0 and head - position < LAG_TO_CATCH_UP
        if current:
            found.add(p.name)
    return found


@contextmanager
def read_models(api: FastAPI, names: Sequence[str],
                after: int | None = None) -> Iterator[Connection[Any]]:
    """An autocommit connection to the current tables of the projections `names`."""
    runner = runner_of(api)
    projections = [runner.projection(name) for name in names]
    pool: ConnectionPool = api.state.read_pool
    with pool.connection() as conn:
        current = _current(runner, conn, projections, after)
        for projection in projections:
            if projection.name in current:
                continue
            fault = runner.fault(conn, projection)
            if fault is not None:
                raise ProjectionStopped(fault)  # this read model alone: 503, naming it
            if after is not None:
                _wait(api, runner, conn, projection, after)
            elif _behind(runner, conn, projection):
                _catch_up(api, runner, projection)
        yield conn


def close_reads(api: FastAPI) -> None:
    """Close the reads' connections (when the application stops)."""
    pool: ConnectionPool | None = getattr(api.state, "read_pool", None)
    if pool is not None:
        pool.close()
