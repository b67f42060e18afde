"""The re-appointment evidence pack (seed 000, 'Records and Re-appointment').

For each Safeguarder in re-appointment review: the evidence the support manager's
recommendation to Ministers rests on, year by year of the term under review (individual support
sessions, sampled reports, group sessions, peer mentoring, feedback, concerns and their
outcomes, PSMF evidence, the support manager's evidence of the peer mentoring's impact), and the
shortfalls against the annual requirement. A shortfall the
appointment process recorded and later withdrew (facts dated within the year, entered after it
ended, met it) stays in the year's evidence with its withdrawal, and no longer stands.

Tables (evidence_pack.sql): `evidence_safeguarder`, `evidence_item`, `evidence_concern`; who
each Safeguarder is (name, region, status, support manager, term) comes from the safeguarder
directory (`projections.safeguarder_file.DIRECTORY`). The queries open the sealed names and
free text with the store's cipher.
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

from domain.panel import GroupSession
from domain.safeguarder import Safeguarder
from domain.safeguarder_values import (
    SAMPLED_REPORTS_REQUIRED_PER_YEAR,
    SESSIONS_REQUIRED_PER_YEAR,
    Status,
    appointment_year,
    year_starts_on,
)
from projections.base import Projection
from projections.erasure import SubjectEvents, erase_words, forget_subject
from projections.page import Page
from projections.safeguarder_file import DIRECTORY
from projections.sealing import sealed, unseal

SafeguarderEvents: Any = Safeguarder
GroupSessionEvents: Any = GroupSession

READ_MODELS = ["safeguarder_file", "reappointment_evidence"]
"""The pack's own tables and the directory it reads (a read waits for both)."""

KINDS = ("support session", "sampled report", "group session", "mentoring session",
         "mentoring impact", "feedback", "PSMF evidence", "shortfall recorded",
         "shortfall withdrawn")


def _who(event: Any) -> dict[str, Any]:
    return {"safeguarder_id": event.originator_id}


def _item(page: Page, event: Any, kind: str, year: int | None = None, code: str | None = None,
          detail: bytes | None = None, giver_id: UUID | None = None) -> None:
    page.insert("evidence_item", safeguarder_id=event.originator_id,
                version=event.originator_version, kind=kind, year=year,
                occurred_on=event.occurred_on.date(), code=code, detail=detail,
                giver_id=giver_id)


SUBJECT_TABLES = (
    "evidence_safeguarder",
    "evidence_item",
    "evidence_concern",
)
"""The tables whose rows are about one data subject: forgotten at an erasure."""


