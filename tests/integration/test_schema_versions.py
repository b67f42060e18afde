"""A database at schema version 2 (the chain's head in a row of its own, moved by every write)
comes up to version 3 (each write links onto the log's last event) with its chain intact, and
takes writes that link on where it ended. One at version 3 (snapshots without a plain time)
comes up to version 4: its snapshots still serve the history, and new ones carry their time.
One at version 4 (writers serialised by the events table's EXCLUSIVE lock) comes up to version
5 (an advisory lock) on the embedded start's quick check, and a writer still running version
4's insert while the new one is in place cannot interleave with the new one.

Version 2's tables are made from version 3's as that release left them: `<events>_chain_head`
with the log id and the position and hash of the last event. Version 4's insert function is
this release's with version 4's lock: `SET LOCAL lock_timeout`, then `LOCK TABLE … IN EXCLUSIVE
MODE`, and no lock timeout in its definition.
"""

from __future__ import annotations

import re
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import psycopg
import pytest
from eventsourcing.cryptography import AESCipher

from domain.application import Assured
from domain.case import Case
from domain.case_commands import ChangeRisk
from domain.errors import ConcurrencyConflict
from infra import migrations
from infra.chain import ChainTables, insert_function
from domain.history import known_at, recorded_state_at, state_of
from infra.migrations import (EVENTS, OWNER, SCHEMA_VERSION, SNAPSHOTS, VERSIONS,
                              prepare_embedded, with_user)
from infra.recorder import INSERT_FUNCTION
from infra.store import event_store_env
from infra.verification import verify
from tests.integration.test_store import open_case
from tests.refusals import at

TABLES = ChainTables("public", EVENTS)


def as_version_2(owner: str) -> None:
    with psycopg.connect(owner) as conn:
        conn.execute(f"ALTER TABLE {EVENTS}_chain RENAME TO {EVENTS}_chain_head")
        conn.execute(f"ALTER TABLE {EVENTS}_chain_head ADD COLUMN position bigint, "
                     "ADD COLUMN hash bytea")
        conn.execute(f"UPDATE {EVENTS}_chain_head SET (position, hash) = (SELECT "
                     f"chain_position, chain_hash FROM {EVENTS} ORDER BY notification_id DESC "
                     "LIMIT 1)")
        conn.execute(f"DELETE FROM {VERSIONS} WHERE version > 2")
        conn.execute(f"INSERT INTO {VERSIONS} (version) VALUES (2) ON CONFLICT DO NOTHING")


def version_4_function(name: str) -> str:
    """Version 4's insert function, named `name`."""
    text = insert_function(TABLES, name, EVENTS, 0).as_string(None)
    new_lock = re.compile(r"PERFORM pg_advisory_xact_lock\([^)]*\);\n"
                          rf'  LOCK TABLE "public"."{EVENTS}" IN ROW EXCLUSIVE MODE;')
    assert new_lock.search(text) and "  SET lock_timeout = '0s'\n" in text
    return new_lock.sub("SET LOCAL lock_timeout = '0s';\n"
                        f'  LOCK TABLE "public"."{EVENTS}" IN EXCLUSIVE MODE;', text).replace(
        "  SET lock_timeout = '0s'\n", "")


def as_version_4(owner: str) -> None:
    with psycopg.connect(owner) as conn:
        conn.execute(version_4_function(INSERT_FUNCTION))  # type: ignore[call-overload]
        conn.execute(f"DELETE FROM {VERSIONS} WHERE version > 4")
        conn.execute(f"INSERT INTO {VERSIONS} (version) VALUES (4) ON CONFLICT DO NOTHING")


def insert_function_definition(conninfo: str) -> tuple[str, list[str]]:
    with psycopg.connect(conninfo) as conn:
        found = conn.execute("SELECT pg_get_functiondef(p.oid), coalesce(p.proconfig, '{}') "
                             "FROM pg_proc p WHERE p.proname = %s", (INSERT_FUNCTION,)).fetchone()
    assert found is not None
    return found[0], found[1]


