"""The Safeguarder's record from application to the end of the appointment (seed 000)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from domain.application import Assured
from domain.panel import GroupSession, Mentor, PanelRegion, Region
from domain.panel_commands import (
    AccreditMentor,
    AddSupportManager,
    EstablishRegion,
    PlanGroupSession,
    RecordMentorTraining,
    RecruitMentor,
)
from domain.policy import DEFAULT_POLICY
from domain.safeguarder import Safeguarder
from domain.safeguarder_commands import (
    Allocate,
    ApplyToPanel,
    Appoint,
    AssignMentor,
    AttendGroupSession,
    Contact,
    OpenReappointmentReview,
    RaiseSafeguarderConcern,
    Recommend,
    RecordAnnualShortfall,
    RecordAssessment,
    RecordFeedback,
    RecordInterview,
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
from domain.safeguarder_values import FeedbackSource, Status, Tone, years_in_words
from tests.commands import Commands
from tests.refusals import START, assert_input_refused, assert_refused, at

LEAD = "team-lead"
MANAGER = "sm-east-1"
TERM_START = date(2026, 2, 1)  # day 27 of the scenarios; the appointment is recorded on day 3

cmd = Commands(by=LEAD)


def on(day: date) -> datetime:
    """An instant on `day`, at the scenarios' time of day."""
    return START.replace(year=day.year, month=day.month, day=day.day)


FIRST_DAY = on(TERM_START)  # the first day a fact of the appointment can be dated


def applicant() -> Safeguarder:
    return Safeguarder.apply_to_panel(ApplyToPanel(
        name="Alex Morgan", contact={"email": "alex@example.org"}, region=Region.EAST,
        by=LEAD, at=at(0),
    ))


def appointed(term_starts_on: date = TERM_START) -> Safeguarder:
    s = applicant()
    s.record_interview(cmd(RecordInterview, s, passed=True, notes="strong", at=at(1)))
    s.record_assessment(cmd(RecordAssessment, s, passed=True, notes="ready", at=at(2)))
    s.appoint(cmd(Appoint, s, term_starts_on=term_starts_on, by="ministers", at=at(3)))
    return s


def east(*managers: str) -> PanelRegion:
    region = PanelRegion.establish(EstablishRegion(region=Region.EAST, by=LEAD, at=at(0)))
    for manager in managers:
        region.add_support_manager(cmd(AddSupportManager, region, manager=manager, at=at(0)))
    return region


def allocate(s: Safeguarder, region: PanelRegion, manager: str, reason: str = "",
             when: datetime = FIRST_DAY) -> None:
    s.allocate(cmd(Allocate, s, manager=manager, reason=reason, at=when), region)


def allocated() -> Safeguarder:
    s = appointed()
    allocate(s, east(MANAGER), MANAGER, "prefers reflective discussion")
    return s


def support_session(s: Safeguarder, session_id: str, when: datetime) -> None:
    s.record_support_session(cmd(RecordSupportSession, s, session_id=session_id,
                                 notes="reflection", by=MANAGER, at=when))


def sample_report(s: Safeguarder, report_ref: str, session_id: str, when: datetime) -> None:
    s.record_sampled_report(cmd(RecordSampledReport, s, report_ref=report_ref,
                                session_id=session_id, discussion="discussed", by=MANAGER,
                                at=when))


def meet_requirement(s: Safeguarder, year: int) -> None:
    starts = date(TERM_START.year + year - 1, TERM_START.month, TERM_START.day)
    held = on(starts + timedelta(days=60))
    support_session(s, f"y{year}", held)
    for n in (1, 2):
        sample_report(s, f"report-{year}-{n}", f"y{year}", held)


def open_review(s: Safeguarder, when: datetime = on(date(2028, 8, 1))) -> None:
    s.open_reappointment_review(cmd(OpenReappointmentReview, s, at=when))


def in_review(meet_all: bool = True, opened: datetime = on(date(2028, 8, 1))) -> Safeguarder:
    s = allocated()
    for year in (1, 2, 3) if meet_all else (1, 3):
        meet_requirement(s, year)
    open_review(s, opened)
    return s


def recommend(s: Safeguarder, reappoint: bool, rationale: str, when: datetime,
              by: str = MANAGER, exception_reason: str = "") -> None:
    s.recommend(cmd(Recommend, s, reappoint=reappoint, rationale=rationale,
                    exception_reason=exception_reason, by=by, at=when))


