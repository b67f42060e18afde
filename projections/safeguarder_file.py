"""The Safeguarder's electronic file (seed 000, 'Records and Re-appointment').

Tables (safeguarder_file.sql): the Safeguarder's details, region, support manager and status;
terms, allocations, support sessions, sampled reports, group sessions, mentoring, feedback,
concerns with their outcomes, PSMF evidence, the shortfalls the appointment process recorded
(and withdrew, when facts dated within the year were entered after it ended), and the counts of
each appointment year. The query functions at the end take a psycopg connection and the store's
cipher.

Names, contact details and free text (allocation reasons, feedback and concern summaries,
resolutions, evidence, the late entries that withdrew a shortfall) are sealed with the store's
key (sealing.py); the query functions open them. Codes, dates, ids, counts and usernames stay
plain.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import singledispatchmethod
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Cipher
from psycopg import Connection, sql
from psycopg.rows import dict_row

from domain.panel import GroupSession
from domain.safeguarder import Safeguarder
from domain.safeguarder_values import (
    SAMPLED_REPORTS_REQUIRED_PER_YEAR,
    SESSIONS_REQUIRED_PER_YEAR,
    appointment_year,
    status_after,
    year_starts_on,
)
from projections.base import Projection
from projections.erasure import SubjectEvents, erase_words, forget_subject
from projections.page import Page
from projections.sealing import seal_json, sealed, unseal, unseal_json, unseal_row

# The library makes each aggregate's event classes at run time; type checkers cannot see
# them, so handlers are registered on these names for the aggregate classes.
SafeguarderEvents: Any = Safeguarder
GroupSessionEvents: Any = GroupSession


def _who(event: Any) -> dict[str, Any]:
    return {"safeguarder_id": event.originator_id}


def _year(event: Any, year: int | None) -> dict[str, Any]:
    return {"safeguarder_id": event.originator_id, "year": year}


def _entry(event: Any, **row: Any) -> dict[str, Any]:
    """A row of a list in the file, keyed by the event that added it."""
    return {"safeguarder_id": event.originator_id, "version": event.originator_version, **row}


DIRECTORY = "safeguarder"
"""The safeguarder directory: one row per Safeguarder (name, region, status, support manager,
first appointment, current term, leaving), owned by this read model. The list of Safeguarders,
the caseload and the evidence pack read it (joined on `safeguarder_id`) rather than keep their
own copies; read it together with this read model (`api.reads.read_models`)."""


def status_of(event: Any) -> str:
    """The status an event of STATUS_EVENTS sets, by the domain's one rule."""
    return status_after(type(event).__name__, passed=getattr(event, "passed", None),
                        reappoint=getattr(event, "reappoint", None)).value


SUBJECT_TABLES = (
    "safeguarder",
    "safeguarder_term",
    "safeguarder_allocation",
    "safeguarder_support_session",
    "safeguarder_sampled_report",
    "safeguarder_group_session",
    "safeguarder_mentoring",
    "safeguarder_feedback",
    "safeguarder_concern",
    "safeguarder_evidence",
    "safeguarder_shortfall",
    "safeguarder_shortfall_withdrawal",
    "safeguarder_year",
)
"""The tables whose rows are about one data subject: forgotten at an erasure."""


