"""Activities of the multi-agency audit cycle (workflows/audit_cycle.py).

The audit record's id is natural (`AuditRecord.create_id(reference)`, the reference being the
cycle's business id `audit-cycle-<year>`): one audit cycle a year, and a retried planning activity
finds the record it made instead of planning a second one. Case selection
reads the open cases from the event store's notification log (there is no projection of cases
yet) and records the choice on the audit, so anyone can rerun it.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, cast
from uuid import UUID

from eventsourcing.utils import get_topic
from temporalio import activity
from temporalio.exceptions import ApplicationError

from domain.application import Assured
from domain.audit import AuditRecord
from domain.audit_values import AUDITABLE_RISKS, ESCALATION_GROUP, SelectionMethod
from domain.case import Case
from domain.errors import RecordNotFound, RuleBroken
from workflows.activities import WithApplication, refused
from workflows.audit_cycle_types import AgreedAuditAction, NotesRequest, ReturnRequest

PROCESS = "audit-cycle"
BY = f"process:{PROCESS}"
PAGE = 500
# The aggregate's event classes are made by its decorators, out of a type checker's sight.
CASE_EVENTS = {name: getattr(Case, name) for name in ("Opened", "RiskChanged", "Closed")}
CASE_TOPICS = [get_topic(kind) for kind in CASE_EVENTS.values()]


@dataclass
class AuditPlan:
    reference: str  # the cycle's business id: the record's natural id comes from it
    step_id: str
    year: int
    theme: str
    dimension: str
    audit_type: str
    agencies: list[str]
    sample_size: int
    returns_due: date
    at: datetime


@dataclass
class Planned:
    audit_id: str
    plan_review_due: date


@dataclass
class Selection:
    audit_id: str
    step_id: str
    method: str  # "random" | "risk"
    seed: int
    at: datetime


@dataclass
class ReturnsRequest:
    audit_id: str
    step_id: str
    nation: str
    at: datetime


@dataclass
class ReturnsDeadlines:
    returns_due: date
    reminder_on: date
    escalate_on: date


@dataclass
class AgencyStep:
    """A step about one agency's return that the process takes by itself (chase, escalate)."""

    audit_id: str
    step_id: str
    agency: str
    at: datetime


@dataclass
class ReturnSubmission:
    audit_id: str
    step_id: str
    at: datetime
    submitted: ReturnRequest


@dataclass
class PlanReview:
    audit_id: str
    step_id: str
    at: datetime
    review: NotesRequest


@dataclass
class AuditStep:
    """A person's step after the returns: moderate, record findings, report, agree, close.

    `notes` carries the moderation notes or the group reported to, as the step needs.
    """

    audit_id: str
    step_id: str
    step: str
    by: str
    at: datetime
    notes: str = ""
    strengths: list[str] = field(default_factory=list)
    areas_for_development: list[str] = field(default_factory=list)
    actions: list[AgreedAuditAction] = field(default_factory=list)


def case_notifications(app: Assured) -> Iterator[Any]:
    """Every Opened, RiskChanged and Closed event of every case, oldest first, decoded."""
    start: int | None = None
    while True:
        page = app.recorder.select_notifications(start, PAGE, topics=CASE_TOPICS)
        for notification in page:
            yield app.mapper.to_domain_event(notification)
        if len(page) < PAGE:
            return
        start = page[-1].id + 1


def open_cases(app: Assured) -> dict[str, str]:
    """The open cases' ids with their current risk level."""
    risks: dict[str, str] = {}
    for domain_event in case_notifications(app):
        case_id = str(domain_event.originator_id)
        if isinstance(domain_event, CASE_EVENTS["Closed"]):
            risks.pop(case_id, None)
        elif isinstance(domain_event, CASE_EVENTS["Opened"]):
            risks[case_id] = str(domain_event.risk)
        elif case_id in risks:
            risks[case_id] = str(domain_event.new_risk)
    return risks


def choose_by_risk(risks: dict[str, str], sample_size: int, seed: int) -> list[dict]:
    """Up to `sample_size` auditable cases (seed 003, aim 2), taking a high, a medium and an
    escalating risk case in turn, each level's cases in an order shuffled by `seed`."""
    levels = [str(r) for r in AUDITABLE_RISKS]
    queues = {level: sorted(c for c, r in risks.items() if r == level) for level in levels}
    for queue in queues.values():
        random.Random(seed).shuffle(queue)
    chosen: list[dict] = []
    while len(chosen) < sample_size and any(queues.values()):
        for level in levels:
            if queues[level] and len(chosen) < sample_size:
                chosen.append({"case_id": queues[level].pop(0), "risk": level})
    return chosen


