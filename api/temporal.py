"""The API's way to Temporal. While it is unreachable, routes that need it answer 503."""

from __future__ import annotations

import asyncio

from temporalio.client import Client

from api.problems import Problem
from api.settings import Settings
from api.store import encryption_key
from api.temporal_server import reachable
from workflows.codec import data_converter

UNREACHABLE = Problem(503, "Temporal unreachable",
                      "The process engine cannot be reached; try again shortly.")


class TemporalGateway:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._client: Client | None = None
        self._lock = asyncio.Lock()

    async def client(self) -> Client:
        if not reachable(self.settings.temporal_address, timeout=0.3):
            raise UNREACHABLE
        async with self._lock:
            if self._client is None:
                try:
                    self._client = await Client.connect(
                        self.settings.temporal_address, namespace=self.settings.temporal_namespace,
                        data_converter=data_converter(encryption_key(self.settings)))
                except Exception:  # noqa: BLE001 (any failure to connect is "unreachable")
                    raise UNREACHABLE from None
        return self._client

    def ui_link(self, workflow_id: str, run_id: str | None) -> str:
        base = (f"http://localhost:{self.settings.temporal_ui_port}/namespaces/"
                f"{self.settings.temporal_namespace}/workflows/{workflow_id}")
        return f"{base}/{run_id}/history" if run_id else base
