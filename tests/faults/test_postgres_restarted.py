"""PostgreSQL is restarted in immediate mode (every backend killed, recovery from the WAL) while
the projection runner catches up on 10,000 events: the runner connects again and carries on from
the pages it had committed, and every read table ends as a rebuild from zero makes it.

The server is the test's own, so the restart touches no other test.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import psycopg
import pytest
from eventsourcing.cryptography import AESCipher

from domain.application import Assured
from infra.migrations import Roles
from infra.store import event_store_env
from projections.runner import Runner
from tests.faults.conftest import PrivateServer, private_postgres, until
from tests.faults.history import every_read_table, record_log

EVENTS = 10_000


@pytest.fixture
def server() -> Iterator[PrivateServer]:
    with private_postgres() as running:
        yield running


def built(roles: Roles) -> int:
    """How many read models have live tables (0 when the server cannot be reached)."""
    try:
        with psycopg.connect(roles.read_tables, autocommit=True, connect_timeout=2) as conn:
            row = conn.execute("SELECT count(*) FROM projection_registry").fetchone()
            return int(row[0]) if row else 0
    except psycopg.OperationalError:
        return 0


def test_an_immediate_restart_of_postgresql_during_catch_up_loses_and_doubles_nothing(
    server: PrivateServer,
) -> None:
    began = time.monotonic()
    roles = server.database("faults")
    app = Assured(event_store_env(roles.app, AESCipher.create_key(num_bytes=32), 0,
                                  read_tables_url=roles.read_tables))
    try:
        head = record_log(app, EVENTS)
        recorded = time.monotonic()
        runner = Runner(app)
        stop = threading.Event()
        follower = threading.Thread(target=runner.follow, name="faults-projections",
                                    kwargs={"stop_event": stop, "poll_interval": 0.2})
        follower.start()
        try:
            until(lambda: built(roles) >= 1, 60, "the first read model built")
            assert built(roles) < len(runner.projections), "the catch-up ended before the restart"
            server.restart_immediately()
            restarted = time.monotonic()

            def caught_up() -> bool:
                try:
                    status = runner.status()
                except psycopg.OperationalError:
                    return False
                assert all(s.stopped_at is None for s in status), status
                return all(s.state == "current" and s.position == head for s in status)

            until(caught_up, 120, "the catch-up after the restart", step=0.5)
        finally:
            stop.set()
            follower.join(30)
        assert not follower.is_alive()
        followed = every_read_table(roles.read_tables)
        assert len(followed) > len(runner.projections)  # each model's tables and its position
        assert all(followed.values()), [table for table, rows in followed.items() if not rows]

        fresh = Runner(app)
        for projection in fresh.projections:
            fresh.rebuild(projection.name)
        assert every_read_table(roles.read_tables) == followed
        print(f"\n{head:,} events recorded in {recorded - began:.1f} s; caught up "
              f"{time.monotonic() - restarted:.1f} s after the restart; "
              f"{time.monotonic() - began:.1f} s in all")
    finally:
        app.close()
