"""The `assured` command."""

from __future__ import annotations

import logging

import typer
from eventsourcing.cipher import AESCipher
from rich.console import Console

from api.settings import Settings

app = typer.Typer(help="Assured: evidence and processes for safeguarding assurance.",
                  no_args_is_help=True)
keys = typer.Typer(help="Encryption keys for the event store.", no_args_is_help=True)
app.add_typer(keys, name="keys")


@app.callback()
def main(verbose: bool = typer.Option(False, "--verbose", "-v", help="Log more.")) -> None:
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")


@app.command()
def demo() -> None:
    """Drive one record of each kind through its life and print the histories."""
    from api.demo import run_demo
    from api.store import open_application

    application = open_application(Settings())
    try:
        run_demo(application, Console(width=200))
    finally:
        application.close()


@app.command()
def worker() -> None:
    """Run the workflow worker (on the embedded default, start the Temporal dev server too)."""
    import asyncio

    from api.store import open_application
    from api.temporal_server import ensure_dev_server

    import signal

    def stop(*_: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)  # stop cleanly (and stop the dev server) on SIGTERM
    settings = Settings()
    server = ensure_dev_server(settings)
    if server is not None:
        typer.echo(f"Temporal dev server started at {settings.temporal_address}; UI at "
                   f"http://localhost:{settings.temporal_ui_port}")
    application = open_application(settings)
    try:
        asyncio.run(_run_worker(settings, application))
    except KeyboardInterrupt:
        pass
    finally:
        application.close()
        if server is not None:
            server.terminate()
            server.wait(timeout=30)


async def _run_worker(settings: Settings, application: object) -> None:
    from temporalio.client import Client

    from workflows.common import DATA_CONVERTER, TASK_QUEUE
    from workflows.worker import build_worker

    client = await Client.connect(settings.temporal_address, namespace=settings.temporal_namespace,
                                  data_converter=DATA_CONVERTER)
    typer.echo(f"Worker polling task queue '{TASK_QUEUE}' at {settings.temporal_address}")
    await build_worker(client, application, TASK_QUEUE).run()  # type: ignore[arg-type]


@keys.command("new")
def new_key() -> None:
    """Print a new AES-256 key for ASSURED_ENCRYPTION_KEY."""
    typer.echo(AESCipher.create_key(num_bytes=32))
