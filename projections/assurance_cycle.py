"""The quarterly assurance cycles (seed 004, the five-step diagram), as the quarterly report and
the work lists read them: each cycle's dates, who owes what evidence (on time, late, chased,
escalated), the sub-group's summary, actions and recommendations, the queries and spotlights,
the partnership's decisions and the publication.

Tables (assurance_cycle.sql): `cycle`, `cycle_evidence`, `cycle_action`, `cycle_recommendation`,
`cycle_query`, `cycle_spotlight`. The queries open the sealed text with the store's cipher.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import singledispatchmethod
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Cipher
from psycopg import Connection
from psycopg.rows import dict_row

from domain.assurance import AssuranceCycle
from projections.base import Projection
from projections.page import Page
from projections.sealing import sealed, unseal

CycleEvents: Any = AssuranceCycle


def _key(event: Any, **more: Any) -> dict[str, Any]:
    return {"cycle_id": event.originator_id, **more}


def _day(event: Any) -> date:
    return event.occurred_on.date()  # type: ignore[no-any-return]


class AssuranceCycles(Projection):
    name = "assurance_cycle"
    version = 1

    @singledispatchmethod
    def process(self, event: object, page: Page) -> None:
        """Handle one event of a quarterly assurance cycle."""

    @process.register(CycleEvents.Planned)
    def _planned(self, event: Any, page: Page) -> None:
        page.insert("cycle", cycle_id=event.originator_id, quarter=event.quarter,
                    planned_on=_day(event), evidence_due=event.evidence_due,
                    sub_group_meets_on=event.sub_group_meets_on,
                    partnership_meets_on=event.partnership_meets_on, stage="evidence_due")
        for request in event.requests:
            page.insert("cycle_evidence", cycle_id=event.originator_id, item=request["item"],
                        kind=request["kind"], lead=request["lead"])

    @process.register(CycleEvents.EvidenceSubmitted)
    def _submitted(self, event: Any, page: Page) -> None:
        page.update("cycle_evidence", _key(event, item=event.item), submitted_on=_day(event),
                    late=event.late)

    @process.register(CycleEvents.EvidenceChased)
    def _chased(self, event: Any, page: Page) -> None:
        page.update("cycle_evidence", _key(event, item=event.item), chased_on=_day(event))

    @process.register(CycleEvents.EvidenceEscalated)
    def _escalated(self, event: Any, page: Page) -> None:
        page.update("cycle_evidence", _key(event, item=event.item), escalated_on=_day(event),
                    escalated_to=event.escalated_to)

    @process.register(CycleEvents.Discussed)
    def _discussed(self, event: Any, page: Page) -> None:
        page.update("cycle", _key(event), stage="discussed", discussed_on=_day(event),
                    summary=sealed(page, event, "summary"))
        self._actions(event, page, "agreed", event.actions)
        for n, r in enumerate(event.recommendations):
            page.insert("cycle_recommendation", cycle_id=event.originator_id,
                        recommendation_id=r["recommendation_id"], position=n,
                        text=sealed(page, event, f"recommendations.{n}", r["text"]))

    @staticmethod
    def _actions(event: Any, page: Page, phase: str, actions: list[dict[str, Any]]) -> None:
        for a in actions:
            page.insert("cycle_action", cycle_id=event.originator_id, phase=phase,
                        action_id=a["action_id"], owner=a["owner"], due_on=a["due_on"],
                        action=sealed(page, event, f"{phase}.{a['action_id']}", a["action"]))

    @process.register(CycleEvents.QueryRaised)
    def _query(self, event: Any, page: Page) -> None:
        page.insert("cycle_query", cycle_id=event.originator_id, query_id=event.query_id,
                    to_whom=event.to, raised_on=_day(event), due_on=event.due_on)

    @process.register(CycleEvents.QueryAnswered)
    def _answered(self, event: Any, page: Page) -> None:
        page.update("cycle_query", _key(event, query_id=event.query_id), answered_on=_day(event))

    @process.register(CycleEvents.QueryChased)
    def _query_chased(self, event: Any, page: Page) -> None:
        page.update("cycle_query", _key(event, query_id=event.query_id), chased_on=_day(event))

    @process.register(CycleEvents.SpotlightFinalised)
    def _spotlight(self, event: Any, page: Page) -> None:
        page.insert("cycle_spotlight", cycle_id=event.originator_id,
                    spotlight_id=event.spotlight_id, title=sealed(page, event, "title"),
                    finalised_on=_day(event))

    @process.register(CycleEvents.Decided)
    def _decided(self, event: Any, page: Page) -> None:
        page.update("cycle", _key(event), stage="decided", decided_on=_day(event))
        for n, d in enumerate(event.decisions):
            page.update("cycle_recommendation",
                        _key(event, recommendation_id=d["recommendation_id"]),
                        decision=d["decision"],
                        note=sealed(page, event, f"decisions.{n}", d["note"]))

    @process.register(CycleEvents.Published)
    def _published(self, event: Any, page: Page) -> None:
        page.update("cycle", _key(event), stage="published", published_on=_day(event),
                    audiences=", ".join(event.audiences))
        self._actions(event, page, "next period", event.next_actions)


# --- queries -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class EvidenceLine:
    item: str
    kind: str
    lead: str
    submitted_on: date | None
    late: bool
    chased_on: date | None
    escalated_on: date | None
    escalated_to: str | None

    @property
    def state(self) -> str:
        if self.submitted_on is not None:
            return "late" if self.late else "on time"
        return "escalated" if self.escalated_on else "chased" if self.chased_on else "owed"


@dataclass(frozen=True)
class CycleAction:
    phase: str
    action_id: str
    action: str
    owner: str
    due_on: date


@dataclass(frozen=True)
class CycleRecommendation:
    recommendation_id: str
    text: str
    decision: str | None
    note: str | None


@dataclass(frozen=True)
class CycleQuery:
    query_id: str
    to: str
    raised_on: date
    due_on: date
    answered_on: date | None
    chased_on: date | None


@dataclass
class CycleReport:
    """One quarter's cycle: the dates and decisions its report records."""

    cycle_id: UUID
    quarter: str
    stage: str
    planned_on: date
    evidence_due: date
    sub_group_meets_on: date
    partnership_meets_on: date
    discussed_on: date | None
    summary: str | None
    decided_on: date | None
    published_on: date | None
    audiences: str | None
    evidence: list[EvidenceLine] = field(default_factory=list)
    actions: list[CycleAction] = field(default_factory=list)
    recommendations: list[CycleRecommendation] = field(default_factory=list)
    queries: list[CycleQuery] = field(default_factory=list)
    spotlights: list[tuple[str, date]] = field(default_factory=list)


