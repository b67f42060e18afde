"""`assured up`: the whole system in one process on the embedded default.

Starts (or reuses) the private PostgreSQL and the Temporal dev server, then runs the workflow
worker, the projection runner and the HTTP API together, and stops them together on Ctrl-C.
In production each of these runs on its own (`assured api`, `assured worker`,
`assured projections run`) and scales out.
"""

from __future__ import annotations

import asyncio
import threading

import uvicorn

from api.app import create_app
from domain.application import Assured
from infra.settings import Settings
from infra.store import application
from infra.temporal import ensure_dev_server
from infra.verification import PeriodicVerification, Verifier
from infra.worker import run_worker
from projections.runner import Runner


def run_everything(settings: Settings, host: str, port: int) -> None:
    temporal = ensure_dev_server(settings)
    stop = threading.Event()
    try:
        with application(settings) as opened:
            follower = threading.Thread(target=Runner(opened).follow,
                                        kwargs={"stop_event": stop}, name="projections",
                                        daemon=True)
            follower.start()
            # The periodic verification, as `assured projections run` has it.
            verification = PeriodicVerification(Verifier.of(opened, settings),
                                                settings.verify_interval_seconds).start()
            try:
                asyncio.run(_serve(settings, opened, host, port))
            finally:
                stop.set()
                verification.stop()
                follower.join(timeout=10)
    finally:
        if temporal is not None:
            temporal.terminate()
            temporal.wait(timeout=30)


async def _serve(settings: Settings, opened: Assured, host: str, port: int) -> None:
    stopped = asyncio.Event()
    worker = asyncio.create_task(run_worker(settings, opened, stop=stopped))
    web = uvicorn.Server(uvicorn.Config(create_app(settings, opened), host=host, port=port,
                                        log_level="warning", access_log=False,
                                        log_config=None))  # our logging (infra/logs.py)
    print(f"Assured is up: API and docs at http://{host}:{port}/docs, Temporal UI at "
          f"http://localhost:{settings.temporal_ui_port}. Ctrl-C stops everything.", flush=True)
    try:
        await web.serve()
    finally:
        stopped.set()
        await worker
