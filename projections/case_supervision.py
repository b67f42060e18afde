"""Case chronology and supervision compliance (seeds 002 and 003).

Tables (case_supervision.sql): `case_state`, `case_chronology` (every event of every case, with
a short summary of codes and dates only), `case_discussion` (RAG trend), `case_action`,
`case_drift_flag`. The query functions at the end take a psycopg connection.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import singledispatchmethod
from typing import Any
from uuid import UUID

from psycopg import Connection
from psycopg.rows import class_row

from domain.case import Case
from domain.case_values import (
    ActionStatus,
    LegalStatus,
    child_in_need_discussion_due,
    drift_reasons,
)
from domain.ladder import concern_stage_name
from domain.policy import DEFAULT_POLICY, Policy
from domain.record import Record
from domain.supervision_window import SUPERVISION_EVENTS
from projections.base import Projection
from projections.erasure import SubjectEvents, forget_subject
from projections.page import Page

# The library makes each aggregate's event classes at run time; type checkers cannot see
# them, so handlers are registered on these names for the aggregate classes.
CaseEvents: Any = Case
RecordEvents: Any = Record


CHRONOLOGY = ("case_id", "version", "event_type", "occurred", "recorded", "actor", "summary",
              "item_id")


def _chronicle(page: Page, event: Any, summary: str) -> None:
    # A supervision record's discussion, or its action's (which the reads look up): what a
    # replacement supervisor may see is decided by it (domain/supervision_window.py).
    item = getattr(event, "discussion_id", None) or getattr(event, "action_id", None)
    page.append("case_chronology", CHRONOLOGY, (
        event.originator_id, event.originator_version, type(event).__name__, event.occurred_on,
        event.timestamp, event.actor, summary, item))


def _case(event: Any) -> dict[str, Any]:
    return {"case_id": event.originator_id}


SUBJECT_TABLES = (
    "case_state",
    "case_chronology",
    "case_discussion",
    "case_action",
    "case_drift_flag",
)
"""The tables whose rows are about one data subject: forgotten at an erasure."""


class CaseSupervision(Projection):
    name = "case_supervision"
    version = 3

    @singledispatchmethod
    def process(self, event: object, page: Page) -> None:
        """Handle one event of a case."""

    @process.register(SubjectEvents.Erased)
    def _erased(self, event: Any, page: Page) -> None:
        """The subject was erased: their rows go (projections/erasure.py)."""
        forget_subject(page, event, "case_id", SUBJECT_TABLES)

    @process.register(CaseEvents.Opened)
    def _opened(self, event: Any, page: Page) -> None:
        page.insert("case_state", case_id=event.originator_id, agency=event.agency,
                    practitioner=event.practitioner, supervisor=event.supervisor,
                    legal_status=event.legal_status, risk=event.risk, nation=event.nation,
                    opened_on=event.occurred_on, opened_date=event.occurred_on.date())
        _chronicle(page, event, f"Case opened: {event.legal_status}, risk {event.risk}, "
                   f"{event.nation}, agency {event.agency}")

    @process.register(CaseEvents.LegalStatusChanged)
    def _legal_status_changed(self, event: Any, page: Page) -> None:
        page.update("case_state", _case(event), legal_status=event.new_status)
        _chronicle(page, event, f"Legal status changed to {event.new_status}")

    @process.register(CaseEvents.RiskChanged)
    def _risk_changed(self, event: Any, page: Page) -> None:
        page.update("case_state", _case(event), risk=event.new_risk)
        _chronicle(page, event, f"Risk changed to {event.new_risk}")

    @process.register(CaseEvents.DiscussionRecorded)
    def _discussion_recorded(self, event: Any, page: Page) -> None:
        case_id, held_on = event.originator_id, event.occurred_on
        page.insert("case_discussion", case_id=case_id, discussion_id=event.discussion_id,
                    version=event.originator_version, held_on=held_on, held_date=held_on.date(),
                    supervisor=event.supervisor, supervisee=event.supervisee, rag=event.rag,
                    actions_agreed=len(event.actions),
                    next_discussion_on=event.next_discussion_on,
                    next_discussion_limit=event.next_discussion_limit)
        for action in event.actions:
            page.insert("case_action", case_id=case_id, action_id=action["action_id"],
                        discussion_id=event.discussion_id, owner=action["owner"],
                        due=action["due"], agreed_on=held_on, status=ActionStatus.OPEN.value)
        _chronicle(page, event, f"Supervision discussion {event.discussion_id} held by "
                   f"{event.supervisor} with {event.supervisee}: RAG {event.rag}, "
                   f"{len(event.actions)} action(s) agreed, next discussion on "
                   f"{event.next_discussion_on.isoformat()}")

    @process.register(CaseEvents.DiscussionSigned)
    def _discussion_signed(self, event: Any, page: Page) -> None:
        page.add("case_discussion", {**_case(event), "discussion_id": event.discussion_id},
                 signatures=1)
        _chronicle(page, event, f"Discussion {event.discussion_id} signed as accurate by "
                   f"{event.party}")

    @process.register(CaseEvents.ActionCompleted)
    def _action_completed(self, event: Any, page: Page) -> None:
        page.update("case_action", {**_case(event), "action_id": event.action_id},
                    status=ActionStatus.COMPLETED.value, completed_on=event.occurred_on,
                    completed_date=event.occurred_on.date())
        _chronicle(page, event, f"Action {event.action_id} completed")

    @process.register(CaseEvents.ActionMarkedOverdue)
    def _action_marked_overdue(self, event: Any, page: Page) -> None:
        page.update("case_action", {**_case(event), "action_id": event.action_id},
                    status=ActionStatus.OVERDUE.value, marked_overdue_on=event.overdue_on)
        _chronicle(page, event, f"Action {event.action_id} marked overdue on "
                   f"{event.overdue_on.isoformat()}")

    @process.register(CaseEvents.DriftFlagged)
    def _drift_flagged(self, event: Any, page: Page) -> None:
        page.insert("case_drift_flag", case_id=event.originator_id,
                    version=event.originator_version, drift_on=event.on,
                    flagged_on=event.occurred_on, reasons=list(event.reasons))
        _chronicle(page, event, f"Drift flagged as of {event.on.isoformat()} "
                   f"({len(event.reasons)} reason(s))")

    @process.register(CaseEvents.ConcernRaised)
    def _concern_raised(self, event: Any, page: Page) -> None:
        _chronicle(page, event, f"Concern {event.concern_id} raised at stage 1 "
                   f"({concern_stage_name(1)})")

    @process.register(CaseEvents.ConcernEscalated)
    def _concern_escalated(self, event: Any, page: Page) -> None:
        _chronicle(page, event, f"Concern {event.concern_id} escalated to stage "
                   f"{event.to_stage} ({concern_stage_name(event.to_stage)})")

    @process.register(CaseEvents.ConcernResolved)
    def _concern_resolved(self, event: Any, page: Page) -> None:
        _chronicle(page, event, f"Concern {event.concern_id} resolved")

    @process.register(CaseEvents.DisagreementRaised)
    def _disagreement_raised(self, event: Any, page: Page) -> None:
        _chronicle(page, event, f"Professional disagreement {event.disagreement_id} raised "
                   f"between {len(event.between)} parties")

    @process.register(CaseEvents.DisagreementEscalated)
    def _disagreement_escalated(self, event: Any, page: Page) -> None:
        _chronicle(page, event, f"Professional disagreement {event.disagreement_id} escalated "
                   f"to stage {event.to_stage} ({concern_stage_name(event.to_stage)})")

    @process.register(CaseEvents.SelectedForAudit)
    def _selected_for_audit(self, event: Any, page: Page) -> None:
        page.add("case_state", _case(event), audits=1)
        _chronicle(page, event, f"Selected for audit {event.audit_id}")

    @process.register(CaseEvents.DisagreementResolved)
    def _disagreement_resolved(self, event: Any, page: Page) -> None:
        _chronicle(page, event, f"Professional disagreement {event.disagreement_id} resolved")

    @process.register(CaseEvents.AuditGradeRecorded)
    def _audit_grade_recorded(self, event: Any, page: Page) -> None:
        _chronicle(page, event, f"Audit {event.audit_id} graded the case {event.grade}")

    @process.register(CaseEvents.SupervisorChanged)
    def _supervisor_changed(self, event: Any, page: Page) -> None:
        page.update("case_state", _case(event), supervisor=event.new_supervisor)
        _chronicle(page, event, f"Supervisor changed to {event.new_supervisor}")

    @process.register(CaseEvents.Closed)
    def _closed(self, event: Any, page: Page) -> None:
        page.update("case_state", _case(event), closed_on=event.occurred_on,
                    closed_date=event.occurred_on.date())
        _chronicle(page, event, "Case closed")

    @process.register(RecordEvents.ProcessStepRecorded)
    def _process_step(self, event: Any, page: Page) -> None:
        # Every kind of record takes process steps, under one topic: keep those of cases.
        page.insert_if_exists(
            "case_chronology", ("case_state", ("case_id",)), case_id=event.originator_id,
            version=event.originator_version, event_type="ProcessStepRecorded",
            occurred=event.occurred_on, recorded=event.timestamp, actor=event.actor,
            summary=f"Process {event.process}: {event.step}")


# --- queries -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChronologyEntry:
    case_id: UUID
    version: int
    event_type: str
    occurred: datetime
    recorded: datetime
    actor: str
    summary: str
    discussion_id: str | None
    """The discussion a supervision record belongs to (none for other events)."""


def chronology(conn: Connection[Any], case_id: UUID) -> list[ChronologyEntry]:
    """Every event of the case, in order."""
    with conn.cursor(row_factory=class_row(ChronologyEntry)) as cursor:
        return cursor.execute(
            "SELECT c.case_id, c.version, c.event_type, c.occurred, c.recorded, c.actor, "
            "c.summary, CASE WHEN c.event_type = ANY(%(supervision)s) "
            "THEN coalesce(a.discussion_id, c.item_id) END AS discussion_id "
            "FROM case_chronology c LEFT JOIN case_action a ON a.case_id = c.case_id "
            "AND a.action_id = c.item_id AND c.event_type LIKE 'Action%%' "
            "WHERE c.case_id = %(case)s ORDER BY c.version",
            {"case": case_id, "supervision": sorted(SUPERVISION_EVENTS)}).fetchall()


@dataclass(frozen=True)
class RagPoint:
    discussion_id: str
    held_on: datetime
    rag: str


def rag_trend(conn: Connection[Any], case_id: UUID) -> list[RagPoint]:
    """The RAG rating of each supervision discussion of the case, oldest first."""
    with conn.cursor(row_factory=class_row(RagPoint)) as cursor:
        return cursor.execute(
            "SELECT discussion_id, held_on, rag FROM case_discussion WHERE case_id = %s "
            "ORDER BY held_on, version", (case_id,)).fetchall()


@dataclass(frozen=True)
class OverdueSupervision:
    case_id: UUID
    agency: str
    practitioner: str
    supervisor: str
    since: date
    """The last discussion held by the date asked about, or the opening if there was none."""
    due: date


def children_in_need_overdue(conn: Connection[Any], on: date,
                             policy: Policy = DEFAULT_POLICY) -> list[OverdueSupervision]:
    """Open child-in-need cases with no discussion within the policy interval, as of `on`.

    As `Case.drift_reasons` does: discussions held by `on` count, the legal status is the
    current one, and the interval runs from the last discussion (or the opening).
    """
    rows = conn.execute(
        "SELECT s.case_id, s.agency, s.practitioner, s.supervisor, s.nation, "
        "coalesce((SELECT max(d.held_date) "
        "FROM case_discussion d WHERE d.case_id = s.case_id AND d.held_date <= %(on)s), "
        "s.opened_date) FROM case_state s WHERE s.legal_status = %(status)s "
        "AND s.opened_date <= %(on)s AND (s.closed_date IS NULL OR s.closed_date > %(on)s)",
        {"on": on, "status": LegalStatus.CHILD_IN_NEED.value}).fetchall()
    overdue = [OverdueSupervision(case_id, agency, practitioner, supervisor, since,
                                  child_in_need_discussion_due(since, policy, nation))
               for case_id, agency, practitioner, supervisor, nation, since in rows]
    return sorted((o for o in overdue if on > o.due), key=lambda o: (o.due, str(o.case_id)))


@dataclass(frozen=True)
class Drifting:
    case_id: UUID
    agency: str
    practitioner: str
    supervisor: str
    latest_rag: str | None
    previous_rag: str | None
    last_flagged_on: datetime | None
    reasons: list[str]


_OPEN_CASES = """
SELECT s.case_id, s.agency, s.practitioner, s.supervisor, s.legal_status, s.nation,
       s.opened_date,
       coalesce(array_agg(d.rag ORDER BY d.held_on, d.version)
                FILTER (WHERE d.case_id IS NOT NULL), '{}') AS ratings,
       max(d.held_date) AS last_held,
       (SELECT max(f.flagged_on) FROM case_drift_flag f WHERE f.case_id = s.case_id)
