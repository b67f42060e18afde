"""The Safeguarder record (seed 000): from application to the end of the appointment.

Events: Applied, Interviewed, Assessed, Appointed, Allocated, SupportSessionHeld,
ReportSampled, GroupSessionAttended, MentorAssigned, MentoringSessionHeld, MentoringImpactRecorded,
FeedbackReceived (v3),
ConcernRaised, ConcernResolved, PerformanceEvidenceRecorded, AnnualShortfallRecorded,
AnnualShortfallWithdrawn, ReappointmentReviewOpened, ReappointmentRecommended, MinistersDecided,
Resigned, Removed. Each public method carries out one command of `domain.safeguarder_commands`.
"""

from __future__ import annotations

from datetime import date, datetime
from types import MappingProxyType
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from domain.errors import require
from domain.ladder import check_unresolved
from domain.panel import GroupSession, Mentor, PanelRegion, Region
from domain.policy import DEFAULT_POLICY, Policy
from domain.record import Record
from domain.subjects import DataSubject
from domain.safeguarder_commands import (
    Allocate,
    AssignMentor,
    AttendGroupSession,
    ApplyToPanel,
    Appoint,
    OpenReappointmentReview,
    RaiseSafeguarderConcern,
    Recommend,
    RecordAnnualShortfall,
    RecordAssessment,
    RecordFeedback,
    RecordInterview,
    RecordMentoringImpact,
    RecordMentoringSession,
    RecordMinistersDecision,
    RecordPerformanceEvidence,
    RecordSampledReport,
    RecordSupportSession,
    RemoveFromPanel,
    Resign,
    ResolveSafeguarderConcern,
    WithdrawAnnualShortfall,
)
from domain.safeguarder_values import (
    SAMPLED_REPORTS_REQUIRED_PER_YEAR,
    SERVING,
    SESSIONS_REQUIRED_PER_YEAR,
    ConcernAbout,
    FeedbackSource,
    Status,
    Tone,
    appointment_year,
    check_new_concern_id,
    check_record_open,
    status_after,
    year_starts_on,
    years_in_words,
)


