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
    NoteAuditSelection,
    OpenCase,
    RaiseCaseConcern,
    RaiseDisagreement,
    RecordAuditGrade,
    RecordDiscussion,
    ResolveCaseConcern,
    ResolveDisagreement,
    SignDiscussion,
)
from domain.case_values import AuditGrade, LegalStatus, Rag, RiskLevel, risk_level
from domain.errors import RuleBroken
from domain.policy import DEFAULT_POLICY
from tests.commands import Commands
from tests.refusals import assert_input_refused, assert_refused, at

SUPERVISOR = "dsl-1"
PRACTITIONER = "teacher-1"

cmd = Commands(by=SUPERVISOR)


def day(days: int) -> date:
    return at(days).date()


def opening(**changes: Any) -> OpenCase:
    fields: dict[str, Any] = {
        "child_reference": "CH-2026-0042", "agency": "Northfield Primary",
        "practitioner": PRACTITIONER, "supervisor": SUPERVISOR,
        "legal_status": LegalStatus.CHILD_IN_NEED, "risk": RiskLevel.MEDIUM,
        "nation": Nation.ENG, "by": SUPERVISOR, "at": at(0),
    }
    return OpenCase(**(fields | changes))


def open_case(**changes: Any) -> Case:
    return Case.open(opening(**changes))


def action_fields(action_id: str = "act-1", due_day: int = 14, **changes: Any) -> dict[str, Any]:
    """An agreed action in its plain form, as a person gives it."""
    fields = {"action_id": action_id, "description": "Home visit with the family",
              "owner": PRACTITIONER, "due": day(due_day)}
    return fields | changes


def action(action_id: str = "act-1", due_day: int = 14, **changes: Any) -> AgreedAction:
    return AgreedAction(**action_fields(action_id, due_day, **changes))


def discussion(case: Case, discussion_id: str = "sup-1", on_day: int = 1,
               **changes: Any) -> RecordDiscussion:
    fields: dict[str, Any] = {
        "supervisor": SUPERVISOR, "supervisee": PRACTITIONER,
        "needs": "Needs a stable school routine", "risks": "Neglect at home",
        "engagement": "Mother engages, father does not",
        "capacity_for_change": "Some capacity, with support", "plan": "Early help plan",
        "rag": Rag.A, "actions": [action(f"{discussion_id}-act", on_day + 14)],
        "next_discussion_on": day(on_day + 60), "at": at(on_day),
    }
    return cmd(RecordDiscussion, case, discussion_id=discussion_id, **(fields | changes))


def discuss(case: Case, discussion_id: str = "sup-1", on_day: int = 1, **changes: Any) -> None:
    case.record_discussion(discussion(case, discussion_id, on_day, **changes))


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
    assert case.audits == []
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


@pytest.mark.parametrize("field, value, allowed", [
    ("legal_status", "in_need", "early_help, child_in_need, child_protection, looked_after"),
    ("risk", "severe", "low, medium, high, escalating"),
    ("nation", "IRL", "ENG, WLS, SCT, NIR"),
])
def test_a_case_opens_only_with_known_status_risk_and_nation(field: str, value: str,
                                                            allowed: str) -> None:
    assert_input_refused(lambda: opening(**{field: value}), field, f"is not one of {allowed}")


def test_status_risk_and_nation_may_be_given_by_their_values() -> None:
    given = opening(legal_status="looked_after", risk="high", nation="SCT")
    assert given.legal_status is LegalStatus.LOOKED_AFTER and given.risk is RiskLevel.HIGH
    assert given.nation is Nation.SCT


def test_no_fact_is_dated_before_the_case_opened() -> None:
    case = open_case()
    assert_refused(case, lambda: case.change_risk(cmd(ChangeRisk, case, new_risk=RiskLevel.HIGH,
                                                      at=at(-1))),
                   "cannot be dated before its record was opened")


# --- legal status and risk -----------------------------------------------------------------


