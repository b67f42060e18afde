"""Activities of a supervision arrangement's process that read records or choose cases.

The next session is the domain's own judgement (`domain.arrangement_values.next_session`), from
the arrangement, its school's term calendar and the policy; the reminder goes `reminder_lead`
before it. The case-file audit chooses two of the supervisee's open cases, read from the event
store's notification log, at random with the seed the workflow drew, and records the choice
with its seed. Commands go through `workflows.command_activities`.
"""

from __future__ import annotations

from uuid import UUID

from temporalio import activity

from domain.application import Assured
from domain.arrangement import SupervisionArrangement
from domain.arrangement_commands import SelectCaseFileAudit
from domain.arrangement_values import next_session
from domain.errors import RuleBroken
from domain.handling import Step
from domain.term_calendar import TermCalendar
from workflows.arrangement.types import (
    BY,
    PROCESS,
    ArrangementFacts,
    CaseFileChoice,
    MarkingFacts,
    NextSession,
    SessionReading,
)
from workflows.audit_cycle.activities import CASE_EVENTS, case_notifications
from workflows.command_activities import refused
from workflows.common import end_of


def open_cases_of(app: Assured, practitioner: str) -> list[str]:
    """The ids of the open cases `practitioner` works, from the log."""
    found: set[str] = set()
    for domain_event in case_notifications(app):
        case_id = str(domain_event.originator_id)
        if isinstance(domain_event, CASE_EVENTS["Opened"]):
            if domain_event.practitioner == practitioner:
                found.add(case_id)
        elif isinstance(domain_event, CASE_EVENTS["Closed"]):
            found.discard(case_id)
    return sorted(found)


class ArrangementActivities:
    def __init__(self, app: Assured) -> None:
        self.app = app

    def _arrangement(self, record_id: str) -> SupervisionArrangement:
        return self.app.load(UUID(record_id), SupervisionArrangement)

    @activity.defn(name="arrangement.read")
    def read(self, record_id: str) -> ArrangementFacts:
        a, policy = self._arrangement(record_id), self.app.policy
        markings = [MarkingFacts(m["marking_id"], str(m["level"]),
                                 m["action"]["due_on"] if m["action"] else None,
                                 bool(m["action"] and m["action"]["done_on"]),
                                 bool(m["action"] and m["action"]["escalated_on"]))
                    for m in a.markings.values()]
        reviewed = a.reviews[-1]["on"] if a.reviews else a.opened_on
        return ArrangementFacts(a.ended, str(a.nation), a.opened_on, a.review_on,
                                policy.reminder_lead.before(a.review_on, a.nation), reviewed,
                                len(a.sessions), a.supervisee, markings)

    @activity.defn(name="arrangement.plan_session")
    def plan_session(self, reading: SessionReading) -> NextSession | None:
        """The next session required, its due date recorded once per cycle (dated when the
        fact that began the cycle happened); None while a half-termly arrangement has no half
        term ahead (a step asks the business unit for term dates)."""
        a, policy = self._arrangement(reading.arrangement_id), self.app.policy
        halves = []
        if a.term_calendar_id is not None:
            halves = self.app.load(UUID(a.term_calendar_id), TermCalendar).half_terms()
        due = next_session(frequency=a.frequency, started_on=a.supervisee_started_on,
                           made_on=a.opened_on.date(), sessions=a.session_dates(),
                           missed=[m["period_ends_on"] for m in a.missed], half_terms=halves,
                           policy=policy)
        began = max([a.opened_on, *(s["held_on"] for s in a.sessions.values()),
                     *(end_of(m["period_ends_on"]) for m in a.missed)])
        me = reading.workflow_id
        if due is None:
            self.app.note_step(a.id, Step(f"{me}:term-dates-needed:{began.date()}", PROCESS,
                                          "term dates needed", {"to": "business unit"}), began)
            return None
        cycle = f"{due.requirement}:{due.due}"
        reminder = policy.reminder_lead.before(due.due, a.nation)
        self.app.note_step(a.id, Step(f"{me}:{cycle}:due", PROCESS, "next session due", {
            "requirement": due.requirement, "opens": due.opens.isoformat(),
            "due": due.due.isoformat(), "reminder_on": reminder.isoformat()}), began)
        return NextSession(cycle, due.opens, due.due, reminder, due.requirement, began)

    @activity.defn(name="arrangement.choose_case_files")
    def choose_case_files(self, choice: CaseFileChoice) -> list[str]:
        """Choose the session's case-file audit among the supervisee's open cases."""
        a = self._arrangement(choice.arrangement_id)
        population = open_cases_of(self.app, a.supervisee)
        command = SelectCaseFileAudit(record_id=a.id, session_id=choice.session_id,
                                      population=tuple(population), seed=choice.seed, by=BY,
                                      at=choice.at)
        step = Step(choice.step_id, PROCESS, "case-file audit chosen",
                    {"seed": choice.seed, "open_cases": len(population)})
        try:
            self.app.execute(command, on=a, step=step)
        except RuleBroken as broken:
            raise refused(broken) from None
        audit = self._arrangement(choice.arrangement_id).sessions[choice.session_id]["audit"]
        return list(audit["selection"]) if audit else []

