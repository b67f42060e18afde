"""A small panel and caseload that live through several rounds, for the projection tests.

Each round opens new cases and Safeguarders and moves the earlier ones on, so a later round
changes rows that an earlier catch-up wrote: every event kind the read models handle appears.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from uuid import UUID

from domain.application import Assured
from domain.audit import AuditRecord
from domain.case import Case
from domain.case_commands import (
    AgreedAction,
    ChangeLegalStatus,
    ChangeRisk,
    ChangeSupervisor,
    CloseCase,
    CompleteAction,
    EscalateCaseConcern,
    EscalateDisagreement,
    FlagDrift,
    MarkActionOverdue,
    OpenCase,
    RaiseCaseConcern,
    RaiseDisagreement,
    RecordAuditGrade,
    RecordDiscussion,
    ResolveCaseConcern,
    ResolveDisagreement,
    SignDiscussion,
)
from domain.case_values import AuditGrade, LegalStatus, Rag, RiskLevel
from domain.panel import GroupSession, Mentor, PanelRegion, Region
from domain.panel_commands import (
    AccreditMentor,
    AddSupportManager,
    EstablishRegion,
    PlanGroupSession,
    RecordMentorTraining,
    RecruitMentor,
)
from domain.safeguarder import Safeguarder
from domain.safeguarder_commands import (
    Allocate,
    ApplyToPanel,
    Appoint,
    AssignMentor,
    AttendGroupSession,
    RaiseSafeguarderConcern,
    RecordAssessment,
    RecordFeedback,
    RecordInterview,
    RecordMentoringSession,
    RecordPerformanceEvidence,
    RecordSampledReport,
    RecordSupportSession,
    Resign,
    ResolveSafeguarderConcern,
)
from domain.safeguarder_values import ConcernAbout, FeedbackSource, Tone
from domain.submission import PublicSubmission
from domain.submission_commands import (
    PUBLIC,
    AttachSubmission,
    ReceivePublicSubmission,
    SetAsideSubmission,
)
from domain.submission_values import AttachAs, SubmissionAbout, Submitter
from tests.commands import Commands
from tests.projections.assurance_story import assurance_round
from tests.projections.seed_story import seed_round
from tests.refusals import at

LEAD = "team-lead"
MANAGERS = ("sm-east-1", "sm-east-2")
SUPERVISOR, PRACTITIONER, NEW_SUPERVISOR = "dsl-1", "teacher-1", "dsl-2"
ROUND_DAYS = 50
RAGS = (Rag.A, Rag.R, Rag.G, Rag.A)

cmd = Commands(by=LEAD)


@dataclass
class World:
    app: Assured
    region: PanelRegion | None = None
    mentor: Mentor | None = None
    cases: list[Case] = field(default_factory=list)
    safeguarders: list[UUID] = field(default_factory=list)
    reviewed: UUID | None = None  # the Safeguarder of assurance_story's re-appointment
    late: UUID | None = None  # the Safeguarder of assurance_story's late entries
    round: int = 0

    def day(self, offset: float) -> datetime:
        return at(self.round * ROUND_DAYS + offset)

    def next_round(self) -> None:
        """Record one more round of the panel's and the caseload's life."""
        if self.region is None:
            self._set_up_panel()
        # Audits note their selection on the cases: move on from the cases as stored.
        self.cases = [self.app.load(case.id, Case) for case in self.cases]
        for case in list(self.cases):
            self._move_case_on(case)
        for legal_status in (LegalStatus.CHILD_IN_NEED, LegalStatus.CHILD_PROTECTION):
            self._open_case(legal_status)
        session = GroupSession.plan(PlanGroupSession(
            session_ref=f"group-{self.round}", facilitator=MANAGERS[0],
            held_on=self.day(20).date(), by=LEAD, at=self.day(1)))
        self.app.record(session)
        for safeguarder_id in list(self.safeguarders):
            self._move_safeguarder_on(self.app.load(safeguarder_id, Safeguarder), session)
        self._new_applicants()
        self._the_public_tells_the_panel()
        assurance_round(self)  # reviews, audits, workflow steps, a re-appointment, narratives
        seed_round(self)  # arrangements, the assurance cycle, the forward plan, self-evaluation
        self.round += 1

    # --- the panel ----------------------------------------------------------------------------

    def _set_up_panel(self) -> None:
        region = PanelRegion.establish(EstablishRegion(region=Region.EAST, by=LEAD, at=at(0)))
        for manager in MANAGERS:
            region.add_support_manager(cmd(AddSupportManager, region, manager=manager, at=at(0)))
        mentor = Mentor.recruit(RecruitMentor(name="Jo Mentor", by=LEAD, at=at(0)))
        mentor.record_training(cmd(RecordMentorTraining, mentor, at=at(0)))
        mentor.accredit(cmd(AccreditMentor, mentor, at=at(0)))
        self.app.record(region, mentor)
        self.region, self.mentor = region, mentor

    def _the_public_tells_the_panel(self) -> None:
        """Two submissions from the public: one attached to a Safeguarder as feedback, one set
        aside."""
        told = [PublicSubmission.receive(ReceivePublicSubmission(
            about=about, submitter=Submitter.FAMILY, safeguarder_named=f"Alex, round {self.round}",
            what_happened="Listened to us", by=PUBLIC, at=self.day(6)))
            for about in (SubmissionAbout.FEEDBACK, SubmissionAbout.WORRY)]
        told[0].attach(AttachSubmission(record_id=told[0].id, safeguarder_id=self.safeguarders[0],
                                        attached_as=AttachAs.FEEDBACK, by=LEAD, at=self.day(7)))
        told[1].set_aside(SetAsideSubmission(record_id=told[1].id, reason="Not on the panel",
                                             by=LEAD, at=self.day(7)))
        self.app.record(*told)

    def _new_applicants(self) -> None:
        appointed = Safeguarder.apply_to_panel(ApplyToPanel(
            name=f"Alex {self.round}", contact={"email": f"alex{self.round}@example.org"},
            region=Region.EAST, by=LEAD, at=self.day(2)))
        appointed.record_interview(cmd(RecordInterview, appointed, passed=True, notes="strong",
                                       at=self.day(3)))
        appointed.record_assessment(cmd(RecordAssessment, appointed, passed=True, notes="ready",
                                        at=self.day(4)))
        appointed.appoint(cmd(Appoint, appointed, term_starts_on=self.day(5).date(),
                              by="ministers", at=self.day(5)))
        declined = Safeguarder.apply_to_panel(ApplyToPanel(
            name=f"Sam {self.round}", contact={"phone": "01234"}, region=Region.EAST, by=LEAD,
            at=self.day(2)))
        declined.record_interview(cmd(RecordInterview, declined, passed=False, notes="not yet",
                                      at=self.day(3)))
        self.app.record(appointed, declined)
        self.safeguarders.append(appointed.id)

    def _move_safeguarder_on(self, s: Safeguarder, session: GroupSession) -> None:
        n = len(s.sessions)
        assert self.region is not None and self.mentor is not None
        if s.support_manager is None:
            self.app.allocate(cmd(Allocate, s, manager=MANAGERS[0], at=self.day(6)))
        elif n == 1:
            self.app.allocate(cmd(Allocate, s, manager=MANAGERS[1], reason="caseload balance",
                                  at=self.day(6)))
        s = self.app.load(s.id, Safeguarder)
        s.record_support_session(cmd(RecordSupportSession, s, session_id=f"s{n}",
                                     notes="reflection", by=s.support_manager or LEAD,
                                     at=self.day(7)))
        s.record_sampled_report(cmd(RecordSampledReport, s, report_ref=f"r{n}",
                                    session_id=f"s{n}", discussion="discussed", at=self.day(8)))
        s.record_feedback(cmd(RecordFeedback, s, source=FeedbackSource.PROFESSIONAL,
                              tone=Tone.POSITIVE, summary=f"Clear report {n}", at=self.day(9)))
        if n == 0:
            s.raise_concern(cmd(RaiseSafeguarderConcern, s, concern_id="c1",
                                about=ConcernAbout.BEHAVIOUR, summary="Late to a hearing",
                                at=self.day(9)))
            s.record_performance_evidence(cmd(RecordPerformanceEvidence, s, standard="PS1",
                                              evidence="Observed hearing", at=self.day(9)))
        elif n == 1:
            s.resolve_concern(cmd(ResolveSafeguarderConcern, s, concern_id="c1",
                                  resolution="Discussed; no further action", at=self.day(9)))
        if s.mentor_id is None and s.year_of(self.day(10).date()) == 1:
            s.assign_mentor(cmd(AssignMentor, s, mentor_id=self.mentor.id, at=self.day(10)),
                            self.mentor)
        if s.mentor_id is not None:
            s.record_mentoring_session(cmd(RecordMentoringSession, s, notes="check-in",
                                           at=self.day(11)))
        self.app.record(s)
        if len(session.attendees) < 4:
            self.app.attend_group_session(cmd(AttendGroupSession, s, session_id=session.id,
                                              at=self.day(12)))
            session.admit(s.id, by=LEAD, at=self.day(12))  # keep our copy in step
        if n == 2:
            self.app.resign(cmd(Resign, s, reason="moving away", at=self.day(13)))
            self.safeguarders.remove(s.id)

    # --- the caseload -------------------------------------------------------------------------

    def _open_case(self, legal_status: LegalStatus) -> None:
        case = Case.open(OpenCase(
            child_reference=f"CH-{self.round}-{legal_status[:2]}", agency="school",
            practitioner=PRACTITIONER, supervisor=SUPERVISOR, legal_status=legal_status,
            risk=RiskLevel.MEDIUM, nation="ENG", by=SUPERVISOR, at=self.day(1)))
        self._discuss(case, 2)
        self.app.record(case)
        self.cases.append(case)

    def _discuss(self, case: Case, offset: float) -> None:
        n = len(case.discussions)
        held = self.day(offset)
        by = Commands(by=case.supervisor)
        case.record_discussion(by(
            RecordDiscussion, case, discussion_id=f"d{n}", supervisor=case.supervisor,
            supervisee=PRACTITIONER, needs="needs", risks="risks", engagement="engages",
            capacity_for_change="some", plan="plan", rag=RAGS[n % len(RAGS)],
            actions=[_action(f"a{n}-{k}", held.date(), 10 * (k + 1)) for k in range(2)],
            next_discussion_on=self.day(offset + 40).date(), at=held))
        case.sign_discussion(by(SignDiscussion, case, discussion_id=f"d{n}",
                                party=case.supervisor, at=held))

    def _move_case_on(self, case: Case) -> None:
        n = len(case.discussions) - 1
        practitioner, supervisor = Commands(by=PRACTITIONER), Commands(by=SUPERVISOR)
        case.sign_discussion(practitioner(SignDiscussion, case, discussion_id=f"d{n}",
                                          party=PRACTITIONER, at=self.day(1)))
        case.complete_action(practitioner(CompleteAction, case, action_id=f"a{n}-0",
                                          at=self.day(1)))
        case.mark_action_overdue(supervisor(MarkActionOverdue, case, action_id=f"a{n}-1",
                                            on=self.day(1).date(), at=self.day(1)))
        case.change_risk(supervisor(ChangeRisk, case, at=self.day(2), new_risk=(
            RiskLevel.HIGH if case.risk != RiskLevel.HIGH else RiskLevel.LOW)))
        case.record_process_step(f"reminder-{self.round}", "supervision", "reminder sent", {},
                                 by="process:supervision", at=self.day(2))
        if self.round % 2:
            case.raise_concern(practitioner(RaiseCaseConcern, case, concern_id=f"c{self.round}",
                                            summary="Plan not followed", at=self.day(3)))
            case.escalate_concern(practitioner(EscalateCaseConcern, case,
                                               concern_id=f"c{self.round}", reason="No answer",
                                               at=self.day(4)))
        else:
            if f"c{self.round - 1}" in case.concerns:
                case.resolve_concern(supervisor(ResolveCaseConcern, case,
                                                concern_id=f"c{self.round - 1}",
                                                outcome="Plan revised", at=self.day(3)))
            case.raise_disagreement(supervisor(RaiseDisagreement, case,
                                               disagreement_id=f"g{self.round}",
                                               between=["school", "social care"],
                                               summary="Threshold", at=self.day(3)))
            case.escalate_disagreement(supervisor(EscalateDisagreement, case,
                                                  disagreement_id=f"g{self.round}",
                                                  reason="No agreement", at=self.day(3.5)))
            case.resolve_disagreement(supervisor(ResolveDisagreement, case,
                                                 disagreement_id=f"g{self.round}",
                                                 outcome="Agreed", at=self.day(4)))
        self._discuss(case, 5)
        if case.is_drifting(self.day(6).date()):
            case.flag_drift(supervisor(FlagDrift, case, on=self.day(6).date(), at=self.day(6)))
        case.record_audit_grade(Commands(by="auditor")(
            RecordAuditGrade, case, audit_id=AuditRecord.create_id(f"A-{self.round - 1}"),
            grade=AuditGrade.GOOD, at=self.day(7)))
        if len(case.discussions) == 2 and case.legal_status == LegalStatus.CHILD_PROTECTION:
            case.change_legal_status(supervisor(ChangeLegalStatus, case,
                                                new_status=LegalStatus.CHILD_IN_NEED,
                                                at=self.day(8)))
        elif len(case.discussions) == 3:
            case.change_supervisor(supervisor(ChangeSupervisor, case,
                                              new_supervisor=NEW_SUPERVISOR, reason="leave",
                                              at=self.day(8)))
        elif len(case.discussions) == 4:
            case.close(Commands(by=NEW_SUPERVISOR)(CloseCase, case, reason="Step down",
                                                   at=self.day(9)))
            self.cases.remove(case)
        self.app.record(case)


def _action(action_id: str, held: date, due_in: int) -> AgreedAction:
    return AgreedAction(action_id=action_id, description="visit", owner=PRACTITIONER,
                        due=held + timedelta(days=due_in))
