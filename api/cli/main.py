"""The `assured` command."""

from __future__ import annotations

import signal
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from uuid import UUID

import typer
from eventsourcing.cryptography import AESCipher
from pydantic import ValidationError
from rich.console import Console

from api.cli import integrity as integrity_cli
from api.cli.clearly import reported
from api.cli import projections as projections_cli
from api.cli import report as report_cli
from api.cli import subjects as subjects_cli
from infra.settings import Settings

app = typer.Typer(help="Assured: evidence and processes for safeguarding assurance.",
                  no_args_is_help=True)
keys = typer.Typer(help="Encryption keys for the event store.", no_args_is_help=True)
users = typer.Typer(help="Local accounts (the embedded default's sign-in).", no_args_is_help=True)
app.add_typer(keys, name="keys")
app.add_typer(integrity_cli.db, name="db")
app.command()(integrity_cli.verify)
app.add_typer(projections_cli.app, name="projections")
app.add_typer(report_cli.app, name="report")
app.add_typer(users, name="users")
app.add_typer(subjects_cli.hold, name="legal-hold")
app.command("erase")(subjects_cli.erase)
app.command("subject-access")(subjects_cli.subject_access)


NEED_NO_SETTINGS = {"keys", "permissions"}
"""Commands that run without valid settings (making the keys production's settings need)."""


@app.callback()
def main(ctx: typer.Context,
         verbose: bool = typer.Option(False, "--verbose", "-v", help="Log more.")) -> None:
    from infra import logs

    try:
        settings: Settings | None = Settings()
    except ValidationError as invalid:
        if ctx.invoked_subcommand not in NEED_NO_SETTINGS:
            typer.echo(settings_problems(invalid), err=True)
            raise typer.Exit(2) from None
        settings = None
    logs.configure(settings, verbose=verbose)  # once, for every command (infra/logs.py)
    signal.signal(signal.SIGTERM, _unwind)


def settings_problems(invalid: ValidationError) -> str:
    """What is wrong with the settings, in a line each, naming the variables (never a value)."""
    lines = []
    for error in invalid.errors():
        where = "".join(str(part) for part in error["loc"][:1])
        name = f"ASSURED_{where.upper()}: " if where else ""
        lines.append(f"  {name}{error['msg'].removeprefix('Value error, ')}")
    return "Settings refused (environment variables, README \"Settings\"):\n" + "\n".join(lines)


def _unwind(signum: int, frame: object) -> None:
    """SIGTERM unwinds like Ctrl-C, so every `finally` runs and the servers we started stop.

    Without this the default action kills the process outright (uvicorn re-raises the signal
    it caught once it has shut down), leaving the embedded PostgreSQL running.
    """
    raise SystemExit(128 + signum)


@app.command()
def demo() -> None:
    """Drive one record of each kind through its life and print the histories."""
    from api.cli.demo import run_demo
    from infra.store import application

    with application(Settings()) as opened:
        run_demo(opened, Console(width=200))


@app.command()
def worker() -> None:
    """Run the workflow worker (on the embedded default, start the Temporal dev server too)."""
    import asyncio

    from infra.store import application
    from infra import telemetry
    from infra.temporal import ensure_dev_server
    from infra.worker import run_worker

    settings = Settings()
    telemetry.start(settings, "assured-worker")
    try:
        # (the database and a dev server started here stop at exit, unless another command
        # of this checkout uses them: infra/embedded.py)
        with reported("assured worker"), application(settings) as opened:
            if ensure_dev_server(settings) is not None:
                typer.echo(f"Temporal dev server started at {settings.temporal_address}; UI at "
                           f"http://localhost:{settings.temporal_ui_port}")
            asyncio.run(run_worker(settings, opened, until_signalled=True,
                                   ready=lambda: typer.echo(
                                       f"Worker polling at {settings.temporal_address}")))
    finally:
        telemetry.stop()


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
    from domain.errors import RecordNotFound
    from infra.store import application
    from projections.reports.history import as_json, as_pdf, build_history, print_history

    try:
        with application(Settings()) as opened:
            between = (_instant(diff[0]), _instant(diff[1])) if diff else None
            found = build_history(opened, kind, UUID(record_id),
                                  as_known_at=_instant(as_known_at),
                                  as_happened_by=_instant(as_happened_by),
                                  between=between)  # type: ignore[arg-type]
    except (RecordNotFound, ValueError) as problem:
        typer.echo(f"No history: {problem}", err=True)
        raise typer.Exit(2) from None
    if format is Format.PDF:
        target = out or Path(f"history-{kind}-{record_id}.pdf")
        target.write_bytes(as_pdf(found))
        typer.echo(f"Wrote {target}")
    elif format is Format.JSON:
        text = as_json(found)
        out.write_text(text) if out else typer.echo(text)
    else:
        print_history(found, Console(width=200, file=out.open("w") if out else None))


