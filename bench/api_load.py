"""A short loopback load test of one command route and one read route.

Run: `.venv/bin/python bench/api_load.py [SECONDS] [CONNECTIONS]`. Starts its own embedded
PostgreSQL and a uvicorn server on a free loopback port, then for each route runs a closed loop
of CONNECTIONS concurrent clients for SECONDS, and prints requests/s, p50 and p99. Bounded in
count and time; it sends nothing anywhere but 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
from eventsourcing.cryptography import AESCipher

from api.auth import Principal, issue_token
from infra.settings import Settings
from infra.store import open_application
from domain.safeguarder import Safeguarder
from domain.accounts import Role

MAX_REQUESTS = 20_000


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def closed_loop(make_request, seconds: float, connections: int) -> list[float]:  # type: ignore[no-untyped-def]
    latencies: list[float] = []
    stop = time.monotonic() + seconds

    async def one_client(n: int) -> None:
        async with httpx.AsyncClient(timeout=30) as client:
            i = 0
            while time.monotonic() < stop and len(latencies) < MAX_REQUESTS:
                began = time.perf_counter()
                answer = await make_request(client, n, i)
                latencies.append(time.perf_counter() - began)
                assert answer.status_code < 300, answer.text
                i += 1

    await asyncio.gather(*(one_client(n) for n in range(connections)))
    return latencies


def report(name: str, latencies: list[float], seconds: float) -> None:
    cut = statistics.quantiles(latencies, n=100)
    print(f"{name:<44}{len(latencies) / seconds:>10.0f} req/s   p50 {cut[49] * 1000:6.1f} ms   "
          f"p99 {cut[98] * 1000:6.1f} ms   ({len(latencies)} requests)")


def start_server(settings: Settings, port: int) -> subprocess.Popen[bytes]:
    """`assured api` in its own process, so the load generator does not share its GIL."""
    env = dict(os.environ, ASSURED_DATA_DIR=str(settings.data_dir),
               ASSURED_ENCRYPTION_KEY=settings.encryption_key.get_secret_value(),  # type: ignore[union-attr]
               ASSURED_TEMPORAL_ADDRESS=settings.temporal_address)
    assured = Path(sys.executable).with_name("assured")
    return subprocess.Popen([str(assured), "api", "--port", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


async def main(seconds: float, connections: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="assured-load-"))
    os.chmod(folder, 0o755)
    settings = Settings(data_dir=folder, encryption_key=AESCipher.create_key(32),
                        temporal_address="127.0.0.1:1")
    admin = {"Authorization": "Bearer " + issue_token(Principal("admin", Role.PANEL_ADMIN),
                                                      settings)}
    port = free_port()
    server = start_server(settings, port)
    base = f"http://127.0.0.1:{port}"
    async with httpx.AsyncClient() as probe:
        for _ in range(300):
            try:
                if (await probe.get(f"{base}/healthz")).status_code == 200:
                    break
            except httpx.TransportError:
                await asyncio.sleep(0.1)
    # Records are made directly (creating one through the API also starts its process, which
    # needs Temporal); each connection then works on its own record.
    seeder = open_application(settings)
    ids = []
    for _ in range(connections):
        made = Safeguarder.apply_to_panel(name="Load Test", contact={}, region="East",
                                          by="bench", at=datetime.now(UTC))
        seeder.record(made)
        ids.append(str(made.id))
    seeder.close()

    async def command(client: httpx.AsyncClient, n: int, i: int) -> httpx.Response:
        return await client.post(f"{base}/safeguarders/{ids[n]}/record-performance-evidence",
                                 json={"standard": "Standard 1", "evidence": f"note {i}"},
                                 headers=admin)

    report("POST /safeguarders/{id}/record-performance-evidence",
           await closed_loop(command, seconds, connections), seconds)

    async def read(client: httpx.AsyncClient, n: int, i: int) -> httpx.Response:
        return await client.get(f"{base}/safeguarders/{ids[n]}", headers=admin)

    report("GET /safeguarders/{id} (read, access logged)", await closed_loop(read, seconds,
                                                                             connections), seconds)
    server.terminate()
    server.wait(timeout=30)


if __name__ == "__main__":
    asyncio.run(main(float(sys.argv[1]) if len(sys.argv) > 1 else 10.0,
                     int(sys.argv[2]) if len(sys.argv) > 2 else 16))
