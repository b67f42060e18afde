"""Bringing an organisation's existing panel and open cases in (`assured import`), against the
running system: a spreadsheet and a CSV with good and bad rows, imported twice."""

from __future__ import annotations

import asyncio
import csv
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from typer.testing import CliRunner

from api.cli.main import app as cli
from domain.accounts import Role
from domain.case_values import child_in_need_discussion_due
from domain.imported import ImportedRow
from infra.temporal import connect
from tests.e2e.conftest import System
from workflows.appointment.workflow import AppointmentWorkflow as Appointment
from workflows.cadence.workflow import SupervisionCadenceWorkflow as Cadence

HOSTILE = "Zoë O'Brien <script>alert('canary')</script>"
HOSTILE_NOTE = "'; DROP TABLE events; -- <img src=x onerror=alert(1)>"

SAFEGUARDER_HEADER = ["Reference", "Name", "Email", "Phone", "Region", "Applied_on",
                      "Interviewed_on", "Assessed_on", "Appointed_on", "Term_starts_on",
                      "Allocated_on", "Support_manager"]
SAFEGUARDER_ROWS: list[list[Any]] = [
    # row 2: appointed in 2024 and allocated, its dates as the spreadsheet's own date cells
    ["SG-001", HOSTILE, "zoe@example.org", "0131 496 0000", "North",
     datetime(2024, 1, 8, 9), datetime(2024, 2, 5, 9), datetime(2024, 2, 26, 9),
     datetime(2024, 3, 25, 9), date(2024, 4, 1), datetime(2024, 4, 2, 9), "sm-north"],
    # row 3: an applicant interviewed last month, as text dates
    ["SG-002", "Rab Carnie", "", "", "North", "2026-10-01", "2026-11-02", None, None, None,
     None, None],
    # row 4: a date that is no date
    ["SG-003", "Ann Bell", "", "", "North", "2024-01-08", "2024-02-30", None, None, None,
     None, None],
    # row 5: no name
    ["SG-004", None, "", "", "North", "2024-01-08", None, None, None, None, None, None],
    # row 6: a region the panel does not have
    ["SG-005", "Ian Moor", "", "", "Atlantis", "2024-01-08", None, None, None, None, None,
     None],
    # row 7: interviewed before applying: its application is not recorded either
    ["SG-006", "Kay Dunn", "", "", "North", "2024-03-01", "2024-02-01", None, None, None,
     None, None],
    # row 8: a bidirectional override hidden in the name
    ["SG-007", "Eve\u202eliveE", "", "", "North", "2024-01-08", None, None, None, None, None,
     None],
]

CASE_HEADER = ["agency", "child_reference", "practitioner", "supervisor", "legal_status",
               "risk", "nation", "opened_on", "last_discussion_on", "rag", "needs", "risks",
               "engagement", "capacity_for_change", "plan", "next_discussion_on"]
CASE_ROWS = [
    ["Children's social care", "C-2026-0101", "pr-1", "su-1", "child_in_need", "medium", "ENG",
     "2026-06-01", "2026-09-15", "A", HOSTILE_NOTE, "Neglect", "Engaging", "Some", "Review",
     "2026-12-10"],
    ["Children's social care", "C-2026-0102", "pr-1", "su-1", "child_protection", "high",
     "ENG", "2026-11-20", "", "", "", "", "", "", "", ""],
    ["Children's social care", "C-2026-0103", "pr-1", "su-1", "orphan", "high", "ENG",
     "2026-11-20", "", "", "", "", "", "", "", ""],
    ["Children's social care", "C-2026-0104", "pr-1", "su-1", "child_in_need", "high", "ENG",
     "31/12/2025", "", "", "", "", "", "", "", ""],
]


def spreadsheet(path: Path) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(SAFEGUARDER_HEADER)
    for row in SAFEGUARDER_ROWS:
        sheet.append(row)
    book.save(path)
    return path


def cases_csv(path: Path) -> Path:
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(CASE_HEADER)
        writer.writerows(CASE_ROWS)
    return path


def assured(system: System, *args: str) -> Any:
    """`assured ...` as a person runs it, pointed at the running system."""
    s = system.settings
    env = {"ASSURED_DATABASE_URL": s.database_url.get_secret_value(),  # type: ignore[union-attr]
           "ASSURED_ENCRYPTION_KEY": s.encryption_key.get_secret_value(),  # type: ignore[union-attr]
           "ASSURED_DATA_DIR": str(s.data_dir), "ASSURED_TEMPORAL_ADDRESS": s.temporal_address,
           "ASSURED_TASK_QUEUE": s.task_queue}
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


def last_notification(system: System) -> int:
    return int(system.app.recorder.max_notification_id() or 0)


def imported_since(system: System, position: int) -> list[Any]:
    """The events the import itself recorded after `position` (the running processes record
    their own steps meanwhile, by the process)."""
    found = system.app.recorder.select_notifications(position, limit=100_000,
                                                     inclusive_of_start=False)
    events = [system.app.mapper.to_domain_event(n) for n in found]
    return [e for e in events if getattr(e, "actor", None) == "import"]


def query(system: System, workflow_id: str, name: Any) -> Any:
    async def ask() -> Any:
        client = await connect(system.settings)
        return await client.get_workflow_handle(workflow_id).query(name)

    return asyncio.run(ask())