class ImportKind(StrEnum):
    SAFEGUARDERS = "safeguarders"
    CASES = "cases"


@app.command("import")
def import_records(
    kind: ImportKind = typer.Argument(help="safeguarders (the panel) or cases (open cases)"),
    file: Path = typer.Argument(help="a .csv or .xlsx file, one row a record (columns: README)",
                                exists=True, dir_okay=False),
    dry_run: bool = typer.Option(False, "--dry-run", help="report what would be done; record "
                                                          "nothing"),
    by: str = typer.Option("import", help="who is bringing the records in"),
) -> None:
    """Bring existing records in, each row through the same commands, with its own dates, and
    start its process; a refused row is named by row and column, and records nothing."""
    import asyncio

    from api.cli.importing import run_import, show
    from api.cli.layouts import LAYOUTS
    from infra.store import application
    from infra.temporal import connect, ensure_dev_server

    settings = Settings()
    # The processes start on the configured Temporal (the embedded default's, started here if
    # it is not running, and stopped at exit unless another command of this checkout uses it:
    # infra/embedded.py; its state file keeps them for the worker).
    if not dry_run:
        ensure_dev_server(settings)

    async def run(opened: object) -> object:
        client = None if dry_run else await connect(settings)
        return await run_import(opened, client, LAYOUTS[kind.value], file,  # type: ignore[arg-type]
                                task_queue=settings.task_queue, by=by, dry_run=dry_run)

    console = Console(width=200)
    with application(settings) as opened:
        report = asyncio.run(run(opened))
    show(report, console, dry_run=dry_run)  # type: ignore[arg-type]
    if report.refused:  # type: ignore[attr-defined]
        raise typer.Exit(1)


@app.command()
def api(host: str = typer.Option(None, help="address to listen on"),
        port: int = typer.Option(None, help="port to listen on")) -> None:
    """Serve the HTTP API (docs at /docs); on the embedded default, start the database too."""
    import uvicorn

    from api.app import create_app
    from infra import telemetry
    from infra.store import application

    settings = Settings()
    telemetry.start(settings, "assured-api")
    try:
        with reported("assured api"), application(settings) as opened:
            # log_config=None: uvicorn's own lines go through ours (infra/logs.py).
            uvicorn.run(create_app(settings, opened), host=host or settings.api_host,
                        port=port or settings.api_port, log_level="warning", access_log=False,
                        log_config=None)
    except KeyboardInterrupt:  # uvicorn re-raises the Ctrl-C it handled, once it has stopped
        pass
    finally:
        telemetry.stop()


@app.command()
def up(host: str = typer.Option(None, help="API address"),
       port: int = typer.Option(None, help="API port"),
       demo: bool = typer.Option(False, "--demo", help="load the demo data set (once) when "
                                                       "the API is ready")) -> None:
    """Run the whole system: database, Temporal, worker, projections and the web and API."""
    from api.cli.up import run_everything

    settings = Settings()
    status = run_everything(settings, host or settings.api_host, port or settings.api_port,
                            demo=demo)
    if status:
        raise typer.Exit(status)


