"""Activities of the supervision cadence that read the case (workflows/cadence/workflow.py).

The next discussion is due at the policy interval for the case's legal status from the last
discussion (or the opening), and no later than the date the last discussion set; the reminder
goes `policy.reminder_lead` before it. Drift is the Case aggregate's own judgement
(`Case.drift_reasons`). Commands go through `workflows.command_activities`.
"""

from __future__ import annotations

from uuid import UUID

from temporalio import activity

from domain.application import Assured
from domain.case import Case
from domain.case_values import ActionStatus
from domain.handling import Step
from workflows.cadence.types import (
    PROCESS,
    ActionDue,
    CadenceReading,
    DriftFinding,
    DriftQuestion,
    NextDiscussion,
)


def iso(day: object) -> str | None:
    return day.isoformat() if day is not None else None  # type: ignore[attr-defined]


class CadenceActivities:
    def __init__(self, app: Assured) -> None:
        self.app = app

    @activity.defn(name="cadence.plan_next_discussion")
    def plan_next_discussion(self, reading: CadenceReading) -> NextDiscussion:
        """Read the case; record the next discussion's due date once per cycle, dated when the
        fact that began the cycle happened."""
        case = self.app.load(UUID(reading.case_id), Case)
        if case.closed:
            return NextDiscussion(False, str(case.nation), str(case.legal_status))
        found = self._next(case)
        since = max(reading.since or case.opened_on, case.opened_on)
        self.app.note_step(case.id, Step(
            f"{reading.workflow_id}:{found.cycle}:due", PROCESS, "next discussion due", {
                "legal_status": found.legal_status, "since": iso(found.since),
                "due": iso(found.due), "interval_ends": iso(found.limit),
                "reminder_on": iso(found.reminder_on)}), since)
        return found

    def _next(self, case: Case) -> NextDiscussion:
        policy, latest = self.app.policy, case.latest_discussion
        since = latest["held_on"].date() if latest else case.opened_on.date()
        limit = policy.supervision_interval[case.legal_status].after(since, case.nation)
        due = min(limit, latest["next_discussion_on"]) if latest else limit
        basis = latest["discussion_id"] if latest else "opening"
        actions = [ActionDue(a["action_id"], a["due"]) for a in case.actions.values()
                   if a["status"] == ActionStatus.OPEN]
        return NextDiscussion(
            True, str(case.nation), str(case.legal_status), f"{basis}:{case.legal_status}",
            since, due, limit, policy.reminder_lead.before(due, case.nation),
            len(case.discussions), actions)

    @activity.defn(name="cadence.drift")
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
