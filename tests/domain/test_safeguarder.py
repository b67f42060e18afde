"""The Safeguarder's record from application to the end of the appointment (seed 000)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from domain.panel import GroupSession, Mentor, PanelRegion, Region
from domain.policy import DEFAULT_POLICY
from domain.safeguarder import Safeguarder
from domain.safeguarder_values import FeedbackSource, Status, Tone
from tests.refusals import START, assert_refused, at

LEAD = "team-lead"
MANAGER = "sm-east-1"
TERM_START = date(2026, 2, 1)


def on(day: date) -> object:
    """An instant on `day`, at the scenarios' time of day."""
    return START.replace(year=day.year, month=day.month, day=day.day)


def applicant() -> Safeguarder:
    return Safeguarder.apply_to_panel(
        name="Alex Morgan", contact={"email": "alex@example.org"}, region=Region.EAST,
        by=LEAD, at=at(0),
    )


def appointed(term_starts_on: date = TERM_START) -> Safeguarder:
    s = applicant()
    s.record_interview(True, "strong", by=LEAD, at=at(1))
    s.record_assessment(True, "ready", by=LEAD, at=at(2))
    s.appoint(term_starts_on, by="ministers", at=at(3))
    return s


def east(*managers: str) -> PanelRegion:
    region = PanelRegion.establish(Region.EAST, by=LEAD, at=at(0))
    for manager in managers:
        region.add_support_manager(manager, by=LEAD, at=at(0))
    return region


def allocated() -> Safeguarder:
    s = appointed()
    s.allocate(east(MANAGER), MANAGER, "prefers reflective discussion", by=LEAD, at=at(4))
    return s


def meet_requirement(s: Safeguarder, year: int) -> None:
    starts = date(TERM_START.year + year - 1, TERM_START.month, TERM_START.day)
    held = on(starts + timedelta(days=60))
    s.record_support_session(f"y{year}", "reflection", by=MANAGER, at=held)
    for n in (1, 2):
        s.record_sampled_report(f"report-{year}-{n}", f"y{year}", "discussed", by=MANAGER, at=held)


def in_review(meet_all: bool = True) -> Safeguarder:
    s = allocated()
    for year in (1, 2, 3) if meet_all else (1, 3):
        meet_requirement(s, year)
    s.open_reappointment_review(by=LEAD, at=on(date(2028, 8, 1)))
    return s


# --- lifecycle ---------------------------------------------------------------------------


def test_an_applicant_is_interviewed_assessed_and_appointed_for_a_three_year_term() -> None:
    s = appointed()
    assert s.status == Status.APPOINTED
    assert s.current_term == {"number": 1, "starts_on": TERM_START, "ends_on": date(2029, 2, 1),
                              "review_opens_on": date(2028, 8, 1)}


def test_term_length_is_a_policy_setting() -> None:
    s = applicant()
    s.record_interview(True, "", by=LEAD, at=at(1))
    s.record_assessment(True, "", by=LEAD, at=at(2))
    s.appoint(TERM_START, by="ministers", at=at(3),
              policy=DEFAULT_POLICY.with_overrides(safeguarder_term=4))
    assert s.current_term["ends_on"] == date(2030, 2, 1)


def test_cannot_be_appointed_without_passing_interview_and_assessment() -> None:
    s = applicant()
    assert_refused(s, lambda: s.appoint(TERM_START, by="m", at=at(3)), "without passing both")
    s.record_interview(True, "", by=LEAD, at=at(1))
    assert_refused(s, lambda: s.appoint(TERM_START, by="m", at=at(3)), "without passing both")


def test_a_failed_assessment_closes_the_application() -> None:
    s = applicant()
    s.record_interview(True, "", by=LEAD, at=at(1))
    s.record_assessment(False, "not yet", by=LEAD, at=at(2))
    assert s.status == Status.NOT_APPOINTED
    assert_refused(s, lambda: s.appoint(TERM_START, by="m", at=at(3)), "takes no further changes")


