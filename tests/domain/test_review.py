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

from domain.calendar import Nation
from domain.errors import RuleBroken
from domain.policy import DEFAULT_POLICY
from domain.record import natural_id
from domain.review import Review
from domain.review_values import ReferralCategory, ReviewStatus, ReviewType, Step
from tests.refusals import assert_refused, at

AWARE = date(2026, 1, 5)
NOTIFY_DUE = date(2026, 1, 12)
RAPID_DUE = date(2026, 1, 26)
LEAD = "practice.review.chair@example.org"


def serious_incident(**changes: Any) -> Review:
    """A serious incident referred on the day the partnership became aware of it."""
    details: dict[str, Any] = {
        "reference": "PR-2026-001", "referrer": "Duty social worker",
        "category": ReferralCategory.SERIOUS_INCIDENT, "summary": "Child C-1042 seriously harmed",
        "nation": Nation.ENG, "review_type": ReviewType.RAPID_REVIEW,
        "became_aware_on": AWARE, "by": LEAD, "at": at(0),
    }
    details.update(changes)
    return Review.refer(**details)


def practice_concern(**changes: Any) -> Review:
    details: dict[str, Any] = {
        "category": ReferralCategory.PRACTICE_CONCERN, "review_type": ReviewType.LCSPR,
        "became_aware_on": None, "reference": "PR-2026-002",
    }
    details.update(changes)
    return serious_incident(**details)


def completed(review: Review | None = None, days: float = 10, **changes: Any) -> Review:
    """A serious incident whose rapid review was completed in time, recommending an LCSPR."""
    review = review or serious_incident()
    details: dict[str, Any] = {
        "findings": "Information held by health was not shared", "learning": ["Share early"],
        "recommend_lcspr": True, "rationale": "Multi-agency learning is likely",
        "by": LEAD, "at": at(days),
    }
    details.update(changes)
    review.complete_rapid_review(**details)
    return review


def with_recommendation(review: Review | None = None, rid: str = "R1") -> Review:
    review = review or practice_concern()
    review.add_recommendation(
        rid, "Agree a health information-sharing protocol", "ICB", date(2026, 3, 31),
        by=LEAD, at=at(1),
    )
    return review


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


def test_referral_needs_a_summary_a_referrer_and_a_reference() -> None:
    assert_referral_refused("needs a summary", summary=" ")
    assert_referral_refused("names who referred it", referrer="")
    assert_referral_refused("needs a review reference", reference="")


def test_referral_names_known_categories_types_and_nations() -> None:
    assert_referral_refused("category must be a known one", category="gossip")
    assert_referral_refused("review type must be a known one", review_type="inquiry")
    assert_referral_refused("UK nation", nation="FR")


def test_referral_time_must_carry_its_time_zone() -> None:
    assert_referral_refused("time zone", at=datetime(2026, 1, 5, 9, 0))


# -- notifying the Panel and breaches -------------------------------------------------------------


def test_panel_notified_in_time_records_no_breach() -> None:
    review = serious_incident()
    review.notify_panel(by=LEAD, at=at(7))  # Monday 12 January, the last day
    assert event_names(review)[-1] == "PanelNotified"
    assert review.breaches == []


def test_late_panel_notification_needs_a_reason() -> None:
    review = serious_incident()
    assert_refused(
        review, lambda: review.notify_panel(by=LEAD, at=at(8)), "needs a reason for the delay"
    )


def test_late_panel_notification_with_a_reason_is_recorded_as_a_breach() -> None:
    review = serious_incident()
    review.notify_panel(by=LEAD, at=at(8), late_reason="Chair on leave")
    assert review.breaches == [{
        "step": Step.PANEL_NOTIFICATION, "due": NOTIFY_DUE, "reason": "Chair on leave",
        "recorded_via": "late_step", "recorded_on": date(2026, 1, 13), "done_on": date(2026, 1, 13),
    }]


def test_late_reason_is_refused_for_a_step_done_in_time() -> None:
    review = serious_incident()
    assert_refused(
        review, lambda: review.notify_panel(by=LEAD, at=at(1), late_reason="Busy"),
        "only for a step done after its deadline",
    )


def test_only_a_serious_incident_is_notified_to_the_panel() -> None:
    review = practice_concern()
    assert_refused(
        review, lambda: review.notify_panel(by=LEAD, at=at(1)), "Only a serious incident"
    )


