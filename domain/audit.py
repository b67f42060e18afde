"""AuditRecord: a multi-agency audit of supervision and management oversight (seeds 003, 004).

An audit is planned (its plan reviewed six-monthly), its cases selected once (at random with a
recorded seed, or by risk), agency returns requested, chased, submitted or escalated as
non-compliant, and then, in order, moderated, its findings recorded, reported to a named group,
actions agreed and closed. Events:

- Planned: theme, dimension, type, year, agencies, sample size, returns due, plan review due.
- PlanReviewed: notes and the next plan review due.
- CasesSelectedAtRandom: the sorted population, the seed, the sample size and the selection.
- CasesSelectedByRisk: the chosen cases, each with its risk.
- ReturnsRequested: every agency of the audit.
- ReturnChased, ReturnSubmitted (two grades and evidence), NonComplianceEscalated: one agency.
- Moderated, FindingsRecorded, Reported, ActionsAgreed, Closed.
"""

from __future__ import annotations

import random
from datetime import date, datetime
from uuid import UUID

from eventsourcing.domain import event

from domain import audit_values as values
from domain.audit_values import (
    AuditDimension,
    AuditStage,
    AuditType,
    Grade,
    ReturnStatus,
    Risk,
    SelectionMethod,
)
from domain.errors import require
from domain.policy import DEFAULT_POLICY, Policy
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
from domain.record import Record, natural_id


def select_at_random(population: list[str], seed: int, sample_size: int) -> list[str]:
    """The cases a random selection chooses; anyone can rerun it to check a recorded selection.

    Sorting first makes the choice independent of the order the population was listed in.
    """
    return random.Random(seed).sample(sorted(population), sample_size)