FROM case_state s
LEFT JOIN case_discussion d ON d.case_id = s.case_id AND d.held_date <= %(on)s
WHERE s.opened_date <= %(on)s AND (s.closed_date IS NULL OR s.closed_date > %(on)s)
GROUP BY s.case_id
ORDER BY s.case_id
"""


def drift_list(conn: Connection[Any], on: date,
               policy: Policy = DEFAULT_POLICY) -> list[Drifting]:
    """The cases open on `on` that are drifting then, each with its reasons: the aggregate's
    own definition (`domain.case_values.drift_reasons`), asked of the read tables."""
    drifting = []
    for (case_id, agency, practitioner, supervisor, legal_status, nation, opened, ratings,
         last_held, flagged) in conn.execute(_OPEN_CASES, {"on": on}).fetchall():
        reasons = drift_reasons(ratings, legal_status, last_held or opened, on, policy, nation)
        if reasons:
            drifting.append(Drifting(case_id, agency, practitioner, supervisor,
                                     ratings[-1] if ratings else None,
                                     ratings[-2] if len(ratings) > 1 else None, flagged,
                                     reasons))
    return drifting


@dataclass(frozen=True)
class OverdueAction:
    case_id: UUID
    action_id: str
    discussion_id: str
    owner: str
    due: date
    status: str
    practitioner: str
    supervisor: str


def overdue_actions_by_owner(conn: Connection[Any], on: date) -> dict[str, list[OverdueAction]]:
    """Agreed actions past due on `on` and not completed by then, on cases open on `on`, by
    owner, earliest due first."""
    with conn.cursor(row_factory=class_row(OverdueAction)) as cursor:
        actions = cursor.execute(
            "SELECT a.case_id, a.action_id, a.discussion_id, a.owner, a.due, a.status, "
            "s.practitioner, s.supervisor "
            "FROM case_action a JOIN case_state s USING (case_id) WHERE a.due < %(on)s "
            "AND (a.completed_date IS NULL OR a.completed_date > %(on)s) "
            "AND (s.closed_date IS NULL OR s.closed_date > %(on)s) "
            "ORDER BY a.owner, a.due, a.case_id, a.action_id", {"on": on}).fetchall()
    by_owner: dict[str, list[OverdueAction]] = {}
    for action in actions:
        by_owner.setdefault(action.owner, []).append(action)
    return by_owner
