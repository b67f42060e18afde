"""`assured import`: an organisation's existing panel and open cases, brought in row by row.

Each row goes in through the same commands a person gives (the layouts in `api.cli.layouts`),
dated with the row's own dates, all in one save (`Assured.together`): a row that breaks a rule
records nothing, and is reported by its row number and column with the rule. The row's
reference makes an `ImportedRow` record saved with it, so a second run skips what the first
recorded. Each row's record then has its process started, as the API starts it
(`workflows.routing.start_for`); the process reads the record's dates and sets its deadlines
from them. `--dry-run` checks every row the same way and records nothing.
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Annotated, Any

from rich.console import Console
from rich.progress import Progress
from rich.table import Table
from rich.text import Text
from temporalio.client import Client
from temporalio.common import WorkflowIDReusePolicy
from temporalio.exceptions import WorkflowAlreadyStartedError

from api.cli.layouts import Layout, Step
from domain.application import Assured
from domain.commands import Command
from domain.errors import ConcurrencyConflict, InputRefused, RecordNotFound, RuleBroken
from domain.imported import ImportedRow
from workflows.routing import start_for

TRUE = {"yes", "y", "true", "1"}
FALSE = {"no", "n", "false", "0"}


class Refused(Exception):
    def __init__(self, column: str, rule: str) -> None:
        super().__init__(f"{column}: {rule}")
        self.column, self.rule = column, rule


@dataclass
class Outcome:
    row: int
    reference: str
    done: str          # "recorded", "already imported", "would record", "refused"
    record_id: Any = None
    column: str = ""
    rule: str = ""
    process: str = ""
    record: Any = field(default=None, repr=False)


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)

    def count(self, done: str) -> int:
        return sum(o.done == done for o in self.outcomes)

    @property
    def refused(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.done == "refused"]


# --- reading the file ---------------------------------------------------------------------


def read_rows(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """Each row by its number as a spreadsheet shows it (the header is row 1), keyed by the
    header's names (trimmed, lower case)."""
    if path.suffix.lower() == ".xlsx":
        yield from _xlsx_rows(path)
    elif path.suffix.lower() == ".csv":
        with path.open(newline="", encoding="utf-8-sig") as file:
            reader = csv.reader(file)
            yield from _keyed(reader)
    else:
        raise ValueError(f"{path.name}: only .csv and .xlsx files are read")


