"""A database an earlier release made keeps loading: `migrate` binds its events to their places
and chains them, its tables pass to the roles that should own them, and the log verifies.

The database is `data/earlier_release.sql`: a `pg_dump` of what the code of an earlier commit
wrote when run (data/make_earlier_release.py names the commit and makes it again).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from domain.application import Assured
from domain.case import Case
from domain.case_commands import ChangeRisk
from domain.errors import IntegrityCheckFailed
from domain.safeguarder import Safeguarder
from infra import migrations
from infra.chain import ChainTables
from infra.migrations import Roles, prepare_embedded, with_user
from infra.store import event_store_env
from infra.verification import verify
from projections.runner import Runner
from tests.refusals import at

DATA = Path(__file__).parent / "data"
MADE = json.loads((DATA / "earlier_release.json").read_text())
KEY: str = MADE["key"]


@pytest.fixture(scope="module")
def earlier(postgres: tuple[str, Path]) -> Iterator[tuple[Roles, Assured]]:
    """The earlier release's database restored as its superuser made it, then migrated."""
    admin, _ = postgres
    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')  # type: ignore[arg-type]
    with psycopg.connect(with_user(admin, "postgres", name), autocommit=True) as conn:
        conn.execute((DATA / "earlier_release.sql").read_text())  # type: ignore[arg-type]
        assert migrations.schema_version(conn.info.dsn) == 0
    roles = prepare_embedded(admin, name, KEY)
    app = Assured(event_store_env(roles.app, KEY, 2))
    yield roles, app
    app.close()


def test_the_earlier_release_s_records_read_back_as_they_were(
        earlier: tuple[Roles, Assured]) -> None:
    _, app = earlier
    case = app.load(uuid.UUID(MADE["case"]), Case)
    assert (case.version, case.risk) == (4, "high")
    person = app.load(uuid.UUID(MADE["safeguarder"]), Safeguarder)
    assert person.name == "Robin O'Hara"
    assert person.version == 2


def test_the_migrated_log_verifies_clean_and_goes_on_chaining(
        earlier: tuple[Roles, Assured]) -> None:
    roles, app = earlier
    before = app.recorder.max_notification_id()
    app.change_risk(ChangeRisk(record_id=uuid.UUID(MADE["case"]), new_risk="low", by="su-1",
                               at=at(0)))
    with psycopg.connect(roles.read_tables) as conn:
        result = verify(conn, ChainTables("public", migrations.EVENTS))
    assert result.ok, result.summary()
    assert result.events == result.head == before + 1


def test_the_events_are_bound_to_their_places_now(earlier: tuple[Roles, Assured]) -> None:
    roles, app = earlier
    first = (f"SELECT state FROM {migrations.EVENTS} WHERE originator_id = %s "
             "AND originator_version = 1")
    put = f"UPDATE {migrations.EVENTS} SET state = %s WHERE chain_position = %s"
    with psycopg.connect(roles.migration, autocommit=True) as owner:
        moved = owner.execute(first, (MADE["case"],)).fetchone()[0]  # type: ignore[index]
        own, position = owner.execute(first.replace("state", "state, chain_position"),
                                      (MADE["safeguarder"],)).fetchone()  # type: ignore[misc]
        owner.execute(put, (moved, position))  # the case's first ciphertext over the person's
        try:
            stored = app.recorder.select_events(uuid.UUID(MADE["safeguarder"]))
            with pytest.raises(IntegrityCheckFailed, match="at version 1"):
                app.mapper.to_domain_event(stored[0])
            app.mapper.to_domain_event(stored[1])  # (its own event, in its place, opens)
        finally:
            owner.execute(put, (own, position))  # (the module's later tests read it whole)


def test_the_read_tables_pass_to_the_read_table_writer_and_follow_on(
        earlier: tuple[Roles, Assured]) -> None:
    roles, app = earlier
    with psycopg.connect(roles.migration) as conn:
        owners: dict[str, Any] = dict(conn.execute(
            "SELECT tablename, tableowner FROM pg_tables WHERE schemaname = 'public'"
        ).fetchall())
    assert owners[migrations.EVENTS] == migrations.OWNER
    assert owners["api_revoked"] == owners["api_idempotency"] == migrations.OWNER
    assert owners["case_state"] == migrations.PROJECTOR
    assert "postgres" not in owners.values()
    runner = Runner(app)
    for projection in runner.projections:  # (rebuilt: some read models are newer than the dump)
        runner.rebuild(projection.name)
    with runner.connect() as conn:
        assert conn.execute("SELECT count(*) FROM case_state").fetchone() == (1,)
