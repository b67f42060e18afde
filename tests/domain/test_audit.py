"""A multi-agency audit of supervision and oversight, from plan to close (seeds 003, 004)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from uuid import UUID

import pytest

from domain.application import Assured
from domain.audit import AuditRecord, select_at_random
from domain.audit_commands import (
    AgreeActions,
    ChaseReturn,
    CloseAudit,
    EscalateNonCompliance,
    Moderate,
    PlanAudit,
    RecordFindings,
    ReportAudit,
    RequestReturns,
    ReviewPlan,
    SelectCasesAtRandom,
    SelectCasesByRisk,
    SubmitReturn,
)
from domain.audit_values import (
    ESCALATION_GROUP,
    AuditDimension,
    AuditStage,
    AuditType,
    Grade,
    Risk,
    SelectionMethod,
)
from domain.calendar import Nation
from domain.case import Case
from domain.case_commands import OpenCase
from domain.errors import RecordNotFound, RuleBroken
from domain.policy import DEFAULT_POLICY, Policy
from tests.commands import Commands
from tests.refusals import assert_input_refused, assert_refused, at

CHAIR = "practice-review-chair"
AGENCIES = ["Children's Social Care", "Police", "Health"]
POPULATION = ["case-07", "case-01", "case-12", "case-03", "case-09"]
SEED = 20260105
RETURNS_DUE = date(2026, 2, 2)  # four weeks after the plan (START is Monday 5 January 2026)
PAST_DUE = 29  # days after START: 3 February 2026, the day after returns were due
GROUP = "Practice Review Sub-Group"

cmd = Commands(by=CHAIR)


def plan(**changes: object) -> PlanAudit:
    fields: dict = {
        "reference": "MAPA-2026-CIN", "theme": "Supervision of children in need",
        "dimension": AuditDimension.MULTI_AGENCY,
        "audit_type": AuditType.MULTI_AGENCY_PRACTICE, "year": 2026,
        "agencies": list(AGENCIES), "sample_size": 2, "returns_due": RETURNS_DUE,
        "by": CHAIR, "at": at(0),
    }
    fields.update(changes)
    return PlanAudit(**fields)


def planned(policy: Policy = DEFAULT_POLICY, **changes: object) -> AuditRecord:
    return AuditRecord.plan(plan(**changes), policy=policy)


def select_at_random_from(audit: AuditRecord, population: list[str], seed: object = SEED,
                          days: float = 1) -> None:
    audit.select_cases_at_random(cmd(SelectCasesAtRandom, audit, population=population,
                                     seed=seed, at=at(days)))


def select_by_risk(audit: AuditRecord, chosen: list[dict], days: float = 1) -> None:
    audit.select_cases_by_risk(cmd(SelectCasesByRisk, audit, candidates=chosen, at=at(days)))


def selected() -> AuditRecord:
    audit = planned()
    select_at_random_from(audit, POPULATION)
    return audit


def request_returns(audit: AuditRecord, days: float) -> None:
    audit.request_returns(cmd(RequestReturns, audit, at=at(days)))


def requested() -> AuditRecord:
    audit = selected()
    request_returns(audit, 2)
    return audit


def submission(audit: AuditRecord, agency: str, days: float = 3, **changes: object
               ) -> SubmitReturn:
    fields: dict = {"agency": agency, "supervision_grade": Grade.GOOD,
                    "oversight_grade": Grade.REQUIRES_IMPROVEMENT,
                    "evidence": "Supervision notes sampled for both cases", "by": agency,
                    "at": at(days)}
    return cmd(SubmitReturn, audit, **(fields | changes))


def submit(audit: AuditRecord, agency: str, days: float = 3) -> None:
    audit.submit_return(submission(audit, agency, days))


def chase(audit: AuditRecord, agency: str, days: float) -> None:
    audit.chase_return(cmd(ChaseReturn, audit, agency=agency, at=at(days)))


def escalate(audit: AuditRecord, agency: str, days: float) -> None:
    audit.escalate_non_compliance(cmd(EscalateNonCompliance, audit, agency=agency, at=at(days)))


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
    escalate(audit, "Police", PAST_DUE)
    return audit


def moderate(audit: AuditRecord, notes: str, days: float) -> None:
    audit.moderate(cmd(Moderate, audit, notes=notes, at=at(days)))


def moderated() -> AuditRecord:
    audit = all_returned()
    moderate(audit, "Grades agreed across agencies", 5)
    return audit


def record_findings(audit: AuditRecord, strengths: list[str], areas: list[str],
                    days: float) -> None:
    audit.record_findings(cmd(RecordFindings, audit, strengths=strengths,
                              areas_for_development=areas, at=at(days)))


def with_findings() -> AuditRecord:
    audit = moderated()
    record_findings(audit, ["Reflective supervision recorded"], ["Oversight of drift"], 6)
    return audit


def report(audit: AuditRecord, group: str, days: float) -> None:
    audit.report(cmd(ReportAudit, audit, group=group, at=at(days)))


def reported() -> AuditRecord:
    audit = with_findings()
    report(audit, GROUP, 7)
    return audit


def an_action(**changes: object) -> dict:
    action: dict = {"action": "Add a drift prompt to supervision templates",
                    "owner": "Health", "due_on": date(2026, 4, 1)}
    action.update(changes)
    return action


def agree(audit: AuditRecord, actions: list[dict], days: float) -> None:
    audit.agree_actions(cmd(AgreeActions, audit, actions=actions, at=at(days)))


def with_actions() -> AuditRecord:
    audit = reported()
    agree(audit, [an_action()], 8)
    return audit


def close(audit: AuditRecord, days: float) -> None:
    audit.close(cmd(CloseAudit, audit, at=at(days)))


def closed() -> AuditRecord:
    audit = with_actions()
    close(audit, 9)
    return audit


def review_plan(audit: AuditRecord, notes: str, days: float) -> None:
    audit.review_plan(cmd(ReviewPlan, audit, notes=notes, at=at(days)))


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
    review_plan(audit, "Themes still current", 180)  # Saturday 4 July 2026
    (event,) = audit.collect_events()
    assert type(event).__name__ == "PlanReviewed"
    assert event.next_review_due == date(2027, 1, 4) == audit.plan_review_due


def test_the_plan_review_is_overdue_after_its_due_date_until_reviewed_or_closed() -> None:
    audit = planned()
    assert not audit.plan_review_overdue(date(2026, 7, 5))
    assert audit.plan_review_overdue(date(2026, 7, 6))
    review_plan(audit, "Reviewed at the sub-group", 182)
    assert not audit.plan_review_overdue(date(2026, 7, 6))
    finished = closed()
    assert not finished.plan_review_overdue(date(2026, 12, 1))


def test_a_random_selection_can_be_reproduced_from_its_event() -> None:
    audit = planned()
    audit.collect_events()
    select_at_random_from(audit, POPULATION, SEED, 1)
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
    select_by_risk(audit, chosen, 1)
    assert audit.selected_cases == ["case-01", "case-02", "case-03"]
    assert audit.case_risks == {"case-01": "high", "case-02": "medium", "case-03": "escalating"}
    assert audit.selection_method == SelectionMethod.RISK
    assert event_names(audit)[-1] == "CasesSelectedByRisk"


def test_returns_are_requested_from_every_agency_and_tracked_until_submitted() -> None:
    audit = requested()
    assert audit.outstanding_returns == AGENCIES
    submit(audit, "Police")
    chase(audit, "Health", 10)
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
    moderate(audit, "Police return missing; escalated", PAST_DUE + 1)
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
    assert_input_refused(lambda: plan(dimension="regional"), "dimension",
                         "is not one of single_agency, multi_agency, partnership")


def test_an_audit_type_is_one_of_the_framework_audits() -> None:
    assert_input_refused(lambda: plan(audit_type="peer_challenge"), "audit_type",
                         "is not one of multi_agency_practice, section_11")


def test_an_audit_year_and_sample_size_are_whole_numbers() -> None:
    assert_input_refused(lambda: plan(year="2026"), "year", "is not a whole number")
    assert_input_refused(lambda: plan(sample_size=2.5), "sample_size", "is not a whole number")


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
    assert_input_refused(lambda: plan(at=datetime(2026, 1, 5, 9, 0)), "at", "time zone")


def test_returns_are_due_on_a_date() -> None:
    assert_input_refused(lambda: plan(returns_due=at(28)), "returns_due", "is not a date")


def test_a_plan_review_records_notes() -> None:
    audit = planned()
    assert_refused(audit, lambda: review_plan(audit, " ", 180), "records notes")


def test_a_plan_review_cannot_be_dated_before_the_previous_review() -> None:
    audit = planned()
    review_plan(audit, "First review", 180)
    assert_refused(audit, lambda: review_plan(audit, "Earlier?", 170),
                   "previous review; history reads forwards")


def test_a_fact_cannot_be_dated_before_the_audit_was_planned() -> None:
    audit = planned()
    assert_refused(audit, lambda: select_at_random_from(audit, POPULATION, SEED, -1),
                   "before its record was opened")


# --- selecting cases ---------------------------------------------------------------------


def test_the_population_cannot_be_smaller_than_the_sample() -> None:
    audit = planned(sample_size=3)
    assert_refused(audit, lambda: select_at_random_from(audit, ["a", "b"], SEED, 1),
                   "cannot be smaller than the audit's sample size")


def test_a_random_selection_needs_a_whole_number_seed() -> None:
    audit = planned()
    assert_input_refused(lambda: cmd(SelectCasesAtRandom, audit, population=POPULATION,
                                     seed="lucky", at=at(1)),
                         "seed", "is not a whole number")


def test_a_case_is_referred_to_by_its_id() -> None:
    audit = planned()
    assert_refused(audit, lambda: select_at_random_from(audit, ["a", "", "c"], SEED, 1),
                   "referred to by its id")


def test_a_case_is_listed_once_in_a_selection() -> None:
    audit = planned()
    assert_refused(audit, lambda: select_at_random_from(audit, ["a", "b", "a"], SEED, 1),
                   "listed once in a selection")


def test_low_risk_cases_cannot_be_chosen() -> None:
    audit = planned()
    chosen = [{"case_id": "a", "risk": "high"}, {"case_id": "b", "risk": Risk.LOW}]
    assert_refused(audit, lambda: select_by_risk(audit, chosen, 1),
                   "Only high, medium or escalating risk cases may be chosen")


def test_a_chosen_case_has_a_known_risk() -> None:
    audit = planned()
    chosen = [{"case_id": "a", "risk": "high"}, {"case_id": "b", "risk": "severe"}]
    assert_input_refused(lambda: cmd(SelectCasesByRisk, audit, candidates=chosen, at=at(1)),
                         "candidates.1.risk", "is not one of high, medium, escalating, low")


def test_a_selection_by_risk_chooses_exactly_the_sample_size() -> None:
    audit = planned()
    chosen = [{"case_id": "a", "risk": "high"}]
    assert_refused(audit, lambda: select_by_risk(audit, chosen, 1),
                   "exactly the audit's sample size")


def test_cases_are_selected_only_once() -> None:
    audit = selected()
    chosen = [{"case_id": "a", "risk": "high"}, {"case_id": "b", "risk": "medium"}]
    assert_refused(audit, lambda: select_by_risk(audit, chosen, 2),
                   "Selecting cases happens once")


def test_cases_cannot_be_selected_after_returns_are_requested() -> None:
    audit = requested()
    assert_refused(audit, lambda: select_at_random_from(audit, POPULATION, SEED, 3),
                   "Selecting cases happens once")


# --- agency returns ----------------------------------------------------------------------


def test_returns_are_requested_only_after_cases_are_selected() -> None:
    audit = planned()
    assert_refused(audit, lambda: request_returns(audit, 1),
                   "Requesting returns must come after case selection")


def test_returns_are_requested_once() -> None:
    audit = requested()
    assert_refused(audit, lambda: request_returns(audit, 3),
                   "Requesting returns happens once")


def test_returns_cannot_be_requested_after_they_are_due() -> None:
    audit = selected()
    assert_refused(audit, lambda: request_returns(audit, PAST_DUE),
                   "cannot be requested after they are due")


def test_a_return_must_refer_to_an_agency_in_the_audit() -> None:
    audit = requested()
    assert_refused(audit, lambda: submit(audit, "Probation"),
                   "must refer to an agency taking part in the audit")


def test_a_return_is_chased_only_after_returns_are_requested() -> None:
    audit = selected()
    assert_refused(audit, lambda: chase(audit, "Police", 3),
                   "only after returns are requested")


def test_a_submitted_return_is_not_chased() -> None:
    audit = requested()
    submit(audit, "Police")
    assert_refused(audit, lambda: chase(audit, "Police", 4),
                   "A submitted return is not chased")


def test_an_agency_submits_one_return() -> None:
    audit = requested()
    submit(audit, "Police")
    assert_refused(audit, lambda: submit(audit, "Police", days=4), "submits one return")


def test_a_return_grades_supervision_and_oversight_on_the_four_point_scale() -> None:
    audit = requested()
    assert_input_refused(
        lambda: submission(audit, "Police", supervision_grade="good", oversight_grade="adequate"),
        "oversight_grade", "is not one of outstanding, good, requires_improvement, inadequate",
    )
    assert_input_refused(lambda: submission(audit, "Police", supervision_grade="fine"),
                         "supervision_grade", "is not one of outstanding, good")
    audit.submit_return(submission(audit, "Police", supervision_grade="outstanding",
                                   oversight_grade="inadequate"))
    assert audit.returns["Police"]["supervision_grade"] == Grade.OUTSTANDING


def test_a_return_needs_evidence() -> None:
    audit = requested()
    assert_refused(
        audit, lambda: audit.submit_return(submission(audit, "Police", evidence="")),
        "needs evidence",
    )


def test_a_fact_about_a_return_cannot_be_dated_before_its_previous_fact() -> None:
    audit = requested()
    chase(audit, "Police", 10)
    assert_refused(audit, lambda: submit(audit, "Police", days=9),
                   "before the return's previous fact; history reads forwards")
    assert_refused(audit, lambda: chase(audit, "Health", 1.5),
                   "history reads forwards")


def test_non_compliance_is_escalated_only_after_the_due_date() -> None:
    audit = requested()
    on_due_date = 28  # 2 February 2026, the due date itself
    assert_refused(audit, lambda: escalate(audit, "Police", on_due_date),
                   "only after the returns due date has passed")


def test_an_agency_that_submitted_is_not_escalated() -> None:
    audit = requested()
    submit(audit, "Police")
    assert_refused(audit, lambda: escalate(audit, "Police", PAST_DUE),
                   "submitted its return is not escalated")


def test_non_compliance_is_escalated_once_per_agency() -> None:
    audit = police_escalated()
    assert_refused(audit, lambda: escalate(audit, "Police", PAST_DUE + 1),
                   "escalated once")


def test_returns_are_settled_once_the_audit_is_moderated() -> None:
    audit = police_escalated()
    moderate(audit, "Police missing", PAST_DUE + 1)
    assert_refused(audit, lambda: submit(audit, "Police", days=PAST_DUE + 2),
                   "settled once the audit has been moderated")


# --- moderation to close -----------------------------------------------------------------


def test_moderation_comes_after_returns_are_requested() -> None:
    audit = selected()
    assert_refused(audit, lambda: moderate(audit, "Too soon", 3),
                   "Moderation must come after returns are requested")


def test_moderation_waits_for_every_return_or_escalation() -> None:
    audit = requested()
    submit(audit, "Police")
    assert_refused(audit, lambda: moderate(audit, "Not yet", PAST_DUE),
                   "neither submitted nor escalated as non-compliant")


def test_moderation_records_notes() -> None:
    audit = all_returned()
    assert_refused(audit, lambda: moderate(audit, "", 5),
                   "Moderation records notes")


def test_moderation_happens_once() -> None:
    audit = moderated()
    assert_refused(audit, lambda: moderate(audit, "Again", 6),
                   "Moderation happens once")


def test_a_step_cannot_be_dated_before_the_previous_fact() -> None:
    audit = all_returned()
    assert_refused(audit, lambda: moderate(audit, "Backdated", 2.5),
                   "cannot be dated before its previous fact; history reads forwards")


def test_findings_are_recorded_only_after_moderation() -> None:
    audit = all_returned()
    assert_refused(audit, lambda: record_findings(audit, ["x"], [], 6),
                   "Recording findings must come after moderation")


def test_findings_name_at_least_one_strength_or_area_for_development() -> None:
    audit = moderated()
    assert_refused(audit, lambda: record_findings(audit, [], [], 6),
                   "at least one strength or area for development")


def test_each_finding_is_written_out() -> None:
    audit = moderated()
    assert_refused(audit, lambda: record_findings(audit, ["Good"], [" "], 6),
                   "never blank")


def test_an_audit_is_reported_only_after_findings_are_recorded() -> None:
    audit = moderated()
    assert_refused(audit, lambda: report(audit, GROUP, 7),
                   "Reporting must come after findings are recorded")


def test_an_audit_is_reported_to_a_named_group() -> None:
    audit = with_findings()
    assert_refused(audit, lambda: report(audit, "", 7), "to a named group")


def test_actions_are_agreed_only_after_the_audit_is_reported() -> None:
    audit = with_findings()
    assert_refused(audit, lambda: agree(audit, [an_action()], 8),
                   "Agreeing actions must come after the audit is reported")


def test_agreeing_actions_needs_at_least_one_action() -> None:
    audit = reported()
    assert_refused(audit, lambda: agree(audit, [], 8),
                   "at least one action")


def test_each_action_names_its_owner_and_due_date() -> None:
    audit = reported()
    assert_refused(audit, lambda: agree(audit, [an_action(owner="")], 8),
                   "names the action, its owner and a due date")


def test_each_action_is_due_on_a_date() -> None:
    audit = reported()
    assert_input_refused(lambda: cmd(AgreeActions, audit, actions=[an_action(due_on=None)],
                                     at=at(8)),
                         "actions.0.due_on", "is not a date")
    assert_input_refused(lambda: cmd(AgreeActions, audit, actions=[an_action(),
                                                                   an_action(due_on=at(40))],
                                     at=at(8)),
                         "actions.1.due_on", "is not a date")


def test_an_action_cannot_be_due_before_it_is_agreed() -> None:
    audit = reported()
    late = an_action(due_on=date(2026, 1, 1))
    assert_refused(audit, lambda: agree(audit, [late], 8),
                   "cannot be due before it is agreed")


def test_an_audit_closes_only_after_actions_are_agreed() -> None:
    audit = reported()
    assert_refused(audit, lambda: close(audit, 9),
                   "Closing must come after actions are agreed")


@pytest.mark.parametrize("command", [
    lambda a: close(a, 10),
    lambda a: review_plan(a, "After the end", 10),
    lambda a: chase(a, "Police", 10),
    lambda a: agree(a, [an_action()], 10),
], ids=["close", "review_plan", "chase_return", "agree_actions"])
def test_a_closed_audit_refuses_further_commands(command) -> None:
    audit = closed()
    assert_refused(audit, lambda: command(audit), "A closed audit refuses further commands")


def test_instants_in_commands_carry_a_time_zone() -> None:
    audit = planned()
    naive = datetime(2026, 1, 6, 9, 0)
    assert_input_refused(lambda: cmd(ReviewPlan, audit, notes="n", at=naive), "at", "time zone")


# --- the selected cases note the audit ----------------------------------------------------


def open_cases(app: Assured, count: int) -> list[Case]:
    return [app.open_case(OpenCase(child_reference=f"CH-2026-{n:04d}", agency="School",
                                   practitioner="teacher-1", supervisor="dsl-1",
                                   legal_status="child_in_need", risk="high", nation=Nation.ENG,
                                   by="dsl-1", at=at(0))).record
            for n in range(count)]


def test_each_case_selected_at_random_notes_the_audit_in_the_same_save(
    memory_app: Assured,
) -> None:
    cases = open_cases(memory_app, 4)
    audit = memory_app.plan_audit(plan()).record
    population = [str(case.id) for case in cases]
    memory_app.select_cases_at_random(cmd(SelectCasesAtRandom, audit, population=population,
                                          seed=SEED, by="process:audit-cycle", at=at(1)))
    chosen = memory_app.load(audit.id, AuditRecord).selected_cases
    assert chosen == select_at_random(population, SEED, 2)
    for case in cases:
        noted = memory_app.load(case.id, Case).audits
        assert noted == ([str(audit.id)] if str(case.id) in chosen else [])
    (selected_case,) = [e for e in memory_app.stored_events(UUID(chosen[0]))
                        if type(e).__name__ == "SelectedForAudit"]
    assert selected_case.actor == "process:audit-cycle" and selected_case.occurred_on == at(1)


def test_each_case_selected_by_risk_notes_the_audit(memory_app: Assured) -> None:
    high, escalating = open_cases(memory_app, 2)
    audit = memory_app.plan_audit(plan()).record
    memory_app.select_cases_by_risk(cmd(SelectCasesByRisk, audit, candidates=[
        {"case_id": str(high.id), "risk": "high"},
        {"case_id": str(escalating.id), "risk": "escalating"},
    ], at=at(1)))
    assert memory_app.load(high.id, Case).audits == [str(audit.id)]
    assert memory_app.load(escalating.id, Case).audits == [str(audit.id)]


def test_a_selected_case_must_exist_and_nothing_is_saved_otherwise(memory_app: Assured) -> None:
    (case,) = open_cases(memory_app, 1)
    audit = memory_app.plan_audit(plan()).record
    missing = "00000000-0000-4000-8000-000000000000"
    with pytest.raises(RecordNotFound):
        memory_app.select_cases_at_random(cmd(SelectCasesAtRandom, audit,
                                              population=[str(case.id), missing], seed=SEED,
                                              at=at(1)))
    assert memory_app.load(audit.id, AuditRecord).stage == AuditStage.PLANNED
    assert memory_app.load(case.id, Case).audits == []