def test_panel_is_notified_only_once() -> None:
    review = serious_incident()
    review.notify_panel(by=LEAD, at=at(1))
    assert_refused(review, lambda: review.notify_panel(by=LEAD, at=at(2)), "only once")


def test_missed_deadline_is_recorded_as_a_breach_and_marked_done_when_the_step_follows() -> None:
    review = serious_incident()
    review.record_breach(Step.PANEL_NOTIFICATION, "Timer fired", by="workflow", at=at(8))
    assert event_names(review)[-1] == "BreachRecorded"
    review.notify_panel(by=LEAD, at=at(9), late_reason="Referral mislaid")
    (breach,) = review.breaches
    assert breach["recorded_via"] == "missed_deadline" and breach["reason"] == "Timer fired"
    assert breach["recorded_on"] == date(2026, 1, 13) and breach["done_on"] == date(2026, 1, 14)
    assert review.panel_notification["late_reason"] == "Referral mislaid"


def test_missed_deadline_is_refused_before_the_deadline_has_passed() -> None:
    review = serious_incident()
    assert_refused(
        review, lambda: review.record_breach(Step.PANEL_NOTIFICATION, "x", by=LEAD, at=at(7)),
        "only after the deadline has passed",
    )


def test_missed_deadline_is_refused_for_a_step_already_done() -> None:
    review = serious_incident()
    review.notify_panel(by=LEAD, at=at(1))
    assert_refused(
        review, lambda: review.record_breach(Step.PANEL_NOTIFICATION, "x", by=LEAD, at=at(8)),
        "step already done",
    )


def test_a_breach_is_recorded_only_once_for_each_step() -> None:
    review = serious_incident()
    review.record_breach(Step.RAPID_REVIEW, "Timer fired", by=LEAD, at=at(22))
    assert_refused(
        review, lambda: review.record_breach(Step.RAPID_REVIEW, "again", by=LEAD, at=at(23)),
        "only once for each step",
    )


def test_breach_needs_a_known_step_with_a_deadline_and_a_reason() -> None:
    review = serious_incident()
    assert_refused(
        review, lambda: review.record_breach("lunch", "x", by=LEAD, at=at(30)),
        "name a step with a statutory deadline",
    )
    assert_refused(
        review, lambda: review.record_breach(Step.RAPID_REVIEW, " ", by=LEAD, at=at(30)),
        "needs a reason",
    )
    concern = practice_concern()
    assert_refused(
        concern, lambda: concern.record_breach(Step.RAPID_REVIEW, "x", by=LEAD, at=at(30)),
        "only for a step with a deadline",
    )


# -- agency information ---------------------------------------------------------------------------


def test_agency_information_is_requested_and_received() -> None:
    review = serious_incident()
    review.request_agency_information("Q1", "Police", date(2026, 1, 9), by=LEAD, at=at(1))
    assert [r["request_id"] for r in review.outstanding_requests] == ["Q1"]
    assert [r["agency"] for r in review.overdue_requests(date(2026, 1, 10))] == ["Police"]
    review.receive_agency_information("Q1", by=LEAD, at=at(3))
    assert event_names(review)[-2:] == ["AgencyInformationRequested", "AgencyInformationReceived"]
    assert review.outstanding_requests == []


def test_receipt_must_refer_to_a_recorded_request() -> None:
    review = serious_incident()
    assert_refused(
        review, lambda: review.receive_agency_information("Q9", by=LEAD, at=at(1)),
        "must refer to a recorded information request",
    )


def test_requested_information_is_received_only_once() -> None:
    review = serious_incident()
    review.request_agency_information("Q1", "Police", date(2026, 1, 9), by=LEAD, at=at(1))
    review.receive_agency_information("Q1", by=LEAD, at=at(2))
    assert_refused(
        review, lambda: review.receive_agency_information("Q1", by=LEAD, at=at(3)),
        "received only once",
    )


def test_information_cannot_be_received_before_it_was_requested() -> None:
    review = serious_incident()
    review.request_agency_information("Q1", "Police", date(2026, 1, 9), by=LEAD, at=at(2))
    assert_refused(
        review, lambda: review.receive_agency_information("Q1", by=LEAD, at=at(1)),
        "before it was requested",
    )


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
    review.request_agency_information("Q1", "Police", date(2026, 1, 9), by=LEAD, at=at(1))
    assert_refused(
        review,
        lambda: review.request_agency_information(rid, agency, due_on, by=LEAD, at=at(1)),
        rule,
    )


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
    review.request_agency_information("Q1", "Police", date(2026, 1, 9), by=LEAD, at=at(1))
    assert_refused(
        review, lambda: completed(review), "while requested agency information is outstanding"
    )