def _xlsx_rows(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    try:
        yield from _keyed(book.worksheets[0].iter_rows(values_only=True))
    finally:
        book.close()


def _keyed(rows: Any) -> Iterator[tuple[int, dict[str, Any]]]:
    header: list[str] | None = None
    for number, values in enumerate(rows, start=1):
        if header is None:
            header = [str(v or "").strip().lower() for v in values]
            continue
        row = {name: value for name, value in zip(header, values, strict=False) if name}
        if any(_blank(v) is False for v in row.values()):
            yield number, row


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def count_rows(path: Path) -> int:
    return sum(1 for _ in read_rows(path))


# --- from a row to its commands -----------------------------------------------------------


def _field_type(command: type[Command], path: str) -> Any:
    """The declared type of a (dotted) field of `command`, without its Annotated rules or
    `| None`."""
    owner: Any = command
    hint: Any = None
    for part in path.split("."):
        hint = typing.get_type_hints(owner, include_extras=True)[part]
        hint = _plain(hint)
        owner = hint
    return hint


def _plain(hint: Any) -> Any:
    if typing.get_origin(hint) is Annotated:
        hint = typing.get_args(hint)[0]
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        options = [o for o in typing.get_args(hint) if o is not type(None)]
        if len(options) == 1:
            return options[0]
    return hint


def cell(value: Any, hint: Any) -> Any:
    """A cell as the plain value a field of type `hint` is made from (the command checks it)."""
    if hint is datetime:
        return moment(value)
    if hint is date:
        return day(value)
    if hint is bool:
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in TRUE | FALSE:
            return text in TRUE
        raise InputRefused("", "is not yes or no")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return (value if isinstance(value, str) else str(value)).strip()


def day(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise InputRefused("", "is not a date (YYYY-MM-DD)") from None


def moment(value: Any) -> datetime:
    """A date is taken as the start of that day, UTC; a date and time without a zone as UTC."""
    if isinstance(value, datetime):
        found = value
    elif isinstance(value, date):
        found = datetime.combine(value, time(), UTC)
    else:
        text = str(value).strip()
        try:
            found = (datetime.fromisoformat(text) if "T" in text or " " in text
                     else datetime.combine(date.fromisoformat(text), time(), UTC))
        except ValueError:
            raise InputRefused("", "is not a date (YYYY-MM-DD)") from None
    return found if found.tzinfo else found.replace(tzinfo=UTC)


def command_of(step: Step, row: dict[str, Any], by: str, extra: dict[str, Any]) -> Command:
    """The step's command from the row's cells; `Refused` names the column and the rule."""
    values: dict[str, Any] = {**step.fixed, **extra, "by": by}
    for path, column in {"at": step.at, **step.columns}.items():
        raw = row.get(column)
        if _blank(raw):
            continue
        try:
            parsed = cell(raw, _field_type(step.command, path))
        except InputRefused as refused:
            raise Refused(column, refused.problem) from None
        *outer, name = path.split(".")
        target = values
        for part in outer:
            target = target.setdefault(part, {})
        target[name] = parsed
    for item in dataclasses.fields(step.command):
        if item.name not in values and item.init and item.default is dataclasses.MISSING \
                and item.default_factory is dataclasses.MISSING:
            column = step.columns.get(item.name, step.at if item.name == "at" else item.name)
            raise Refused(column, "is missing")
    try:
        return step.command(**values)
    except InputRefused as refused:
        raise Refused(_column(step, refused.field), refused.problem) from None


def _column(step: Step, field_path: str) -> str:
    """The column a refused field came from (a nested field's, or its outer field's)."""
    parts = field_path.split(".") if field_path else []
    while parts:
        path = ".".join(parts)
        if path == "at":
            return step.at
        if path in step.columns:
            return step.columns[path]
        parts.pop()
    return step.at


# --- the import ---------------------------------------------------------------------------


def reference_of(layout: Layout, row: dict[str, Any]) -> str:
    parts = []
    for column in layout.reference:
        if _blank(row.get(column)):
            raise Refused(column, "is missing (the organisation's reference for the row)")
        parts.append(str(row[column]).strip())
    return "\n".join(parts)


def import_row(app: Assured, layout: Layout, number: int, row: dict[str, Any], *, by: str,
               dry_run: bool) -> Outcome:
    """One row: all of its commands in one save, or nothing (and the rule it broke)."""
    try:
        reference = reference_of(layout, row)
    except Refused as refused:
        return Outcome(number, "", "refused", column=refused.column, rule=refused.rule)
    shown = reference.replace("\n", " / ")
    try:
        noted = app.load(ImportedRow.id_for(layout.kind, reference), ImportedRow,
                         private=False)
    except RecordNotFound:
        pass
    else:
        return Outcome(number, shown, "already imported", noted.record_id)
    step = layout.steps[0]
    try:
        with app.together(save=not dry_run):
            made = app.execute(command_of(step, row, by, {}))
            record = made.record  # type: ignore[union-attr]
            for step in layout.steps[1:]:
                if _blank(row.get(step.at)):
                    continue
                app.execute(command_of(step, row, by, {"record_id": record.id}), on=record)
            first_at = moment(row[layout.steps[0].at])
            app.record(ImportedRow.note(layout.kind, reference, record.id, by=by, at=first_at))
    except Refused as refused:
        return Outcome(number, shown, "refused", column=refused.column, rule=refused.rule)
    except (RuleBroken, ConcurrencyConflict, InputRefused) as refused:
        return Outcome(number, shown, "refused", column=step.at, rule=str(refused))
    return Outcome(number, shown, "would record" if dry_run else "recorded", record.id,
                   record=record)


async def start_process(client: Client, kind: str, record: Any, task_queue: str) -> str:
    """The record's own process, as the API starts it; a process that ran or runs under that id
    already is left as it is (a second import starts nothing twice)."""
    found = start_for(kind, record)
    if found is None:
        return ""
    with contextlib.suppress(WorkflowAlreadyStartedError):
        await client.start_workflow(found.run, found.argument, id=found.workflow_id,
                                    task_queue=task_queue,
                                    id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE)
    return found.workflow_id


async def run_import(app: Assured, client: Client | None, layout: Layout, path: Path, *,
                     task_queue: str, by: str = "import", dry_run: bool = False,
                     console: Console | None = None) -> Report:
    """Import every row of `path`; `client` starts the processes (None on a dry run)."""
    console = console or Console(stderr=True)
    report = Report()
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task(f"Importing {path.name}", total=count_rows(path))
        for number, row in read_rows(path):
            outcome = import_row(app, layout, number, row, by=by, dry_run=dry_run)
            if outcome.done in ("recorded", "already imported") and client is not None:
                record = app.load(outcome.record_id, private=False)
                outcome.process = await start_process(client, layout.kind, record, task_queue)
            elif outcome.done == "would record":
                found = start_for(layout.kind, outcome.record)
                outcome.process = found.run.__qualname__.split(".")[0] if found else ""
            report.outcomes.append(outcome)
            progress.advance(task)
    return report


def show(report: Report, console: Console, *, dry_run: bool) -> None:
    """The refused rows (row, column, rule), then the counts."""
    if report.refused:
        table = Table("row", "column", "rule broken", title="Rows not recorded")
        for o in report.refused:
            table.add_row(str(o.row), Text(o.column), Text(o.rule))
        console.print(table)
    if dry_run:
        console.print(f"Dry run, nothing recorded: {report.count('would record')} rows would "
                      f"be recorded and their processes started, "
                      f"{report.count('already imported')} were imported before, "
                      f"{len(report.refused)} refused.", markup=False)
        return
    started = sum(1 for o in report.outcomes if o.process)
    console.print(f"{report.count('recorded')} rows recorded, "
                  f"{report.count('already imported')} imported before, "
                  f"{len(report.refused)} refused; {started} processes running.", markup=False)
