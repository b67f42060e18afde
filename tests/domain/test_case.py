"""A child's case under safeguarding supervision (seeds 002 and 003), told as scenarios."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

import pytest
from eventsourcing.domain import Snapshot
from eventsourcing.persistence import (
    DatetimeAsISO,
    JSONTranscoder,
    UUIDAsHex,
)

from domain.application import DateAsISO
from domain.calendar import Nation
from domain.case import Case
from domain.case_values import AgreedAction, AuditGrade, LegalStatus, Rag, RiskLevel
from domain.errors import RuleBroken
from domain.policy import DEFAULT_POLICY
from tests.refusals import assert_refused, at

SUPERVISOR = "dsl-1"
PRACTITIONER = "teacher-1"


def day(days: int) -> date:
    return at(days).date()


def open_case(**changes: Any) -> Case:
    fields: dict[str, Any] = {
        "child_reference": "CH-2026-0042", "agency": "Northfield Primary",
        "practitioner": PRACTITIONER, "supervisor": SUPERVISOR,
        "legal_status": LegalStatus.CHILD_IN_NEED, "risk": RiskLevel.MEDIUM,
        "nation": Nation.ENG, "by": SUPERVISOR, "at": at(0),
    }
    return Case.open(**(fields | changes))


def action(action_id: str = "act-1", due_day: int = 14, **changes: Any) -> AgreedAction:
    fields: AgreedAction = {"action_id": action_id, "description": "Home visit with the family",
                            "owner": PRACTITIONER, "due": day(due_day)}
    return fields | changes  # type: ignore[return-value]


def discuss(case: Case, discussion_id: str = "sup-1", on_day: int = 1, **changes: Any) -> None:
    fields: dict[str, Any] = {
        "supervisor": SUPERVISOR, "supervisee": PRACTITIONER,
        "needs": "Needs a stable school routine", "risks": "Neglect at home",
        "engagement": "Mother engages, father does not",
        "capacity_for_change": "Some capacity, with support", "plan": "Early help plan",
        "rag": Rag.A, "actions": [action(f"{discussion_id}-act", on_day + 14)],
        "next_discussion_on": day(on_day + 60), "by": SUPERVISOR, "at": at(on_day),
    }
    case.record_discussion(discussion_id, **(fields | changes))


def discussed_case(**changes: Any) -> Case:
    case = open_case()
    discuss(case, **changes)
    return case


def names(case: Case) -> list[str]:
    return [type(event).__name__ for event in case.collect_events()]


# --- opening -------------------------------------------------------------------------------


def test_a_case_opens_with_the_child_known_only_by_reference() -> None:
    case = open_case()
    assert names(case) == ["Opened"]
    assert case.child_reference == "CH-2026-0042"
    assert case.legal_status == "child_in_need" and case.risk == "medium" and case.nation == "ENG"
    assert case.supervisors == [{"supervisor": SUPERVISOR, "from": day(0), "reason": "case opened"}]
    assert case.id != open_case().id, "a child may have a new case after one closes"


@pytest.mark.parametrize("reference", ["Jane Smith", "JaneSmith", "C-1", "C" * 40 + "1", "C_1234"])
def test_child_references_are_pseudonymous(reference: str) -> None:
    with pytest.raises(RuleBroken, match="Child references are pseudonymous"):
        open_case(child_reference=reference)


def test_a_case_names_its_agency_practitioner_and_supervisor() -> None:
    with pytest.raises(RuleBroken, match="names its agency, practitioner and supervisor"):
        open_case(agency=" ")


def test_a_practitioner_cannot_supervise_their_own_case() -> None:
    with pytest.raises(RuleBroken, match="cannot be the supervisor of their own case"):
        open_case(supervisor=PRACTITIONER)


@pytest.mark.parametrize("field, value, rule", [
    ("legal_status", "in_need", "A legal status is one of"),
    ("risk", "severe", "A risk level is one of"),
    ("nation", "IRL", "A nation is one of"),
])
def test_a_case_opens_only_with_known_status_risk_and_nation(field: str, value: str,
                                                            rule: str) -> None:
    with pytest.raises(RuleBroken, match=rule):
        open_case(**{field: value})


def test_no_fact_is_dated_before_the_case_opened() -> None:
    case = open_case()
    assert_refused(case, lambda: case.change_risk(RiskLevel.HIGH, by=SUPERVISOR, at=at(-1)),
                   "cannot be dated before its record was opened")


# --- legal status and risk -----------------------------------------------------------------


def test_legal_status_and_risk_changes_are_recorded() -> None:
    case = open_case()
    case.change_legal_status(LegalStatus.CHILD_PROTECTION, by=SUPERVISOR, at=at(2))
    case.change_risk("escalating", by=SUPERVISOR, at=at(2))
    assert names(case) == ["Opened", "LegalStatusChanged", "RiskChanged"]
    assert case.legal_status == LegalStatus.CHILD_PROTECTION and case.risk == RiskLevel.ESCALATING


def test_a_legal_status_change_must_change_the_status() -> None:
    case = open_case()
    assert_refused(case, lambda: case.change_legal_status("child_in_need", by=SUPERVISOR, at=at(1)),
                   "must move the case to a different status")


def test_a_risk_change_must_change_the_level() -> None:
    case = open_case()
    assert_refused(case, lambda: case.change_risk(RiskLevel.MEDIUM, by=SUPERVISOR, at=at(1)),
                   "must move the case to a different level")


# --- supervision discussions ---------------------------------------------------------------


def test_a_discussion_records_the_template_and_the_deadline_for_the_next() -> None:
    case = open_case()
    discuss(case, next_discussion_on=day(80))
    events = case.collect_events()
    recorded = events[-1]
    assert type(recorded).__name__ == "DiscussionRecorded"
    assert recorded.next_discussion_limit == date(2026, 4, 6)  # three months after 6 January
    assert recorded.actions == [{"action_id": "sup-1-act", "description": "Home visit with "
                                 "the family", "owner": PRACTITIONER, "due": day(15)}]
    assert case.actions["sup-1-act"]["status"] == "open"
    assert case.latest_discussion is not None and case.latest_discussion["rag"] == Rag.A


def test_a_child_in_need_is_discussed_no_more_than_three_months_apart() -> None:
    case = open_case()
    assert_refused(case, lambda: discuss(case, next_discussion_on=date(2026, 4, 7)),
                   "A child in need is discussed no more than 3 months apart")


def test_other_children_have_no_three_month_limit_on_the_next_discussion() -> None:
    case = open_case(legal_status=LegalStatus.EARLY_HELP)
    discuss(case, next_discussion_on=date(2026, 6, 1))
    assert case.collect_events()[-1].next_discussion_limit is None


def test_the_next_discussion_is_dated_after_this_one() -> None:
    case = open_case()
    assert_refused(case, lambda: discuss(case, next_discussion_on=day(1)),
                   "The next discussion must be dated after this discussion")


def test_a_discussion_id_is_used_once() -> None:
    case = discussed_case()
    assert_refused(case, lambda: discuss(case, on_day=3, actions=[]), "discussion id is used only once")


def test_a_discussion_is_held_by_the_current_supervisor() -> None:
    case = open_case()
    assert_refused(case, lambda: discuss(case, supervisor="manager-1"),
                   "held by the case's current supervisor")


def test_a_discussion_needs_a_supervisee_other_than_the_supervisor() -> None:
    case = open_case()
    assert_refused(case, lambda: discuss(case, supervisee=SUPERVISOR),
                   "needs a supervisee other than the supervisor")


def test_a_discussion_records_needs_risks_engagement_capacity_and_plan() -> None:
    case = open_case()
    assert_refused(case, lambda: discuss(case, capacity_for_change=""),
                   "records the child's needs, risks, engagement, capacity for change and plan")


def test_a_discussion_is_rated_green_amber_or_red() -> None:
    case = open_case()
    assert_refused(case, lambda: discuss(case, rag="amber"), "A RAG rating is G")


def test_discussions_are_recorded_in_the_order_they_were_held() -> None:
    case = discussed_case(on_day=10)
    assert_refused(case, lambda: discuss(case, "sup-2", on_day=5, actions=[]),
                   "cannot be dated before the previous discussion")


@pytest.mark.parametrize("bad_action, rule", [
    (action(description=""), "needs an action id and a description"),
    (action(owner=" "), "needs an owner"),
    (action(due=None), "needs a due date"),
    (action(due=at(20)), "needs a due date"),
    (action(due_day=0), "cannot be due before the discussion that agreed it"),
], ids=["description", "owner", "due date", "instant not date", "due before discussion"])
def test_every_agreed_action_has_an_owner_and_a_due_date(bad_action: AgreedAction,
                                                         rule: str) -> None:
    case = open_case()
    assert_refused(case, lambda: discuss(case, actions=[bad_action]), rule)


def test_an_action_id_is_used_once_on_a_case() -> None:
    case = open_case()
    assert_refused(case, lambda: discuss(case, actions=[action("a"), action("a")]),
                   "action id is used only once")


# --- signatures ----------------------------------------------------------------------------


def test_a_record_is_accurate_once_every_party_has_signed() -> None:
    case = discussed_case()
    case.sign_discussion("sup-1", SUPERVISOR, by=SUPERVISOR, at=at(1))
    assert not case.is_accurate("sup-1")
    case.sign_discussion("sup-1", PRACTITIONER, by=PRACTITIONER, at=at(2))
    assert case.is_accurate("sup-1")
    assert names(case)[-2:] == ["DiscussionSigned", "DiscussionSigned"]


def test_only_a_party_to_the_discussion_signs_it() -> None:
    case = discussed_case()
    assert_refused(case, lambda: case.sign_discussion("sup-1", "head-1", by="head-1", at=at(2)),
                   "Only a party to the discussion")


def test_each_party_signs_once() -> None:
    case = discussed_case()
    case.sign_discussion("sup-1", SUPERVISOR, by=SUPERVISOR, at=at(2))
    assert_refused(case, lambda: case.sign_discussion("sup-1", SUPERVISOR, by=SUPERVISOR,
                                                      at=at(3)), "signs a discussion record once")


def test_a_signature_refers_to_a_recorded_discussion() -> None:
    case = discussed_case()
    assert_refused(case, lambda: case.sign_discussion("sup-9", SUPERVISOR, by=SUPERVISOR,
                                                      at=at(2)), "must refer to a recorded discussion")


def test_a_discussion_is_not_signed_before_it_was_held() -> None:
    case = discussed_case(on_day=5)
    assert_refused(case, lambda: case.sign_discussion("sup-1", SUPERVISOR, by=SUPERVISOR,
                                                      at=at(4)), "History reads forwards")


# --- agreed actions ------------------------------------------------------------------------


def test_actions_fall_overdue_and_are_completed() -> None:
    case = discussed_case()  # action "sup-1-act" due on day 15
    assert case.overdue_actions(day(15)) == []
    assert [a["action_id"] for a in case.overdue_actions(day(16))] == ["sup-1-act"]
    case.mark_action_overdue("sup-1-act", day(16), by=SUPERVISOR, at=at(16))
    case.complete_action("sup-1-act", by=PRACTITIONER, at=at(20))
    assert names(case)[-2:] == ["ActionMarkedOverdue", "ActionCompleted"]
    assert case.overdue_actions(day(21)) == []
    assert len(case.overdue_actions(day(18))) == 1, "it was still overdue on day 18"


def test_an_action_is_completed_once() -> None:
    case = discussed_case()
    case.complete_action("sup-1-act", by=PRACTITIONER, at=at(3))
    assert_refused(case, lambda: case.complete_action("sup-1-act", by=PRACTITIONER, at=at(4)),
                   "completed only once")


def test_a_command_about_an_action_refers_to_a_recorded_action() -> None:
    case = discussed_case()
    assert_refused(case, lambda: case.complete_action("act-9", by=PRACTITIONER, at=at(4)),
                   "must refer to a recorded agreed action")


def test_an_action_is_not_completed_before_it_was_agreed() -> None:
    case = discussed_case(on_day=5)
    assert_refused(case, lambda: case.complete_action("sup-1-act", by=PRACTITIONER, at=at(4)),
                   "History reads forwards")


def test_only_an_open_action_is_marked_overdue() -> None:
    case = discussed_case()
    case.complete_action("sup-1-act", by=PRACTITIONER, at=at(3))
    assert_refused(case, lambda: case.mark_action_overdue("sup-1-act", day(20), by=SUPERVISOR,
                                                          at=at(20)), "Only an open action")


def test_an_action_is_overdue_only_after_its_due_date() -> None:
    case = discussed_case()
    assert_refused(case, lambda: case.mark_action_overdue("sup-1-act", day(15), by=SUPERVISOR,
                                                          at=at(15)), "only after its due date")


def test_an_action_is_not_marked_overdue_for_a_date_still_to_come() -> None:
    case = discussed_case()
    assert_refused(case, lambda: case.mark_action_overdue("sup-1-act", day(20), by=SUPERVISOR,
                                                          at=at(10)), "a date still to come")


# --- drift ---------------------------------------------------------------------------------


def test_a_red_rating_is_drift() -> None:
    case = discussed_case(rag=Rag.R)
    assert case.drift_reasons(day(2)) == [
        "The latest supervision discussion rated the child's circumstances as getting worse (R)"
    ]


def test_two_discussions_without_improvement_are_drift() -> None:
    case = discussed_case(rag=Rag.G)
    discuss(case, "sup-2", on_day=30, rag=Rag.A)
    assert not case.is_drifting(day(31))
    discuss(case, "sup-3", on_day=60, rag=Rag.A)
    assert case.drift_reasons(day(61)) == [
        ("The child's circumstances have not improved across the two most recent supervision "
         "discussions (rated A then A)")
    ]
    assert not case.is_drifting(day(59)), "the third discussion had not yet been held"


def test_a_child_in_need_without_discussion_for_three_months_is_drifting() -> None:
    case = open_case()
    assert case.drift_reasons(date(2026, 4, 5)) == []
    assert case.drift_reasons(date(2026, 4, 6)) == [
        ("A child in need has gone more than 3 months without a supervision discussion "
         "(since 2026-01-05, due by 2026-04-05)")
    ]
    discuss(case, rag=Rag.G)
    assert not case.is_drifting(date(2026, 4, 6)), "counted again from the discussion"
    assert case.is_drifting(date(2026, 4, 6), DEFAULT_POLICY.with_overrides(
        cin_supervision_interval=1)), "the interval is a policy setting"


def test_other_children_do_not_drift_by_the_child_in_need_interval() -> None:
    case = open_case(legal_status=LegalStatus.LOOKED_AFTER)
    assert case.drift_reasons(date(2026, 12, 1)) == []


def test_flagging_drift_records_its_reasons() -> None:
    case = discussed_case(rag=Rag.R)
    case.flag_drift(day(3), by=SUPERVISOR, at=at(3))
    flagged = case.collect_events()[-1]
    assert type(flagged).__name__ == "DriftFlagged" and flagged.on == day(3)
    assert flagged.reasons == case.drift_reasons(day(3))
    assert case.drift_flags[0]["reasons"] == flagged.reasons


def test_drift_is_flagged_only_when_the_case_shows_drift() -> None:
    case = discussed_case(rag=Rag.G)
    assert_refused(case, lambda: case.flag_drift(day(3), by=SUPERVISOR, at=at(3)),
                   "only when the case shows drift")


def test_drift_is_not_flagged_for_a_date_still_to_come() -> None:
    case = discussed_case(rag=Rag.R)
    assert_refused(case, lambda: case.flag_drift(day(9), by=SUPERVISOR, at=at(3)),
                   "a date still to come")


# --- concerns ------------------------------------------------------------------------------


def case_with_concern() -> Case:
    case = open_case()
    case.raise_concern("con-1", "Plan not progressing", by=PRACTITIONER, at=at(1))
    return case


def test_a_concern_escalates_from_supervisor_to_senior_manager_and_is_resolved() -> None:
    case = case_with_concern()
    assert case.concerns["con-1"]["stage_name"] == "supervisor"
    case.escalate_concern("con-1", "No response in a week", by=PRACTITIONER, at=at(8))
    assert case.concerns["con-1"]["stage_name"] == "manager"
    case.escalate_concern("con-1", "Still drifting", by=PRACTITIONER, at=at(15))
    assert case.concerns["con-1"]["stage"] == 3
    assert case.concerns["con-1"]["stage_name"] == "senior manager or partnership"
    case.resolve_concern("con-1", "Strategy meeting held", by="head-1", at=at(16))
    assert names(case)[1:] == ["ConcernRaised", "ConcernEscalated", "ConcernEscalated",
                               "ConcernResolved"]


def test_a_concern_cannot_be_escalated_beyond_stage_three() -> None:
    case = case_with_concern()
    case.escalate_concern("con-1", "No response", by=PRACTITIONER, at=at(2))
    case.escalate_concern("con-1", "No response", by=PRACTITIONER, at=at(3))
    assert_refused(case, lambda: case.escalate_concern("con-1", "Again", by=PRACTITIONER,
                                                       at=at(4)), "beyond stage 3")


def test_a_resolved_concern_cannot_be_escalated() -> None:
    case = case_with_concern()
    case.resolve_concern("con-1", "Plan revised", by=SUPERVISOR, at=at(2))
    assert_refused(case, lambda: case.escalate_concern("con-1", "Unhappy", by=PRACTITIONER,
                                                       at=at(3)), "resolved concern cannot be")


def test_a_concern_is_resolved_once() -> None:
    case = case_with_concern()
    case.resolve_concern("con-1", "Plan revised", by=SUPERVISOR, at=at(2))
    assert_refused(case, lambda: case.resolve_concern("con-1", "Again", by=SUPERVISOR, at=at(3)),
                   "resolved only once")


def test_an_escalation_needs_a_reason() -> None:
    case = case_with_concern()
    assert_refused(case, lambda: case.escalate_concern("con-1", " ", by=PRACTITIONER, at=at(2)),
                   "An escalation needs a reason")


def test_resolving_a_concern_records_its_outcome() -> None:
    case = case_with_concern()
    assert_refused(case, lambda: case.resolve_concern("con-1", "", by=SUPERVISOR, at=at(2)),
                   "records its outcome")


def test_a_concern_id_is_used_once_and_a_concern_needs_a_summary() -> None:
    case = case_with_concern()
    assert_refused(case, lambda: case.raise_concern("con-1", "More", by=SUPERVISOR, at=at(2)),
                   "concern id is used only once")
    assert_refused(case, lambda: case.raise_concern("con-2", "", by=SUPERVISOR, at=at(2)),
                   "A concern needs a summary")


def test_a_command_about_a_concern_refers_to_a_raised_concern() -> None:
    case = case_with_concern()
    assert_refused(case, lambda: case.resolve_concern("con-9", "Done", by=SUPERVISOR, at=at(2)),
                   "must refer to a recorded concern")


def test_a_concern_is_not_escalated_before_its_last_change() -> None:
    case = case_with_concern()
    case.escalate_concern("con-1", "No response", by=PRACTITIONER, at=at(5))
    assert_refused(case, lambda: case.resolve_concern("con-1", "Done", by=SUPERVISOR, at=at(4)),
                   "History reads forwards")


# --- professional disagreements ------------------------------------------------------------


def case_with_disagreement() -> Case:
    case = open_case()
    case.raise_disagreement("dis-1", ["School", "Children's Services"],
                            "Threshold for a strategy discussion", by=SUPERVISOR, at=at(1))
    return case


def test_a_professional_disagreement_is_raised_and_resolved() -> None:
    case = case_with_disagreement()
    case.resolve_disagreement("dis-1", "Strategy discussion agreed", by=SUPERVISOR, at=at(3))
    assert names(case)[1:] == ["DisagreementRaised", "DisagreementResolved"]
    assert case.disagreements["dis-1"]["between"] == ["School", "Children's Services"]
    assert case.disagreements["dis-1"]["outcome"] == "Strategy discussion agreed"


def test_a_disagreement_is_between_two_different_parties() -> None:
    case = open_case()
    assert_refused(case, lambda: case.raise_disagreement("dis-1", ["School", "School"], "Why",
                                                         by=SUPERVISOR, at=at(1)),
                   "between at least two different agencies or people")


def test_a_disagreement_id_is_used_once_and_needs_a_summary() -> None:
    case = case_with_disagreement()
    assert_refused(case, lambda: case.raise_disagreement("dis-1", ["A", "B"], "Why",
                                                         by=SUPERVISOR, at=at(2)),
                   "disagreement id is used only once")
    assert_refused(case, lambda: case.raise_disagreement("dis-2", ["A", "B"], " ",
                                                         by=SUPERVISOR, at=at(2)),
                   "needs a summary")


def test_a_disagreement_is_resolved_once_with_an_outcome() -> None:
    case = case_with_disagreement()
    assert_refused(case, lambda: case.resolve_disagreement("dis-1", "", by=SUPERVISOR, at=at(2)),
                   "Resolving a disagreement records its outcome")
    case.resolve_disagreement("dis-1", "Agreed", by=SUPERVISOR, at=at(2))
    assert_refused(case, lambda: case.resolve_disagreement("dis-1", "Again", by=SUPERVISOR,
                                                           at=at(3)), "resolved only once")


def test_a_resolution_refers_to_a_raised_disagreement_and_reads_forwards() -> None:
    case = case_with_disagreement()
    assert_refused(case, lambda: case.resolve_disagreement("dis-9", "Agreed", by=SUPERVISOR,
                                                           at=at(2)),
                   "must refer to a recorded disagreement")
    assert_refused(case, lambda: case.resolve_disagreement("dis-1", "Agreed", by=SUPERVISOR,
                                                           at=at(0.5)), "History reads forwards")


# --- audit grades, supervisor changes and closure ------------------------------------------

AUDIT_ID = uuid5(NAMESPACE_URL, "assured:audit:2026-q1")


def test_an_audit_grade_is_linked_to_its_audit() -> None:
    case = open_case()
    case.record_audit_grade(AUDIT_ID, AuditGrade.REQUIRES_IMPROVEMENT, by="auditor-1", at=at(5))
    grade = case.audit_grades[str(AUDIT_ID)]
    assert grade["grade"] == "requires_improvement" and UUID(grade["audit_id"]) == AUDIT_ID
    assert names(case)[-1] == "AuditGradeRecorded"


def test_an_audit_grade_refers_to_an_audit_and_is_a_known_grade() -> None:
    case = open_case()
    assert_refused(case, lambda: case.record_audit_grade("", "good", by="a", at=at(1)),
                   "must refer to an audit id")
    assert_refused(case, lambda: case.record_audit_grade(AUDIT_ID, "fine", by="a", at=at(1)),
                   "An audit grade is one of")


def test_an_audit_grades_a_case_once() -> None:
    case = open_case()
    case.record_audit_grade(AUDIT_ID, "good", by="auditor-1", at=at(5))
    assert_refused(case, lambda: case.record_audit_grade(str(AUDIT_ID), "inadequate",
                                                         by="auditor-1", at=at(6)),
                   "grades a case only once")


def test_a_new_supervisor_takes_over_and_the_history_is_kept() -> None:
    case = discussed_case()
    case.change_supervisor("dsl-2", "Supervisor left the school", by="head-1", at=at(40))
    assert case.supervisor == "dsl-2"
    assert [(s["supervisor"], s["from"]) for s in case.supervisors] == [
        (SUPERVISOR, day(0)), ("dsl-2", day(40))]
    assert_refused(case, lambda: discuss(case, "sup-2", on_day=41),
                   "held by the case's current supervisor")
    discuss(case, "sup-2", on_day=41, supervisor="dsl-2")


def test_a_new_supervisor_is_a_different_named_person_other_than_the_practitioner() -> None:
    case = open_case()
    change = case.change_supervisor
    assert_refused(case, lambda: change(SUPERVISOR, "Rota", by="h", at=at(1)),
                   "different person from the current supervisor")
    assert_refused(case, lambda: change(" ", "Rota", by="h", at=at(1)),
                   "A new supervisor must be named")
    assert_refused(case, lambda: change(PRACTITIONER, "Rota", by="h", at=at(1)),
                   "cannot be the supervisor of their own case")


def test_a_change_of_supervisor_needs_a_reason() -> None:
    case = open_case()
    assert_refused(case, lambda: case.change_supervisor("dsl-2", "", by="h", at=at(1)),
                   "needs a reason")


def test_closing_a_case_needs_a_reason() -> None:
    case = open_case()
    assert_refused(case, lambda: case.close(" ", by=SUPERVISOR, at=at(1)),
                   "Closing a case needs a reason")


@pytest.mark.parametrize("command", [
    lambda case: case.change_risk("high", by=SUPERVISOR, at=at(9)),
    lambda case: discuss(case, "sup-2", on_day=9),
    lambda case: case.sign_discussion("sup-1", SUPERVISOR, by=SUPERVISOR, at=at(9)),
    lambda case: case.complete_action("sup-1-act", by=SUPERVISOR, at=at(9)),
    lambda case: case.raise_concern("con-1", "Late", by=SUPERVISOR, at=at(9)),
    lambda case: case.record_audit_grade(AUDIT_ID, "good", by=SUPERVISOR, at=at(9)),
    lambda case: case.change_supervisor("dsl-2", "Left", by=SUPERVISOR, at=at(9)),
    lambda case: case.close("Again", by=SUPERVISOR, at=at(9)),
], ids=["risk", "discussion", "signature", "action", "concern", "audit", "supervisor", "close"])
def test_a_closed_case_refuses_every_further_command(command: Any) -> None:
    case = discussed_case()
    case.close("Child moved out of area", by=SUPERVISOR, at=at(8))
    assert names(case)[-1] == "Closed"
    assert_refused(case, lambda: command(case), "A closed case refuses every further command")


# --- history -------------------------------------------------------------------------------


def busy_case() -> Case:
    case = discussed_case(rag=Rag.R)
    case.sign_discussion("sup-1", SUPERVISOR, by=SUPERVISOR, at=at(2))
    case.mark_action_overdue("sup-1-act", day(16), by=SUPERVISOR, at=at(16))
    case.flag_drift(day(16), by=SUPERVISOR, at=at(16))
    case.raise_concern("con-1", "Drift", by=SUPERVISOR, at=at(16))
    case.escalate_concern("con-1", "Drift", by=SUPERVISOR, at=at(17))
    case.raise_disagreement("dis-1", ["School", "Police"], "Threshold", by=SUPERVISOR, at=at(17))
    case.record_audit_grade(AUDIT_ID, "good", by="auditor-1", at=at(18))
    case.change_supervisor("dsl-2", "Left", by="head-1", at=at(19))
    case.close("Stepped down", by="dsl-2", at=at(20))
    return case


def test_replaying_the_events_rebuilds_the_same_case() -> None:
    case = busy_case()
    rebuilt: Any = None
    for recorded in case.collect_events():
        rebuilt = recorded.mutate(rebuilt)
    assert vars(rebuilt) == vars(case)


def test_a_snapshot_through_json_restores_the_same_case() -> None:
    case = busy_case()
    case.collect_events()
    transcoder = JSONTranscoder()
    for transcoding in (UUIDAsHex(), DatetimeAsISO(), DateAsISO()):
        transcoder.register(transcoding)
    snapshot = Snapshot.take(case)
    state = transcoder.decode(transcoder.encode(snapshot.state))
    restored = Snapshot(originator_id=snapshot.originator_id, originator_version=snapshot.
                        originator_version, timestamp=snapshot.timestamp,
                        topic=snapshot.topic, state=state).mutate(None)
    assert vars(restored) == vars(case)
    assert restored.drift_reasons(day(16)) == case.drift_reasons(day(16))
    assert restored.overdue_actions(day(16)) == case.overdue_actions(day(16))
