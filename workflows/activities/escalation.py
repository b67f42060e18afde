"""Activities of the escalation ladder (workflows/escalation.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from temporalio import activity

from workflows.activities import WithApplication

PROCESS = "escalation"


@dataclass
class StageOpening:
    record_id: str
    step_id: str
    stage: int
    nation: str
    opened_on: date
    at: datetime


@dataclass
class Escalation:
    record_id: str
    step_id: str
    subject: str  # "case-concern" | "case-disagreement" | "safeguarder-concern"
    item_id: str
    to_stage: int
    reason: str
    by: str
    at: datetime


@dataclass
class Resolution:
    record_id: str
    step_id: str
    subject: str
    item_id: str
    stage: int
    outcome: str
    by: str
    at: datetime


class EscalationActivities(WithApplication):
    @activity.defn(name="open_escalation_stage")
    def open_stage(self, opening: StageOpening) -> date:
        """Compute the stage's response deadline (policy, working days) and record it."""
        due = self.app.policy.escalation_stage_response.after(opening.opened_on, opening.nation)
        self.step(opening.record_id, opening.step_id, PROCESS, f"stage {opening.stage} opened",
                  {"stage": opening.stage, "response_due": due.isoformat()}, at=opening.at)
        # A retry finds the step recorded; the deadline is the same pure function of its inputs.
        return due

    @activity.defn(name="escalate")
    def escalate(self, escalation: Escalation) -> None:
        command = None
        if escalation.subject == "case-concern":
            def command(case: Any) -> None:
                case.escalate_concern(escalation.item_id, escalation.reason, by=escalation.by,
                                      at=escalation.at)
        self.step(escalation.record_id, escalation.step_id, PROCESS,
                  f"escalated to stage {escalation.to_stage}",
                  {"to_stage": escalation.to_stage, "reason": escalation.reason}, command,
                  at=escalation.at)

    @activity.defn(name="resolve_escalation")
    def resolve(self, resolution: Resolution) -> None:
        r = resolution

        def command(record: Any) -> None:
            if r.subject == "case-disagreement":
                record.resolve_disagreement(r.item_id, r.outcome, by=r.by, at=r.at)
            else:  # a case's or a Safeguarder's concern
                record.resolve_concern(r.item_id, r.outcome, by=r.by, at=r.at)

        self.step(r.record_id, r.step_id, PROCESS, f"resolved at stage {r.stage}",
                  {"stage": r.stage}, command, at=r.at)