def test_rapid_review_may_complete_with_information_outstanding_given_a_reason() -> None:
    review = serious_incident()
    review.request_agency_information("Q1", "Police", date(2026, 1, 9), by=LEAD, at=at(1))
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
    (breach,) = review.breaches
    assert breach["step"] == Step.RAPID_REVIEW and breach["due"] == RAPID_DUE
    assert breach["recorded_via"] == "late_step"


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

    def respond() -> None:
        review.record_panel_response("Agree LCSPR", by=LEAD, at=at(12))

    assert_refused(review, respond, "only after the rapid review is completed")
    completed(review)
    respond()
    assert review.panel_response["response"] == "Agree LCSPR"
    assert_refused(review, respond, "recorded only once")


def test_panel_response_cannot_be_dated_before_the_rapid_review() -> None:
    review = completed(days=10)
    assert_refused(
        review, lambda: review.record_panel_response("Agree", by=LEAD, at=at(9)),
        "before the rapid review it follows",
    )


# -- the LCSPR decision ---------------------------------------------------------------------------


def commission(review: Review, days: float = 12, **changes: Any) -> None:
    details: dict[str, Any] = {
        "commission": True, "rationale": "Panel agrees", "reviewer": "Independent reviewer",
        "scope": "Information sharing, 2025", "by": LEAD, "at": at(days),
    }
    details.update(changes)
    review.decide_lcspr(**details)


def test_commissioned_lcspr_is_due_six_months_after_the_decision_stored_on_the_event() -> None:
    review = completed()
    commission(review)
    event = review.collect_events()[-1]
    assert isinstance(event, Review.LcsprDecided)
    assert event.due_on == date(2026, 7, 17)
    assert review.status == ReviewStatus.LCSPR_COMMISSIONED


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
    review.decide_lcspr(False, "Single-agency learning suffices", by=LEAD, at=at(2))
    assert review.status == ReviewStatus.LCSPR_NOT_COMMISSIONED
    assert review.lcspr_decision["due_on"] is None


def test_lcspr_is_decided_only_once() -> None:
    review = completed()
    commission(review)
    assert_refused(review, lambda: commission(review, days=13), "decided only once")


# -- recommendations and closure ------------------------------------------------------------------


def test_recommendation_is_followed_up_to_completion_and_impact() -> None:
    review = with_recommendation()
    review.update_recommendation("R1", "Draft protocol agreed", by=LEAD, at=at(20))
    review.complete_recommendation("R1", by=LEAD, at=at(60))
    review.assess_recommendation_impact("R1", "Referrals now shared in a day", by=LEAD, at=at(90))
    assert event_names(review)[-4:] == [
        "RecommendationAdded", "RecommendationUpdated", "RecommendationCompleted",
        "RecommendationImpactAssessed",
    ]
    assert review.open_recommendations == []
    assert review.recommendations["R1"]["owner_agency"] == "ICB"


def test_recommendation_commands_must_refer_to_a_recorded_recommendation() -> None:
    review = with_recommendation()
    for command in (
        lambda: review.update_recommendation("R9", "x", by=LEAD, at=at(2)),
        lambda: review.assess_recommendation_impact("R9", "x", by=LEAD, at=at(2)),
        lambda: review.complete_recommendation("R9", by=LEAD, at=at(2)),
    ):
        assert_refused(review, command, "must refer to a recorded recommendation")


def test_recommendation_cannot_be_acted_on_before_it_was_made() -> None:
    review = practice_concern()
    review.add_recommendation("R1", "Protocol", "ICB", date(2026, 3, 31), by=LEAD, at=at(5))
    assert_refused(
        review, lambda: review.update_recommendation("R1", "x", by=LEAD, at=at(4)),
        "before it was made",
    )


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
    assert_refused(
        review,
        lambda: review.add_recommendation(rid, text, owner, due_on, by=LEAD, at=at(2)),
        rule,
    )


def test_completed_recommendation_takes_no_updates_and_completes_once() -> None:
    review = with_recommendation()
    review.complete_recommendation("R1", by=LEAD, at=at(2))
    assert_refused(
        review, lambda: review.update_recommendation("R1", "x", by=LEAD, at=at(3)),
        "takes no progress updates",
    )
    assert_refused(
        review, lambda: review.complete_recommendation("R1", by=LEAD, at=at(3)), "only once"
    )


