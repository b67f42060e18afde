"""The Case record: a child's case under safeguarding supervision (seeds 002 and 003).

Events: Opened, LegalStatusChanged, RiskChanged, DiscussionRecorded, DiscussionSigned,
ActionCompleted, ActionMarkedOverdue, DriftFlagged, ConcernRaised, ConcernEscalated,
ConcernResolved, DisagreementRaised, DisagreementEscalated, DisagreementResolved,
AuditGradeRecorded, SelectedForAudit, SupervisorChanged, Closed. Each public method carries out
one command of `domain.case_commands`.

The child appears only by a pseudonymous reference, never by name.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from eventsourcing.domain import event

from domain.calendar import Nation
from domain.case_commands import (
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
from domain.case_values import (
    ActionStatus,
    AuditGrade,
    LegalStatus,
    Rag,
    RiskLevel,
    check_agreed_actions,
    check_case_open,
    check_child_reference,
    child_in_need_discussion_due,
    drift_reasons,
    given,
    overdue_on,
    risk_level,
)
from domain.errors import require
from domain.ladder import check_escalation, check_unresolved, concern_stage_name
from domain.policy import DEFAULT_POLICY, Policy
from domain.subjects import DataSubject

PRACTITIONER_NOT_SUPERVISOR = "A practitioner cannot be the supervisor of their own case"


class Case(DataSubject):
    # The child's personal data, sealed with the case's own key (domain/subjects.py): the
    # reference and every free text about the child, the agreed actions' texts among them
    # (each action's id, owner and due date stay, so the erased case still replays).
    personal = frozenset({"child_reference", "needs", "risks", "engagement",
                          "capacity_for_change", "plan", "summary", "reason", "outcome",
                          "actions[].description"})
    subject_kind = "case"

    @classmethod
    def open(cls, c: OpenCase) -> Case:
        check_child_reference(c.child_reference)
        require(given(c.agency, c.practitioner, c.supervisor),
                "A case names its agency, practitioner and supervisor")
        require(c.practitioner != c.supervisor, PRACTITIONER_NOT_SUPERVISOR)
        return cls(child_reference=c.child_reference, agency=c.agency,
                   practitioner=c.practitioner, supervisor=c.supervisor,
                   legal_status=c.legal_status, risk=c.risk, nation=c.nation, actor=c.by,
                   occurred_on=c.at)

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
        self.audits: list[str] = []  # the audits that selected the case
        self.closed = False
        self.closure_reason: str | None = None

    # --- guards shared by commands -------------------------------------------------------

    def _check_open(self, at: datetime) -> None:
        self.check_after_opening(at)
        check_case_open(self.closed)

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

    def change_legal_status(self, c: ChangeLegalStatus) -> None:
        self._check_open(c.at)
        require(c.new_status != self.legal_status,
                "A change of legal status must move the case to a different status")
        self._legal_status_changed(new_status=c.new_status, actor=c.by, occurred_on=c.at)

    @event("LegalStatusChanged")
    def _legal_status_changed(self, *, new_status: str, actor: str, occurred_on: datetime) -> None:
        self.legal_status = LegalStatus(new_status)

    def change_risk(self, c: ChangeRisk) -> None:
        self._check_open(c.at)
        require(c.new_risk != self.risk,
                "A change of risk level must move the case to a different level")
        self._risk_changed(new_risk=c.new_risk, actor=c.by, occurred_on=c.at)

    @event("RiskChanged")
    def _risk_changed(self, *, new_risk: str, actor: str, occurred_on: datetime) -> None:
        self.risk = risk_level(new_risk)

    # --- supervision discussions ---------------------------------------------------------

    def record_discussion(self, c: RecordDiscussion, policy: Policy = DEFAULT_POLICY) -> None:
        """Record a supervision discussion held at `c.at` (seed 003, Appendix III)."""
        self._check_open(c.at)
        require(given(c.discussion_id) and c.discussion_id not in self.discussions,
                "A discussion id is used only once on a case")
        require(c.supervisor == self.supervisor,
                "A supervision discussion is held by the case's current supervisor")
        require(given(c.supervisee) and c.supervisee != c.supervisor,
                "A supervision discussion needs a supervisee other than the supervisor")
        require(given(c.needs, c.risks, c.engagement, c.capacity_for_change, c.plan),
                "A supervision discussion records the child's needs, risks, engagement, "
                "capacity for change and plan")
        latest = self.latest_discussion
        if latest is not None:
            require(c.at >= latest["held_on"], "History reads forwards: a supervision "
                    "discussion cannot be dated before the previous discussion on the case")
        agreed = check_agreed_actions(c.actions, c.at.date(), self.actions)
        limit = self._check_next_discussion(c.next_discussion_on, c.at.date(), policy)
        self._discussion_recorded(
            discussion_id=c.discussion_id, supervisor=c.supervisor, supervisee=c.supervisee,
            needs=c.needs, risks=c.risks, engagement=c.engagement,
            capacity_for_change=c.capacity_for_change, plan=c.plan, rag=c.rag, actions=agreed,
            next_discussion_on=c.next_discussion_on, next_discussion_limit=limit,
            actor=c.by, occurred_on=c.at,
        )

    def _check_next_discussion(self, next_on: date, held_on: date, policy: Policy) -> date | None:
        """The latest date the next discussion may fall on, if the legal status sets one."""
        require(next_on > held_on, "The next discussion must be dated after this discussion")
        if self.legal_status != LegalStatus.CHILD_IN_NEED:
            return None
        limit = child_in_need_discussion_due(held_on, policy, self.nation)
        require(next_on <= limit, "A child in need is discussed no more than "
                f"{policy.cin_supervision_interval} apart: "
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

    def sign_discussion(self, c: SignDiscussion) -> None:
        """A party agrees the record is accurate (seed 002: all parties sign)."""
        self._check_open(c.at)
        discussion = self._known(self.discussions, c.discussion_id, "discussion", c.at,
                                 "held_on")
        require(c.party in (discussion["supervisor"], discussion["supervisee"]),
                "Only a party to the discussion, its supervisor or supervisee, signs its record")
        require(c.party not in discussion["signed_by"],
                "Each party signs a discussion record once")
        self._discussion_signed(discussion_id=c.discussion_id, party=c.party, actor=c.by,
                                occurred_on=c.at)

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

    def complete_action(self, c: CompleteAction) -> None:
        self._check_open(c.at)
        action = self._known(self.actions, c.action_id, "agreed action", c.at, "agreed_on")
        require(action["status"] != ActionStatus.COMPLETED, "An action is completed only once")
        self._action_completed(action_id=c.action_id, actor=c.by, occurred_on=c.at)

    @event("ActionCompleted")
    def _action_completed(self, *, action_id: str, actor: str, occurred_on: datetime) -> None:
        self.actions[action_id].update(status=ActionStatus.COMPLETED, completed_on=occurred_on)

    def mark_action_overdue(self, c: MarkActionOverdue) -> None:
        """Record that an open action had passed its due date by `c.on`."""
        self._check_open(c.at)
        action = self._known(self.actions, c.action_id, "agreed action", c.at, "agreed_on")
        require(action["status"] == ActionStatus.OPEN, "Only an open action can be marked overdue")
        require(c.on > action["due"], "An action becomes overdue only after its due date")
        require(c.on <= c.at.date(), "An action cannot be marked overdue on a date still to come")
        self._action_marked_overdue(action_id=c.action_id, overdue_on=c.on, actor=c.by,
                                    occurred_on=c.at)

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
        """Why the case is drifting on `on` (`case_values.drift_reasons`): only discussions
        held by `on` count, and a case drifts only while it is open."""
        if not self.open_on(on):
            return []
        held = [d for d in self.discussions.values() if d["held_on"].date() <= on]
        since = held[-1]["held_on"].date() if held else self.opened_on.date()
        return drift_reasons([str(d["rag"]) for d in held], self.legal_status, since, on, policy,
                             self.nation)

    def is_drifting(self, on: date, policy: Policy = DEFAULT_POLICY) -> bool:
        return bool(self.drift_reasons(on, policy))

    def flag_drift(self, c: FlagDrift, policy: Policy = DEFAULT_POLICY) -> None:
        """Record that the case was drifting on `c.on`, with the reasons, for escalation."""
        self._check_open(c.at)
        require(c.on <= c.at.date(), "Drift cannot be flagged for a date still to come")
        reasons = self.drift_reasons(c.on, policy)
        require(bool(reasons), "Drift is flagged only when the case shows drift")
        self._drift_flagged(on=c.on, reasons=reasons, actor=c.by, occurred_on=c.at)

    @event("DriftFlagged")
    def _drift_flagged(
        self, *, on: date, reasons: list[str], actor: str, occurred_on: datetime
    ) -> None:
        self.drift_flags.append({"on": on, "reasons": list(reasons), "flagged_on": occurred_on})

    # --- concerns and professional disagreements -----------------------------------------

    def raise_concern(self, c: RaiseCaseConcern) -> None:
        """Raise a concern at stage 1, with the supervisor."""
        self._check_open(c.at)
        require(given(c.concern_id) and c.concern_id not in self.concerns,
                "A concern id is used only once on a case")
        require(given(c.summary), "A concern needs a summary")
        self._concern_raised(concern_id=c.concern_id, summary=c.summary, actor=c.by,
                             occurred_on=c.at)

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

    def escalate_concern(self, c: EscalateCaseConcern) -> None:
        """Escalate a concern one stage: supervisor, manager, senior manager or partnership."""
        self._check_open(c.at)
        concern = self._known(self.concerns, c.concern_id, "concern", c.at, "last_changed_on")
        self._check_escalation(concern, "concern", c.reason)
        self._concern_escalated(concern_id=c.concern_id, to_stage=concern["stage"] + 1,
                                reason=c.reason, actor=c.by, occurred_on=c.at)

    @staticmethod
    def _check_escalation(item: dict[str, Any], what: str, reason: str) -> None:
        check_escalation(item["resolved"], item["stage"], what)
        require(given(reason), "An escalation needs a reason")

    @event("ConcernEscalated")
    def _concern_escalated(
        self, *, concern_id: str, to_stage: int, reason: str, actor: str, occurred_on: datetime
    ) -> None:
        concern = self.concerns[concern_id]
        concern.update(stage=to_stage, stage_name=concern_stage_name(to_stage),
                       last_changed_on=occurred_on)
        concern["escalations"].append({"stage": to_stage, "reason": reason, "on": occurred_on})

    def resolve_concern(self, c: ResolveCaseConcern) -> None:
        self._check_open(c.at)
        concern = self._known(self.concerns, c.concern_id, "concern", c.at, "last_changed_on")
        check_unresolved(concern["resolved"], "concern")
        require(given(c.outcome), "Resolving a concern records its outcome")
        self._concern_resolved(concern_id=c.concern_id, outcome=c.outcome, actor=c.by,
                               occurred_on=c.at)

    @event("ConcernResolved")
    def _concern_resolved(
        self, *, concern_id: str, outcome: str, actor: str, occurred_on: datetime
    ) -> None:
        self.concerns[concern_id].update(resolved=True, outcome=outcome,
                                         last_changed_on=occurred_on)

    def raise_disagreement(self, c: RaiseDisagreement) -> None:
        """Record a professional disagreement between agencies or people (seed 003)."""
        self._check_open(c.at)
        require(given(c.disagreement_id) and c.disagreement_id not in self.disagreements,
                "A disagreement id is used only once on a case")
        parties = [party.strip() for party in c.between if given(party)]
        require(len(set(parties)) >= 2,
                "A professional disagreement is between at least two different agencies or people")
        require(given(c.summary), "A professional disagreement needs a summary")
        self._disagreement_raised(disagreement_id=c.disagreement_id, between=parties,
                                  summary=c.summary, actor=c.by, occurred_on=c.at)

    @event("DisagreementRaised")
    def _disagreement_raised(
        self, *, disagreement_id: str, between: list[str], summary: str, actor: str,
        occurred_on: datetime,
    ) -> None:
        self.disagreements[disagreement_id] = {
            "disagreement_id": disagreement_id, "between": list(between), "summary": summary,
            "raised_on": occurred_on, "resolved": False, "outcome": None, "resolved_on": None,
            "stage": 1, "stage_name": concern_stage_name(1), "last_changed_on": occurred_on,
            "escalations": [],
        }

    def escalate_disagreement(self, c: EscalateDisagreement) -> None:
        """Escalate a disagreement one stage, as concerns are (seed 003, 'Managing
        Professional Differences')."""
        self._check_open(c.at)
        item = self._known(self.disagreements, c.disagreement_id, "disagreement", c.at,
                           "last_changed_on")
        self._check_escalation(item, "disagreement", c.reason)
        self._disagreement_escalated(disagreement_id=c.disagreement_id,
                                     to_stage=item["stage"] + 1, reason=c.reason, actor=c.by,
                                     occurred_on=c.at)

    @event("DisagreementEscalated")
    def _disagreement_escalated(
        self, *, disagreement_id: str, to_stage: int, reason: str, actor: str,
        occurred_on: datetime,
    ) -> None:
        item = self.disagreements[disagreement_id]
        item.update(stage=to_stage, stage_name=concern_stage_name(to_stage),
                    last_changed_on=occurred_on)
        item["escalations"].append({"stage": to_stage, "reason": reason, "on": occurred_on})

    def resolve_disagreement(self, c: ResolveDisagreement) -> None:
        self._check_open(c.at)
        disagreement = self._known(
            self.disagreements, c.disagreement_id, "disagreement", c.at, "last_changed_on"
        )
        check_unresolved(disagreement["resolved"], "disagreement")
        require(given(c.outcome), "Resolving a disagreement records its outcome")
        self._disagreement_resolved(disagreement_id=c.disagreement_id, outcome=c.outcome,
                                    actor=c.by, occurred_on=c.at)

    @event("DisagreementResolved")
    def _disagreement_resolved(
        self, *, disagreement_id: str, outcome: str, actor: str, occurred_on: datetime
    ) -> None:
        self.disagreements[disagreement_id].update(resolved=True, outcome=outcome,
                                                   resolved_on=occurred_on,
                                                   last_changed_on=occurred_on)

    # --- audit, supervisor and closure ---------------------------------------------------

    def record_audit_grade(self, c: RecordAuditGrade) -> None:
        """Record the grade a case-file audit gave this case, linked to the audit's id."""
        self._check_open(c.at)
        key = str(c.audit_id)
        require(key not in self.audit_grades, "An audit grades a case only once")
        self._audit_grade_recorded(audit_id=key, grade=c.grade, actor=c.by, occurred_on=c.at)

    @event("AuditGradeRecorded")
    def _audit_grade_recorded(
        self, *, audit_id: str, grade: str, actor: str, occurred_on: datetime
    ) -> None:
        self.audit_grades[audit_id] = {"audit_id": audit_id, "grade": AuditGrade(grade),
                                       "recorded_on": occurred_on}

    def note_audit_selection(self, c: NoteAuditSelection) -> None:
        """An audit selected this case: the practice review sub-group may now read it. A closed
        case can be audited too."""
        self.check_after_opening(c.at)
        require(str(c.audit_id) not in self.audits, "An audit selects a case once")
        self._selected_for_audit(audit_id=str(c.audit_id), actor=c.by, occurred_on=c.at)

    @event("SelectedForAudit")
    def _selected_for_audit(self, *, audit_id: str, actor: str, occurred_on: datetime) -> None:
        self.__dict__.setdefault("audits", []).append(audit_id)

    def change_supervisor(self, c: ChangeSupervisor) -> None:
        self._check_open(c.at)
        require(given(c.new_supervisor), "A new supervisor must be named")
        require(c.new_supervisor != self.supervisor,
                "A new supervisor must be a different person from the current supervisor")
        require(c.new_supervisor != self.practitioner, PRACTITIONER_NOT_SUPERVISOR)
        require(given(c.reason), "A change of supervisor needs a reason")
        self._supervisor_changed(new_supervisor=c.new_supervisor, reason=c.reason, actor=c.by,
                                 occurred_on=c.at)

    @event("SupervisorChanged")
    def _supervisor_changed(
        self, *, new_supervisor: str, reason: str, actor: str, occurred_on: datetime
    ) -> None:
        self.supervisor = new_supervisor
        self.supervisors.append(
            {"supervisor": new_supervisor, "from": occurred_on.date(), "reason": reason}
        )

    def close(self, c: CloseCase) -> None:
        self._check_open(c.at)
        require(given(c.reason), "Closing a case needs a reason")
        self._closed(reason=c.reason, actor=c.by, occurred_on=c.at)

    @event("Closed")
    def _closed(self, *, reason: str, actor: str, occurred_on: datetime) -> None:
        self.closed, self.closure_reason = True, reason
        self.closed_on: datetime | None = occurred_on

    def open_on(self, on: date) -> bool:
        """Whether the case was open on `on` (a snapshot from before `closed_on` was kept
        has none: its closure counts from the start)."""
        closed_on = self.__dict__.get("closed_on")
        ended = self.closed and (closed_on is None or closed_on.date() <= on)
        return self.opened_on.date() <= on and not ended
