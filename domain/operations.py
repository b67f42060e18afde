"""What operations staff did to a running process, recorded like everything else.

`Intervention` is one per workflow id: each cancel, terminate or retry, with its reason.
Events: Opened, Recorded (the action: cancel, terminate or retry).
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from eventsourcing.domain import event

from domain.errors import require
from domain.record import Record, check_instant, natural_id

ACTIONS = ("cancel", "terminate", "retry")


class Intervention(Record):
    @staticmethod
    def create_id(workflow_id: str) -> UUID:
        return natural_id("intervention", workflow_id)

    @classmethod
    def open(cls, workflow_id: str, *, at: datetime) -> Intervention:
        check_instant(at)
        return cls(workflow_id=workflow_id, actor="system", occurred_on=at)

    @event("Opened")
    def __init__(self, *, workflow_id: str, actor: str, occurred_on: datetime) -> None:
        self.opened_on = occurred_on
        self.workflow_id = workflow_id
        self.actions: list[dict[str, object]] = []

    def record(self, action: str, reason: str, *, by: str, at: datetime) -> None:
        """Record an operator's action on the workflow, with the reason they gave."""
        check_instant(at)
        require(action in ACTIONS, "An intervention is a cancel, a terminate or a retry")
        require(bool(reason.strip()), "An intervention on a process records its reason")
        self._recorded(action=action, reason=reason, actor=by, occurred_on=at)

    @event("Recorded")
    def _recorded(self, *, action: str, reason: str, actor: str, occurred_on: datetime) -> None:
        self.actions.append({"action": action, "reason": reason, "by": actor, "on": occurred_on})