class AuditRecord(Record):
    """One audit from plan to close; its commands refuse anything out of order."""

    @staticmethod
    def create_id(reference: str) -> UUID:
        """The id comes from the audit's reference (e.g. "audit-cycle-2026"): planned once."""
        return natural_id("audit", reference)

    @classmethod
    def plan(cls, c: PlanAudit, policy: Policy = DEFAULT_POLICY) -> AuditRecord:
        require(bool(c.reference.strip()), "An audit needs a reference")
        values.check_plan(c.theme, c.dimension, c.audit_type, c.year, c.at.date())
        values.check_agencies(list(c.agencies))
        require(c.sample_size > 0, "An audit's sample size is a whole number above zero")
        require(c.returns_due > c.at.date(),
                "An audit's returns must be due after the date it is planned")
        return cls(
            reference=c.reference, theme=c.theme.strip(), dimension=c.dimension,
            audit_type=c.audit_type, year=c.year, agencies=[a.strip() for a in c.agencies],
            sample_size=c.sample_size, returns_due=c.returns_due,
            plan_review_due=policy.audit_plan_review.after(c.at.date()),
            actor=c.by, occurred_on=c.at,
        )

    @event("Planned")
    def __init__(
        self, *, reference: str, theme: str, dimension: AuditDimension, audit_type: AuditType,
        year: int,
        agencies: list[str], sample_size: int, returns_due: date, plan_review_due: date,
        actor: str, occurred_on: datetime,
    ) -> None:
        self.opened_on = occurred_on
        self.reference = reference
        self.theme, self.year, self.sample_size = theme, year, sample_size
        self.dimension = AuditDimension(dimension)
        self.audit_type = AuditType(audit_type)
        self.agencies = list(agencies)
        self.returns_due = returns_due
        self.plan_review_due = plan_review_due
        self.plan_reviews: list[dict] = []
        self.stage = AuditStage.PLANNED
        self.stage_on = occurred_on  # when the latest step happened, so later ones read forwards
        self.selection_method: SelectionMethod | None = None
        self.selection_seed: int | None = None
        self.selected_cases: list[str] = []
        self.case_risks: dict[str, str] = {}
        self.returns: dict[str, dict] = {}
        self.moderation_notes: str | None = None
        self.strengths: list[str] = []
        self.areas_for_development: list[str] = []
        self.reported_to: str | None = None
        self.actions: list[dict] = []
        self.closed_on: datetime | None = None

    # -- guards shared by the commands ---------------------------------------------------------

    def _check_command(self, at: datetime) -> None:
        self.check_after_opening(at)
        values.check_audit_open(self.closed_on is not None)

    def _check_step(self, step: AuditStage, at: datetime) -> None:
        """Refuse `step` unless the audit stands at the step just before it."""
        self._check_command(at)
        values.check_next_step(self.stage, step)
        latest = max([self.stage_on] + [r["last_on"] for r in self.returns.values()])
        require(at >= latest, "A step of an audit cannot be dated before its previous fact; "
                "history reads forwards")

    def _check_return(self, agency: str, at: datetime) -> dict:
        """The agency's return, if it may still change at `at`."""
        self._check_command(at)
        require(agency in self.agencies,
                "A return must refer to an agency taking part in the audit")
        values.check_returns_open(self.stage)
        found = self.returns[agency]
        require(at >= found["last_on"], "A fact about an agency's return cannot be dated before "
                "the return's previous fact; history reads forwards")
        return found

    # -- the plan ----------------------------------------------------------------------------------

    def review_plan(self, c: ReviewPlan, policy: Policy = DEFAULT_POLICY) -> None:
        self._check_command(c.at)
        require(values.is_text(c.notes), "A review of an audit plan records notes")
        previous = self.plan_reviews[-1]["reviewed_on"] if self.plan_reviews else self.opened_on
        require(c.at >= previous, "A plan review cannot be dated before the plan's previous "
                "review; history reads forwards")
        self._plan_reviewed(notes=c.notes,
                            next_review_due=policy.audit_plan_review.after(c.at.date()),
                            actor=c.by, occurred_on=c.at)

    @event("PlanReviewed")
    def _plan_reviewed(
        self, *, notes: str, next_review_due: date, actor: str, occurred_on: datetime
    ) -> None:
        self.plan_reviews.append({"reviewed_on": occurred_on, "notes": notes, "by": actor})
        self.plan_review_due = next_review_due

    # -- selecting cases ---------------------------------------------------------------------------

    def select_cases_at_random(self, c: SelectCasesAtRandom) -> None:
        self._check_step(AuditStage.CASES_SELECTED, c.at)
        population = list(c.population)
        values.check_case_ids(population)
        require(len(population) >= self.sample_size, "The population to select cases from "
                "cannot be smaller than the audit's sample size")
        self._selected_at_random(
            population=sorted(population), seed=c.seed, sample_size=self.sample_size,
            selection=select_at_random(population, c.seed, self.sample_size),
            actor=c.by, occurred_on=c.at,
        )

    @event("CasesSelectedAtRandom")
    def _selected_at_random(
        self, *, population: list[str], seed: int, sample_size: int, selection: list[str],
        actor: str, occurred_on: datetime,
    ) -> None:
        self._enter(AuditStage.CASES_SELECTED, occurred_on)
        self.selection_method = SelectionMethod.RANDOM
        self.selection_seed = seed
        self.selected_cases = list(selection)

    def select_cases_by_risk(self, c: SelectCasesByRisk) -> None:
        """Choose the given cases; seed 003 (aim 2) audits high, medium and escalating risk."""
        self._check_step(AuditStage.CASES_SELECTED, c.at)
        chosen = [{"case_id": item.case_id, "risk": Risk(item.risk)} for item in c.candidates]
        values.check_risk_selection(chosen, self.sample_size)
        self._selected_by_risk(cases=chosen, actor=c.by, occurred_on=c.at)

    @event("CasesSelectedByRisk")
    def _selected_by_risk(self, *, cases: list[dict], actor: str, occurred_on: datetime) -> None:
        self._enter(AuditStage.CASES_SELECTED, occurred_on)
        self.selection_method = SelectionMethod.RISK
        self.selected_cases = [c["case_id"] for c in cases]
        self.case_risks = {c["case_id"]: Risk(c["risk"]) for c in cases}

    # -- agency returns ----------------------------------------------------------------------------

    def request_returns(self, c: RequestReturns) -> None:
        self._check_step(AuditStage.RETURNS_REQUESTED, c.at)
        require(c.at.date() <= self.returns_due, "Returns cannot be requested after they are due")
        self._returns_requested(agencies=list(self.agencies), actor=c.by, occurred_on=c.at)

    @event("ReturnsRequested")
    def _returns_requested(self, *, agencies: list[str], actor: str, occurred_on: datetime) -> None:
        self._enter(AuditStage.RETURNS_REQUESTED, occurred_on)
        self.returns = {agency: values.new_return(occurred_on) for agency in agencies}

    def chase_return(self, c: ChaseReturn) -> None:
        found = self._check_return(c.agency, c.at)
        require(found["status"] != ReturnStatus.SUBMITTED, "A submitted return is not chased")
        self._return_chased(agency=c.agency, actor=c.by, occurred_on=c.at)

    @event("ReturnChased")
    def _return_chased(self, *, agency: str, actor: str, occurred_on: datetime) -> None:
        self.returns[agency]["chased_on"].append(occurred_on)
        self.returns[agency]["last_on"] = occurred_on

    def submit_return(self, c: SubmitReturn) -> None:
        found = self._check_return(c.agency, c.at)
        require(found["status"] != ReturnStatus.SUBMITTED,
                "An agency submits one return to an audit")
        require(values.is_text(c.evidence), "A return needs evidence for its grades")
        self._return_submitted(
            agency=c.agency, supervision_grade=c.supervision_grade,
            oversight_grade=c.oversight_grade, evidence=c.evidence, actor=c.by,
            occurred_on=c.at,
        )

    @event("ReturnSubmitted")
    def _return_submitted(
        self, *, agency: str, supervision_grade: Grade, oversight_grade: Grade, evidence: str,
        actor: str, occurred_on: datetime,
    ) -> None:
        self.returns[agency].update(
            status=ReturnStatus.SUBMITTED, supervision_grade=Grade(supervision_grade),
            oversight_grade=Grade(oversight_grade), evidence=evidence,
            submitted_on=occurred_on, last_on=occurred_on,
        )

    def escalate_non_compliance(self, c: EscalateNonCompliance) -> None:
        """Seed 004: non-compliance is escalated to the Safeguarding Operational sub-group."""
        found = self._check_return(c.agency, c.at)
        require(found["status"] != ReturnStatus.SUBMITTED,
                "An agency that has submitted its return is not escalated as non-compliant")
        require(c.at.date() > self.returns_due,
                "Non-compliance is escalated only after the returns due date has passed")
        require(found["escalated_on"] is None, "An agency's non-compliance is escalated once")
        self._escalated(
            agency=c.agency, escalated_to=values.ESCALATION_GROUP, actor=c.by, occurred_on=c.at
        )

    @event("NonComplianceEscalated")
    def _escalated(
        self, *, agency: str, escalated_to: str, actor: str, occurred_on: datetime
    ) -> None:
        self.returns[agency].update(escalated_on=occurred_on, escalated_to=escalated_to,
                                    last_on=occurred_on)

    # -- moderation to close -----------------------------------------------------------------------

    def moderate(self, c: Moderate) -> None:
        self._check_step(AuditStage.MODERATED, c.at)
        require(not self.unsettled_returns, "An audit cannot be moderated while an agency's "
                "return is neither submitted nor escalated as non-compliant")
        require(values.is_text(c.notes), "Moderation records notes")
        self._moderated(notes=c.notes, actor=c.by, occurred_on=c.at)

    @event("Moderated")
    def _moderated(self, *, notes: str, actor: str, occurred_on: datetime) -> None:
        self._enter(AuditStage.MODERATED, occurred_on)
        self.moderation_notes = notes

    def record_findings(self, c: RecordFindings) -> None:
        self._check_step(AuditStage.FINDINGS_RECORDED, c.at)
        findings = [*c.strengths, *c.areas_for_development]
        require(len(findings) > 0, "Findings name at least one strength or area for development")
        require(all(values.is_text(f) for f in findings),
                "Each finding is written out, never blank")
        self._findings_recorded(strengths=list(c.strengths),
                                areas_for_development=list(c.areas_for_development),
                                actor=c.by, occurred_on=c.at)

    @event("FindingsRecorded")
    def _findings_recorded(
        self, *, strengths: list[str], areas_for_development: list[str], actor: str,
        occurred_on: datetime,
    ) -> None:
        self._enter(AuditStage.FINDINGS_RECORDED, occurred_on)
        self.strengths = list(strengths)
        self.areas_for_development = list(areas_for_development)

    def report(self, c: ReportAudit) -> None:
        self._check_step(AuditStage.REPORTED, c.at)
        require(values.is_text(c.group), "An audit is reported to a named group")
        self._reported(group=c.group.strip(), actor=c.by, occurred_on=c.at)

    @event("Reported")
    def _reported(self, *, group: str, actor: str, occurred_on: datetime) -> None:
        self._enter(AuditStage.REPORTED, occurred_on)
        self.reported_to = group

    def agree_actions(self, c: AgreeActions) -> None:
        self._check_step(AuditStage.ACTIONS_AGREED, c.at)
        agreed = [{"action": a.action.strip(), "owner": a.owner.strip(), "due_on": a.due_on}
                  for a in c.actions]
        values.check_actions(agreed, c.at.date())
        self._actions_agreed(actions=agreed, actor=c.by, occurred_on=c.at)

    @event("ActionsAgreed")
    def _actions_agreed(self, *, actions: list[dict], actor: str, occurred_on: datetime) -> None:
        self._enter(AuditStage.ACTIONS_AGREED, occurred_on)
        self.actions = [dict(a) for a in actions]

    def close(self, c: CloseAudit) -> None:
        self._check_step(AuditStage.CLOSED, c.at)
        self._closed(actor=c.by, occurred_on=c.at)

    @event("Closed")
    def _closed(self, *, actor: str, occurred_on: datetime) -> None:
        self._enter(AuditStage.CLOSED, occurred_on)
        self.closed_on = occurred_on

    def _enter(self, stage: AuditStage, on: datetime) -> None:
        """Move to `stage` (called only from event methods, so it also runs on replay)."""
        self.stage = stage
        self.stage_on = on

    # -- queries -------------------------------------------------------------------------------

    @property
    def is_closed(self) -> bool:
        return self.closed_on is not None

    @property
    def outstanding_returns(self) -> list[str]:
        """Agencies asked for a return that have not submitted it (escalated or not)."""
        return [a for a, r in self.returns.items() if r["status"] != ReturnStatus.SUBMITTED]

    @property
    def non_compliant_agencies(self) -> list[str]:
        """Agencies escalated as non-compliant; a late return does not undo the escalation."""
        return [a for a, r in self.returns.items() if r["escalated_on"] is not None]

    @property
    def unsettled_returns(self) -> list[str]:
        """Outstanding returns not yet escalated: these hold up moderation."""
        return [a for a in self.outstanding_returns if self.returns[a]["escalated_on"] is None]

    def overdue_returns(self, on: date) -> list[str]:
        """Outstanding returns whose due date had passed on `on`."""
        return self.outstanding_returns if on > self.returns_due else []

    def plan_review_overdue(self, on: date) -> bool:
        """Whether the six-monthly plan review was overdue on `on` (never once closed)."""
        if self.closed_on is not None and on >= self.closed_on.date():
            return False
        return on > self.plan_review_due
