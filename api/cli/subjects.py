"""`assured erase`, `assured legal-hold` and `assured subject-access`: data subjects' rights
from the command line (UK GDPR Arts. 15 and 17), as the HTTP doors under `/subjects` do.

Whoever runs these holds the store's key already; `--by` names the officer acting, and is
recorded on the event (or in the access log, for an export).

    assured erase safeguarder 0b6e... --reason "Art. 17 request of 2026-11-02" --by dpo-1
    assured legal-hold place case 41c2... --reason "Inquiry 2026/4" --by dpo-1
    assured subject-access safeguarder 0b6e... --format pdf --out export.pdf --by dpo-1
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from uuid import UUID

import typer

KINDS_HELP = "safeguarder, case or feedback-giver (a person who gave feedback)"
hold = typer.Typer(help="Place or lift a legal hold: erasure is refused while it stands.",
                   no_args_is_help=True)


class Format(StrEnum):
    JSON = "json"
    PDF = "pdf"


def _subject_kind(kind: str) -> type:
    from domain.application import SUBJECT_KINDS

    found = SUBJECT_KINDS.get(kind)
    if found is None:
        raise typer.BadParameter(f"{kind} is not a data subject's record ({KINDS_HELP})")
    return found


def _act(command: type, kind: str, record_id: str, reason: str, by: str) -> None:
    from domain.errors import ConcurrencyConflict, DomainError
    from infra.settings import Settings
    from infra.store import application

    _subject_kind(kind)
    c = command(record_id=UUID(record_id), grounds=reason, by=by, at=datetime.now(UTC))
    with application(Settings()) as app:
        for attempt in range(1, 4):  # a running process may write to the record meanwhile
            try:
                app.load(UUID(record_id), _subject_kind(kind))
                receipt = app.execute(c)
                break
            except ConcurrencyConflict:
                if attempt == 3:
                    typer.echo("Refused: the record kept changing; try again", err=True)
                    raise typer.Exit(1) from None
            except DomainError as refused:
                typer.echo(f"Refused: {refused}", err=True)
                raise typer.Exit(1) from None
    typer.echo(f"{command.__name__} recorded on {kind} {record_id} (version "
               f"{receipt.version if receipt else '-'})")


def erase(kind: str = typer.Argument(help=KINDS_HELP),
          record_id: str = typer.Argument(help="the record's id"),
          reason: str = typer.Option(..., help="the grounds for the erasure"),
          by: str = typer.Option(..., help="the officer erasing")) -> None:
    """Erase a data subject's personal data: their key is destroyed (refused under legal hold).

    Their record's running process is not ended from here: end it in the Temporal UI or with
    `POST /subjects/{kind}/{id}/erase`, which does both."""
    from domain.subject_commands import EraseSubject

    _act(EraseSubject, kind, record_id, reason, by)


@hold.command("place")
def place(kind: str = typer.Argument(help=KINDS_HELP),
          record_id: str = typer.Argument(help="the record's id"),
          reason: str = typer.Option(..., help="the grounds for the hold"),
          by: str = typer.Option(..., help="the officer placing it")) -> None:
    """Place a legal hold."""
    from domain.subject_commands import PlaceLegalHold

    _act(PlaceLegalHold, kind, record_id, reason, by)


@hold.command("lift")
def lift(kind: str = typer.Argument(help=KINDS_HELP),
         record_id: str = typer.Argument(help="the record's id"),
         reason: str = typer.Option(..., help="why it is lifted"),
         by: str = typer.Option(..., help="the officer lifting it")) -> None:
    """Lift the legal hold that stands."""
    from domain.subject_commands import LiftLegalHold

    _act(LiftLegalHold, kind, record_id, reason, by)


def subject_access(kind: str = typer.Argument(help=KINDS_HELP),
                   record_id: str = typer.Argument(help="the record's id"),
                   format: Format = typer.Option(Format.JSON, "--format"),
                   out: Path = typer.Option(None, help="write here instead of standard output"),
                   by: str = typer.Option(..., help="the officer exporting")) -> None:
    """Export everything held about a data subject (other people's data redacted); the export
    is recorded in the access log."""
    from domain.accounts import RecordView
    from domain.errors import RecordNotFound
    from infra.settings import Settings
    from infra.store import application
    from projections.reports.subject_access import as_pdf, build_export

    _subject_kind(kind)
    with application(Settings()) as app:
        now = datetime.now(UTC)
        try:
            export = build_export(app, kind, UUID(record_id), now)
        except RecordNotFound as missing:
            typer.echo(str(missing), err=True)
            raise typer.Exit(1) from None
        app.record_view(RecordView(viewed=UUID(record_id), route="cli:subject-access", by=by,
                                   at=now))
    data = (as_pdf(export) if format == Format.PDF
            else json.dumps(asdict(export), indent=2, ensure_ascii=False).encode())
    if out is None:
        typer.echo(data.decode() if format == Format.JSON else "use --out for a PDF")
    else:
        out.write_bytes(data)
        typer.echo(f"Wrote {out}")