def test_progress_and_impact_need_their_content() -> None:
    review = with_recommendation()
    assert_refused(
        review, lambda: review.update_recommendation("R1", " ", by=LEAD, at=at(2)), "content"
    )
    assert_refused(
        review, lambda: review.assess_recommendation_impact("R1", "", by=LEAD, at=at(2)),
        "content",
    )


def test_overdue_recommendations_are_open_ones_past_their_due_date() -> None:
    review = with_recommendation()
    assert review.overdue_recommendations(date(2026, 3, 31)) == []
    (overdue,) = review.overdue_recommendations(date(2026, 4, 1))
    assert overdue["recommendation_id"] == "R1"


def test_review_cannot_close_with_open_recommendations() -> None:
    review = with_recommendation()
    assert_refused(
        review, lambda: review.close(by=LEAD, at=at(5)), "unless each is carried over"
    )
    assert_refused(
        review, lambda: review.close({"R1": " "}, by=LEAD, at=at(5)), "unless each is carried"
    )


def test_review_closes_with_open_recommendations_carried_over_with_reasons() -> None:
    review = with_recommendation()
    review.close({"R1": "Moved to the 2026/27 business plan"}, by=LEAD, at=at(5))
    assert review.status == ReviewStatus.CLOSED
    assert review.carried_over == {"R1": "Moved to the 2026/27 business plan"}
    assert [r["recommendation_id"] for r in review.open_recommendations] == ["R1"]


def test_only_open_recommendations_are_carried_over() -> None:
    review = with_recommendation()
    review.complete_recommendation("R1", by=LEAD, at=at(2))
    assert_refused(
        review, lambda: review.close({"R1": "x"}, by=LEAD, at=at(5)), "Only an open recommendation"
    )


def test_closed_review_refuses_further_commands() -> None:
    review = with_recommendation()
    review.complete_recommendation("R1", by=LEAD, at=at(2))
    review.close(by=LEAD, at=at(5))
    for command in (
        lambda: review.update_recommendation("R1", "x", by=LEAD, at=at(6)),
        lambda: review.add_recommendation("R2", "x", "ICB", date(2026, 3, 1), by=LEAD, at=at(6)),
        lambda: review.close(by=LEAD, at=at(6)),
    ):
        assert_refused(review, command, "closed review takes no further commands")


def test_facts_cannot_be_dated_before_the_referral_nor_without_a_time_zone() -> None:
    review = serious_incident()
    assert_refused(
        review, lambda: review.notify_panel(by=LEAD, at=at(-1)), "before its record was opened"
    )
    naive = datetime(2026, 1, 6, 9, 0)
    assert_refused(review, lambda: review.notify_panel(by=LEAD, at=naive), "time zone")


# -- history ----------------------------------------------------------------------------------


def full_history() -> Review:
    """A serious incident through breach, late steps, LCSPR and closure."""
    review = serious_incident()
    review.request_agency_information("Q1", "Police", date(2026, 1, 9), by=LEAD, at=at(1))
    review.record_breach(Step.PANEL_NOTIFICATION, "Timer fired", by="workflow", at=at(8))
    review.notify_panel(by=LEAD, at=at(9), late_reason="Referral mislaid")
    completed(review, days=22, late_reason="Late returns", outstanding_reason="Trial pending")
    review.record_panel_response("Agree LCSPR", by=LEAD, at=at(30))
    commission(review, days=31)
    with_recommendation(review)
    review.close({"R1": "Carried into the business plan"}, by=LEAD, at=at(40))
    return review


def test_replaying_the_events_rebuilds_the_same_review() -> None:
    review = full_history()
    events = review.collect_events()
    copy = None
    for past in events:  # replay applies the facts; it must not re-run the rules
        copy = past.mutate(copy)
    assert copy is not None and copy.__dict__ == review.__dict__
    assert copy.breaches == review.breaches and len(review.breaches) == 2


def _json_friendly(value: object) -> bool:
    if isinstance(value, dict):
        return all(isinstance(k, str) and _json_friendly(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_json_friendly(item) for item in value)
    return value is None or isinstance(value, (str, int, float, bool, date))


def test_review_state_is_json_friendly() -> None:
    review = full_history()
    state = {k: v for k, v in review.__dict__.items() if k not in ("_id", "_pending_events")}
    assert _json_friendly(state), state
    json.dumps(state, default=lambda v: v.isoformat())  # dates are the only non-JSON values