class SafeguarderFile(Projection):
    name = "safeguarder_file"
    version = 5

    @singledispatchmethod
    def process(self, event: object, page: Page) -> None:
        """Handle one event of a Safeguarder or a group session."""

    # --- from application to appointment, and leaving ------------------------------------------

    @process.register(SubjectEvents.Erased)
    def _erased(self, event: Any, page: Page) -> None:
        """The subject was erased: their rows go (projections/erasure.py)."""
        forget_subject(page, event, "safeguarder_id", SUBJECT_TABLES)
        erase_words(page, event, {"safeguarder_feedback": ("summary",)})

    @process.register(SafeguarderEvents.Applied)
    def _applied(self, event: Any, page: Page) -> None:
        page.insert(DIRECTORY, safeguarder_id=event.originator_id,
                    name=sealed(page, event, "name"),
                    contact=seal_json(page.seal, dict(event.contact), event.originator_id,
                                      event.originator_version, "contact"),
                    region=event.region, status=status_of(event),
                    applied_on=event.occurred_on)

    @process.register(SafeguarderEvents.Interviewed)
    @process.register(SafeguarderEvents.Assessed)
    @process.register(SafeguarderEvents.ReappointmentReviewOpened)
    def _status(self, event: Any, page: Page) -> None:
        page.update(DIRECTORY, _who(event), status=status_of(event))

    @process.register(SafeguarderEvents.Appointed)
    def _appointed(self, event: Any, page: Page) -> None:
        page.update(DIRECTORY, _who(event), status=status_of(event),
                    first_appointed_on=event.term_starts_on)
        self._term(event, page)

    @staticmethod
    def _term(event: Any, page: Page) -> None:
        """A term begins: it is the directory's current term, and a row of the file's terms."""
        page.update(DIRECTORY, _who(event), term_starts_on=event.term_starts_on,
                    term_ends_on=event.term_ends_on, review_opens_on=event.review_opens_on)
        page.insert("safeguarder_term", safeguarder_id=event.originator_id,
                    starts_on=event.term_starts_on, ends_on=event.term_ends_on,
                    review_opens_on=event.review_opens_on, decided_on=event.occurred_on)

    @process.register(SafeguarderEvents.MinistersDecided)
    def _ministers_decided(self, event: Any, page: Page) -> None:
        if event.reappoint:
            page.update(DIRECTORY, _who(event), status=status_of(event))
            self._term(event, page)
        else:
            self._left(event, page)

    @process.register(SafeguarderEvents.Resigned)
    @process.register(SafeguarderEvents.Removed)
    def _left(self, event: Any, page: Page) -> None:
        page.update(DIRECTORY, _who(event), status=status_of(event), left_on=event.occurred_on)

    # --- support --------------------------------------------------------------------------------

    @process.register(SafeguarderEvents.Allocated)
    def _allocated(self, event: Any, page: Page) -> None:
        page.update(DIRECTORY, _who(event), support_manager=event.manager)
        page.insert("safeguarder_allocation", **_entry(event, manager=event.manager,
                    reason=sealed(page, event, "reason"), allocated_on=event.occurred_on))

    @process.register(SafeguarderEvents.SupportSessionHeld)
    def _support_session(self, event: Any, page: Page) -> None:
        page.insert("safeguarder_support_session", safeguarder_id=event.originator_id,
                    session_id=event.session_id, year=event.year, held_on=event.occurred_on,
                    held_by=event.actor)
        page.upsert("safeguarder_year", _year(event, event.year), increments={"sessions": 1})

    @process.register(SafeguarderEvents.ReportSampled)
    def _report_sampled(self, event: Any, page: Page) -> None:
        page.insert("safeguarder_sampled_report", **_entry(
            event, report_ref=event.report_ref, session_id=event.session_id, year=event.year,
            discussed_on=event.occurred_on))
        page.upsert("safeguarder_year", _year(event, event.year),
                    increments={"sampled_reports": 1})

    @process.register(GroupSessionEvents.Planned)
    def _group_session_planned(self, event: Any, page: Page) -> None:
        page.insert("group_session", session_id=event.originator_id,
                    session_ref=event.session_ref, facilitator=event.facilitator,
                    held_on=event.held_on)

    @process.register(SafeguarderEvents.GroupSessionAttended)
    def _group_session(self, event: Any, page: Page) -> None:
        page.insert("safeguarder_group_session", safeguarder_id=event.originator_id,
                    session_id=event.session_id, year=event.year, recorded_on=event.occurred_on)
        page.upsert("safeguarder_year", _year(event, event.year),
                    increments={"group_sessions": 1})

    @process.register(SafeguarderEvents.MentorAssigned)
    def _mentor_assigned(self, event: Any, page: Page) -> None:
        page.update(DIRECTORY, _who(event), mentor_id=event.mentor_id)
        page.insert("safeguarder_mentoring", **_entry(
            event, kind="mentor assigned", mentor_id=event.mentor_id,
            occurred_on=event.occurred_on))

    @process.register(SafeguarderEvents.MentoringSessionHeld)
    def _mentoring_session(self, event: Any, page: Page) -> None:
        page.insert("safeguarder_mentoring", **_entry(
            event, kind="mentoring session", mentor_id=event.mentor_id, year=event.year,
            occurred_on=event.occurred_on))
        page.upsert("safeguarder_year", _year(event, event.year),
                    increments={"mentoring_sessions": 1})

    @process.register(SafeguarderEvents.AnnualShortfallRecorded)
    def _shortfall(self, event: Any, page: Page) -> None:
        page.upsert("safeguarder_year", _year(event, event.year),
                    values={"shortfall_recorded": True, "shortfall_withdrawn": False})
        page.insert("safeguarder_shortfall", **_entry(
            event, year=event.year, sessions=event.sessions,
            sampled_reports=event.sampled_reports, recorded_on=event.occurred_on))

    @process.register(SafeguarderEvents.AnnualShortfallWithdrawn)
    def _shortfall_withdrawn(self, event: Any, page: Page) -> None:
        """The year's requirement was met after all: the shortfall no longer stands, and the
        file keeps both it and its withdrawal."""
        page.upsert("safeguarder_year", _year(event, event.year),
                    values={"shortfall_withdrawn": True})
        page.insert("safeguarder_shortfall_withdrawal", **_entry(
            event, year=event.year, withdrawn_on=event.occurred_on,
            entered_late=sealed(page, event, "entered_late")))

    # --- feedback, concerns, PSMF evidence -----------------------------------------------------

    @process.register(SafeguarderEvents.FeedbackReceived)
    def _feedback(self, event: Any, page: Page) -> None:
        page.insert("safeguarder_feedback", **_entry(
            event, source=event.source, tone=event.tone, summary=sealed(page, event, "summary"),
            received_on=event.occurred_on, giver_id=event.giver_id))

    @process.register(SafeguarderEvents.ConcernRaised)
    def _concern_raised(self, event: Any, page: Page) -> None:
        page.insert("safeguarder_concern", safeguarder_id=event.originator_id,
                    concern_id=event.concern_id, about=event.about,
                    summary=sealed(page, event, "summary"),
                    raised_on=event.occurred_on)

    @process.register(SafeguarderEvents.ConcernResolved)
    def _concern_resolved(self, event: Any, page: Page) -> None:
        page.update("safeguarder_concern", {**_who(event), "concern_id": event.concern_id},
                    resolution=sealed(page, event, "resolution"), resolved_on=event.occurred_on)

    @process.register(SafeguarderEvents.PerformanceEvidenceRecorded)
    def _evidence(self, event: Any, page: Page) -> None:
        page.insert("safeguarder_evidence", **_entry(
            event, standard=event.standard, evidence=sealed(page, event, "evidence"),
            recorded_on=event.occurred_on))


