"""Activities of the escalation ladder that need the policy: a stage's response deadline."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from temporalio import activity

from domain.application import Assured
from domain.handling import Step
from workflows.escalation.types import PROCESS, StageOpening


class EscalationActivities:
    def __init__(self, app: Assured) -> None:
        self.app = app

    @activity.defn(name="escalation.open_stage")
    def open_stage(self, opening: StageOpening) -> date:
        """The stage's response deadline (policy, working days from its opening), recorded."""
        o = opening
        due = self.app.policy.escalation_stage_response.after(o.opened_at.date(), o.nation)
        self.app.note_step(UUID(o.record_id), Step(o.step_id, PROCESS, f"stage {o.stage} opened",
                                                   {"stage": o.stage,
                                                    "response_due": due.isoformat()}),
                           o.opened_at)
        # A retry finds the step recorded; the deadline is the same pure function of its inputs.
        return due
