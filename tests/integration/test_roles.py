"""Least privilege: the application's role may read the events and append them (through the
insert function that chains them), and may not change, delete or empty them; the read-table
writer has a role of its own, which may not change events either."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from eventsourcing.cryptography import AESCipher

from domain.application import Assured
from infra.migrations import APP, OWNER, PROJECTOR, Roles, prepare_embedded
from infra.store import event_store_env
from tests.integration.test_store import open_case

EVENTS = "assured_events"

REFUSED = [
    f"UPDATE {EVENTS} SET state = state",
    f"DELETE FROM {EVENTS}",
    f"TRUNCATE {EVENTS}",
    f"INSERT INTO {EVENTS} (originator_id, originator_version, topic, state) "
    "VALUES (gen_random_uuid(), 1, 'x', '')",
    f"UPDATE {EVENTS}_chain SET log_id = gen_random_uuid()",
    f"UPDATE {EVENTS}_record_heads SET version = 0",
    f"DELETE FROM {EVENTS}_record_heads",
    f"ALTER TABLE {EVENTS} DISABLE TRIGGER ALL",
    f"DROP TABLE {EVENTS}",
]


def attempt(conninfo: str, statement: str) -> None:
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(statement)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def roles(postgres: tuple[str, Path]) -> Roles:
    """One database for the module: the refusals change nothing."""
    return prepare_embedded(postgres[0], f"t_{uuid.uuid4().hex[:12]}", None)


@pytest.fixture(scope="module")
def recorded(roles: Roles) -> Iterator[Assured]:
    """The application on the module's database, with one case recorded."""
    app = Assured(event_store_env(roles.app, AESCipher.create_key(num_bytes=32), 0))
    open_case(app)
    yield app
    app.close()


def test_the_embedded_default_connects_each_part_as_its_own_role(
        recorded: Assured, roles: Roles) -> None:
    for conninfo, user in ((roles.migration, OWNER), (roles.app, APP),
                           (roles.read_tables, PROJECTOR)):
        with psycopg.connect(conninfo) as conn:
            found = conn.execute("SELECT current_user, rolsuper FROM pg_roles "
                                 "WHERE rolname = current_user").fetchone()
        assert found == (user, False)


@pytest.mark.parametrize("statement", REFUSED, ids=lambda s: " ".join(s.split()[:2]))
def test_the_application_s_role_may_not_change_the_events(
        recorded: Assured, roles: Roles, statement: str) -> None:
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        attempt(roles.app, statement)
    assert _count(roles.migration) == 1  # (the append test below runs last)


@pytest.mark.parametrize("statement", REFUSED[:3], ids=["UPDATE", "DELETE", "TRUNCATE"])
def test_the_read_table_writer_may_not_change_the_events_either(
        recorded: Assured, roles: Roles, statement: str) -> None:
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        attempt(roles.read_tables, statement)


def test_the_application_s_role_reads_and_appends_through_the_chain(
        recorded: Assured, roles: Roles) -> None:
    with psycopg.connect(roles.app) as conn:
        assert conn.execute(f"SELECT count(*) FROM {EVENTS}").fetchone() == (1,)
    open_case(recorded, "CHILD-0002")  # the application connects as that role
    assert _count(roles.migration) == 2


def _count(owner: str) -> Any:
    with psycopg.connect(owner) as conn:
        return conn.execute(f"SELECT count(*) FROM {EVENTS} WHERE chain_position IS NOT NULL"
                            ).fetchone()[0]  # type: ignore[index]
