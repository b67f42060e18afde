"""`assured report …`: the quarterly 'how are we doing' report, and the leads' narratives.

Mounted by api/cli/main.py as `assured report`.

    assured report quarterly --quarter 2026Q3 --format pdf --out report.pdf
    assured report narrative --quarter 2026Q3 --measure drift_cases --by lead-1 "Text…"
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer

from domain.scorecard import MEASURE_KEYS

app = typer.Typer(name="report", help="Reports rendered from the read tables.",
                  no_args_is_help=True)


class Format(StrEnum):
    HTML = "html"
    PDF = "pdf"
    CSV = "csv"


@contextmanager
def _application() -> Iterator[Any]:
    from infra.settings import Settings
    from infra.store import application

    with application(Settings()) as opened:
        yield opened


def _quarter(text: str) -> Any:
    from projections.quarters import Quarter

    try:
        return Quarter.parse(text)
    except ValueError as wrong:
        raise typer.BadParameter(str(wrong)) from None


@app.command()
def quarterly(
    quarter: str = typer.Option(..., help="the quarter, e.g. 2026Q3 (calendar quarters)"),
    fmt: Format = typer.Option(Format.PDF, "--format", help="html, pdf or csv (the scorecard)"),
    out: Path = typer.Option(..., "--out", help="the file to write"),
    as_of: datetime | None = typer.Option(
        None, formats=["%Y-%m-%d"], help="take the figures up to this day (default: its end)"),
    meeting: datetime | None = typer.Option(
        None, formats=["%Y-%m-%d"], help="the sub-group's meeting, to show the evidence due date"),
) -> None:
    """The quarterly assurance report: scorecard, trends, register, learning, actions, evidence."""
    import psycopg

    from projections.reports import quarterly as report
    from projections.runner import Runner

    chosen = _quarter(quarter)
    with _application() as application:
        runner = Runner(application)
        for name in report.READ_MODELS:
            runner.catch_up(runner.projection(name))
        with runner.connect(autocommit=True) as conn:
            conn.execute(psycopg.sql.SQL("SET search_path TO {}").format(
                psycopg.sql.Identifier(runner.schema)))
            built = report.build(conn, chosen, application.mapper.cipher, application.policy,
                                 as_of=as_of.date() if as_of else None,
                                 meeting=meeting.date() if meeting else None)
    if fmt is Format.PDF:
        out.write_bytes(report.as_pdf(built))
    elif fmt is Format.HTML:
        out.write_text(report.as_html(built), encoding="utf-8")
    else:
        out.write_text(report.scorecard_csv(built), encoding="utf-8")
    typer.echo(f"Wrote the {chosen} report ({fmt.value}) to {out}")


@app.command()
def narrative(
    text: str = typer.Argument(..., help="the narrative (a short paragraph)"),
    quarter: str = typer.Option(..., help="the quarter, e.g. 2026Q3"),
    measure: str = typer.Option(..., help=f"one of: {', '.join(MEASURE_KEYS)}"),
    by: str = typer.Option(..., help="the lead writing it (username)"),
) -> None:
    """Write (or revise) a lead's narrative for one measure of a quarter's scorecard."""
    from domain.errors import DomainError
    from domain.scorecard import WriteNarrative

    _quarter(quarter)
    with _application() as application:
        try:
            application.write_narrative(WriteNarrative(
                quarter=quarter.upper(), measure=measure, text=text, by=by,
                at=datetime.now().astimezone()))
        except DomainError as refused:
            typer.echo(f"Refused: {refused}", err=True)
            raise typer.Exit(1) from None
    typer.echo(f"Narrative for {measure} in {quarter.upper()} recorded.")
