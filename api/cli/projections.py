"""`assured projections …`: follow the log, rebuild read tables, report where each one is.

Mounted by api/cli/main.py as `assured projections`.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from projections.runner import Runner

app = typer.Typer(name="projections", help="Read tables built from the event log.",
                  no_args_is_help=True)


@contextmanager
def _runner() -> Iterator[Runner]:
    from infra.settings import Settings
    from infra.store import application

    from api.cli.clearly import reported

    with reported("assured projections"), application(Settings()) as opened:
        yield Runner(opened, alone_in_process=True)  # each command is a process of its own


@app.command()
def run(poll_interval: float = typer.Option(
        1.0, help="seconds between polls when no notification arrives")) -> None:
    """Follow the event log and keep every read table up to date, until Ctrl-C."""
    stop = threading.Event()
    # Ctrl-C and SIGTERM end the loop between pages: an interrupt inside a query would leave
    # its connection half-used.
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    with _runner() as runner, verifying(runner):
        names = ", ".join(p.name for p in runner.projections)
        typer.echo(f"Following the event log for {names}; Ctrl-C stops.")
        runner.follow(stop_event=stop, poll_interval=poll_interval)


@contextmanager
def verifying(runner: Runner) -> Iterator[None]:
    """The periodic job beside the runner: `assured verify` every
    ASSURED_VERIFY_INTERVAL_SECONDS (from the start), signing a checkpoint when the log is
    intact and has grown; `/readyz` and `/metrics` report its last result."""
    from infra.settings import Settings
    from infra.verification import PeriodicVerification, Verifier

    settings = Settings()
    job = PeriodicVerification(Verifier.of(runner.app, settings),
                               settings.verify_interval_seconds).start()
    try:
        yield
    finally:
        job.stop()


class _EventsPerSecond(ProgressColumn):
    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:,.0f} events/s" if speed else "— events/s", style="cyan")


def progress_bar(console: Console) -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    _EventsPerSecond(), TimeElapsedColumn(), TextColumn("left"),
                    TimeRemainingColumn(), console=console)


@app.command()
def rebuild(name: str = typer.Argument(None, help="one projection; all when left out")) -> None:
    """Rebuild read tables from zero beside the live ones, then swap them in at once."""
    console = Console()
    with _runner() as runner:
        try:
            chosen = [runner.projection(name)] if name else runner.projections
        except KeyError as unknown:
            typer.echo(unknown.args[0], err=True)
            raise typer.Exit(2) from None
        with progress_bar(console) as bar:
            for projection in chosen:
                task = bar.add_task(projection.name, total=None)

                def advance(done: int, total: int, task: Any = task) -> None:
                    bar.update(task, completed=done, total=max(total, done))

                count = runner.rebuild(projection.name, progress=advance)
                bar.update(task, completed=count, total=count)


@app.command()
def resume(name: str = typer.Argument(help="the read model that stopped")) -> None:
    """Let a read model that stopped at an event go on again (after a fix or an upcaster)."""
    with _runner() as runner:
        try:
            was = runner.resume(name)
        except KeyError as unknown:
            typer.echo(unknown.args[0], err=True)
            raise typer.Exit(2) from None
    typer.echo(f"{name} resumes from where it stopped." if was else f"{name} had not stopped.")


@app.command()
def status() -> None:
    """Each projection's version, position, the log's head and how far behind it is."""
    with _runner() as runner:
        statuses = runner.status()
    table = Table()
    for column in ("projection", "version", "built", "position", "head", "lag (events)", "state"):
        table.add_column(column, no_wrap=True)
    for s in statuses:
        table.add_row(s.name, str(s.version), _text(s.built_version), _text(s.position),
                      _text(s.head), _text(s.lag), s.state)
    console = Console()
    if not console.is_terminal:  # piped or captured: do not squeeze the table into 80 columns
        console.width = 200
    console.print(table)


def _text(value: int | None) -> str:
    return "—" if value is None else f"{value:,}"
