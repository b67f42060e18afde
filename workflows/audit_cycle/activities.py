"""Activities of the multi-agency audit cycle that read records or choose cases.

Case selection reads the open cases from the event store's notification log and records the
choice on the audit with its seed, so anyone can rerun it (and each chosen case notes that it
was chosen, `Assured.select_cases_at_random`). Other commands go through
`workflows.command_activities`.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any
from uuid import UUID

from eventsourcing.utils import get_topic
from temporalio import activity

from domain.application import Assured
from domain.audit import AuditRecord
from domain.audit_commands import RiskCandidate, SelectCasesAtRandom, SelectCasesByRisk
from domain.audit_values import AUDITABLE_RISKS, SelectionMethod
from domain.case import Case
from domain.errors import RuleBroken
from domain.handling import Step
from workflows.audit_cycle.types import (
    BY,
    PROCESS,
    AuditFacts,
    AuditSelection,
    ReturnsDates,
)
from workflows.command_activities import refused

PAGE = 500
# The aggregate's event classes are made by its decorators, out of a type checker's sight.
CASE_EVENTS = {name: getattr(Case, name) for name in ("Opened", "RiskChanged", "Closed")}
CASE_TOPICS = [get_topic(kind) for kind in CASE_EVENTS.values()]


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


def choose_by_risk(risks: dict[str, str], sample_size: int, seed: int) -> list[RiskCandidate]:
    """Up to `sample_size` auditable cases (seed 003, aim 2), taking a high, a medium and an
    escalating risk case in turn, each level's cases in an order shuffled by `seed`."""
    levels = [str(r) for r in AUDITABLE_RISKS]
    queues = {level: sorted(c for c, r in risks.items() if r == level) for level in levels}
    for queue in queues.values():
        random.Random(seed).shuffle(queue)
    chosen: list[RiskCandidate] = []
    while len(chosen) < sample_size and any(queues.values()):
        for level in levels:
            if queues[level] and len(chosen) < sample_size:
                chosen.append(RiskCandidate(case_id=queues[level].pop(0), risk=level))
    return chosen


class AuditCycleActivities:
    def __init__(self, app: Assured) -> None:
        self.app = app

    @activity.defn(name="audit.read")
    def read(self, audit_id: str) -> AuditFacts:
        a = self.app.load(UUID(audit_id), AuditRecord)
        return AuditFacts(a.opened_on, str(a.stage), list(a.agencies), a.returns_due,
                          a.plan_review_due,
                          [x for x, r in a.returns.items() if r["status"] == "submitted"],
                          list(a.non_compliant_agencies))

    @activity.defn(name="audit.select_cases")
    def select_cases(self, s: AuditSelection) -> list[str]:
        """Choose the audit's cases among the open cases; the selection as recorded."""
        audit_id = UUID(s.audit_id)
        risks = open_cases(self.app)
        audit = self.app.load(audit_id, AuditRecord)
        command: SelectCasesAtRandom | SelectCasesByRisk
        if s.method == SelectionMethod.RISK:
            command = SelectCasesByRisk(
                record_id=audit_id, by=BY, at=s.at,
                candidates=tuple(choose_by_risk(risks, audit.sample_size, s.seed)))
        else:
            command = SelectCasesAtRandom(record_id=audit_id, population=tuple(risks),
                                          seed=s.seed, by=BY, at=s.at)
        step = Step(s.step_id, PROCESS, "cases selected",
                    {"method": s.method, "seed": s.seed, "open_cases": len(risks)})
        try:
            self.app.execute(command, on=audit, step=step)
        except RuleBroken as broken:
            raise refused(broken) from None
        return list(self.app.load(audit_id, AuditRecord).selected_cases)

    @activity.defn(name="audit.returns_dates")
    def returns_dates(self, audit_id: str, nation: str) -> ReturnsDates:
        """The returns' reminder and non-compliance dates around their due date."""
        due, policy = self.app.load(UUID(audit_id), AuditRecord).returns_due, self.app.policy
        return ReturnsDates(due, policy.reminder_lead.before(due, nation),
                            policy.audit_non_compliance.after(due, nation))