def ministers_decide(s: Safeguarder, reappoint: bool, when: datetime) -> None:
    s.record_ministers_decision(cmd(RecordMinistersDecision, s, reappoint=reappoint,
                                    by="ministers", at=when))


def shortfall(s: Safeguarder, year: int, when: datetime) -> None:
    s.record_annual_shortfall(cmd(RecordAnnualShortfall, s, year=year, by="workflow", at=when))


def accredited_mentor(name: str = "Sam") -> Mentor:
    mentor = Mentor.recruit(RecruitMentor(name=name, by="coordinator", at=at(1)))
    mentor.record_training(cmd(RecordMentorTraining, mentor, by="coordinator", at=at(2)))
    mentor.accredit(cmd(AccreditMentor, mentor, by="coordinator", at=at(3)))
    return mentor


def assign(s: Safeguarder, mentor: Mentor, when: datetime) -> None:
    s.assign_mentor(cmd(AssignMentor, s, mentor_id=mentor.id, by="coordinator", at=when), mentor)


def mentoring_session(s: Safeguarder, when: datetime, notes: str = "settling in") -> None:
    s.record_mentoring_session(cmd(RecordMentoringSession, s, notes=notes, by="Sam", at=when))


def group_session(held_on: date = date(2026, 4, 1)) -> GroupSession:
    return GroupSession.plan(PlanGroupSession(session_ref="east-spring", facilitator=MANAGER,
                                              held_on=held_on, by=MANAGER, at=at(10)))


def attend(s: Safeguarder, session: GroupSession, when: datetime = at(90)) -> None:
    s.attend_group_session(cmd(AttendGroupSession, s, session_id=session.id, by=MANAGER,
                               at=when), session)


# --- lifecycle ---------------------------------------------------------------------------


def test_an_applicant_is_interviewed_assessed_and_appointed_for_a_three_year_term() -> None:
    s = appointed()
    assert s.status == Status.APPOINTED
    assert s.contact == {"email": "alex@example.org"}
    assert s.current_term == {"number": 1, "starts_on": TERM_START, "ends_on": date(2029, 2, 1),
                              "review_opens_on": date(2028, 8, 1)}


def test_contact_details_are_given_as_a_contact() -> None:
    s = Safeguarder.apply_to_panel(ApplyToPanel(
        name="Alex Morgan", contact=Contact(phone="01234 567890"), region="East", by=LEAD,
        at=at(0),
    ))
    assert s.contact == {"phone": "01234 567890"} and s.region == Region.EAST


def test_term_length_is_a_policy_setting() -> None:
    s = applicant()
    s.record_interview(cmd(RecordInterview, s, passed=True, at=at(1)))
    s.record_assessment(cmd(RecordAssessment, s, passed=True, at=at(2)))
    s.appoint(cmd(Appoint, s, term_starts_on=TERM_START, by="ministers", at=at(3)),
              policy=DEFAULT_POLICY.with_overrides(safeguarder_term=4))
    assert s.current_term["ends_on"] == date(2030, 2, 1)


def test_cannot_be_appointed_without_passing_interview_and_assessment() -> None:
    s = applicant()
    appoint = cmd(Appoint, s, term_starts_on=TERM_START, by="m", at=at(3))
    assert_refused(s, lambda: s.appoint(appoint), "without passing both")
    s.record_interview(cmd(RecordInterview, s, passed=True, at=at(1)))
    assert_refused(s, lambda: s.appoint(appoint), "without passing both")


def test_a_failed_assessment_closes_the_application() -> None:
    s = applicant()
    s.record_interview(cmd(RecordInterview, s, passed=True, at=at(1)))
    s.record_assessment(cmd(RecordAssessment, s, passed=False, notes="not yet", at=at(2)))
    assert s.status == Status.NOT_APPOINTED
    appoint = cmd(Appoint, s, term_starts_on=TERM_START, by="m", at=at(3))
    assert_refused(s, lambda: s.appoint(appoint), "takes no further changes")


def test_assessment_follows_a_passed_interview() -> None:
    s = applicant()
    assert_refused(s, lambda: s.record_assessment(cmd(RecordAssessment, s, passed=True,
                                                      at=at(1))),
                   "follows a passed interview")


def test_resignation_and_removal_need_a_reason_and_close_the_record() -> None:
    s = allocated()
    assert_refused(s, lambda: s.resign(cmd(Resign, s, reason=" ", by="alex", at=at(30))),
                   "resignation records its reason")
    assert_refused(s, lambda: s.remove(cmd(RemoveFromPanel, s, reason="", at=at(30))),
                   "removal records its reason")
    s.resign(cmd(Resign, s, reason="moving abroad", by="alex", at=at(30)))
    assert s.status == Status.RESIGNED
    assert_refused(s, lambda: s.remove(cmd(RemoveFromPanel, s, reason="late", at=at(31))),
                   "takes no further changes")