def fresh_store(admin: str, snapshot_interval: int = 0) -> tuple[str, Any, Assured]:
    """A new database at this version, its roles, and an application on it."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    roles = prepare_embedded(admin, name, None)
    key = AESCipher.create_key(num_bytes=32)
    return name, roles, Assured(event_store_env(roles.app, key, snapshot_interval))


def the_chain_goes_on(app: Assured, case_id: Any, risk: str, day: int, owner: str,
                      events: int) -> None:
    """One more event on the migrated store, then the whole log verifies, `events` long."""
    later = app.load(case_id, Case)
    later.change_risk(ChangeRisk(record_id=case_id, new_risk=risk, by="sam", at=at(day)))
    app.record(later)
    with psycopg.connect(owner) as c:
        found = verify(c, TABLES)
    assert found.ok, found.summary()
    assert (found.events, found.head) == (events, events)


def test_a_version_4_database_migrates_to_the_advisory_lock_on_the_quick_check(
        postgres: tuple[str, Path]) -> None:
    admin, _ = postgres
    name, roles, app = fresh_store(admin)
    try:
        case = open_case(app)
        as_version_4(roles.migration)
        assert migrations.schema_version(roles.app) == 4
        body, settings = insert_function_definition(roles.migration)
        assert "IN EXCLUSIVE MODE" in body and not any("lock_timeout" in s for s in settings)

        prepare_embedded(admin, name, None)  # the embedded start: migrate(quick=True)

        assert migrations.schema_version(roles.app) == SCHEMA_VERSION == 5
        body, settings = insert_function_definition(roles.migration)
        assert "pg_advisory_xact_lock" in body and "IN EXCLUSIVE MODE" not in body
        assert "SET LOCAL" not in body and "lock_timeout=0s" in settings
        the_chain_goes_on(app, case.id, "high", 1, with_user(admin, "postgres", name),
                          2)
    finally:
        app.close()


def test_a_writer_still_on_version_4s_lock_holds_back_the_new_writers_before_they_read(
        postgres: tuple[str, Path]) -> None:
    """An old writer holds the table's EXCLUSIVE lock (not the advisory one) with its event
    inserted and not yet committed: a new writer must wait before it reads the chain's tail,
    or it would link onto the event before and take the same position (verify finds that)."""
    admin, _ = postgres
    name, roles, app = fresh_store(admin)
    try:
        first, second = open_case(app, "CHILD-0001"), open_case(app, "CHILD-0002")
        with psycopg.connect(roles.migration) as conn:
            conn.execute(version_4_function("version_4_insert"))  # type: ignore[call-overload]
            conn.commit()
        first.change_risk(ChangeRisk(record_id=first.id, new_risk="high", by="sam", at=at(1)))
        old = [app.mapper.to_stored_event(e) for e in first.collect_events()]
        second.change_risk(ChangeRisk(record_id=second.id, new_risk="high", by="sam", at=at(1)))
        done: list[int | None] = []
        with psycopg.connect(with_user(admin, OWNER, name)) as holder:
            holder.execute("SELECT * FROM version_4_insert(%s, %s, %s, %s)", (
                [e.originator_id for e in old], [e.originator_version for e in old],
                [e.topic for e in old], [e.state for e in old])).fetchall()
            writer = threading.Thread(target=lambda: done.append(app.record(second).notification_id))
            writer.start()
            time.sleep(0.5)
            waiting = holder.execute(
                "SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = %s::regclass",
                (f"public.{EVENTS}",)).fetchone()
            holder.commit()
            writer.join(timeout=30)
        assert waiting == (1,)  # the new writer waits on the table, with nothing read
        assert done == [4]
        with psycopg.connect(with_user(admin, "postgres", name)) as c:
            found = verify(c, TABLES)
        assert found.ok, found.summary()
        assert (found.events, found.head) == (4, 4)
    finally:
        app.close()


def test_a_version_2_database_migrates_and_its_chain_goes_on(
        postgres: tuple[str, Path]) -> None:
    admin, _ = postgres
    name, roles, app = fresh_store(admin)
    try:
        case = open_case(app)
        case.change_risk(ChangeRisk(record_id=case.id, new_risk="high", by="sam", at=at(1)))
        app.record(case)
        as_version_2(roles.migration)
        assert migrations.schema_version(roles.app) == 2

        migrations.migrate(roles, None)

        assert migrations.schema_version(roles.app) == SCHEMA_VERSION == 5
        with psycopg.connect(roles.migration) as conn:
            columns = conn.execute(
                "SELECT table_name, column_name FROM information_schema.columns WHERE "
                "table_name LIKE %s ORDER BY ordinal_position", (f"{EVENTS}_chain%",)).fetchall()
        assert [c for _, c in columns] == ["only_row", "log_id"]
        assert {t for t, _ in columns} == {f"{EVENTS}_chain"}
        the_chain_goes_on(app, case.id, "medium", 2, with_user(admin, "postgres", name),
                          3)
    finally:
        app.close()


def test_a_version_3_database_migrates_and_its_snapshots_still_serve_the_history(
        postgres: tuple[str, Path]) -> None:
    admin, _ = postgres
    _, roles, app = fresh_store(admin, snapshot_interval=2)
    try:
        case = open_case(app)
        for day, risk in ((1, "high"), (2, "low"), (3, "high")):  # a snapshot at versions 2, 4
            case.change_risk(ChangeRisk(record_id=case.id, new_risk=risk, by="sam", at=at(day)))
            app.record(case)
        with psycopg.connect(roles.migration) as conn:
            conn.execute(f"ALTER TABLE {SNAPSHOTS} DROP COLUMN modified_on")
            conn.execute(f"DELETE FROM {VERSIONS} WHERE version > 3")
            conn.execute(f"INSERT INTO {VERSIONS} (version) VALUES (3) ON CONFLICT DO NOTHING")
        assert migrations.schema_version(roles.app) == 3

        migrations.migrate(roles, None)

        assert migrations.schema_version(roles.app) == SCHEMA_VERSION
        events = app.stored_events(case.id)
        for instant in [e.timestamp for e in events]:
            assert state_of(recorded_state_at(app, case.id, instant)) == state_of(
                known_at(events, instant))
        later = app.load(case.id, Case)
        for day, risk in ((4, "low"), (5, "high")):  # a snapshot at version 6
            later.change_risk(ChangeRisk(record_id=case.id, new_risk=risk, by="sam", at=at(day)))
            app.record(later)
        with psycopg.connect(roles.migration) as conn:
            times = conn.execute(f"SELECT originator_version, modified_on FROM {SNAPSHOTS} "
                                 "ORDER BY originator_version").fetchall()
        assert times == [(2, None), (4, None), (6, app.stored_events(case.id)[5].timestamp)]
    finally:
        app.close()


def test_a_conflicting_write_takes_no_notification_id(postgres: tuple[str, Path]) -> None:
    """Two writers at the same version: the second is a conflict, and the ids stay gap-free."""
    admin, _ = postgres
    _, roles, app = fresh_store(admin)
    try:
        case = open_case(app)
        one, other = app.load(case.id, Case), app.load(case.id, Case)
        one.change_risk(ChangeRisk(record_id=case.id, new_risk="high", by="sam", at=at(1)))
        app.record(one)
        other.change_risk(ChangeRisk(record_id=case.id, new_risk="low", by="pat", at=at(1)))
        with pytest.raises(ConcurrencyConflict):
            app.record(other)
        one.change_risk(ChangeRisk(record_id=case.id, new_risk="medium", by="sam", at=at(2)))
        app.record(one)
        with psycopg.connect(roles.app) as conn:
            ids = [n for (n,) in conn.execute(
                f"SELECT notification_id FROM {EVENTS} ORDER BY notification_id").fetchall()]
        assert ids == [1, 2, 3]
    finally:
        app.close()
