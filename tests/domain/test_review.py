"""Scenarios of the practice Review (Working Together 2018, chapter 4; seed 004).

The scenarios start on Monday 5 January 2026 (`tests.refusals.at(0)`). A serious incident the
partnership became aware of that day must be notified to the Panel by Monday 12 January (five
working days) and have its rapid review completed by Monday 26 January (fifteen working days).
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

import pytest

from domain.application import Assured
from domain.calendar import Nation
from domain.errors import RuleBroken
from domain.policy import DEFAULT_POLICY, Policy
from domain.record import natural_id
from domain.review import Review
from domain.review_commands import (
    AddRecommendation,
    AssessRecommendationImpact,
    CloseReview,
    CompleteRapidReview,
    CompleteRecommendation,
    DecideLcspr,
    NotifyPanel,
    ReceiveAgencyInformation,
    RecordBreach,
    RecordPanelResponse,
    Refer,
    RequestAgencyInformation,
    UpdateRecommendation,
    WithdrawBreach,
)
from domain.review_values import BreachVia, ReferralCategory, ReviewStatus, ReviewType, Step
from tests.commands import Commands
from tests.refusals import assert_input_refused, assert_refused, at

AWARE = date(2026, 1, 5)
NOTIFY_DUE = date(2026, 1, 12)
RAPID_DUE = date(2026, 1, 26)
LEAD = "practice.review.chair@example.org"

cmd = Commands(by=LEAD)


def referral(**changes: Any) -> Refer:
    """A serious incident referred on the day the partnership became aware of it."""
    details: dict[str, Any] = {
        "reference": "PR-2026-001", "referrer": "Duty social worker",
        "category": ReferralCategory.SERIOUS_INCIDENT, "summary": "Child C-1042 seriously harmed",
        "nation": Nation.ENG, "review_type": ReviewType.RAPID_REVIEW,
        "became_aware_on": AWARE, "by": LEAD, "at": at(0),
    }
    details.update(changes)
    return Refer(**details)


def serious_incident(policy: Policy = DEFAULT_POLICY, **changes: Any) -> Review:
    return Review.refer(referral(**changes), policy=policy)


PRACTICE_CONCERN: dict[str, Any] = {
    "category": ReferralCategory.PRACTICE_CONCERN, "review_type": ReviewType.LCSPR,
    "became_aware_on": None, "reference": "PR-2026-002",
}


def practice_concern(**changes: Any) -> Review:
    return serious_incident(**(PRACTICE_CONCERN | changes))


def completion(review: Review, days: float = 10, **changes: Any) -> CompleteRapidReview:
    details: dict[str, Any] = {
        "findings": "Information held by health was not shared", "learning": ["Share early"],
        "recommend_lcspr": True, "rationale": "Multi-agency learning is likely", "at": at(days),
    }
    details.update(changes)
    return cmd(CompleteRapidReview, review, **details)


def completed(review: Review | None = None, days: float = 10, **changes: Any) -> Review:
    """A serious incident whose rapid review was completed in time, recommending an LCSPR."""
    review = review or serious_incident()
    review.complete_rapid_review(completion(review, days, **changes))
    return review


def add_recommendation(review: Review, rid: str, text: str, owner: str, due_on: date,
                       when: float) -> None:
    review.add_recommendation(cmd(AddRecommendation, review, recommendation_id=rid, text=text,
                                  owner_agency=owner, due_on=due_on, at=at(when)))


def with_recommendation(review: Review | None = None, rid: str = "R1") -> Review:
    review = review or practice_concern()
    add_recommendation(review, rid, "Agree a health information-sharing protocol", "ICB",
                       date(2026, 3, 31), 1)
    return review


def notify(review: Review, days: float, late_reason: str | None = None) -> None:
    review.notify_panel(cmd(NotifyPanel, review, late_reason=late_reason, at=at(days)))


def breach(review: Review, step: Step | str, reason: str, days: float,
           by: str = "workflow") -> None:
    review.record_breach(cmd(RecordBreach, review, step=step, reason=reason, by=by,
                             at=at(days)))


def request(review: Review, rid: str, agency: str, due_on: date, days: float) -> None:
    review.request_agency_information(cmd(RequestAgencyInformation, review, request_id=rid,
                                          agency=agency, due_on=due_on, at=at(days)))


def receive(review: Review, rid: str, days: float) -> None:
    review.receive_agency_information(cmd(ReceiveAgencyInformation, review, request_id=rid,
                                          at=at(days)))


def respond(review: Review, response: str, days: float) -> None:
    review.record_panel_response(cmd(RecordPanelResponse, review, response=response,
                                     at=at(days)))


def update(review: Review, rid: str, progress: str, days: float) -> None:
    review.update_recommendation(cmd(UpdateRecommendation, review, recommendation_id=rid,
                                     progress=progress, at=at(days)))


def assess(review: Review, rid: str, impact: str, days: float) -> None:
    review.assess_recommendation_impact(cmd(AssessRecommendationImpact, review,
                                            recommendation_id=rid, impact=impact, at=at(days)))


def complete(review: Review, rid: str, days: float) -> None:
    review.complete_recommendation(cmd(CompleteRecommendation, review, recommendation_id=rid,
                                       at=at(days)))


def close(review: Review, days: float, carried_over: dict[str, str] | None = None) -> None:
    review.close(cmd(CloseReview, review, carried_over=carried_over or {}, at=at(days)))


def event_names(review: Review) -> list[str]:
    return [type(e).__name__ for e in review.collect_events()]


def assert_referral_refused(rule: str, **changes: Any) -> None:
    with pytest.raises(RuleBroken) as refused:
        serious_incident(**changes)
    assert rule.lower() in refused.value.rule.lower(), refused.value.rule


# -- referral and the serious incident's clocks ---------------------------------------------------


def test_serious_incident_referral_stores_its_clocks_on_the_event() -> None:
    review = serious_incident()
    (referred,) = review.collect_events()
    assert isinstance(referred, Review.Referred)
    assert referred.panel_notification_due == NOTIFY_DUE
    assert referred.rapid_review_due == RAPID_DUE
    assert review.status == ReviewStatus.REFERRED


def test_clocks_count_the_working_days_of_the_nation() -> None:
    # 1 January is a bank holiday everywhere, 2 January only in Scotland.
    england = serious_incident(became_aware_on=date(2025, 12, 31))
    scotland = serious_incident(became_aware_on=date(2025, 12, 31), nation=Nation.SCT)
    assert england.panel_notification_due == date(2026, 1, 8)
    assert scotland.panel_notification_due == date(2026, 1, 9)


def test_clocks_follow_the_policy_in_force() -> None:
    policy = DEFAULT_POLICY.with_overrides(panel_notification=3, rapid_review=10)
    review = serious_incident(policy=policy)
    assert review.panel_notification_due == date(2026, 1, 8)
    assert review.rapid_review_due == date(2026, 1, 19)


def test_referrals_may_come_from_anyone_for_any_kind_of_review() -> None:
    review = practice_concern(
        referrer="A grandparent", category=ReferralCategory.GOOD_PRACTICE,
        review_type=ReviewType.GOOD_OUTCOME,
    )
    assert review.referrer == "A grandparent"
    assert review.panel_notification_due is None and review.rapid_review_due is None


def test_the_review_id_comes_from_its_reference() -> None:
    assert serious_incident().id == natural_id("review", "PR-2026-001")


def test_serious_incident_must_be_handled_by_a_rapid_review() -> None:
    assert_referral_refused("must be handled by a rapid review", review_type=ReviewType.LCSPR)


def test_rapid_review_is_held_only_for_a_serious_incident() -> None:
    assert_referral_refused(
        "only for a serious incident", category=ReferralCategory.PRACTICE_CONCERN
    )


def test_serious_incident_needs_the_date_the_partnership_became_aware() -> None:
    assert_referral_refused("date the partnership became aware", became_aware_on=None)


def test_awareness_cannot_be_dated_after_the_referral() -> None:
    assert_referral_refused("cannot have become aware after", became_aware_on=date(2026, 1, 6))


def test_awareness_is_a_date() -> None:
    assert_input_refused(lambda: referral(became_aware_on=at(0)), "became_aware_on",
                         "is not a date")
    assert_input_refused(lambda: referral(became_aware_on="2026-01-05"), "became_aware_on",
                         "is not a date")


def test_referral_needs_a_summary_a_referrer_and_a_reference() -> None:
    assert_referral_refused("needs a summary", summary=" ")
    assert_referral_refused("names who referred it", referrer="")
    assert_referral_refused("needs a review reference", reference="")


def test_referral_names_known_categories_types_and_nations() -> None:
    assert_input_refused(lambda: referral(category="gossip"), "category",
                         "is not one of serious_incident, practice_concern, good_practice")
    assert_input_refused(lambda: referral(review_type="inquiry"), "review_type",
                         "is not one of rapid_review, lcspr, thematic")
    assert_input_refused(lambda: referral(nation="FR"), "nation", "is not one of ENG, WLS")


def test_referral_time_must_carry_its_time_zone() -> None:
    assert_input_refused(lambda: referral(at=datetime(2026, 1, 5, 9, 0)), "at", "time zone")


# -- notifying the Panel and breaches -------------------------------------------------------------


def test_panel_notified_in_time_records_no_breach() -> None:
    review = serious_incident()
    notify(review, 7)  # Monday 12 January, the last day
    assert event_names(review)[-1] == "PanelNotified"
    assert review.breaches == []


def test_late_panel_notification_needs_a_reason() -> None:
    review = serious_incident()
    assert_refused(review, lambda: notify(review, 8), "needs a reason for the delay")


def test_late_panel_notification_with_a_reason_is_recorded_as_a_breach() -> None:
    review = serious_incident()
    notify(review, 8, late_reason="Chair on leave")
    assert review.breaches == [{
        "step": Step.PANEL_NOTIFICATION, "due": NOTIFY_DUE, "reason": "Chair on leave",
        "recorded_via": "late_step", "recorded_on": date(2026, 1, 13), "done_on": date(2026, 1, 13),
    }]


def test_late_reason_is_refused_for_a_step_done_in_time() -> None:
    review = serious_incident()
    assert_refused(review, lambda: notify(review, 1, late_reason="Busy"),
                   "only for a step done after its deadline")


def test_only_a_serious_incident_is_notified_to_the_panel() -> None:
    review = practice_concern()
    assert_refused(review, lambda: notify(review, 1), "Only a serious incident")


def test_panel_is_notified_only_once() -> None:
    review = serious_incident()
    notify(review, 1)
    assert_refused(review, lambda: notify(review, 2), "only once")


def test_missed_deadline_is_recorded_as_a_breach_and_marked_done_when_the_step_follows() -> None:
    review = serious_incident()
    breach(review, Step.PANEL_NOTIFICATION, "Timer fired", 8)
    assert event_names(review)[-1] == "BreachRecorded"
    notify(review, 9, late_reason="Referral mislaid")
    (recorded,) = review.breaches
    assert recorded["recorded_via"] == "missed_deadline" and recorded["reason"] == "Timer fired"
    assert recorded["recorded_on"] == date(2026, 1, 13) and recorded["done_on"] == date(2026, 1, 14)
    assert review.panel_notification["late_reason"] == "Referral mislaid"


def test_missed_deadline_is_refused_before_the_deadline_has_passed() -> None:
    review = serious_incident()
    assert_refused(review, lambda: breach(review, Step.PANEL_NOTIFICATION, "x", 7, by=LEAD),
                   "only after the deadline has passed")


def test_missed_deadline_is_refused_for_a_step_already_done() -> None:
    review = serious_incident()
    notify(review, 1)
    assert_refused(review, lambda: breach(review, Step.PANEL_NOTIFICATION, "x", 8, by=LEAD),
                   "step already done")


def test_a_breach_is_recorded_only_once_for_each_step() -> None:
    review = serious_incident()
    breach(review, Step.RAPID_REVIEW, "Timer fired", 22, by=LEAD)
    assert_refused(review, lambda: breach(review, Step.RAPID_REVIEW, "again", 23, by=LEAD),
                   "only once for each step")


def test_breach_needs_a_known_step_with_a_deadline_and_a_reason() -> None:
    review = serious_incident()
    assert_input_refused(lambda: cmd(RecordBreach, review, step="lunch", reason="x", at=at(30)),
                         "step", "is not one of panel_notification, rapid_review")
    assert_refused(review, lambda: breach(review, Step.RAPID_REVIEW, " ", 30, by=LEAD),
                   "needs a reason")
    concern = practice_concern()
    assert_refused(concern, lambda: breach(concern, Step.RAPID_REVIEW, "x", 30, by=LEAD),
                   "only for a step with a deadline")


# -- withdrawing a breach --------------------------------------------------------------------------


def withdrawal(review: Review, days: float, step: Step = Step.PANEL_NOTIFICATION,
               entered_late: str = "Notification sent on 12 January, entered on 14 January",
               ) -> WithdrawBreach:
    return cmd(WithdrawBreach, review, step=step, entered_late=entered_late, by="workflow",
               at=at(days))


def test_a_breach_is_withdrawn_once_the_step_is_entered_late_as_done_in_time(
    memory_app: Assured,
) -> None:
    review = memory_app.refer(referral()).record
    memory_app.record_breach(cmd(RecordBreach, review, step=Step.PANEL_NOTIFICATION,
                                 reason="Timer fired", by="workflow", at=at(8)))
    # Entered on day 9, the notification was sent on day 7 (12 January), within its deadline.
    memory_app.notify_panel(cmd(NotifyPanel, review, at=at(7)))
    memory_app.withdraw_breach(withdrawal(review, 9))

    withdrawn = memory_app.load(review.id, Review)
    assert withdrawn.breaches == []
    kept = withdrawn.breached_steps[Step.PANEL_NOTIFICATION]
    assert kept["reason"] == "Timer fired" and kept["recorded_via"] == BreachVia.MISSED_DEADLINE
    assert kept["withdrawn_on"] == date(2026, 1, 14)
    assert kept["entered_late"].startswith("Notification sent on 12 January")
    stored = [type(e).__name__ for e in memory_app.stored_events(review.id)]
    assert stored == ["Referred", "BreachRecorded", "PanelNotified", "BreachWithdrawn"]


def late_notification_entered(days: float = 7) -> Review:
    """A missed Panel notification recorded on day 8, then the notification entered late."""
    review = serious_incident()
    breach(review, Step.PANEL_NOTIFICATION, "Timer fired", 8)
    notify(review, days, late_reason="Entered late" if days > 7 else None)
    return review


def test_only_a_recorded_missed_deadline_is_withdrawn() -> None:
    review = serious_incident()
    assert_refused(review, lambda: review.withdraw_breach(withdrawal(review, 9)),
                   "Only a recorded missed deadline is withdrawn")
    notify(review, 8, late_reason="Chair on leave")  # a breach by a step done late
    assert_refused(review, lambda: review.withdraw_breach(withdrawal(review, 9)),
                   "Only a recorded missed deadline is withdrawn")


def test_a_breach_is_withdrawn_only_when_its_step_was_done_by_its_deadline() -> None:
    review = serious_incident()
    breach(review, Step.PANEL_NOTIFICATION, "Timer fired", 8)
    assert_refused(review, lambda: review.withdraw_breach(withdrawal(review, 9)),
                   "only when its step is recorded as done by its deadline")
    late = late_notification_entered(days=9)
    assert_refused(late, lambda: late.withdraw_breach(withdrawal(late, 10)),
                   "only when its step is recorded as done by its deadline")


def test_a_withdrawn_breach_names_the_late_entry_and_follows_the_breach() -> None:
    review = late_notification_entered()
    assert_refused(review, lambda: review.withdraw_breach(withdrawal(review, 9, entered_late=" ")),
                   "names the late entry")
    assert_refused(review, lambda: review.withdraw_breach(withdrawal(review, 7.5)),
                   "cannot be withdrawn before it was recorded")


def test_a_breach_is_withdrawn_once() -> None:
    review = late_notification_entered()
    review.withdraw_breach(withdrawal(review, 9))
    assert_refused(review, lambda: review.withdraw_breach(withdrawal(review, 10)),
                   "Only a recorded missed deadline is withdrawn")


def test_a_missed_rapid_review_is_withdrawn_like_a_missed_notification() -> None:
    review = serious_incident()
    breach(review, Step.RAPID_REVIEW, "Timer fired", 22)
    completed(review, days=20)  # completed on 23 January, entered after the breach
    review.withdraw_breach(withdrawal(review, 23, step=Step.RAPID_REVIEW,
                                      entered_late="Rapid review minutes filed late"))
    assert review.breaches == []
    assert event_names(review)[-1] == "BreachWithdrawn"


# -- agency information ---------------------------------------------------------------------------


def test_agency_information_is_requested_and_received() -> None:
    review = serious_incident()
    request(review, "Q1", "Police", date(2026, 1, 9), 1)
    assert [r["request_id"] for r in review.outstanding_requests] == ["Q1"]
    assert [r["agency"] for r in review.overdue_requests(date(2026, 1, 10))] == ["Police"]
    receive(review, "Q1", 3)
    assert event_names(review)[-2:] == ["AgencyInformationRequested", "AgencyInformationReceived"]
    assert review.outstanding_requests == []


def test_receipt_must_refer_to_a_recorded_request() -> None:
    review = serious_incident()
    assert_refused(review, lambda: receive(review, "Q9", 1),
                   "must refer to a recorded information request")


def test_requested_information_is_received_only_once() -> None:
    review = serious_incident()
    request(review, "Q1", "Police", date(2026, 1, 9), 1)
    receive(review, "Q1", 2)
    assert_refused(review, lambda: receive(review, "Q1", 3), "received only once")


def test_information_cannot_be_received_before_it_was_requested() -> None:
    review = serious_incident()
    request(review, "Q1", "Police", date(2026, 1, 9), 2)
    assert_refused(review, lambda: receive(review, "Q1", 1), "before it was requested")


@pytest.mark.parametrize(
    ("rid", "agency", "due_on", "rule"),
    [
        ("Q1", "Health", date(2026, 1, 9), "id is used only once"),
        ("", "Health", date(2026, 1, 9), "needs an id"),
        ("Q2", " ", date(2026, 1, 9), "needs its agency"),
        ("Q2", "Health", date(2026, 1, 5), "cannot be due before it was made"),
    ],
)
def test_information_request_needs_a_fresh_id_an_agency_and_a_due_date_ahead(
    rid: str, agency: str, due_on: date, rule: str
) -> None:
    review = serious_incident()
    request(review, "Q1", "Police", date(2026, 1, 9), 1)
    assert_refused(review, lambda: request(review, rid, agency, due_on, 1), rule)


# -- the rapid review -----------------------------------------------------------------------------


def test_rapid_review_records_findings_learning_and_the_lcspr_recommendation() -> None:
    review = completed()
    event = review.collect_events()[-1]
    assert isinstance(event, Review.RapidReviewCompleted)
    assert event.learning == ["Share early"] and event.recommend_lcspr is True
    assert review.status == ReviewStatus.RAPID_REVIEW_COMPLETED
    assert review.breaches == []


def test_rapid_review_cannot_complete_with_information_outstanding() -> None:
    review = serious_incident()
    request(review, "Q1", "Police", date(2026, 1, 9), 1)
    assert_refused(
        review, lambda: completed(review), "while requested agency information is outstanding"
    )


def test_rapid_review_may_complete_with_information_outstanding_given_a_reason() -> None:
    review = serious_incident()
    request(review, "Q1", "Police", date(2026, 1, 9), 1)
    completed(review, outstanding_reason="Police disclosure awaits the trial")
    assert review.rapid_review["outstanding_request_ids"] == ["Q1"]


def test_outstanding_reason_is_refused_when_nothing_is_outstanding() -> None:
    review = serious_incident()
    assert_refused(
        review, lambda: completed(review, outstanding_reason="x"), "only when information is"
    )


def test_late_rapid_review_needs_a_reason_and_is_recorded_as_a_breach() -> None:
    review = serious_incident()
    assert_refused(review, lambda: completed(review, days=22), "needs a reason for the delay")
    completed(review, days=22, late_reason="Agency returns were late")
    (late,) = review.breaches
    assert late["step"] == Step.RAPID_REVIEW and late["due"] == RAPID_DUE
    assert late["recorded_via"] == "late_step"


def test_rapid_review_recommendation_needs_a_rationale_and_findings() -> None:
    review = serious_incident()
    assert_refused(review, lambda: completed(review, rationale=""), "needs its rationale")
    assert_refused(review, lambda: completed(review, findings=" "), "records its findings")


def test_only_a_rapid_review_is_completed_as_one() -> None:
    review = practice_concern()
    assert_refused(review, lambda: completed(review), "Only a rapid review")


def test_rapid_review_is_completed_only_once() -> None:
    review = completed()
    assert_refused(review, lambda: completed(review, days=11), "completed only once")


def test_panel_response_is_recorded_after_the_rapid_review() -> None:
    review = serious_incident()

    def response() -> None:
        respond(review, "Agree LCSPR", 12)

    assert_refused(review, response, "only after the rapid review is completed")
    completed(review)
    response()
    assert review.panel_response["response"] == "Agree LCSPR"
    assert_refused(review, response, "recorded only once")


def test_panel_response_cannot_be_dated_before_the_rapid_review() -> None:
    review = completed(days=10)
    assert_refused(review, lambda: respond(review, "Agree", 9), "before the rapid review it follows")


# -- the LCSPR decision ---------------------------------------------------------------------------


def commission(review: Review, days: float = 12, **changes: Any) -> None:
    details: dict[str, Any] = {
        "commission": True, "rationale": "Panel agrees", "reviewer": "Independent reviewer",
        "scope": "Information sharing, 2025", "at": at(days),
    }
    details.update(changes)
    review.decide_lcspr(cmd(DecideLcspr, review, **details))


def test_commissioned_lcspr_is_due_six_months_after_the_decision_stored_on_the_event() -> None:
    review = completed()
    commission(review)
    event = review.collect_events()[-1]
    assert isinstance(event, Review.LcsprDecided)
    assert event.due_on == date(2026, 7, 17)
    assert review.status == ReviewStatus.LCSPR_COMMISSIONED


def test_the_lcspr_period_follows_the_policy_in_force() -> None:
    review = completed()
    review.decide_lcspr(cmd(DecideLcspr, review, commission=True, rationale="Panel agrees",
                            reviewer="Independent reviewer", scope="Information sharing",
                            at=at(12)),
                        policy=DEFAULT_POLICY.with_overrides(lcspr_completion=3))
    assert review.lcspr_decision["due_on"] == date(2026, 4, 17)


def test_lcspr_due_date_may_be_given() -> None:
    review = completed()
    commission(review, due_on=date(2026, 5, 1))
    assert review.lcspr_decision["due_on"] == date(2026, 5, 1)


def test_lcspr_for_a_rapid_review_is_decided_only_after_its_completion() -> None:
    review = serious_incident()
    assert_refused(review, lambda: commission(review), "only after the rapid review is completed")


def test_commissioned_lcspr_needs_a_reviewer_and_a_scope() -> None:
    review = completed()
    assert_refused(review, lambda: commission(review, reviewer=None), "reviewer and a scope")
    assert_refused(review, lambda: commission(review, scope=" "), "reviewer and a scope")


def test_lcspr_decision_needs_a_rationale_and_a_due_date_ahead() -> None:
    review = completed()
    assert_refused(review, lambda: commission(review, rationale=""), "needs its rationale")
    assert_refused(
        review, lambda: commission(review, due_on=date(2026, 1, 1)), "due before it was"
    )


def test_declining_an_lcspr_names_no_reviewer() -> None:
    review = practice_concern()
    assert_refused(
        review, lambda: commission(review, commission=False), "names no reviewer, scope"
    )
    review.decide_lcspr(cmd(DecideLcspr, review, commission=False,
                            rationale="Single-agency learning suffices", at=at(2)))
    assert review.status == ReviewStatus.LCSPR_NOT_COMMISSIONED
    assert review.lcspr_decision["due_on"] is None


def test_lcspr_is_decided_only_once() -> None:
    review = completed()
    commission(review)
    assert_refused(review, lambda: commission(review, days=13), "decided only once")


# -- recommendations and closure ------------------------------------------------------------------


def test_recommendation_is_followed_up_to_completion_and_impact() -> None:
    review = with_recommendation()
    update(review, "R1", "Draft protocol agreed", 20)
    complete(review, "R1", 60)
    assess(review, "R1", "Referrals now shared in a day", 90)
    assert event_names(review)[-4:] == [
        "RecommendationAdded", "RecommendationUpdated", "RecommendationCompleted",
        "RecommendationImpactAssessed",
    ]
    assert review.open_recommendations == []
    assert review.recommendations["R1"]["owner_agency"] == "ICB"


def test_recommendation_commands_must_refer_to_a_recorded_recommendation() -> None:
    review = with_recommendation()
    for command in (
        lambda: update(review, "R9", "x", 2),
        lambda: assess(review, "R9", "x", 2),
        lambda: complete(review, "R9", 2),
    ):
        assert_refused(review, command, "must refer to a recorded recommendation")


def test_recommendation_cannot_be_acted_on_before_it_was_made() -> None:
    review = practice_concern()
    add_recommendation(review, "R1", "Protocol", "ICB", date(2026, 3, 31), 5)
    assert_refused(review, lambda: update(review, "R1", "x", 4), "before it was made")


@pytest.mark.parametrize(
    ("rid", "text", "owner", "due_on", "rule"),
    [
        ("R1", "Another", "Police", date(2026, 3, 31), "id is used only once"),
        ("R2", " ", "Police", date(2026, 3, 31), "needs its text"),
        ("R2", "Another", "", date(2026, 3, 31), "needs its owner agency"),
        ("R2", "Another", "Police", date(2026, 1, 5), "cannot be due before it was made"),
    ],
)
def test_recommendation_needs_a_fresh_id_text_owner_agency_and_a_due_date_ahead(
    rid: str, text: str, owner: str, due_on: date, rule: str
) -> None:
    review = with_recommendation()
    assert_refused(review, lambda: add_recommendation(review, rid, text, owner, due_on, 2), rule)


def test_completed_recommendation_takes_no_updates_and_completes_once() -> None:
    review = with_recommendation()
    complete(review, "R1", 2)
    assert_refused(review, lambda: update(review, "R1", "x", 3), "takes no progress updates")
    assert_refused(review, lambda: complete(review, "R1", 3), "only once")


def test_progress_and_impact_need_their_content() -> None:
    review = with_recommendation()
    assert_refused(review, lambda: update(review, "R1", " ", 2), "content")
    assert_refused(review, lambda: assess(review, "R1", "", 2), "content")


def test_overdue_recommendations_are_open_ones_past_their_due_date() -> None:
    review = with_recommendation()
    assert review.overdue_recommendations(date(2026, 3, 31)) == []
    (overdue,) = review.overdue_recommendations(date(2026, 4, 1))
    assert overdue["recommendation_id"] == "R1"


def test_review_cannot_close_with_open_recommendations() -> None:
    review = with_recommendation()
    assert_refused(review, lambda: close(review, 5), "unless each is carried over")
    assert_refused(review, lambda: close(review, 5, {"R1": " "}), "unless each is carried")


def test_review_closes_with_open_recommendations_carried_over_with_reasons() -> None:
    review = with_recommendation()
    close(review, 5, {"R1": "Moved to the 2026/27 business plan"})
    assert review.status == ReviewStatus.CLOSED
    assert review.carried_over == {"R1": "Moved to the 2026/27 business plan"}
    assert [r["recommendation_id"] for r in review.open_recommendations] == ["R1"]


def test_only_open_recommendations_are_carried_over() -> None:
    review = with_recommendation()
    complete(review, "R1", 2)
    assert_refused(review, lambda: close(review, 5, {"R1": "x"}), "Only an open recommendation")


def test_closed_review_refuses_further_commands() -> None:
    review = with_recommendation()
    complete(review, "R1", 2)
    close(review, 5)
    for command in (
        lambda: update(review, "R1", "x", 6),
        lambda: add_recommendation(review, "R2", "x", "ICB", date(2026, 3, 1), 6),
        lambda: close(review, 6),
    ):
        assert_refused(review, command, "closed review takes no further commands")


def test_facts_cannot_be_dated_before_the_referral_nor_without_a_time_zone() -> None:
    review = serious_incident()
    assert_refused(review, lambda: notify(review, -1), "before its record was opened")
    naive = datetime(2026, 1, 6, 9, 0)
    assert_input_refused(lambda: cmd(NotifyPanel, review, at=naive), "at", "time zone")


# -- history ----------------------------------------------------------------------------------


def full_history() -> Review:
    """A serious incident through breach, late steps, LCSPR and closure."""
    review = serious_incident()
    request(review, "Q1", "Police", date(2026, 1, 9), 1)
    breach(review, Step.PANEL_NOTIFICATION, "Timer fired", 8)
    notify(review, 9, late_reason="Referral mislaid")
    completed(review, days=22, late_reason="Late returns", outstanding_reason="Trial pending")
    respond(review, "Agree LCSPR", 30)
    commission(review, days=31)
    with_recommendation(review)
    close(review, 40, {"R1": "Carried into the business plan"})
    return review


def history_with_a_withdrawn_breach() -> Review:
    review = late_notification_entered()
    review.withdraw_breach(withdrawal(review, 9))
    return review


def test_replaying_the_events_rebuilds_the_same_review() -> None:
    review = full_history()
    events = review.collect_events()
    copy = None
    for past in events:  # replay applies the facts; it must not re-run the rules
        copy = past.mutate(copy)
    assert copy is not None and copy.__dict__ == review.__dict__
    assert copy.breaches == review.breaches and len(review.breaches) == 2


def test_replaying_a_withdrawn_breach_rebuilds_the_same_review() -> None:
    review = history_with_a_withdrawn_breach()
    copy = None
    for past in review.collect_events():
        copy = past.mutate(copy)
    assert copy is not None and copy.__dict__ == review.__dict__
    assert copy.breaches == [] and copy.breached_steps == review.breached_steps


def _json_friendly(value: object) -> bool:
    if isinstance(value, dict):
        return all(isinstance(k, str) and _json_friendly(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_json_friendly(item) for item in value)
    return value is None or isinstance(value, (str, int, float, bool, date))


@pytest.mark.parametrize("make", [full_history, history_with_a_withdrawn_breach])
def test_review_state_is_json_friendly(make: Any) -> None:
    review = make()
    state = {k: v for k, v in review.__dict__.items() if k not in ("_id", "_pending_events")}
    assert _json_friendly(state), state
    json.dumps(state, default=lambda v: v.isoformat())  # dates are the only non-JSON values
