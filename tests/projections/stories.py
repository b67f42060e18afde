"""A small panel and caseload that live through several rounds, for the projection tests.

Each round opens new cases and Safeguarders and moves the earlier ones on, so a later round
changes rows that an earlier catch-up wrote: every event kind the read models handle appears.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from domain.application import Assured
from domain.case import Case
from domain.case_values import LegalStatus, Rag
from domain.panel import GroupSession, Mentor, PanelRegion, Region
from domain.safeguarder import Safeguarder
from tests.projections.assurance_story import assurance_round
from tests.refusals import at

LEAD = "team-lead"
MANAGERS = ("sm-east-1", "sm-east-2")
SUPERVISOR, PRACTITIONER, NEW_SUPERVISOR = "dsl-1", "teacher-1", "dsl-2"
ROUND_DAYS = 50
RAGS = (Rag.A, Rag.R, Rag.G, Rag.A)


@dataclass
class World:
    app: Assured
    region: PanelRegion | None = None
    mentor: Mentor | None = None
    cases: list[Case] = field(default_factory=list)
    safeguarders: list[UUID] = field(default_factory=list)
    reviewed: UUID | None = None  # the Safeguarder of assurance_story's re-appointment
    round: int = 0

    def day(self, offset: float) -> datetime:
        return at(self.round * ROUND_DAYS + offset)

    def next_round(self) -> None:
        """Record one more round of the panel's and the caseload's life."""
        if self.region is None:
            self._set_up_panel()
        for case in list(self.cases):
            self._move_case_on(case)
        for legal_status in (LegalStatus.CHILD_IN_NEED, LegalStatus.CHILD_PROTECTION):
            self._open_case(legal_status)
        session = GroupSession.plan(session_ref=f"group-{self.round}", facilitator=MANAGERS[0],
                                    held_on=self.day(20).date(), by=LEAD, at=self.day(1))
        self.app.record(session)
        for safeguarder_id in list(self.safeguarders):
            self._move_safeguarder_on(self.app.load(safeguarder_id, Safeguarder), session)
        self._new_applicants()
        assurance_round(self)  # reviews, audits, workflow steps, a re-appointment, narratives
        self.round += 1

    # --- the panel ----------------------------------------------------------------------------

    def _set_up_panel(self) -> None:
        region = PanelRegion.establish(Region.EAST, by=LEAD, at=at(0))
        for manager in MANAGERS:
            region.add_support_manager(manager, by=LEAD, at=at(0))
        mentor = Mentor.recruit(name="Jo Mentor", by=LEAD, at=at(0))
        mentor.record_training(by=LEAD, at=at(0))
        mentor.accredit(by=LEAD, at=at(0))
        self.app.record(region, mentor)
        self.region, self.mentor = region, mentor

    def _new_applicants(self) -> None:
        appointed = Safeguarder.apply_to_panel(
            name=f"Alex {self.round}", contact={"email": f"alex{self.round}@example.org"},
            region=Region.EAST, by=LEAD, at=self.day(2))
        appointed.record_interview(True, "strong", by=LEAD, at=self.day(3))
        appointed.record_assessment(True, "ready", by=LEAD, at=self.day(4))
        appointed.appoint(self.day(5).date(), by="ministers", at=self.day(5))
        declined = Safeguarder.apply_to_panel(
            name=f"Sam {self.round}", contact={"phone": "01234"}, region=Region.EAST, by=LEAD,
            at=self.day(2))
        declined.record_interview(False, "not yet", by=LEAD, at=self.day(3))
        self.app.record(appointed, declined)
        self.safeguarders.append(appointed.id)

    def _move_safeguarder_on(self, s: Safeguarder, session: GroupSession) -> None:
        n = len(s.sessions)
        assert self.region is not None and self.mentor is not None
        if s.support_manager is None:
            self.app.allocate(s.id, MANAGERS[0], "", by=LEAD, at=self.day(6))
        elif n == 1:
            self.app.allocate(s.id, MANAGERS[1], "caseload balance", by=LEAD, at=self.day(6))
        s = self.app.load(s.id, Safeguarder)
        s.record_support_session(f"s{n}", "reflection", by=s.support_manager or LEAD,
                                 at=self.day(7))
        s.record_sampled_report(f"r{n}", f"s{n}", "discussed", by=LEAD, at=self.day(8))
        s.record_feedback("professional", "positive", f"Clear report {n}", by=LEAD,
                          at=self.day(9))
        if n == 0:
            s.raise_concern("c1", "behaviour", "Late to a hearing", by=LEAD, at=self.day(9))
            s.record_performance_evidence("PS1", "Observed hearing", by=LEAD, at=self.day(9))
        elif n == 1:
            s.resolve_concern("c1", "Discussed; no further action", by=LEAD, at=self.day(9))
        if s.mentor_id is None and s.year_of(self.day(10).date()) == 1:
            s.assign_mentor(self.mentor, by=LEAD, at=self.day(10))
        if s.mentor_id is not None:
            s.record_mentoring_session("check-in", by=LEAD, at=self.day(11))
        self.app.record(s)
        if len(session.attendees) < 4:
            self.app.attend_group_session(s.id, session.id, by=LEAD, at=self.day(12))
            session.admit(s.id, by=LEAD, at=self.day(12))  # keep our copy in step
        if n == 2:
            self.app.change(s.id, lambda r: r.resign("moving away", by=LEAD, at=self.day(13)))
            self.safeguarders.remove(s.id)

    # --- the caseload -------------------------------------------------------------------------

    def _open_case(self, legal_status: LegalStatus) -> None:
        case = Case.open(child_reference=f"CH-{self.round}-{legal_status[:2]}", agency="school",
                         practitioner=PRACTITIONER, supervisor=SUPERVISOR,
                         legal_status=legal_status, risk="medium", nation="ENG",
                         by=SUPERVISOR, at=self.day(1))
        self._discuss(case, 2)
        self.app.record(case)
        self.cases.append(case)

    def _discuss(self, case: Case, offset: float) -> None:
        n = len(case.discussions)
        held = self.day(offset)
        case.record_discussion(
            f"d{n}", supervisor=case.supervisor, supervisee=PRACTITIONER, needs="needs",
            risks="risks", engagement="engages", capacity_for_change="some", plan="plan",
            rag=RAGS[n % len(RAGS)], actions=[_action(f"a{n}-{k}", held.date(), 10 * (k + 1))
                                              for k in range(2)],
            next_discussion_on=self.day(offset + 40).date(), by=case.supervisor, at=held)
        case.sign_discussion(f"d{n}", case.supervisor, by=case.supervisor, at=held)

    def _move_case_on(self, case: Case) -> None:
        n = len(case.discussions) - 1
        case.sign_discussion(f"d{n}", PRACTITIONER, by=PRACTITIONER, at=self.day(1))
        case.complete_action(f"a{n}-0", by=PRACTITIONER, at=self.day(1))
        case.mark_action_overdue(f"a{n}-1", self.day(1).date(), by=SUPERVISOR, at=self.day(1))
        case.change_risk("high" if case.risk != "high" else "low", by=SUPERVISOR, at=self.day(2))
        case.record_process_step(f"reminder-{self.round}", "supervision", "reminder sent", {},
                                 by="process:supervision", at=self.day(2))
        if self.round % 2:
            case.raise_concern(f"c{self.round}", "Plan not followed", by=PRACTITIONER,
                               at=self.day(3))
            case.escalate_concern(f"c{self.round}", "No answer", by=PRACTITIONER, at=self.day(4))
        else:
            if f"c{self.round - 1}" in case.concerns:
                case.resolve_concern(f"c{self.round - 1}", "Plan revised", by=SUPERVISOR,
                                     at=self.day(3))
            case.raise_disagreement(f"g{self.round}", ["school", "social care"], "Threshold",
                                    by=SUPERVISOR, at=self.day(3))
            case.resolve_disagreement(f"g{self.round}", "Agreed", by=SUPERVISOR, at=self.day(4))
        self._discuss(case, 5)
        if case.is_drifting(self.day(6).date()):
            case.flag_drift(self.day(6).date(), by=SUPERVISOR, at=self.day(6))
        case.record_audit_grade(f"audit-{self.round}", "good", by="auditor", at=self.day(7))
        if len(case.discussions) == 2 and case.legal_status == LegalStatus.CHILD_PROTECTION:
            case.change_legal_status(LegalStatus.CHILD_IN_NEED, by=SUPERVISOR, at=self.day(8))
        elif len(case.discussions) == 3:
            case.change_supervisor(NEW_SUPERVISOR, "leave", by=SUPERVISOR, at=self.day(8))
        elif len(case.discussions) == 4:
            case.close("Step down", by=NEW_SUPERVISOR, at=self.day(9))
            self.cases.remove(case)
        self.app.record(case)


def _action(action_id: str, held: date, due_in: int) -> Any:
    return {"action_id": action_id, "description": "visit", "owner": PRACTITIONER,
            "due": held + timedelta(days=due_in)}
