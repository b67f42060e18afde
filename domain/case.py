"""The Case record: a child's case under safeguarding supervision (seeds 002 and 003).

Events: Opened, LegalStatusChanged, RiskChanged, DiscussionRecorded, DiscussionSigned,
ActionCompleted, ActionMarkedOverdue, DriftFlagged, ConcernRaised, ConcernEscalated,
ConcernResolved, DisagreementRaised, DisagreementResolved, AuditGradeRecorded,
SupervisorChanged, Closed.

The child appears only by a pseudonymous reference, never by name.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from domain.calendar import Nation
from domain.case_values import (
    TOP_CONCERN_STAGE,
    ActionStatus,
    AgreedAction,
    AuditGrade,
    LegalStatus,
    Rag,
    RiskLevel,
    check_agreed_actions,
    check_child_reference,
    concern_stage_name,
    given,
    interval_drift,
    member,
    one_of,
    overdue_on,
    rating_drift,
)
from domain.errors import require
from domain.policy import DEFAULT_POLICY, Policy
from domain.record import Record, check_instant

PRACTITIONER_NOT_SUPERVISOR = "A practitioner cannot be the supervisor of their own case"


class Case(Record):
    @classmethod
    def open(
        cls, *, child_reference: str, agency: str, practitioner: str, supervisor: str,
        legal_status: LegalStatus | str, risk: RiskLevel | str, nation: Nation | str,
        by: str, at: datetime,
    ) -> Case:
        check_instant(at)
        check_child_reference(child_reference)
        require(given(agency, practitioner, supervisor),
                "A case names its agency, practitioner and supervisor")
        require(practitioner != supervisor, PRACTITIONER_NOT_SUPERVISOR)
        status = member(LegalStatus, legal_status, f"A legal status is one of {one_of(LegalStatus)}")
        level = member(RiskLevel, risk, f"A risk level is one of {one_of(RiskLevel)}")
        land = member(Nation, nation, f"A nation is one of {one_of(Nation)}")
        return cls(child_reference=child_reference, agency=agency, practitioner=practitioner,
                   supervisor=supervisor, legal_status=status, risk=level, nation=land,
                   actor=by, occurred_on=at)

    @event("Opened")
    def __init__(
        self, *, child_reference: str, agency: str, practitioner: str, supervisor: str,
        legal_status: str, risk: str, nation: str, actor: str, occurred_on: datetime,
    ) -> None:
        self.opened_on = occurred_on
        self.child_reference, self.agency = child_reference, agency
        self.practitioner, self.supervisor = practitioner, supervisor
        self.legal_status, self.risk = LegalStatus(legal_status), RiskLevel(risk)
        self.nation = Nation(nation)
        # A replacement supervisor may see the previous six months of records (seed 002).
        self.supervisors: list[dict[str, Any]] = [
            {"supervisor": supervisor, "from": occurred_on.date(), "reason": "case opened"}
        ]
        self.discussions: dict[str, dict[str, Any]] = {}
        self.actions: dict[str, dict[str, Any]] = {}
        self.drift_flags: list[dict[str, Any]] = []
        self.concerns: dict[str, dict[str, Any]] = {}
        self.disagreements: dict[str, dict[str, Any]] = {}
        self.audit_grades: dict[str, dict[str, Any]] = {}
        self.closed = False
        self.closure_reason: str | None = None

    # --- guards shared by commands -------------------------------------------------------

    def _check_open(self, at: datetime) -> None:
        self.check_after_opening(at)
        require(not self.closed, "A closed case refuses every further command")

    @staticmethod
    def _known(
        records: dict[str, dict[str, Any]], key: str, what: str,
        at: datetime | None = None, since: str = "",
    ) -> dict[str, Any]:
        """The recorded item `key`; with `at`, also refuse a fact dated before item[since]."""
        require(key in records, f"A command about a {what} must refer to a recorded {what}")
        if at is not None:
            require(at >= records[key][since], f"History reads forwards: a fact about "
                    f"a {what} cannot be dated before the {what} it refers to")
        return records[key]

    # --- legal status and risk -----------------------------------------------------------

    def change_legal_status(self, new_status: LegalStatus | str, *, by: str, at: datetime) -> None:
        self._check_open(at)
        status = member(LegalStatus, new_status, f"A legal status is one of {one_of(LegalStatus)}")
        require(status != self.legal_status,
                "A change of legal status must move the case to a different status")
        self._legal_status_changed(new_status=status, actor=by, occurred_on=at)

    @event("LegalStatusChanged")
    def _legal_status_changed(self, *, new_status: str, actor: str, occurred_on: datetime) -> None:
        self.legal_status = LegalStatus(new_status)

    def change_risk(self, new_risk: RiskLevel | str, *, by: str, at: datetime) -> None:
        self._check_open(at)
        level = member(RiskLevel, new_risk, f"A risk level is one of {one_of(RiskLevel)}")
        require(level != self.risk, "A change of risk level must move the case to a different level")
        self._risk_changed(new_risk=level, actor=by, occurred_on=at)

    @event("RiskChanged")
    def _risk_changed(self, *, new_risk: str, actor: str, occurred_on: datetime) -> None:
        self.risk = RiskLevel(new_risk)

    # --- supervision discussions ---------------------------------------------------------

    def record_discussion(
        self, discussion_id: str, *, supervisor: str, supervisee: str, needs: str, risks: str,
        engagement: str, capacity_for_change: str, plan: str, rag: Rag | str,
        actions: Sequence[AgreedAction], next_discussion_on: date,
        policy: Policy = DEFAULT_POLICY, by: str, at: datetime,
    ) -> None:
        """Record a supervision discussion held at `at` (seed 003, Appendix III)."""
        self._check_open(at)
        require(given(discussion_id) and discussion_id not in self.discussions,
                "A discussion id is used only once on a case")
        require(supervisor == self.supervisor,
                "A supervision discussion is held by the case's current supervisor")
        require(given(supervisee) and supervisee != supervisor,
                "A supervision discussion needs a supervisee other than the supervisor")
        require(given(needs, risks, engagement, capacity_for_change, plan),
                "A supervision discussion records the child's needs, risks, engagement, "
                "capacity for change and plan")
        rating = member(Rag, rag, "A RAG rating is G (improving), A (the same) or R (worse)")
        latest = self.latest_discussion
        if latest is not None:
            require(at >= latest["held_on"], "History reads forwards: a supervision discussion "
                    "cannot be dated before the previous discussion on the case")
        agreed = check_agreed_actions(actions, at.date(), self.actions)
        limit = self._check_next_discussion(next_discussion_on, at.date(), policy)
        self._discussion_recorded(
            discussion_id=discussion_id, supervisor=supervisor, supervisee=supervisee,
            needs=needs, risks=risks, engagement=engagement,
            capacity_for_change=capacity_for_change, plan=plan, rag=rating, actions=agreed,
            next_discussion_on=next_discussion_on, next_discussion_limit=limit,
            actor=by, occurred_on=at,
        )

    def _check_next_discussion(self, next_on: date, held_on: date, policy: Policy) -> date | None:
        """The latest date the next discussion may fall on, if the legal status sets one."""
        # A datetime is a date too, but cannot be compared with one.
        require(isinstance(next_on, date) and not isinstance(next_on, datetime)
                and next_on > held_on, "The next discussion must be dated after this discussion")
        if self.legal_status != LegalStatus.CHILD_IN_NEED:
            return None
        period = policy.cin_supervision_interval
        limit = period.after(held_on, self.nation)
        require(next_on <= limit, f"A child in need is discussed no more than {period} apart: "
                f"the next discussion is due by {limit.isoformat()}")
        return limit

    @event("DiscussionRecorded")
    def _discussion_recorded(
        self, *, discussion_id: str, supervisor: str, supervisee: str, needs: str, risks: str,
        engagement: str, capacity_for_change: str, plan: str, rag: str,
        actions: list[dict[str, Any]], next_discussion_on: date,
        next_discussion_limit: date | None, actor: str, occurred_on: datetime,
    ) -> None:
        self.discussions[discussion_id] = {
            "discussion_id": discussion_id, "held_on": occurred_on, "supervisor": supervisor,
            "supervisee": supervisee, "needs": needs, "risks": risks, "engagement": engagement,
            "capacity_for_change": capacity_for_change, "plan": plan, "rag": Rag(rag),
            "action_ids": [action["action_id"] for action in actions],
            "next_discussion_on": next_discussion_on,
            "next_discussion_limit": next_discussion_limit, "signed_by": [],
        }
        for action in actions:
            self.actions[action["action_id"]] = {
                **action, "discussion_id": discussion_id, "agreed_on": occurred_on,
                "status": ActionStatus.OPEN,
                "completed_on": None, "overdue_on": None,
            }

    def sign_discussion(self, discussion_id: str, party: str, *, by: str, at: datetime) -> None:
        """A party agrees the record is accurate (seed 002: all parties sign)."""
        self._check_open(at)
        discussion = self._known(self.discussions, discussion_id, "discussion", at, "held_on")
        require(party in (discussion["supervisor"], discussion["supervisee"]),
                "Only a party to the discussion, its supervisor or supervisee, signs its record")
        require(party not in discussion["signed_by"], "Each party signs a discussion record once")
        self._discussion_signed(discussion_id=discussion_id, party=party, actor=by, occurred_on=at)

    @event("DiscussionSigned")
    def _discussion_signed(
        self, *, discussion_id: str, party: str, actor: str, occurred_on: datetime
    ) -> None:
        self.discussions[discussion_id]["signed_by"].append(party)

    def is_accurate(self, discussion_id: str) -> bool:
        """Whether every party has signed the record as accurate."""
        discussion = self._known(self.discussions, discussion_id, "discussion")
        parties = (discussion["supervisor"], discussion["supervisee"])
        return all(party in discussion["signed_by"] for party in parties)

    @property
    def latest_discussion(self) -> dict[str, Any] | None:
        # Discussions are recorded in the order they were held, so the last is the latest.
        return list(self.discussions.values())[-1] if self.discussions else None

    # --- agreed actions ------------------------------------------------------------------

    def complete_action(self, action_id: str, *, by: str, at: datetime) -> None:
        self._check_open(at)
        action = self._known(self.actions, action_id, "agreed action", at, "agreed_on")
        require(action["status"] != ActionStatus.COMPLETED, "An action is completed only once")
        self._action_completed(action_id=action_id, actor=by, occurred_on=at)

    @event("ActionCompleted")
    def _action_completed(self, *, action_id: str, actor: str, occurred_on: datetime) -> None:
        self.actions[action_id].update(status=ActionStatus.COMPLETED, completed_on=occurred_on)

    def mark_action_overdue(self, action_id: str, on: date, *, by: str, at: datetime) -> None:
        """Record that an open action had passed its due date by `on`."""
        self._check_open(at)
        action = self._known(self.actions, action_id, "agreed action", at, "agreed_on")
        require(action["status"] == ActionStatus.OPEN, "Only an open action can be marked overdue")
        require(on > action["due"], "An action becomes overdue only after its due date")
        require(on <= at.date(), "An action cannot be marked overdue on a date still to come")
        self._action_marked_overdue(action_id=action_id, overdue_on=on, actor=by, occurred_on=at)

    @event("ActionMarkedOverdue")
    def _action_marked_overdue(
        self, *, action_id: str, overdue_on: date, actor: str, occurred_on: datetime
    ) -> None:
        self.actions[action_id].update(status=ActionStatus.OVERDUE, overdue_on=overdue_on)

    def overdue_actions(self, on: date) -> list[dict[str, Any]]:
        """Actions past their due date on `on` and not completed by then, earliest due first."""
        return overdue_on(self.actions.values(), on)

    # --- drift ---------------------------------------------------------------------------

    def drift_reasons(self, on: date, policy: Policy = DEFAULT_POLICY) -> list[str]:
        """Why the case is drifting on `on`; empty when it is not (seed 003, aim 3).

        Only discussions held by `on` count. The case drifts when:
        - the latest discussion rated the child's circumstances R (getting worse);
        - the rating has not improved across two consecutive discussions, read as: the two most
          recent discussions were both rated A or R (neither was G);
        - a child in need has gone longer than `policy.cin_supervision_interval` without a
          discussion, counted from the last discussion, or from opening if there was none.
        """
        held = [d for d in self.discussions.values() if d["held_on"].date() <= on]
        reasons = rating_drift([str(d["rag"]) for d in held])
        if self.legal_status == LegalStatus.CHILD_IN_NEED:
            since = held[-1]["held_on"].date() if held else self.opened_on.date()
            reasons += interval_drift(since, on, policy.cin_supervision_interval, self.nation)
        return reasons

    def is_drifting(self, on: date, policy: Policy = DEFAULT_POLICY) -> bool:
        return bool(self.drift_reasons(on, policy))

    def flag_drift(
        self, on: date, policy: Policy = DEFAULT_POLICY, *, by: str, at: datetime
    ) -> None:
        """Record that the case was drifting on `on`, with the reasons, for escalation."""
        self._check_open(at)
        require(on <= at.date(), "Drift cannot be flagged for a date still to come")
        reasons = self.drift_reasons(on, policy)
        require(bool(reasons), "Drift is flagged only when the case shows drift")
        self._drift_flagged(on=on, reasons=reasons, actor=by, occurred_on=at)

    @event("DriftFlagged")
    def _drift_flagged(
        self, *, on: date, reasons: list[str], actor: str, occurred_on: datetime
    ) -> None:
        self.drift_flags.append({"on": on, "reasons": list(reasons), "flagged_on": occurred_on})

    # --- concerns and professional disagreements -----------------------------------------

    def raise_concern(self, concern_id: str, summary: str, *, by: str, at: datetime) -> None:
        """Raise a concern at stage 1, with the supervisor."""
        self._check_open(at)
        require(given(concern_id) and concern_id not in self.concerns,
                "A concern id is used only once on a case")
        require(given(summary), "A concern needs a summary")
        self._concern_raised(concern_id=concern_id, summary=summary, actor=by, occurred_on=at)

    @event("ConcernRaised")
    def _concern_raised(
        self, *, concern_id: str, summary: str, actor: str, occurred_on: datetime
    ) -> None:
        self.concerns[concern_id] = {
            "concern_id": concern_id, "summary": summary, "stage": 1,
            "stage_name": concern_stage_name(1), "raised_on": occurred_on,
            "last_changed_on": occurred_on, "escalations": [], "resolved": False,
            "outcome": None,
        }

    def escalate_concern(self, concern_id: str, reason: str, *, by: str, at: datetime) -> None:
        """Escalate a concern one stage: supervisor, manager, senior manager or partnership."""
        self._check_open(at)
        concern = self._known(self.concerns, concern_id, "concern", at, "last_changed_on")
        require(not concern["resolved"], "A resolved concern cannot be escalated")
        require(concern["stage"] < TOP_CONCERN_STAGE, "A concern cannot be escalated beyond "
                f"stage {TOP_CONCERN_STAGE} ({concern_stage_name(TOP_CONCERN_STAGE)})")
        require(given(reason), "An escalation needs a reason")
        self._concern_escalated(concern_id=concern_id, to_stage=concern["stage"] + 1,
                                reason=reason, actor=by, occurred_on=at)

    @event("ConcernEscalated")
    def _concern_escalated(
        self, *, concern_id: str, to_stage: int, reason: str, actor: str, occurred_on: datetime
    ) -> None:
        concern = self.concerns[concern_id]
        concern.update(stage=to_stage, stage_name=concern_stage_name(to_stage),
                       last_changed_on=occurred_on)
        concern["escalations"].append({"stage": to_stage, "reason": reason, "on": occurred_on})

    def resolve_concern(self, concern_id: str, outcome: str, *, by: str, at: datetime) -> None:
        self._check_open(at)
        concern = self._known(self.concerns, concern_id, "concern", at, "last_changed_on")
        require(not concern["resolved"], "A concern is resolved only once")
        require(given(outcome), "Resolving a concern records its outcome")
        self._concern_resolved(concern_id=concern_id, outcome=outcome, actor=by, occurred_on=at)

    @event("ConcernResolved")
    def _concern_resolved(
        self, *, concern_id: str, outcome: str, actor: str, occurred_on: datetime
    ) -> None:
        self.concerns[concern_id].update(resolved=True, outcome=outcome,
                                         last_changed_on=occurred_on)

    def raise_disagreement(
        self, disagreement_id: str, between: Sequence[str], summary: str, *, by: str, at: datetime
    ) -> None:
        """Record a professional disagreement between agencies or people (seed 003)."""
        self._check_open(at)
        require(given(disagreement_id) and disagreement_id not in self.disagreements,
                "A disagreement id is used only once on a case")
        parties = [party.strip() for party in between if given(party)]
        require(len(set(parties)) >= 2,
                "A professional disagreement is between at least two different agencies or people")
        require(given(summary), "A professional disagreement needs a summary")
        self._disagreement_raised(disagreement_id=disagreement_id, between=parties,
                                  summary=summary, actor=by, occurred_on=at)

    @event("DisagreementRaised")
    def _disagreement_raised(
        self, *, disagreement_id: str, between: list[str], summary: str, actor: str,
        occurred_on: datetime,
    ) -> None:
        self.disagreements[disagreement_id] = {
            "disagreement_id": disagreement_id, "between": list(between), "summary": summary,
            "raised_on": occurred_on, "resolved": False, "outcome": None, "resolved_on": None,
        }

    def resolve_disagreement(
        self, disagreement_id: str, outcome: str, *, by: str, at: datetime
    ) -> None:
        self._check_open(at)
        disagreement = self._known(
            self.disagreements, disagreement_id, "disagreement", at, "raised_on"
        )
        require(not disagreement["resolved"], "A disagreement is resolved only once")
        require(given(outcome), "Resolving a disagreement records its outcome")
        self._disagreement_resolved(disagreement_id=disagreement_id, outcome=outcome,
                                    actor=by, occurred_on=at)

    @event("DisagreementResolved")
    def _disagreement_resolved(
        self, *, disagreement_id: str, outcome: str, actor: str, occurred_on: datetime
    ) -> None:
        self.disagreements[disagreement_id].update(resolved=True, outcome=outcome,
                                                   resolved_on=occurred_on)

    # --- audit, supervisor and closure ---------------------------------------------------

    def record_audit_grade(
        self, audit_id: UUID | str, grade: AuditGrade | str, *, by: str, at: datetime
    ) -> None:
        """Record the grade a case-file audit gave this case, linked to the audit's id."""
        self._check_open(at)
        key = str(audit_id)
        require(given(key), "An audit grade must refer to an audit id")
        level = member(AuditGrade, grade, f"An audit grade is one of {one_of(AuditGrade)}")
        require(key not in self.audit_grades, "An audit grades a case only once")
        self._audit_grade_recorded(audit_id=key, grade=level, actor=by, occurred_on=at)

    @event("AuditGradeRecorded")
    def _audit_grade_recorded(
        self, *, audit_id: str, grade: str, actor: str, occurred_on: datetime
    ) -> None:
        self.audit_grades[audit_id] = {"audit_id": audit_id, "grade": AuditGrade(grade),
                                       "recorded_on": occurred_on}

    def change_supervisor(
        self, new_supervisor: str, reason: str, *, by: str, at: datetime
    ) -> None:
        self._check_open(at)
        require(given(new_supervisor), "A new supervisor must be named")
        require(new_supervisor != self.supervisor,
                "A new supervisor must be a different person from the current supervisor")
        require(new_supervisor != self.practitioner, PRACTITIONER_NOT_SUPERVISOR)
        require(given(reason), "A change of supervisor needs a reason")
        self._supervisor_changed(new_supervisor=new_supervisor, reason=reason, actor=by,
                                 occurred_on=at)

    @event("SupervisorChanged")
    def _supervisor_changed(
        self, *, new_supervisor: str, reason: str, actor: str, occurred_on: datetime
    ) -> None:
        self.supervisor = new_supervisor
        self.supervisors.append(
            {"supervisor": new_supervisor, "from": occurred_on.date(), "reason": reason}
        )

    def close(self, reason: str, *, by: str, at: datetime) -> None:
        self._check_open(at)
        require(given(reason), "Closing a case needs a reason")
        self._closed(reason=reason, actor=by, occurred_on=at)

    @event("Closed")
    def _closed(self, *, reason: str, actor: str, occurred_on: datetime) -> None:
        self.closed, self.closure_reason = True, reason