def test_assessment_follows_a_passed_interview() -> None:
    s = applicant()
    assert_refused(s, lambda: s.record_assessment(True, "", by=LEAD, at=at(1)),
                   "follows a passed interview")


def test_resignation_and_removal_need_a_reason_and_close_the_record() -> None:
    s = allocated()
    assert_refused(s, lambda: s.resign(" ", by="alex", at=at(10)), "resignation records its reason")
    assert_refused(s, lambda: s.remove("", by=LEAD, at=at(10)), "removal records its reason")
    s.resign("moving abroad", by="alex", at=at(10))
    assert s.status == Status.RESIGNED
    assert_refused(s, lambda: s.remove("late", by=LEAD, at=at(11)), "takes no further changes")


def test_a_fact_cannot_be_dated_before_the_record_was_opened() -> None:
    s = applicant()
    assert_refused(s, lambda: s.record_interview(True, "", by=LEAD, at=at(-1)),
                   "cannot be dated before")


def test_times_must_carry_a_time_zone() -> None:
    s = applicant()
    naive = at(1).replace(tzinfo=None)
    assert_refused(s, lambda: s.record_interview(True, "", by=LEAD, at=naive), "time zone")


# --- region and allocation -----------------------------------------------------------------


def test_a_region_has_at_most_two_support_managers() -> None:
    region = east("sm-1", "sm-2")
    assert_refused(region, lambda: region.add_support_manager("sm-3", by=LEAD, at=at(1)),
                   "at most two support managers")


def test_allocation_is_to_a_support_manager_of_the_safeguarders_region() -> None:
    s = appointed()
    region = east(MANAGER)
    assert_refused(s, lambda: s.allocate(region, "sm-west", "", by=LEAD, at=at(4)),
                   "support manager of their region")
    north = PanelRegion.establish(Region.NORTH, by=LEAD, at=at(0))
    north.add_support_manager("sm-north", by=LEAD, at=at(0))
    assert_refused(s, lambda: s.allocate(north, "sm-north", "", by=LEAD, at=at(4)),
                   "within their own region")


def test_allocation_records_its_reason_and_reallocation_needs_one() -> None:
    s = appointed()
    region = east(MANAGER, "sm-east-2")
    s.allocate(region, MANAGER, "learning style: visual", by=LEAD, at=at(4))
    assert s.allocations[0]["reason"] == "learning style: visual"
    assert_refused(s, lambda: s.allocate(region, "sm-east-2", "  ", by=LEAD, at=at(5)),
                   "reallocation needs a reason")
    s.allocate(region, "sm-east-2", "caseload balance", by=LEAD, at=at(5))
    assert s.support_manager == "sm-east-2"


def test_only_an_appointed_safeguarder_is_allocated() -> None:
    s = applicant()
    assert_refused(s, lambda: s.allocate(east(MANAGER), MANAGER, "", by=LEAD, at=at(4)),
                   "only an appointed safeguarder")


# --- the appointment year ----------------------------------------------------------------


def test_a_year_with_one_session_and_two_sampled_reports_meets_the_requirement() -> None:
    s = allocated()
    meet_requirement(s, 1)
    assert s.requirement(1) == {"year": 1, "sessions": 1, "sampled_reports": 2, "met": True}
    assert not s.requirement_met(2)


def test_one_sampled_report_is_not_enough() -> None:
    s = allocated()
    s.record_support_session("s1", "", by=MANAGER, at=on(date(2026, 5, 1)))
    s.record_sampled_report("r1", "s1", "", by=MANAGER, at=on(date(2026, 5, 1)))
    assert not s.requirement_met(1)
    assert s.unmet_years(date(2027, 2, 1)) == [1]


def test_a_sampled_report_is_linked_to_a_recorded_session() -> None:
    s = allocated()
    assert_refused(s, lambda: s.record_sampled_report("r1", "nope", "", by=MANAGER, at=at(30)),
                   "linked to a recorded support session")


