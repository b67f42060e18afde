"""Everything under the data folder is the owner's alone: files 0600 in folders 0700 (the
embedded PostgreSQL's data, the keys, the token secret, Temporal's database and log)."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

import psycopg

from api.auth import token_secret
from infra.migrations import with_user
from infra.settings import Settings
from infra.store import embedded_key, start_embedded_postgres
from infra.temporal import ensure_dev_server
from tests.servers import free_port


def test_the_data_folder_is_private_to_its_owner() -> None:
    data = Path(tempfile.mkdtemp(prefix="assured-private-")) / "var"
    settings = Settings(data_dir=data, temporal_address=f"127.0.0.1:{free_port()}",
                        temporal_ui_port=free_port())
    url = start_embedded_postgres(data).migration  # (the owner: it makes a table)
    temporal = ensure_dev_server(settings)
    try:
        embedded_key(data)
        token_secret(settings)
        with psycopg.connect(url, autocommit=True) as conn:  # the server works, tightened
            conn.execute("CREATE TABLE t (a int)")
        with psycopg.connect(with_user(url, "postgres"), autocommit=True) as conn:
            conn.execute("CHECKPOINT")  # (it reaches its folder through the data folder)
        found, loose = 0, []
        for root, folders, files in os.walk(data):
            for name in [*folders, *files]:
                path = Path(root) / name
                mode = path.lstat().st_mode
                if stat.S_ISDIR(mode) and stat.S_IMODE(mode) != 0o700:
                    loose.append(f"{path} {oct(stat.S_IMODE(mode))}")
                elif stat.S_ISREG(mode):
                    found += 1
                    if stat.S_IMODE(mode) & 0o077:
                        loose.append(f"{path} {oct(stat.S_IMODE(mode))}")
        # Run as root, the server's own user passes through the data folder: 0711.
        assert stat.S_IMODE(data.stat().st_mode) == (0o711 if os.geteuid() == 0 else 0o700)
        assert {"encryption.key", "token.secret", "temporal.db"} <= set(os.listdir(data))
        assert found > 100 and loose == []
    finally:
        assert temporal is not None
        temporal.terminate()
        temporal.wait(15)
        pid = int((data / "pg" / "postmaster.pid").read_text().splitlines()[0])
        os.kill(pid, 15)
