"""`assured up`: the whole system in one process on the embedded default.

Starts (or reuses) the private PostgreSQL and the Temporal dev server, then runs the workflow
worker, the projection runner and the HTTP API together, and stops them together on Ctrl-C.
In production each of these runs on its own (`assured api`, `assured worker`,
`assured projections run`) and scales out.
"""

from __future__ import annotations

import asyncio
import logging
import threading

import uvicorn
from temporalio.client import Client

from api.app import create_app
from api.settings import Settings
from api.store import encryption_key, open_application
from api.temporal_server import ensure_dev_server
from projections.runner import Runner
from workflows.codec import data_converter
from workflows.common import TASK_QUEUE
from workflows.worker import build_worker

log = logging.getLogger(__name__)


def run_everything(settings: Settings, host: str, port: int) -> None:
    temporal = ensure_dev_server(settings)
    application = open_application(settings)
    stop = threading.Event()
    follower = threading.Thread(target=Runner(application).follow, kwargs={"stop_event": stop},
                                name="projections", daemon=True)
    follower.start()
    try:
        asyncio.run(_serve(settings, application, host, port))
    finally:
        stop.set()
        follower.join(timeout=10)
        application.close()
        if temporal is not None:
            temporal.terminate()
            temporal.wait(timeout=30)


async def _serve(settings: Settings, application: object, host: str, port: int) -> None:
    client = await Client.connect(settings.temporal_address, namespace=settings.temporal_namespace,
                                  data_converter=data_converter(encryption_key(settings)))
    worker = build_worker(client, application, TASK_QUEUE)  # type: ignore[arg-type]
    worker_task = asyncio.create_task(worker.run())
    web = uvicorn.Server(uvicorn.Config(create_app(settings, application),  # type: ignore[arg-type]
                                        host=host, port=port, log_level="warning",
                                        access_log=False))
    print(f"Assured is up: API and docs at http://{host}:{port}/docs, Temporal UI at "
          f"http://localhost:{settings.temporal_ui_port}. Ctrl-C stops everything.", flush=True)
    try:
        await web.serve()
    finally:
        await worker.shutdown()
        await worker_task
