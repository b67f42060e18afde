"""Activities of the supervision cadence of one case (workflows/cadence.py).

The next discussion is due at the policy interval for the case's legal status from the last
discussion (or the opening), and no later than the date the last discussion set; the reminder
goes `policy.reminder_lead` before it. Drift is the Case aggregate's own judgement
(`Case.drift_reasons`); flagging it raises the concern that the escalation ladder then carries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from temporalio import activity

from domain.case import Case
from workflows.activities import WithApplication, iso
from workflows.cadence_types import DiscussionRequest

PROCESS = "supervision-cadence"
BY = f"process:{PROCESS}"


@dataclass
class CadenceReading:
    case_id: str
    workflow_id: str
    at: datetime


@dataclass
class NextDiscussion:
    """Where the cadence stands. `cycle` names the discussion (or the opening) and legal status
    the due date counts from, so each cycle's steps have their own ids."""

    open: bool
    nation: str
    legal_status: str
    cycle: str = ""
    since: date | None = None
    due: date | None = None  # the date the last discussion set, if before `limit`
    limit: date | None = None  # the policy interval for the legal status from `since`
    reminder_on: date | None = None
    discussions: int = 0


@dataclass
class DriftQuestion:
    case_id: str
    workflow_id: str  # the cadence asking: its drift concerns are the ones it flagged
    on: date


@dataclass
class DriftFinding:
    reasons: list[str]
    concern_id: str  # the id a concern raised now would take
    open_concern: str | None = None  # a drift concern this cadence raised, still unresolved


@dataclass
class DriftFlag:
    case_id: str
    step_id: str
    on: date
    concern_id: str
    reasons: list[str]
    at: datetime


@dataclass
class CadenceReminder:
    case_id: str
    step_id: str
    step: str
    due: date
    at: datetime


@dataclass
class Discussion:
    case_id: str
    step_id: str
    at: datetime
    held: DiscussionRequest


@dataclass
class CaseClosure:
    case_id: str
    step_id: str
    reason: str
    by: str
    at: datetime


class CadenceActivities(WithApplication):
    @activity.defn(name="plan_next_discussion")
    def plan_next_discussion(self, reading: CadenceReading) -> NextDiscussion:
        """Read the case; record the next discussion's due date once per cycle."""
        case = self.app.load(UUID(reading.case_id), Case)
        if case.closed:
            return NextDiscussion(False, str(case.nation), str(case.legal_status))
        found = self._next(case)
        self.step(reading.case_id, f"{reading.workflow_id}:{found.cycle}:due", PROCESS,
                  "next discussion due", {
                      "legal_status": found.legal_status, "since": iso(found.since),
                      "due": iso(found.due), "interval_ends": iso(found.limit),
                      "reminder_on": iso(found.reminder_on)},
                  at=reading.at)
        return found

    def _next(self, case: Case) -> NextDiscussion:
        policy, latest = self.app.policy, case.latest_discussion
        since = latest["held_on"].date() if latest else case.opened_on.date()
        limit = policy.supervision_interval[case.legal_status].after(since, case.nation)
        due = min(limit, latest["next_discussion_on"]) if latest else limit
        basis = latest["discussion_id"] if latest else "opening"
        return NextDiscussion(
            True, str(case.nation), str(case.legal_status), f"{basis}:{case.legal_status}",
            since, due, limit, policy.reminder_lead.before(due, case.nation),
            len(case.discussions))

    @activity.defn(name="remind_supervisor")
    def remind(self, reminder: CadenceReminder) -> None:
        """A reminder or an overdue notice to the case's supervisor: the recorded step is it."""
        self.step(reminder.case_id, reminder.step_id, PROCESS, reminder.step,
                  {"to": "supervisor", "due": reminder.due.isoformat()}, at=reminder.at)

    @activity.defn(name="case_drift")
    def drift(self, question: DriftQuestion) -> DriftFinding:
        """Ask the case whether it drifts on `on` (seed 003, aim 3), and whether a drift
        concern this cadence raised is still open (its flag's step id names the concern)."""
        case = self.app.load(UUID(question.case_id), Case)
        still_open = [concern_id for concern_id, concern in case.concerns.items()
                      if not concern["resolved"]
                      and case.has_process_step(f"{question.workflow_id}:{concern_id}")]
        return DriftFinding(case.drift_reasons(question.on, self.app.policy),
                            f"drift-{len(case.drift_flags) + 1}",
                            still_open[0] if still_open else None)

    @activity.defn(name="flag_case_drift")
    def flag_drift(self, flag: DriftFlag) -> None:
        """Flag the drift and raise the concern at stage 1 (supervisor), in one save."""
        def command(case: Any) -> None:
            case.flag_drift(flag.on, self.app.policy, by=BY, at=flag.at)
            case.raise_concern(flag.concern_id, "Drift: " + "; ".join(flag.reasons),
                               by=BY, at=flag.at)

        self.step(flag.case_id, flag.step_id, PROCESS, "drift flagged", {
            "on": flag.on.isoformat(), "concern_id": flag.concern_id, "reasons": flag.reasons},
            command, at=flag.at)

    @activity.defn(name="record_case_discussion")
    def record_discussion(self, d: Discussion) -> None:
        h = d.held

        def command(case: Any) -> None:
            case.record_discussion(
                h.discussion_id, supervisor=h.supervisor, supervisee=h.supervisee,
                needs=h.needs, risks=h.risks, engagement=h.engagement,
                capacity_for_change=h.capacity_for_change, plan=h.plan, rag=h.rag,
                actions=[vars(a) for a in h.actions], next_discussion_on=h.next_discussion_on,
                policy=self.app.policy, by=h.by, at=d.at)

        self.step(d.case_id, d.step_id, PROCESS, "discussion recorded",
                  {"discussion_id": h.discussion_id}, command, at=d.at)

    @activity.defn(name="close_case")
    def close(self, c: CaseClosure) -> None:
        self.step(c.case_id, c.step_id, PROCESS, "cadence ended: case closed", {},
                  lambda case: case.close(c.reason, by=c.by, at=c.at), at=c.at)
