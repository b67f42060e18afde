"""The API over a real PostgreSQL: one application per test, accounts for every role."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.auth import Principal
from infra.settings import Settings
from domain.accounts import Account, Role
from domain.application import Assured
from tests.accounts import PASSWORD, account_for, signed_in
from tests.api.dataset import temporal_dev_server

__all__ = ["PASSWORD", "views_of"]


@pytest.fixture(scope="session")
def temporal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, object]]:
    """A real Temporal dev server for the API tests (no worker: started processes wait)."""
    with temporal_dev_server(tmp_path_factory.mktemp("temporal")) as overrides:
        yield overrides


@pytest.fixture
def app(make_app) -> Assured:  # type: ignore[no-untyped-def]
    """The application as the API runs it: with its record cache, so reads of a cached record
    take the event loop's path (`api.access.authorised_to_read`)."""
    return make_app(cache_size=Settings().record_cache_size)


@pytest.fixture
def settings(database_url: str, cipher_key: str, tmp_path: Path,
             temporal: dict[str, object]) -> Settings:
    return Settings(database_url=database_url, encryption_key=cipher_key, data_dir=tmp_path,
                    **temporal)  # type: ignore[arg-type]


@pytest.fixture
def client(settings: Settings, app: Assured) -> Iterator[TestClient]:
    with TestClient(create_app(settings, app), raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def offline_client(settings: Settings, app: Assured) -> Iterator[TestClient]:
    """The API while Temporal is unreachable."""
    offline = settings.model_copy(update={"temporal_address": "127.0.0.1:1"})
    with TestClient(create_app(offline, app), raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def headers(settings: Settings, app: Assured) -> Callable[..., dict[str, str]]:
    """Authorization headers for a caller of a role (and region), who has an account."""

    def make(role: Role | str, username: str | None = None,
             region: str | None = None) -> dict[str, str]:
        name = username or f"{Role(role).value}-1"
        return signed_in(app, settings, Principal(name, Role(role), region))

    return make


@pytest.fixture
def account(app: Assured) -> Callable[..., Account]:
    """A local account (password `PASSWORD`; a second factor where its role needs one)."""

    def make(username: str, role: Role | str, region: str | None = None) -> Account:
        return account_for(app, Principal(username, Role(role), region))

    return make


def views_of(app: Assured, record_id: object) -> list[object]:
    """Every recorded read of a record (domain `View`), straight from the event log."""
    from eventsourcing.utils import get_topic

    from domain.accounts import View

    topic = get_topic(View.Recorded)  # type: ignore[attr-defined]
    found = app.recorder.select_notifications(1, 100_000, topics=[topic])
    views = [app.mapper.to_domain_event(n) for n in found]
    return [v for v in views if str(v.record_id) == str(record_id)]