def test_a_fact_cannot_be_dated_before_the_record_was_opened() -> None:
    s = applicant()
    assert_refused(s, lambda: s.record_interview(cmd(RecordInterview, s, passed=True,
                                                     at=at(-1))),
                   "cannot be dated before")


def test_times_must_carry_a_time_zone() -> None:
    s = applicant()
    naive = at(1).replace(tzinfo=None)
    assert_input_refused(lambda: cmd(RecordInterview, s, passed=True, at=naive), "at",
                         "time zone")


def test_a_region_is_one_of_east_north_or_west() -> None:
    assert_input_refused(lambda: ApplyToPanel(name="Alex Morgan", region="South", by=LEAD,
                                              at=at(0)),
                         "region", "is not one of East, North, West")


# --- history reads forwards ---------------------------------------------------------------


def test_a_fact_of_the_appointment_cannot_be_dated_before_the_first_term_starts() -> None:
    s = appointed()  # appointed on day 3, for a term starting on 1 February (day 27)
    region = east(MANAGER)
    assert_refused(s, lambda: allocate(s, region, MANAGER, when=at(10)), "History reads forwards")
    assert_refused(s, lambda: support_session(s, "s0", at(26)), "History reads forwards")
    support_session(s, "s1", FIRST_DAY)
    assert s.sessions["s1"]["year"] == 1


def test_a_fact_of_the_appointment_cannot_be_dated_before_the_appointment() -> None:
    s = appointed(term_starts_on=START.date())  # the term started before Ministers appointed
    assert_refused(s, lambda: support_session(s, "s0", at(2)),
                   "cannot be dated before the appointment")
    support_session(s, "s1", at(3))


def test_a_group_session_counts_from_the_start_of_the_first_term() -> None:
    s = allocated()
    session = group_session(held_on=date(2026, 1, 20))  # before the term starts on 1 February
    assert_refused(s, lambda: attend(s, session, when=at(30)),
                   "counts from the start of the first term")
    assert session.attendees == [] and session.pending_events[-1].originator_version == 1


def test_a_mentoring_session_cannot_be_dated_before_its_mentor_was_assigned() -> None:
    s = allocated()
    assign(s, accredited_mentor(), at(40))
    assert_refused(s, lambda: mentoring_session(s, at(35)),
                   "cannot be dated before its mentor was assigned")
    mentoring_session(s, at(40))
    assert len(s.mentoring_sessions) == 1


def test_a_recommendation_cannot_be_dated_before_its_review_opened() -> None:
    s = in_review(opened=on(date(2028, 9, 1)))
    assert_refused(s, lambda: recommend(s, True, "good practice", on(date(2028, 8, 20))),
                   "cannot be dated before its re-appointment review opened")
    recommend(s, True, "good practice", on(date(2028, 9, 1)))
    assert s.recommendation["reappoint"] is True


def test_ministers_decision_cannot_be_dated_before_the_recommendation() -> None:
    s = in_review()
    recommend(s, True, "meets the standards", on(date(2028, 8, 10)))
    assert_refused(s, lambda: ministers_decide(s, True, on(date(2028, 8, 5))),
                   "cannot be dated before the recommendation")
    ministers_decide(s, True, on(date(2028, 8, 10)))
    assert s.current_term["number"] == 2


# --- region and allocation -----------------------------------------------------------------


def test_a_region_has_at_most_two_support_managers() -> None:
    region = east("sm-1", "sm-2")
    assert_refused(region, lambda: region.add_support_manager(
        cmd(AddSupportManager, region, manager="sm-3", at=at(1))), "at most two support managers")


def test_allocation_is_to_a_support_manager_of_the_safeguarders_region() -> None:
    s = appointed()
    region = east(MANAGER)
    assert_refused(s, lambda: allocate(s, region, "sm-west"), "support manager of their region")
    north = PanelRegion.establish(EstablishRegion(region=Region.NORTH, by=LEAD, at=at(0)))
    north.add_support_manager(cmd(AddSupportManager, north, manager="sm-north", at=at(0)))
    assert_refused(s, lambda: allocate(s, north, "sm-north"), "within their own region")