def test_a_report_is_sampled_once_a_year() -> None:
    s = allocated()
    s.record_support_session("s1", "", by=MANAGER, at=at(30))
    s.record_sampled_report("r1", "s1", "", by=MANAGER, at=at(30))
    assert_refused(s, lambda: s.record_sampled_report("r1", "s1", "", by=MANAGER, at=at(31)),
                   "sampled once")


def test_a_group_session_holds_at_most_four_safeguarders() -> None:
    session = GroupSession.plan(session_ref="east-spring", facilitator=MANAGER,
                                held_on=date(2026, 4, 1), by=MANAGER, at=at(10))
    for _ in range(4):
        other = allocated()
        other.attend_group_session(session, by=MANAGER, at=at(90))
    fifth = allocated()
    assert_refused(session, lambda: fifth.attend_group_session(session, by=MANAGER, at=at(90)),
                   "at most four")
    assert fifth.group_sessions == [] and fifth.pending_events[-1].originator_version == 5


def test_only_an_accredited_mentor_is_assigned_in_the_first_year() -> None:
    s = allocated()
    mentor = Mentor.recruit(name="Sam", by="coordinator", at=at(1))
    assert_refused(s, lambda: s.assign_mentor(mentor, by="coordinator", at=at(20)),
                   "only an accredited mentor")
    assert_refused(mentor, lambda: mentor.accredit(by="coordinator", at=at(2)),
                   "only after training")
    mentor.record_training(by="coordinator", at=at(2))
    mentor.accredit(by="coordinator", at=at(3))
    assert_refused(s, lambda: s.assign_mentor(mentor, by="c", at=on(date(2027, 3, 1))),
                   "first appointment year")
    s.assign_mentor(mentor, by="coordinator", at=at(40))
    s.record_mentoring_session("settling in", by="Sam", at=at(50))
    assert s.mentoring_sessions[0]["year"] == 1


def test_a_mentoring_session_needs_an_assigned_mentor() -> None:
    s = allocated()
    assert_refused(s, lambda: s.record_mentoring_session("", by="x", at=at(30)),
                   "needs an assigned mentor")


# --- the electronic file ------------------------------------------------------------------


def test_feedback_names_its_source_and_tone() -> None:
    s = allocated()
    assert_refused(s, lambda: s.record_feedback("neighbour", Tone.POSITIVE, "kind", by="x",
                                                at=at(30)), "names its source")
    assert_refused(s, lambda: s.record_feedback(FeedbackSource.FAMILY, "meh", "kind", by="x",
                                                at=at(30)), "records its tone")
    s.record_feedback(FeedbackSource.CHILD_OR_YOUNG_PERSON, Tone.POSITIVE, "listened to me",
                      by=MANAGER, at=at(30))
    assert s.feedback[0]["source"] == "child or young person"


def test_a_concern_is_about_work_actions_or_behaviour_and_is_resolved_once() -> None:
    s = allocated()
    assert_refused(s, lambda: s.raise_concern("c1", "spelling", "x", by=MANAGER, at=at(30)),
                   "work, actions or behaviour")
    s.raise_concern("c1", "work", "report late", by=MANAGER, at=at(30))
    assert_refused(s, lambda: s.resolve_concern("c2", "ok", by=MANAGER, at=at(31)),
                   "refer to a recorded concern")
    s.resolve_concern("c1", "agreed plan", by=MANAGER, at=at(31))
    assert_refused(s, lambda: s.resolve_concern("c1", "again", by=MANAGER, at=at(32)),
                   "resolved once")


def test_psmf_evidence_names_a_practice_standard() -> None:
    s = allocated()
    assert_refused(s, lambda: s.record_performance_evidence("", "good", by=MANAGER, at=at(30)),
                   "practice standard")


# --- re-appointment -----------------------------------------------------------------------


def test_the_review_opens_at_the_lead_time_before_the_term_ends() -> None:
    s = allocated()
    assert_refused(s, lambda: s.open_reappointment_review(by=LEAD, at=on(date(2028, 7, 31))),
                   "policy lead time")
    s.open_reappointment_review(by=LEAD, at=on(date(2028, 8, 1)))
    assert s.status == Status.IN_REVIEW


