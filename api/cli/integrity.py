"""`assured verify` and `assured db migrate`: the history checked, the schema brought up to date.

Mounted by api/cli/main.py. `verify` exits 1 when the log fails its check (naming the first
position), 0 when it is intact.
"""

from __future__ import annotations

import typer

from infra.settings import Settings

db = typer.Typer(name="db", help="The database: its schema and its roles.", no_args_is_help=True)

SHOWN = 10
"""Failures and records listed by `assured verify` (the summary counts them all)."""


def verify(checkpoint: bool = typer.Option(
        False, "--checkpoint", help="when intact, also sign a checkpoint of the chain's head "
        "(the periodic job does this on its own)")) -> None:
    """Check the hash chain over the whole event log and the latest signed checkpoint; name the
    first position missing, changed, reordered or moved (exit 1), or say it is intact."""
    from infra.store import application
    from infra.verification import Verifier, affected_records

    settings = Settings()
    with application(settings) as opened:
        result = Verifier.of(opened, settings).run(sign=checkpoint)
    typer.echo(result.summary())
    if result.ok:
        if checkpoint and result.checkpoint is not None:
            typer.echo(f"Checkpoint at position {result.checkpoint.size:,}, signed by key "
                       f"{result.checkpoint.key_id}.")
        return
    for failure in sorted(result.failures, key=lambda f: f.position)[:SHOWN]:
        typer.echo(f"  {failure}")
    if len(result.failures) > SHOWN:
        typer.echo(f"  … and {len(result.failures) - SHOWN} more")
    affected = list(affected_records(result))
    typer.echo(f"Records affected ({len(affected)}): their reads answer the integrity problem.")
    for record_id, failure in affected[:SHOWN]:
        typer.echo(f"  {record_id} (from position {failure.position:,}: {failure.kind})")
    raise typer.Exit(1)


@db.command()
def migrate() -> None:
    """Create or bring up to date the roles, the event store, the hash chain and the read
    tables' registry; chain the events an earlier release stored. Safe to run again."""
    from infra import migrations
    from infra.store import database_roles, encryption_key

    import psycopg

    settings = Settings()
    try:
        done = migrations.migrate(database_roles(settings), encryption_key(settings))
    except migrations.MigrationError as refused:
        typer.echo(f"Not migrated: {refused}", err=True)
        raise typer.Exit(2) from None
    except psycopg.OperationalError as failed:
        typer.echo(f"Not migrated: the database does not answer: {str(failed).strip()}",
                   err=True)
        raise typer.Exit(2) from None
    chained = f"; {done.chained:,} earlier events bound and chained" if done.chained else ""
    typer.echo(f"Database at schema version {done.version}{chained}.")