def test_allocation_records_its_reason_and_reallocation_needs_one() -> None:
    s = appointed()
    region = east(MANAGER, "sm-east-2")
    allocate(s, region, MANAGER, "learning style: visual", when=at(28))
    assert s.allocations[0]["reason"] == "learning style: visual"
    assert_refused(s, lambda: allocate(s, region, "sm-east-2", "  ", when=at(29)),
                   "reallocation needs a reason")
    allocate(s, region, "sm-east-2", "caseload balance", when=at(29))
    assert s.support_manager == "sm-east-2"


def test_only_an_appointed_safeguarder_is_allocated() -> None:
    s = applicant()
    assert_refused(s, lambda: allocate(s, east(MANAGER), MANAGER, when=at(4)),
                   "only an appointed safeguarder")


# --- the appointment year ----------------------------------------------------------------


def test_a_year_with_one_session_and_two_sampled_reports_meets_the_requirement() -> None:
    s = allocated()
    meet_requirement(s, 1)
    assert s.requirement(1) == {"year": 1, "sessions": 1, "sampled_reports": 2, "met": True}
    assert not s.requirement_met(2)


def test_one_sampled_report_is_not_enough() -> None:
    s = allocated()
    support_session(s, "s1", on(date(2026, 5, 1)))
    sample_report(s, "r1", "s1", on(date(2026, 5, 1)))
    assert not s.requirement_met(1)
    assert s.unmet_years(date(2027, 2, 1)) == [1]


def test_a_sampled_report_is_linked_to_a_recorded_session() -> None:
    s = allocated()
    assert_refused(s, lambda: sample_report(s, "r1", "nope", at(30)),
                   "linked to a recorded support session")


def test_a_report_is_sampled_once_a_year() -> None:
    s = allocated()
    support_session(s, "s1", at(30))
    sample_report(s, "r1", "s1", at(30))
    assert_refused(s, lambda: sample_report(s, "r1", "s1", at(31)), "sampled once")


def test_a_group_session_holds_at_most_four_safeguarders() -> None:
    session = group_session()
    for _ in range(4):
        attend(allocated(), session)
    fifth = allocated()
    assert_refused(session, lambda: attend(fifth, session), "at most four")
    assert fifth.group_sessions == [] and fifth.pending_events[-1].originator_version == 5


def test_only_an_accredited_mentor_is_assigned_in_the_first_year() -> None:
    s = allocated()
    mentor = Mentor.recruit(RecruitMentor(name="Sam", by="coordinator", at=at(1)))
    assert_refused(s, lambda: assign(s, mentor, at(30)), "only an accredited mentor")
    assert_refused(mentor, lambda: mentor.accredit(cmd(AccreditMentor, mentor, by="coordinator",
                                                       at=at(2))),
                   "only after training")
    mentor.record_training(cmd(RecordMentorTraining, mentor, by="coordinator", at=at(2)))
    mentor.accredit(cmd(AccreditMentor, mentor, by="coordinator", at=at(3)))
    assert_refused(s, lambda: assign(s, mentor, on(date(2027, 3, 1))), "first appointment year")
    assign(s, mentor, at(40))
    mentoring_session(s, at(50))
    assert s.mentoring_sessions[0]["year"] == 1


def test_a_safeguarder_does_not_mentor_themselves() -> None:
    s = allocated()
    # A mentor record that is the Safeguarder's own: the library makes it with a given id.
    own = Mentor._create(Mentor.Recruited, id=s.id, name="Alex Morgan", actor="coordinator",
                         occurred_on=at(1))
    own.record_training(cmd(RecordMentorTraining, own, by="coordinator", at=at(2)))
    own.accredit(cmd(AccreditMentor, own, by="coordinator", at=at(3)))
    assert_refused(s, lambda: assign(s, own, at(40)), "does not mentor themselves")


def test_a_mentoring_session_needs_an_assigned_mentor() -> None:
    s = allocated()
    assert_refused(s, lambda: mentoring_session(s, at(30), notes=""), "needs an assigned mentor")


# --- the electronic file ------------------------------------------------------------------


def feedback(s: Safeguarder, source: FeedbackSource | str, tone: Tone | str,
             summary: str) -> RecordFeedback:
    return cmd(RecordFeedback, s, source=source, tone=tone, summary=summary, by=MANAGER,
               at=at(30))