@users.command("add")
def add_user(
    username: str = typer.Argument(help="the sign-in name"),
    role: str = typer.Option(..., help="panel_admin, support_manager, mentoring_coordinator, "
                                       "practitioner, supervisor, practice_review_member, "
                                       "auditor, ops or agency_contributor"),
    region: str = typer.Option(None, help="East, North or West (support managers)"),
    agency: str = typer.Option(None, help="the agency an agency contributor answers for, "
                                          "as requests name it (e.g. Police)"),
    password_stdin: bool = typer.Option(False, "--password-stdin",
                                        help="read the password from standard input; without "
                                             "it, one is generated and printed once"),
    by: str = typer.Option("cli", help="who is adding the account"),
) -> None:
    """Create a local account; the password is stored only as an argon2 hash."""
    import secrets
    import sys

    from api.cli.accounts import make_account
    from domain.errors import DomainError
    from infra.store import application

    password = sys.stdin.readline().rstrip("\n") if password_stdin else secrets.token_urlsafe(12)
    if not password:
        typer.echo("Refused: the password read from standard input is empty", err=True)
        raise typer.Exit(2)
    try:
        with application(Settings()) as opened:
            uri = make_account(opened, username, role, password, by, region, agency)
    except (DomainError, ValueError) as refused:
        typer.echo(f"Refused: {refused}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"Account {username} ({role}) created.")
    if not password_stdin:
        typer.echo(f"One-time password (shown once): {password}")
    if uri is not None:
        typer.echo("Second factor (shown once; add it to an authenticator app, or show the URI "
                   f"as a QR code): {uri}")


@users.command("second-factor")
def replace_second_factor(username: str = typer.Argument(help="the sign-in name"),
                          by: str = typer.Option("cli", help="who is replacing it")) -> None:
    """Give an account a new second factor (a lost phone); the old one stops working."""
    from api.second_factor import new_secret, provisioning_uri
    from domain.accounts import Account, EnrolSecondFactor
    from domain.errors import DomainError
    from infra.store import application

    secret = new_secret()
    try:
        with application(Settings()) as opened:
            opened.enrol_second_factor(EnrolSecondFactor(
                record_id=Account.create_id(username), secret=secret, replace=True, by=by,
                at=datetime.now(UTC)))
    except DomainError as refused:
        typer.echo(f"Refused: {refused}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"Second factor (shown once): {provisioning_uri(secret, username)}")


@users.command("disable")
def disable_user(username: str = typer.Argument(help="the sign-in name"),
                 reason: str = typer.Option(..., help="why"),
                 by: str = typer.Option("cli", help="who is disabling it")) -> None:
    """Disable an account: it signs in no more, and every token it holds is refused."""
    from api.sessions import revoke_account
    from domain.accounts import Account, DisableAccount
    from domain.errors import DomainError
    from infra.store import application

    settings = Settings()
    try:
        with application(settings) as opened:
            opened.disable_account(DisableAccount(record_id=Account.create_id(username),
                                                  reason=reason, by=by, at=datetime.now(UTC)))
            revoke_account(opened, settings, username)
    except DomainError as refused:
        typer.echo(f"Refused: {refused}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"Account {username} disabled; its tokens are refused.")


@users.command("email")
def set_user_email(username: str = typer.Argument(help="the sign-in name"),
                   address: str = typer.Argument(help="where reminders go ('' for none)"),
                   by: str = typer.Option("cli", help="who is setting it")) -> None:
    """Set the address an account's reminders and daily digest are sent to."""
    from domain.accounts import Account, SetAccountEmail
    from domain.errors import DomainError
    from infra.store import application

    try:
        with application(Settings()) as opened:
            opened.set_account_email(SetAccountEmail(record_id=Account.create_id(username),
                                                     email=address, by=by,
                                                     at=datetime.now(UTC)))
    except (DomainError, ValueError) as refused:
        typer.echo(f"Refused: {refused}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"Reminders for {username} go to {address}." if address
               else f"{username} is sent no reminders.")


@users.command("unlock")
def unlock_user(username: str = typer.Argument(help="the sign-in name")) -> None:
    """Let a name locked by failed sign-ins try again at once."""
    from api.throttle import SignInThrottle
    from infra.store import application

    settings = Settings()
    with application(settings) as opened:
        SignInThrottle(opened, settings).unlock(username, "command line")
    typer.echo(f"{username} may sign in again.")


@app.command()
def permissions(
    readme: Path = typer.Option(None, help="write the table into this README, between its "
                                           "permissions markers"),
    check: bool = typer.Option(False, help="with --readme: change nothing, exit 1 if its "
                                           "table is not the policy's"),
) -> None:
    """The permissions table (role against command and read), generated from the policy."""
    from api.permissions import readme_with_table, table, write_readme

    if readme is None:
        typer.echo(table(), nl=False)
    elif check:
        if readme_with_table(readme.read_text()) != readme.read_text():
            typer.echo(f"{readme}: the permissions table is not the policy's; run "
                       f"`assured permissions --readme {readme}`", err=True)
            raise typer.Exit(1)
    else:
        changed = write_readme(readme)
        typer.echo(f"{readme}: {'table written' if changed else 'already current'}")


@keys.command("new")
def new_key() -> None:
    """Print a new AES-256 key for ASSURED_ENCRYPTION_KEY."""
    typer.echo(AESCipher.create_key(num_bytes=32))


@keys.command("checkpoint")
def new_checkpoint_key() -> None:
    """Print a new Ed25519 key for ASSURED_CHECKPOINT_KEY and its public key (give that to the
    auditors, and to the verifying processes as ASSURED_CHECKPOINT_PUBLIC_KEYS)."""
    from infra.checkpoints import new_key

    private, public = new_key()
    typer.echo(f"ASSURED_CHECKPOINT_KEY={private}")
    typer.echo(f"public key: {public}")