# --- queries -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class YearStatus:
    year: int
    starts_on: date
    sessions: int
    sampled_reports: int
    group_sessions: int
    mentoring_sessions: int
    shortfall_recorded: bool
    shortfall_withdrawn: bool = False

    @property
    def shortfall(self) -> bool:
        """Whether a recorded shortfall stands (it was not withdrawn)."""
        return self.shortfall_recorded and not self.shortfall_withdrawn

    @property
    def met(self) -> bool:
        """The annual requirement (seed 000): a support session and two sampled reports."""
        return (self.sessions >= SESSIONS_REQUIRED_PER_YEAR
                and self.sampled_reports >= SAMPLED_REPORTS_REQUIRED_PER_YEAR)


@dataclass(frozen=True)
class FileOfSafeguarder:
    details: dict[str, Any]
    sections: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    years: list[YearStatus] = field(default_factory=list)


# Each list in the file: its table and its order.
SECTIONS = {
    "terms": ("safeguarder_term", "starts_on"),
    "allocations": ("safeguarder_allocation", "version"),
    "support_sessions": ("safeguarder_support_session", "held_on, session_id"),
    "sampled_reports": ("safeguarder_sampled_report", "version"),
    "mentoring": ("safeguarder_mentoring", "version"),
    "feedback": ("safeguarder_feedback", "version"),
    "concerns": ("safeguarder_concern", "raised_on, concern_id"),
    "evidence": ("safeguarder_evidence", "version"),
    "shortfalls": ("safeguarder_shortfall", "version"),
    "shortfall_withdrawals": ("safeguarder_shortfall_withdrawal", "version"),
}