class ReappointmentEvidence(Projection):
    """Read it with the directory: `READ_MODELS`."""

    name = "reappointment_evidence"
    version = 5

    @singledispatchmethod
    def process(self, event: object, page: Page) -> None:
        """Handle one event of a Safeguarder."""

    @process.register(SubjectEvents.Erased)
    def _erased(self, event: Any, page: Page) -> None:
        """The subject was erased: their rows go (projections/erasure.py)."""
        forget_subject(page, event, "safeguarder_id", SUBJECT_TABLES)
        erase_words(page, event, {"evidence_item": ("detail",)})

    @process.register(SafeguarderEvents.Applied)
    def _applied(self, event: Any, page: Page) -> None:
        """The pack's own row; who the Safeguarder is comes from the directory."""
        page.insert("evidence_safeguarder", safeguarder_id=event.originator_id)

    @process.register(SafeguarderEvents.SupportSessionHeld)
    def _session(self, event: Any, page: Page) -> None:
        _item(page, event, "support session", event.year, event.session_id)

    @process.register(SafeguarderEvents.ReportSampled)
    def _report(self, event: Any, page: Page) -> None:
        _item(page, event, "sampled report", event.year, event.report_ref)

    @process.register(SafeguarderEvents.GroupSessionAttended)
    def _group_session(self, event: Any, page: Page) -> None:
        _item(page, event, "group session", event.year, str(event.session_id))

    @process.register(SafeguarderEvents.MentorAssigned)
    def _mentor(self, event: Any, page: Page) -> None:
        page.update("evidence_safeguarder", _who(event),
                    mentor_assigned_on=event.occurred_on.date())

    @process.register(SafeguarderEvents.MentoringSessionHeld)
    def _mentoring(self, event: Any, page: Page) -> None:
        _item(page, event, "mentoring session", event.year)

    @process.register(SafeguarderEvents.MentoringImpactRecorded)
    def _mentoring_impact(self, event: Any, page: Page) -> None:
        """Seed 000: the support manager's evidence of the mentoring's impact, for
        re-appointment."""
        _item(page, event, "mentoring impact", event.year, code=event.actor,
              detail=sealed(page, event, "evidence"))

    @process.register(SafeguarderEvents.FeedbackReceived)
    def _feedback(self, event: Any, page: Page) -> None:
        _item(page, event, "feedback", code=f"{event.source}, {event.tone}",
              detail=sealed(page, event, "summary"), giver_id=event.giver_id)

    @process.register(SafeguarderEvents.PerformanceEvidenceRecorded)
    def _evidence(self, event: Any, page: Page) -> None:
        _item(page, event, "PSMF evidence", code=event.standard,
              detail=sealed(page, event, "evidence"))

    @process.register(SafeguarderEvents.AnnualShortfallRecorded)
    def _shortfall(self, event: Any, page: Page) -> None:
        _item(page, event, "shortfall recorded", event.year,
              f"{event.sessions} session(s), {event.sampled_reports} sampled report(s)")

    @process.register(SafeguarderEvents.AnnualShortfallWithdrawn)
    def _shortfall_withdrawn(self, event: Any, page: Page) -> None:
        _item(page, event, "shortfall withdrawn", event.year,
              detail=sealed(page, event, "entered_late"))

    @process.register(SafeguarderEvents.ConcernRaised)
    def _concern_raised(self, event: Any, page: Page) -> None:
        page.insert("evidence_concern", safeguarder_id=event.originator_id,
                    concern_id=event.concern_id, about=event.about,
                    raised_on=event.occurred_on.date(), summary=sealed(page, event, "summary"))

    @process.register(SafeguarderEvents.ConcernResolved)
    def _concern_resolved(self, event: Any, page: Page) -> None:
        page.update("evidence_concern", {**_who(event), "concern_id": event.concern_id},
                    resolved_on=event.occurred_on.date(),
                    resolution=sealed(page, event, "resolution"))

    @process.register(SafeguarderEvents.ReappointmentReviewOpened)
    def _review_opened(self, event: Any, page: Page) -> None:
        page.update("evidence_safeguarder", _who(event),
                    review_opened_on=event.occurred_on.date(), reappoint=None, rationale=None,
                    exception_reason=None, unmet_years=None, recommended_on=None,
                    recommended_by=None)
        page.add("evidence_safeguarder", _who(event), reviews=1)

    @process.register(SafeguarderEvents.ReappointmentRecommended)
    def _recommended(self, event: Any, page: Page) -> None:
        page.update("evidence_safeguarder", _who(event), reappoint=event.reappoint,
                    rationale=sealed(page, event, "rationale"),
                    exception_reason=sealed(page, event, "exception_reason"),
                    unmet_years=list(event.unmet_years), recommended_on=event.occurred_on.date(),
                    recommended_by=event.actor)


# --- queries -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Evidence:
    kind: str
    on: date
    code: str | None
    detail: str | None


@dataclass(frozen=True)
class Concern:
    concern_id: str
    about: str
    raised_on: date
    summary: str
    resolved_on: date | None
    resolution: str | None


@dataclass
class YearOfEvidence:
    year: int
    starts_on: date
    ends_on: date
    ended: bool
    evidence: dict[str, list[Evidence]] = field(default_factory=dict)
    """By kind (KINDS), each list oldest first."""
    concerns: list[Concern] = field(default_factory=list)
    shortfalls: list[str] = field(default_factory=list)

    def count(self, kind: str) -> int:
        return len(self.evidence.get(kind, []))


@dataclass(frozen=True)
class Recommendation:
    reappoint: bool
    rationale: str
    exception_reason: str
    unmet_years: list[int]
    on: date
    by: str


@dataclass
class EvidencePack:
    safeguarder_id: UUID
    name: str
    region: str
    status: str
    support_manager: str | None
    term_starts_on: date
    term_ends_on: date
    review_opened_on: date | None
    recommendation: Recommendation | None
    years: list[YearOfEvidence]
    earlier: int
    """Pieces of evidence from before this term (an earlier term, or before appointment)."""

    @property
    def shortfalls(self) -> list[str]:
        return [f"Year {y.year}: {s}" for y in self.years for s in y.shortfalls]


# Who the Safeguarder is, from the directory (projections/safeguarder_file.py), beside the
# pack's own review and recommendation.
_WHO = f"""
SELECT e.*, d.name, d.region, d.status, d.support_manager, d.first_appointed_on,
       d.term_starts_on, d.term_ends_on
FROM evidence_safeguarder e JOIN {DIRECTORY} d USING (safeguarder_id)
"""


def in_review(conn: Connection[Any]) -> list[UUID]:
    rows = conn.execute(f"{_WHO} WHERE d.status = %s ORDER BY e.review_opened_on, safeguarder_id",
                        (Status.IN_REVIEW.value,))
    return [row[0] for row in rows]


