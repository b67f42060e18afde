"""A supervision arrangement (the contract) between a supervisor and a supervisee (seed 003,
Appendix IV; seed 002, 'Practicalities', 'Confidentiality', 'Agenda').

It holds whether the supervisee has direct or indirect contact with children, the frequency
and length of sessions, each party's responsibilities, how changes, the agenda, workload or
performance issues and differences of opinion are raised; both parties sign it; it has a
review date. Its sessions record seed 002's agenda and a case-file audit of two of the
supervisee's cases chosen at random (the seed recorded). What a session hears may be marked at
one of three confidentiality levels: level 1 opens a required action to report, escalated when
not reported in time; level 2 a required action for the line manager.

Events: Made, Signed, Reviewed, SessionRecorded, CaseFileAuditSelected, CaseFileAudited,
ConfidentialityMarked, Reported, UnreportedEscalated, LineManagementActionCompleted,
SessionMissed, ReviewOverdue, SupervisorChanged, EvaluationReceived, Ended.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from domain.arrangement_commands import (
    ChangeArrangementSupervisor,
    CompleteLineManagementAction,
    EndArrangement,
    EscalateUnreported,
    MakeArrangement,
    MarkConfidentiality,
    MarkReviewOverdue,
    MarkSessionMissed,
    RecordCaseFileAudit,
    RecordReported,
    RecordSupervisionSession,
    ReviewArrangement,
    SelectCaseFileAudit,
    SessionAgenda,
    SignArrangement,
    SubmitEvaluation,
)
from domain.arrangement_values import (
    CASE_FILE_AUDIT_SIZE,
    MAX_SESSION_MINUTES,
    MIN_SESSION_MINUTES,
    Contact,
    Frequency,
    Level,
    check_frequency,
    held_within,
)
from domain.audit import select_at_random
from domain.calendar import Nation
from domain.case_values import given
from domain.errors import require
from domain.evaluation_values import quarter_of
from domain.policy import DEFAULT_POLICY, Policy
from domain.record import Record

TERMS = ("supervisor_responsibilities", "supervisee_responsibilities", "changes_notice",
         "agenda_setting", "workload_escalation", "differences_of_opinion")
ENDED = "An ended arrangement refuses every further command"


class SupervisionArrangement(Record):
    @classmethod
    def make(cls, c: MakeArrangement, policy: Policy = DEFAULT_POLICY) -> SupervisionArrangement:
        require(given(c.supervisor, c.supervisee, c.agency),
                "An arrangement names its supervisor, supervisee and agency")
        require(c.supervisor != c.supervisee, "A supervisor does not supervise themselves")
        require(given(c.line_manager, c.safeguarding_lead),
                "An arrangement names the line manager and the safeguarding lead")
        require(c.line_manager != c.supervisee, "A supervisee is not their own line manager")
        require(MIN_SESSION_MINUTES <= c.duration_minutes <= MAX_SESSION_MINUTES,
                f"A session lasts {MIN_SESSION_MINUTES} to {MAX_SESSION_MINUTES} minutes")
        require(all(given(getattr(c, name)) for name in TERMS), "An arrangement says each "
                "party's responsibilities and how changes, the agenda, workload or performance "
                "issues and differences of opinion are raised")
        check_frequency(c.frequency, c.contact, c.term_calendar_id is not None, policy)
        require(c.review_on > c.at.date(), "An arrangement's review date is after it is made")
        return cls(supervisor=c.supervisor, supervisee=c.supervisee, agency=c.agency,
                   contact=c.contact, frequency=c.frequency, duration_minutes=c.duration_minutes,
                   terms={name: getattr(c, name) for name in TERMS},
                   line_manager=c.line_manager, safeguarding_lead=c.safeguarding_lead,
                   supervisee_started_on=c.supervisee_started_on, review_on=c.review_on,
                   nation=c.nation,
                   term_calendar_id=str(c.term_calendar_id) if c.term_calendar_id else None,
                   actor=c.by, occurred_on=c.at)

    @event("Made")
    def __init__(self, *, supervisor: str, supervisee: str, agency: str, contact: str,
                 frequency: str, duration_minutes: int, terms: dict[str, str], line_manager: str,
                 safeguarding_lead: str, supervisee_started_on: date, review_on: date,
                 nation: str, term_calendar_id: str | None, actor: str,
                 occurred_on: datetime) -> None:
        self.opened_on = occurred_on
        self.supervisor, self.supervisee, self.agency = supervisor, supervisee, agency
        self.contact, self.frequency = Contact(contact), Frequency(frequency)
        self.duration_minutes, self.terms = duration_minutes, dict(terms)
        self.line_manager, self.safeguarding_lead = line_manager, safeguarding_lead
        self.supervisee_started_on, self.review_on = supervisee_started_on, review_on
        self.nation, self.term_calendar_id = Nation(nation), term_calendar_id
        # A replacement supervisor sees the previous six months (seed 002).
        self.supervisors: list[dict[str, Any]] = [
            {"supervisor": supervisor, "from": occurred_on.date(), "reason": "arrangement made"}]
        self.signed: dict[str, datetime] = {}
        self.reviews: list[dict[str, Any]] = []
        self.sessions: dict[str, dict[str, Any]] = {}
        self.markings: dict[str, dict[str, Any]] = {}
        self.missed: list[dict[str, Any]] = []
        self.overdue_reviews: list[date] = []
        self.evaluations: dict[str, str] = {}  # quarter: evaluation id (never its answers)
        self.ended = False

    # --- guards --------------------------------------------------------------------------------

    def _check_open(self, at: datetime) -> None:
        self.check_after_opening(at)
        require(not self.ended, ENDED)

    def _session(self, session_id: str, at: datetime | None = None) -> dict[str, Any]:
        require(session_id in self.sessions, "A command about a session refers to a recorded "
                "session of the arrangement")
        session = self.sessions[session_id]
        if at is not None:
            require(at >= session["held_on"], "History reads forwards: a fact about a session "
                    "cannot be dated before the session")
        return session

    def _marking(self, marking_id: str, level: Level, at: datetime) -> dict[str, Any]:
        require(marking_id in self.markings, "A command about a confidentiality marking refers "
                "to a recorded marking")
        marking = self.markings[marking_id]
        require(marking["level"] == level, f"Only a {level.value.replace('_', ' ')} marking "
                "takes this command")
        require(at >= marking["marked_on"], "History reads forwards: a fact about a marking "
                "cannot be dated before the marking")
        return marking

    @property
    def parties(self) -> tuple[str, str]:
        return self.supervisor, self.supervisee

    @property
    def agreed(self) -> bool:
        """Whether both parties have signed."""
        return all(party in self.signed for party in self.parties)

    def session_dates(self) -> list[date]:
        return [s["held_on"].date() for s in self.sessions.values()]

    # --- the contract --------------------------------------------------------------------------

    def sign(self, c: SignArrangement) -> None:
        self._check_open(c.at)
        require(c.party in self.parties, "Only the supervisor and the supervisee sign the "
                "arrangement")
        require(c.by == c.party, "A party signs the arrangement for themselves")
        require(c.party not in self.signed, "Each party signs the arrangement once")
        self._signed(party=c.party, actor=c.by, occurred_on=c.at)

    @event("Signed")
    def _signed(self, *, party: str, actor: str, occurred_on: datetime) -> None:
        self.signed[party] = occurred_on

    def review(self, c: ReviewArrangement) -> None:
        self._check_open(c.at)
        require(given(c.notes), "A review of an arrangement records notes")
        require(c.next_review_on > c.at.date(), "The next review is dated after this review")
        self._reviewed(notes=c.notes, was_due=self.review_on, next_review_on=c.next_review_on,
                       actor=c.by, occurred_on=c.at)

    @event("Reviewed")
    def _reviewed(self, *, notes: str, was_due: date, next_review_on: date, actor: str,
                  occurred_on: datetime) -> None:
        self.reviews.append({"on": occurred_on, "was_due": was_due, "by": actor})
        self.review_on = next_review_on

    def mark_review_overdue(self, c: MarkReviewOverdue) -> None:
        self._check_open(c.at)
        require(c.review_on == self.review_on, "Only the arrangement's current review date "
                "can be overdue")
        require(c.at.date() > c.review_on, "A review is overdue only after its date")
        require(c.review_on not in self.overdue_reviews, "A review is recorded overdue once")
        self._review_overdue(review_on=c.review_on, actor=c.by, occurred_on=c.at)

    @event("ReviewOverdue")
    def _review_overdue(self, *, review_on: date, actor: str, occurred_on: datetime) -> None:
        self.overdue_reviews.append(review_on)

    def change_supervisor(self, c: ChangeArrangementSupervisor) -> None:
        self._check_open(c.at)
        require(given(c.new_supervisor) and c.new_supervisor != self.supervisor,
                "A new supervisor is a different person from the current supervisor")
        require(c.new_supervisor != self.supervisee, "A supervisor does not supervise themselves")
        require(given(c.reason), "A change of supervisor needs a reason")
        self._supervisor_changed(new_supervisor=c.new_supervisor, reason=c.reason, actor=c.by,
                                 occurred_on=c.at)

    @event("SupervisorChanged")
    def _supervisor_changed(self, *, new_supervisor: str, reason: str, actor: str,
                            occurred_on: datetime) -> None:
        self.supervisor = new_supervisor
        self.supervisors.append({"supervisor": new_supervisor, "from": occurred_on.date(),
                                 "reason": reason})

    def end(self, c: EndArrangement) -> None:
        self._check_open(c.at)
        require(given(c.reason), "Ending an arrangement needs a reason")
        self._ended(reason=c.reason, actor=c.by, occurred_on=c.at)

    @event("Ended")
    def _ended(self, *, reason: str, actor: str, occurred_on: datetime) -> None:
        self.ended = True

    # --- sessions ------------------------------------------------------------------------------

    def record_session(self, c: RecordSupervisionSession) -> None:
        """A session held at `c.at` by the current supervisor, on seed 002's agenda."""
        self._check_open(c.at)
        require(given(c.session_id) and c.session_id not in self.sessions,
                "A session id is used only once on an arrangement")
        latest = max((s["held_on"] for s in self.sessions.values()), default=None)
        require(latest is None or c.at >= latest, "History reads forwards: a session cannot be "
                "dated before the previous session")
        _check_agenda(c.agenda)
        require(c.next_session_on > c.at.date(), "The next session is dated after this one")
        self._session_recorded(session_id=c.session_id, supervisor=self.supervisor,
                               agenda=_agenda(c.agenda), next_session_on=c.next_session_on,
                               actor=c.by, occurred_on=c.at)

    @event("SessionRecorded")
    def _session_recorded(self, *, session_id: str, supervisor: str, agenda: dict[str, Any],
                          next_session_on: date, actor: str, occurred_on: datetime) -> None:
        self.sessions[session_id] = {"session_id": session_id, "held_on": occurred_on,
                                     "supervisor": supervisor, "agenda": agenda,
                                     "next_session_on": next_session_on, "audit": None}

    def select_case_file_audit(self, c: SelectCaseFileAudit) -> None:
        """Two of the supervisee's open cases at random (all of them if fewer), seed recorded."""
        self._check_open(c.at)
        session = self._session(c.session_id, c.at)
        require(session["audit"] is None, "A session's case-file audit is chosen once")
        population = sorted(set(c.population))
        require(len(population) == len(c.population), "A case is listed once in a selection")
        chosen = select_at_random(population, c.seed, min(CASE_FILE_AUDIT_SIZE, len(population)))
        self._case_file_audit_selected(session_id=c.session_id, population=population,
                                       seed=c.seed, selection=chosen, actor=c.by,
                                       occurred_on=c.at)

    @event("CaseFileAuditSelected")
    def _case_file_audit_selected(self, *, session_id: str, population: list[str], seed: int,
                                  selection: list[str], actor: str, occurred_on: datetime) -> None:
        self.sessions[session_id]["audit"] = {"seed": seed, "population": len(population),
                                              "selection": list(selection), "findings": {}}

    def record_case_file_audit(self, c: RecordCaseFileAudit) -> None:
        self._check_open(c.at)
        audit = self._session(c.session_id, c.at)["audit"]
        require(audit is not None and c.case_id in audit["selection"],
                "A case-file audit is recorded for a case chosen for the session")
        require(c.case_id not in audit["findings"], "A chosen case's file is audited once")
        require(given(c.strengths, c.learning_points), "A case-file audit records the case's "
                "strengths and the learning points")
        self._case_file_audited(session_id=c.session_id, case_id=c.case_id,
                                strengths=c.strengths, learning_points=c.learning_points,
                                actor=c.by, occurred_on=c.at)

    @event("CaseFileAudited")
    def _case_file_audited(self, *, session_id: str, case_id: str, strengths: str,
                           learning_points: str, actor: str, occurred_on: datetime) -> None:
        self.sessions[session_id]["audit"]["findings"][case_id] = {
            "strengths": strengths, "learning_points": learning_points, "on": occurred_on}

    def mark_session_missed(self, c: MarkSessionMissed) -> None:
        self._check_open(c.at)
        require(c.period_opens_on <= c.period_ends_on < c.at.date(),
                "A period is missed only once it has ended")
        require(not held_within(self.session_dates(), c.period_opens_on, c.period_ends_on),
                "A period is recorded missed only when no session was held in it")
        require(all(m["period_ends_on"] != c.period_ends_on for m in self.missed),
                "A missed period is recorded once")
        self._session_missed(period_opens_on=c.period_opens_on, period_ends_on=c.period_ends_on,
                             requirement=c.requirement, escalated_to=self.line_manager,
                             actor=c.by, occurred_on=c.at)

    @event("SessionMissed")
    def _session_missed(self, *, period_opens_on: date, period_ends_on: date, requirement: str,
                        escalated_to: str, actor: str, occurred_on: datetime) -> None:
        self.missed.append({"period_opens_on": period_opens_on, "period_ends_on": period_ends_on,
                            "requirement": requirement, "escalated_to": escalated_to,
                            "on": occurred_on})

    # --- confidentiality (seed 002) ------------------------------------------------------------

    def mark_confidentiality(self, c: MarkConfidentiality, policy: Policy = DEFAULT_POLICY) -> None:
        """Level 1 opens a required action to report, due within `confidentiality_report`;
        level 2 a required action for the line manager; level 3 is recorded."""
        self._check_open(c.at)
        self._session(c.session_id, c.at)
        require(given(c.marking_id) and c.marking_id not in self.markings,
                "A marking id is used only once on an arrangement")
        require(given(c.issue), "A confidentiality marking says what the issue is")
        action: dict[str, Any] | None = None
        if c.level == Level.DUTY_TO_REPORT:
            action = {"owner": self.supervisor, "due_on": policy.confidentiality_report.after(
                c.at.date(), self.nation)}
        elif c.level == Level.LINE_MANAGEMENT:
            action = {"owner": self.line_manager, "due_on": None}
        self._confidentiality_marked(marking_id=c.marking_id, session_id=c.session_id,
                                     level=c.level, issue=c.issue, action=action, actor=c.by,
                                     occurred_on=c.at)

    @event("ConfidentialityMarked")
    def _confidentiality_marked(self, *, marking_id: str, session_id: str, level: str,
                                issue: str, action: dict[str, Any] | None, actor: str,
                                occurred_on: datetime) -> None:
        self.markings[marking_id] = {
            "marking_id": marking_id, "session_id": session_id, "level": Level(level),
            "issue": issue, "marked_on": occurred_on,
            "action": None if action is None else {**action, "done_on": None, "done_by": None,
                                                   "escalated_on": None, "escalated_to": None}}

    def record_reported(self, c: RecordReported) -> None:
        self._check_open(c.at)
        action = self._marking(c.marking_id, Level.DUTY_TO_REPORT, c.at)["action"]
        require(action["done_on"] is None, "A level-1 matter is recorded as reported once")
        require(given(c.reported_to, c.channel), "A report records to whom and how it was made")
        self._reported(marking_id=c.marking_id, reported_to=c.reported_to, channel=c.channel,
                       actor=c.by, occurred_on=c.at)

    @event("Reported")
    def _reported(self, *, marking_id: str, reported_to: str, channel: str, actor: str,
                  occurred_on: datetime) -> None:
        self.markings[marking_id]["action"].update(done_on=occurred_on, done_by=actor)

    def escalate_unreported(self, c: EscalateUnreported) -> None:
        self._check_open(c.at)
        action = self._marking(c.marking_id, Level.DUTY_TO_REPORT, c.at)["action"]
        require(action["done_on"] is None, "A reported matter is not escalated")
        require(action["escalated_on"] is None, "An unreported matter is escalated once")
        require(c.at.date() > action["due_on"], "An unreported matter is escalated only after "
                "its report was due")
        self._unreported_escalated(marking_id=c.marking_id, escalated_to=self.safeguarding_lead,
                                   due_on=action["due_on"], actor=c.by, occurred_on=c.at)

    @event("UnreportedEscalated")
    def _unreported_escalated(self, *, marking_id: str, escalated_to: str, due_on: date,
                              actor: str, occurred_on: datetime) -> None:
        self.markings[marking_id]["action"].update(escalated_on=occurred_on,
                                                   escalated_to=escalated_to)

    def complete_line_management_action(self, c: CompleteLineManagementAction) -> None:
        self._check_open(c.at)
        action = self._marking(c.marking_id, Level.LINE_MANAGEMENT, c.at)["action"]
        require(c.by == self.line_manager, "Only the line manager completes a line-management "
                "action")
        require(action["done_on"] is None, "A line-management action is completed once")
        require(given(c.outcome), "A line-management action records its outcome")
        self._line_management_action_completed(marking_id=c.marking_id, outcome=c.outcome,
                                               actor=c.by, occurred_on=c.at)

    @event("LineManagementActionCompleted")
    def _line_management_action_completed(self, *, marking_id: str, outcome: str, actor: str,
                                          occurred_on: datetime) -> None:
        self.markings[marking_id]["action"].update(done_on=occurred_on, done_by=actor)

    # --- the evaluation tool (seed 003, Appendix I) --------------------------------------------

    def note_evaluation(self, c: SubmitEvaluation, evaluation_id: UUID) -> None:
        """Note that the supervisee evaluated their supervision (its answers are elsewhere)."""
        self._check_open(c.at)
        require(c.by == self.supervisee, "Only the supervisee evaluates their supervision")
        quarter = quarter_of(c.at.date())
        require(quarter not in self.evaluations, "A supervisee evaluates an arrangement once a "
                "quarter")
        self._evaluation_received(quarter=quarter, evaluation_id=str(evaluation_id), actor=c.by,
                                  occurred_on=c.at)

    @event("EvaluationReceived")
    def _evaluation_received(self, *, quarter: str, evaluation_id: str, actor: str,
                             occurred_on: datetime) -> None:
        self.evaluations[quarter] = evaluation_id


def _check_agenda(agenda: SessionAgenda) -> None:
    require(given(agenda.matters_arising, agenda.successes, agenda.trends, agenda.training),
            "A session covers the agenda's core items: matters arising, successes, trends and "
            "training")
    require(all(given(f.frustration) for f in agenda.frustrations),
            "Each key frustration is written out")
    require(all(given(concern) for concern in agenda.concerns_to_escalate),
            "Each concern to escalate is written out")


def _agenda(agenda: SessionAgenda) -> dict[str, Any]:
    """The agenda as the event stores it (plain values)."""
    return {"attendees": list(agenda.attendees), "matters_arising": agenda.matters_arising,
            "successes": agenda.successes,
            "frustrations": [{"frustration": f.frustration, "steps_taken": f.steps_taken,
                              "support_needed": f.support_needed} for f in agenda.frustrations],
            "concerns_to_escalate": list(agenda.concerns_to_escalate), "trends": agenda.trends,
            "procedure_concerns": agenda.procedure_concerns, "training": agenda.training,
            "enough_support": agenda.enough_support,
            "any_other_business": agenda.any_other_business}