def test_legal_status_and_risk_changes_are_recorded() -> None:
    case = open_case()
    case.change_legal_status(cmd(ChangeLegalStatus, case,
                                 new_status=LegalStatus.CHILD_PROTECTION, at=at(2)))
    case.change_risk(cmd(ChangeRisk, case, new_risk="escalating", at=at(2)))
    assert names(case) == ["Opened", "LegalStatusChanged", "RiskChanged"]
    assert case.legal_status == LegalStatus.CHILD_PROTECTION and case.risk == RiskLevel.ESCALATING


def test_a_legal_status_change_must_change_the_status() -> None:
    case = open_case()
    assert_refused(case, lambda: case.change_legal_status(cmd(ChangeLegalStatus, case,
                                                              new_status="child_in_need",
                                                              at=at(1))),
                   "must move the case to a different status")


def test_a_risk_change_must_change_the_level() -> None:
    case = open_case()
    assert_refused(case, lambda: case.change_risk(cmd(ChangeRisk, case, new_risk=RiskLevel.MEDIUM,
                                                      at=at(1))),
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


def test_agreed_actions_may_be_given_in_their_plain_form() -> None:
    case = open_case()
    discuss(case, actions=[action_fields("plain-1", 20)])
    assert case.actions["plain-1"]["due"] == day(20)
    assert case.actions["plain-1"]["owner"] == PRACTITIONER


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
    assert_refused(case, lambda: discuss(case, on_day=3, actions=[]),
                   "discussion id is used only once")


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
    assert_input_refused(lambda: discussion(case, rag="amber"), "rag", "is not one of G, A, R")


def test_discussions_are_recorded_in_the_order_they_were_held() -> None:
    case = discussed_case(on_day=10)
    assert_refused(case, lambda: discuss(case, "sup-2", on_day=5, actions=[]),
                   "cannot be dated before the previous discussion")


@pytest.mark.parametrize("bad_action, rule", [
    (action_fields(description=""), "needs an action id and a description"),
    (action_fields(owner=" "), "needs an owner"),
    (action_fields(due_day=0), "cannot be due before the discussion that agreed it"),
], ids=["description", "owner", "due before discussion"])
def test_every_agreed_action_has_an_owner_and_a_due_date(bad_action: dict[str, Any],
                                                         rule: str) -> None:
    case = open_case()
    assert_refused(case, lambda: discuss(case, actions=[bad_action]), rule)


@pytest.mark.parametrize("due, problem", [
    (None, "is not a date"),
    (at(20), "is not a date"),
    ("2026-01-25", "is not a date"),
], ids=["no due date", "instant not date", "text not date"])
def test_an_agreed_action_is_due_on_a_date(due: Any, problem: str) -> None:
    case = open_case()
    second = action_fields("act-2", due=due)
    assert_input_refused(lambda: discussion(case, actions=[action_fields(), second]),
                         "actions.1.due", problem)


def test_an_action_id_is_used_once_on_a_case() -> None:
    case = open_case()
    assert_refused(case, lambda: discuss(case, actions=[action("a"), action("a")]),
                   "action id is used only once")


# --- signatures ----------------------------------------------------------------------------


def sign(case: Case, party: str, when: float, discussion_id: str = "sup-1") -> None:
    case.sign_discussion(cmd(SignDiscussion, case, discussion_id=discussion_id, party=party,
                             by=party, at=at(when)))


def test_a_record_is_accurate_once_every_party_has_signed() -> None:
    case = discussed_case()
    sign(case, SUPERVISOR, 1)
    assert not case.is_accurate("sup-1")
    sign(case, PRACTITIONER, 2)
    assert case.is_accurate("sup-1")
    assert names(case)[-2:] == ["DiscussionSigned", "DiscussionSigned"]


def test_only_a_party_to_the_discussion_signs_it() -> None:
    case = discussed_case()
    assert_refused(case, lambda: sign(case, "head-1", 2), "Only a party to the discussion")


def test_each_party_signs_once() -> None:
    case = discussed_case()
    sign(case, SUPERVISOR, 2)
    assert_refused(case, lambda: sign(case, SUPERVISOR, 3), "signs a discussion record once")


def test_a_signature_refers_to_a_recorded_discussion() -> None:
    case = discussed_case()
    assert_refused(case, lambda: sign(case, SUPERVISOR, 2, discussion_id="sup-9"),
                   "must refer to a recorded discussion")


def test_a_discussion_is_not_signed_before_it_was_held() -> None:
    case = discussed_case(on_day=5)
    assert_refused(case, lambda: sign(case, SUPERVISOR, 4), "History reads forwards")


# --- agreed actions ------------------------------------------------------------------------


def complete(case: Case, action_id: str, when: float) -> None:
    case.complete_action(cmd(CompleteAction, case, action_id=action_id, by=PRACTITIONER,
                             at=at(when)))


def mark_overdue(case: Case, action_id: str, on: date, when: float) -> None:
    case.mark_action_overdue(cmd(MarkActionOverdue, case, action_id=action_id, on=on,
                                 at=at(when)))


def test_actions_fall_overdue_and_are_completed() -> None:
    case = discussed_case()  # action "sup-1-act" due on day 15
    assert case.overdue_actions(day(15)) == []
    assert [a["action_id"] for a in case.overdue_actions(day(16))] == ["sup-1-act"]
    mark_overdue(case, "sup-1-act", day(16), 16)
    complete(case, "sup-1-act", 20)
    assert names(case)[-2:] == ["ActionMarkedOverdue", "ActionCompleted"]
    assert case.overdue_actions(day(21)) == []
    assert len(case.overdue_actions(day(18))) == 1, "it was still overdue on day 18"


def test_an_action_is_completed_once() -> None:
    case = discussed_case()
    complete(case, "sup-1-act", 3)
    assert_refused(case, lambda: complete(case, "sup-1-act", 4), "completed only once")


def test_a_command_about_an_action_refers_to_a_recorded_action() -> None:
    case = discussed_case()
    assert_refused(case, lambda: complete(case, "act-9", 4),
                   "must refer to a recorded agreed action")


def test_an_action_is_not_completed_before_it_was_agreed() -> None:
    case = discussed_case(on_day=5)
    assert_refused(case, lambda: complete(case, "sup-1-act", 4), "History reads forwards")


def test_only_an_open_action_is_marked_overdue() -> None:
    case = discussed_case()
    complete(case, "sup-1-act", 3)
    assert_refused(case, lambda: mark_overdue(case, "sup-1-act", day(20), 20),
                   "Only an open action")


def test_an_action_is_overdue_only_after_its_due_date() -> None:
    case = discussed_case()
    assert_refused(case, lambda: mark_overdue(case, "sup-1-act", day(15), 15),
                   "only after its due date")


def test_an_action_is_not_marked_overdue_for_a_date_still_to_come() -> None:
    case = discussed_case()
    assert_refused(case, lambda: mark_overdue(case, "sup-1-act", day(20), 10),
                   "a date still to come")


def test_an_action_is_marked_overdue_on_a_date() -> None:
    case = discussed_case()
    assert_input_refused(lambda: cmd(MarkActionOverdue, case, action_id="sup-1-act", on=at(16),
                                     at=at(16)), "on", "is not a date")


# --- drift ---------------------------------------------------------------------------------


def flag_drift(case: Case, on: date, when: float) -> None:
    case.flag_drift(cmd(FlagDrift, case, on=on, at=at(when)))


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
    flag_drift(case, day(3), 3)
    flagged = case.collect_events()[-1]
    assert type(flagged).__name__ == "DriftFlagged" and flagged.on == day(3)
    assert flagged.reasons == case.drift_reasons(day(3))
    assert case.drift_flags[0]["reasons"] == flagged.reasons


def test_drift_flagged_by_the_interval_follows_the_policy_in_force() -> None:
    case = discussed_case(rag=Rag.G)
    monthly = DEFAULT_POLICY.with_overrides(cin_supervision_interval=1)
    flag = cmd(FlagDrift, case, on=date(2026, 2, 20), at=at(46))
    assert_refused(case, lambda: case.flag_drift(flag), "only when the case shows drift")
    case.flag_drift(flag, policy=monthly)
    assert case.drift_flags[0]["reasons"] == case.drift_reasons(date(2026, 2, 20), monthly)


def test_drift_is_flagged_only_when_the_case_shows_drift() -> None:
    case = discussed_case(rag=Rag.G)
    assert_refused(case, lambda: flag_drift(case, day(3), 3), "only when the case shows drift")


def test_drift_is_not_flagged_for_a_date_still_to_come() -> None:
    case = discussed_case(rag=Rag.R)
    assert_refused(case, lambda: flag_drift(case, day(9), 3), "a date still to come")


# --- concerns ------------------------------------------------------------------------------


def raise_concern(case: Case, concern_id: str, summary: str, when: float,
                  by: str = SUPERVISOR) -> None:
    case.raise_concern(cmd(RaiseCaseConcern, case, concern_id=concern_id, summary=summary, by=by,
                           at=at(when)))


def escalate_concern(case: Case, concern_id: str, reason: str, when: float) -> None:
    case.escalate_concern(cmd(EscalateCaseConcern, case, concern_id=concern_id, reason=reason,
                              by=PRACTITIONER, at=at(when)))


def resolve_concern(case: Case, concern_id: str, outcome: str, when: float,
                    by: str = SUPERVISOR) -> None:
    case.resolve_concern(cmd(ResolveCaseConcern, case, concern_id=concern_id, outcome=outcome,
                             by=by, at=at(when)))


def case_with_concern() -> Case:
    case = open_case()
    raise_concern(case, "con-1", "Plan not progressing", 1, by=PRACTITIONER)
    return case


def test_a_concern_escalates_from_supervisor_to_senior_manager_and_is_resolved() -> None:
    case = case_with_concern()
    assert case.concerns["con-1"]["stage_name"] == "supervisor"
    escalate_concern(case, "con-1", "No response in a week", 8)
    assert case.concerns["con-1"]["stage_name"] == "manager"
    escalate_concern(case, "con-1", "Still drifting", 15)
    assert case.concerns["con-1"]["stage"] == 3
    assert case.concerns["con-1"]["stage_name"] == "senior manager or partnership"
    resolve_concern(case, "con-1", "Strategy meeting held", 16, by="head-1")
    assert names(case)[1:] == ["ConcernRaised", "ConcernEscalated", "ConcernEscalated",
                               "ConcernResolved"]


def test_a_concern_cannot_be_escalated_beyond_stage_three() -> None:
    case = case_with_concern()
    escalate_concern(case, "con-1", "No response", 2)
    escalate_concern(case, "con-1", "No response", 3)
    assert_refused(case, lambda: escalate_concern(case, "con-1", "Again", 4), "beyond stage 3")


def test_a_resolved_concern_cannot_be_escalated() -> None:
    case = case_with_concern()
    resolve_concern(case, "con-1", "Plan revised", 2)
    assert_refused(case, lambda: escalate_concern(case, "con-1", "Unhappy", 3),
                   "resolved concern cannot be")


def test_a_concern_is_resolved_once() -> None:
    case = case_with_concern()
    resolve_concern(case, "con-1", "Plan revised", 2)
    assert_refused(case, lambda: resolve_concern(case, "con-1", "Again", 3), "resolved only once")


def test_an_escalation_needs_a_reason() -> None:
    case = case_with_concern()
    assert_refused(case, lambda: escalate_concern(case, "con-1", " ", 2),
                   "An escalation needs a reason")


def test_resolving_a_concern_records_its_outcome() -> None:
    case = case_with_concern()
    assert_refused(case, lambda: resolve_concern(case, "con-1", "", 2), "records its outcome")


def test_a_concern_id_is_used_once_and_a_concern_needs_a_summary() -> None:
    case = case_with_concern()
    assert_refused(case, lambda: raise_concern(case, "con-1", "More", 2),
                   "concern id is used only once")
    assert_refused(case, lambda: raise_concern(case, "con-2", "", 2), "A concern needs a summary")


def test_a_command_about_a_concern_refers_to_a_raised_concern() -> None:
    case = case_with_concern()
    assert_refused(case, lambda: resolve_concern(case, "con-9", "Done", 2),
                   "must refer to a recorded concern")


def test_a_concern_is_not_escalated_before_its_last_change() -> None:
    case = case_with_concern()
    escalate_concern(case, "con-1", "No response", 5)
    assert_refused(case, lambda: resolve_concern(case, "con-1", "Done", 4), "History reads forwards")


# --- professional disagreements ------------------------------------------------------------


def raise_disagreement(case: Case, disagreement_id: str, between: list[str], summary: str,
                       when: float) -> None:
    case.raise_disagreement(cmd(RaiseDisagreement, case, disagreement_id=disagreement_id,
                                between=between, summary=summary, at=at(when)))


def escalate_disagreement(case: Case, disagreement_id: str, reason: str, when: float) -> None:
    case.escalate_disagreement(cmd(EscalateDisagreement, case, disagreement_id=disagreement_id,
                                   reason=reason, at=at(when)))


def resolve_disagreement(case: Case, disagreement_id: str, outcome: str, when: float) -> None:
    case.resolve_disagreement(cmd(ResolveDisagreement, case, disagreement_id=disagreement_id,
                                  outcome=outcome, at=at(when)))


def case_with_disagreement() -> Case:
    case = open_case()
    raise_disagreement(case, "dis-1", ["School", "Children's Services"],
                       "Threshold for a strategy discussion", 1)
    return case


def test_a_professional_disagreement_is_raised_and_resolved() -> None:
    case = case_with_disagreement()
    resolve_disagreement(case, "dis-1", "Strategy discussion agreed", 3)
    assert names(case)[1:] == ["DisagreementRaised", "DisagreementResolved"]
    assert case.disagreements["dis-1"]["between"] == ["School", "Children's Services"]
    assert case.disagreements["dis-1"]["outcome"] == "Strategy discussion agreed"


def test_a_disagreement_is_between_two_different_parties() -> None:
    case = open_case()
    assert_refused(case, lambda: raise_disagreement(case, "dis-1", ["School", "School"], "Why", 1),
                   "between at least two different agencies or people")


def test_a_disagreement_id_is_used_once_and_needs_a_summary() -> None:
    case = case_with_disagreement()
    assert_refused(case, lambda: raise_disagreement(case, "dis-1", ["A", "B"], "Why", 2),
                   "disagreement id is used only once")
    assert_refused(case, lambda: raise_disagreement(case, "dis-2", ["A", "B"], " ", 2),
                   "needs a summary")


def test_a_disagreement_is_resolved_once_with_an_outcome() -> None:
    case = case_with_disagreement()
    assert_refused(case, lambda: resolve_disagreement(case, "dis-1", "", 2),
                   "Resolving a disagreement records its outcome")
    resolve_disagreement(case, "dis-1", "Agreed", 2)
    assert_refused(case, lambda: resolve_disagreement(case, "dis-1", "Again", 3),
                   "resolved only once")


def test_a_resolution_refers_to_a_raised_disagreement_and_reads_forwards() -> None:
    case = case_with_disagreement()
    assert_refused(case, lambda: resolve_disagreement(case, "dis-9", "Agreed", 2),
                   "must refer to a recorded disagreement")
    assert_refused(case, lambda: resolve_disagreement(case, "dis-1", "Agreed", 0.5),
                   "History reads forwards")


def test_a_disagreement_starts_with_the_supervisor_and_escalates_up_the_line() -> None:
    case = case_with_disagreement()
    raised = case.disagreements["dis-1"]
    assert (raised["stage"], raised["stage_name"], raised["escalations"]) == (1, "supervisor", [])
    assert raised["last_changed_on"] == at(1)
    escalate_disagreement(case, "dis-1", "No agreement at practitioner level", 4)
    escalate_disagreement(case, "dis-1", "Managers disagree too", 9)
    item = case.disagreements["dis-1"]
    assert item["stage"] == 3 and item["stage_name"] == "senior manager or partnership"
    assert item["escalations"] == [
        {"stage": 2, "reason": "No agreement at practitioner level", "on": at(4)},
        {"stage": 3, "reason": "Managers disagree too", "on": at(9)},
    ]
    assert item["last_changed_on"] == at(9)
    resolve_disagreement(case, "dis-1", "Partnership chair decided", 10)
    assert names(case)[1:] == ["DisagreementRaised", "DisagreementEscalated",
                               "DisagreementEscalated", "DisagreementResolved"]
    assert case.disagreements["dis-1"]["last_changed_on"] == at(10)


def test_a_disagreement_cannot_be_escalated_beyond_stage_three() -> None:
    case = case_with_disagreement()
    escalate_disagreement(case, "dis-1", "No agreement", 2)
    escalate_disagreement(case, "dis-1", "Still none", 3)
    assert_refused(case, lambda: escalate_disagreement(case, "dis-1", "Again", 4),
                   "A disagreement cannot be escalated beyond stage 3")


def test_a_resolved_disagreement_cannot_be_escalated() -> None:
    case = case_with_disagreement()
    resolve_disagreement(case, "dis-1", "Agreed", 2)
    assert_refused(case, lambda: escalate_disagreement(case, "dis-1", "Unhappy", 3),
                   "A resolved disagreement cannot be escalated")


def test_escalating_a_disagreement_needs_a_reason_and_a_recorded_disagreement() -> None:
    case = case_with_disagreement()
    assert_refused(case, lambda: escalate_disagreement(case, "dis-1", " ", 2),
                   "An escalation needs a reason")
    assert_refused(case, lambda: escalate_disagreement(case, "dis-9", "Why", 2),
                   "must refer to a recorded disagreement")


def test_a_disagreement_is_not_escalated_or_resolved_before_its_last_change() -> None:
    case = case_with_disagreement()
    assert_refused(case, lambda: escalate_disagreement(case, "dis-1", "No reply", 0.5),
                   "History reads forwards")
    escalate_disagreement(case, "dis-1", "No reply", 5)
    assert_refused(case, lambda: escalate_disagreement(case, "dis-1", "Still none", 4),
                   "History reads forwards")
    assert_refused(case, lambda: resolve_disagreement(case, "dis-1", "Agreed", 4),
                   "History reads forwards")


def test_a_disagreement_names_a_bounded_list_of_parties() -> None:
    case = open_case()
    many = [f"Agency {n}" for n in range(21)]
    assert_input_refused(lambda: cmd(RaiseDisagreement, case, disagreement_id="dis-1",
                                     between=many, summary="Who decides", at=at(1)),
                         "between", "has more than 20 items")


# --- audit grades, audit selections, supervisor changes and closure ------------------------

AUDIT_ID = uuid5(NAMESPACE_URL, "assured:audit:2026-q1")
OTHER_AUDIT_ID = uuid5(NAMESPACE_URL, "assured:audit:2026-q2")


def grade(case: Case, audit_id: Any, audit_grade: Any, when: float) -> None:
    case.record_audit_grade(cmd(RecordAuditGrade, case, audit_id=audit_id, grade=audit_grade,
                                by="auditor-1", at=at(when)))


def note_selection(case: Case, audit_id: Any, when: float) -> None:
    case.note_audit_selection(cmd(NoteAuditSelection, case, audit_id=audit_id,
                                  by="process:audit-cycle", at=at(when)))


def test_an_audit_grade_is_linked_to_its_audit() -> None:
    case = open_case()
    grade(case, AUDIT_ID, AuditGrade.REQUIRES_IMPROVEMENT, 5)
    recorded = case.audit_grades[str(AUDIT_ID)]
    assert recorded["grade"] == "requires_improvement" and UUID(recorded["audit_id"]) == AUDIT_ID
    assert names(case)[-1] == "AuditGradeRecorded"


def test_an_audit_grade_refers_to_an_audit_and_is_a_known_grade() -> None:
    case = open_case()
    assert_input_refused(lambda: cmd(RecordAuditGrade, case, audit_id="", grade="good",
                                     at=at(1)), "audit_id", "is not an id")
    assert_input_refused(lambda: cmd(RecordAuditGrade, case, audit_id=AUDIT_ID, grade="fine",
                                     at=at(1)),
                         "grade", "is not one of outstanding, good, requires_improvement")


def test_an_audit_grades_a_case_once() -> None:
    case = open_case()
    grade(case, AUDIT_ID, "good", 5)
    assert_refused(case, lambda: grade(case, str(AUDIT_ID), "inadequate", 6),
                   "grades a case only once")


def test_a_case_notes_each_audit_that_selected_it() -> None:
    case = open_case()
    note_selection(case, AUDIT_ID, 5)
    note_selection(case, str(OTHER_AUDIT_ID), 90)
    assert case.audits == [str(AUDIT_ID), str(OTHER_AUDIT_ID)]
    assert names(case)[-2:] == ["SelectedForAudit", "SelectedForAudit"]


def test_an_audit_selects_a_case_once() -> None:
    case = open_case()
    note_selection(case, AUDIT_ID, 5)
    assert_refused(case, lambda: note_selection(case, AUDIT_ID, 6), "An audit selects a case once")


def test_an_audit_selection_reads_forwards_from_the_opening() -> None:
    case = open_case()
    assert_refused(case, lambda: note_selection(case, AUDIT_ID, -1),
                   "cannot be dated before its record was opened")


def change_supervisor(case: Case, new_supervisor: str, reason: str, when: float,
                      by: str = "head-1") -> None:
    case.change_supervisor(cmd(ChangeSupervisor, case, new_supervisor=new_supervisor,
                               reason=reason, by=by, at=at(when)))


def close(case: Case, reason: str, when: float, by: str = SUPERVISOR) -> None:
    case.close(cmd(CloseCase, case, reason=reason, by=by, at=at(when)))


def test_a_new_supervisor_takes_over_and_the_history_is_kept() -> None:
    case = discussed_case()
    change_supervisor(case, "dsl-2", "Supervisor left the school", 40)
    assert case.supervisor == "dsl-2"
    assert [(s["supervisor"], s["from"]) for s in case.supervisors] == [
        (SUPERVISOR, day(0)), ("dsl-2", day(40))]
    assert_refused(case, lambda: discuss(case, "sup-2", on_day=41),
                   "held by the case's current supervisor")
    discuss(case, "sup-2", on_day=41, supervisor="dsl-2")


def test_a_new_supervisor_is_a_different_named_person_other_than_the_practitioner() -> None:
    case = open_case()
    assert_refused(case, lambda: change_supervisor(case, SUPERVISOR, "Rota", 1, by="h"),
                   "different person from the current supervisor")
    assert_refused(case, lambda: change_supervisor(case, " ", "Rota", 1, by="h"),
                   "A new supervisor must be named")
    assert_refused(case, lambda: change_supervisor(case, PRACTITIONER, "Rota", 1, by="h"),
                   "cannot be the supervisor of their own case")


def test_a_change_of_supervisor_needs_a_reason() -> None:
    case = open_case()
    assert_refused(case, lambda: change_supervisor(case, "dsl-2", "", 1, by="h"), "needs a reason")


def test_closing_a_case_needs_a_reason() -> None:
    case = open_case()
    assert_refused(case, lambda: close(case, " ", 1), "Closing a case needs a reason")


@pytest.mark.parametrize("command", [
    lambda case: case.change_risk(cmd(ChangeRisk, case, new_risk="high", at=at(9))),
    lambda case: discuss(case, "sup-2", on_day=9),
    lambda case: sign(case, SUPERVISOR, 9),
    lambda case: complete(case, "sup-1-act", 9),
    lambda case: raise_concern(case, "con-1", "Late", 9),
    lambda case: raise_disagreement(case, "dis-1", ["School", "Police"], "Threshold", 9),
    lambda case: grade(case, AUDIT_ID, "good", 9),
    lambda case: change_supervisor(case, "dsl-2", "Left", 9, by=SUPERVISOR),
    lambda case: close(case, "Again", 9),
], ids=["risk", "discussion", "signature", "action", "concern", "disagreement", "audit",
        "supervisor", "close"])
def test_a_closed_case_refuses_every_further_command(command: Any) -> None:
    case = discussed_case()
    close(case, "Child moved out of area", 8)
    assert names(case)[-1] == "Closed"
    assert_refused(case, lambda: command(case), "A closed case refuses every further command")


def test_a_closed_case_can_still_be_selected_for_an_audit() -> None:
    case = discussed_case()
    close(case, "Child moved out of area", 8)
    note_selection(case, AUDIT_ID, 9)
    assert names(case)[-2:] == ["Closed", "SelectedForAudit"]
    assert case.audits == [str(AUDIT_ID)]


# --- history -------------------------------------------------------------------------------


def busy_case() -> Case:
    case = discussed_case(rag=Rag.R)
    sign(case, SUPERVISOR, 2)
    mark_overdue(case, "sup-1-act", day(16), 16)
    flag_drift(case, day(16), 16)
    raise_concern(case, "con-1", "Drift", 16)
    case.escalate_concern(cmd(EscalateCaseConcern, case, concern_id="con-1", reason="Drift",
                              at=at(17)))
    raise_disagreement(case, "dis-1", ["School", "Police"], "Threshold", 17)
    escalate_disagreement(case, "dis-1", "No agreement", 17.5)
    note_selection(case, AUDIT_ID, 17.5)
    grade(case, AUDIT_ID, "good", 18)
    change_supervisor(case, "dsl-2", "Left", 19)
    close(case, "Stepped down", 20, by="dsl-2")
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


def test_a_child_has_one_open_case_per_agency() -> None:
    """Two openings of the same child in one agency would run two cadences: the second is
    refused (whatever the case or spacing of the reference and agency) until the first has closed, and a case
    dated before that closure is refused too. Another agency opens its own."""
    from domain.application import Assured
    from domain.case_commands import CloseCase
    from domain.case_reference import ONE_OPEN_CASE

    app = Assured()
    first = app.open_case(opening()).record
    before = app.recorder.max_notification_id()
    with pytest.raises(RuleBroken) as refused:
        app.open_case(opening(child_reference="ch-2026-0042", agency=" northfield  primary",
                              at=at(3)))
    assert refused.value.rule == ONE_OPEN_CASE
    assert app.recorder.max_notification_id() == before, "a refused opening records nothing"
    app.open_case(opening(agency="Health visiting", at=at(3)))
    app.close_case(CloseCase(record_id=first.id, reason="Stepped down", by=SUPERVISOR,
                             at=at(40)))
    with pytest.raises(RuleBroken):
        app.open_case(opening(at=at(39)))
    again = app.open_case(opening(at=at(41))).record
    assert again.id != first.id


@pytest.mark.parametrize("value", ["low", "escalating", RiskLevel.HIGH, "LOW", "", "<b>", None, []])
def test_a_risk_level_is_found_as_the_enum_finds_it(value: Any) -> None:
    """`risk_level` (the replay's quick look-up) answers what `RiskLevel(value)` answers:
    the same member, or the same ValueError."""
    try:
        expected: Any = RiskLevel(value)
    except ValueError as refused:
        with pytest.raises(ValueError) as found:
            risk_level(value)
        assert str(found.value) == str(refused)
    else:
        assert risk_level(value) is expected
