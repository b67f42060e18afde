"""The support manager's caseload (seed 000, 'Support Managers by region').

Per support manager, each serving Safeguarder with what is due, what is overdue, the years whose
shortfall stands, and where the appointment workflow stands. The dates are the ones the workflow
set and recorded as process steps ('allocation requested' and its reminder, 'support due dates
set', 'peer mentoring due dates set', 're-appointment review opened' and the recommendation's
reminder and escalation); where a record has no such step (recorded without the workflow), the
query computes the same date from the policy. What was done comes from the domain events
(sessions, sampled reports, mentoring, the recommendation, a shortfall recorded or withdrawn).

Tables (caseload.sql): `caseload_safeguarder`, `caseload_year`, `caseload_step`; who each
Safeguarder is (name, region, status, support manager, term) comes from the safeguarder
directory (`projections.safeguarder_file.DIRECTORY`). The query `caseload(conn, on, cipher)`
opens the sealed names with the store's cipher.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import singledispatchmethod
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Cipher
from psycopg import Connection
from psycopg.rows import dict_row

from domain.due import due_state
from domain.policy import DEFAULT_POLICY, Policy
from domain.record import Record
from domain.safeguarder import Safeguarder
from domain.safeguarder_values import (
    SAMPLED_REPORTS_REQUIRED_PER_YEAR,
    SERVING,
    SESSIONS_REQUIRED_PER_YEAR,
    Status,
    appointment_year,
    year_starts_on,
)
from projections.base import Projection
from projections.page import Page
from projections.safeguarder_file import DIRECTORY
from projections.sealing import unseal

SafeguarderEvents: Any = Safeguarder
RecordEvents: Any = Record

READ_MODELS = ["safeguarder_file", "support_caseload"]
"""The caseload's own tables and the directory it reads (a read waits for both)."""

NATION = "SCT"  # the Safeguarders Panel is Scotland's: its working days
# Step details that carry the date a step set (appointment, escalation and other workflows).
DUE_KEYS = ("due_on", "support_session_due", "recommendation_due", "remind_on", "response_due",
            "allocation_due", "returns_due")
# How the appointment workflow closes a year, and the shortfall it may later withdraw.
MET, SHORTFALL, WITHDRAWN = "met", "shortfall recorded", "shortfall withdrawn"
YEAR_OUTCOMES = {"annual requirement met": MET, "annual shortfall recorded": SHORTFALL,
                 "annual shortfall withdrawn": WITHDRAWN}


def _who(event: Any) -> dict[str, Any]:
    return {"safeguarder_id": event.originator_id}


def _year(event: Any, year: int) -> dict[str, Any]:
    return {"safeguarder_id": event.originator_id, "year": year}


