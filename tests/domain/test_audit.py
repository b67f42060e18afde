"""A multi-agency audit of supervision and oversight, from plan to close (seeds 003, 004)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from uuid import UUID

import pytest

from domain.audit import AuditRecord, select_at_random
from domain.audit_values import (
    ESCALATION_GROUP,
    AuditDimension,
    AuditStage,
    AuditType,
    Grade,
    Risk,
    SelectionMethod,
)
from domain.errors import RuleBroken
from domain.policy import DEFAULT_POLICY
from tests.refusals import assert_refused, at

CHAIR = "practice-review-chair"
AGENCIES = ["Children's Social Care", "Police", "Health"]
POPULATION = ["case-07", "case-01", "case-12", "case-03", "case-09"]
SEED = 20260105
RETURNS_DUE = date(2026, 2, 2)  # four weeks after the plan (START is Monday 5 January 2026)
PAST_DUE = 29  # days after START: 3 February 2026, the day after returns were due
GROUP = "Practice Review Sub-Group"


def planned(**changes: object) -> AuditRecord:
    fields: dict = {
        "reference": "MAPA-2026-CIN", "theme": "Supervision of children in need",
        "dimension": AuditDimension.MULTI_AGENCY,
        "audit_type": AuditType.MULTI_AGENCY_PRACTICE, "year": 2026,
        "agencies": list(AGENCIES), "sample_size": 2, "returns_due": RETURNS_DUE,
        "by": CHAIR, "at": at(0),
    }
    fields.update(changes)
    return AuditRecord.plan(**fields)


def selected() -> AuditRecord:
    audit = planned()
    audit.select_cases_at_random(POPULATION, SEED, by=CHAIR, at=at(1))
    return audit


def requested() -> AuditRecord:
    audit = selected()
    audit.request_returns(by=CHAIR, at=at(2))
    return audit


def submit(audit: AuditRecord, agency: str, days: float = 3) -> None:
    audit.submit_return(agency, Grade.GOOD, Grade.REQUIRES_IMPROVEMENT,
                        "Supervision notes sampled for both cases", by=agency, at=at(days))


def all_returned() -> AuditRecord:
    audit = requested()
    for agency in AGENCIES:
        submit(audit, agency)
    return audit


def police_escalated() -> AuditRecord:
    """Health and social care return; the police do not, and are escalated after the due date."""
    audit = requested()
    submit(audit, "Children's Social Care")
    submit(audit, "Health")
    audit.escalate_non_compliance("Police", by=CHAIR, at=at(PAST_DUE))
    return audit


def moderated() -> AuditRecord:
    audit = all_returned()
    audit.moderate("Grades agreed across agencies", by=CHAIR, at=at(5))
    return audit


def with_findings() -> AuditRecord:
    audit = moderated()
    audit.record_findings(["Reflective supervision recorded"], ["Oversight of drift"],
                          by=CHAIR, at=at(6))
    return audit


def reported() -> AuditRecord:
    audit = with_findings()
    audit.report(GROUP, by=CHAIR, at=at(7))
    return audit


def an_action(**changes: object) -> dict:
    action: dict = {"action": "Add a drift prompt to supervision templates",
                    "owner": "Health", "due_on": date(2026, 4, 1)}
    action.update(changes)
    return action


def with_actions() -> AuditRecord:
    audit = reported()
    audit.agree_actions([an_action()], by=CHAIR, at=at(8))
    return audit


def closed() -> AuditRecord:
    audit = with_actions()
    audit.close(by=CHAIR, at=at(9))
    return audit


def event_names(audit: AuditRecord) -> list[str]:
    return [type(e).__name__ for e in audit.collect_events()]


def assert_plan_refused(rule: str, **changes: object) -> None:
    """Planning creates the record, so a refused plan leaves nothing to compare: it must raise."""
    with pytest.raises(RuleBroken) as refused:
        planned(**changes)
    assert rule.lower() in refused.value.rule.lower(), refused.value.rule


# --- the happy path -----------------------------------------------------------------------


def test_an_audit_runs_from_plan_to_close_in_order() -> None:
    audit = closed()
    assert audit.stage == AuditStage.CLOSED and audit.is_closed
    assert event_names(audit) == [
        "Planned", "CasesSelectedAtRandom", "ReturnsRequested", "ReturnSubmitted",
        "ReturnSubmitted", "ReturnSubmitted", "Moderated", "FindingsRecorded", "Reported",
        "ActionsAgreed", "Closed",
    ]
    assert audit.reported_to == GROUP
    assert audit.actions == [an_action()]
    assert audit.strengths == ["Reflective supervision recorded"]


def test_the_plan_stores_its_six_monthly_review_date_on_the_planned_event() -> None:
    audit = planned()
    (event,) = audit.collect_events()
    assert event.plan_review_due == date(2026, 7, 5) == audit.plan_review_due
    assert event.returns_due == RETURNS_DUE
    assert audit.dimension == AuditDimension.MULTI_AGENCY
    assert audit.audit_type == AuditType.MULTI_AGENCY_PRACTICE


def test_the_plan_review_period_is_a_policy_setting() -> None:
    audit = planned(policy=DEFAULT_POLICY.with_overrides(audit_plan_review=3))
    assert audit.plan_review_due == date(2026, 4, 5)


def test_reviewing_the_plan_records_the_next_review_date_on_its_event() -> None:
    audit = planned()
    audit.collect_events()
    audit.review_plan("Themes still current", by=CHAIR, at=at(180))  # Saturday 4 July 2026
    (event,) = audit.collect_events()
    assert type(event).__name__ == "PlanReviewed"
    assert event.next_review_due == date(2027, 1, 4) == audit.plan_review_due


def test_the_plan_review_is_overdue_after_its_due_date_until_reviewed_or_closed() -> None:
    audit = planned()
    assert not audit.plan_review_overdue(date(2026, 7, 5))
    assert audit.plan_review_overdue(date(2026, 7, 6))
    audit.review_plan("Reviewed at the sub-group", by=CHAIR, at=at(182))
    assert not audit.plan_review_overdue(date(2026, 7, 6))
    finished = closed()
    assert not finished.plan_review_overdue(date(2026, 12, 1))


def test_a_random_selection_can_be_reproduced_from_its_event() -> None:
    audit = planned()
    audit.collect_events()
    audit.select_cases_at_random(POPULATION, SEED, by=CHAIR, at=at(1))
    (event,) = audit.collect_events()
    assert event.seed == SEED and event.sample_size == 2
    assert event.population == sorted(POPULATION)
    assert event.selection == select_at_random(event.population, event.seed, event.sample_size)
    assert audit.selected_cases == event.selection
    assert audit.selection_method == SelectionMethod.RANDOM and audit.selection_seed == SEED


def test_a_random_selection_does_not_depend_on_the_order_the_population_is_listed() -> None:
    shuffled = list(reversed(POPULATION))
    assert select_at_random(shuffled, SEED, 3) == select_at_random(POPULATION, SEED, 3)


def test_cases_can_be_selected_by_high_medium_or_escalating_risk() -> None:
    audit = planned(sample_size=3)
    chosen = [{"case_id": "case-01", "risk": Risk.HIGH}, {"case_id": "case-02", "risk": "medium"},
              {"case_id": "case-03", "risk": Risk.ESCALATING}]
    audit.select_cases_by_risk(chosen, by=CHAIR, at=at(1))
    assert audit.selected_cases == ["case-01", "case-02", "case-03"]
    assert audit.case_risks == {"case-01": "high", "case-02": "medium", "case-03": "escalating"}
    assert audit.selection_method == SelectionMethod.RISK
    assert event_names(audit)[-1] == "CasesSelectedByRisk"


def test_returns_are_requested_from_every_agency_and_tracked_until_submitted() -> None:
    audit = requested()
    assert audit.outstanding_returns == AGENCIES
    submit(audit, "Police")
    audit.chase_return("Health", by=CHAIR, at=at(10))
    assert audit.outstanding_returns == ["Children's Social Care", "Health"]
    assert audit.returns["Health"]["chased_on"] == [at(10)]
    assert audit.returns["Police"]["supervision_grade"] == Grade.GOOD
    assert audit.returns["Police"]["oversight_grade"] == Grade.REQUIRES_IMPROVEMENT


def test_overdue_returns_are_those_outstanding_after_the_due_date() -> None:
    audit = requested()
    submit(audit, "Police")
    assert audit.overdue_returns(RETURNS_DUE) == []
    assert audit.overdue_returns(RETURNS_DUE + timedelta(days=1)) == [
        "Children's Social Care", "Health"]


def test_non_compliance_is_escalated_to_the_operational_sub_group() -> None:
    audit = police_escalated()
    events = audit.collect_events()
    assert type(events[-1]).__name__ == "NonComplianceEscalated"
    assert events[-1].escalated_to == ESCALATION_GROUP
    assert audit.non_compliant_agencies == ["Police"]
    assert audit.outstanding_returns == ["Police"]


def test_an_escalated_agency_may_still_return_late_and_stays_recorded_as_non_compliant() -> None:
    audit = police_escalated()
    submit(audit, "Police", days=PAST_DUE + 1)
    assert audit.outstanding_returns == []
    assert audit.non_compliant_agencies == ["Police"]


def test_moderation_can_go_ahead_once_non_compliance_is_escalated() -> None:
    audit = police_escalated()
    audit.moderate("Police return missing; escalated", by=CHAIR, at=at(PAST_DUE + 1))
    assert audit.stage == AuditStage.MODERATED


def test_replaying_the_events_rebuilds_the_same_state() -> None:
    audit = closed()
    rebuilt = None
    for recorded in audit.collect_events():
        rebuilt = recorded.mutate(rebuilt)
    assert rebuilt is not None and rebuilt.__dict__ == audit.__dict__


def test_a_snapshot_restores_the_same_state() -> None:
    audit = police_escalated()
    audit.collect_events()
    restored = AuditRecord.Snapshot.take(audit).mutate(None)
    assert restored is not None and restored.__dict__ == audit.__dict__


def assert_json_friendly(value: object, where: str = "state") -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            assert isinstance(key, str), f"{where} has a non-str key {key!r}"
            assert_json_friendly(item, f"{where}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            assert_json_friendly(item, f"{where}[{index}]")
    else:
        plain = (str, int, float, bool, type(None), date, datetime, UUID)
        assert isinstance(value, plain), f"{where} holds a {type(value).__name__}"


@pytest.mark.parametrize("make", [closed, police_escalated, planned])
def test_state_holds_only_json_friendly_values(make) -> None:
    """So a snapshot restores identical state (enums come back as plain str, compared with ==)."""
    audit = make()
    for recorded in audit.collect_events():
        assert_json_friendly(recorded.__dict__, type(recorded).__name__)
    assert_json_friendly(audit.__dict__)
    assert audit.stage == str(audit.stage)


# --- planning ----------------------------------------------------------------------------


def test_an_audit_needs_a_theme() -> None:
    assert_plan_refused("An audit needs a theme", theme="  ")


def test_an_audit_dimension_is_single_agency_multi_agency_or_partnership() -> None:
    assert_plan_refused("dimension is one of single_agency", dimension="regional")


def test_an_audit_type_is_one_of_the_framework_audits() -> None:
    assert_plan_refused("type is one of multi_agency_practice", audit_type="peer_challenge")


def test_an_audit_year_cannot_be_before_the_year_it_is_planned_in() -> None:
    assert_plan_refused("not before the year it is planned in", year=2025)


def test_an_audit_names_at_least_one_agency() -> None:
    assert_plan_refused("at least one agency", agencies=[])


def test_each_agency_is_named() -> None:
    assert_plan_refused("Each agency taking part in an audit is named", agencies=["Police", " "])


def test_an_agency_takes_part_once() -> None:
    assert_plan_refused("takes part in an audit once", agencies=["Police", "police "])


def test_the_sample_size_is_above_zero() -> None:
    assert_plan_refused("sample size is a whole number above zero", sample_size=0)


def test_returns_are_due_after_the_plan_date() -> None:
    assert_plan_refused("returns must be due after the date it is planned",
                        returns_due=date(2026, 1, 5))


def test_a_plan_needs_a_time_zone() -> None:
    assert_plan_refused("time zone", at=datetime(2026, 1, 5, 9, 0))


def test_a_plan_review_records_notes() -> None:
    audit = planned()
    assert_refused(audit, lambda: audit.review_plan(" ", by=CHAIR, at=at(180)), "records notes")


def test_a_plan_review_cannot_be_dated_before_the_previous_review() -> None:
    audit = planned()
    audit.review_plan("First review", by=CHAIR, at=at(180))
    assert_refused(audit, lambda: audit.review_plan("Earlier?", by=CHAIR, at=at(170)),
                   "previous review; history reads forwards")


def test_a_fact_cannot_be_dated_before_the_audit_was_planned() -> None:
    audit = planned()
    assert_refused(audit, lambda: audit.select_cases_at_random(POPULATION, SEED, by=CHAIR,
                                                               at=at(-1)),
                   "before its record was opened")


# --- selecting cases ---------------------------------------------------------------------


def test_the_population_cannot_be_smaller_than_the_sample() -> None:
    audit = planned(sample_size=3)
    assert_refused(audit, lambda: audit.select_cases_at_random(["a", "b"], SEED, by=CHAIR,
                                                               at=at(1)),
                   "cannot be smaller than the audit's sample size")


def test_a_random_selection_needs_a_whole_number_seed() -> None:
    audit = planned()
    assert_refused(audit, lambda: audit.select_cases_at_random(POPULATION, "lucky", by=CHAIR,
                                                               at=at(1)),
                   "seed is a whole number")


def test_a_case_is_referred_to_by_its_id() -> None:
    audit = planned()
    assert_refused(audit, lambda: audit.select_cases_at_random(["a", "", "c"], SEED, by=CHAIR,
                                                               at=at(1)),
                   "referred to by its id")


def test_a_case_is_listed_once_in_a_selection() -> None:
    audit = planned()
    assert_refused(audit, lambda: audit.select_cases_at_random(["a", "b", "a"], SEED, by=CHAIR,
                                                               at=at(1)),
                   "listed once in a selection")


def test_low_risk_cases_cannot_be_chosen() -> None:
    audit = planned()
    chosen = [{"case_id": "a", "risk": "high"}, {"case_id": "b", "risk": Risk.LOW}]
    assert_refused(audit, lambda: audit.select_cases_by_risk(chosen, by=CHAIR, at=at(1)),
                   "Only high, medium or escalating risk cases may be chosen")


def test_a_chosen_case_has_a_known_risk() -> None:
    audit = planned()
    chosen = [{"case_id": "a", "risk": "high"}, {"case_id": "b", "risk": "severe"}]
    assert_refused(audit, lambda: audit.select_cases_by_risk(chosen, by=CHAIR, at=at(1)),
                   "risk is one of high, medium, escalating or low")


def test_a_selection_by_risk_chooses_exactly_the_sample_size() -> None:
    audit = planned()
    chosen = [{"case_id": "a", "risk": "high"}]
    assert_refused(audit, lambda: audit.select_cases_by_risk(chosen, by=CHAIR, at=at(1)),
                   "exactly the audit's sample size")


def test_cases_are_selected_only_once() -> None:
    audit = selected()
    chosen = [{"case_id": "a", "risk": "high"}, {"case_id": "b", "risk": "medium"}]
    assert_refused(audit, lambda: audit.select_cases_by_risk(chosen, by=CHAIR, at=at(2)),
                   "Selecting cases happens once")


def test_cases_cannot_be_selected_after_returns_are_requested() -> None:
    audit = requested()
    assert_refused(audit, lambda: audit.select_cases_at_random(POPULATION, SEED, by=CHAIR,
                                                               at=at(3)),
                   "Selecting cases happens once")


# --- agency returns ----------------------------------------------------------------------


def test_returns_are_requested_only_after_cases_are_selected() -> None:
    audit = planned()
    assert_refused(audit, lambda: audit.request_returns(by=CHAIR, at=at(1)),
                   "Requesting returns must come after case selection")


def test_returns_are_requested_once() -> None:
    audit = requested()
    assert_refused(audit, lambda: audit.request_returns(by=CHAIR, at=at(3)),
                   "Requesting returns happens once")


def test_returns_cannot_be_requested_after_they_are_due() -> None:
    audit = selected()
    assert_refused(audit, lambda: audit.request_returns(by=CHAIR, at=at(PAST_DUE)),
                   "cannot be requested after they are due")


def test_a_return_must_refer_to_an_agency_in_the_audit() -> None:
    audit = requested()
    assert_refused(audit, lambda: submit(audit, "Probation"),
                   "must refer to an agency taking part in the audit")


def test_a_return_is_chased_only_after_returns_are_requested() -> None:
    audit = selected()
    assert_refused(audit, lambda: audit.chase_return("Police", by=CHAIR, at=at(3)),
                   "only after returns are requested")


def test_a_submitted_return_is_not_chased() -> None:
    audit = requested()
    submit(audit, "Police")
    assert_refused(audit, lambda: audit.chase_return("Police", by=CHAIR, at=at(4)),
                   "A submitted return is not chased")


def test_an_agency_submits_one_return() -> None:
    audit = requested()
    submit(audit, "Police")
    assert_refused(audit, lambda: submit(audit, "Police", days=4), "submits one return")


def test_a_return_grades_supervision_and_oversight_on_the_four_point_scale() -> None:
    audit = requested()
    assert_refused(
        audit, lambda: audit.submit_return("Police", "good", "adequate", "notes", by="Police",
                                           at=at(3)),
        "each graded outstanding, good, requires_improvement or inadequate",
    )


def test_a_return_needs_evidence() -> None:
    audit = requested()
    assert_refused(
        audit, lambda: audit.submit_return("Police", Grade.GOOD, Grade.GOOD, "", by="Police",
                                           at=at(3)),
        "needs evidence",
    )


def test_a_fact_about_a_return_cannot_be_dated_before_its_previous_fact() -> None:
    audit = requested()
    audit.chase_return("Police", by=CHAIR, at=at(10))
    assert_refused(audit, lambda: submit(audit, "Police", days=9),
                   "before the return's previous fact; history reads forwards")
    assert_refused(audit, lambda: audit.chase_return("Health", by=CHAIR, at=at(1.5)),
                   "history reads forwards")


def test_non_compliance_is_escalated_only_after_the_due_date() -> None:
    audit = requested()
    on_due_date = 28  # 2 February 2026, the due date itself
    assert_refused(audit, lambda: audit.escalate_non_compliance("Police", by=CHAIR,
                                                                at=at(on_due_date)),
                   "only after the returns due date has passed")


def test_an_agency_that_submitted_is_not_escalated() -> None:
    audit = requested()
    submit(audit, "Police")
    assert_refused(audit, lambda: audit.escalate_non_compliance("Police", by=CHAIR,
                                                                at=at(PAST_DUE)),
                   "submitted its return is not escalated")


def test_non_compliance_is_escalated_once_per_agency() -> None:
    audit = police_escalated()
    assert_refused(audit, lambda: audit.escalate_non_compliance("Police", by=CHAIR,
                                                                at=at(PAST_DUE + 1)),
                   "escalated once")


def test_returns_are_settled_once_the_audit_is_moderated() -> None:
    audit = police_escalated()
    audit.moderate("Police missing", by=CHAIR, at=at(PAST_DUE + 1))
    assert_refused(audit, lambda: submit(audit, "Police", days=PAST_DUE + 2),
                   "settled once the audit has been moderated")


# --- moderation to close -----------------------------------------------------------------


def test_moderation_comes_after_returns_are_requested() -> None:
    audit = selected()
    assert_refused(audit, lambda: audit.moderate("Too soon", by=CHAIR, at=at(3)),
                   "Moderation must come after returns are requested")


def test_moderation_waits_for_every_return_or_escalation() -> None:
    audit = requested()
    submit(audit, "Police")
    assert_refused(audit, lambda: audit.moderate("Not yet", by=CHAIR, at=at(PAST_DUE)),
                   "neither submitted nor escalated as non-compliant")


def test_moderation_records_notes() -> None:
    audit = all_returned()
    assert_refused(audit, lambda: audit.moderate("", by=CHAIR, at=at(5)),
                   "Moderation records notes")


def test_moderation_happens_once() -> None:
    audit = moderated()
    assert_refused(audit, lambda: audit.moderate("Again", by=CHAIR, at=at(6)),
                   "Moderation happens once")


def test_a_step_cannot_be_dated_before_the_previous_fact() -> None:
    audit = all_returned()
    assert_refused(audit, lambda: audit.moderate("Backdated", by=CHAIR, at=at(2.5)),
                   "cannot be dated before its previous fact; history reads forwards")


def test_findings_are_recorded_only_after_moderation() -> None:
    audit = all_returned()
    assert_refused(audit, lambda: audit.record_findings(["x"], [], by=CHAIR, at=at(6)),
                   "Recording findings must come after moderation")


def test_findings_name_at_least_one_strength_or_area_for_development() -> None:
    audit = moderated()
    assert_refused(audit, lambda: audit.record_findings([], [], by=CHAIR, at=at(6)),
                   "at least one strength or area for development")


def test_each_finding_is_written_out() -> None:
    audit = moderated()
    assert_refused(audit, lambda: audit.record_findings(["Good"], [" "], by=CHAIR, at=at(6)),
                   "never blank")


def test_an_audit_is_reported_only_after_findings_are_recorded() -> None:
    audit = moderated()
    assert_refused(audit, lambda: audit.report(GROUP, by=CHAIR, at=at(7)),
                   "Reporting must come after findings are recorded")


def test_an_audit_is_reported_to_a_named_group() -> None:
    audit = with_findings()
    assert_refused(audit, lambda: audit.report("", by=CHAIR, at=at(7)), "to a named group")


def test_actions_are_agreed_only_after_the_audit_is_reported() -> None:
    audit = with_findings()
    assert_refused(audit, lambda: audit.agree_actions([an_action()], by=CHAIR, at=at(8)),
                   "Agreeing actions must come after the audit is reported")


def test_agreeing_actions_needs_at_least_one_action() -> None:
    audit = reported()
    assert_refused(audit, lambda: audit.agree_actions([], by=CHAIR, at=at(8)),
                   "at least one action")


def test_each_action_names_its_owner_and_due_date() -> None:
    audit = reported()
    assert_refused(audit, lambda: audit.agree_actions([an_action(owner="")], by=CHAIR, at=at(8)),
                   "names the action, its owner and a due date")


def test_an_action_cannot_be_due_before_it_is_agreed() -> None:
    audit = reported()
    late = an_action(due_on=date(2026, 1, 1))
    assert_refused(audit, lambda: audit.agree_actions([late], by=CHAIR, at=at(8)),
                   "cannot be due before it is agreed")


def test_an_audit_closes_only_after_actions_are_agreed() -> None:
    audit = reported()
    assert_refused(audit, lambda: audit.close(by=CHAIR, at=at(9)),
                   "Closing must come after actions are agreed")


@pytest.mark.parametrize("command", [
    lambda a: a.close(by=CHAIR, at=at(10)),
    lambda a: a.review_plan("After the end", by=CHAIR, at=at(10)),
    lambda a: a.chase_return("Police", by=CHAIR, at=at(10)),
    lambda a: a.agree_actions([an_action()], by=CHAIR, at=at(10)),
], ids=["close", "review_plan", "chase_return", "agree_actions"])
def test_a_closed_audit_refuses_further_commands(command) -> None:
    audit = closed()
    assert_refused(audit, lambda: command(audit), "A closed audit refuses further commands")


def test_instants_in_commands_carry_a_time_zone() -> None:
    audit = planned()
    naive = datetime(2026, 1, 6, 9, 0)
    assert_refused(audit, lambda: audit.review_plan("n", by=CHAIR, at=naive), "time zone")
