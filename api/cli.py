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


@keys.command("new")
def new_key() -> None:
    """Print a new AES-256 key for ASSURED_ENCRYPTION_KEY."""
    typer.echo(AESCipher.create_key(num_bytes=32))
