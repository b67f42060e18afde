"""Supervision arrangements (seeds 002 and 003), as lists and work lists read them: each
arrangement's parties, frequency and review date, the periods missed (escalated to the line
manager) and the required actions its confidentiality markings opened, with their owners.

Nothing confidential is kept here: no agenda, no issue marked, no evaluation answer (those stay
on the records, read through the policy). Tables (supervision_arrangement.sql).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import singledispatchmethod
from typing import Any
from uuid import UUID

from psycopg import Connection

from domain.arrangement import SupervisionArrangement
from domain.arrangement_values import Level
from projections.base import Projection
from projections.page import Page

ArrangementEvents: Any = SupervisionArrangement


def _key(event: Any, **more: Any) -> dict[str, Any]:
    return {"arrangement_id": event.originator_id, **more}


def _day(event: Any) -> date:
    return event.occurred_on.date()  # type: ignore[no-any-return]


class SupervisionArrangements(Projection):
    name = "supervision_arrangement"
    version = 2  # 2: each arrangement's nation (its working days, for My work)

    @singledispatchmethod
    def process(self, event: object, page: Page) -> None:
        """Handle one event of a supervision arrangement."""

    @process.register(ArrangementEvents.Made)
    def _made(self, event: Any, page: Page) -> None:
        page.insert("arrangement", arrangement_id=event.originator_id, agency=event.agency,
                    supervisor=event.supervisor, supervisee=event.supervisee,
                    line_manager=event.line_manager, safeguarding_lead=event.safeguarding_lead,
                    nation=event.nation, contact=event.contact, frequency=event.frequency,
                    made_on=_day(event), review_on=event.review_on)

    @process.register(ArrangementEvents.Signed)
    def _signed(self, event: Any, page: Page) -> None:
        page.add("arrangement", _key(event), signatures=1)

    @process.register(ArrangementEvents.Reviewed)
    def _reviewed(self, event: Any, page: Page) -> None:
        page.update("arrangement", _key(event), review_on=event.next_review_on,
                    review_overdue_since=None)

    @process.register(ArrangementEvents.ReviewOverdue)
    def _review_overdue(self, event: Any, page: Page) -> None:
        page.update("arrangement", _key(event), review_overdue_since=_day(event))

    @process.register(ArrangementEvents.SessionRecorded)
    def _session(self, event: Any, page: Page) -> None:
        page.add("arrangement", _key(event), sessions=1)
        page.update("arrangement", _key(event), last_session_on=_day(event))

    @process.register(ArrangementEvents.SessionMissed)
    def _missed(self, event: Any, page: Page) -> None:
        page.insert("arrangement_missed", arrangement_id=event.originator_id,
                    period_ends_on=event.period_ends_on, requirement=event.requirement,
                    escalated_to=event.escalated_to)

    @process.register(ArrangementEvents.ConfidentialityMarked)
    def _marked(self, event: Any, page: Page) -> None:
        if event.action is not None:
            page.insert("arrangement_action", arrangement_id=event.originator_id,
                        marking_id=event.marking_id, level=event.level,
                        owner=event.action["owner"], marked_on=_day(event),
                        due_on=event.action["due_on"])

    @process.register(ArrangementEvents.Reported)
    @process.register(ArrangementEvents.LineManagementActionCompleted)
    def _done(self, event: Any, page: Page) -> None:
        page.update("arrangement_action", _key(event, marking_id=event.marking_id),
                    done_on=_day(event))

    @process.register(ArrangementEvents.UnreportedEscalated)
    def _escalated(self, event: Any, page: Page) -> None:
        page.update("arrangement_action", _key(event, marking_id=event.marking_id),
                    escalated_on=_day(event), escalated_to=event.escalated_to)

    @process.register(ArrangementEvents.SupervisorChanged)
    def _supervisor(self, event: Any, page: Page) -> None:
        page.update("arrangement", _key(event), supervisor=event.new_supervisor)

    @process.register(ArrangementEvents.Ended)
    def _ended(self, event: Any, page: Page) -> None:
        page.update("arrangement", _key(event), ended_on=_day(event))


@dataclass(frozen=True)
class RequiredAction:
    """A required action a confidentiality marking opened, as its owner's work shows it."""

    arrangement_id: UUID
    marking_id: str
    level: str
    what: str
    due_on: date | None
    escalated_to: str | None
    overdue: bool


def open_actions(conn: Connection[Any], username: str, on: date) -> list[RequiredAction]:
    """The required actions still open that `username` owns, or that were escalated to them."""
    rows = conn.execute(
        "SELECT arrangement_id, marking_id, level, due_on, escalated_to FROM arrangement_action "
        "WHERE done_on IS NULL AND (owner = %(who)s OR escalated_to = %(who)s) ORDER BY "
        "due_on NULLS LAST, marked_on, marking_id", {"who": username}).fetchall()
    what = {Level.DUTY_TO_REPORT: "report a level-1 matter through the appropriate channels",
            Level.LINE_MANAGEMENT: "act on a line-management matter"}
    return [RequiredAction(aid, mid, level, what[Level(level)], due, to,
                           due is not None and due < on) for aid, mid, level, due, to in rows]


@dataclass(frozen=True)
class ArrangementLine:
    arrangement_id: UUID
    agency: str
    supervisor: str
    supervisee: str
    frequency: str
    review_on: date
    review_overdue: bool
    sessions: int
    last_session_on: date | None
    missed: int
    signed: bool


def arrangements_of(conn: Connection[Any], username: str) -> list[ArrangementLine]:
    """The open arrangements `username` is party to or line-manages."""
    rows = conn.execute(
        "SELECT a.arrangement_id, a.agency, a.supervisor, a.supervisee, a.frequency, "
        "a.review_on, a.review_overdue_since IS NOT NULL, a.sessions, a.last_session_on, "
        "(SELECT count(*) FROM arrangement_missed m WHERE m.arrangement_id = a.arrangement_id), "
        "a.signatures >= 2 FROM arrangement a WHERE a.ended_on IS NULL AND %(who)s IN "
        "(a.supervisor, a.supervisee, a.line_manager) ORDER BY a.review_on, a.arrangement_id",
        {"who": username}).fetchall()
    return [ArrangementLine(*row) for row in rows]
