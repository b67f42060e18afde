"""The retention listing from its read table, through the doors people use: records made and
closed over HTTP, dated years ago, with the worker and the projection runner running; the
monthly process's run lists what is past its period (`GET /retention/{run}`), from the table
the runner keeps (`projections/retention_subjects.py`), with no replay of any record it does
not list. It lists exactly what replaying every record lists: a Safeguarder who resigned seven
years ago and a case closed 26 years ago, not a Scottish looked-after child's case (kept to the
child's 100th birthday, which Assured does not hold), nor one under legal hold, nor one closed
recently, nor an open one.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID

from domain.accounts import Role
from projections.retention_subjects import current_closed_records
from tests.e2e.conftest import System, iso
from workflows.retention.activities import RetentionActivities
from workflows.retention.types import RETENTION_ID, RetentionInput
from workflows.retention.workflow import RetentionWorkflow

HOSTILE = "O'Brien <b>moved</b> \u05e9\u05dc\u05d5\u05dd & \"abroad\""


def years_ago(years: float) -> datetime:
    return datetime.now(UTC) - timedelta(days=365.25 * years)


def left_the_panel(system: System, who: dict[str, str], name: str, years: float) -> UUID:
    made = system.post("/safeguarders", who, name=name, region="East",
                       at=iso(years_ago(years + 0.2)))
    assert made.status_code == 201, made.text
    record = UUID(made.json()["id"])
    resigned = system.post(f"/safeguarders/{record}/resign", who, reason=HOSTILE,
                           at=iso(years_ago(years)))
    assert resigned.status_code == 200, resigned.text
    return record


def closed_case(system: System, reference: str, nation: str, legal_status: str,
                years: float | None) -> UUID:
    jo = system.who(Role.PRACTITIONER, "pr-jo")
    su = system.who(Role.SUPERVISOR, "su-sam")
    opened = years_ago((years or 1) + 0.5)
    made = system.post("/cases", jo, at=iso(opened), child_reference=reference,
                       agency=f"Social work {reference}", practitioner="pr-jo",
                       supervisor="su-sam", legal_status=legal_status, risk="low", nation=nation)
    assert made.status_code == 201, made.text
    record = UUID(made.json()["id"])
    if years is not None:
        closed = system.post(f"/cases/{record}/close", su, reason=HOSTILE,
                             at=iso(years_ago(years)))
        assert closed.status_code == 200, closed.text
    return record


def listed(system: System, officer: dict[str, str]) -> list[dict[str, Any]]:
    """A retention run started now on the system's worker, as its schedule would, and what its
    listing shows over HTTP."""
    from temporalio.client import Client

    from infra.codec import data_converter

    workflow_id = f"{RETENTION_ID}-{uuid.uuid4()}"

    async def start() -> None:
        s = system.settings
        client = await Client.connect(s.temporal_address, namespace=s.temporal_namespace,
                                      data_converter=data_converter(
                                          s.encryption_key.get_secret_value()))  # type: ignore[union-attr]
        await client.start_workflow(RetentionWorkflow.run, RetentionInput(approval_days=30),
                                    id=workflow_id, task_queue=s.task_queue)

    asyncio.run(start())
    answer = system.until(lambda: (lambda r: r if r.status_code == 200 and r.json() else None)(
        system.http.get(f"/retention/{workflow_id}", headers=officer)), timeout=60)
    return answer.json()  # type: ignore[no-any-return]


def test_the_listing_reads_its_table_and_lists_exactly_what_a_replay_lists(
        system: System) -> None:
    admin = system.who(Role.PANEL_ADMIN, "panel-admin-jo")
    officer = system.who(Role.DATA_PROTECTION_OFFICER, "dpo-1")
    gone = left_the_panel(system, admin, "Ainsley Gone", 7)
    held = left_the_panel(system, admin, "Bryn Held", 7.5)
    assert system.post(f"/subjects/safeguarder/{held}/legal-hold", officer,
                       grounds="Inquiry 2026/4").status_code == 200
    left_the_panel(system, admin, "Cai Recent", 1)
    serving = system.post("/safeguarders", admin, name="Dara Serving", region="East",
                          at=iso(years_ago(9)))
    assert serving.status_code == 201
    old_case = closed_case(system, "C-ENG-0026", "ENG", "child_in_need", 26)
    closed_case(system, "C-SCT-0026", "SCT", "looked_after", 26)  # to the 100th birthday
    closed_case(system, "C-ENG-0002", "ENG", "child_in_need", 2)
    closed_case(system, "C-ENG-9999", "ENG", "child_protection", None)

    # The table the runner keeps holds the five closed records, the held one not among them.
    rows = system.until(lambda: (lambda r: r if r is not None and len(r) == 5 else None)(
        current_closed_records(system.app)), timeout=60)
    assert held not in {r.subject_id for r in rows}
    shown = listed(system, officer)

    assert {(UUID(d["record_id"]), d["kind"]) for d in shown} == {
        (gone, "safeguarder"), (old_case, "case")}
    until = {UUID(d["record_id"]): date.fromisoformat(d["kept_until"]) for d in shown}
    policy = system.app.policy
    resigned = next(e for e in system.events(gone) if type(e).__name__ == "Resigned")
    closed = next(e for e in system.events(old_case) if type(e).__name__ == "Closed")
    assert until[gone] == policy.safeguarder_retention.after(resigned.occurred_on.date())
    assert until[old_case] == policy.case_retention.after(closed.occurred_on.date())
    today = datetime.now(UTC).date().isoformat()
    activities = RetentionActivities(system.app, current_closed_records)
    from_table = activities.list_past_retention(today)
    by_replay = activities._by_replay(date.fromisoformat(today))
    assert from_table == by_replay, "the table lists exactly what a replay of every record does"
    assert from_table.next_due is not None and from_table.next_due.startswith(
        str(years_ago(1).year + 6))