def cycle_of_quarter(conn: Connection[Any], quarter: str, cipher: Cipher) -> CycleReport | None:
    """The quarter's cycle as the read tables stand; None when none was planned."""
    with conn.cursor(row_factory=dict_row) as cursor:
        row = cursor.execute("SELECT * FROM cycle WHERE quarter = %s", (quarter,)).fetchone()
        if row is None:
            return None
        key = (row["cycle_id"],)
        evidence = cursor.execute("SELECT item, kind, lead, submitted_on, late, chased_on, "
                                  "escalated_on, escalated_to FROM cycle_evidence WHERE "
                                  "cycle_id = %s ORDER BY kind, item", key).fetchall()
        actions = cursor.execute("SELECT * FROM cycle_action WHERE cycle_id = %s ORDER BY "
                                 "phase, due_on, action_id", key).fetchall()
        recommendations = cursor.execute("SELECT * FROM cycle_recommendation WHERE cycle_id = "
                                         "%s ORDER BY position", key).fetchall()
        queries = cursor.execute("SELECT * FROM cycle_query WHERE cycle_id = %s ORDER BY "
                                 "raised_on, query_id", key).fetchall()
        spotlights = cursor.execute("SELECT title, finalised_on FROM cycle_spotlight WHERE "
                                    "cycle_id = %s ORDER BY finalised_on, spotlight_id",
                                    key).fetchall()
    return CycleReport(
        row["cycle_id"], row["quarter"], row["stage"], row["planned_on"], row["evidence_due"],
        row["sub_group_meets_on"], row["partnership_meets_on"], row["discussed_on"],
        unseal(cipher, row["summary"]), row["decided_on"], row["published_on"], row["audiences"],
        [EvidenceLine(**{**e, "late": bool(e["late"])}) for e in evidence],
        [CycleAction(a["phase"], a["action_id"], unseal(cipher, a["action"]) or "", a["owner"],
                     a["due_on"]) for a in actions],
        [CycleRecommendation(r["recommendation_id"], unseal(cipher, r["text"]) or "",
                             r["decision"], unseal(cipher, r["note"])) for r in recommendations],
        [CycleQuery(q["query_id"], q["to_whom"], q["raised_on"], q["due_on"], q["answered_on"],
                    q["chased_on"]) for q in queries],
        [(unseal(cipher, s["title"]) or "", s["finalised_on"]) for s in spotlights])


@dataclass(frozen=True)
class Owed:
    """Something a person owes a cycle: a piece of evidence, or an answer to a query."""

    quarter: str
    cycle_id: UUID
    what: str
    due_on: date
    overdue: bool


def owed_by(conn: Connection[Any], username: str, on: date) -> list[Owed]:
    """What `username` owes the cycles not yet published, earliest due first."""
    rows = conn.execute(
        "SELECT c.quarter, c.cycle_id, 'evidence: ' || e.item, c.evidence_due FROM "
        "cycle_evidence e JOIN cycle c USING (cycle_id) WHERE e.lead = %(who)s AND "
        "e.submitted_on IS NULL AND c.stage <> 'published' UNION ALL "
        "SELECT c.quarter, c.cycle_id, 'query: ' || q.query_id, q.due_on FROM cycle_query q "
        "JOIN cycle c USING (cycle_id) WHERE q.to_whom = %(who)s AND q.answered_on IS NULL "
        "AND c.stage <> 'published' ORDER BY 4, 3", {"who": username}).fetchall()
    return [Owed(quarter, cycle_id, what, due, due < on) for quarter, cycle_id, what, due in rows]