class AuditCycleActivities(WithApplication):
    @activity.defn(name="plan_audit")
    def plan(self, plan: AuditPlan) -> Planned:
        """Plan the year's audit, or find the one this process planned before a retry."""
        audit_id = AuditRecord.create_id(plan.reference)
        try:
            audit = self.app.load(audit_id, AuditRecord)
        except RecordNotFound:
            return self._plan(plan)
        if not audit.has_process_step(plan.step_id):
            raise ApplicationError(f"The audit of {plan.year} is already planned by another run",
                                   type="RuleBroken", non_retryable=True)
        return Planned(str(audit_id), audit.plan_review_due)

    def _plan(self, plan: AuditPlan) -> Planned:
        try:
            audit = AuditRecord.plan(
                reference=plan.reference, theme=plan.theme,
                dimension=cast(Any, plan.dimension), audit_type=cast(Any, plan.audit_type),
                year=plan.year, agencies=plan.agencies, sample_size=plan.sample_size,
                returns_due=plan.returns_due, by=BY, at=plan.at, policy=self.app.policy)
        except RuleBroken as broken:
            raise refused(broken) from None
        audit.record_process_step(plan.step_id, PROCESS, "audit planned", {
            "year": plan.year, "returns_due": plan.returns_due.isoformat(),
            "plan_review_due": audit.plan_review_due.isoformat()}, by=BY, at=plan.at)
        self.app.record(audit)  # a racing retry conflicts here, and its next try finds this
        return Planned(str(audit.id), audit.plan_review_due)

    @activity.defn(name="select_audit_cases")
    def select_cases(self, selection: Selection) -> list[str]:
        """Choose the audit's cases among the open cases; the selection as recorded."""
        risks = open_cases(self.app)
        audit = self.app.load(UUID(selection.audit_id), AuditRecord)
        if selection.method == SelectionMethod.RISK:
            chosen = choose_by_risk(risks, audit.sample_size, selection.seed)

            def command(a: AuditRecord) -> None:
                a.select_cases_by_risk(chosen, by=BY, at=selection.at)
        else:
            def command(a: AuditRecord) -> None:
                a.select_cases_at_random(list(risks), selection.seed, by=BY, at=selection.at)
        self.step(selection.audit_id, selection.step_id, PROCESS, "cases selected",
                  {"method": selection.method, "seed": selection.seed,
                   "open_cases": len(risks)}, command, at=selection.at)
        return list(self.app.load(UUID(selection.audit_id), AuditRecord).selected_cases)

    @activity.defn(name="request_audit_returns")
    def request_returns(self, request: ReturnsRequest) -> ReturnsDeadlines:
        """Ask every agency for its return; set the reminder and escalation dates."""
        audit = self.app.load(UUID(request.audit_id), AuditRecord)
        policy, due = self.app.policy, audit.returns_due
        deadlines = ReturnsDeadlines(
            due, policy.reminder_lead.before(due, request.nation),
            policy.audit_non_compliance.after(due, request.nation))
        self.step(request.audit_id, request.step_id, PROCESS, "returns requested", {
            "returns_due": due.isoformat(), "reminder_on": deadlines.reminder_on.isoformat(),
            "non_compliance_escalation_after": deadlines.escalate_on.isoformat()},
            lambda a: a.request_returns(by=BY, at=request.at), at=request.at)
        return deadlines

    @activity.defn(name="chase_audit_return")
    def chase_return(self, chase: AgencyStep) -> None:
        self.step(chase.audit_id, chase.step_id, PROCESS, "return chased",
                  {"agency": chase.agency, "to": "agency audit lead"},
                  lambda a: a.chase_return(chase.agency, by=BY, at=chase.at), at=chase.at)

    @activity.defn(name="escalate_audit_non_compliance")
    def escalate_non_compliance(self, escalation: AgencyStep) -> None:
        e = escalation
        self.step(e.audit_id, e.step_id, PROCESS, "non-compliance escalated",
                  {"agency": e.agency, "to": ESCALATION_GROUP},
                  lambda a: a.escalate_non_compliance(e.agency, by=BY, at=e.at), at=e.at)

    @activity.defn(name="submit_audit_return")
    def submit_return(self, r: ReturnSubmission) -> None:
        g = r.submitted
        self.step(r.audit_id, r.step_id, PROCESS, "return submitted", {"agency": g.agency},
                  lambda a: a.submit_return(g.agency, g.supervision_grade, g.oversight_grade,
                                            g.evidence, by=g.by, at=r.at), at=r.at)

    @activity.defn(name="review_audit_plan")
    def review_plan(self, review: PlanReview) -> date:
        """Record the six-monthly review of the plan; the next review's due date."""
        notes = review.review
        self.step(review.audit_id, review.step_id, PROCESS, "plan reviewed", {},
                  lambda a: a.review_plan(notes.notes, by=notes.by, at=review.at,
                                          policy=self.app.policy), at=review.at)
        return self.app.load(UUID(review.audit_id), AuditRecord).plan_review_due

    @activity.defn(name="advance_audit")
    def advance(self, s: AuditStep) -> None:
        """One of the steps after the returns, by the person who took it."""
        commands = {
            "moderated": lambda a: a.moderate(s.notes, by=s.by, at=s.at),
            "findings recorded": lambda a: a.record_findings(
                s.strengths, s.areas_for_development, by=s.by, at=s.at),
            "reported": lambda a: a.report(s.notes, by=s.by, at=s.at),
            "actions agreed": lambda a: a.agree_actions(
                [vars(action) for action in s.actions], by=s.by, at=s.at),
            "closed": lambda a: a.close(by=s.by, at=s.at),
        }
        self.step(s.audit_id, s.step_id, PROCESS, s.step, {}, commands[s.step], at=s.at)