def _day(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else None


class SupportCaseload(Projection):
    """Read it with the directory: `READ_MODELS`."""

    name = "support_caseload"
    version = 4

    @singledispatchmethod
    def process(self, event: object, page: Page) -> None:
        """Handle one event of a Safeguarder, or a workflow step on one."""

    @process.register(SafeguarderEvents.Applied)
    def _applied(self, event: Any, page: Page) -> None:
        """The caseload's own row; who the Safeguarder is comes from the directory."""
        page.insert("caseload_safeguarder", safeguarder_id=event.originator_id)

    @process.register(SafeguarderEvents.SupportSessionHeld)
    def _session(self, event: Any, page: Page) -> None:
        page.upsert("caseload_year", _year(event, event.year), increments={"sessions": 1})

    @process.register(SafeguarderEvents.ReportSampled)
    def _report(self, event: Any, page: Page) -> None:
        page.upsert("caseload_year", _year(event, event.year), increments={"sampled_reports": 1})

    @process.register(SafeguarderEvents.MentoringSessionHeld)
    def _mentoring(self, event: Any, page: Page) -> None:
        if event.year == 1:
            page.add("caseload_safeguarder", _who(event), mentoring_sessions=1)

    @process.register(SafeguarderEvents.ConcernRaised)
    def _concern_raised(self, event: Any, page: Page) -> None:
        page.add("caseload_safeguarder", _who(event), open_concerns=1)

    @process.register(SafeguarderEvents.ConcernResolved)
    def _concern_resolved(self, event: Any, page: Page) -> None:
        page.add("caseload_safeguarder", _who(event), open_concerns=-1)

    @process.register(SafeguarderEvents.AnnualShortfallRecorded)
    def _shortfall(self, event: Any, page: Page) -> None:
        page.upsert("caseload_year", _year(event, event.year), values={"outcome": SHORTFALL})

    @process.register(SafeguarderEvents.AnnualShortfallWithdrawn)
    def _shortfall_withdrawn(self, event: Any, page: Page) -> None:
        page.upsert("caseload_year", _year(event, event.year), values={"outcome": WITHDRAWN})

    @process.register(SafeguarderEvents.ReappointmentReviewOpened)
    def _review_opened(self, event: Any, page: Page) -> None:
        page.update("caseload_safeguarder", _who(event),
                    review_opened_on=event.occurred_on.date(), recommended_on=None)

    @process.register(SafeguarderEvents.ReappointmentRecommended)
    def _recommended(self, event: Any, page: Page) -> None:
        page.update("caseload_safeguarder", _who(event), recommended_on=event.occurred_on.date())

    @process.register(SafeguarderEvents.MinistersDecided)
    def _decided(self, event: Any, page: Page) -> None:
        if event.reappoint:
            page.update("caseload_safeguarder", _who(event), recommendation_due=None)

    # --- the workflows' steps -------------------------------------------------------------------

    @process.register(RecordEvents.ProcessStepRecorded)
    def _step(self, event: Any, page: Page) -> None:
        details = event.details
        due = next((d for d in map(_day, (details.get(k) for k in DUE_KEYS)) if d), None)
        # Every kind of record takes process steps under one topic: keep those of Safeguarders.
        page.insert_if_exists("caseload_step", ("caseload_safeguarder", ("safeguarder_id",)),
                              safeguarder_id=event.originator_id,
                              version=event.originator_version, process=event.process,
                              step=event.step, occurred_on=event.occurred_on, due_on=due)
        if event.process == "appointment":  # only ever on a Safeguarder's record
            self._appointment_step(event, details, page)

    def _appointment_step(self, event: Any, details: dict[str, Any], page: Page) -> None:
        step, on, year = event.step, event.occurred_on.date(), details.get("year")
        stage = f"{step} (year {year})" if isinstance(year, int) else step
        page.advance("caseload_safeguarder", _who(event), ("stage_on", on), stage=stage)
        if step in ("allocation requested", "allocation reminder sent"):
            due = _day(details.get("remind_on") or details.get("allocation_due"))
            if due:
                page.update("caseload_safeguarder", _who(event), allocation_due=due)
        elif step in ("re-appointment review opened", "recommendation reminder sent",
                      "recommendation escalated to panel team lead"):
            due = _day(details.get("recommendation_due") or details.get("due_on"))
            if due:
                page.update("caseload_safeguarder", _who(event), recommendation_due=due)
        elif step == "peer mentoring due dates set":
            page.update("caseload_safeguarder", _who(event),
                        mentoring_due=[_day(d) for d in details.get("due", [])])
        elif not isinstance(year, int):
            return
        elif step == "support due dates set":
            session_due = _day(details.get("support_session_due"))
            page.upsert("caseload_year", _year(event, year), values={
                "due_on": session_due,
                "reports_due_on": _day(details.get("sampled_reports_due")) or session_due})
        elif step == "support reminder sent":
            page.upsert("caseload_year", _year(event, year), values={"reminded_on": on})
        elif step in YEAR_OUTCOMES:
            page.upsert("caseload_year", _year(event, year),
                        values={"outcome": YEAR_OUTCOMES[step]})
        elif step == "shortfall escalated to panel team lead":
            page.upsert("caseload_year", _year(event, year), values={"escalated_on": on})


# --- queries -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Due:
    what: str
    due_on: date
    state: str
    """'met', 'due' (not met, date not passed) or 'overdue' (not met, date passed)."""
    asked: str = "support_manager"
    """The role whose work it is (a `domain.accounts.Role` value)."""


@dataclass(frozen=True)
class CaseloadEntry:
    safeguarder_id: UUID
    name: str
    region: str
    status: str
    year: int | None
    """The appointment year the caseload's date falls in."""
    stage: str | None
    stage_on: date | None
    open_concerns: int
    items: list[Due] = field(default_factory=list)
    shortfalls: list[int] = field(default_factory=list)
    """The appointment years whose recorded shortfall stands (not withdrawn)."""

    @property
    def overdue(self) -> list[Due]:
        return [item for item in self.items if item.state == "overdue"]

    @property
    def due(self) -> list[Due]:
        return [item for item in self.items if item.state == "due"]


UNALLOCATED = "unallocated"

# Who each Safeguarder is, from the directory (projections/safeguarder_file.py), beside the
# caseload's own dates and counts.
_PEOPLE = f"""
SELECT c.*, d.name, d.region, d.status, d.support_manager, d.first_appointed_on,
       d.term_starts_on, d.term_ends_on
FROM caseload_safeguarder c JOIN {DIRECTORY} d USING (safeguarder_id)
"""


def caseload(conn: Connection[Any], on: date, cipher: Cipher, manager: str | None = None,
             policy: Policy = DEFAULT_POLICY) -> dict[str, list[CaseloadEntry]]:
    """Serving Safeguarders by support manager (`UNALLOCATED` for those without one) as of
    `on`, each with its dated items, earliest first: the allocation while there is none; each
    appointment year of the term begun by `on`, its support session and two sampled reports
    (years already met are left out, except the current one); the first year's peer mentoring
    sessions; the recommendation to Ministers while in review. A year whose shortfall was
    recorded and not withdrawn is listed in the entry's `shortfalls`."""
    where, params = "d.status = ANY(%(serving)s)", {"serving": [str(s) for s in SERVING]}
    if manager is not None:
        where += " AND d.support_manager = %(manager)s"
        params["manager"] = manager
    with conn.cursor(row_factory=dict_row) as cursor:
        people = cursor.execute(f"{_PEOPLE} WHERE {where} "
                                "ORDER BY d.support_manager, safeguarder_id", params).fetchall()
        years: dict[UUID, dict[int, dict[str, Any]]] = {}
        for row in cursor.execute("SELECT * FROM caseload_year WHERE safeguarder_id = ANY(%s)",
                                  ([p["safeguarder_id"] for p in people],)):
            years.setdefault(row["safeguarder_id"], {})[row["year"]] = row
    by_manager: dict[str, list[CaseloadEntry]] = {}
    for person in people:
        entry = _entry(person, years.get(person["safeguarder_id"], {}), on, cipher, policy)
        by_manager.setdefault(person["support_manager"] or UNALLOCATED, []).append(entry)
    return by_manager


def _entry(person: dict[str, Any], years: dict[int, dict[str, Any]], on: date, cipher: Cipher,
           policy: Policy) -> CaseloadEntry:
    first = person["first_appointed_on"]
    items: list[Due] = []
    if person["support_manager"] is None:
        due = person["allocation_due"] or policy.allocation_reminder.after(first, NATION)
        items.append(_due("Support manager allocated", due, False, on, asked="panel_admin"))
    current = appointment_year(first, on) if on >= first else None
    if current is not None:
        items += _year_items(person, years, current, on)
        items += _mentoring_items(person, on)
    if person["status"] == Status.IN_REVIEW:
        due = (person["recommendation_due"] or policy.recommendation_due_before_term_end.before(
            person["term_ends_on"], NATION))
        items.append(_due("Recommendation to Ministers", due,
                          person["recommended_on"] is not None, on))
    return CaseloadEntry(person["safeguarder_id"], unseal(cipher, person["name"]) or "",
                         person["region"], person["status"], current, person["stage"],
                         person["stage_on"], person["open_concerns"],
                         sorted(items, key=lambda i: (i.due_on, i.what)),
                         sorted(y for y, row in years.items() if row["outcome"] == SHORTFALL))


def _year_items(person: dict[str, Any], years: dict[int, dict[str, Any]], current: int,
                on: date) -> list[Due]:
    first, items = person["first_appointed_on"], []
    for year in range(appointment_year(first, person["term_starts_on"]), current + 1):
        if year_starts_on(first, year) >= person["term_ends_on"]:
            break
        row = years.get(year, {})
        due = row.get("due_on") or year_starts_on(first, year + 1) - timedelta(days=1)
        reports_due = row.get("reports_due_on") or due
        sessions, reports = row.get("sessions", 0), row.get("sampled_reports", 0)
        held = sessions >= SESSIONS_REQUIRED_PER_YEAR
        sampled = reports >= SAMPLED_REPORTS_REQUIRED_PER_YEAR
        if year < current and held and sampled:
            continue
        items += [_due(f"Support session, year {year} ({sessions} of "
                       f"{SESSIONS_REQUIRED_PER_YEAR})", due, held, on),
                  _due(f"Sampled reports, year {year} ({reports} of "
                       f"{SAMPLED_REPORTS_REQUIRED_PER_YEAR})", reports_due, sampled, on)]
    return items


def _mentoring_items(person: dict[str, Any], on: date) -> list[Due]:
    held = person["mentoring_sessions"]
    return [_due(f"Peer mentoring session {n}", due, held >= n, on,
                 asked="mentoring_coordinator")
            for n, due in enumerate(person["mentoring_due"] or [], start=1)
            if held < n or n == held]


def _due(what: str, due_on: date, met: bool, on: date, asked: str = "support_manager") -> Due:
    return Due(what, due_on, due_state(due_on, on, done=met).value, asked)
