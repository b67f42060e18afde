"""Connecting to a Temporal frontend that is still starting (`infra.temporal.connect`).

A dev server's port opens a moment before its frontend serves; a client that connects in that
moment is told "Frontend is not healthy yet" (a fault test met it once, connecting straight
after starting a server). `connect` waits for such a frontend; anything else fails at once, as
the worker's and the API's start-up rely on.

The moment cannot be made on demand (in trials, one start in five met it, then none in ten),
so the frontend's first two answers are the SDK's own words for it, given by a stand-in for
`Client.connect`; the third call goes to a real dev server.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from temporalio.api.workflowservice.v1 import GetSystemInfoRequest
from temporalio.client import Client

from infra.settings import Settings
from infra.temporal import TemporalUnreachable, connect
from tests.faults.conftest import TemporalServer
from tests.servers import free_port

NOT_HEALTHY = ("Failed client connect: `get_system_info` call error after connection: Status { "
               "code: Unavailable, message: \"Frontend is not healthy yet\", metadata: "
               "MetadataMap { headers: {\"content-type\": \"application/grpc\"} }, source: None }")


def starting_for(calls: list[str], answers: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """`Client.connect` answers "not healthy" `answers` times, then connects for real."""
    real = Client.connect

    async def connecting(*args: Any, **kwargs: Any) -> Client:
        calls.append("connect")
        if len(calls) <= answers:
            raise RuntimeError(NOT_HEALTHY)
        return await real(*args, **kwargs)

    monkeypatch.setattr(Client, "connect", connecting)


async def test_a_starting_frontend_is_waited_for(temporal: TemporalServer, cipher_key: str,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    starting_for(calls, 2, monkeypatch)
    client = await connect(Settings(encryption_key=cipher_key,  # type: ignore[arg-type]
                                    temporal_address=temporal.address))
    assert calls == ["connect"] * 3
    assert (await client.workflow_service.get_system_info(GetSystemInfoRequest())).server_version


async def test_nothing_listening_fails_at_once(cipher_key: str) -> None:
    began = time.monotonic()
    with pytest.raises(TemporalUnreachable, match="cannot be reached"):
        await connect(Settings(encryption_key=cipher_key,  # type: ignore[arg-type]
                               temporal_address=f"127.0.0.1:{free_port()}"))
    assert time.monotonic() - began < 10
