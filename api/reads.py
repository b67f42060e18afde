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

from fastapi import FastAPI
from psycopg import Connection

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


@contextmanager
def read_models(api: FastAPI, names: Sequence[str],
                after: int | None = None) -> Iterator[Connection[Any]]:
    """An autocommit connection to the current tables of the projections `names`."""
    runner = runner_of(api)
    projections = [runner.projection(name) for name in names]
    with runner.connect(autocommit=True) as conn:
        for projection in projections:
            fault = runner.fault(conn, projection)
            if fault is not None:
                raise ProjectionStopped(fault)  # this read model alone: 503, naming it
            if after is not None:
                _wait(api, runner, conn, projection, after)
            elif _behind(runner, conn, projection):
                _catch_up(api, runner, projection)
        yield conn