def evidence_packs(conn: Connection[Any], on: date, cipher: Cipher) -> list[EvidencePack]:
    """The pack of every Safeguarder in re-appointment review, the longest in review first."""
    packs = (evidence_pack(conn, safeguarder_id, on, cipher) for safeguarder_id in in_review(conn))
    return [pack for pack in packs if pack is not None]


def evidence_pack(conn: Connection[Any], safeguarder_id: UUID, on: date,
                  cipher: Cipher) -> EvidencePack | None:
    """The evidence of the Safeguarder's current term, year by year up to the year `on` falls
    in, with each year's shortfalls; None for a Safeguarder never appointed."""
    with conn.cursor(row_factory=dict_row) as cursor:
        who = cursor.execute(f"{_WHO} WHERE safeguarder_id = %s", (safeguarder_id,)).fetchone()
        if who is None or who["first_appointed_on"] is None:
            return None
        items = cursor.execute("SELECT * FROM evidence_item WHERE safeguarder_id = %s "
                               "ORDER BY occurred_on, version", (safeguarder_id,)).fetchall()
        concerns = cursor.execute("SELECT * FROM evidence_concern WHERE safeguarder_id = %s "
                                  "ORDER BY raised_on, concern_id", (safeguarder_id,)).fetchall()
    first = who["first_appointed_on"]
    years = _years(first, who["term_starts_on"], who["term_ends_on"], on)
    by_year = {y.year: y for y in years}
    earlier = 0
    for row in items:
        year = row["year"] or (appointment_year(first, row["occurred_on"])
                               if row["occurred_on"] >= first else 0)
        if year in by_year:
            by_year[year].evidence.setdefault(row["kind"], []).append(Evidence(
                row["kind"], row["occurred_on"], row["code"], unseal(cipher, row["detail"])))
        elif year < min(by_year, default=year + 1):
            earlier += 1
    for row in concerns:
        year = appointment_year(first, row["raised_on"]) if row["raised_on"] >= first else 0
        if year in by_year:
            by_year[year].concerns.append(Concern(
                row["concern_id"], row["about"], row["raised_on"], unseal(cipher, row["summary"])
                or "", row["resolved_on"], unseal(cipher, row["resolution"])))
    for year in years:
        year.shortfalls = _shortfalls(year, who["mentor_assigned_on"])
    return EvidencePack(
        who["safeguarder_id"], unseal(cipher, who["name"]) or "", who["region"], who["status"],
        who["support_manager"], who["term_starts_on"], who["term_ends_on"],
        who["review_opened_on"], _recommendation(who, cipher), years, earlier)


def _years(first: date, term_starts: date, term_ends: date, on: date) -> list[YearOfEvidence]:
    years, year = [], appointment_year(first, term_starts)
    while year_starts_on(first, year) < term_ends and year_starts_on(first, year) <= on:
        ends = year_starts_on(first, year + 1) - timedelta(days=1)
        years.append(YearOfEvidence(year, year_starts_on(first, year), ends, ends < on))
        year += 1
    return years


def _shortfalls(year: YearOfEvidence, mentor_assigned_on: date | None) -> list[str]:
    """What falls short of the annual requirement (seed 000); 'so far' while the year runs."""
    so_far = "" if year.ended else " so far"
    found = []
    sessions, reports = year.count("support session"), year.count("sampled report")
    if sessions < SESSIONS_REQUIRED_PER_YEAR:
        found.append(f"{sessions} individual support session(s) of "
                     f"{SESSIONS_REQUIRED_PER_YEAR}{so_far}")
    if reports < SAMPLED_REPORTS_REQUIRED_PER_YEAR:
        found.append(f"{reports} sampled report(s) of {SAMPLED_REPORTS_REQUIRED_PER_YEAR}{so_far}")
    # Each withdrawal takes back the shortfall recorded before it; the others stand.
    withdrawn = len(year.evidence.get("shortfall withdrawn", []))
    found += [f"shortfall recorded on {e.on.isoformat()}"
              for e in year.evidence.get("shortfall recorded", [])[withdrawn:]]
    if year.year == 1 and (mentor_assigned_on is None or mentor_assigned_on > year.ends_on):
        found.append("no peer mentor assigned in the first year")
    found += [f"concern {c.concern_id} ({c.about}) unresolved" for c in year.concerns
              if c.resolved_on is None]
    return found


def _recommendation(who: dict[str, Any], cipher: Cipher) -> Recommendation | None:
    if who["recommended_on"] is None:
        return None
    return Recommendation(who["reappoint"], unseal(cipher, who["rationale"]) or "",
                          unseal(cipher, who["exception_reason"]) or "",
                          list(who["unmet_years"] or []), who["recommended_on"],
                          who["recommended_by"])
