"""The whole system, as people meet it: the HTTP API under uvicorn on the loopback, with a real
PostgreSQL, the Temporal dev server (its real clock: a date in the past is in the past), a
workflow worker and the projection runner, all started here and stopped after each test."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from api.auth import Principal
from domain.accounts import Role
from domain.application import Assured
from infra.settings import Settings
from infra.store import event_store_env
from tests.accounts import signed_in
from tests.servers import background_worker, projection_runner, temporal_dev_server, web_server


@pytest.fixture(scope="session")
def temporal_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, object]]:
    with temporal_dev_server(tmp_path_factory.mktemp("e2e-temporal")) as overrides:
        yield overrides


@dataclass
class System:
    """The running system and a way to act as anyone in it."""

    url: str
    settings: Settings
    app: Assured
    http: httpx.Client

    def who(self, role: Role, username: str, region: str | None = None) -> dict[str, str]:
        """Authorization headers of a person with an account of `role` (made on first use)."""
        return signed_in(self.app, self.settings, Principal(username, role, region))

    def post(self, path: str, headers: dict[str, str], **body: Any) -> httpx.Response:
        return self.http.post(path, headers=headers, json=body)

    def events(self, record_id: Any) -> list[Any]:
        from uuid import UUID

        return self.app.stored_events(UUID(str(record_id)))

    def until(self, check: Callable[[], Any], timeout: float = 30.0) -> Any:
        """Poll `check` until it answers something true (processes settle asynchronously)."""
        deadline = time.monotonic() + timeout
        while True:
            found = check()
            if found:
                return found
            assert time.monotonic() < deadline, "the system did not settle in time"
            time.sleep(0.1)


@pytest.fixture
def system(database_url: str, cipher_key: str, tmp_path: Path,
           temporal_server: dict[str, object]) -> Iterator[System]:
    settings = Settings(database_url=database_url, encryption_key=cipher_key, data_dir=tmp_path,
                        **temporal_server)  # type: ignore[arg-type]
    app = Assured(event_store_env(database_url, cipher_key, settings.snapshot_interval,
                                  settings.record_cache_size),
                  policy=settings.policy)
    try:
        with background_worker(settings, app) as running, projection_runner(app), \
                web_server(running, app) as url, httpx.Client(base_url=url, timeout=60) as http:
            yield System(url, running, app, http)
    finally:
        app.close()


def iso(moment: datetime) -> str:
    return moment.isoformat()