def test_reappointment_is_refused_while_an_annual_requirement_is_unmet() -> None:
    s = in_review(meet_all=False)
    refusal = assert_refused(
        s, lambda: s.recommend(True, "good practice", by=MANAGER, at=on(date(2028, 8, 2))),
        "annual requirement is unmet")
    assert "[2]" in refusal.rule
    s.recommend(True, "good practice", exception_reason="long illness in year 2", by=MANAGER,
                at=on(date(2028, 8, 2)))
    assert s.recommendation["unmet_years"] == [2]


def test_a_recommendation_carries_a_rationale_and_comes_from_the_support_manager() -> None:
    s = in_review()
    assert_refused(s, lambda: s.recommend(True, " ", by=MANAGER, at=on(date(2028, 8, 2))),
                   "carries a rationale")
    assert_refused(s, lambda: s.recommend(True, "ok", by="someone", at=on(date(2028, 8, 2))),
                   "allocated support manager")


def test_ministers_decide_after_the_recommendation_and_reappointment_starts_a_new_term() -> None:
    s = in_review()
    assert_refused(s, lambda: s.record_ministers_decision(True, by="ministers",
                                                          at=on(date(2028, 9, 1))),
                   "after the support manager's recommendation")
    s.recommend(True, "meets the standards", by=MANAGER, at=on(date(2028, 8, 2)))
    s.record_ministers_decision(True, by="ministers", at=on(date(2028, 12, 1)))
    assert s.status == Status.APPOINTED
    assert s.current_term["number"] == 2
    assert s.current_term["starts_on"] == date(2029, 2, 1)
    assert s.year_of(date(2029, 3, 1)) == 4


def test_ministers_not_reappointing_ends_the_appointment() -> None:
    s = in_review()
    s.recommend(False, "standards not met", by=MANAGER, at=on(date(2028, 8, 2)))
    s.record_ministers_decision(False, by="ministers", at=on(date(2028, 12, 1)))
    assert s.status == Status.ENDED
    assert_refused(s, lambda: s.record_support_session("late", "", by=MANAGER,
                                                       at=on(date(2028, 12, 2))),
                   "takes no further changes")


def test_a_shortfall_is_recorded_only_for_an_ended_unmet_year() -> None:
    s = allocated()
    meet_requirement(s, 1)
    assert_refused(s, lambda: s.record_annual_shortfall(1, by="w", at=on(date(2027, 2, 2))),
                   "not met")
    assert_refused(s, lambda: s.record_annual_shortfall(2, by="w", at=on(date(2027, 6, 1))),
                   "that has ended")
    s.record_annual_shortfall(2, by="workflow", at=on(date(2028, 2, 1)))
    assert s.shortfalls == [2]
    assert_refused(s, lambda: s.record_annual_shortfall(2, by="w", at=on(date(2028, 2, 2))),
                   "recorded once")


def test_the_last_year_of_a_term_can_fall_short_after_ministers_reappoint() -> None:
    s = allocated()
    meet_requirement(s, 1)
    meet_requirement(s, 2)  # year 3 (Feb 2028 to Feb 2029) has no support session
    s.open_reappointment_review(by=LEAD, at=on(date(2028, 8, 1)))
    s.recommend(True, "meets the standards", by=MANAGER, at=on(date(2028, 8, 2)))
    s.record_ministers_decision(True, by="ministers", at=on(date(2028, 12, 1)))
    s.record_annual_shortfall(3, by="workflow", at=on(date(2029, 2, 1)))
    assert s.shortfalls == [3]


@pytest.mark.parametrize("year, expected", [(1, date(2026, 2, 1)), (3, date(2028, 2, 1))])
def test_appointment_years_count_from_the_first_appointment(year: int, expected: date) -> None:
    s = appointed()
    assert s.year_of(expected) == year
    assert s.year_of(expected - timedelta(days=1)) == year - 1 or year == 1