_GROUP_SESSIONS = """
SELECT a.session_id, g.session_ref, g.facilitator, g.held_on, a.year, a.recorded_on
FROM safeguarder_group_session a LEFT JOIN group_session g USING (session_id)
WHERE a.safeguarder_id = %s ORDER BY a.recorded_on, a.session_id
"""


# The sealed columns of each table (the query opens them with the store's cipher).
SEALED = {"safeguarder_allocation": ("reason",), "safeguarder_feedback": ("summary",),
          "safeguarder_concern": ("summary", "resolution"), "safeguarder_evidence": ("evidence",),
          "safeguarder_shortfall_withdrawal": ("entered_late",)}


def safeguarder_file(conn: Connection[Any], safeguarder_id: UUID, on: date,
                     cipher: Cipher) -> FileOfSafeguarder | None:
    """The Safeguarder's whole file, with the annual requirement of each year up to `on`.

    `cipher` is the store's (`app.mapper.cipher`): it opens the sealed names and free text.
    """
    with conn.cursor(row_factory=dict_row) as cursor:
        details = cursor.execute("SELECT * FROM safeguarder WHERE safeguarder_id = %s",
                                 (safeguarder_id,)).fetchone()
        if details is None:
            return None
        sections = {
            section: cursor.execute(sql.SQL(
                "SELECT * FROM {} WHERE safeguarder_id = %s ORDER BY {}"
            ).format(sql.Identifier(table), sql.SQL(order)), (safeguarder_id,)).fetchall()
            for section, (table, order) in SECTIONS.items()
        }
        sections["group_sessions"] = cursor.execute(_GROUP_SESSIONS,
                                                    (safeguarder_id,)).fetchall()
    details["name"] = unseal(cipher, details["name"])
    details["contact"] = unseal_json(cipher, details["contact"])
    for section, (table, _) in SECTIONS.items():
        for row in sections[section]:
            unseal_row(cipher, row, *SEALED.get(table, ()))
    return FileOfSafeguarder(details, sections, annual_requirements(conn, safeguarder_id, on))


def annual_requirements(conn: Connection[Any], safeguarder_id: UUID, on: date) -> list[YearStatus]:
    """Each appointment year begun by `on`, with its counts; empty if never appointed."""
    row = conn.execute("SELECT first_appointed_on FROM safeguarder WHERE safeguarder_id = %s",
                       (safeguarder_id,)).fetchone()
    first = row[0] if row else None
    if first is None or on < first:
        return []
    counts = {r[0]: r[1:] for r in conn.execute(
        "SELECT year, sessions, sampled_reports, group_sessions, mentoring_sessions, "
        "shortfall_recorded, shortfall_withdrawn FROM safeguarder_year "
        "WHERE safeguarder_id = %s", (safeguarder_id,))}
    nothing = (0, 0, 0, 0, False, False)
    return [YearStatus(year, year_starts_on(first, year), *counts.get(year, nothing))
            for year in range(1, max([appointment_year(first, on), *counts]) + 1)]
