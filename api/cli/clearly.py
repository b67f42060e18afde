"""What a production part says when what it needs is not there: one line on standard error and
exit status 2, instead of a traceback (a database that does not answer or is not migrated yet,
a Temporal cluster out of reach)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import typer

from infra.migrations import MigrationError
from infra.temporal import TemporalUnreachable


@contextmanager
def reported(part: str) -> Iterator[None]:
    try:
        yield
    except psycopg.OperationalError as failed:
        typer.echo(f"{part}: the database does not answer: {str(failed).strip()}", err=True)
        raise typer.Exit(2) from None
    except (MigrationError, TemporalUnreachable) as failed:
        typer.echo(f"{part}: {failed}", err=True)
        raise typer.Exit(2) from None