def test_feedback_names_its_source_and_tone() -> None:
    s = allocated()
    assert_input_refused(lambda: feedback(s, "neighbour", Tone.POSITIVE, "kind"), "source",
                         "is not one of child or young person, family, professional")
    assert_input_refused(lambda: feedback(s, FeedbackSource.FAMILY, "meh", "kind"), "tone",
                         "is not one of positive, mixed, negative")
    assert_refused(s, lambda: s.record_feedback(feedback(s, FeedbackSource.FAMILY,
                                                         Tone.NOT_RECORDED, "kind")),
                   "records its tone")
    s.record_feedback(feedback(s, FeedbackSource.CHILD_OR_YOUNG_PERSON, Tone.POSITIVE,
                               "listened to me"))
    assert s.feedback[0]["source"] == "child or young person"


def raise_concern(s: Safeguarder, concern_id: str, about: str, summary: str,
                  when: datetime) -> None:
    s.raise_concern(cmd(RaiseSafeguarderConcern, s, concern_id=concern_id, about=about,
                        summary=summary, by=MANAGER, at=when))


def resolve_concern(s: Safeguarder, concern_id: str, resolution: str, when: datetime) -> None:
    s.resolve_concern(cmd(ResolveSafeguarderConcern, s, concern_id=concern_id,
                          resolution=resolution, by=MANAGER, at=when))


def test_a_concern_is_about_work_actions_or_behaviour_and_is_resolved_once() -> None:
    s = allocated()
    assert_input_refused(lambda: cmd(RaiseSafeguarderConcern, s, concern_id="c1",
                                     about="spelling", summary="x", at=at(30)),
                         "about", "is not one of work, actions, behaviour")
    raise_concern(s, "c1", "work", "report late", at(30))
    assert_refused(s, lambda: resolve_concern(s, "c2", "ok", at(31)),
                   "refer to a recorded concern")
    resolve_concern(s, "c1", "agreed plan", at(31))
    assert_refused(s, lambda: resolve_concern(s, "c1", "again", at(32)), "resolved only once")


def test_psmf_evidence_names_a_practice_standard() -> None:
    s = allocated()
    assert_refused(s, lambda: s.record_performance_evidence(cmd(
        RecordPerformanceEvidence, s, standard="", evidence="good", by=MANAGER, at=at(30))),
        "practice standard")


# --- re-appointment -----------------------------------------------------------------------


def test_the_review_opens_at_the_lead_time_before_the_term_ends() -> None:
    s = allocated()
    assert_refused(s, lambda: open_review(s, on(date(2028, 7, 31))), "policy lead time")
    open_review(s, on(date(2028, 8, 1)))
    assert s.status == Status.IN_REVIEW


def test_reappointment_is_refused_while_an_annual_requirement_is_unmet() -> None:
    s = in_review(meet_all=False)
    refusal = assert_refused(s, lambda: recommend(s, True, "good practice", on(date(2028, 8, 2))),
                             "annual requirement is unmet")
    assert "unmet (year 2), unless" in refusal.rule
    recommend(s, True, "good practice", on(date(2028, 8, 2)),
              exception_reason="long illness in year 2")
    assert s.recommendation["unmet_years"] == [2]


def test_a_refused_recommendation_names_each_unmet_year_once() -> None:
    """Nothing met in a whole term: the refusal lists years 1, 2 and 3, each once (a process
    that kept its own list once said "years [1, 2, 3, 1, 2, 3]")."""
    s = allocated()
    open_review(s)
    when = on(date(2029, 2, 1))  # the term ends: all three of its years have ended
    refusal = assert_refused(s, lambda: recommend(s, True, "good practice", when),
                             "annual requirement is unmet")
    assert refusal.rule == ("A recommendation to re-appoint is refused while an annual "
                            "requirement is unmet (years 1, 2 and 3), unless an exception "
                            "reason is given")
    assert years_in_words([3, 1, 2, 1]) == "years 1, 2 and 3"


def test_a_recommendation_carries_a_rationale_and_comes_from_the_support_manager() -> None:
    s = in_review()
    assert_refused(s, lambda: recommend(s, True, " ", on(date(2028, 8, 2))),
                   "carries a rationale")
    assert_refused(s, lambda: recommend(s, True, "ok", on(date(2028, 8, 2)), by="someone"),
                   "allocated support manager")


def test_ministers_decide_after_the_recommendation_and_reappointment_starts_a_new_term() -> None:
    s = in_review()
    assert_refused(s, lambda: ministers_decide(s, True, on(date(2028, 9, 1))),
                   "after the support manager's recommendation")
    recommend(s, True, "meets the standards", on(date(2028, 8, 2)))
    ministers_decide(s, True, on(date(2028, 12, 1)))
    assert s.status == Status.APPOINTED
    assert s.current_term["number"] == 2
    assert s.current_term["starts_on"] == date(2029, 2, 1)
    assert s.year_of(date(2029, 3, 1)) == 4


