"""The `assured` command."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from uuid import UUID

import typer
from eventsourcing.cryptography import AESCipher
from rich.console import Console

from api.settings import Settings
from projections import cli as projections_cli
from projections import report_cli

app = typer.Typer(help="Assured: evidence and processes for safeguarding assurance.",
                  no_args_is_help=True)
keys = typer.Typer(help="Encryption keys for the event store.", no_args_is_help=True)
users = typer.Typer(help="Local accounts (the embedded default's sign-in).", no_args_is_help=True)
app.add_typer(keys, name="keys")
app.add_typer(projections_cli.app, name="projections")
app.add_typer(report_cli.app, name="report")
app.add_typer(users, name="users")


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
    import signal

    from api.store import open_application
    from api.temporal_server import ensure_dev_server

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
    finally:
        application.close()
        if server is not None:
            server.terminate()
            server.wait(timeout=30)


async def _run_worker(settings: Settings, application: object) -> None:
    import asyncio
    import signal

    from temporalio.client import Client

    from api.store import encryption_key
    from workflows.codec import data_converter
    from workflows.common import TASK_QUEUE
    from workflows.worker import build_worker

    client = await Client.connect(settings.temporal_address, namespace=settings.temporal_namespace,
                                  data_converter=data_converter(encryption_key(settings)))
    stop = asyncio.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):  # stop cleanly (and the dev server too)
        asyncio.get_running_loop().add_signal_handler(signum, stop.set)
    async with build_worker(client, application, TASK_QUEUE):  # type: ignore[arg-type]
        typer.echo(f"Worker polling task queue '{TASK_QUEUE}' at {settings.temporal_address}")
        await stop.wait()


class Format(StrEnum):
    TEXT = "text"
    JSON = "json"
    PDF = "pdf"


def _instant(text: str | None) -> datetime | None:
    """An ISO date or date-time; without a zone it is UTC."""
    if text is None:
        return None
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@app.command()
def history(
    kind: str = typer.Argument(help="safeguarder, case, review, audit, region, group-session, "
                                    "mentor"),
    record_id: str = typer.Argument(help="the record's id"),
    as_known_at: str = typer.Option(None, help="state from the events recorded by then"),
    as_happened_by: str = typer.Option(None, help="state from the facts that happened by then"),
    diff: tuple[str, str] | None = typer.Option(None, help="what was known: changes T1 to T2"),
    format: Format = typer.Option(Format.TEXT, "--format"),
    out: Path = typer.Option(None, help="write here instead of standard output"),
) -> None:
    """A record's full history: what happened, who did it, when it happened, when recorded."""
    from api.replay import as_json, as_pdf, build_history, print_history
    from api.store import open_application
    from domain.errors import RecordNotFound

    application = open_application(Settings())
    try:
        between = (_instant(diff[0]), _instant(diff[1])) if diff else None
        found = build_history(application, kind, UUID(record_id),
                              as_known_at=_instant(as_known_at),
                              as_happened_by=_instant(as_happened_by),
                              between=between)  # type: ignore[arg-type]
    except (RecordNotFound, ValueError) as problem:
        typer.echo(f"No history: {problem}", err=True)
        raise typer.Exit(2) from None
    finally:
        application.close()
    if format is Format.PDF:
        target = out or Path(f"history-{kind}-{record_id}.pdf")
        target.write_bytes(as_pdf(found))
        typer.echo(f"Wrote {target}")
    elif format is Format.JSON:
        text = as_json(found)
        out.write_text(text) if out else typer.echo(text)
    else:
        print_history(found, Console(width=200, file=out.open("w") if out else None))


@app.command()
def api(host: str = typer.Option(None, help="address to listen on"),
        port: int = typer.Option(None, help="port to listen on")) -> None:
    """Serve the HTTP API (docs at /docs); on the embedded default, start the database too."""
    import uvicorn

    from api.app import create_app
    from api.store import open_application

    settings = Settings()
    application = open_application(settings)
    try:
        uvicorn.run(create_app(settings, application), host=host or settings.api_host,
                    port=port or settings.api_port, log_level="warning", access_log=False)
    finally:
        application.close()


@app.command()
def up(host: str = typer.Option(None, help="API address"),
       port: int = typer.Option(None, help="API port")) -> None:
    """Run the whole system: database, Temporal, worker, projections and the API."""
    from api.up import run_everything

    settings = Settings()
    run_everything(settings, host or settings.api_host, port or settings.api_port)


@users.command("add")
def add_user(
    username: str = typer.Argument(help="the sign-in name"),
    role: str = typer.Option(..., help="panel_admin, support_manager, mentoring_coordinator, "
                                       "practitioner, supervisor, practice_review_member, "
                                       "auditor or ops"),
    region: str = typer.Option(None, help="East, North or West (support managers)"),
    password: str = typer.Option(..., prompt=True, hide_input=True, confirmation_prompt=True),
    by: str = typer.Option("cli", help="who is adding the account"),
) -> None:
    """Create a local account; the password is stored only as an argon2 hash."""
    from api.auth import hash_password
    from api.store import open_application
    from domain.accounts import Account
    from domain.errors import DomainError

    application = open_application(Settings())
    try:
        account = Account.create(username=username, role=role, region=region,
                                 password_hash=hash_password(password), by=by,
                                 at=datetime.now(UTC))
        application.record(account)
    except DomainError as refused:
        typer.echo(f"Refused: {refused}", err=True)
        raise typer.Exit(2) from None
    finally:
        application.close()
    typer.echo(f"Account {username} ({role}) created.")


@keys.command("new")
def new_key() -> None:
    """Print a new AES-256 key for ASSURED_ENCRYPTION_KEY."""
    typer.echo(AESCipher.create_key(num_bytes=32))
