"""The API's way to Temporal. While it is unreachable, routes that need it answer 503."""

from __future__ import annotations

import asyncio

from temporalio.client import Client

from api.problems import Problem
from infra.settings import Settings
from infra.temporal import connect

UNREACHABLE = Problem(503, "Temporal unreachable",
                      "The process engine cannot be reached; try again shortly.")
CONNECT_TIMEOUT_SECONDS = 3.0


class TemporalGateway:
    """One client per web application, connected on first use. Once connected, a call that
    finds Temporal gone fails on its own (the caller answers 503)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._client: Client | None = None
        self._lock = asyncio.Lock()

    async def client(self) -> Client:
        if self._client is not None:
            return self._client
        async with self._lock:
            if self._client is None:
                try:
                    self._client = await asyncio.wait_for(connect(self.settings),
                                                          CONNECT_TIMEOUT_SECONDS)
                except Exception:  # noqa: BLE001 (any failure to connect is "unreachable")
                    raise UNREACHABLE from None
        return self._client

    def ui_link(self, workflow_id: str, run_id: str | None) -> str:
        ui = (self.settings.temporal_ui_url or
              f"http://localhost:{self.settings.temporal_ui_port}").rstrip("/")
        base = f"{ui}/namespaces/{self.settings.temporal_namespace}/workflows/{workflow_id}"
        return f"{base}/{run_id}/history" if run_id else base