def refusals(output: str) -> set[tuple[str, str]]:
    """(row, column) of each refused row in the printed table."""
    found = set()
    for line in output.splitlines():
        cells = [c.strip() for c in line.replace("│", "|").split("|") if c.strip()]
        if len(cells) == 3 and cells[0].isdigit():
            found.add((cells[0], cells[1]))
    return found


def test_a_panel_and_its_open_cases_come_in_once_each_with_their_processes_at_their_dates(
    system: System, tmp_path: Path,
) -> None:
    admin = system.who(Role.PANEL_ADMIN, "pa-1")
    region = system.post("/regions", admin, region="North",
                         at="2023-12-01T09:00:00+00:00").json()["id"]
    assert system.post(f"/regions/{region}/add-support-manager", admin, manager="sm-north",
                       at="2023-12-02T09:00:00+00:00").status_code == 200
    panel, cases = spreadsheet(tmp_path / "panel.xlsx"), cases_csv(tmp_path / "cases.csv")

    before = last_notification(system)
    dry = assured(system, "import", "safeguarders", str(panel), "--dry-run")
    assert "Dry run, nothing recorded: 2 rows would be recorded" in dry.output, dry.output
    assert last_notification(system) == before

    first = assured(system, "import", "safeguarders", str(panel))
    assert first.exit_code == 1, first.output  # some rows were refused
    assert "2 rows recorded, 0 imported before, 5 refused; 2 processes running" in first.output
    assert refusals(first.output) == {("4", "interviewed_on"), ("5", "name"), ("6", "region"),
                                      ("7", "interviewed_on"), ("8", "name")}
    assert "is not a date (YYYY-MM-DD)" in first.output
    assert "is missing" in first.output
    assert "is not one of East, North, West" in first.output
    assert "A fact cannot be dated before its record was opened" in first.output
    after_first = last_notification(system)
    assert imported_since(system, before)  # (the check sees what an import records)

    again = assured(system, "import", "safeguarders", str(panel))
    assert "0 rows recorded, 2 imported before, 5 refused; 2 processes running" in again.output
    assert imported_since(system, after_first) == []  # nothing recorded twice

    # The appointed Safeguarder: every fact at its real date, its process in its term of 2024.
    appointed = system.app.load(ImportedRow.id_for("safeguarder", "SG-001"), ImportedRow)
    events = system.app.stored_events(appointed.record_id)
    assert [(type(e).__name__, e.occurred_on) for e in events[:5]] == [
        ("Applied", datetime(2024, 1, 8, 9, tzinfo=UTC)),
        ("Interviewed", datetime(2024, 2, 5, 9, tzinfo=UTC)),
        ("Assessed", datetime(2024, 2, 26, 9, tzinfo=UTC)),
        ("Appointed", datetime(2024, 3, 25, 9, tzinfo=UTC)),
        ("Allocated", datetime(2024, 4, 2, 9, tzinfo=UTC))]
    assert events[0].name == HOSTILE  # hostile text is kept as text, to the letter
    workflow_id = f"appointment-{appointed.record_id}"
    status = system.until(lambda: (found := query(system, workflow_id, Appointment.status))
                          and found.stage == "appointed" and found.term_starts_on and found)
    assert status.term_starts_on == date(2024, 4, 1)
    deadlines = system.until(lambda: query(system, workflow_id, Appointment.deadlines))
    due = {d.name: d.due for d in deadlines}
    assert due["support year 1"] == date(2025, 3, 31)  # from the term's real start
    assert due["support year 3"] == date(2027, 3, 31)  # the year it is in now
    # The applicant's process waits at the interview it passed.
    applicant = system.app.load(ImportedRow.id_for("safeguarder", "SG-002"), ImportedRow)
    assert system.until(lambda: query(system, f"appointment-{applicant.record_id}",
                                      Appointment.status).stage == "interviewed")

    # Cases, from a CSV: the cadence counts from the last discussion's real date.
    before_cases = last_notification(system)
    opened = assured(system, "import", "cases", str(cases))
    assert "2 rows recorded, 0 imported before, 2 refused" in opened.output, opened.output
    assert refusals(opened.output) == {("4", "legal_status"), ("5", "opened_on")}
    after_cases = last_notification(system)
    assert after_cases > before_cases
    assert "0 rows recorded, 2 imported before" in assured(
        system, "import", "cases", str(cases)).output
    assert imported_since(system, after_cases) == []  # nothing recorded twice
    case = system.app.load(ImportedRow.id_for("case", "Children's social care\nC-2026-0101"),
                           ImportedRow)
    cadence = system.until(lambda: (found := query(system, f"cadence-{case.record_id}",
                                                   Cadence.status)) and found.due and found)
    assert cadence.due == min(date(2026, 12, 10), child_in_need_discussion_due(
        date(2026, 9, 15), system.settings.policy, "ENG"))

    # The read side took every imported row, once, and no read model stopped at one.
    listed = system.until(lambda: [row for row in system.http.get(
        "/safeguarders", headers=admin).json()["items"] if row["id"] in {
            str(appointed.record_id), str(applicant.record_id)}] or None)
    assert sorted(row["name"] for row in listed) == sorted([HOSTILE, "Rab Carnie"])
    assert "read_models_stopped" not in system.http.get("/readyz").json()["checks"]