def test_ministers_not_reappointing_ends_the_appointment() -> None:
    s = in_review()
    recommend(s, False, "standards not met", on(date(2028, 8, 2)))
    ministers_decide(s, False, on(date(2028, 12, 1)))
    assert s.status == Status.ENDED
    assert_refused(s, lambda: support_session(s, "late", on(date(2028, 12, 2))),
                   "takes no further changes")


def test_a_shortfall_is_recorded_only_for_an_ended_unmet_year() -> None:
    s = allocated()
    meet_requirement(s, 1)
    assert_refused(s, lambda: shortfall(s, 1, on(date(2027, 2, 2))), "not met")
    assert_refused(s, lambda: shortfall(s, 2, on(date(2027, 6, 1))), "that has ended")
    shortfall(s, 2, on(date(2028, 2, 1)))
    assert s.shortfalls == [2]
    assert_refused(s, lambda: shortfall(s, 2, on(date(2028, 2, 2))), "recorded once")


def test_the_last_year_of_a_term_can_fall_short_after_ministers_reappoint() -> None:
    s = allocated()
    meet_requirement(s, 1)
    meet_requirement(s, 2)  # year 3 (Feb 2028 to Feb 2029) has no support session
    open_review(s, on(date(2028, 8, 1)))
    recommend(s, True, "meets the standards", on(date(2028, 8, 2)))
    ministers_decide(s, True, on(date(2028, 12, 1)))
    shortfall(s, 3, on(date(2029, 2, 1)))
    assert s.shortfalls == [3]


def test_a_shortfall_is_withdrawn_when_facts_entered_late_meet_the_year_and_both_are_kept(
    memory_app: Assured,
) -> None:
    s = allocated()
    meet_requirement(s, 1)
    shortfall(s, 2, on(date(2028, 2, 1)))  # year 2 (Feb 2027 to Feb 2028) looked unmet
    memory_app.record(s)
    recorded_first = len(memory_app.stored_events(s.id))

    def withdraw(year: int, entered_late: str = "session y2 and two reports, entered late",
                 *, on_record: Safeguarder | None = None) -> None:
        memory_app.withdraw_annual_shortfall(cmd(WithdrawAnnualShortfall, s, year=year,
                                                 entered_late=entered_late, by="workflow",
                                                 at=on(date(2028, 3, 1))), on=on_record)

    current = memory_app.load(s.id, Safeguarder)
    assert_refused(current, lambda: withdraw(2, on_record=current),
                   "only once the year's requirement is met")
    assert_refused(current, lambda: withdraw(1, on_record=current),
                   "Only a recorded shortfall is withdrawn")

    # The year's session and reports are entered now, dated within year 2.
    held = on(date(2027, 5, 1))
    memory_app.record_support_session(cmd(RecordSupportSession, s, session_id="y2",
                                          by=MANAGER, at=held))
    for n in (1, 2):
        memory_app.record_sampled_report(cmd(RecordSampledReport, s, report_ref=f"r-2-{n}",
                                             session_id="y2", by=MANAGER, at=held))
    current = memory_app.load(s.id, Safeguarder)
    assert_refused(current, lambda: withdraw(2, entered_late=" ", on_record=current),
                   "names the late entries")
    withdraw(2)

    withdrawn = memory_app.load(s.id, Safeguarder)
    assert withdrawn.shortfalls == [] and withdrawn.requirement_met(2)
    stored = [type(e).__name__ for e in memory_app.stored_events(s.id)]
    assert len(stored) == recorded_first + 4, "three late entries and the withdrawal, no more"
    assert "AnnualShortfallRecorded" in stored
    assert stored[-1] == "AnnualShortfallWithdrawn"
    (recorded,) = [e for e in memory_app.stored_events(s.id)
                   if type(e).__name__ == "AnnualShortfallRecorded"]
    assert recorded.year == 2 and recorded.met is False
    assert memory_app.stored_events(s.id)[-1].entered_late.startswith("session y2")


@pytest.mark.parametrize("year, expected", [(1, date(2026, 2, 1)), (3, date(2028, 2, 1))])
def test_appointment_years_count_from_the_first_appointment(year: int, expected: date) -> None:
    s = appointed()
    assert s.year_of(expected) == year
    assert s.year_of(expected - timedelta(days=1)) == year - 1 or year == 1