class Safeguarder(DataSubject):
    # The Safeguarder's personal data, sealed with their own key (domain/subjects.py): their
    # name and contact details, and every free text about them.
    personal = frozenset({"name", "contact", "notes", "reason", "discussion", "summary",
                          "resolution", "evidence", "rationale", "exception_reason",
                          "entered_late"})
    subject_kind = "safeguarder"
    # Feedback's words are also the personal data of the person who gave it: sealed with
    # their key too (domain.subjects.FeedbackGiver), so they can be erased on their own.
    personal_of = MappingProxyType({"FeedbackReceived": ("giver_id", frozenset({"summary"}))})

    @classmethod
    def apply_to_panel(cls, c: ApplyToPanel) -> Safeguarder:
        require(bool(c.name.strip()), "An applicant is named")
        return cls(name=c.name, contact=c.contact.as_dict(), region=c.region, actor=c.by,
                   occurred_on=c.at)

    @event("Applied")
    def __init__(
        self, *, name: str, contact: dict[str, str], region: str, actor: str, occurred_on: datetime
    ) -> None:
        self.opened_on = occurred_on
        self.name, self.contact, self.region = name, dict(contact), Region(region)
        self.status = status_after("Applied")
        self.appointed_on: datetime | None = None
        self.review_opened_on: datetime | None = None
        self.support_manager: str | None = None
        self.allocations: list[dict[str, Any]] = []
        self.terms: list[dict[str, Any]] = []
        self.first_appointed_on: date | None = None
        self.sessions: dict[str, dict[str, Any]] = {}
        self.sampled_reports: list[dict[str, Any]] = []
        self.group_sessions: list[dict[str, Any]] = []
        self.mentor_id: UUID | None = None
        self.mentor_assigned_on: datetime | None = None
        self.mentoring_sessions: list[dict[str, Any]] = []
        self.feedback: list[dict[str, Any]] = []
        self.concerns: dict[str, dict[str, Any]] = {}
        self.performance_evidence: list[dict[str, Any]] = []
        self.shortfalls: list[int] = []
        self.recommendation: dict[str, Any] | None = None

    # --- guards shared by commands -------------------------------------------------------

    def _check_open(self, at: datetime) -> None:
        self.check_after_opening(at)
        check_record_open(self.status)

    def _check_serving(self, at: datetime) -> None:
        self._check_open(at)
        require(self.status in SERVING, "Only an appointed Safeguarder has appointment-year records")
        assert self.appointed_on is not None and self.first_appointed_on is not None
        require(at >= self.appointed_on and at.date() >= self.first_appointed_on,
                "History reads forwards: a fact of the appointment cannot be dated before the "
                "appointment and the start of the first term")

    @property
    def current_term(self) -> dict[str, Any] | None:
        return self.terms[-1] if self.terms else None

    def year_of(self, on: date) -> int:
        assert self.first_appointed_on is not None
        return appointment_year(self.first_appointed_on, on)

    # --- from application to appointment -------------------------------------------------

    def record_interview(self, c: RecordInterview) -> None:
        self._check_open(c.at)
        require(self.status == Status.APPLICANT, "An applicant is interviewed once, after applying")
        self._interviewed(passed=c.passed, notes=c.notes, actor=c.by, occurred_on=c.at)

    @event("Interviewed")
    def _interviewed(self, *, passed: bool, notes: str, actor: str, occurred_on: datetime) -> None:
        self.status = status_after("Interviewed", passed=passed)

    def record_assessment(self, c: RecordAssessment) -> None:
        self._check_open(c.at)
        require(self.status == Status.INTERVIEWED,
                "The pre-appointment assessment follows a passed interview")
        self._assessed(passed=c.passed, notes=c.notes, actor=c.by, occurred_on=c.at)

    @event("Assessed")
    def _assessed(self, *, passed: bool, notes: str, actor: str, occurred_on: datetime) -> None:
        self.status = status_after("Assessed", passed=passed)

    def appoint(self, c: Appoint, policy: Policy = DEFAULT_POLICY) -> None:
        self._check_open(c.at)
        require(self.status == Status.ASSESSED, "A Safeguarder cannot be appointed without passing "
                "both interview and pre-appointment assessment")
        require(c.term_starts_on >= self.opened_on.date(),
                "A term cannot start before the Safeguarder applied")
        self._appointed(**self._new_term(c.term_starts_on, policy), actor=c.by, occurred_on=c.at)

    @staticmethod
    def _new_term(starts_on: date, policy: Policy) -> dict[str, date]:
        ends_on = policy.safeguarder_term.after(starts_on)
        review_opens_on = policy.reappointment_review_lead.before(ends_on)
        return {"term_starts_on": starts_on, "term_ends_on": ends_on,
                "review_opens_on": review_opens_on}

    @event("Appointed")
    def _appointed(self, *, term_starts_on: date, term_ends_on: date, review_opens_on: date,
                   actor: str, occurred_on: datetime) -> None:
        self.status = status_after("Appointed")
        self.appointed_on = occurred_on
        self.first_appointed_on = self.first_appointed_on or term_starts_on
        self.terms.append({"number": len(self.terms) + 1, "starts_on": term_starts_on,
                           "ends_on": term_ends_on, "review_opens_on": review_opens_on})

    # --- allocation -------------------------------------------------------------------------

    def allocate(self, c: Allocate, region: PanelRegion) -> None:
        self._check_serving(c.at)
        require(region.region == self.region, "A Safeguarder is allocated within their own region")
        require(c.manager in region.support_managers,
                "A Safeguarder is allocated to a support manager of their region")
        require(c.manager != self.support_manager,
                "A reallocation names a different support manager")
        require(self.support_manager is None or bool(c.reason.strip()),
                "A reallocation needs a reason")
        self._allocated(manager=c.manager, reason=c.reason, actor=c.by, occurred_on=c.at)

    @event("Allocated")
    def _allocated(self, *, manager: str, reason: str, actor: str, occurred_on: datetime) -> None:
        self.support_manager = manager
        self.allocations.append({"manager": manager, "reason": reason, "on": occurred_on})

    # --- the appointment year ---------------------------------------------------------------

    def record_support_session(self, c: RecordSupportSession) -> None:
        self._check_serving(c.at)
        require(bool(c.session_id.strip()), "A support session has an id")
        require(c.session_id not in self.sessions, "A support session id is used once")
        self._support_session_held(session_id=c.session_id, year=self.year_of(c.at.date()),
                                   notes=c.notes, actor=c.by, occurred_on=c.at)

    @event("SupportSessionHeld")
    def _support_session_held(self, *, session_id: str, year: int, notes: str, actor: str,
                              occurred_on: datetime) -> None:
        self.sessions[session_id] = {"year": year, "on": occurred_on, "by": actor}

    def record_sampled_report(self, c: RecordSampledReport) -> None:
        self._check_serving(c.at)
        require(bool(c.report_ref.strip()), "A sampled report has a reference")
        session = self.sessions.get(c.session_id)
        require(session is not None, "A sampled report is linked to a recorded support session")
        assert session is not None
        require(c.at >= session["on"], "A report is discussed at or after its session")
        require(not any(r["report_ref"] == c.report_ref and r["year"] == session["year"]
                        for r in self.sampled_reports),
                "A report is sampled once in an appointment year")
        self._report_sampled(report_ref=c.report_ref, session_id=c.session_id,
                             year=session["year"], discussion=c.discussion, actor=c.by,
                             occurred_on=c.at)

    @event("ReportSampled")
    def _report_sampled(self, *, report_ref: str, session_id: str, year: int, discussion: str,
                        actor: str, occurred_on: datetime) -> None:
        self.sampled_reports.append({"report_ref": report_ref, "session_id": session_id,
                                     "year": year, "on": occurred_on})

    def attend_group_session(self, c: AttendGroupSession, session: GroupSession) -> None:
        """Record attendance here; the caller saves `session` too, which holds the size rule."""
        self._check_serving(c.at)
        require(session.held_on >= self.first_appointed_on,  # type: ignore[operator]
                "A group session counts from the start of the first term")
        session.admit(self.id, by=c.by, at=c.at)
        self._group_session_attended(session_id=session.id, year=self.year_of(session.held_on),
                                     actor=c.by, occurred_on=c.at)

    @event("GroupSessionAttended")
    def _group_session_attended(self, *, session_id: UUID, year: int, actor: str,
                                occurred_on: datetime) -> None:
        self.group_sessions.append({"session_id": session_id, "year": year, "on": occurred_on})

    def assign_mentor(self, c: AssignMentor, mentor: Mentor) -> None:
        self._check_serving(c.at)
        require(mentor.id != self.id, "A Safeguarder does not mentor themselves")
        require(mentor.accredited, "Only an accredited mentor can be assigned")
        require(self.year_of(c.at.date()) == 1, "Peer mentoring is assigned in the first "
                "appointment year")
        require(self.mentor_id != mentor.id, "This mentor is already assigned")
        self._mentor_assigned(mentor_id=mentor.id, actor=c.by, occurred_on=c.at)

    @event("MentorAssigned")
    def _mentor_assigned(self, *, mentor_id: UUID, actor: str, occurred_on: datetime) -> None:
        self.mentor_id = mentor_id
        self.mentor_assigned_on = occurred_on

    def record_mentoring_session(self, c: RecordMentoringSession) -> None:
        self._check_serving(c.at)
        require(self.mentor_id is not None, "A mentoring session needs an assigned mentor")
        require(c.at >= self.mentor_assigned_on,  # type: ignore[operator]
                "A mentoring session cannot be dated before its mentor was assigned")
        self._mentoring_session_held(mentor_id=self.mentor_id, year=self.year_of(c.at.date()),
                                     notes=c.notes, actor=c.by, occurred_on=c.at)

    @event("MentoringSessionHeld")
    def _mentoring_session_held(self, *, mentor_id: UUID, year: int, notes: str, actor: str,
                                occurred_on: datetime) -> None:
        self.mentoring_sessions.append({"mentor_id": mentor_id, "year": year, "on": occurred_on})

    def record_mentoring_impact(self, c: RecordMentoringImpact) -> None:
        """Seed 000: evidence about the impact of peer mentoring is recorded through support
        managers in their support records, and counts towards re-appointment."""
        self._check_serving(c.at)
        require(self.mentor_id is not None, "Mentoring impact is recorded once a mentor is "
                "assigned")
        require(c.at >= self.mentor_assigned_on,  # type: ignore[operator]
                "Mentoring impact cannot be dated before the mentor was assigned")
        require(c.by == self.support_manager, "Mentoring impact is recorded by the "
                "Safeguarder's support manager")
        require(bool(c.evidence.strip()), "Mentoring impact is described")
        self._mentoring_impact_recorded(mentor_id=self.mentor_id, year=self.year_of(c.at.date()),
                                        evidence=c.evidence, actor=c.by, occurred_on=c.at)

    @event("MentoringImpactRecorded")
    def _mentoring_impact_recorded(self, *, mentor_id: UUID, year: int, evidence: str,
                                   actor: str, occurred_on: datetime) -> None:
        self.__dict__.setdefault("mentoring_impact", []).append({"year": year, "on": occurred_on})

    # --- the electronic file: feedback, concerns, PSMF evidence -------------------------------

    class FeedbackReceived(Record.Event):
        """Version 2 added `tone`; version 1 events load with tone 'not recorded'. Version 3
        added `giver_id`, the record of the person who gave it (a data subject of their own:
        `domain.subjects.FeedbackGiver`); earlier feedback has none, and is the Safeguarder's
        alone."""

        class_version = 3
        source: str
        tone: str
        summary: str
        giver_id: UUID | None
        actor: str
        occurred_on: datetime

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["tone"] = Tone.NOT_RECORDED.value

        @staticmethod
        def upcast_v2_v3(state: dict[str, Any]) -> None:
            state["giver_id"] = None

    def record_feedback(self, c: RecordFeedback, giver_id: UUID | None = None) -> None:
        """`giver_id`: the person's own record (`Assured.record_feedback` gives it)."""
        self._check_open(c.at)
        require(c.tone != Tone.NOT_RECORDED, "Feedback records its tone")
        require(bool(c.summary.strip()), "Feedback carries a summary")
        self._feedback_received(source=FeedbackSource(c.source).value, tone=Tone(c.tone).value,
                                summary=c.summary, giver_id=giver_id or c.giver_id, actor=c.by,
                                occurred_on=c.at)

    @event(FeedbackReceived)
    def _feedback_received(self, *, source: str, tone: str, summary: str,
                           giver_id: UUID | None, actor: str, occurred_on: datetime) -> None:
        # The words stay on the event only: they are the giver's too, and a snapshot of this
        # record must not keep them after the giver is erased.
        self.feedback.append({"source": source, "tone": tone, "giver_id": giver_id,
                              "on": occurred_on})

    def raise_concern(self, c: RaiseSafeguarderConcern) -> None:
        self._check_open(c.at)
        check_new_concern_id(c.concern_id, self.concerns)
        require(bool(c.summary.strip()), "A concern carries a summary")
        self._concern_raised(concern_id=c.concern_id, about=ConcernAbout(c.about).value,
                             summary=c.summary, actor=c.by, occurred_on=c.at)

    @event("ConcernRaised")
    def _concern_raised(self, *, concern_id: str, about: str, summary: str, actor: str,
                        occurred_on: datetime) -> None:
        self.concerns[concern_id] = {"about": about, "raised_on": occurred_on,
                                     "resolution": None, "resolved_on": None}

    def resolve_concern(self, c: ResolveSafeguarderConcern) -> None:
        self._check_open(c.at)
        concern = self.concerns.get(c.concern_id)
        require(concern is not None, "A resolution must refer to a recorded concern")
        assert concern is not None
        check_unresolved(concern["resolution"] is not None, "concern")
        require(c.at >= concern["raised_on"], "A concern is resolved at or after it was raised")
        require(bool(c.resolution.strip()), "A concern's resolution is described")
        self._concern_resolved(concern_id=c.concern_id, resolution=c.resolution, actor=c.by,
                               occurred_on=c.at)

    @event("ConcernResolved")
    def _concern_resolved(self, *, concern_id: str, resolution: str, actor: str,
                          occurred_on: datetime) -> None:
        self.concerns[concern_id].update(resolution=resolution, resolved_on=occurred_on)

    def record_performance_evidence(self, c: RecordPerformanceEvidence) -> None:
        self._check_open(c.at)
        require(bool(c.standard.strip()), "PSMF evidence names the Practice Standard it relates to")
        require(bool(c.evidence.strip()), "PSMF evidence is described")
        self._performance_evidence_recorded(standard=c.standard, evidence=c.evidence, actor=c.by,
                                            occurred_on=c.at)

    @event("PerformanceEvidenceRecorded")
    def _performance_evidence_recorded(self, *, standard: str, evidence: str, actor: str,
                                       occurred_on: datetime) -> None:
        self.performance_evidence.append({"standard": standard, "evidence": evidence,
                                          "on": occurred_on})

    # --- the annual requirement --------------------------------------------------------------

    def requirement(self, year: int) -> dict[str, Any]:
        """The year's support sessions and sampled reports against the requirement (seed 000)."""
        sessions = sum(1 for s in self.sessions.values() if s["year"] == year)
        reports = sum(1 for r in self.sampled_reports if r["year"] == year)
        met = (sessions >= SESSIONS_REQUIRED_PER_YEAR
               and reports >= SAMPLED_REPORTS_REQUIRED_PER_YEAR)
        return {"year": year, "sessions": sessions, "sampled_reports": reports, "met": met}

    def requirement_met(self, year: int) -> bool:
        return bool(self.requirement(year)["met"])

    def full_years(self, on: date) -> list[int]:
        """The current term's appointment years that had fully elapsed by `on`."""
        term = self.current_term
        if term is None or self.first_appointed_on is None:
            return []
        first = self.year_of(term["starts_on"])
        until = min(on, term["ends_on"])
        years = []
        year = first
        while year_starts_on(self.first_appointed_on, year + 1) <= until:
            years.append(year)
            year += 1
        return years

    def ended_years(self, on: date) -> list[int]:
        """Every appointment year, of any term, that had ended by `on` (and by the last term's
        end): a year's shortfall can be recorded after Ministers have already re-appointed."""
        if not self.terms or self.first_appointed_on is None:
            return []
        until = min(on, self.terms[-1]["ends_on"])
        years, year = [], 1
        while year_starts_on(self.first_appointed_on, year + 1) <= until:
            years.append(year)
            year += 1
        return years

    def unmet_years(self, on: date) -> list[int]:
        return [y for y in self.full_years(on) if not self.requirement_met(y)]

    def record_annual_shortfall(self, c: RecordAnnualShortfall) -> None:
        self._check_serving(c.at)
        require(c.year in self.ended_years(c.at.date()), "A shortfall is recorded only for an "
                "appointment year that has ended")
        require(not self.requirement_met(c.year), "A shortfall is recorded only for a year whose "
                "annual requirement was not met")
        require(c.year not in self.shortfalls, "A year's shortfall is recorded once")
        self._annual_shortfall_recorded(**self.requirement(c.year), actor=c.by, occurred_on=c.at)

    @event("AnnualShortfallRecorded")
    def _annual_shortfall_recorded(self, *, year: int, sessions: int, sampled_reports: int,
                                   met: bool, actor: str, occurred_on: datetime) -> None:
        self.shortfalls.append(year)

    def withdraw_annual_shortfall(self, c: WithdrawAnnualShortfall) -> None:
        """A shortfall is withdrawn when facts dated within the year, entered after it was
        recorded, meet the requirement after all. Both stay in the history."""
        self._check_open(c.at)
        require(c.year in self.shortfalls, "Only a recorded shortfall is withdrawn")
        require(self.requirement_met(c.year), "A shortfall is withdrawn only once the year's "
                "requirement is met by facts dated within the year")
        require(bool(c.entered_late.strip()), "A withdrawn shortfall names the late entries")
        self._annual_shortfall_withdrawn(year=c.year, entered_late=c.entered_late, actor=c.by,
                                         occurred_on=c.at)

    @event("AnnualShortfallWithdrawn")
    def _annual_shortfall_withdrawn(self, *, year: int, entered_late: str, actor: str,
                                    occurred_on: datetime) -> None:
        self.shortfalls.remove(year)

    # --- re-appointment -----------------------------------------------------------------------

    def open_reappointment_review(self, c: OpenReappointmentReview) -> None:
        self._check_open(c.at)
        require(self.status == Status.APPOINTED, "A re-appointment review opens for an appointed "
                "Safeguarder not already in review")
        term = self.current_term
        assert term is not None
        require(c.at.date() >= term["review_opens_on"], "The re-appointment review opens at the "
                f"policy lead time before the term ends (from {term['review_opens_on']})")
        self._reappointment_review_opened(term_ends_on=term["ends_on"], actor=c.by,
                                          occurred_on=c.at)

    @event("ReappointmentReviewOpened")
    def _reappointment_review_opened(self, *, term_ends_on: date, actor: str,
                                     occurred_on: datetime) -> None:
        self.status = status_after("ReappointmentReviewOpened")
        self.review_opened_on = occurred_on
        self.recommendation = None

    def recommend(self, c: Recommend) -> None:
        self._check_open(c.at)
        require(self.status == Status.IN_REVIEW, "A recommendation is made in an open "
                "re-appointment review")
        require(self.recommendation is None, "One recommendation is made per review")
        require(c.by == self.support_manager, "The recommendation is made by the allocated "
                "support manager")
        require(c.at >= self.review_opened_on,  # type: ignore[operator]
                "A recommendation cannot be dated before its re-appointment review opened")
        require(bool(c.rationale.strip()), "A recommendation carries a rationale")
        unmet = self.unmet_years(c.at.date())
        require(not (c.reappoint and unmet and not c.exception_reason.strip()),
                "A recommendation to re-appoint is refused while an annual requirement is unmet "
                f"({years_in_words(unmet)}), unless an exception reason is given")
        self._recommended(reappoint=c.reappoint, rationale=c.rationale, unmet_years=unmet,
                          exception_reason=c.exception_reason, actor=c.by, occurred_on=c.at)

    @event("ReappointmentRecommended")
    def _recommended(self, *, reappoint: bool, rationale: str, unmet_years: list[int],
                     exception_reason: str, actor: str, occurred_on: datetime) -> None:
        self.recommendation = {"reappoint": reappoint, "rationale": rationale,
                               "unmet_years": unmet_years, "exception_reason": exception_reason,
                               "on": occurred_on}

    def record_ministers_decision(self, c: RecordMinistersDecision,
                                  policy: Policy = DEFAULT_POLICY) -> None:
        self._check_open(c.at)
        require(self.status == Status.IN_REVIEW and self.recommendation is not None,
                "Ministers decide after the support manager's recommendation")
        assert self.recommendation is not None
        require(c.at >= self.recommendation["on"],
                "Ministers' decision cannot be dated before the recommendation")
        term = self.current_term
        assert term is not None
        no_term = {"term_starts_on": None, "term_ends_on": None, "review_opens_on": None}
        new_term = self._new_term(term["ends_on"], policy) if c.reappoint else no_term
        self._ministers_decided(reappoint=c.reappoint, appointment_ends_on=term["ends_on"],
                                **new_term, actor=c.by, occurred_on=c.at)

    @event("MinistersDecided")
    def _ministers_decided(self, *, reappoint: bool, appointment_ends_on: date,
                           term_starts_on: date | None, term_ends_on: date | None,
                           review_opens_on: date | None, actor: str,
                           occurred_on: datetime) -> None:
        self.status = status_after("MinistersDecided", reappoint=reappoint)
        if reappoint:
            self.terms.append({"number": len(self.terms) + 1, "starts_on": term_starts_on,
                               "ends_on": term_ends_on, "review_opens_on": review_opens_on})

    # --- leaving ------------------------------------------------------------------------------

    def resign(self, c: Resign) -> None:
        self._check_open(c.at)
        require(bool(c.reason.strip()), "A resignation records its reason")
        self._resigned(reason=c.reason, actor=c.by, occurred_on=c.at)

    @event("Resigned")
    def _resigned(self, *, reason: str, actor: str, occurred_on: datetime) -> None:
        self.status = status_after("Resigned")

    def remove(self, c: RemoveFromPanel) -> None:
        self._check_open(c.at)
        require(bool(c.reason.strip()), "A removal records its reason")
        self._removed(reason=c.reason, actor=c.by, occurred_on=c.at)

    @event("Removed")
    def _removed(self, *, reason: str, actor: str, occurred_on: datetime) -> None:
        self.status = status_after("Removed")
