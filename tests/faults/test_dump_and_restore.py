"""A backup with `pg_dump`, restored into a fresh server as docs/operations.md says ("Restoring",
steps 2 to 5): the read tables rebuilt from the restored log equal the originals, and
`assured verify` passes against the checkpoint signed before the backup.

What travels with the dump (the backup is not whole without each):

- **the database**: `pg_dump -Fc` of the Assured database, restored with `pg_restore` into a
  new database owned by the migration role, then `assured db migrate` (the database's own
  rights are not in a dump: migrate grants them again, the read-table writer's CREATE among
  them, which rebuilds need);
- **the roles**, before the restore: `pg_dumpall --roles-only` (a dump holds no roles, and the
  restored objects name their owners, `assured_owner`, `assured_app`, `assured_projector`:
  `pg_restore --exit-on-error` stops at the first owner it cannot find);
- **the encryption key** (`ASSURED_ENCRYPTION_KEY`, or `encryption.key` under the data folder on
  the embedded default): every event and snapshot is sealed with it, and it wraps each data
  subject's key (the `subject_keys` table is in the dump); without it nothing can be read;
- **the checkpoints** (`checkpoints.jsonl` in `ASSURED_CHECKPOINT_DIR`, `<data folder>/checkpoints`
  by default): they are outside the database on purpose, so they are backed up apart from it;
  a restore checked against them proves the restored log is the one that was signed;
- **the checkpoint signer's public key** (`ASSURED_CHECKPOINT_PUBLIC_KEYS`; the embedded
  default derives it from `checkpoint.key` under the data folder): without it the checkpoint
  cannot be trusted, and `assured verify` fails on it (shown below).

Temporal's own state (its database, or the dev server's `temporal.db`) is backed up apart: it
is the processes' state, not the record; every step they took is on the records already.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict

from domain.application import Assured
from domain.case import Case
from infra.chain import ChainTables
from infra.checkpoints import KEY_FILE, CheckpointLog
from infra.migrations import OWNER, Roles, migrate, with_user
from infra.settings import Settings
from infra.store import event_store_env
from infra.verification import Verifier
from projections.runner import Runner
from tests.faults.conftest import PG_BIN, PrivateServer, private_postgres
from tests.faults.history import every_read_table
from tests.projections.stories import World


@pytest.fixture
def fresh_server() -> Iterator[PrivateServer]:
    with private_postgres() as running:
        yield running


def run(*command: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(part) for part in command], check=True, text=True, timeout=120,
                          capture_output=True)


def test_a_dump_restored_into_a_fresh_server_rebuilds_the_same_tables_and_verifies(
    app: Assured, roles: Roles, postgres: tuple[str, Path], fresh_server: PrivateServer,
    cipher_key: str, tmp_path: Path,
) -> None:
    began = time.monotonic()
    world = World(app)
    for _ in range(3):  # by then every read table has rows
        world.next_round()
    runner = Runner(app)
    for projection in runner.projections:
        runner.catch_up(projection)
    originals = every_read_table(roles.read_tables)
    assert all(originals.values()), [table for table, rows in originals.items() if not rows]
    source_data = tmp_path / "source-data"
    signed = Verifier.of(app, Settings(data_dir=source_data,  # type: ignore[arg-type]
                                       encryption_key=cipher_key)).run(sign=True)
    assert signed.ok and signed.checkpoint is not None
    head = signed.checkpoint.size

    # The backup: the database, the roles, and (outside the database) the checkpoints and key.
    admin, _ = postgres
    dbname = str(conninfo_to_dict(roles.app)["dbname"])
    dump, role_file = tmp_path / "assured.dump", tmp_path / "roles.sql"
    run(PG_BIN / "pg_dump", "--format=custom", f"--file={dump}",
        f"--dbname={with_user(admin, 'postgres', dbname)}")
    run(PG_BIN / "pg_dumpall", "--roles-only", f"--file={role_file}", f"--dbname={admin}")
    restored_data = tmp_path / "restored-data"
    restored_data.mkdir(mode=0o700)
    shutil.copytree(source_data / "checkpoints", restored_data / "checkpoints")
    shutil.copy2(source_data / KEY_FILE, restored_data / KEY_FILE)

    # The restore, on a server that has never seen Assured. (The bootstrap superuser's own
    # CREATE ROLE fails there, harmlessly: it exists already.)
    run(PG_BIN / "psql", "--quiet", f"--file={role_file}",
        f"--dbname={fresh_server.admin}")
    with psycopg.connect(fresh_server.admin, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {} OWNER {}").format(
            sql.Identifier(dbname), sql.Identifier(OWNER)))
    run(PG_BIN / "pg_restore", "--exit-on-error",
        f"--dbname={with_user(fresh_server.admin, 'postgres', dbname)}", dump)
    restored_roles = Roles.embedded(fresh_server.admin, dbname)
    assert migrate(restored_roles, cipher_key).chained == 0  # `assured db migrate`
    restored = Assured(event_store_env(restored_roles.app, cipher_key, 0,
                                       read_tables_url=restored_roles.read_tables))
    try:
        case = world.cases[0]
        assert restored.load(case.id, Case).version == app.load(case.id, Case).version
        rebuilt = Runner(restored)
        for projection in rebuilt.projections:
            rebuilt.rebuild(projection.name)
        assert every_read_table(restored_roles.read_tables) == originals

        # The checkpoint without its signer's key proves nothing: the check fails on it.
        untrusted = Verifier(restored_roles.read_tables,
                             ChainTables("public", restored.recorder.events_table_name),
                             CheckpointLog(restored_data / "checkpoints"), {}).run(sign=False)
        assert not untrusted.ok and untrusted.first is not None
        assert untrusted.first.kind == "checkpoint"
    finally:
        restored.close()

    verified = subprocess.run(
        [str(Path(sys.executable).with_name("assured")), "verify"], check=False, text=True, timeout=120,
        capture_output=True, env=dict(
            os.environ, ASSURED_DATABASE_URL=restored_roles.app,
            ASSURED_PROJECTIONS_DATABASE_URL=restored_roles.read_tables,
            ASSURED_ENCRYPTION_KEY=cipher_key, ASSURED_DATA_DIR=str(restored_data)))
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert verified.stdout.startswith(f"Intact: {head:,} events"), verified.stdout
    assert "as is the checkpoint of" in verified.stdout and f"at position {head:,}" in (
        verified.stdout)
    print(f"\n{head:,} events dumped, restored, rebuilt and verified in "
          f"{time.monotonic() - began:.1f} s")
